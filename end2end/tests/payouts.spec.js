// Payout details end to end: a partner's owner types a mistyped IBAN and sees the error beside
// it with the rest of the form kept, then the right one, and sees only its last four; then gives
// a W-8BEN with a VAT id, shown masked. With JavaScript on, Lumen Media gives its first details
// (ready at once); with it off, Ana replaces the details the demo gave her, so her payouts are
// held for review. (payout-runs.spec.js pays Ana before this runs, with JavaScript on.)
const { test, expect } = require('@playwright/test');
const { ready, signedIn } = require('./session');

test('an owner gives an IBAN (a mistyped one first) and a W-8BEN, and sees only last fours', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const email = js ? 'hello@lumenmedia.test' : 'ana@brightreviews.test';
  const page = await signedIn(browser, js, email, /\/portal$/);
  await page.getByRole('navigation').getByRole('link', { name: 'Payouts' }).click();
  await expect(page.getByRole('heading', { name: 'Payouts', level: 1 })).toBeVisible();
  if (js) await expect(page.getByText('No payout method for EUR yet')).toBeVisible();
  await ready(page);

  const methods = page.getByRole('region', { name: 'Where we pay you' });
  await methods.getByLabel('Pay me by').selectOption('sepa');
  await expect(methods.getByLabel('IBAN')).toBeVisible();
  await expect(methods.getByLabel('Account email')).toBeHidden();
  await methods.getByLabel('Account holder').fill('E2E Holder');
  await methods.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 01');
  await methods.getByLabel('BIC (SWIFT code)').fill('COBADEFFXXX');
  await methods.getByRole('button', { name: 'Save payout method' }).click();
  await expect(page.getByText("This IBAN's check digits don't match")).toBeVisible();
  await expect(methods.getByLabel('Account holder')).toHaveValue('E2E Holder');
  await expect(methods.getByLabel('BIC (SWIFT code)')).toHaveValue('COBADEFFXXX');

  await ready(page);
  await methods.getByLabel('Pay me by').selectOption('sepa');
  await methods.getByLabel('Account holder').fill('E2E Holder');
  await methods.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await methods.getByLabel('BIC (SWIFT code)').fill('COBADEFFXXX');
  await methods.getByRole('button', { name: 'Save payout method' }).click();
  const row = methods.getByRole('row', { name: /EUR/ });
  await expect(row.getByText('SEPA •••• 3000 (COBADEFFXXX)')).toBeVisible();
  await expect(row.getByText(js ? 'Ready' : /Held for review until/)).toBeVisible();
  await expect(page.getByText('DE89370400440532013000')).toHaveCount(0);

  await ready(page);
  const tax = page.getByRole('region', { name: 'Tax details' });
  await tax.getByLabel('Tax form').selectOption('w8ben');
  await expect(tax.getByLabel('SSN or EIN')).toBeHidden();
  await tax.getByLabel('Legal name').fill('E2E Legal');
  await tax.getByRole('textbox', { name: /^Address/ }).fill('Calle Mayor 1, Madrid');
  await tax.getByLabel('Country of residence').selectOption('ES');
  await tax.getByLabel('Treaty article').fill('Article 7');
  await tax.getByLabel('EU VAT id (optional)').fill('ESX1234567X');
  await tax.getByLabel('Invoice name').fill('E2E Legal');
  await tax.getByLabel('Invoice address').fill('Calle Mayor 1, 28013 Madrid');
  await tax.getByRole('button', { name: 'Save tax details' }).click();
  await expect(tax.getByRole('definition').filter({ hasText: 'W-8BEN (individual outside the US)' })).toBeVisible();
  await expect(tax.getByText('•••• 567X')).toBeVisible();
  await page.context().close();
});
