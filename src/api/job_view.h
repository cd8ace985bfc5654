// src/api/job_view.h
//
// A job as the API shows it to a key of role `viewer`: the job row (jobs::JobToJson,
// less internal storage locations) plus the URLs of its result and pages. The
// webhook_url (it may carry a receiver's token) only to roles that may submit jobs.
#ifndef SMARTOCR_API_JOB_VIEW_H_
#define SMARTOCR_API_JOB_VIEW_H_

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace smartocr::api {

nlohmann::ordered_json JobView(const store::Job& job, store::Role viewer);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_JOB_VIEW_H_
