// Shift+drag on the page image draws a selection rectangle (a plain drag pans: viewer.ts).
// On release it reports the rectangle in normalized image coordinates (0..1).
import { h } from './dom';
import type { BBox } from './types';

const MIN_DRAG = 5; // px; a shorter Shift+drag is a Shift+click (appends a word)

export interface MarqueeHost {
  /** Receives the pointer events. */
  viewport: HTMLElement;
  /** Holds the image; the rectangle is drawn in it, so it scrolls and zooms with the page. */
  stage: HTMLElement;
  img: HTMLImageElement;
  onSelect(rect: BBox): void;
  /** A drag happened: the click that ends it is no click on a word or field box. */
  onDragEnd(): void;
}

export function installMarquee(host: MarqueeHost): void {
  const { viewport, stage, img } = host;
  const box = h('div', { class: 'marquee', 'aria-hidden': 'true' });
  let start: { x: number; y: number; cx: number; cy: number; id: number } | null = null;
  let rect: BBox | null = null;

  const at = (e: PointerEvent): [number, number] => {
    const r = img.getBoundingClientRect();
    const clamp = (v: number) => Math.max(0, Math.min(1, v));
    return [clamp((e.clientX - r.left) / r.width), clamp((e.clientY - r.top) / r.height)];
  };

  // Shift+mousedown would otherwise extend the page's text selection.
  viewport.addEventListener('mousedown', (e) => {
    if (e.button !== 0 || !e.shiftKey) return;
    e.preventDefault();
    viewport.focus({ preventScroll: true });
  });

  viewport.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !e.shiftKey || !img.getBoundingClientRect().width) return;
    const [x, y] = at(e);
    start = { x, y, cx: e.clientX, cy: e.clientY, id: e.pointerId };
    rect = null;
  });

  viewport.addEventListener('pointermove', (e) => {
    if (!start || e.pointerId !== start.id) return;
    if (!rect) {
      if (Math.hypot(e.clientX - start.cx, e.clientY - start.cy) < MIN_DRAG) return;
      viewport.setPointerCapture(e.pointerId);
      viewport.classList.add('selecting');
      stage.append(box);
    }
    const [x, y] = at(e);
    rect = [Math.min(start.x, x), Math.min(start.y, y), Math.max(start.x, x), Math.max(start.y, y)];
    box.style.left = `${rect[0] * 100}%`;
    box.style.top = `${rect[1] * 100}%`;
    box.style.width = `${(rect[2] - rect[0]) * 100}%`;
    box.style.height = `${(rect[3] - rect[1]) * 100}%`;
  });

  const end = (e: PointerEvent, select: boolean) => {
    if (!start || e.pointerId !== start.id) return;
    const done = rect;
    start = null;
    rect = null;
    if (!done) return;
    box.remove();
    viewport.classList.remove('selecting');
    host.onDragEnd();
    if (select) host.onSelect(done);
  };
  viewport.addEventListener('pointerup', (e) => end(e, true));
  viewport.addEventListener('pointercancel', (e) => end(e, false));
}
