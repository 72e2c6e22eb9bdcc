// Deal registration end to end: a reseller registers an account, a second partner is refused
// the same domain (without learning whose it is), a manager approves the first registration,
// and the reseller marks the deal won, which books a commission through the reseller's terms.
// Run with JavaScript on and off; each run registers its own domain.
const { test, expect } = require('@playwright/test');
const { acceptAgreement, ready, signedIn } = require('./session');

/** Fills and sends the registration form for `domain`. */
async function register(page, company, domain, value) {
  await page.goto('/portal/deals/new');
  await ready(page);
  await page.getByLabel('Company').fill(company);
  await page.getByLabel('Website or domain').fill(domain);
  await page.getByLabel('Country').selectOption('US');
  await page.getByLabel('Contact name').fill('Peter Gibbons');
  await page.getByLabel('Contact email').fill('peter@initech.example');
  await page.getByLabel('Acme Cloud Platform').check();
  await page.getByLabel('Estimated value').fill(value);
  await page.getByLabel('Expected close date').fill('2027-09-30');
  await page.getByRole('button', { name: 'Register the deal' }).click();
}

test('a registered deal is protected from a rival, approved, won, and pays a commission', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const tag = `${js ? 'js' : 'nojs'}${Date.now() % 1000000}`;
  const domain = `initech-${tag}.example`;
  const company = `Initech ${tag}`;

  const northwind = await signedIn(browser, js, 'ops@northwind.test', /\/portal$/);
  await northwind.goto('/portal/deals');
  await expect(northwind.getByRole('link', { name: 'Register a deal' })).toBeVisible();
  await register(northwind, company, `https://www.${domain}/pricing`, '40000');
  await expect(northwind).toHaveURL(/\/portal\/deals\/\d+$/);
  await expect(northwind.getByRole('heading', { name: `${company} · ${domain}` })).toBeVisible();
  await expect(northwind.getByText('Waiting for approval')).toBeVisible();
  const dealUrl = northwind.url();

  // The rival is refused the account; the error sits beside the domain and names nobody.
  // Orbit was approved after the demo was seeded, so its first login (in whichever project runs
  // first) accepts the program's agreement.
  const orbit = await signedIn(browser, js, 'partners@orbit.test', /\/portal(\/agreements\?next=.*)?$/);
  if (orbit.url().includes('/portal/agreements')) await acceptAgreement(orbit, 'Acme Resellers', /\/portal$/);
  await register(orbit, 'Initech', domain, '5000');
  const error = orbit.getByText(`${domain} is already registered in Acme Resellers`);
  await expect(error).toBeVisible();
  await expect(orbit.getByText('Northwind')).toHaveCount(0);
  await expect(orbit.getByLabel('Company')).toHaveValue('Initech');

  // A manager approves the registration from the queue.
  const manager = await signedIn(browser, js, 'manager@acme.test', /\/console$/);
  await manager.goto('/console/deals');
  await manager.getByRole('link', { name: company }).click();
  await expect(manager).toHaveURL(/\/console\/deals\/\d+$/);
  await ready(manager);
  await manager.getByRole('button', { name: 'Approve and protect' }).click();
  await expect(manager.getByText(/approved\. The partner is protected/)).toBeVisible();
  await expect(manager.getByText('Approved and protected')).toBeVisible();

  // The reseller wins the deal; its commission (10% resale margin) appears in the ledger.
  await northwind.goto(dealUrl);
  await ready(northwind);
  await expect(northwind.getByText('Approved and protected')).toBeVisible();
  await northwind.getByLabel('Stage').selectOption('won');
  await northwind.getByRole('textbox', { name: 'Value', exact: true }).fill('42000');
  await northwind.getByRole('button', { name: 'Save the stage' }).click();
  await expect(northwind.getByText(/is won\. Its commission of USD 4,200\.00/)).toBeVisible();
  await northwind.goto('/portal/commissions');
  await expect(northwind.getByRole('row', { name: /USD 4,200\.00/ }).first()).toBeVisible();
});
