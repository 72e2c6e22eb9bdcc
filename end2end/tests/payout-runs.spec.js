// A payout run end to end: finance makes a run, a second person in finance approves it and takes
// its file, finance marks the payment paid, and the partner sees it paid and opens the
// statement, a numbered self-billing invoice. With JavaScript on the run is as of five days ago
// and pays Ana's bonus from ten days ago (by SEPA, so the SEPA file is downloaded); with it off,
// as of the server's today, it pays Northwind's newer USD bonus (a US bank transfer, in the
// generic file) together with whatever else other tests made payable by then (commissions.spec
// moves the server's clock past lock periods), so that amount is read from the run's page.
// Among those are Northwind's MDF claims that mdf.spec had approved (it runs before this spec
// on the same database): they are paid in the same payment, and Northwind's MDF page says so.
// The demo seeds both bonuses and the details they are paid to.
const { test, expect } = require('@playwright/test');
const { signedIn } = require('./session');

function day(offset) {
  const d = new Date(Date.now() + offset * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('finance makes a run, a second person approves it, it is paid and the partner reads the statement', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const partner = js
    ? { email: 'ana@brightreviews.test', name: 'Bright Reviews', bonus: 'Black Friday placement bonus', amount: 'EUR 120.00' }
    : { email: 'ops@northwind.test', name: 'Northwind Systems', bonus: 'Co-selling launch bonus', amount: null };

  const finance = await signedIn(browser, js, 'finance@acme.test', /\/console/);
  await finance.goto('/console/payouts');
  const form = finance.getByRole('region', { name: 'Make a payout run' });
  await form.getByLabel('Brand').selectOption({ label: 'Acme Cloud' });
  // The form starts at the server's today (other tests move the server's clock forward).
  if (js) await form.getByLabel('Payable as of').fill(day(-5));
  await form.getByRole('button', { name: 'Make the run' }).click();
  await expect(finance.getByRole('heading', { name: /Payout run #\d+/ })).toBeVisible();
  const runUrl = finance.url();
  const payments = finance.getByRole('table', { name: 'Payments of this run' });
  const made = payments.getByRole('row', { name: new RegExp(partner.name) });
  if (partner.amount) {
    await expect(made).toContainText(partner.amount);
  } else {
    // At least the bonus; more when other tests' commissions are payable by the server's today.
    await expect(made).toContainText(/USD [\d,]+\.\d\d/);
    partner.amount = (await made.textContent()).match(/USD [\d,]+\.\d\d/)[0];
    expect(Number(partner.amount.slice(4).replace(/,/g, ''))).toBeGreaterThanOrEqual(150);
  }
  await expect(finance.getByText('You made this run, so someone else in finance approves it')).toBeVisible();

  const checker = await signedIn(browser, js, 'payables@acme.test', /\/console/);
  await checker.goto(runUrl);
  await checker.getByRole('button', { name: /Approve run #\d+/ }).click();
  await expect(checker.getByText('Approved: pay and settle').first()).toBeVisible();
  const link = js
    ? checker.getByRole('link', { name: /SEPA credit transfer file for Acme Cloud/ })
    : checker.getByRole('link', { name: 'Every payment (CSV, accounts masked)' });
  const [download] = await Promise.all([checker.waitForEvent('download'), link.click()]);
  const body = require('fs').readFileSync(await download.path(), 'utf8');
  if (js) {
    expect(body).toContain('pain.001.001.03');
    expect(body).toContain('<CtrlSum>120.00</CtrlSum>');
  } else {
    expect(body).toContain('Northwind Systems');
    expect(body).toContain(partner.amount.slice(4).replace(/,/g, ''));
  }
  await checker.context().close();

  await finance.goto(runUrl);
  const row = finance.getByRole('table', { name: 'Payments of this run' }).getByRole('row', { name: new RegExp(partner.name) });
  await row.getByText('Mark paid or failed').click();
  await expect(row.getByLabel('Paid on')).not.toHaveValue('');
  await row.getByLabel('Bank reference').fill('E2E-BANK-1');
  await row.getByRole('button', { name: 'Mark paid' }).click();
  await expect(finance.getByRole('table', { name: 'Payments of this run' }).getByText('E2E-BANK-1')).toBeVisible();
  await finance.context().close();

  const portal = await signedIn(browser, js, partner.email, /\/portal/);
  await portal.goto('/portal/payouts');
  const history = portal.getByRole('table', { name: 'Payouts' });
  const paid = history.getByRole('row', { name: new RegExp(partner.amount.replace(/[.,]/g, '\\$&')) }).first();
  await expect(paid.getByText('Paid', { exact: true })).toBeVisible();
  await paid.getByRole('link', { name: 'Open statement' }).click();
  await expect(portal.getByRole('heading', { name: /Self-billing invoice ACME-\d{6}/ })).toBeVisible();
  await expect(portal.getByText(partner.bonus)).toBeVisible();
  await expect(portal.getByText('E2E-BANK-1')).toBeVisible();
  if (!js) {
    await expect(portal.getByText(/MDF claim, request #\d+/).first()).toBeVisible();
    await portal.goto('/portal/mdf');
    const claimed = portal.getByRole('row', { name: /E2E webinar/ });
    await expect(claimed.first()).toBeVisible();
    for (const claim of await claimed.all()) await expect(claim).toContainText('Paid');
    await portal.screenshot({ path: test.info().outputPath('portal-mdf-paid.png'), fullPage: true });
  }
  await portal.context().close();
});
