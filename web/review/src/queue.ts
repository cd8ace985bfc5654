// The queue: filters, counts per status, a sortable table, keyboard navigation.
import { h } from './dom';
import { age, confidenceBand, humanize, percent, reasonText, splitReason } from './format';
import { setViewKeys } from './keys';
import { clearMessages, showError } from './messages';
import { goDoc } from './router';
import { loadMore, loadQueue, sortItems, state, type SortKey } from './state';
import type { QueueItem } from './types';

const STATUSES = ['to_review', 'in_review', 'approved', 'rejected'] as const;

const COLUMNS: [SortKey, string][] = [
  ['job_id', 'Document'],
  ['doc_type', 'Type'],
  ['status', 'Status'],
  ['min_confidence', 'Lowest confidence'],
  ['completed_at', 'Completed'],
];

export async function renderQueue(root: HTMLElement): Promise<void> {
  const view = h('section', { class: 'queue', 'aria-labelledby': 'queue-title' });
  root.replaceChildren(view);
  const counts = h('div', { class: 'counts', role: 'group', 'aria-label': 'Documents per review status' });
  const table = h('div', { class: 'queue-table-wrap' });
  const more = h('div', { class: 'more' });
  view.append(h('h1', { id: 'queue-title' }, 'Review queue'), filterForm(), counts, table, more);

  const draw = () => {
    drawCounts(counts);
    drawTable(table);
    more.replaceChildren();
    if (state.nextCursor) {
      more.append(
        h('button', { type: 'button', onclick: async () => {
          try { await loadMore(); draw(); } catch (e) { showError(e, 'Loading more'); }
        } }, 'Load more'),
      );
    }
  };

  const reload = async () => {
    try {
      await loadQueue();
      state.selectedIndex = Math.min(state.selectedIndex, Math.max(0, state.items.length - 1));
      draw();
    } catch (e) {
      showError(e, 'Loading the queue');
    }
  };
  view.addEventListener('queue-reload', () => { clearMessages(); void reload(); });

  setViewKeys((e) => {
    if (e.key === 'j' || e.key === 'ArrowDown') return move(table, 1);
    if (e.key === 'k' || e.key === 'ArrowUp') return move(table, -1);
    if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLInputElement)) {
      const item = state.items[state.selectedIndex];
      if (item) goDoc(item.job_id);
      return !!item;
    }
    return false;
  });
  await reload();
}

function filterForm(): HTMLFormElement {
  const f = state.filters;
  const status = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'Open (to review + in review)'),
    ...STATUSES.map((s) => h('option', { value: s }, humanize(s))),
  );
  status.value = f.status;
  const docType = h('input', { id: 'filter-doc-type', name: 'doc_type', value: f.doc_type, placeholder: 'any', size: 12 });
  const minC = h('input', { id: 'filter-min', name: 'min_confidence', type: 'number', min: 0, max: 1, step: 'any', value: f.min_confidence });
  const maxC = h('input', { id: 'filter-max', name: 'max_confidence', type: 'number', min: 0, max: 1, step: 'any', value: f.max_confidence });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Queue filters' },
    field('filter-status', 'Status', status),
    field('filter-doc-type', 'Document type', docType),
    field('filter-min', 'Min. confidence', minC),
    field('filter-max', 'Max. confidence', maxC),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('button', { type: 'button', onclick: () => { form.reset(); status.value = ''; apply(); } }, 'Clear'),
  );
  const apply = () => {
    state.filters = { status: status.value, doc_type: docType.value, min_confidence: minC.value, max_confidence: maxC.value };
    state.selectedIndex = 0;
    form.closest('section')?.dispatchEvent(new Event('queue-reload'));
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  status.addEventListener('change', apply);
  return form;
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'filter' }, h('label', { for: id }, label), control);
}

function drawCounts(el: HTMLElement): void {
  el.replaceChildren(
    ...STATUSES.map((s) =>
      h(
        'button',
        {
          type: 'button',
          class: `count status-${s}${state.filters.status === s ? ' active' : ''}`,
          'data-status': s,
          'aria-pressed': String(state.filters.status === s),
          onclick: () => {
            const select = document.getElementById('filter-status') as HTMLSelectElement;
            select.value = state.filters.status === s ? '' : s;
            select.dispatchEvent(new Event('change'));
          },
        },
        `${humanize(s)}: `,
        h('strong', {}, String(state.counts[s] ?? 0)),
      ),
    ),
  );
}

function drawTable(wrap: HTMLElement): void {
  if (!state.items.length) {
    wrap.replaceChildren(h('p', { class: 'empty', role: 'status' }, 'No documents match these filters.'));
    return;
  }
  const head = h(
    'tr',
    {},
    ...COLUMNS.map(([key, label]) => {
      const sorted = state.sort.key === key;
      return h(
        'th',
        { scope: 'col', 'aria-sort': sorted ? (state.sort.ascending ? 'ascending' : 'descending') : 'none' },
        h('button', {
          type: 'button',
          class: 'sort',
          onclick: () => {
            state.sort = { key, ascending: sorted ? !state.sort.ascending : true };
            state.items = sortItems(state.items);
            drawTable(wrap);
          },
        }, label, sorted ? (state.sort.ascending ? ' ▲' : ' ▼') : ''),
      );
    }),
    h('th', { scope: 'col' }, 'Why'),
    h('th', { scope: 'col' }, 'Claimed by'),
  );
  const rows = state.items.map((item, i) => row(item, i));
  wrap.replaceChildren(
    h('table', { class: 'queue-table', 'aria-label': 'Documents to review' }, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
  select(wrap, state.selectedIndex, false);
}

function row(item: QueueItem, i: number): HTMLTableRowElement {
  const band = confidenceBand(item.min_confidence);
  const tr = h(
    'tr',
    { 'data-job-id': item.job_id, 'data-index': i, 'aria-selected': 'false', onclick: (e: MouseEvent) => {
      if (!(e.target instanceof HTMLButtonElement)) select(tr.closest('div')!, i, true);
    } },
    h('td', { 'data-label': 'Document' }, h('button', {
      type: 'button',
      class: 'open-doc',
      'aria-label': `Open document ${item.job_id}`,
      onfocus: () => select(tr.closest('div')!, i, false),
      onclick: () => goDoc(item.job_id),
    }, item.job_id)),
    h('td', { 'data-label': 'Type' }, item.doc_type),
    h('td', { 'data-label': 'Status' }, h('span', { class: `badge status-${item.status}` }, humanize(item.status))),
    h('td', { 'data-label': 'Lowest confidence' }, h('span', { class: `conf conf-${band}` }, percent(item.min_confidence))),
    h('td', { 'data-label': 'Completed', title: new Date(item.completed_at).toLocaleString() }, age(item.completed_at)),
    h('td', { class: 'reasons', 'data-label': 'Why' }, reasonSummary(item.reasons)),
    h('td', { 'data-label': 'Claimed by' }, item.claimed_by && item.claim_expires_at > Date.now() ? item.claimed_by : ''),
  );
  return tr;
}

function select(wrap: Element, index: number, focus: boolean): void {
  const rows = wrap.querySelectorAll<HTMLTableRowElement>('tbody tr');
  if (!rows.length) return;
  state.selectedIndex = Math.max(0, Math.min(rows.length - 1, index));
  rows.forEach((r, i) => {
    r.classList.toggle('selected', i === state.selectedIndex);
    r.setAttribute('aria-selected', String(i === state.selectedIndex));
  });
  const current = rows[state.selectedIndex];
  if (focus) current.querySelector<HTMLButtonElement>('button.open-doc')?.focus();
  current.scrollIntoView({ block: 'nearest' });
}

function move(wrap: HTMLElement, delta: number): boolean {
  if (!state.items.length) return false;
  select(wrap, state.selectedIndex + delta, true);
  return true;
}

/** "low_confidence:total", "low_confidence:date" -> "confidence below ...: total, date". */
function reasonSummary(reasons: string[]): string {
  const byKind = new Map<string, string[]>();
  for (const r of reasons) {
    const [kind, field] = splitReason(r);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ...(field ? [field] : [])]);
  }
  return [...byKind].map(([kind, fields]) => (fields.length ? `${reasonText(kind)}: ${fields.join(', ')}` : reasonText(kind))).join('; ');
}
