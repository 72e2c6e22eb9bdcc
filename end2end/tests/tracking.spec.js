// Affiliate tracking end to end: a partner makes and copies a tracked link, a visitor follows it
// and lands on the merchant's page with the click id, the merchant reports the sale through the
// API, and the partner's dashboard shows the click, the conversion and the commission. Run with
// JavaScript on and off (see playwright.config.js).
const { test, expect } = require('@playwright/test');

const DEMO_PASSWORD = 'trellis-demo-2026';

async function ready(page) {
  if (test.info().project.use.javaScriptEnabled) await page.locator('body[data-hydrated]').waitFor();
}

async function logIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/portal$/);
}

test('a partner copies a link, a visitor follows it, a sale is reported, the dashboard shows it', async ({ browser, page, request, baseURL }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const campaign = `E2E ${info.project.name} ${Date.now()}`;
  const amount = js ? '123.45' : '67.80';
  const commission = js ? 'EUR 24.69' : 'EUR 13.56';

  await logIn(page, 'ana@brightreviews.test');
  await page.goto('/portal/links');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'Your tracked links' })).toBeVisible();

  // A destination outside the program's domains is refused beside the field, and nothing is made.
  await page.getByLabel('Destination').fill('https://evil.test/phish');
  await page.getByLabel('Campaign').fill(campaign);
  await page.getByRole('button', { name: 'Create link' }).click();
  await expect(page.getByText('evil.test is not an allowed landing domain for this program.', { exact: false })).toBeVisible();
  await expect(page.getByLabel('Campaign')).toHaveValue(campaign);

  // The program allows the merchant's test shop (see end2end/run) as a landing domain.
  const merchant = process.env.TRELLIS_E2E_MERCHANT_URL;
  await page.getByLabel('Destination').fill(`${merchant}/spring-offer/`);
  await page.getByRole('button', { name: 'Create link' }).click();
  await expect(page.getByText('Your new link is ready:')).toBeVisible();
  const linkField = page.getByRole('textbox', { name: new RegExp(campaign) });
  await expect(linkField).toBeVisible();
  const trackedUrl = await linkField.inputValue();
  expect(trackedUrl).toMatch(/\/r\/[A-Za-z0-9]{8}$/);
  const code = trackedUrl.split('/r/')[1];
  await expect(page.getByRole('row', { name: new RegExp(campaign) }).getByText('Show QR code')).toBeVisible();

  if (js) {
    // The copy button puts the link on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    await page.getByRole('button', { name: `Copy ${campaign}` }).click();
    await expect(page.getByRole('button', { name: `Copy ${campaign}` })).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(trackedUrl);
  }

  // A visitor follows the link and lands on the merchant's page with the click id.
  const visitor = await browser.newContext({ javaScriptEnabled: js });
  const landing = await visitor.newPage();
  await landing.goto(trackedUrl);
  await expect(landing).toHaveURL(new RegExp(`^${merchant}/spring-offer/\\?trl_click=[A-Za-z0-9]{22}$`));
  await expect(landing.getByRole('heading', { name: 'Acme Cloud' })).toBeVisible();
  const clickId = new URL(landing.url()).searchParams.get('trl_click');
  if (js) {
    // t.js kept the click id on the merchant's site and filled the checkout field.
    await expect(landing.locator('#click')).toHaveText(clickId);
    await expect(landing.getByLabel('Click id field')).toHaveValue(clickId);
  }
  await visitor.close();

  // The merchant reports the sale with that click id.
  const orderId = `E2E-${info.project.name}-${Date.now()}`;
  const sale = { order_id: orderId, amount, currency: 'EUR', click_id: clickId };
  const headers = { Authorization: `Bearer ${process.env.TRELLIS_E2E_API_KEY}` };
  const created = await request.post('/api/v1/conversions', { data: sale, headers });
  expect(created.status()).toBe(201);
  const body = await created.json();
  expect(body.attribution.method).toBe('click');
  expect(body.partner.name).toBe('Bright Reviews');
  const replay = await request.post('/api/v1/conversions', { data: sale, headers });
  expect(replay.status()).toBe(200);

  // The partner's dashboard shows the click, the conversion and the commission for this link.
  await page.goto('/portal?period=7d');
  await ready(page);
  const row = page.getByRole('row', { name: new RegExp(code) });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(0)).toHaveText('1');
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await expect(row).toContainText(commission);
  await expect(page.getByRole('img', { name: /clicks and .* conversions over 7 days/ })).toBeVisible();
});
