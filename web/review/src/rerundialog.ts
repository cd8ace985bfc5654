// The re-run dialog: read the document again with an engine, all of it or only the page
// on screen (the other pages come from the job's stage cache). POST .../rerun, docs/api.md.
import { h } from './dom';

/** The engines a job may name (document::EngineNames). */
export const ENGINES = ['tesseract', 'ppocr', 'hybrid'] as const;

export interface Rerun {
  engine: string;
  pages?: number[];
}

export function pickRerun(page: number, pageCount: number, engine: string): Promise<Rerun | null> {
  return new Promise((resolve) => {
    const select = h('select', { id: 'rerun-engine', name: 'engine' },
      ...ENGINES.map((name) => h('option', { value: name, selected: name === engine }, name)));
    const scope = (value: string, label: string, checked: boolean) =>
      h('label', { class: 'scope' }, h('input', { type: 'radio', name: 'scope', value, checked }), ` ${label}`);
    // One page of several by default: the usual reason is one badly read page.
    const scopes = [
      scope('page', `Only page ${page} (the others from the cache)`, pageCount > 1),
      scope('document', `The whole document (${pageCount} page${pageCount === 1 ? '' : 's'})`, pageCount <= 1),
    ];
    const form = h(
      'form',
      { method: 'dialog' },
      h('label', { for: 'rerun-engine' }, 'Engine'),
      select,
      h('fieldset', {}, h('legend', {}, 'Read again'), ...scopes),
      h('p', { class: 'hint' }, 'The document leaves review until it is read, then opens again from the new result.'),
      h('div', { class: 'dialog-buttons' },
        h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { type: 'submit', value: 'rerun', class: 'primary' }, 'Re-run'),
      ),
    );
    const dialog = h('dialog', { id: 'rerun-dialog', 'aria-labelledby': 'rerun-title' }, h('h2', { id: 'rerun-title' }, 'Re-run this document'), form);
    dialog.addEventListener('close', () => {
      const chosen = form.querySelector<HTMLInputElement>('input[name=scope]:checked')?.value;
      dialog.remove();
      if (dialog.returnValue !== 'rerun') return resolve(null);
      resolve(chosen === 'page' ? { engine: select.value, pages: [page] } : { engine: select.value });
    });
    document.body.append(dialog);
    dialog.showModal();
    select.focus();
  });
}
