// Line-item cells: the API keeps each cell as a field named line_items[ROW].COLUMN
// (render/line_item_cells.h); the panel shows them as a grid, one row per item.
import type { FieldModel, Result } from './types';

export const ITEM_COLUMNS = ['description', 'quantity', 'unit_price', 'amount'] as const;
export const ITEM_COLUMN_LABELS: Record<string, string> = {
  description: 'Description',
  quantity: 'Qty',
  unit_price: 'Unit price',
  amount: 'Amount',
};

const CELL = /^line_items\[([1-9]\d*)\]\.(description|quantity|unit_price|amount)$/;

export function cellName(row: number, column: string): string {
  return `line_items[${row}].${column}`;
}

/** {row, column} of a cell name, or null for an ordinary field. */
export function parseCell(name: string): { row: number; column: string } | null {
  const m = CELL.exec(name);
  return m ? { row: Number(m[1]), column: m[2] } : null;
}

export function isCell(name: string): boolean {
  return CELL.test(name);
}

/** The page and box of a cell: its item's as read (none for a row a reviewer added). */
export function cellPlace(result: Result, name: string): { page: number; bbox: FieldModel['bbox'] } {
  const cell = parseCell(name);
  const item = cell ? result.line_items?.[cell.row - 1] : undefined;
  return item && item.page > 0 ? { page: item.page, bbox: item.bbox } : { page: 0, bbox: null };
}

/** The rows the cells make, in order: row number -> column -> model. */
export function gridRows(fields: FieldModel[]): Map<number, Map<string, FieldModel>> {
  const rows = new Map<number, Map<string, FieldModel>>();
  for (const f of fields) {
    const cell = parseCell(f.name);
    if (!cell) continue;
    if (!rows.has(cell.row)) rows.set(cell.row, new Map());
    rows.get(cell.row)!.set(cell.column, f);
  }
  return new Map([...rows.entries()].sort((a, b) => a[0] - b[0]));
}

/** Empty cell models for a new row after the last one. */
export function newRow(fields: FieldModel[]): FieldModel[] {
  const last = Math.max(0, ...fields.map((f) => parseCell(f.name)?.row ?? 0));
  return ITEM_COLUMNS.map((column) => ({
    name: cellName(last + 1, column),
    value: '',
    normalized: '',
    confidence: 0,
    validator_status: 'unchecked',
    validator_detail: '',
    page: 0,
    bbox: null,
    needs_review: false,
    reasons: [],
    source: 'review',
  }));
}
