// The overlay toggles (kept while the tab lives, across documents) and their checkboxes.
import { h } from './dom';
import type { Toggles } from './viewer';

export type AllToggles = Toggles & { text: boolean };

export const toggles: AllToggles = { blocks: false, lines: false, words: true, fields: true, heatmap: false, text: false };

const KEYS: Record<string, keyof AllToggles> = { b: 'blocks', l: 'lines', w: 'words', f: 'fields', h: 'heatmap', t: 'text' };
const LABELS: Record<keyof AllToggles, string> = {
  blocks: 'Blocks',
  lines: 'Lines',
  words: 'Words',
  fields: 'Fields',
  heatmap: 'Confidence heatmap',
  text: 'Text layer',
};

/** Flips the toggle bound to `key` (b l w f h t); false when no toggle has that key. */
export function toggleByKey(key: string): boolean {
  const t = KEYS[key];
  if (!t) return false;
  toggles[t] = !toggles[t];
  return true;
}

/** The checkboxes, one per toggle, labelled with their key. */
export function toggleBoxes(onChange: () => void): HTMLFieldSetElement {
  const boxes = (Object.keys(LABELS) as (keyof AllToggles)[]).map((k) => {
    const input = h('input', { type: 'checkbox', id: `toggle-${k}`, 'data-toggle': k });
    input.checked = toggles[k];
    input.addEventListener('change', () => {
      toggles[k] = input.checked;
      onChange();
    });
    const key = Object.entries(KEYS).find(([, v]) => v === k)?.[0];
    return h('label', { class: 'toggle', for: `toggle-${k}` }, input, ` ${LABELS[k]}`, key ? h('kbd', {}, key) : null);
  });
  return h('fieldset', { class: 'toggles' }, h('legend', { class: 'visually-hidden' }, 'Overlays'), ...boxes);
}

/** Brings the checkboxes in line after a key flipped a toggle. */
export function syncToggleBoxes(): void {
  for (const k of Object.keys(toggles) as (keyof AllToggles)[]) {
    const box = document.getElementById(`toggle-${k}`) as HTMLInputElement | null;
    if (box) box.checked = toggles[k];
  }
}
