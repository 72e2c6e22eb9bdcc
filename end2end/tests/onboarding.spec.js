// Onboarding, with JavaScript on and off: the demo creator completes her profile (a mistyped
// website comes back beside its field with what was typed kept), the dashboard's checklist then
// counts the step as done, and an operator reads the time-to-first report.
const { test, expect } = require('@playwright/test');
const { ready, signedIn } = require('./session');

test('a partner completes her profile and the checklist follows', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const ana = await signedIn(browser, js, 'ana@brightreviews.test', /\/portal$/);
  await ana.getByRole('navigation', { name: 'Partner portal' }).getByRole('link', { name: 'Profile' }).click();
  await expect(ana).toHaveURL(/\/portal\/profile$/);
  await ready(ana);

  const about = `Honest reviews of home gear (${info.project.name}).`;
  const form = ana.getByRole('region', { name: 'Your profile' });
  await form.getByLabel(/^Website or main profile/).fill('not a site');
  await form.getByLabel(/^About you/).fill(about);
  await form.getByLabel('Email newsletter').check();
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(ana.getByText('Enter a valid website address, like https://example.com.')).toBeVisible();
  await expect(form.getByLabel(/^About you/)).toHaveValue(about);
  await expect(form.getByLabel('Email newsletter')).toBeChecked();

  await form.getByLabel(/^Website or main profile/).fill('brightreviews.test');
  await form.getByLabel('Website or blog').check();
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(ana.getByText('Profile saved. It is complete.')).toBeVisible();
  await expect(ana.getByText('Your profile is complete.')).toBeVisible();
  // Saved as a full address.
  await ana.goto('/portal/profile');
  await expect(form.getByLabel(/^Website or main profile/)).toHaveValue('https://brightreviews.test');

  // The checklist counts the step as done, or is gone once every step is.
  await ana.goto('/portal');
  const card = ana.getByRole('region', { name: 'Get set up' });
  if (await card.count()) {
    await expect(card.getByRole('listitem').filter({ hasText: 'Complete your profile' })).toContainText('(done)');
  }
});

test('an operator reads how long partners take to their first click', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await admin.getByRole('navigation', { name: 'Operator console' }).getByRole('link', { name: 'Onboarding' }).click();
  await expect(admin).toHaveURL(/\/console\/reports\/onboarding$/);
  await ready(admin);
  await expect(admin.getByRole('heading', { name: 'By month of approval' })).toBeVisible();
  const byProgram = admin.getByRole('region', { name: 'By program' });
  await expect(byProgram.getByRole('rowheader', { name: 'Acme Affiliates' })).toBeVisible();
  await admin.getByLabel('Approved in the last').selectOption('3');
  await admin.getByRole('button', { name: 'Show' }).click();
  await expect(admin).toHaveURL(/months=3/);
  await expect(admin.getByRole('region', { name: 'By partner' }).getByRole('rowheader', { name: 'Bright Reviews' })).toBeVisible();
});
