// The field list: an editable value per field with its normalized value, confidence
// (coloured band + number), validator status and why it needs review; then the line
// items as a grid of cells (one input per cell, rows added and cleared here).
import { h } from './dom';
import { confidenceBand, percent, reasonText } from './format';
import { isLow } from './fields';
import { ITEM_COLUMNS, ITEM_COLUMN_LABELS, cellName, gridRows, isCell } from './lineitems';
import type { FieldModel } from './types';

export interface FieldPanelCallbacks {
  onSelect(name: string): void;
  onEdit(name: string, value: string): void;
  /** Adds an empty item row; returns the name of its first cell. */
  onAddRow(): string;
}

export class FieldPanel {
  readonly el: HTMLElement;
  private rows = new Map<string, { row: HTMLElement; input: HTMLInputElement }>();

  constructor(private readonly cb: FieldPanelCallbacks) {
    this.el = h('div', { class: 'field-list', role: 'group', 'aria-label': 'Extracted fields' });
  }

  render(fields: FieldModel[], edits: Map<string, string>, editable: boolean, threshold: number | undefined, selected: string | null): void {
    this.rows.clear();
    const plain = fields.filter((f) => !isCell(f.name));
    const list: HTMLElement[] = plain.length
      ? plain.map((f, i) => this.row(f, i, edits, editable, threshold, selected))
      : [h('p', { class: 'empty' }, 'No fields were extracted from this document.')];
    this.el.replaceChildren(...list, this.itemGrid(fields, edits, editable, selected));
  }

  /** The line items: a row per item, a cell input per column, Add row / Clear row. */
  private itemGrid(fields: FieldModel[], edits: Map<string, string>, editable: boolean, selected: string | null): HTMLElement {
    const rows = gridRows(fields);
    const body = [...rows.entries()].map(([row, cells]) => {
      const inputs: HTMLInputElement[] = [];
      const tds = ITEM_COLUMNS.map((column) => {
        const name = cellName(row, column);
        const f = cells.get(column);
        const value = f?.value ?? '';
        const input = h('input', {
          class: 'cell-input',
          type: 'text',
          'data-field': name,
          'aria-label': `${ITEM_COLUMN_LABELS[column]}, item ${row}`,
          readonly: !editable,
          spellcheck: 'false',
          autocomplete: 'off',
        });
        input.value = edits.get(name) ?? value;
        inputs.push(input);
        const status = f?.validator_status ?? 'unchecked';
        const td = h('td', {
          class: `cell validator-${status}${edits.has(name) ? ' edited' : ''}${name === selected ? ' selected' : ''}`,
          'data-field': name,
          title: f && f.normalized !== f.value ? `Normalized: ${f.normalized || '—'}; validator: ${status}` : `Validator: ${status}`,
        }, input);
        input.addEventListener('focus', () => this.cb.onSelect(name));
        input.addEventListener('input', () => {
          this.cb.onEdit(name, input.value);
          td.classList.toggle('edited', input.value !== value);
        });
        this.rows.set(name, { row: td, input });
        return td;
      });
      const clear = editable
        ? h('td', {}, h('button', {
            type: 'button',
            class: 'clear-row',
            'aria-label': `Clear item ${row} (an item with no cells is removed when saved)`,
            onclick: () => {
              for (const input of inputs) {
                input.value = '';
                input.dispatchEvent(new Event('input'));
              }
            },
          }, '×'))
        : null;
      return h('tr', { 'data-row': row }, h('th', { scope: 'row' }, String(row)), ...tds, clear);
    });
    const add = editable
      ? h('button', {
          type: 'button',
          class: 'add-item',
          onclick: () => {
            const first = this.cb.onAddRow();
            this.select(first, true);
          },
        }, 'Add item row')
      : null;
    return h('section', { class: 'items', 'aria-label': 'Line items' },
      h('h3', {}, 'Line items'),
      rows.size
        ? h('table', { class: 'item-grid' },
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col' }, '#'),
              ...ITEM_COLUMNS.map((c) => h('th', { scope: 'col' }, ITEM_COLUMN_LABELS[c])),
              editable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Clear')) : null)),
            h('tbody', {}, ...body))
        : h('p', { class: 'empty' }, 'No line items.'),
      add);
  }

  private row(f: FieldModel, i: number, edits: Map<string, string>, editable: boolean, threshold: number | undefined, selected: string | null): HTMLElement {
    const id = `field-${i}`;
    const band = confidenceBand(f.confidence);
    const low = isLow(f, threshold);
    const input = h('input', {
      id,
      class: 'field-input',
      type: 'text',
      'data-field': f.name,
      'aria-describedby': `${id}-meta`,
      readonly: !editable,
      spellcheck: 'false',
      autocomplete: 'off',
    });
    input.value = edits.get(f.name) ?? f.value;
    input.addEventListener('focus', () => this.cb.onSelect(f.name));
    input.addEventListener('input', () => {
      this.cb.onEdit(f.name, input.value);
      row.classList.toggle('edited', input.value !== f.value);
    });
    const why = f.reasons.length
      ? f.reasons.map(reasonText).join('; ')
      : f.needs_review
        ? `needs review${f.validator_detail ? `: ${f.validator_detail}` : ''}`
        : '';
    const row = h(
      'div',
      {
        class: `field-row${low ? ' low' : ''}${edits.has(f.name) ? ' edited' : ''}${f.name === selected ? ' selected' : ''}`,
        'data-field': f.name,
        onclick: (e: MouseEvent) => {
          if (e.target !== input) input.focus();
        },
      },
      h('label', { for: id, class: 'field-name' }, f.name, f.source === 'review' ? h('span', { class: 'tag' }, ' reviewed') : null),
      input,
      h(
        'div',
        { id: `${id}-meta`, class: 'field-meta' },
        h('span', { class: `conf conf-${band}`, 'data-confidence': f.confidence }, `Confidence ${percent(f.confidence)}`),
        h('span', { class: `validator validator-${f.validator_status}` }, `Validator: ${f.validator_status || 'none'}`, f.validator_detail ? ` (${f.validator_detail})` : ''),
        f.normalized !== f.value ? h('span', { class: 'normalized' }, `Normalized: ${f.normalized || '—'}`) : null,
        why ? h('span', { class: 'why' }, `Needs review: ${why}`) : null,
        f.page ? h('span', { class: 'page-ref' }, `Page ${f.page}`) : null,
      ),
    );
    this.rows.set(f.name, { row, input });
    return row;
  }

  select(name: string | null, focus: boolean): void {
    for (const [n, { row }] of this.rows) row.classList.toggle('selected', n === name);
    if (!name) return;
    const r = this.rows.get(name);
    if (!r) return;
    r.row.scrollIntoView({ block: 'nearest' });
    if (focus && document.activeElement !== r.input) {
      r.input.focus();
      r.input.select();
    }
  }

  value(name: string): string {
    return this.rows.get(name)?.input.value ?? '';
  }

  /** Puts `value` into a field as if typed. */
  setValue(name: string, value: string): void {
    const r = this.rows.get(name);
    if (!r) return;
    r.input.value = value;
    r.input.dispatchEvent(new Event('input'));
  }

  inputs(): HTMLInputElement[] {
    return [...this.rows.values()].map((r) => r.input);
  }
}
