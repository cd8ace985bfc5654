// The field list: an editable value per field with its normalized value, confidence
// (coloured band + number), validator status and why it needs review.
import { h } from './dom';
import { confidenceBand, percent, reasonText } from './format';
import { isLow } from './fields';
import type { FieldModel } from './types';

export interface FieldPanelCallbacks {
  onSelect(name: string): void;
  onEdit(name: string, value: string): void;
}

export class FieldPanel {
  readonly el: HTMLElement;
  private rows = new Map<string, { row: HTMLElement; input: HTMLInputElement }>();

  constructor(private readonly cb: FieldPanelCallbacks) {
    this.el = h('div', { class: 'field-list', role: 'group', 'aria-label': 'Extracted fields' });
  }

  render(fields: FieldModel[], edits: Map<string, string>, editable: boolean, threshold: number | undefined, selected: string | null): void {
    this.rows.clear();
    if (!fields.length) {
      this.el.replaceChildren(h('p', { class: 'empty' }, 'No fields were extracted from this document.'));
      return;
    }
    this.el.replaceChildren(...fields.map((f, i) => this.row(f, i, edits, editable, threshold, selected)));
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
