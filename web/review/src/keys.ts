// One keydown listener for the whole app. The current view installs its shortcuts;
// single-key shortcuts are ignored while the user types in a text control.
import { isTyping } from './dom';

export type KeyHandler = (e: KeyboardEvent) => boolean | void;

let viewHandler: KeyHandler | null = null;
let globalHandler: KeyHandler | null = null;

export function setViewKeys(handler: KeyHandler | null): void {
  viewHandler = handler;
}

export function setGlobalKeys(handler: KeyHandler): void {
  globalHandler = handler;
}

export function installKeys(): void {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.querySelector('dialog[open]') && e.key !== '?') return; // dialogs own their keys
    // Only Tab and Escape reach the view from a text control (letters, arrows and
    // Enter belong to the control).
    if (isTyping(e.target) && e.key !== 'Tab' && e.key !== 'Escape') return;
    if (viewHandler && viewHandler(e) === true) {
      e.preventDefault();
      return;
    }
    if (globalHandler && globalHandler(e) === true) e.preventDefault();
  });
}
