// The document view's keyboard shortcuts (listed in help.ts).
import type { KeyHandler } from './keys';

export interface DocActions {
  /** Tab from outside the field list: into the selected (or first/last) field. */
  enterFields(backwards: boolean): boolean;
  /** Escape: leave a text input (so shortcuts work), else drop the field selection. */
  escape(): boolean;
  toggle(key: string): boolean;
  nextLow(): void;
  approve(): void;
  reject(): void;
  save(): void;
  stepDoc(delta: number): void;
  queue(): void;
  stepPage(delta: number): void;
  zoom(factor: number): void;
  fit(): void;
}

export function docKeys(a: DocActions): KeyHandler {
  return (e) => {
    if (e.key === 'Tab') return a.enterFields(e.shiftKey);
    if (e.key === 'Escape') return a.escape();
    if (a.toggle(e.key)) return true;
    switch (e.key) {
      case 'n': a.nextLow(); return true;
      case 'a': a.approve(); return true;
      case 'r': a.reject(); return true;
      case 's': a.save(); return true;
      case ']': a.stepDoc(1); return true;
      case '[': a.stepDoc(-1); return true;
      case 'q': a.queue(); return true;
      case 'PageDown': a.stepPage(1); return true;
      case 'PageUp': a.stepPage(-1); return true;
      case '+': case '=': a.zoom(1.25); return true;
      case '-': a.zoom(1 / 1.25); return true;
      case '0': a.fit(); return true;
    }
    return false;
  };
}
