// The fields the panel shows: layout (page, box, needs_review) from the result JSON,
// current values from the reviewed-fields CSV, reasons from the job's `review`.
import type { CsvField } from './csv';
import { splitReason } from './format';
import type { FieldModel, Result, Review } from './types';

export function fieldReasons(review: Review | undefined, name: string): string[] {
  return (review?.reasons ?? []).filter((r) => splitReason(r)[1] === name);
}

export function buildFields(result: Result, current: CsvField[] | null, review: Review | undefined): FieldModel[] {
  const out: FieldModel[] = [];
  const seen = new Set<string>();
  for (const f of result.fields ?? []) {
    const now = current ? current.find((c) => c.name === f.name) : undefined;
    if (current && !now) continue; // removed by a reviewer
    seen.add(f.name);
    const edited = !!now && (now.value !== f.value || now.normalized !== f.normalized);
    out.push({
      name: f.name,
      value: now?.value ?? f.value,
      normalized: now?.normalized ?? f.normalized,
      confidence: now?.confidence ?? f.confidence,
      validator_status: now?.validator_status || f.validator_status,
      validator_detail: edited ? '' : f.validator_detail ?? '',
      page: f.page,
      bbox: f.page > 0 ? f.bbox : null,
      needs_review: !!f.needs_review,
      reasons: fieldReasons(review, f.name),
      source: edited ? 'review' : f.source ?? '',
    });
  }
  for (const c of current ?? []) {
    if (seen.has(c.name)) continue;
    out.push({ ...c, validator_detail: '', bbox: null, needs_review: false, reasons: fieldReasons(review, c.name), source: 'review' });
  }
  return out;
}

export interface PatchedField {
  name: string;
  value: string;
  normalized: string;
  confidence: number;
  validator_status: string;
  page: number;
  source: string;
}

/** Applies PATCH /fields' answer ({job_id, fields: [...]}) to the models. */
export function applyPatched(models: FieldModel[], patched: PatchedField[], edited: Set<string>): FieldModel[] {
  return patched.map((p) => {
    const old = models.find((m) => m.name === p.name);
    return {
      name: p.name,
      value: p.value,
      normalized: p.normalized,
      confidence: p.confidence,
      validator_status: p.validator_status,
      validator_detail: edited.has(p.name) ? '' : old?.validator_detail ?? '',
      page: old?.page ?? p.page,
      bbox: old?.bbox ?? null,
      needs_review: edited.has(p.name) ? false : old?.needs_review ?? false,
      reasons: old?.reasons ?? [],
      source: p.source,
    };
  });
}

/** A field a reviewer should look at: flagged by the API or below the threshold. */
export function isLow(f: FieldModel, threshold: number | undefined): boolean {
  if (f.source === 'review') return false;
  return f.needs_review || f.reasons.length > 0 || (threshold !== undefined && f.confidence < threshold);
}
