// Page weight on the release build (end2end/run-release serves it): the bytes the browser
// receives for the partner dashboard, counted as DevTools counts "transferred" (the DevTools
// protocol's Network.loadingFinished encodedDataLength: headers and bodies, as sent, so
// compressed). A first visit with an empty cache must stay within 1 MB, a repeat visit within
// 50 KB. Byte limits only; how long it takes depends on the machine.
const { test, expect } = require('@playwright/test');

const DEMO_PASSWORD = 'trellis-demo-2026';
const FIRST_VISIT_LIMIT = 1_000_000;
const REPEAT_VISIT_LIMIT = 50_000;

/** Loads `path` in `page` and returns every response it received: url, status, bytes. */
async function visit(page, path) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map();
  const finished = [];
  cdp.on('Network.responseReceived', ({ requestId, response: r }) => seen.set(requestId, {
    url: r.url,
    status: r.status,
    encoding: r.headers['content-encoding'] || '',
    cache: Boolean(r.fromDiskCache || r.fromMemoryCache || r.fromPrefetchCache),
  }));
  cdp.on('Network.loadingFinished', (e) => finished.push({ id: e.requestId, bytes: e.encodedDataLength }));
  cdp.on('Network.loadingFailed', (e) => finished.push({ id: e.requestId, bytes: 0, failed: e.errorText }));
  await page.goto(path);
  await page.locator('body[data-hydrated]').waitFor();
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  const rows = finished.map(({ id, bytes, failed }) => ({ ...seen.get(id), bytes, failed }));
  return { rows, total: rows.reduce((sum, r) => sum + r.bytes, 0) };
}

function report(name, { rows, total }) {
  const lines = rows.map((r) => `  ${String(r.bytes).padStart(9)}  ${r.status ?? '-'} ${r.encoding || 'identity'}${r.cache ? ' (cache)' : ''}  ${r.url ? new URL(r.url).pathname : '(finished before its response was seen)'}`);
  console.log(`${name}: ${total} bytes\n${lines.join('\n')}`);
}

test('the partner dashboard transfers at most 1 MB on a first visit and 50 KB on a repeat visit', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill('ana@brightreviews.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await page.locator('body[data-hydrated]').waitFor();

  // A first visit: the session stays, the cache the login page filled goes.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  const first = await visit(page, '/portal');
  report('first visit', first);
  // The measurement covers the real thing: the WebAssembly came over the wire, compressed.
  const wasm = first.rows.find((r) => /\/pkg\/trellis\.[\w-]{22}\.wasm$/.test(r.url));
  expect(wasm, 'the hashed WebAssembly file was loaded').toBeTruthy();
  expect(wasm.cache).toBeFalsy();
  expect(wasm.encoding).toBe('br');
  expect(first.total).toBeLessThanOrEqual(FIRST_VISIT_LIMIT);

  // A repeat visit, in a new tab of the same browser: hashed files come from the cache without
  // asking the server (a 304 would still cost its headers).
  const tab = await page.context().newPage();
  const repeat = await visit(tab, '/portal');
  report('repeat visit', repeat);
  expect(repeat.rows.filter((r) => /\/pkg\//.test(r.url) && r.bytes > 0)).toEqual([]);
  expect(repeat.total).toBeLessThanOrEqual(REPEAT_VISIT_LIMIT);
});
