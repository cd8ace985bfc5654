// Which document comes next: after a decision (the next one still open for this
// reviewer) and for ] / [ (the neighbours in the queue as listed).
import { loadQueue, state } from './state';

/** Reloads the queue and picks the next document open to this reviewer after `id`. */
export async function nextQueued(id: string): Promise<string | null> {
  const before = state.items.map((i) => i.job_id);
  const pos = before.indexOf(id);
  const saved = state.filters;
  // Deciding from a list of decided documents still advances through the open ones.
  if (saved.status === 'approved' || saved.status === 'rejected') state.filters = { ...saved, status: '' };
  try {
    await loadQueue();
  } finally {
    state.filters = saved;
  }
  const now = Date.now();
  const open = state.items.filter(
    (i) =>
      i.job_id !== id &&
      (i.status === 'to_review' ||
        (i.status === 'in_review' && (i.claimed_by === state.myKeyId || i.claim_expires_at < now))),
  );
  const next = open.find((i) => before.indexOf(i.job_id) > pos) ?? open[0];
  return next?.job_id ?? null;
}

/** The document `delta` places from `id` in the queue (loaded when empty), or null. */
export async function neighbour(id: string, delta: number): Promise<string | null> {
  if (!state.items.length) await loadQueue();
  const i = state.items.findIndex((x) => x.job_id === id);
  const next = i < 0 ? state.items[delta > 0 ? 0 : state.items.length - 1] : state.items[i + delta];
  return next?.job_id ?? null;
}
