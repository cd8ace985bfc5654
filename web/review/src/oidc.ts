// Sign-in through the server's OpenID provider (GET /auth/config): the authorization
// code flow with PKCE (RFC 7636, S256) for a public client. The verifier and state live
// in sessionStorage between the redirect out and the one back; the token the provider
// returns is then used as the bearer, like an API key.

export interface OidcConfig {
  issuer: string;
  client_id: string;
  scope: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING = 'smartocr.review.oidcPending';

/** The provider the server accepts tokens from, or null (API keys only). */
export async function fetchOidcConfig(): Promise<OidcConfig | null> {
  try {
    const res = await fetch(new URL('/auth/config', location.origin), { cache: 'no-store' });
    if (!res.ok) return null;
    const body = await res.json();
    return body?.oidc && typeof body.oidc.issuer === 'string' ? (body.oidc as OidcConfig) : null;
  } catch {
    return null;
  }
}

async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`the provider's discovery document answered HTTP ${res.status}`);
  const d = await res.json();
  if (typeof d?.authorization_endpoint !== 'string' || typeof d?.token_endpoint !== 'string') {
    throw new Error("the provider's discovery document names no authorization or token endpoint");
  }
  return d as Discovery;
}

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Where the provider sends the browser back: this page, without query or hash. */
function redirectUri(): string {
  return `${location.origin}${location.pathname}`;
}

/** Leaves for the provider's sign-in page. */
export async function startOidcSignIn(config: OidcConfig): Promise<void> {
  const d = await discover(config.issuer);
  const verifier = randomText();
  const state = randomText(16);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, token_endpoint: d.token_endpoint, hash: location.hash }));
  const to = new URL(d.authorization_endpoint);
  to.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: base64Url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(to.toString());
}

/**
 * On the way back from the provider (?code=…&state=…, or ?error=…): the token for the
 * code, or null when this page load is not a return. Throws when the return is refused
 * (a state that does not match, the provider's error, a failed exchange). The query is
 * removed from the address either way.
 */
export async function finishOidcSignIn(config: OidcConfig | null): Promise<{ token: string; hash: string } | null> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.hash ?? location.hash}`);
  if (params.has('error')) {
    throw new Error(`the provider refused the sign-in: ${params.get('error_description') ?? params.get('error')}`);
  }
  if (!config || !pending || params.get('state') !== pending.state) {
    throw new Error('this sign-in was not started here (its state does not match); sign in again');
  }
  const res = await fetch(pending.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: config.client_id,
      code_verifier: pending.verifier,
    }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`the provider refused the code: ${body?.error_description ?? body?.error ?? `HTTP ${res.status}`}`);
  // An API's bearer is the access token; providers that give no JWT access token still
  // give an ID token for this client (the server's audience by default).
  const token = [body?.access_token, body?.id_token].find((t) => typeof t === 'string' && t.split('.').length === 3);
  if (!token) throw new Error('the provider returned no JWT access or ID token');
  return { token, hash: pending.hash ?? '' };
}
