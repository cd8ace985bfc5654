// What the browser tests share: checks and their report, waiting, skipping without
// Chromium, and a real `smartocr serve` on a free port with its own data directory.
//
//   import * as t from './harness.mjs';
//   const { chromium } = t.prerequisites();
//   await t.run(async () => { const base = await t.startServer({...}); t.check(...); }, cleanup);
//
// Exit (from run): 0 pass, 1 fail; 77 skipped (no /usr/bin/chromium or no
// web/review/node_modules; with CI=true or SMARTOCR_REQUIRE_ALL=1 those are failures).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.SMARTOCR_CHROMIUM || '/usr/bin/chromium';
const STRICT = process.env.CI === 'true' || process.env.SMARTOCR_REQUIRE_ALL === '1';
export const T0 = Date.now();

export function log(msg) {
  console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

export function skip(why) {
  console.log(`${STRICT ? 'FAIL' : 'SKIP'}: ${why}`);
  process.exit(STRICT ? 1 : 77);
}

/** Chromium and playwright-core present (else skip): playwright's chromium launcher. */
export function prerequisites() {
  if (!fs.existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (apt-get install chromium)`);
  const modules = path.join(ROOT, 'web/review/node_modules');
  if (!fs.existsSync(path.join(modules, 'playwright-core'))) {
    skip('web/review/node_modules/playwright-core is missing (run web/review/build.sh)');
  }
  return createRequire(path.join(ROOT, 'web/review/package.json'))('playwright-core');
}

export function launchChromium(chromium) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox'] });
}

// ---- results ----
export const failures = [];
let passed = 0;
export function check(cond, what, detail = '') {
  if (cond) {
    passed++;
    log(`ok   ${what}`);
  } else {
    failures.push(detail ? `${what}: ${detail}` : what);
    log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
  }
  return !!cond;
}
export class Fatal extends Error {}
export function require_(cond, what, detail = '') {
  if (!check(cond, what, detail)) throw new Fatal(what);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(what, fn, timeoutMs = 15_000, everyMs = 150) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Fatal(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

// ---- the server ----
let server = null;
export function killServer(signal = 'SIGTERM') {
  if (server && server.exitCode === null && server.signalCode === null) server.kill(signal);
}

export function createKey(binary, dataDir, tenant, role) {
  const out = execFileSync(binary, ['admin', 'key', 'create', '--data-dir', dataDir, '--tenant', tenant, '--role', role], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const key = out.trim().split('\n').pop().trim();
  if (!/^sk_/.test(key)) throw new Fatal(`admin key create printed no key: ${out}`);
  return key;
}

/** `binary serve` on a free loopback port over dataDir, its log in logPath; its base URL. */
export async function startServer({ binary, dataDir, logPath, args = [] }) {
  const portFile = path.join(dataDir, 'port');
  const logFd = fs.openSync(logPath, 'w');
  server = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--port-file', portFile, '--data-dir', dataDir, ...args], {
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  let exited = null;
  server.on('exit', (code, sig) => (exited = `exit ${code ?? sig}`));
  const port = await until('the port file', () => {
    if (exited) throw new Fatal(`smartocr serve ended (${exited}); see ${logPath}:\n${fs.readFileSync(logPath, 'utf8').slice(-2000)}`);
    const s = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    return /^\d+$/.test(s) ? Number(s) : 0;
  }, 20_000, 50);
  const base = `http://127.0.0.1:${port}`;
  await until('/healthz', async () => (await fetch(`${base}/healthz`)).ok, 10_000, 100);
  return base;
}

/**
 * Runs `main`, then `cleanup` (close the browser, servers), stops the server, prints
 * the report and exits: 1 when a check failed, `main` threw, or hardLimitMs passed.
 */
export async function run(main, { cleanup = async () => {}, hardLimitMs = 110_000, done = '' } = {}) {
  process.on('exit', () => killServer('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      console.log(`interrupted (${sig})`);
      process.exit(1);
    });
  }
  const hardLimit = setTimeout(() => {
    console.log(`FAIL: the test ran past ${hardLimitMs / 1000} s`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exit(1);
  }, hardLimitMs);
  hardLimit.unref();
  try {
    await main();
  } catch (e) {
    if (!(e instanceof Fatal)) failures.push(`error: ${e?.stack ?? e}`);
    else if (!failures.length) failures.push(e.message);
    console.log(e instanceof Fatal ? `stopped: ${e.message}` : `error: ${e?.stack ?? e}`);
  } finally {
    try {
      await cleanup();
    } catch {
      // already gone
    }
    killServer('SIGTERM');
    if (server && server.exitCode === null) {
      await Promise.race([new Promise((r) => server.once('exit', r)), sleep(5000)]);
      killServer('SIGKILL');
    }
  }
  const took = ((Date.now() - T0) / 1000).toFixed(1);
  if (failures.length) {
    console.log(`\nFAILED: ${failures.length} check(s) failed, ${passed} passed (${took} s):`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exit(1);
  }
  console.log(`\nPASSED: ${passed} checks (${took} s)${done}`);
  process.exit(0);
}
