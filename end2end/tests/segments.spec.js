// Segments, with JavaScript on and off: an operator builds a filter on the Segments tab and sees
// its count (with JavaScript it follows each change; without, the Count button asks), a bad
// value is refused beside its field and keeps what was typed, and the segment is saved and
// listed with its members counted and a CSV export.
const { test, expect } = require('@playwright/test');
const { openProgramTab, ready, signedIn } = require('./session');

test('an operator counts, corrects and saves a segment', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const name = `Creators ${js ? 'with' : 'without'} JavaScript`;
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await openProgramTab(admin, 'Acme Affiliates', 'Segments');
  await expect(admin.getByRole('heading', { name: 'Build a segment' })).toBeVisible();

  await admin.getByLabel('Kind').selectOption({ label: 'Creator / influencer' });
  if (!js) await admin.getByRole('button', { name: 'Count the partners' }).click();
  await expect(admin).toHaveURL(/segments\?count=1.*kind=creator/);
  await ready(admin);
  await expect(admin.getByRole('heading', { name: /partners? match/ })).toBeVisible();
  await expect(admin.getByRole('cell', { name: 'Bright Reviews' })).toBeVisible();

  // Over 100% is refused beside its field, and what was typed stays.
  await admin.getByLabel('Bot clicks at most (%)').fill('150');
  await admin.getByRole('button', { name: 'Count the partners' }).click();
  await ready(admin);
  await expect(admin.getByText('The bot share: enter at most 100.')).toBeVisible();
  await expect(admin.getByLabel('Bot clicks at most (%)')).toHaveValue('150');
  await expect(admin.getByRole('button', { name: 'Save as a segment' })).toHaveCount(0);

  await admin.getByLabel('Bot clicks at most (%)').fill('');
  await admin.getByRole('button', { name: 'Count the partners' }).click();
  await ready(admin);
  await admin.getByLabel('Segment name').fill(name);
  await admin.getByRole('button', { name: 'Save as a segment' }).click();
  const row = admin.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /\/segments\/\d+\.csv$/);
  await expect(row.getByText('Creator / influencer')).toBeVisible();
});
