// The reject dialog: a reason code from the tenant's list (digits pick one) and a comment.
import { h } from './dom';
import { humanize } from './format';

export interface Rejection {
  reason_code: string;
  comment: string;
}

export function pickRejection(reasons: string[], comment: string): Promise<Rejection | null> {
  return new Promise((resolve) => {
    const radios = reasons.map((code, i) =>
      h('label', { class: 'reason' },
        h('input', { type: 'radio', name: 'reason_code', value: code, required: true }),
        ` ${humanize(code)} `,
        h('kbd', {}, String(i + 1)),
        h('code', { class: 'reason-code' }, code),
      ),
    );
    const text = h('textarea', { id: 'reject-comment', name: 'comment', rows: 3 });
    text.value = comment;
    const form = h(
      'form',
      { method: 'dialog' },
      h('fieldset', {}, h('legend', {}, 'Reason'), ...radios),
      h('label', { for: 'reject-comment' }, 'Comment (optional)'),
      text,
      h('div', { class: 'dialog-buttons' },
        h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { type: 'submit', value: 'reject', class: 'danger' }, 'Reject document'),
      ),
    );
    const dialog = h('dialog', { id: 'reject-dialog', 'aria-labelledby': 'reject-title' }, h('h2', { id: 'reject-title' }, 'Reject this document'), form);
    dialog.addEventListener('keydown', (e) => {
      const n = Number(e.key);
      if (e.target !== text && n >= 1 && n <= radios.length) {
        const input = radios[n - 1].querySelector('input')!;
        input.checked = true;
        input.focus();
        e.preventDefault();
      }
    });
    dialog.addEventListener('close', () => {
      const chosen = form.querySelector<HTMLInputElement>('input[name=reason_code]:checked');
      dialog.remove();
      resolve(dialog.returnValue === 'reject' && chosen ? { reason_code: chosen.value, comment: text.value.trim() } : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    radios[0]?.querySelector('input')?.focus();
  });
}
