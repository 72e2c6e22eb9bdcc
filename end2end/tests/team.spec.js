// Partner teams, with JavaScript on and off: the demo reseller's owner invites a finance
// colleague from the Team page; the colleague chooses a password from the email that was really
// sent, signs in, sees the payouts but not where they go, and can't manage the team; the owner
// then makes them a member and removes them, and their session ends.
const { test, expect } = require('@playwright/test');
const { waitForMail } = require('./mail');
const { DEMO_PASSWORD, acceptAgreement, ready, signedIn } = require('./session');

test('an owner invites a finance colleague, changes their role and removes them', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const email = `fay-${info.project.name}-${Date.now()}@northwind.test`;
  const name = `Fay ${info.project.name}`;
  const owner = await signedIn(browser, js, 'ops@northwind.test', /\/portal(\/agreements\?next=.*)?$/);
  if (owner.url().includes('/portal/agreements')) await acceptAgreement(owner, 'Acme Resellers', /\/portal$/);
  await owner.getByRole('navigation', { name: 'Partner portal' }).getByRole('link', { name: 'Team' }).click();
  await expect(owner).toHaveURL(/\/portal\/team$/);
  await ready(owner);

  // A bad address comes back beside its field, with what was typed kept.
  const invite = owner.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel(/^Name/).fill(name);
  await invite.getByLabel(/^Email/).fill('admin@acme.test');
  await invite.getByLabel(/^Role/).selectOption('finance');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(owner.getByText('This address already signs in elsewhere')).toBeVisible();
  await expect(invite.getByLabel(/^Name/)).toHaveValue(name);

  await invite.getByLabel(/^Email/).fill(email);
  await invite.getByLabel(/^Role/).selectOption('finance');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(owner.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  const row = owner.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByRole('cell', { name: 'Invited' })).toBeVisible();

  // The colleague follows the emailed link and signs in.
  const mail = await waitForMail(email, /set-password\?token=/);
  const link = new URL(mail.match(/https?:\/\/[^\s"<>]+\/set-password\?token=[A-Za-z0-9_-]+/)[0]);
  const context = await browser.newContext({ javaScriptEnabled: js });
  const fay = await context.newPage();
  await fay.goto(link.pathname + link.search);
  await ready(fay);
  await fay.getByLabel(/^New password/).fill(DEMO_PASSWORD);
  await fay.getByLabel('Repeat the new password').fill(DEMO_PASSWORD);
  await fay.getByRole('button', { name: 'Save my password' }).click();
  await expect(fay.getByText('Your password is set. Log in with it now.')).toBeVisible();
  await fay.goto('/login');
  await fay.getByLabel('Email', { exact: true }).fill(email);
  await fay.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await fay.getByRole('button', { name: 'Log in' }).click();
  if (fay.url().includes('/portal/agreements')) await acceptAgreement(fay, 'Acme Resellers', /\/portal$/);
  await expect(fay).toHaveURL(/\/portal$/);

  // Finance sees the money, not where it goes, and manages nobody.
  await fay.goto('/portal/payouts');
  await expect(fay.getByRole('heading', { name: 'Payout details are for your account\'s owner' })).toBeVisible();
  await fay.goto('/portal/team');
  await expect(fay.getByRole('cell', { name: 'Finance' })).toBeVisible();
  await expect(fay.getByRole('region', { name: 'Invite someone' })).toHaveCount(0);

  // The owner makes them a member, then removes them: their next page asks them to log in.
  await owner.reload();
  await ready(owner);
  await owner.getByLabel(`Role of ${name}`).selectOption('member');
  await row.getByRole('button', { name: 'Change role' }).click();
  await expect(owner.getByText(`${name}'s role is now Member.`)).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Member', exact: true })).toBeVisible();
  await row.getByRole('button', { name: `Remove ${name}` }).click();
  await expect(owner.getByText(`${name} was removed from your team.`)).toBeVisible();
  await expect(owner.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  await fay.goto('/portal');
  await expect(fay).toHaveURL(/\/login/);
  await context.close();
});
