// The parent side of the sandbox: reads frames with a per-page deadline and turns
// every way the child can fail (error frame, hang, crash, garbage) into a Status.
#include "ingest/sandboxed_source.h"

#include <chrono>
#include <sstream>

#include "ingest/child_process.h"
#include "ingest/decode_args.h"
#include "ingest/frame.h"

namespace smartocr::ingest {

namespace {

// How long a child that closed its pipe gets to exit before we kill it.
constexpr std::chrono::milliseconds kExitGrace(2000);

class SandboxedSource : public DocumentSource {
 public:
  SandboxedSource(std::unique_ptr<ChildProcess> child, const IngestOptions& options)
      : child_(std::move(child)),
        reader_(child_->stdout_fd(), options.limits.max_page_pixels,
                options.limits.max_embedded_invoice_bytes),
        pages_(options.pages),
        timeout_(options.limits.page_timeout_s) {}

  FileType type() const override { return info_.type; }
  int page_count() const override { return info_.page_count; }
  int selected_page_count() const override { return info_.selected_page_count; }

  // Reads the info frame.
  core::Status Start() {
    core::Status carried;
    core::Result<FrameKind> kind = reader_.Read(NewDeadline(), &info_, nullptr, &carried);
    if (kind.ok() && *kind == FrameKind::kError) return Fail(carried, "");
    if (kind.ok() && *kind != FrameKind::kInfo) {
      kind = core::Internal("decoder_protocol", "the decoder did not start with an info frame");
    }
    if (!kind.ok()) return Fail(kind.status(), "opening the document");
    if (info_.page_count < 0 || info_.selected_page_count < 0 ||
        info_.selected_page_count > info_.page_count) {
      return Fail(core::Internal("decoder_protocol", "inconsistent page counts"), "");
    }
    return core::Status::Ok();
  }

  std::optional<EmbeddedInvoice> embedded_invoice() const override { return info_.invoice; }

  core::Result<std::optional<Page>> Next() override {
    if (!status_.ok()) return status_;
    if (done_) return std::optional<Page>();
    Page page;
    core::Status carried;
    core::Result<FrameKind> kind = reader_.Read(NewDeadline(), nullptr, &page, &carried);
    std::string context = "page " + std::to_string(ExpectedPage());
    if (!kind.ok()) return Fail(kind.status(), context);
    if (*kind == FrameKind::kError) return Fail(carried, "");
    if (*kind == FrameKind::kEnd) {
      if (returned_ != info_.selected_page_count) {
        return Fail(core::Internal("decoder_protocol", "the decoder ended early"), context);
      }
      done_ = true;
      child_->Reap(kExitGrace);
      return std::optional<Page>();
    }
    // Pages must come in order, selected, and within the document.
    if (*kind != FrameKind::kPage || page.number <= last_page_ || page.number > info_.page_count ||
        !pages_.Contains(page.number)) {
      return Fail(core::Internal("decoder_protocol", "unexpected frame"), context);
    }
    last_page_ = page.number;
    ++returned_;
    return std::optional<Page>(std::move(page));
  }

 private:
  Deadline NewDeadline() const {
    auto timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(timeout_));
    return std::chrono::steady_clock::now() + timeout;
  }

  // The page the child is working on: the next selected one.
  int ExpectedPage() const {
    int p = last_page_ + 1;
    while (p < info_.page_count && !pages_.Contains(p)) ++p;
    return p;
  }

  // Ends the child and makes `status` sticky, replacing a bare end of pipe by what
  // actually happened to the child.
  core::Status Fail(core::Status status, const std::string& context) {
    if (status.code() == core::StatusCode::kDeadlineExceeded) {
      child_->Kill();
      std::ostringstream message;
      message << "no result within " << timeout_ << " s";
      status = core::DeadlineExceeded("page_timeout", message.str());
    } else if (status.reason() == "decoder_eof") {
      status = DescribeChildDeath(child_->Reap(kExitGrace));
    } else {
      // An error frame is the child's last word; a protocol error means we stop
      // trusting it. Either way it has nothing more to say.
      child_->Kill();
    }
    status_ = context.empty() ? status : status.WithContext(context);
    return status_;
  }

  std::unique_ptr<ChildProcess> child_;
  FrameReader reader_;
  core::PageRange pages_;
  double timeout_;
  DocInfo info_;
  int last_page_ = 0;
  int returned_ = 0;
  bool done_ = false;
  core::Status status_;  // sticky after the first error
};

}  // namespace

core::Result<std::unique_ptr<DocumentSource>> OpenSandboxedSource(const std::string& decoder,
                                                                  const std::string& path,
                                                                  const IngestOptions& options) {
  core::Result<std::unique_ptr<ChildProcess>> child =
      ChildProcess::Spawn(decoder, EncodeDecodeArgs(options, path));
  if (!child.ok()) return child.status();
  auto source = std::make_unique<SandboxedSource>(*std::move(child), options);
  SMARTOCR_RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<DocumentSource>(std::move(source));
}

}  // namespace smartocr::ingest
