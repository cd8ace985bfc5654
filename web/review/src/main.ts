// Entry: sign-in, top bar, hash routing between the queue and a document.
import './styles.css';
import { setUnauthenticatedHandler } from './api';
import { clearKey, getKey } from './auth';
import { leaveDoc, mayLeaveDoc, renderDoc } from './docview';
import { h } from './dom';
import { toggleHelp } from './help';
import { installKeys, setGlobalKeys, setViewKeys } from './keys';
import { clearMessages } from './messages';
import { renderQueue } from './queue';
import { currentRoute } from './router';
import { renderSignIn } from './signin';

const app = document.getElementById('app')!;
const topbar = document.getElementById('topbar')!;

function drawTopbar(signedIn: boolean): void {
  topbar.replaceChildren(
    h('a', { class: 'brand', href: '#/queue' }, 'SmartOCR review'),
    h('nav', { class: 'top-actions', 'aria-label': 'Application' },
      signedIn ? h('a', { href: '#/queue' }, 'Queue') : null,
      h('button', { type: 'button', onclick: () => toggleHelp(), 'aria-keyshortcuts': '?' }, 'Keys (?)'),
      signedIn ? h('button', { type: 'button', class: 'sign-out', onclick: () => void signOut() }, 'Sign out') : null,
    ),
  );
}

async function signOut(why = ''): Promise<void> {
  await leaveDoc();
  clearKey();
  signIn(why);
}

function signIn(why = ''): void {
  setViewKeys(null);
  drawTopbar(false);
  renderSignIn(app, () => {
    drawTopbar(true);
    if (location.hash === '' || location.hash === '#/' ) location.hash = '#/queue';
    else void route();
  }, why);
}

let routing = Promise.resolve();
let shownHash = '';

function route(): Promise<void> {
  routing = routing.then(async () => {
    if (!mayLeaveDoc(location.hash)) {
      history.replaceState(null, '', shownHash); // stay, edits kept
      return;
    }
    shownHash = location.hash;
    await leaveDoc();
    clearMessages(true);
    if (!getKey()) {
      signIn();
      return;
    }
    drawTopbar(true);
    setViewKeys(null);
    const r = currentRoute();
    if (r.view === 'doc') await renderDoc(app, r.id, r.page);
    else await renderQueue(app);
    app.focus({ preventScroll: true });
  });
  return routing;
}

installKeys();
setGlobalKeys((e) => {
  if (e.key === '?') {
    toggleHelp();
    return true;
  }
  return false;
});
setUnauthenticatedHandler((e) => void signOut(`Your key was refused (${e.code}: ${e.message}). Sign in again.`));
window.addEventListener('hashchange', () => void route());
if (!location.hash) history.replaceState(null, '', '#/queue');
void route();
