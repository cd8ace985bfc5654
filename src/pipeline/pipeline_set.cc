#include "pipeline/pipeline_set.h"

namespace smartocr::pipeline {

std::string EngineVersion(const core::EngineInfo& engine) {
  return engine.name + "-" + engine.version + "+smartocr-" + core::kVersion;
}

PipelineSet::PipelineSet() = default;
PipelineSet::~PipelineSet() = default;

const PipelineSet::Entry* PipelineSet::Find(const std::string& name) const {
  for (const auto& e : entries_) {
    if (e->name == name) return e.get();
  }
  return nullptr;
}

Pipeline& PipelineSet::Add(std::unique_ptr<recognize::Engine> engine, PipelineOptions options) {
  if (const Entry* existing = Find(engine->info().name)) return *existing->pipeline;
  auto entry = std::make_unique<Entry>();
  entry->name = engine->info().name;
  entry->engine_version = EngineVersion(engine->info());
  entry->engine = std::move(engine);
  // One pool of page workers for the process, whichever engine a document needs.
  entry->owned = entries_.empty() ? std::make_unique<Pipeline>(*entry->engine, std::move(options))
                                  : std::make_unique<Pipeline>(*entry->engine, std::move(options),
                                                               *entries_.front()->pipeline);
  entry->pipeline = entry->owned.get();
  entries_.push_back(std::move(entry));
  return *entries_.back()->pipeline;
}

recognize::Engine* PipelineSet::Keep(std::unique_ptr<recognize::Engine> engine) {
  if (engine == nullptr) return nullptr;
  kept_.push_back(std::move(engine));
  return kept_.back().get();
}

void PipelineSet::AddShared(const std::string& name, Pipeline& pipeline,
                            std::string engine_version) {
  if (Find(name) != nullptr) return;
  auto entry = std::make_unique<Entry>();
  entry->name = name;
  entry->engine_version = std::move(engine_version);
  entry->pipeline = &pipeline;
  entries_.push_back(std::move(entry));
}

core::Status PipelineSet::Route(const std::string& schema, const std::string& name) {
  const Entry* entry = Find(name);
  if (entry == nullptr) {
    return core::InvalidArgument("engine", "no pipeline for engine '" + name + "'");
  }
  routes_[schema] = entry;
  return core::Status::Ok();
}

PipelineSet::Choice PipelineSet::For(const std::string& schema) const {
  auto it = routes_.find(schema);
  const Entry& e = it != routes_.end() ? *it->second : *entries_.front();
  return Choice{*e.pipeline, e.name, e.engine_version};
}

std::optional<PipelineSet::Choice> PipelineSet::Named(const std::string& name) const {
  const Entry* e = Find(name);
  if (e == nullptr) return std::nullopt;
  return Choice{*e->pipeline, e->name, e->engine_version};
}

std::vector<std::string> PipelineSet::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e->name);
  return out;
}

}  // namespace smartocr::pipeline
