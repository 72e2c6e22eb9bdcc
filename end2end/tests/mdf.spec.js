// Market development funds end to end: a reseller requests funds for a webinar, a manager
// approves a smaller amount, the reseller files a claim with a proof file after the activity,
// finance downloads the proof and approves the claim for less than was claimed (a claim pays
// money out, so the manager can't), and the reseller's balance shows it. Run with JavaScript
// on and off.
const { test, expect } = require('@playwright/test');
const { openProgramTab, ready, signedIn } = require('./session');
const { waitForMail } = require('./mail');

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** "USD 10,000.00" → 10000 */
function dollars(text) {
  return Number(text.replace(/[^0-9.]/g, ''));
}

function card(page, label) {
  return page.locator('.mdf-fund').first().locator('.card', { has: page.locator(`dt:text-is("${label}")`) }).locator('dd');
}

async function shot(page, name) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test('MDF: a request is approved for less, the claim is filed with a proof file and approved, and the balance shows it', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const tag = `${js ? 'js' : 'nojs'}${Date.now() % 1000000}`;
  const today = new Date().toISOString().slice(0, 10);

  // The reseller sees its allocation and asks for 3,000 for a webinar.
  const partner = await signedIn(browser, js, 'ops@northwind.test', /\/portal$/);
  await partner.goto('/portal/mdf');
  await ready(partner);
  await expect(partner.getByRole('heading', { name: 'Your balances' })).toBeVisible();
  const availableBefore = dollars(await card(partner, 'Available').innerText());
  const claimedBefore = dollars(await card(partner, 'Claimed').innerText());
  expect(availableBefore).toBeGreaterThanOrEqual(3000);
  await partner.getByLabel('Activity type').selectOption('webinar');
  await partner.getByLabel('Description').fill(`E2E webinar ${tag}`);
  await partner.getByLabel('Start date').fill(today);
  await partner.getByLabel('End date').fill(today);
  await partner.getByLabel('Amount requested').fill('3000');
  await partner.getByLabel('Expected outcome').fill('40 attendees, 5 opportunities');
  await partner.getByRole('button', { name: 'Send request' }).click();
  await expect(partner.getByText(/Request #\d+ sent/)).toBeVisible();
  const row = partner.getByRole('row', { name: new RegExp(tag) });
  await expect(row).toContainText('Waiting for a decision');
  const link = row.getByRole('link', { name: /#\d+ · Webinar/ });
  const id = (await link.innerText()).match(/#(\d+)/)[1];
  await shot(partner, 'portal-mdf-requested');

  // A manager approves 2,500 of it from the queue.
  const manager = await signedIn(browser, js, 'manager@acme.test', /\/console$/);
  await manager.getByRole('link', { name: 'MDF', exact: true }).click();
  await expect(manager).toHaveURL(/\/console\/mdf/);
  await ready(manager);
  await expect(manager.getByRole('row', { name: new RegExp(tag) })).toContainText('USD 3,000.00');
  await shot(manager, 'console-mdf-queue');
  await manager.getByLabel(`Amount (USD) for #${id}`).fill('2500');
  await manager.getByRole('button', { name: `Approve request #${id}` }).click();
  await expect(manager.getByText(`Request #${id} approved: the partner has been emailed.`)).toBeVisible();
  await expect(manager.getByRole('row', { name: new RegExp(tag) })).toHaveCount(0);
  const approvedMail = await waitForMail('ops@northwind.test', new RegExp(`request #${id} .*approved for USD 2,500\\.00 \\(you asked for USD 3,000\\.00\\)`));
  expect(approvedMail).toContain(`/portal/mdf/${id}`);

  // The reseller files its claim: 2,000 of the 2,500, with a photo of the webinar.
  await partner.goto(`/portal/mdf/${id}`);
  await ready(partner);
  await expect(partner.getByText('Approved: claim due')).toBeVisible();
  await expect(partner.getByText(/File the claim by \d+ \w+ \d{4}/)).toBeVisible();
  await partner.getByLabel('Amount claimed (USD)').fill('2000');
  await partner.getByLabel('Actual cost (USD)').fill('2100');
  await partner.getByLabel('Leads').fill('14');
  await partner.getByLabel('Attendees').fill('41');
  await partner.getByLabel('Proof of performance').setInputFiles({ name: `webinar-${tag}.png`, mimeType: 'image/png', buffer: PNG });
  await partner.getByRole('button', { name: 'File claim' }).click();
  await expect(partner.getByText(`Claim filed for request #${id} with 1 file`)).toBeVisible();
  await expect(partner.getByText('Claim under review')).toBeVisible();
  await shot(partner, 'portal-mdf-claimed');

  // The manager sees the claim but has no form to decide it.
  await manager.goto(`/console/mdf/${id}`);
  await ready(manager);
  await expect(manager.getByRole('button', { name: `Approve claim for #${id}` })).toHaveCount(0);

  // Finance opens the MDF queue on its claims, reviews the proof (it downloads as the stored
  // PNG) and approves 1,800.
  const finance = await signedIn(browser, js, 'finance@acme.test', /\/console$/);
  await finance.getByRole('link', { name: 'MDF', exact: true }).click();
  await expect(finance).toHaveURL(/\/console\/mdf/);
  await ready(finance);
  await finance.getByRole('row', { name: new RegExp(tag) }).getByRole('link', { name: 'Review 1 proof file' }).click();
  await expect(finance).toHaveURL(new RegExp(`/console/mdf/${id}`));
  await ready(finance);
  const download = finance.getByRole('link', { name: `Download webinar-${tag}.png` });
  const file = await finance.request.get(await download.getAttribute('href'));
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('image/png');
  expect(file.headers()['content-disposition']).toContain('attachment');
  expect(Buffer.compare(await file.body(), PNG)).toBe(0);
  await finance.getByLabel(`Amount (USD) for #${id}`).fill('1800');
  await shot(finance, 'console-mdf-claim');
  await finance.getByRole('button', { name: `Approve claim for #${id}` }).click();
  await expect(finance.getByText(`Claim for request #${id} approved`)).toBeVisible();
  await expect(finance.getByText('Claim approved: payable')).toBeVisible();

  // The program's MDF tab shows the fund and the reseller's balance in it.
  await openProgramTab(manager, 'Acme Resellers', 'MDF');
  await expect(manager.getByRole('row', { name: /Northwind Systems/ })).toContainText('USD 10,000.00');
  await expect(manager.getByRole('button', { name: 'Allocate' })).toBeVisible();
  await shot(manager, 'console-program-mdf');

  // The reseller's balances show it: 1,800 claimed and payable, the other 700 back.
  await waitForMail('ops@northwind.test', new RegExp(`USD 1,800\\.00 \\(you claimed USD 2,000\\.00\\) is payable`));
  await partner.goto(`/portal/mdf/${id}`);
  await expect(partner.getByText('Claim approved: payable')).toBeVisible();
  await expect(partner.getByText('USD 1,800.00').first()).toBeVisible();
  await partner.goto('/portal/mdf');
  await expect(card(partner, 'Available')).toHaveText(`USD ${(availableBefore - 1800).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  await expect(card(partner, 'Claimed')).toHaveText(`USD ${(claimedBefore + 1800).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  await expect(partner.getByRole('row', { name: new RegExp(tag) })).toContainText('Claim approved: payable');
  await shot(partner, 'portal-mdf-done');
});
