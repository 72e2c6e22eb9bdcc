// Tiers, with JavaScript on and off: an operator puts Gold out of reach (no grace period) and
// runs the evaluation, so each run starts from the same place; then tries an unordered
// threshold (refused beside its field), previews a reachable one (Bright Reviews would move up
// to Gold), saves it and runs the evaluation; Bright Reviews' owner sees Gold on the dashboard.
// The Gold tier keeps the partner's terms here, so later specs' commissions are unchanged
// (the HTTP test `tiers` covers the Gold plan paying the next sale).
const { test, expect } = require('@playwright/test');
const { acceptAgreement, openProgramTab, signedIn } = require('./session');
const { previewTiers: preview, saveTiersAndRun: saveAndRun } = require('./tiers');

test('an operator previews and saves tier criteria, the evaluation promotes, and the partner sees it', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await openProgramTab(admin, 'Acme Affiliates', 'Tiers');
  await expect(admin.getByRole('heading', { name: 'Tiers in force' })).toBeVisible();
  const gold = admin.getByRole('group', { name: 'Tier 3' });

  // From the same place every run: Gold out of reach and no grace, so nobody holds it.
  await admin.getByLabel('Grace period (days)').fill('0');
  await gold.getByLabel('Revenue (EUR)').fill('99999');
  await gold.getByLabel('Commission').selectOption({ label: "Keep the partner's own terms" });
  await preview(admin);
  await expect(admin.getByRole('heading', { name: 'Impact if saved today' })).toBeVisible();
  await saveAndRun(admin, '99,999.00');

  // A Gold that needs less than Silver is refused beside its field, with nothing to save.
  await gold.getByLabel('Revenue (EUR)').fill('500');
  await preview(admin);
  await expect(gold.getByText('Gold needs less revenue than Silver below it')).toBeVisible();
  await expect(gold.getByLabel('Revenue (EUR)')).toHaveValue('500');
  await expect(admin.getByRole('button', { name: 'Save these tiers' })).toHaveCount(0);

  // A reachable Gold: the preview shows Bright Reviews moving up now.
  await admin.getByLabel('Grace period (days)').fill('30');
  await gold.getByLabel('Revenue (EUR)').fill('1500');
  await preview(admin);
  const bright = admin.getByRole('row', { name: /Bright Reviews/ }).filter({ hasText: '▲ Gold' });
  await expect(bright.getByRole('cell', { name: 'Now' })).toBeVisible();
  await saveAndRun(admin, '1,500.00');
  await expect(admin.getByRole('row', { name: /Bright Reviews Promoted from Silver to Gold/ }).first()).toBeVisible();

  // The partner's dashboard shows the tier and that it is the top one.
  const ana = await signedIn(browser, js, 'ana@brightreviews.test', /\/portal(\/agreements\?next=.*)?$/);
  if (ana.url().includes('/portal/agreements')) await acceptAgreement(ana, 'Acme Affiliates', /\/portal$/);
  await expect(ana.getByRole('heading', { name: 'Gold · Acme Affiliates' })).toBeVisible();
  await expect(ana.getByText('The top tier: there is no higher one to reach.')).toBeVisible();
});
