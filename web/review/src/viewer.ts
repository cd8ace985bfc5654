// The page image with its overlays (blocks, lines, words, fields, confidence heatmap)
// as absolutely placed boxes: pixel = normalized bbox x displayed image size. Zoom
// (buttons, +/-/0, Ctrl+wheel), pan (drag, or the scroll bars) and Shift+drag to select
// the words in a rectangle (marquee.ts).
import { h } from './dom';
import { heatColor } from './format';
import { installMarquee } from './marquee';
import type { BBox, FieldModel, Page, Word } from './types';
import { fieldOverlapping, wordsInRect } from './wordpick';

export interface Toggles {
  blocks: boolean;
  lines: boolean;
  words: boolean;
  fields: boolean;
  heatmap: boolean;
}

export interface ViewerCallbacks {
  onWordClick(word: Word, append: boolean): void;
  onFieldBoxClick(name: string): void;
  /** A Shift+drag rectangle, in normalized page coordinates. */
  onAreaSelect(rect: BBox): void;
  onZoom(scale: number): void;
}

interface Placed {
  el: HTMLElement;
  bbox: BBox;
  pad: number;
}

const FIELD_PAD = 3; // field boxes stand a little outside their words, so their rim is clickable

export class PageViewer {
  readonly el: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly overlay: HTMLElement;
  private placed: Placed[] = [];
  private fieldPlaced: Placed[] = [];
  private scale = 1;
  private fit = true;
  private page: Page | null = null;
  private pageFields: FieldModel[] = [];
  private selected: string | null = null;
  private suppressClick = false;

  constructor(private readonly cb: ViewerCallbacks) {
    this.img = h('img', { class: 'page-image', alt: '', draggable: 'false' });
    this.overlay = h('div', { class: 'overlay', 'aria-hidden': 'true' });
    this.stage = h('div', { class: 'stage' }, this.img, this.overlay);
    this.el = h('div', {
      class: 'viewport',
      tabindex: 0,
      role: 'region',
      'aria-label': 'Page image: drag to pan, Shift+drag to select words, Ctrl+wheel to zoom',
    }, this.stage);
    new ResizeObserver(() => {
      if (this.fit) this.fitWidth();
      else this.layout();
    }).observe(this.el);
    new ResizeObserver(() => this.layout()).observe(this.img);
    this.installPan();
    installMarquee({
      viewport: this.el,
      stage: this.stage,
      img: this.img,
      onSelect: (rect) => this.cb.onAreaSelect(rect),
      onDragEnd: () => this.swallowClick(),
    });
    this.el.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.zoomTo(this.scale * (e.deltaY < 0 ? 1.15 : 1 / 1.15), e.clientX, e.clientY);
    }, { passive: false });
  }

  /** Shows `page` from the image at `src`; resolves once the image is laid out. */
  async show(page: Page, src: string, fields: FieldModel[]): Promise<void> {
    this.page = page;
    this.img.alt = `Page ${page.number}`;
    if (this.img.getAttribute('src') !== src) {
      const loaded = new Promise<void>((resolve, reject) => {
        this.img.onload = () => resolve();
        this.img.onerror = () => reject(new Error(`page ${page.number} image did not load`));
      });
      this.img.src = src;
      await loaded;
    }
    this.build(fields);
    if (this.fit) this.fitWidth();
    else this.applyScale();
    this.el.dataset.page = String(page.number);
  }

  setFields(fields: FieldModel[]): void {
    if (this.page) this.build(fields);
  }

  setToggles(t: Toggles): void {
    for (const [k, v] of Object.entries(t)) this.overlay.classList.toggle(`show-${k}`, v);
  }

  select(name: string | null): void {
    this.selected = name;
    let target: Placed | undefined;
    for (const p of this.fieldPlaced) {
      const on = p.el.dataset.field === name;
      p.el.classList.toggle('selected', on);
      if (on) target = p;
    }
    if (target) this.reveal(target.el);
  }

  zoomBy(factor: number): void {
    const r = this.el.getBoundingClientRect();
    this.zoomTo(this.scale * factor, r.left + r.width / 2, r.top + r.height / 2);
  }

  fitWidth(): void {
    const natural = this.img.naturalWidth;
    if (!natural) return;
    this.fit = true;
    const avail = Math.max(50, this.el.clientWidth - 2);
    this.scale = avail / natural;
    this.applyScale();
  }

  get zoom(): number {
    return this.scale;
  }

  private zoomTo(next: number, clientX: number, clientY: number): void {
    const scale = Math.max(0.05, Math.min(8, next));
    const r = this.el.getBoundingClientRect();
    const ox = clientX - r.left;
    const oy = clientY - r.top;
    const ratio = scale / this.scale;
    const x = (this.el.scrollLeft + ox) * ratio - ox;
    const y = (this.el.scrollTop + oy) * ratio - oy;
    this.fit = false;
    this.scale = scale;
    this.applyScale();
    this.el.scrollLeft = x;
    this.el.scrollTop = y;
  }

  private applyScale(): void {
    const natural = this.img.naturalWidth;
    if (natural) this.stage.style.width = `${natural * this.scale}px`;
    this.layout();
    this.cb.onZoom(this.scale);
  }

  /** Places every box from its normalized bbox and the image's displayed size. */
  layout(): void {
    const w = this.img.getBoundingClientRect().width;
    const hgt = this.img.getBoundingClientRect().height;
    if (!w || !hgt) return;
    for (const p of [...this.placed, ...this.fieldPlaced]) {
      const [x0, y0, x1, y1] = p.bbox;
      p.el.style.left = `${x0 * w - p.pad}px`;
      p.el.style.top = `${y0 * hgt - p.pad}px`;
      p.el.style.width = `${(x1 - x0) * w + 2 * p.pad}px`;
      p.el.style.height = `${(y1 - y0) * hgt + 2 * p.pad}px`;
    }
  }

  private build(fields: FieldModel[]): void {
    const page = this.page!;
    this.placed = [];
    this.fieldPlaced = [];
    const nodes: HTMLElement[] = [];
    page.blocks.forEach((block, b) => {
      nodes.push(this.place(h('div', { class: 'box box-block', 'data-kind': 'block', 'data-path': `${b}` }), block.bbox));
      block.lines.forEach((line, l) => {
        nodes.push(this.place(h('div', { class: 'box box-line', 'data-kind': 'line', 'data-path': `${b}-${l}` }), line.bbox));
        line.words.forEach((word, wi) => {
          const el = h('div', {
            class: 'box box-word',
            'data-kind': 'word',
            'data-path': `${b}-${l}-${wi}`,
            'data-text': word.text,
            'data-confidence': word.confidence,
            title: `${word.text} (${Math.round(word.confidence * 100)}%)`,
          });
          el.style.setProperty('--heat', heatColor(word.confidence));
          el.addEventListener('click', (e) => {
            if (this.consumeSuppressedClick()) return;
            e.stopPropagation();
            this.cb.onWordClick(word, e.shiftKey);
          });
          nodes.push(this.place(el, word.bbox));
        });
      });
    });
    this.pageFields = fields.filter((f) => f.page === page.number && f.bbox && f.bbox[2] > f.bbox[0]);
    for (const f of this.pageFields) {
      const el = h('div', {
        class: `box box-field${f.needs_review ? ' needs-review' : ''}${f.name === this.selected ? ' selected' : ''}`,
        'data-kind': 'field',
        'data-field': f.name,
        title: f.name,
      }, h('span', { class: 'box-tag' }, f.name));
      el.addEventListener('click', (e) => {
        if (this.consumeSuppressedClick()) return;
        e.stopPropagation();
        this.cb.onFieldBoxClick(f.name);
      });
      const placed = { el, bbox: f.bbox!, pad: FIELD_PAD };
      this.fieldPlaced.push(placed);
      nodes.push(el);
    }
    this.overlay.replaceChildren(...nodes);
    this.layout();
  }

  private place(el: HTMLElement, bbox: BBox): HTMLElement {
    this.placed.push({ el, bbox, pad: 0 });
    return el;
  }

  /** The field (on this page) whose box holds the word, for a click with no field selected. */
  fieldAt(word: Word): string | null {
    const [cx, cy] = [(word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2];
    const f = this.pageFields.find((x) => x.bbox && cx >= x.bbox[0] && cx <= x.bbox[2] && cy >= x.bbox[1] && cy <= x.bbox[3]);
    return f?.name ?? null;
  }

  /** The words (on this page) centred inside `rect`, in reading order. */
  wordsIn(rect: BBox): Word[] {
    return this.page ? wordsInRect(this.page, rect) : [];
  }

  /** The field (on this page) whose box `rect` overlaps most, for a Shift+drag with no field selected. */
  fieldOverlapping(rect: BBox): string | null {
    return fieldOverlapping(this.pageFields, rect);
  }

  private reveal(el: HTMLElement): void {
    const v = this.el.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    if (b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom) return;
    this.el.scrollLeft += b.left - v.left - (v.width - b.width) / 2;
    this.el.scrollTop += b.top - v.top - (v.height - b.height) / 2;
  }

  private consumeSuppressedClick(): boolean {
    const s = this.suppressClick;
    this.suppressClick = false;
    return s;
  }

  /** The click that ends a drag is not a click on a word or field box. */
  private swallowClick(): void {
    this.suppressClick = true;
    setTimeout(() => (this.suppressClick = false), 0);
  }

  private installPan(): void {
    let start: { x: number; y: number; left: number; top: number; id: number } | null = null;
    let panning = false;
    this.el.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.shiftKey) return; // Shift+drag selects (marquee.ts)
      start = { x: e.clientX, y: e.clientY, left: this.el.scrollLeft, top: this.el.scrollTop, id: e.pointerId };
      panning = false;
      this.suppressClick = false;
    });
    this.el.addEventListener('pointermove', (e) => {
      if (!start || e.pointerId !== start.id) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      if (!panning && Math.hypot(dx, dy) < 5) return;
      if (!panning) {
        panning = true;
        this.el.setPointerCapture(e.pointerId);
        this.el.classList.add('panning');
      }
      this.el.scrollLeft = start.left - dx;
      this.el.scrollTop = start.top - dy;
    });
    const end = () => {
      if (panning) this.swallowClick();
      start = null;
      panning = false;
      this.el.classList.remove('panning');
    };
    this.el.addEventListener('pointerup', end);
    this.el.addEventListener('pointercancel', end);
  }
}
