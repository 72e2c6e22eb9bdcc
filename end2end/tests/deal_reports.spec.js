// The deal pipeline report in the console: an operator opens it from the navigation, sees the
// server-drawn charts, filters down to no deals and gets the empty states, exports a table as
// CSV, and sets a program's stage probabilities (a refused value first). Run with JavaScript on
// and off. Screenshots go to TRELLIS_E2E_SHOTS (default /tmp/trellis-e2e-shots).
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');

const DEMO_PASSWORD = 'trellis-demo-2026';
const SHOTS = process.env.TRELLIS_E2E_SHOTS || '/tmp/trellis-e2e-shots';

async function ready(page) {
  if (test.info().project.use.javaScriptEnabled) await page.locator('body[data-hydrated]').waitFor();
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-${test.info().project.name}.png`), fullPage: true });
}

test('an operator reads the deal pipeline, exports it and sets stage probabilities', async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled;
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill('admin@acme.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/console$/);

  await page.getByRole('navigation', { name: 'Operator console' }).getByRole('link', { name: 'Deal pipeline' }).click();
  await expect(page).toHaveURL(/\/console\/reports\/deals$/);
  await ready(page);
  await expect(page.getByRole('heading', { name: 'Deal pipeline', level: 1 })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Open deals by stage: Registered/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Registrations per week: / })).toBeVisible();
  await shot(page, 'deal-report');

  // Dates long before any deal: every section says so, and the charts are still drawn.
  await page.getByLabel('Registered from').fill('2000-01-01');
  await page.getByLabel('Registered to').fill('2000-01-31');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/from=2000-01-01&to=2000-01-31/);
  await ready(page);
  await expect(page.getByRole('heading', { name: 'No deals match these filters' })).toBeVisible();
  await expect(page.getByText('No open deals match these filters.').first()).toBeVisible();
  await expect(page.getByText('No deals were registered in these twelve weeks.')).toBeVisible();
  await expect(page.getByRole('img', { name: /^Open deals by stage: Registered 0/ })).toBeVisible();
  await shot(page, 'deal-report-empty');

  // Every table exports to CSV with the page's filters.
  const csvLink = page.getByRole('link', { name: 'Download “Pipeline by stage” as CSV' });
  await expect(csvLink).toHaveAttribute('href', '/console/reports/deals.csv?table=stages&from=2000-01-01&to=2000-01-31');
  const csv = await page.request.get(await csvLink.getAttribute('href'));
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toBe('stage,currency,deals,pending,approved,value,weighted_value\r\n');

  // One program's stage probabilities: a later stage below an earlier one is refused beside
  // its field, then good values are saved.
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await ready(page);
  await page.getByLabel('Program', { exact: true }).selectOption({ label: 'Acme Resellers' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/program=\d+/);
  await ready(page);
  const section = page.getByRole('region', { name: 'Stage probabilities' });
  await section.getByLabel('Negotiation (%)').fill('20');
  await section.getByRole('button', { name: 'Save stage probabilities' }).click();
  await expect(page.getByText('20% is below the proposal stage', { exact: false })).toBeVisible();
  const negotiation = js ? '85' : '80';
  await page.getByRole('region', { name: 'Stage probabilities' }).getByLabel('Negotiation (%)').fill(negotiation);
  await page.getByRole('region', { name: 'Stage probabilities' }).getByRole('button', { name: 'Save stage probabilities' }).click();
  await expect(page.getByText('Stage probabilities saved. The forecast uses them from now on.')).toBeVisible();
  await page.reload();
  await ready(page);
  await expect(page.getByRole('region', { name: 'Stage probabilities' }).getByLabel('Negotiation (%)')).toHaveValue(negotiation);
  await shot(page, 'deal-report-program');
});
