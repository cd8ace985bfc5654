// What the views share: the queue's filters and loaded items (for [ / ] and
// auto-advance), the queue answer's reject reasons and this key's id once a claim
// told us.
import { getJson } from './api';
import type { QueueItem, QueueResponse } from './types';

export interface Filters {
  status: string;
  doc_type: string;
  min_confidence: string;
  max_confidence: string;
}

export type SortKey = 'completed_at' | 'min_confidence' | 'doc_type' | 'status' | 'job_id';

/** docs/review.md's defaults, for a queue answer without `reject_reasons`. */
export const DEFAULT_REJECT_REASONS = ['illegible', 'wrong_document_type', 'duplicate', 'incomplete', 'other'];

export const state = {
  filters: { status: '', doc_type: '', min_confidence: '', max_confidence: '' } as Filters,
  sort: { key: 'completed_at' as SortKey, ascending: true },
  items: [] as QueueItem[],
  counts: {} as QueueResponse['counts'],
  nextCursor: '',
  selectedIndex: 0,
  rejectReasons: null as string[] | null,
  myKeyId: '',
};

export function queueQuery(f: Filters, cursor = '', limit = 50): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim() !== '') q.set(k, v.trim());
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return `/review/queue?${q}`;
}

export function sortItems(items: QueueItem[]): QueueItem[] {
  const { key, ascending } = state.sort;
  const dir = ascending ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * dir || (a.completed_at - b.completed_at) * dir;
  });
}

/** Loads the first page of the queue with the current filters into state. */
export async function loadQueue(): Promise<QueueResponse> {
  const res = await getJson<QueueResponse>(queueQuery(state.filters));
  state.items = sortItems(res.items ?? []);
  state.counts = res.counts ?? {};
  state.nextCursor = res.next_cursor ?? '';
  state.rejectReasons = reasonsOf(res);
  return res;
}

export async function loadMore(): Promise<void> {
  if (!state.nextCursor) return;
  const res = await getJson<QueueResponse>(queueQuery(state.filters, state.nextCursor));
  state.items = sortItems([...state.items, ...(res.items ?? [])]);
  state.nextCursor = res.next_cursor ?? '';
  state.rejectReasons = reasonsOf(res);
}

/** The tenant's reject reasons as the queue answer carries them. */
function reasonsOf(res: QueueResponse): string[] {
  return Array.isArray(res.reject_reasons) ? res.reject_reasons : DEFAULT_REJECT_REASONS;
}

/**
 * The tenant's reject reasons: from the last queue answer, or (a document opened by
 * its link before the queue loaded) from a one-item queue request.
 */
export async function rejectReasons(): Promise<string[]> {
  if (!state.rejectReasons) state.rejectReasons = reasonsOf(await getJson<QueueResponse>('/review/queue?limit=1'));
  return state.rejectReasons;
}
