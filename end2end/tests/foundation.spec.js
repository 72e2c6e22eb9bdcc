// The first real flow, end to end: a partner applies, an operator approves, the partner sets a
// password from the email that was really sent, logs in, accepts the program's partner
// agreement and sees the portal. Run with
// JavaScript on and off (see playwright.config.js).
const { test, expect } = require('@playwright/test');
const { waitForMail } = require('./mail');
const { DEMO_PASSWORD, acceptAgreement, ready } = require('./session');

async function logIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

const NO_BRAND_BIDDING = 'I will not bid on “Acme Cloud” in search ads';

/** The standard fields, and the program's own questions (the brand promise only when `promise`). */
async function fillApplication(page, { name, email, acceptTerms, promise }) {
  await page.getByLabel('Organization or your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Website').fill('ada-deals.example.com');
  await page.getByLabel('Kind of partner').selectOption('creator');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel('How do you plan to promote or sell?').fill("Weekly newsletter; <b>bold</b> & 'quoted' -- DROP TABLE partners;");
  await page.getByLabel('Over 100,000').check();
  await page.getByLabel('Newsletter').check();
  if (promise) await page.getByLabel(NO_BRAND_BIDDING).check();
  if (acceptTerms) await page.getByLabel(/I accept the terms/).check();
}

test('a partner applies, is approved, sets a password from the email and sees the portal', async ({ page, browser }, info) => {
  const email = `ada-${info.project.name}-${Date.now()}@example.com`;
  const name = `Ada <Deals> ${info.project.name}`;

  await page.goto('/join/acme-affiliates');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'Apply to Acme Affiliates' })).toBeVisible();

  // Server-side checks show beside their fields and save nothing.
  await fillApplication(page, { name, email: 'ada@localhost', acceptTerms: false, promise: false });
  await page.getByRole('button', { name: 'Send my application' }).click();
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByText('Accept the program terms to apply.')).toBeVisible();
  await expect(page.getByText('Answer this question to apply.')).toBeVisible();
  // What was typed stays in the form, with JavaScript or without, the program's questions too.
  await expect(page.getByLabel('Organization or your name')).toHaveValue(name);
  await expect(page.getByLabel('Country')).toHaveValue('GB');
  await expect(page.getByLabel('Over 100,000')).toBeChecked();
  await expect(page.getByLabel('Newsletter')).toBeChecked();
  await expect(page.getByLabel('Blog or review site')).not.toBeChecked();

  await fillApplication(page, { name, email, acceptTerms: true, promise: true });
  await page.getByRole('button', { name: 'Send my application' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you, your application is in' })).toBeVisible();
  await waitForMail(email, /We received your application to Acme Affiliates/);

  // A manager reviews and approves.
  const staff = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled });
  const console_ = await staff.newPage();
  await logIn(console_, 'manager@acme.test', DEMO_PASSWORD);
  await expect(console_).toHaveURL(/\/console$/);
  await console_.goto(`/console/applications?q=${encodeURIComponent(email)}`);
  await ready(console_);
  await console_.getByRole('link', { name: `Review ${name}` }).click();
  await expect(console_.getByRole('heading', { name })).toBeVisible();
  // The answers to the program's own questions are beside the application.
  const answers = console_.locator('dl.answers');
  await expect(answers).toContainText('Monthly visitors to your site or channel');
  await expect(answers).toContainText('Over 100,000');
  await expect(answers).toContainText('Newsletter');
  await ready(console_);
  await console_.getByRole('button', { name: 'Approve' }).click();
  await expect(console_.locator('.facts .badge-active')).toHaveText('Active');
  await staff.close();

  // The partner follows the link in the approval email that the SMTP server received.
  const mail = await waitForMail(email, /set-password\?token=/);
  const link = mail.match(/https?:\/\/[^\s"<>]+\/set-password\?token=[A-Za-z0-9_-]+/)[0];
  await page.goto(new URL(link).pathname + new URL(link).search);
  await ready(page);
  await page.getByLabel(/^New password/).fill('a long partner password');
  await page.getByLabel('Repeat the new password').fill('a long partner password');
  await page.getByRole('button', { name: 'Save my password' }).click();
  await expect(page.getByText('Your password is set. Log in with it now.')).toBeVisible();

  // The program's partner agreement comes first; accepting it opens the portal.
  await logIn(page, email, 'a long partner password');
  await expect(page).toHaveURL(/\/portal\/agreements\?next=%2Fportal$/);
  await expect(page.getByRole('heading', { name: 'Acme Affiliates: Partner agreement' })).toBeVisible();
  await acceptAgreement(page, 'Acme Affiliates', /\/portal$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${name}` })).toBeVisible();
  await ready(page);
  await page.getByRole('navigation', { name: 'Partner portal' }).getByRole('link', { name: 'Programs' }).click();
  await expect(page.getByRole('cell', { name: 'Acme Affiliates' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Active' })).toBeVisible();

  // The program's team sees who accepted which version.
  const team = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled });
  const manager = await team.newPage();
  await logIn(manager, 'manager@acme.test', DEMO_PASSWORD);
  await expect(manager).toHaveURL(/\/console$/);
  // A full page load of the tab (a click during the overview's hydration could be lost).
  await manager.goto('/console/programs');
  const program = await manager.getByRole('link', { name: 'Acme Affiliates' }).first().getAttribute('href');
  await manager.goto(`${program}/agreement`);
  const accepted = manager.getByRole('table', { name: 'Acceptances' }).getByRole('row', { name: new RegExp(email) });
  await expect(accepted).toContainText(/Accepted version \d+/);
  await team.close();

  // The same link never works twice.
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByText('This link has expired or has already been used.')).toBeVisible();
});

test('a partner is refused the console', async ({ page }) => {
  await logIn(page, 'ana@brightreviews.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/portal$/);
  const response = await page.goto('/console/applications');
  expect(response.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
});

test('visitors are sent to log in and come back to where they were going', async ({ page }) => {
  await page.goto('/console/audit');
  await expect(page).toHaveURL(/\/login\?next=%2Fconsole%2Faudit$/);
  await page.getByLabel('Email', { exact: true }).fill('admin@acme.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/console\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
});

test('login throttling answers 429 with a wait time', async ({ page }, info) => {
  const email = `nobody-${info.project.name}-${Date.now()}@acme.test`;
  for (let i = 0; i < 5; i++) {
    await logIn(page, email, 'wrong password');
    await expect(page.getByText("That email and password don't match an account.")).toBeVisible();
  }
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('wrong password');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
  expect(response.status()).toBe(429);
  await expect(page.getByText(/Too many login attempts\. For your security, wait \d+ minutes? and try again\./)).toBeVisible();
});
