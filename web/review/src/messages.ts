// The message area under the header: API errors (code + message) and notices.
import { ApiError } from './api';
import { h } from './dom';

function region(): HTMLElement {
  return document.getElementById('messages')!;
}

/** Removes the messages, except those flashed just before a navigation (kept once). */
export function clearMessages(keepFlash = false): void {
  for (const m of [...region().children] as HTMLElement[]) {
    if (keepFlash && m.dataset.flash === '1') m.dataset.flash = '0';
    else m.remove();
  }
}

function add(kind: 'error' | 'notice' | 'warning', content: Node[], code = ''): HTMLElement {
  const msg = h(
    'div',
    { class: `message ${kind}`, role: kind === 'notice' ? 'status' : 'alert', 'data-code': code || null },
    ...content,
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss message', onclick: () => msg.remove() }, '×'),
  );
  region().append(msg);
  return msg;
}

/** Shows an error; an ApiError with its HTTP status, code, message and request id. */
export function showError(e: unknown, context = ''): void {
  const prefix = context ? `${context}: ` : '';
  if (e instanceof ApiError) {
    const detail = [e.status ? `HTTP ${e.status}` : '', e.requestId ? `request ${e.requestId}` : '']
      .filter(Boolean)
      .join(', ');
    add(
      'error',
      [
        document.createTextNode(prefix),
        h('code', { class: 'error-code' }, e.code),
        document.createTextNode(` ${e.message}`),
        detail ? h('span', { class: 'error-detail' }, ` (${detail})`) : document.createTextNode(''),
      ],
      e.code,
    );
  } else {
    add('error', [document.createTextNode(prefix + String(e instanceof Error ? e.message : e))]);
  }
}

/** A notice; `flash` keeps it across the next route change (approve, then advance). */
export function showNotice(text: string, flash = false): void {
  const m = add('notice', [document.createTextNode(text)]);
  if (flash) m.dataset.flash = '1';
}

export function showWarning(text: string, code = ''): void {
  add('warning', [document.createTextNode(text)], code);
}
