// smartocr-decode: the sandboxed decoder child. Decodes one document under memory and
// CPU limits and streams its pages as frames on stdout (see frame.h). Started by
// ingest::OpenDocument; not meant to be run by hand.
#include <signal.h>
#include <sys/resource.h>
#include <tiffio.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "ingest/decode_args.h"
#include "ingest/decoder.h"
#include "ingest/frame.h"

namespace smartocr::ingest {
namespace {

// Whether the address-space cap can be applied: sanitizers reserve terabytes of
// virtual memory up front and cannot run under it.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCapAddressSpace = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
constexpr bool kCapAddressSpace = false;
#else
constexpr bool kCapAddressSpace = true;
#endif
#else
constexpr bool kCapAddressSpace = true;
#endif

int EnvInt(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::atoi(value) : 0;
}

double CpuSecondsUsed() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Gives the child a CPU budget of a few page timeouts from now. The parent's
// wall-clock deadline is the real guard; this one stops a child whose parent died
// while it was stuck in a decoder (SIGXCPU).
void RenewCpuBudget(double page_timeout_s) {
  rlimit cpu{};
  cpu.rlim_cur = static_cast<rlim_t>(CpuSecondsUsed() + 2 * page_timeout_s + 10);
  cpu.rlim_max = RLIM_INFINITY;
  setrlimit(RLIMIT_CPU, &cpu);
}

// Frames to stdout, renewing the CPU budget after each one.
class BudgetedWriter : public FdFrameWriter {
 public:
  BudgetedWriter(int fd, double page_timeout_s)
      : FdFrameWriter(fd), page_timeout_s_(page_timeout_s) {}

  bool WriteInfo(FileType type, int page_count, int selected_page_count,
                 const std::optional<EmbeddedInvoice>& invoice) override {
    bool ok = FdFrameWriter::WriteInfo(type, page_count, selected_page_count, invoice);
    RenewCpuBudget(page_timeout_s_);
    return ok;
  }
  bool WritePage(const Page& page) override {
    bool ok = FdFrameWriter::WritePage(page);
    RenewCpuBudget(page_timeout_s_);
    return ok;
  }

 private:
  double page_timeout_s_;
};

int Run(int argc, char** argv) {
  // A parent that went away must not kill us mid-write with a signal; the write
  // fails with EPIPE and we stop.
  signal(SIGPIPE, SIG_IGN);
  // libtiff paths that bypass the per-handle handlers would print to stderr.
  TIFFSetErrorHandler(nullptr);
  TIFFSetWarningHandler(nullptr);
  FdFrameWriter plain(1);
  core::Result<DecodeArgs> args = ParseDecodeArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    plain.WriteError(args.status());
    return 2;
  }
  const Limits& limits = args->options.limits;
  if (kCapAddressSpace) {
    rlimit as{};
    as.rlim_cur = as.rlim_max = static_cast<rlim_t>(limits.decoder_memory_bytes);
    setrlimit(RLIMIT_AS, &as);
  }
  // A crash on untrusted bytes must not leave a core file holding them.
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  RenewCpuBudget(limits.page_timeout_s);
  DecodeTestHooks hooks;
  hooks.sleep_ms_before_page = EnvInt("SMARTOCR_DECODE_TEST_SLEEP_MS");
  hooks.raise_signal = EnvInt("SMARTOCR_DECODE_TEST_SIGNAL");
  BudgetedWriter writer(1, limits.page_timeout_s);
  try {
    DecodeDocument(args->path, args->options, hooks, writer);
  } catch (const std::bad_alloc&) {
    writer.WriteError(core::ResourceExhausted("decoder_memory", "out of memory"));
  } catch (const std::exception& e) {
    writer.WriteError(core::Internal("decoder_exception", e.what()));
  }
  return 0;
}

}  // namespace
}  // namespace smartocr::ingest

int main(int argc, char** argv) {
  try {
    return smartocr::ingest::Run(argc, argv);
  } catch (...) {
    return 70;  // EX_SOFTWARE: the parent reports "decoder_failed"
  }
}
