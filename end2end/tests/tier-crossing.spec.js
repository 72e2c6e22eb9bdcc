// A partner crosses a tier threshold through the conversion API, with JavaScript on and off.
// The operator puts Gold just above Bright Reviews' revenue, paying the demo's "Gold creators
// 25%" plan; Ana's dashboard says how much is missing; the merchant reports a sale of that much
// through the API; the operator runs the evaluation, which promotes Bright Reviews to Gold; and
// the next sale through the API is paid 25%. tiers.spec.js, which runs next, puts Gold back out
// of reach with no grace period, so Bright Reviews returns to its own terms for later specs.
const { test, expect } = require('@playwright/test');
const { acceptAgreement, openProgramTab, ready, signedIn } = require('./session');
const { previewTiers, runTierEvaluation, saveTiersAndRun } = require('./tiers');

const headers = { Authorization: `Bearer ${process.env.TRELLIS_E2E_API_KEY}` };

/// Sets Gold's revenue threshold and plan (no conversions needed, no grace period), saves the
/// ladder and runs the evaluation.
async function setGold(admin, revenue, plan) {
  await openProgramTab(admin, 'Acme Affiliates', 'Tiers');
  const gold = admin.getByRole('group', { name: 'Tier 3' });
  await admin.getByLabel('Grace period (days)').fill('0');
  await gold.getByLabel('Revenue (EUR)').fill(revenue);
  await gold.getByLabel('Conversions').fill('0');
  await gold.getByLabel('Commission').selectOption({ label: plan });
  await previewTiers(admin);
  await saveTiersAndRun(admin, Number(revenue).toLocaleString('en-US', { minimumFractionDigits: 2 }));
}

/// What Ana's dashboard says Bright Reviews still needs for Gold, in euros.
async function missingForGold(ana) {
  await ana.goto('/portal');
  await ready(ana);
  const card = ana.getByRole('region', { name: 'Your tier in Acme Affiliates' });
  const missing = card.getByText(/more revenue in the next 90 days to reach Gold/);
  await expect(missing).toBeVisible();
  const [, amount] = (await missing.innerText()).match(/EUR ([\d,]+\.\d\d) more revenue/);
  return Number(amount.replaceAll(',', ''));
}

test('a partner crosses the Gold threshold through the conversion API and its next sale pays the Gold plan', async ({ browser, request }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const tag = `${info.project.name}-${Date.now()}`;
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  const ana = await signedIn(browser, js, 'ana@brightreviews.test', /\/portal(\/agreements\?next=.*)?$/);
  if (ana.url().includes('/portal/agreements')) await acceptAgreement(ana, 'Acme Affiliates', /\/portal$/);

  // Gold out of reach first, so Bright Reviews starts below it whatever ran before; its
  // dashboard's gap tells its revenue, and Gold is then put EUR 40 above that.
  await setGold(admin, '99999', 'Pay the Gold creators 25% plan');
  const revenue = 99999 - (await missingForGold(ana));
  const threshold = (Math.floor(revenue) + 40).toFixed(2);
  await setGold(admin, threshold, 'Pay the Gold creators 25% plan');
  const gap = await missingForGold(ana);
  expect(gap).toBeGreaterThan(0);
  expect(gap).toBeLessThanOrEqual(40);

  // The merchant reports a sale of exactly what is missing, attributed by Ana's coupon.
  const sell = async (n, amount) => {
    const reply = await request.post('/api/v1/conversions', {
      headers,
      data: { order_id: `E2E-TIER-${tag}-${n}`, amount, currency: 'EUR', coupon: 'BRIGHT20' },
    });
    expect(reply.status()).toBe(201);
    const body = await reply.json();
    expect(body.partner.name).toBe('Bright Reviews');
    return body;
  };
  await sell(1, gap.toFixed(2));

  // The evaluation promotes Bright Reviews, and the tier history says why.
  await openProgramTab(admin, 'Acme Affiliates', 'Tiers');
  await runTierEvaluation(admin);
  await expect(admin.getByText(/Evaluated \d+ partners: 1 promoted/)).toBeVisible();
  await expect(admin.getByRole('row', { name: /Bright Reviews Promoted from Silver to Gold/ }).first()).toBeVisible();

  // The next sale is paid under the Gold plan: 25% of EUR 200.00.
  const next = await sell(2, '200.00');
  expect(next.commission).toEqual({ amount: '50.00', currency: 'EUR', status: 'pending' });

  // Ana's dashboard shows Gold, the top tier.
  await ana.goto('/portal');
  await ready(ana);
  await expect(ana.getByRole('heading', { name: 'Gold · Acme Affiliates' })).toBeVisible();
  await expect(ana.getByText('The top tier: there is no higher one to reach.')).toBeVisible();
});
