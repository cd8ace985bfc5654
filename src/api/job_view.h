// src/api/job_view.h
//
// A job as the API shows it: the job row (jobs::JobToJson, less internal lease
// fields) plus the URLs of its result and pages.
#ifndef SMARTOCR_API_JOB_VIEW_H_
#define SMARTOCR_API_JOB_VIEW_H_

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace smartocr::api {

nlohmann::ordered_json JobView(const store::Job& job);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_JOB_VIEW_H_
