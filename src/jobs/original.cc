#include "jobs/original.h"

#include "jobs/hashing.h"

namespace smartocr::jobs {

core::Result<std::string> OriginalSha256(const std::string& path) {
  return internal::Sha256FileHex(path);
}

core::Status VerifyOriginal(const store::Job& job, const std::string& path) {
  if (job.spec.source_sha256.empty()) return core::Status::Ok();
  auto sha = internal::Sha256FileHex(path);
  if (!sha.ok()) return sha.status();
  if (*sha != job.spec.source_sha256) {
    return core::CorruptInput("original_changed",
                              "the original of job " + job.id +
                                  " changed after the job was created; submit it as a new job");
  }
  return core::Status::Ok();
}

}  // namespace smartocr::jobs
