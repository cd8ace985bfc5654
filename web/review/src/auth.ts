// The API key, kept for this browser tab only (sessionStorage).

const KEY = 'smartocr.review.apiKey';

export function getKey(): string {
  return sessionStorage.getItem(KEY) ?? '';
}

export function setKey(key: string): void {
  sessionStorage.setItem(KEY, key.trim());
}

export function clearKey(): void {
  sessionStorage.removeItem(KEY);
}
