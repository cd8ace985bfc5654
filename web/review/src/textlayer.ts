// The page's recognized text, line by line, beside the image. Clicking a word fills
// the selected field like a click on the image.
import { h } from './dom';
import { confidenceBand } from './format';
import type { Page, Word } from './types';

export function renderTextLayer(el: HTMLElement, page: Page, onWord: (w: Word, append: boolean) => void): void {
  const blocks = page.blocks.map((block) =>
    h(
      'div',
      { class: 'text-block' },
      ...block.lines.map((line) =>
        h(
          'p',
          { class: 'text-line' },
          ...line.words.flatMap((word, i) => {
            const span = h('span', { class: `text-word conf-${confidenceBand(word.confidence)}`, title: `${Math.round(word.confidence * 100)}%` }, word.text);
            span.addEventListener('click', (e) => onWord(word, e.shiftKey));
            return i ? [' ', span] : [span];
          }),
        ),
      ),
    ),
  );
  el.replaceChildren(
    h('h2', { class: 'pane-title' }, `Text, page ${page.number}`),
    ...(blocks.length ? blocks : [h('p', { class: 'empty' }, 'No text on this page.')]),
  );
}
