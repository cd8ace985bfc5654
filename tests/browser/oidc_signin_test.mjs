#!/usr/bin/env node
// The review UI's sign-in through an OpenID provider (issue 22), in a real browser:
//
//   node tests/browser/oidc_signin_test.mjs SMARTOCR_BINARY UI_DIST_DIR OUTPUT_DIR
//
// A small provider runs here on a loopback port (discovery document, JWKS, an
// authorize endpoint that signs "alice" in at once, a token endpoint that checks the
// PKCE verifier against the challenge and returns RS256 tokens signed with a key made
// now). `smartocr serve --oidc-*` trusts it; headless Chromium opens /review/, takes
// "Sign in with your organisation", and must land on the queue as alice, with the
// token the provider issued as its bearer. A return with a forged state is refused.
//
// Exit: 0 pass, 1 fail, 77 skipped (see harness.mjs).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { check, createKey, launchChromium, log, prerequisites, require_, run, startServer } from './harness.mjs';

const [binaryArg, distArg, outArg] = process.argv.slice(2);
if (!binaryArg || !distArg || !outArg) {
  console.error('usage: node tests/browser/oidc_signin_test.mjs SMARTOCR_BINARY UI_DIST_DIR OUTPUT_DIR');
  process.exit(2);
}
const BINARY = path.resolve(binaryArg);
const DIST = path.resolve(distArg);
const OUT = path.resolve(outArg);
const { chromium } = prerequisites();
const CLIENT_ID = 'review-ui';
const AUDIENCE = 'smartocr-api';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// ---- the provider ----
function startProvider() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-rsa', alg: 'RS256', use: 'sig' };
  const codes = new Map();
  const seen = { authorize: [], token: [] };
  let issuer = '';
  const sign = (claims) => {
    const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: jwk.kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(crypto.sign('sha256', Buffer.from(input), privateKey))}`;
  };
  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks.json` });
    }
    if (url.pathname === '/jwks.json') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const p = Object.fromEntries(url.searchParams);
      seen.authorize.push(p);
      if (p.response_type !== 'code' || p.client_id !== CLIENT_ID || p.code_challenge_method !== 'S256' || !p.code_challenge) {
        res.writeHead(400);
        return res.end('bad authorization request');
      }
      const code = b64url(crypto.randomBytes(16));
      codes.set(code, p);
      const back = new URL(p.redirect_uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.state);
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const p = Object.fromEntries(new URLSearchParams(body));
        const asked = codes.get(p.code);
        codes.delete(p.code);
        const challenge = b64url(crypto.createHash('sha256').update(p.code_verifier ?? '').digest());
        const ok = asked && p.grant_type === 'authorization_code' && asked.code_challenge === challenge &&
          asked.redirect_uri === p.redirect_uri && asked.client_id === p.client_id;
        seen.token.push({ ...p, ok: !!ok });
        if (!ok) return json(res, 400, { error: 'invalid_grant', error_description: 'code or verifier refused' });
        const now = Math.floor(Date.now() / 1000);
        const common = { iss: issuer, sub: 'alice', iat: now, exp: now + 600, tenant: 'acme', groups: ['staff', 'ocr-reviewers'] };
        return json(res, 200, {
          token_type: 'Bearer',
          expires_in: 600,
          access_token: sign({ ...common, aud: AUDIENCE, scope: 'openid' }),
          id_token: sign({ ...common, aud: CLIENT_ID }),
        });
      });
      return undefined;
    }
    res.writeHead(404);
    return res.end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      issuer = `http://127.0.0.1:${server.address().port}`;
      resolve({ server, issuer, seen });
    });
  });
}

let browser = null;
let provider = null;
let tmp = null;

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  require_(fs.existsSync(path.join(DIST, 'index.html')), `UI build present (${DIST}/index.html)`, 'run web/review/build.sh');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smartocr-oidc-ui-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  createKey(BINARY, dataDir, 'acme', 'admin'); // the tenant the provider's users belong to
  provider = await startProvider();
  const base = await startServer({
    binary: BINARY,
    dataDir,
    logPath: path.join(OUT, 'oidc-server.log'),
    args: [
      '--ui-dir', DIST, '--workers', '0', '--fetch-allow', '127.0.0.1',
      '--oidc-issuer', provider.issuer, '--oidc-audience', AUDIENCE, '--oidc-jwks', `${provider.issuer}/jwks.json`,
      '--oidc-client-id', CLIENT_ID, '--oidc-role-claim', 'groups', '--oidc-role-map', 'ocr-reviewers=reviewer',
    ],
  });
  log(`server at ${base}, provider at ${provider.issuer}`);

  const config = await (await fetch(`${base}/auth/config`)).json();
  check(config?.oidc?.issuer === provider.issuer && config.oidc.client_id === CLIENT_ID,
    'GET /auth/config names the provider and the UI client', JSON.stringify(config));
  const csp = (await fetch(`${base}/review/`)).headers.get('content-security-policy') ?? '';
  check(csp.includes(`connect-src 'self' ${provider.issuer}`), "the UI's CSP lets it reach the provider only", csp);

  browser = await launchChromium(chromium);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${base}/review/#/queue`);
  await page.locator('#oidc-signin').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: path.join(OUT, 'oidc-01-signin.png') });
  await page.locator('#oidc-signin').click();
  await page.locator('section.queue').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(OUT, 'oidc-02-queue.png') });
  check(true, 'the provider round trip ends on the queue');

  const asked = provider.seen.authorize[0] ?? {};
  check(asked.redirect_uri === `${base}/review/` && asked.scope === 'openid' && asked.state?.length >= 16,
    'the authorization request carries our redirect URI, scope and a state', JSON.stringify(asked));
  const exchanged = provider.seen.token[0] ?? {};
  check(exchanged.ok && exchanged.code_verifier?.length >= 43, 'the code is exchanged with the PKCE verifier (S256)', JSON.stringify(exchanged));
  const held = await page.evaluate(() => sessionStorage.getItem('smartocr.review.apiKey') ?? '');
  const claims = held.split('.').length === 3 ? JSON.parse(Buffer.from(held.split('.')[1], 'base64url').toString()) : {};
  check(claims.aud === AUDIENCE && claims.sub === 'alice', "the bearer is the provider's access token for our audience", JSON.stringify(claims));
  check(!page.url().includes('code='), 'the code is gone from the address bar', page.url());
  const queue = await fetch(`${base}/review/queue?limit=1`, { headers: { Authorization: `Bearer ${held}` } });
  check(queue.status === 200, 'the API takes the token as a reviewer', `HTTP ${queue.status}`);

  // A return that this tab did not start (forged state) is refused, and nothing is kept.
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${base}/review/?code=stolen&state=forged#/queue`);
  const why = await page.locator('.signin-why').innerText({ timeout: 10_000 });
  check(/state does not match/.test(why), 'a forged state is refused with a clear message', why);
  check(await page.evaluate(() => !sessionStorage.getItem('smartocr.review.apiKey')), 'no token is kept after a refused return');
  check(provider.seen.token.length === 1, 'a refused return never reaches the token endpoint', `${provider.seen.token.length} exchanges`);
  await page.screenshot({ path: path.join(OUT, 'oidc-03-refused.png') });
  check(pageErrors.length === 0, 'no page errors', pageErrors.join('; '));
}

await run(main, {
  cleanup: async () => {
    await browser?.close();
    provider?.server.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  },
  hardLimitMs: 90_000,
  done: `; screenshots in ${OUT}`,
});
