// Pages under the Content-Security-Policy: every page answer carries the policy with a fresh
// nonce; with JavaScript the app still hydrates and forms submit in place, on a portal page and
// a console page; and the browser reports no CSP violation, no console error and no page error.
// Without JavaScript the same forms work through plain posts.
const { test, expect } = require('@playwright/test');

const DEMO_PASSWORD = 'trellis-demo-2026';

/** Collects what the browser complains about: console errors, CSP reports, uncaught errors. */
async function watch(page) {
  const problems = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /Content.Security.Policy|Refused to/i.test(text)) {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // The DOM's own report of every blocked script, style, image or connection.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return problems;
}

const jsOn = () => test.info().project.use.javaScriptEnabled;

/** Opens a page and checks its policy; with JavaScript on, waits until it has hydrated. */
async function open(page, path) {
  const response = await page.goto(path);
  expect(response.status()).toBe(200);
  const policy = response.headers()['content-security-policy'];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval';/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');
  expect(response.headers()['x-frame-options']).toBe('DENY');
  if (jsOn()) {
    await page.locator('body[data-hydrated]').waitFor();
    // Marks this document: if a form answer loaded a new page, the mark is gone.
    await page.evaluate(() => { window.samePage = true; });
  }
  return policy;
}

/** With JavaScript on: nothing was blocked and the form answered without loading a new page. */
async function cleanAndInPlace(page, problems) {
  if (jsOn()) {
    expect(await page.evaluate(() => window.samePage)).toBe(true);
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  }
  expect(problems).toEqual([]);
}

async function logIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a portal page hydrates under the policy and its form submits in place', async ({ page }, info) => {
  const problems = await watch(page);
  await logIn(page, 'ana@brightreviews.test');
  await expect(page).toHaveURL(/\/portal$/);
  const first = await open(page, '/portal/links');
  await expect(page.getByRole('heading', { name: 'Your tracked links' })).toBeVisible();

  const campaign = `csp-${info.project.name}-${Date.now()}`;
  await page.getByLabel('Destination').fill(`https://example.com/csp/${campaign}`);
  await page.getByLabel('Campaign').fill(campaign);
  await page.getByRole('button', { name: 'Create link' }).click();
  await expect(page.getByText('Your new link is ready:')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(campaign) })).toBeVisible();
  await cleanAndInPlace(page, problems);

  // Every answer has its own nonce.
  expect(await open(page, '/portal/links')).not.toEqual(first);
  await cleanAndInPlace(page, problems);
});

test('a console page hydrates under the policy and its form submits in place', async ({ page }) => {
  const problems = await watch(page);
  await logIn(page, 'manager@acme.test');
  await expect(page).toHaveURL(/\/console$/);
  await page.goto('/console/programs');
  await page.getByRole('link', { name: 'Acme Affiliates settings' }).click();
  await expect(page.getByRole('heading', { name: 'Tracking settings', exact: true })).toBeVisible();
  await open(page, page.url());
  await page.getByLabel('Cookie window (days)').fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await cleanAndInPlace(page, problems);

  // The commission queue: a wide table with its decision forms.
  await open(page, '/console/commissions');
  await expect(page.getByRole('heading', { name: 'Commission approvals' })).toBeVisible();
  await cleanAndInPlace(page, problems);
});
