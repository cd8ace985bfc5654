// How the layout step (GroupWordsIntoLines + Assemble) grows with the words on a page:
// a dense two-column page and a page with no structure, 1,250 to 20,000 words. Google
// Benchmark fits the complexity; a quadratic step shows as O(N^2).
//   ./out/release/bench/smartocr-layout-bench [--benchmark_filter=Dense]
#include <benchmark/benchmark.h>

#include "layout/layout.h"
#include "layout_test_util.h"

namespace smartocr::layout {
namespace {

void BM_DensePage(benchmark::State& state) {
  const std::vector<core::Word> words = testing::DenseWords(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    PageLayout page = Assemble(GroupWordsIntoLines(words), {}, 10000, 3300);
    benchmark::DoNotOptimize(page.blocks.data());
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_DensePage)->RangeMultiplier(4)->Range(1250, 20000)->Complexity();

void BM_ScatteredWords(benchmark::State& state) {
  const std::vector<core::Word> words = testing::ScatteredWords(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    PageLayout page = Assemble(GroupWordsIntoLines(words), {}, 2550, 3300);
    benchmark::DoNotOptimize(page.blocks.data());
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ScatteredWords)->RangeMultiplier(4)->Range(1250, 20000)->Complexity();

}  // namespace
}  // namespace smartocr::layout

BENCHMARK_MAIN();
