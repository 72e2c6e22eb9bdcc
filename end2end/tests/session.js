// Signing in as a demo person, and waiting for a page to hydrate, shared by the specs.
const { test, expect } = require('@playwright/test');

const DEMO_PASSWORD = 'trellis-demo-2026';

/** With JavaScript on, waits until Leptos has hydrated the page (its forms then act as the app's). */
async function ready(page) {
  if (test.info().project.use.javaScriptEnabled) await page.locator('body[data-hydrated]').waitFor();
}

/** A new browser context (JavaScript on or off, downloads kept) signed in as `email`. */
async function signedIn(browser, js, email, landing) {
  const context = await browser.newContext({ javaScriptEnabled: js, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(landing);
  return page;
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

module.exports = { DEMO_PASSWORD, acceptAgreement, openProgramTab, ready, signedIn };
