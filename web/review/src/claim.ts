// Claiming a document on open, and what the claim line says about it.
import { ApiError, jobPath, postJson } from './api';
import { h } from './dom';
import { humanize, timeOf } from './format';
import { state } from './state';
import type { Review } from './types';

export type ClaimOutcome =
  | { kind: 'held'; review: Review }
  | { kind: 'claimed_by_other'; error: ApiError }
  | { kind: 'not_open'; error: ApiError }
  | { kind: 'forbidden'; error: ApiError }
  | { kind: 'skipped' }
  | { kind: 'failed'; error: unknown };

/** The answer is "the job's review"; accept it bare or wrapped as {review}. */
export function asReview(x: unknown): Review | null {
  const o = x as { review?: Review; status?: string } | null;
  if (o && typeof o.status === 'string' && 'reasons' in o) return o as Review;
  return o?.review ?? null;
}

export async function claim(id: string, review: Review | undefined): Promise<ClaimOutcome> {
  if (!review || (review.status !== 'to_review' && review.status !== 'in_review')) return { kind: 'skipped' };
  try {
    const r = asReview(await postJson(jobPath(id, '/review/claim')));
    if (!r) return { kind: 'failed', error: new Error('the claim answer has no review') };
    if (r.claimed_by) state.myKeyId = r.claimed_by;
    return { kind: 'held', review: r };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'review_claimed') return { kind: 'claimed_by_other', error: e };
    // review_decided: decided between loading the job and the claim (the API answers
    // that, not review_not_open, for a decided document).
    if (e instanceof ApiError && (e.code === 'review_not_open' || e.code === 'review_decided')) return { kind: 'not_open', error: e };
    if (e instanceof ApiError && e.status === 403) return { kind: 'forbidden', error: e };
    return { kind: 'failed', error: e };
  }
}

/** The line under the header that says who may change this document. */
export function claimLine(outcome: ClaimOutcome, review: Review | undefined): HTMLElement {
  const line = (cls: string, role: string, ...parts: (Node | string)[]) =>
    h('div', { id: 'claim-status', class: `claim ${cls}`, role }, ...parts);
  const err = (e: ApiError) => [h('code', { class: 'error-code' }, e.code), ` ${e.message}`];
  switch (outcome.kind) {
    case 'held':
      return line('held', 'status', `You hold the claim on this document until ${timeOf(outcome.review.claim_expires_at)}.`);
    case 'claimed_by_other': {
      const who = review?.claimed_by ? ` by ${review.claimed_by}` : ' by another reviewer';
      const until = review?.claim_expires_at ? ` until ${timeOf(review.claim_expires_at)}` : '';
      return line('other', 'alert', h('strong', {}, `Claimed${who}${until}: read-only. `), ...err(outcome.error));
    }
    case 'not_open':
      return line('closed', 'status', 'Not open for review: ', ...err(outcome.error));
    case 'forbidden':
      return line('closed', 'status', 'Read-only: your key may not review. ', ...err(outcome.error));
    case 'failed':
      return line('other', 'alert', `The claim failed: ${outcome.error instanceof ApiError ? `${outcome.error.code} ${outcome.error.message}` : String(outcome.error)}`);
    case 'skipped':
      if (!review) return line('closed', 'status', 'This server reports no review state for the job.');
      if (review.status === 'approved' || review.status === 'rejected') {
        const code = review.reason_code ? ` (${review.reason_code})` : '';
        const c = review.comment ? `: “${review.comment}”` : '';
        return line('closed', 'status', `${humanize(review.status)}${code} by ${review.decided_by || '?'} at ${timeOf(review.decided_at)}${c}.`);
      }
      return line('closed', 'status', 'No review needed for this document.');
  }
}
