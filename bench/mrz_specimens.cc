// Writes a synthetic MRZ set (tests/support/mrz_specimen.h) in ../shared/data/mrz's
// layout, one folder per degradation, for `smartocr eval --dataset mrz`:
//   OUT/<degradation>/img/NNNN.jpg and OUT/<degradation>/expected/NNNN.jpg.json
// Usage: smartocr-mrz-specimens OUT COUNT [SEED] [DEGRADATION...]
//   (default seed 1, every degradation). The same seed, count and degradations give the
//   same set (the noise comes from OpenCV's process-wide generator, which runs on
//   from one specimen to the next).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "mrz_specimen.h"

namespace fs = std::filesystem;
using smartocr::testing::Degradation;
using smartocr::testing::SpecimenLayout;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT COUNT [SEED] [DEGRADATION...]\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  const int count = std::atoi(argv[2]);
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)) : 1;
  std::vector<Degradation> degradations;
  for (int i = 4; i < argc; ++i) {
    Degradation d = smartocr::testing::DegradationByName(argv[i]);
    if (d.name != argv[i]) {
      std::fprintf(stderr, "unknown degradation %s\n", argv[i]);
      return 2;
    }
    degradations.push_back(d);
  }
  if (degradations.empty()) degradations = smartocr::testing::SpecimenDegradations();
  if (count <= 0) {
    std::fprintf(stderr, "COUNT must be a positive number\n");
    return 2;
  }
  // Passports most, then ID cards, then visas, as a border desk sees them.
  const std::vector<SpecimenLayout> mix = {
      SpecimenLayout::kTd3,  SpecimenLayout::kTd3, SpecimenLayout::kTd3, SpecimenLayout::kTd3,
      SpecimenLayout::kTd1,  SpecimenLayout::kTd1, SpecimenLayout::kTd1, SpecimenLayout::kTd2,
      SpecimenLayout::kMrvA, SpecimenLayout::kMrvB};
  for (const Degradation& d : degradations) {
    // One stream per degradation: holders, layouts and geometry of a degradation do not
    // depend on the others (the noise does; see above).
    std::mt19937 rng(seed * 7919u + static_cast<unsigned>(std::hash<std::string>{}(d.name)));
    fs::create_directories(out / d.name / "img");
    fs::create_directories(out / d.name / "expected");
    for (int i = 0; i < count; ++i) {
      const SpecimenLayout layout = mix[static_cast<size_t>(i) % mix.size()];
      const auto holder = smartocr::testing::RandomHolder(layout, rng);
      cv::Mat page = smartocr::testing::RenderSpecimen(layout, holder, rng);
      cv::Mat shot = smartocr::testing::Degrade(page, d, rng);
      char name[32];
      std::snprintf(name, sizeof name, "%04d.jpg", i);
      if (!cv::imwrite((out / d.name / "img" / name).string(), shot,
                       {cv::IMWRITE_JPEG_QUALITY, 95})) {
        std::fprintf(stderr, "cannot write %s\n", (out / d.name / "img" / name).c_str());
        return 1;
      }
      std::ofstream((out / d.name / "expected" / (std::string(name) + ".json")))
          << smartocr::testing::SpecimenLabel(layout, holder, d.name).dump(1) << "\n";
    }
    std::printf("%s: %d specimens\n", d.name.c_str(), count);
  }
  return 0;
}
