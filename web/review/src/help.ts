// The `?` overlay listing the keyboard shortcuts.
import { h } from './dom';

const KEYS: [string, string, string][] = [
  ['Queue', 'j / ↓', 'next document'],
  ['Queue', 'k / ↑', 'previous document'],
  ['Queue', 'Enter', 'open the selected document'],
  ['Document', 'Tab / Shift+Tab', 'next / previous field'],
  ['Document', 'n', 'next low-confidence field'],
  ['Document', 'Esc', 'leave the field input (shortcuts work again)'],
  ['Document', 'a', 'approve (saves edits first), then open the next queued document'],
  ['Document', 'r', 'reject: choose a reason'],
  ['Document', 's', 'save edits'],
  ['Document', '] / [', 'next / previous document'],
  ['Document', 'PageDown / PageUp', 'next / previous page'],
  ['Document', '+ / - / 0', 'zoom in / zoom out / fit width'],
  ['Document', 'b l w f h t', 'toggle blocks, lines, words, fields, heatmap, text layer'],
  ['Document', 'q', 'back to the queue'],
  ['Everywhere', '?', 'this help'],
];

let dialog: HTMLDialogElement | null = null;

function build(): HTMLDialogElement {
  const rows = KEYS.map(([view, key, what]) =>
    h('tr', {}, h('td', {}, view), h('td', {}, h('kbd', {}, key)), h('td', {}, what)),
  );
  const d = h(
    'dialog',
    { id: 'help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
    h(
      'table',
      { class: 'help-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Where'), h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Does'))),
      h('tbody', {}, ...rows),
    ),
    h('p', {}, 'Click a word on the page to put its text into the selected field (Shift+click appends).'),
    h('p', {}, 'Shift+drag on the page to draw a rectangle: the words inside it, in reading order, fill the selected field ',
      '(with no field selected, it selects the field whose box it covers most). A plain drag pans. ',
      'Without a pointer: the text layer (t) lists the recognized text; type or paste the value into the field.'),
    h('form', { method: 'dialog' }, h('button', { type: 'submit', autofocus: true }, 'Close')),
  );
  document.body.append(d);
  return d;
}

export function toggleHelp(): void {
  dialog ??= build();
  if (dialog.open) dialog.close();
  else dialog.showModal();
}
