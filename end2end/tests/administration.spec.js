// A company's first day, on a new installation with nothing in it (end2end/run serves one per
// project, JavaScript on and off): the setup link from the server's log creates the admin and
// the brand, the admin creates a program in the console and points it at the shop, a partner
// applies and is approved, makes a link that a visitor clicks, and an operator invited by email
// signs in with the role they were given.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { waitForMail } = require('./mail');

const ADMIN_PASSWORD = 'a long admin password';

/** This project's empty installation: its address and the server's log. */
function installation(info) {
  const name = info.project.use.javaScriptEnabled ? 'js_on' : 'js_off';
  return {
    url: process.env[`TRELLIS_E2E_FRESH_${name.toUpperCase()}`],
    log: path.join(process.env.TRELLIS_E2E_WORK, `fresh-${name}.log`),
  };
}

/** The one-time setup link `trellis serve` printed, as a path. */
function setupPath(log) {
  const found = fs.readFileSync(log, 'utf8').match(/https?:\/\/\S+(\/setup\?token=[A-Za-z0-9_-]+)/);
  expect(found, `a setup link in ${log}`).not.toBeNull();
  return found[1];
}

async function ready(page, js) {
  if (js) await page.locator('body[data-hydrated]').waitFor();
}

async function logIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Follows the set-password link in the newest email to `email` and chooses `password`. */
async function setPasswordFromEmail(page, js, email, password) {
  const mail = await waitForMail(email, /set-password\?token=/);
  const link = new URL(mail.match(/https?:\/\/[^\s"<>]+\/set-password\?token=[A-Za-z0-9_-]+/)[0]);
  await page.goto(link.pathname + link.search);
  await ready(page, js);
  await page.getByLabel(/^New password/).fill(password);
  await page.getByLabel('Repeat the new password').fill(password);
  await page.getByRole('button', { name: 'Save my password' }).click();
  await expect(page.getByText('Your password is set. Log in with it now.')).toBeVisible();
}

test('a new installation is set up from its log, runs a program and invites an operator', async ({ browser }, info) => {
  test.setTimeout(180_000);
  const js = info.project.use.javaScriptEnabled;
  const { url, log } = installation(info);
  const stamp = `${info.project.name}-${Date.now()}`;
  const context = (options = {}) => browser.newContext({ baseURL: url, javaScriptEnabled: js, ...options });

  // The setup link from the server's log opens the first-run form.
  const admin = await (await context()).newPage();
  const setup = setupPath(log);
  await admin.goto(setup);
  await expect(admin.getByRole('heading', { name: 'Set up Trellis' })).toBeVisible();
  await admin.getByLabel('Your name').fill('Frida Founder');
  await admin.getByLabel('Your email').fill(`frida-${stamp}@fresh.test`);
  await admin.getByLabel(/^New password/).fill(ADMIN_PASSWORD);
  await admin.getByLabel('Repeat the new password').fill(ADMIN_PASSWORD);
  await admin.getByLabel('Brand name').fill('Fresh Goods');
  await admin.getByLabel('Legal entity name').fill('Fresh Goods GmbH');
  await admin.getByLabel('Country').selectOption('DE');
  await admin.getByLabel('Default currency').fill('EUR');
  await admin.getByRole('button', { name: 'Set up Trellis' }).click();
  await expect(admin.getByText('Welcome to Trellis. Your brand is ready.')).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Fresh Goods' })).toBeVisible();

  // The link worked once: the page is gone for good.
  const again = await (await context()).newPage();
  expect((await again.goto(setup)).status()).toBe(404);
  await again.context().close();

  // A program, created in the console, then pointed at the shop in the wizard's tracking step.
  await admin.goto('/console/programs/new');
  await ready(admin, js);
  await admin.getByLabel('Program name').fill('Fresh Affiliates');
  await admin.getByLabel(/^Address/).fill('fresh-affiliates');
  await admin.getByRole('button', { name: 'Create program' }).click();
  await expect(admin).toHaveURL(/\/console\/programs\/\d+\/settings\?wizard=1$/);
  await ready(admin, js);
  const merchant = process.env.TRELLIS_E2E_MERCHANT_URL;
  await admin.getByLabel('Allowed landing domains').fill('127.0.0.1');
  await admin.getByLabel('Default landing page').fill(`${merchant}/spring-offer/`);
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await expect(admin.getByText('Settings saved.').first()).toBeVisible();

  // A partner applies on the program's public page, under the new brand.
  const partnerEmail = `pia-${stamp}@example.com`;
  const partner = await (await context()).newPage();
  await partner.goto('/join/fresh-affiliates');
  await ready(partner, js);
  await expect(partner.getByRole('heading', { name: 'Apply to Fresh Affiliates' })).toBeVisible();
  await expect(partner.getByText('Fresh Goods', { exact: true })).toBeVisible();
  await partner.getByLabel('Organization or your name').fill(`Pia Publishes ${stamp}`);
  await partner.getByLabel('Email').fill(partnerEmail);
  await partner.getByLabel('Kind of partner').selectOption('creator');
  await partner.getByLabel('Country').selectOption('DE');
  await partner.getByLabel('How do you plan to promote or sell?').fill('A newsletter about fresh goods.');
  await partner.getByLabel(/I accept the terms/).check();
  await partner.getByRole('button', { name: 'Send my application' }).click();
  await expect(partner.getByRole('heading', { name: 'Thank you, your application is in' })).toBeVisible();

  // The admin approves the application.
  await admin.goto(`/console/applications?q=${encodeURIComponent(partnerEmail)}`);
  await ready(admin, js);
  await admin.getByRole('link', { name: `Review Pia Publishes ${stamp}` }).click();
  await ready(admin, js);
  await admin.getByRole('button', { name: 'Approve' }).click();
  await expect(admin.locator('.facts .badge-active')).toHaveText('Active');

  // The partner sets a password from the approval email, makes a link, and a visitor clicks it.
  await setPasswordFromEmail(partner, js, partnerEmail, 'a long partner password');
  await logIn(partner, partnerEmail, 'a long partner password');
  await expect(partner).toHaveURL(/\/portal$/);
  await expect(partner.locator('.partner-brand')).toContainText('Fresh Goods');
  await partner.goto('/portal/links');
  await ready(partner, js);
  const campaign = `Launch ${stamp}`;
  await partner.getByLabel('Destination').fill(`${merchant}/spring-offer/`);
  await partner.getByLabel('Campaign').fill(campaign);
  await partner.getByRole('button', { name: 'Create link' }).click();
  await expect(partner.getByText('Your new link is ready:')).toBeVisible();
  const trackedUrl = await partner.getByRole('textbox', { name: new RegExp(campaign) }).inputValue();
  expect(trackedUrl).toMatch(/\/r\/[A-Za-z0-9]{8}$/);
  const visitor = await (await context()).newPage();
  await visitor.goto(trackedUrl);
  await expect(visitor).toHaveURL(new RegExp(`^${merchant}/spring-offer/\\?trl_click=[A-Za-z0-9]{22}$`));
  await visitor.context().close();
  await partner.context().close();

  // An operator invited by email signs in with the role they were given.
  const financeEmail = `finn-${stamp}@fresh.test`;
  await admin.goto('/console/operators');
  await ready(admin, js);
  const invite = admin.getByRole('region', { name: 'Invite an operator' });
  await invite.getByLabel(/^Name/).fill('Finn Finance');
  await invite.getByLabel(/^Email/).fill(financeEmail);
  await invite.getByLabel(/^Role/).selectOption('finance');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(admin.getByText(`Invitation sent to ${financeEmail}.`)).toBeVisible();
  await admin.context().close();

  const finance = await (await context()).newPage();
  await setPasswordFromEmail(finance, js, financeEmail, 'a long finance password');
  await logIn(finance, financeEmail, 'a long finance password');
  await expect(finance).toHaveURL(/\/console$/);
  await expect(finance.locator('.who')).toHaveText('Finn Finance · Finance');
  // Finance decides money, not the partner relationship: the operators page offers no invite.
  await finance.goto('/console/operators');
  await expect(finance.getByRole('heading', { name: 'Invite an operator' })).toHaveCount(0);
  await finance.context().close();
});
