// Small display helpers: confidence bands and colours, times, reason texts.

export function confidenceBand(c: number): 'high' | 'mid' | 'low' {
  if (c >= 0.9) return 'high';
  if (c >= 0.6) return 'mid';
  return 'low';
}

export function percent(c: number): string {
  return `${Math.round(c * 1000) / 10}%`;
}

/** Heatmap tint: red (0) through amber to green (1). */
export function heatColor(c: number, alpha = 0.35): string {
  const hue = Math.max(0, Math.min(1, c)) * 120;
  return `hsla(${hue.toFixed(0)}, 85%, 45%, ${alpha})`;
}

export function timeOf(ms: number): string {
  if (!ms) return '';
  return new Date(ms).toLocaleString();
}

export function age(ms: number, now = Date.now()): string {
  if (!ms) return '';
  const s = Math.max(0, (now - ms) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

const REASON_TEXT: Record<string, string> = {
  low_confidence: 'confidence below the review threshold',
  validator_failed: 'validator failed',
  missing_required: 'required field missing',
};

/** "low_confidence:total" -> "confidence below the review threshold". */
export function reasonText(reason: string): string {
  const [kind] = splitReason(reason);
  if (kind === 'sampled') return 'picked by sampling';
  return REASON_TEXT[kind] ?? kind.replace(/_/g, ' ');
}

export function splitReason(reason: string): [string, string] {
  const i = reason.indexOf(':');
  return i < 0 ? [reason, ''] : [reason.slice(0, i), reason.slice(i + 1)];
}

export function humanize(code: string): string {
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
