// Entry: sign-in, top bar, hash routing between the queue and a document.
import './styles.css';
import { setUnauthenticatedHandler } from './api';
import { clearKey, getKey, setKey } from './auth';
import { leaveDoc, mayLeaveDoc, renderDoc } from './docview';
import { h } from './dom';
import { toggleHelp } from './help';
import { installKeys, setGlobalKeys, setViewKeys } from './keys';
import { clearMessages } from './messages';
import { fetchOidcConfig, finishOidcSignIn, type OidcConfig } from './oidc';
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

let oidc: OidcConfig | null = null;

function signIn(why = ''): void {
  setViewKeys(null);
  drawTopbar(false);
  renderSignIn(app, () => {
    drawTopbar(true);
    if (location.hash === '' || location.hash === '#/' ) location.hash = '#/queue';
    else void route();
  }, why, oidc);
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
// A return from the OIDC provider carries a code to exchange before anything routes.
async function start(): Promise<void> {
  oidc = await fetchOidcConfig();
  let failed = '';
  try {
    const back = await finishOidcSignIn(oidc);
    if (back) {
      setKey(back.token);
      if (back.hash) history.replaceState(null, '', back.hash);
    }
  } catch (err) {
    clearKey();
    failed = `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!location.hash) history.replaceState(null, '', '#/queue');
  if (failed) signIn(failed);
  else void route();
}
void start();
