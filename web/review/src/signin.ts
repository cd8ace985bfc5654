// Sign-in: through the server's OpenID provider when it has one (oidc.ts), or with an
// API key, checked against the queue route; either is kept in sessionStorage.
import { ApiError, getJson } from './api';
import { setKey } from './auth';
import { h } from './dom';
import { clearMessages, showError } from './messages';
import { type OidcConfig, startOidcSignIn } from './oidc';

function providerButton(oidc: OidcConfig): HTMLElement {
  const button = h('button', { type: 'button', id: 'oidc-signin', class: 'primary' }, 'Sign in with your organisation');
  button.addEventListener('click', async () => {
    clearMessages();
    try {
      await startOidcSignIn(oidc);
    } catch (err) {
      showError(err, 'Sign-in');
    }
  });
  return h('div', { class: 'signin-provider' }, button, h('p', { class: 'hint' }, `Through ${new URL(oidc.issuer).host}. Or with an API key:`));
}

export function renderSignIn(root: HTMLElement, onSignedIn: () => void, why = '', oidc: OidcConfig | null = null): void {
  const input = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'sk_…',
  });
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'SmartOCR review'),
    why ? h('p', { class: 'signin-why', role: 'status' }, why) : null,
    oidc ? providerButton(oidc) : null,
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { class: 'hint' }, 'A reviewer or admin key (a viewer key can read the queue only). It is kept for this tab only.'),
    h('button', { type: 'submit', class: oidc ? '' : 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearMessages();
    const key = input.value.trim();
    try {
      await getJson('/review/queue?limit=1', key);
      setKey(key);
      onSignedIn();
    } catch (err) {
      showError(err, err instanceof ApiError && err.status === 401 ? 'Sign-in failed' : 'Sign-in');
      input.focus();
    }
  });
  root.replaceChildren(form);
  input.focus();
}
