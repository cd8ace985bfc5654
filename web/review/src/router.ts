// Hash routes, so the static server needs no fallback: #/queue, #/doc/<job id>.

export type Route = { view: 'queue' } | { view: 'doc'; id: string; page: number };

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '');
  const m = /^\/doc\/([^/?]+)(?:\?page=(\d+))?$/.exec(hash);
  if (m) return { view: 'doc', id: decodeURIComponent(m[1]), page: Number(m[2] ?? 1) || 1 };
  return { view: 'queue' };
}

export function goQueue(): void {
  location.hash = '#/queue';
}

export function goDoc(id: string): void {
  location.hash = `#/doc/${encodeURIComponent(id)}`;
}
