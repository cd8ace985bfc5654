// The fields the panel shows: layout (page, box, needs_review) from the result JSON,
// current values from GET /ocr/jobs/{id}/fields, reasons from the job's `review`.
import { splitReason } from './format';
import { cellPlace, isCell } from './lineitems';
import type { FieldModel, JobField, Result, Review } from './types';

export function fieldReasons(review: Review | undefined, name: string): string[] {
  return (review?.reasons ?? []).filter((r) => splitReason(r)[1] === name);
}

/** Result fields in result order (those a reviewer removed left out), then added ones. */
export function buildFields(result: Result, current: JobField[], review: Review | undefined): FieldModel[] {
  const out: FieldModel[] = [];
  const seen = new Set<string>();
  for (const f of result.fields ?? []) {
    const now = current.find((c) => c.name === f.name);
    if (!now) continue; // removed by a reviewer
    seen.add(f.name);
    const edited = now.source === 'review' || now.value !== f.value || now.normalized !== f.normalized;
    out.push({
      ...now,
      validator_detail: edited ? '' : f.validator_detail ?? '',
      page: f.page,
      bbox: f.page > 0 ? f.bbox : null,
      needs_review: !edited && !!f.needs_review,
      reasons: fieldReasons(review, f.name),
      source: now.source || (edited ? 'review' : f.source ?? ''),
    });
  }
  for (const c of current) {
    if (seen.has(c.name)) continue;
    if (isCell(c.name)) {
      out.push({ ...c, ...cellPlace(result, c.name), validator_detail: '', needs_review: false, reasons: [], source: c.source || 'rules' });
      continue;
    }
    out.push({ ...c, validator_detail: '', bbox: null, needs_review: false, reasons: fieldReasons(review, c.name), source: c.source || 'review' });
  }
  return out;
}

/** Applies PATCH /fields' answer ({job_id, fields: [...]}) to the models. */
export function applyPatched(models: FieldModel[], patched: JobField[], edited: Set<string>): FieldModel[] {
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

/** A field a reviewer should look at: flagged by the API or below the threshold. Item
 * cells carry no confidence (the extractor gives none): never low. */
export function isLow(f: FieldModel, threshold: number | undefined): boolean {
  if (f.source === 'review' || isCell(f.name)) return false;
  return f.needs_review || f.reasons.length > 0 || (threshold !== undefined && f.confidence < threshold);
}
