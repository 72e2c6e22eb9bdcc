// Two-factor sign-in, with JavaScript on and off: an operator sets it up from Settings with the
// secret shown on the page (the spec computes the app's codes, RFC 6238, with Node's crypto); a
// wrong code is refused beside its field; the recovery codes show once; then signing in takes
// the password and a code from the app, or a recovery code, once.
const { test, expect } = require('@playwright/test');
const { DEMO_PASSWORD, ready, signedIn } = require('./session');
const { totp } = require('./totp');

async function passwordStep(browser, js, email) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  return page;
}

test('an operator turns on two-factor sign-in, then signs in with a code and a recovery code', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const email = `tf-${info.project.name}@acme.test`;
  const page = await signedIn(browser, js, email, /\/console$/);
  await page.goto('/console/settings');
  await ready(page);
  const panel = page.getByRole('region', { name: 'Two-factor sign-in' });
  await panel.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(panel.getByRole('img', { name: 'QR code of your two-factor secret' })).toBeVisible();
  const secret = await panel.locator('#two-factor-secret').textContent();
  await page.screenshot({ path: test.info().outputPath('two-factor-setting-up.png'), fullPage: true });

  await panel.getByLabel(/^Code from your app/).fill('000000');
  await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(panel.getByText(/That code is not right/).first()).toBeVisible();
  await ready(page);
  await panel.getByLabel(/^Code from your app/).fill(totp(secret));
  await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(panel.getByText('Your recovery codes.')).toBeVisible();
  const codes = await panel.locator('.recovery-codes code').allTextContents();
  expect(codes).toHaveLength(10);
  await expect(panel.getByText(/^On since .*\. 10 recovery codes left\.$/)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('two-factor-on.png'), fullPage: true });

  // The password alone no longer signs in: a code follows.
  const again = await passwordStep(browser, js, email);
  await again.getByLabel('Code', { exact: true }).fill('123 456');
  await again.getByRole('button', { name: 'Sign in' }).click();
  await expect(again.getByRole('alert')).toContainText('That code is not right');
  // The next step's code: the server accepts one step of drift, so it stays good however long the
  // round trip takes, and it is newer than the step the setup used (each step counts once).
  await again.getByLabel('Code', { exact: true }).fill(totp(secret, Date.now() + 30000));
  await again.getByRole('button', { name: 'Sign in' }).click();
  await expect(again).toHaveURL(/\/console$/);

  // A recovery code works once.
  for (const expected of [/\/console$/, /\/login\/code\?error=wrong$/]) {
    const lost = await passwordStep(browser, js, email);
    await lost.getByLabel('Code', { exact: true }).fill(codes[0]);
    await lost.getByRole('button', { name: 'Sign in' }).click();
    await expect(lost).toHaveURL(expected);
  }
});
