// The commission engine end to end: an operator sets up a tiered plan and puts a partner on it,
// the partner's second sale crosses a band and earns exactly what the plan declares, that
// commission goes through two-stage approval (a manager, then finance), and it becomes payable
// once the program's lock period is over. Time moves by writing seconds into the server's clock
// file (see end2end/run), never by sleeping. Run with JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { ready, signedIn } = require('./session');
const fs = require('fs');

const DAY = 86400;

/** A page in its own browser context, logged in as `email`. */
function setClock(seconds) {
  fs.writeFileSync(process.env.TRELLIS_E2E_CLOCK_FILE, String(seconds));
}

/** "2026-11-21T10:15" in UTC, for a datetime-local input that the console reads as UTC. */
function utcMinute(date) {
  return date.toISOString().slice(0, 16);
}

test.afterEach(() => setClock(0));

test('a tiered plan pays a crossed band, two people approve it, and it becomes payable after the lock', async ({ browser, request }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const tag = `${js ? 'js' : 'nojs'}${Date.now() % 1000000}`;
  // Each run uses its own event type, so the partner's earlier volume (demo traffic, the other
  // project's run) is not in this rule's bands.
  const event = `upgrade_${tag}`;
  const planName = `E2E tiers ${tag}`;
  const coupon = `E2E${tag.toUpperCase()}`;

  // The admin creates the plan: revenue bands, each part of a sale paid at its own band's rate.
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await admin.goto('/console/programs');
  await admin.getByRole('link', { name: 'Acme Affiliates' }).first().click();
  await expect(admin).toHaveURL(/\/console\/programs\/\d+$/);
  const programUrl = admin.url();
  await admin.goto(`${programUrl}/plans`);
  await ready(admin);
  await admin.getByLabel('Plan name').fill(planName);
  await admin.getByLabel('Events', { exact: true }).fill(event);
  await admin.getByLabel('Pays', { exact: true }).selectOption('tiered');
  await admin.getByLabel('Tier basis').selectOption('revenue');
  await admin.getByLabel('Tier mode').selectOption('marginal');
  await admin.getByLabel('Tiers pay').selectOption('percent');
  await admin.getByLabel('Bands').fill('0-1000 10\n1000+ 50');
  await admin.getByRole('button', { name: 'Save plan' }).click();
  await expect(admin.getByText(/Plan (“.*” )?saved/)).toBeVisible();
  await expect(admin.getByRole('heading', { name: planName })).toBeVisible();

  // A coupon credits the partner's sales, and the partner's terms move to the new plan now.
  await admin.goto(`${programUrl}/coupons`);
  await ready(admin);
  await admin.getByLabel('Partner').selectOption({ label: 'Lumen Media' });
  await admin.getByLabel('Coupon code').fill(coupon);
  await admin.getByRole('button', { name: 'Assign code' }).click();
  await expect(admin.getByRole('cell', { name: coupon })).toBeVisible();

  await admin.goto(`${programUrl}/terms`);
  await ready(admin);
  await admin.getByRole('link', { name: 'Lumen Media' }).first().click();
  await expect(admin).toHaveURL(/\/partners\/\d+$/);
  await ready(admin);
  await admin.getByLabel('Plan', { exact: true }).first().selectOption({ label: planName });
  await admin.getByLabel('Effective from (UTC)').first().fill(utcMinute(new Date()));
  await admin.getByLabel('Reason').first().fill('Browser test: tiered plan');
  await admin.getByRole('button', { name: 'Change terms' }).click();
  await expect(admin.getByText('Terms changed: a new version, and an email to the partner.')).toBeVisible();

  // Two sales: 800 stays in the first band (10% = 80.00); 2,000 crosses it: 200 at 10% and
  // 1,800 at 50% = 920.00, which is above the program's finance threshold.
  const headers = { Authorization: `Bearer ${process.env.TRELLIS_E2E_API_KEY}` };
  const sell = async (n, amount) => {
    const reply = await request.post('/api/v1/conversions', {
      headers,
      data: { order_id: `E2E-${tag}-${n}`, event, amount, currency: 'EUR', coupon },
    });
    expect(reply.status()).toBe(201);
    return reply.json();
  };
  const first = await sell(1, '800.00');
  expect(first.partner.name).toBe('Lumen Media');
  expect(first.commission).toEqual({ amount: '80.00', currency: 'EUR', status: 'pending' });
  const second = await sell(2, '2000.00');
  expect(second.commission).toEqual({ amount: '920.00', currency: 'EUR', status: 'pending' });
  const order = `E2E-${tag}-2`;

  // A manager approves the first stage; the commission moves to finance.
  const manager = await signedIn(browser, js, 'manager@acme.test', /\/console$/);
  // Filtered to this amount, so the demo's and other tests' pending commissions (the queue
  // pages by 25) can't push the row off the first page.
  await manager.goto('/console/commissions?min_amount=900');
  await ready(manager);
  const managerRow = manager.getByRole('row', { name: new RegExp(order) });
  await expect(managerRow).toContainText('EUR 920.00');
  await managerRow.getByRole('button', { name: /^Approve commission/ }).click();
  await expect(manager.getByRole('row', { name: new RegExp(order) })).toHaveCount(0);
  await manager.goto('/console/commissions?tab=finance&min_amount=900');
  await expect(manager.getByRole('row', { name: new RegExp(order) })).toContainText('EUR 920.00');

  // Finance approves the second stage.
  const finance = await signedIn(browser, js, 'finance@acme.test', /\/console$/);
  await finance.goto('/console/commissions?tab=finance&min_amount=900');
  await ready(finance);
  const financeRow = finance.getByRole('row', { name: new RegExp(order) });
  await financeRow.getByRole('button', { name: /^Approve commission/ }).click();
  await expect(finance.getByRole('row', { name: new RegExp(order) })).toHaveCount(0);

  // The partner sees it approved and locked, with the terms that applied and why.
  const partner = await signedIn(browser, js, 'hello@lumenmedia.test', /\/portal$/);
  await partner.goto('/portal/commissions');
  const locked = partner.getByRole('row', { name: new RegExp(order) });
  await expect(locked).toContainText('EUR 920.00');
  await expect(locked).toContainText('Approved (locked)');
  await expect(locked).toContainText(planName);
  await expect(locked).toContainText('50%');

  // 31 days later the program's 30-day lock is over: the commission is payable.
  setClock(31 * DAY);
  const later = await signedIn(browser, js, 'hello@lumenmedia.test', /\/portal$/);
  await later.goto('/portal/commissions');
  const payable = later.getByRole('row', { name: new RegExp(order) });
  await expect(payable).toContainText('EUR 920.00');
  await expect(payable).toContainText('Payable');
});
