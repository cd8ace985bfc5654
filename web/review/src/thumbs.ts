// Page thumbnails (the page images themselves, scaled down) with prev/next buttons.
import { h } from './dom';

export class Thumbs {
  readonly el: HTMLElement;
  private buttons: HTMLButtonElement[] = [];
  private readonly label: HTMLElement;

  constructor(count: number, private readonly onPick: (n: number) => void) {
    this.label = h('span', { class: 'page-label', 'aria-live': 'polite' });
    const list = h('ol', { class: 'thumb-list' });
    for (let n = 1; n <= count; n++) {
      const b = h('button', { type: 'button', class: 'thumb', 'aria-label': `Page ${n}`, onclick: () => onPick(n) }, h('span', { class: 'thumb-num' }, String(n)));
      this.buttons.push(b);
      list.append(h('li', {}, b));
    }
    this.el = h(
      'nav',
      { class: 'thumbs', 'aria-label': 'Pages' },
      h('div', { class: 'page-nav' },
        h('button', { type: 'button', class: 'page-prev', 'aria-label': 'Previous page', onclick: () => this.step(-1) }, '‹'),
        this.label,
        h('button', { type: 'button', class: 'page-next', 'aria-label': 'Next page', onclick: () => this.step(1) }, '›'),
      ),
      list,
    );
  }

  private current = 1;

  step(delta: number): void {
    const n = this.current + delta;
    if (n >= 1 && n <= this.buttons.length) this.onPick(n);
  }

  setCurrent(n: number): void {
    this.current = n;
    this.label.textContent = `${n} / ${this.buttons.length}`;
    this.buttons.forEach((b, i) => {
      if (i + 1 === n) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    });
  }

  setImage(n: number, src: string): void {
    const b = this.buttons[n - 1];
    if (!b || b.querySelector('img')) return;
    b.prepend(h('img', { src, alt: '', loading: 'lazy' }));
  }
}
