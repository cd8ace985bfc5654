// RFC 4180 parsing of the reviewed-fields CSV (GET /ocr/jobs/{id}/result?format=csv,
// docs/output-schema.md): the only per-job view of the fields after reviewers' edits.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export interface CsvField {
  name: string;
  value: string;
  normalized: string;
  confidence: number;
  validator_status: string;
  page: number;
}

/** The CSV guards cells a spreadsheet would run (leading = + - @) with a `'`. */
function unguard(s: string): string {
  return /^'[=+\-@]/.test(s) ? s.slice(1) : s;
}

export function fieldsFromCsv(text: string): CsvField[] {
  const rows = parseCsv(text);
  if (!rows.length) return [];
  const col = (name: string) => rows[0].indexOf(name);
  const [rec, name, value, norm, conf, status, page] = ['record', 'name', 'value', 'normalized', 'confidence', 'validator_status', 'page'].map(col);
  if (name < 0 || value < 0) return [];
  return rows
    .slice(1)
    .filter((r) => r.length > value && (rec < 0 || r[rec] === 'field'))
    .map((r) => ({
      name: r[name],
      value: unguard(r[value]),
      normalized: norm >= 0 ? unguard(r[norm]) : '',
      confidence: conf >= 0 ? Number(r[conf]) || 0 : 0,
      validator_status: status >= 0 ? r[status] : '',
      page: page >= 0 ? Number(r[page]) || 0 : 0,
    }));
}
