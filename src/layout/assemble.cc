// Assemble: recognized lines plus detected regions into typed blocks in reading
// order.
//
//   1. Words inside a ruled table become that table (a line crossing the table's
//      border is cut there); lines inside a figure become the figure's text.
//   2. The other lines are cut at wide gaps into pieces, so that a line spanning a
//      column gutter comes apart at the gutter.
//   3. Pieces and the table / figure blocks are put in reading order by XY-cut,
//      which also merges pieces on one row back into a line where no gutter divides
//      them (internal::OrderItems).
//   4. Runs of consecutive lines with aligned columns become borderless tables; the
//      rest are grouped into paragraphs.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "layout/layout.h"
#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout {

namespace {

using internal::Item;

// A block that reading order places whole: a ruled table or a figure.
struct Atomic {
  core::Block block;
  std::optional<core::Table> table;
};

// Drops words with unusable boxes or no text (a recognizer's reading of a rule)
// and lines left without words; recomputes line
// boxes from the words so that every later step sees consistent geometry.
std::vector<core::Line> CleanLines(std::vector<core::Line> lines) {
  std::vector<core::Line> out;
  out.reserve(lines.size());
  for (core::Line& line : lines) {
    std::vector<core::Word> words;
    for (core::Word& w : line.words) {
      if (!internal::IsFinite(w.box) || internal::IsBlank(w.text)) continue;
      if (w.box.x1 < w.box.x0) std::swap(w.box.x0, w.box.x1);
      if (w.box.y1 < w.box.y0) std::swap(w.box.y0, w.box.y1);
      words.push_back(std::move(w));
    }
    if (words.empty()) continue;
    line.box = internal::BoxOfWords(words);
    line.words = std::move(words);
    if (!std::isfinite(line.confidence)) line.confidence = 0;
    out.push_back(std::move(line));
  }
  return out;
}

bool Contains(const core::BBox& box, double x, double y) {
  return x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1;
}

bool UsableGrid(const RuledTable& t, int width, int height) {
  if (t.row_edges.size() < 2 || t.column_edges.size() < 2 || !internal::IsFinite(t.box) ||
      t.box.empty()) {
    return false;
  }
  return width <= 0 || height <= 0 || (t.box.x0 < width && t.box.y0 < height);
}

void SortTopDown(std::vector<core::Line>& lines) {
  std::stable_sort(lines.begin(), lines.end(), [](const core::Line& a, const core::Line& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
}

// Moves words whose centre lies in a ruled table out of `lines` into table blocks.
void TakeRuledTables(const Regions& regions, int width, int height, std::vector<core::Line>& lines,
                     std::vector<Atomic>& atomics) {
  std::vector<const RuledTable*> grids;
  for (const RuledTable& t : regions.tables) {
    if (UsableGrid(t, width, height)) grids.push_back(&t);
  }
  if (grids.empty()) return;
  std::vector<std::vector<core::Line>> inside(grids.size());
  std::vector<core::Line> rest;
  for (core::Line& line : lines) {
    std::vector<std::vector<core::Word>> taken(grids.size());
    std::vector<core::Word> kept;
    for (core::Word& w : line.words) {
      std::size_t g = 0;
      while (g < grids.size() && !Contains(grids[g]->box, w.box.cx(), w.box.cy())) ++g;
      (g < grids.size() ? taken[g] : kept).push_back(std::move(w));
    }
    for (std::size_t g = 0; g < grids.size(); ++g) {
      if (taken[g].empty()) continue;
      core::Line piece = internal::MakeLine(std::move(taken[g]));
      piece.confidence = line.confidence;
      inside[g].push_back(std::move(piece));
    }
    if (kept.empty()) continue;
    core::Line piece = internal::MakeLine(std::move(kept));
    piece.confidence = line.confidence;
    rest.push_back(std::move(piece));
  }
  lines = std::move(rest);
  for (std::size_t g = 0; g < grids.size(); ++g) {
    SortTopDown(inside[g]);
    std::vector<core::Word> words;
    for (const core::Line& l : inside[g]) words.insert(words.end(), l.words.begin(), l.words.end());
    Atomic a;
    a.table = internal::TableFromGrid(*grids[g], words);
    a.block.type = core::BlockType::kTable;
    a.block.box = grids[g]->box;
    a.block.confidence = internal::MeanLineConfidence(inside[g]);
    a.block.lines = std::move(inside[g]);
    atomics.push_back(std::move(a));
  }
}

// Moves lines centred in a figure into that figure's block.
void TakeFigures(const Regions& regions, std::vector<core::Line>& lines,
                 std::vector<Atomic>& atomics) {
  std::vector<core::BBox> figures;
  for (const core::BBox& f : regions.figures) {
    if (internal::IsFinite(f) && !f.empty()) figures.push_back(f);
  }
  if (figures.empty()) return;
  std::vector<std::vector<core::Line>> inside(figures.size());
  std::vector<core::Line> rest;
  for (core::Line& line : lines) {
    std::size_t f = 0;
    while (f < figures.size() && !Contains(figures[f], line.box.cx(), line.box.cy())) ++f;
    (f < figures.size() ? inside[f] : rest).push_back(std::move(line));
  }
  lines = std::move(rest);
  for (std::size_t f = 0; f < figures.size(); ++f) {
    SortTopDown(inside[f]);
    Atomic a;
    a.block.type = core::BlockType::kFigure;
    a.block.box = figures[f];
    for (const core::Line& l : inside[f]) a.block.box = a.block.box.Union(l.box);
    a.block.confidence = internal::MeanLineConfidence(inside[f]);
    a.block.lines = std::move(inside[f]);
    atomics.push_back(std::move(a));
  }
}

core::Block TextBlock(std::vector<core::Line> lines, core::BlockType type) {
  core::Block block;
  block.type = type;
  for (const core::Line& l : lines) block.box = block.box.Union(l.box);
  block.confidence = internal::MeanLineConfidence(lines);
  block.lines = std::move(lines);
  return block;
}

// Turns a run of consecutive text lines into table and paragraph blocks.
void EmitTextRun(std::vector<core::Line>& run, PageLayout& page) {
  std::vector<internal::FoundTable> tables = internal::FindBorderlessTables(run);
  auto paragraphs = [&](std::size_t begin, std::size_t end) {
    if (begin >= end) return;
    std::vector<core::Line> part(
        std::make_move_iterator(run.begin() + static_cast<std::ptrdiff_t>(begin)),
        std::make_move_iterator(run.begin() + static_cast<std::ptrdiff_t>(end)));
    for (auto [b, e] : internal::GroupParagraphs(part)) {
      std::vector<core::Line> lines(
          std::make_move_iterator(part.begin() + static_cast<std::ptrdiff_t>(b)),
          std::make_move_iterator(part.begin() + static_cast<std::ptrdiff_t>(e)));
      page.blocks.push_back(TextBlock(std::move(lines), core::BlockType::kText));
    }
  };
  std::size_t next = 0;
  for (internal::FoundTable& t : tables) {
    paragraphs(next, t.begin);
    std::vector<core::Line> lines(
        std::make_move_iterator(run.begin() + static_cast<std::ptrdiff_t>(t.begin)),
        std::make_move_iterator(run.begin() + static_cast<std::ptrdiff_t>(t.end)));
    page.blocks.push_back(TextBlock(std::move(lines), core::BlockType::kTable));
    page.blocks.back().box = t.table.box;
    page.tables.push_back(std::move(t.table));
    next = t.end;
  }
  paragraphs(next, run.size());
  run.clear();
}

}  // namespace

PageLayout Assemble(std::vector<core::Line> lines, const Regions& regions, int width, int height) {
  PageLayout page;
  lines = CleanLines(std::move(lines));
  std::vector<Atomic> atomics;
  TakeRuledTables(regions, width, height, lines, atomics);
  TakeFigures(regions, lines, atomics);

  double line_height = internal::TypicalLineHeight(lines);
  std::vector<Item> items;
  for (const core::Line& line : lines) {
    for (core::Line& piece : internal::SplitAtGaps(line, config::kCellGapFactor)) {
      Item item;
      item.box = piece.box;
      item.line = std::move(piece);
      items.push_back(std::move(item));
    }
  }
  for (std::size_t a = 0; a < atomics.size(); ++a) {
    Item item;
    item.box = atomics[a].block.box;
    item.atomic = static_cast<int>(a);
    items.push_back(std::move(item));
  }

  std::vector<core::Line> run;
  for (Item& item : internal::OrderItems(items, line_height)) {
    if (item.atomic < 0) {
      run.push_back(std::move(item.line));
      continue;
    }
    EmitTextRun(run, page);
    Atomic& a = atomics[static_cast<std::size_t>(item.atomic)];
    page.blocks.push_back(std::move(a.block));
    if (a.table) page.tables.push_back(std::move(*a.table));
  }
  EmitTextRun(run, page);
  for (std::size_t i = 0; i < page.blocks.size(); ++i) {
    page.blocks[i].reading_order = static_cast<int>(i);
  }
  return page;
}

}  // namespace smartocr::layout
