// The top bar's brand switcher, with JavaScript on and off: an admin who sees every brand
// narrows the console to Globex (the programs list then shows Globex's program only, and the
// page says so), and goes back to every brand on the same page.
const { test, expect } = require('@playwright/test');
const { ready, signedIn } = require('./session');

test('an admin narrows the console to one brand and back', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await admin.goto('/console/programs');
  await ready(admin);
  const programs = admin.getByRole('table');
  await expect(programs.getByText('Acme Affiliates')).toBeVisible();
  await expect(programs.getByText('Globex Creators')).toBeVisible();

  const switcher = admin.getByRole('form', { name: 'Switch brand' });
  await switcher.getByLabel('Brand').selectOption({ label: 'Globex' });
  await switcher.getByRole('button', { name: 'Switch' }).click();
  await expect(admin).toHaveURL(/\/console\/programs$/);
  await expect(admin.getByText('Showing Globex only.')).toBeVisible();
  await expect(programs.getByText('Globex Creators')).toBeVisible();
  await expect(programs.getByText('Acme Affiliates')).toHaveCount(0);
  await expect(switcher.getByLabel('Brand')).toHaveValue(/^\d+$/);
  await admin.screenshot({ path: test.info().outputPath('console-narrowed-to-globex.png'), fullPage: true });

  await ready(admin);
  await switcher.getByLabel('Brand').selectOption({ label: 'All brands' });
  await switcher.getByRole('button', { name: 'Switch' }).click();
  await expect(admin.getByText('Showing every brand.')).toBeVisible();
  await expect(programs.getByText('Acme Affiliates')).toBeVisible();
  await expect(switcher.getByLabel('Brand')).toHaveValue('all');
});
