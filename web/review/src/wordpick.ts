// What a selection rectangle (normalized page coordinates) picks: the words whose box
// centres fall inside it, in reading order, and the field box it overlaps most.
import type { BBox, FieldModel, Page, Word } from './types';

function holds(r: BBox, x: number, y: number): boolean {
  return x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3];
}

/** Words centred inside `rect`, in the result's order (blocks, then lines, then words). */
export function wordsInRect(page: Page, rect: BBox): Word[] {
  const out: Word[] = [];
  for (const block of page.blocks) {
    for (const line of block.lines) {
      for (const w of line.words) {
        if (holds(rect, (w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2)) out.push(w);
      }
    }
  }
  return out;
}

/** The words' text joined with single spaces (across lines too). */
export function wordsText(words: Word[]): string {
  return words.map((w) => w.text).join(' ');
}

function overlap(a: BBox, b: BBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The field whose box overlaps `rect` most (by area), or null when none does. */
export function fieldOverlapping(fields: FieldModel[], rect: BBox): string | null {
  let best: string | null = null;
  let most = 0;
  for (const f of fields) {
    const a = f.bbox ? overlap(f.bbox, rect) : 0;
    if (a > most) {
      most = a;
      best = f.name;
    }
  }
  return best;
}
