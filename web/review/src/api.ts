// Same-origin calls to the SmartOCR API with the signed-in key. Every error becomes an
// ApiError carrying the API's {"error": {code, message, request_id}} (docs/errors.md).
import { getKey } from './auth';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId = '',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: ((e: ApiError) => void) | null = null;

/** Called on any 401 (a revoked or wrong key): the app signs out. */
export function setUnauthenticatedHandler(fn: (e: ApiError) => void): void {
  onUnauthenticated = fn;
}

export function url(path: string): string {
  return new URL(path, location.origin).toString();
}

async function send(method: string, path: string, body?: unknown, key = getKey()): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  const init: RequestInit = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(url(path), init);
  } catch (e) {
    throw new ApiError(0, 'network_error', `the server could not be reached (${String(e)})`);
  }
  if (!res.ok) {
    const err = await toError(res);
    if (err.status === 401 && key && key === getKey() && onUnauthenticated) onUnauthenticated(err);
    throw err;
  }
  return res;
}

async function toError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-Id') ?? '';
  const text = await res.text().catch(() => '');
  try {
    const e = JSON.parse(text)?.error;
    if (e && typeof e.code === 'string') {
      return new ApiError(res.status, e.code, String(e.message ?? ''), String(e.request_id ?? requestId));
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, `http_${res.status}`, text.slice(0, 200) || res.statusText, requestId);
}

export async function getJson<T>(path: string, key?: string): Promise<T> {
  return (await send('GET', path, undefined, key)).json() as Promise<T>;
}

export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await send('POST', path, body);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export async function patchJson<T>(path: string, body: unknown): Promise<T> {
  return (await send('PATCH', path, body)).json() as Promise<T>;
}

export async function getBlob(path: string): Promise<Blob> {
  return (await send('GET', path)).blob();
}

/** A request that outlives the page (claim release on unload); errors are ignored. */
export function sendBeaconPost(path: string): void {
  void fetch(url(path), {
    method: 'POST',
    keepalive: true,
    headers: { Authorization: `Bearer ${getKey()}`, 'Content-Type': 'application/json' },
    body: '{}',
  }).catch(() => undefined);
}

export function jobPath(id: string, rest = ''): string {
  return `/ocr/jobs/${encodeURIComponent(id)}${rest}`;
}
