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

module.exports = { DEMO_PASSWORD, ready, signedIn };
