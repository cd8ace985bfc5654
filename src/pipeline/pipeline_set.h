// src/pipeline/pipeline_set.h
//
// PipelineSet: the pipelines a service process (`smartocr serve`, `smartocr worker`)
// runs documents on, one per engine, and which one each field schema goes to. Built
// once per process and then shared, read-only, by every request and job; the pipelines
// share one pool of page workers.
//
//   pipeline::PipelineSet set;
//   set.Add(std::move(tesseract), options);  // the first added is the default
//   set.Add(std::move(hybrid), receipt_options);
//   set.Route("receipt", "hybrid");
//   auto chosen = set.For(schema);   // chosen.pipeline.Run(...), chosen.engine_version
#ifndef SMARTOCR_PIPELINE_PIPELINE_SET_H_
#define SMARTOCR_PIPELINE_PIPELINE_SET_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "pipeline/pipeline.h"
#include "recognize/recognize.h"

namespace smartocr::pipeline {

// "<engine>-<version>+smartocr-<version>": how results and stage-cache keys name an
// engine.
std::string EngineVersion(const core::EngineInfo& engine);

class PipelineSet {
 public:
  struct Choice {
    Pipeline& pipeline;
    const std::string& engine_name;
    const std::string& engine_version;  // EngineVersion of the pipeline's engine
  };

  PipelineSet();
  ~PipelineSet();
  PipelineSet(const PipelineSet&) = delete;
  PipelineSet& operator=(const PipelineSet&) = delete;

  // Keeps `engine` and a pipeline running it with `options`, under the engine's name
  // (replacing none: a second engine of the same name is not added). The first
  // pipeline added is the default and owns the page workers (options.threads); later
  // ones run on them.
  Pipeline& Add(std::unique_ptr<recognize::Engine> engine, PipelineOptions options);
  // Keeps `engine` for the set's lifetime, for its pipelines to borrow (e.g. as
  // PipelineOptions::mrz_readers); returns it (null for null).
  recognize::Engine* Keep(std::unique_ptr<recognize::Engine> engine);
  // Adds a pipeline owned by the caller (it must outlive the set) under `name`, its
  // results recorded as `engine_version`.
  void AddShared(const std::string& name, Pipeline& pipeline, std::string engine_version);
  // Documents of `schema` run on the pipeline added under `name`. kInvalidArgument
  // when none was.
  core::Status Route(const std::string& schema, const std::string& name);

  // The pipeline for a document of `schema` ("" or "auto" when not known before the
  // OCR): its route, else the default. Requires a pipeline added.
  Choice For(const std::string& schema) const;
  // The pipeline added under `name` (an engine name), whatever the schema; nullopt
  // when none was.
  std::optional<Choice> Named(const std::string& name) const;
  // The engine names, the default first.
  std::vector<std::string> names() const;

 private:
  struct Entry {
    std::string name;
    std::string engine_version;
    std::unique_ptr<recognize::Engine> engine;  // null for AddShared
    std::unique_ptr<Pipeline> owned;            // null for AddShared
    Pipeline* pipeline = nullptr;
  };
  const Entry* Find(const std::string& name) const;

  // Declared before the pipelines that borrow them, so that they go last.
  std::vector<std::unique_ptr<recognize::Engine>> kept_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::map<std::string, const Entry*> routes_;  // schema -> entry
};

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_PIPELINE_SET_H_
