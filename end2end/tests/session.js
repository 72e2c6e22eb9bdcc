// Signing in (as a demo person, or with a password chosen from an emailed link), and waiting for
// a page to hydrate, shared by the specs.
const { test, expect } = require('@playwright/test');
const { waitForMail } = require('./mail');

const DEMO_PASSWORD = 'trellis-demo-2026';

/** With JavaScript on, waits until Leptos has hydrated the page (its forms then act as the app's). */
async function ready(page) {
  if (test.info().project.use.javaScriptEnabled) await page.locator('body[data-hydrated]').waitFor();
}

/** Fills in and sends the login form; the caller checks where it leads. */
async function logIn(page, email, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** A new browser context (JavaScript on or off, downloads kept) signed in as `email`. */
async function signedIn(browser, js, email, landing) {
  const context = await browser.newContext({ javaScriptEnabled: js, acceptDownloads: true });
  const page = await context.newPage();
  await logIn(page, email);
  await expect(page).toHaveURL(landing);
  return page;
}

/**
 * Follows the set-password link of an email to `email` (an approval or an invitation, as the
 * SMTP server received it; give each person a fresh address) and chooses `password` there.
 */
async function setPasswordFromEmail(page, email, password) {
  const mail = await waitForMail(email, /set-password\?token=/);
  const link = new URL(mail.match(/https?:\/\/[^\s"<>]+\/set-password\?token=[A-Za-z0-9_-]+/)[0]);
  await page.goto(link.pathname + link.search);
  await ready(page);
  await page.getByLabel(/^New password/).fill(password);
  await page.getByLabel('Repeat the new password').fill(password);
  await page.getByRole('button', { name: 'Save my password' }).click();
  await expect(page.getByText('Your password is set. Log in with it now.')).toBeVisible();
}

/**
 * Accepts the partner agreement the page was sent to at sign-in (a partner approved after the
 * demo was seeded has not accepted its program's agreement yet), and waits to land on `landing`.
 */
async function acceptAgreement(page, program, landing) {
  await expect(page).toHaveURL(/\/portal\/agreements\?next=/);
  await ready(page);
  await page.getByRole('button', { name: new RegExp(`I accept version \\d+ of the ${program} agreement`) }).click();
  // Without JavaScript the accepted form redirects; with it the page offers the way on.
  if (test.info().project.use.javaScriptEnabled) {
    await page.getByRole('link', { name: 'Continue to your portal' }).click();
  }
  await expect(page).toHaveURL(landing);
}

/**
 * Opens a program's console section (`tab`, as its link reads, e.g. 'MDF') from the programs
 * list. Each step waits for the page it leads to.
 */
async function openProgramTab(page, program, tab) {
  await page.goto('/console/programs');
  await page.getByRole('link', { name: program }).first().click();
  await expect(page).toHaveURL(/\/console\/programs\/\d+$/);
  await ready(page);
  // The tab opens by a full page load of its link: a click on a tab can still be lost while the
  // router settles after hydration (seen in CI on the Training tab, and locally on another).
  const href = await page.getByRole('navigation', { name: 'Program sections' }).getByRole('link', { name: tab, exact: true }).getAttribute('href');
  await page.goto(href);
  await expect(page).toHaveURL(new RegExp(`/console/programs/\\d+/${tab.toLowerCase()}$`));
  await ready(page);
}

module.exports = { DEMO_PASSWORD, acceptAgreement, logIn, openProgramTab, ready, setPasswordFromEmail, signedIn };
