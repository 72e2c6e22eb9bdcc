// A partner's whole first stretch, in one flow, with JavaScript on and off:
//   1. a new partner applies on Acme Affiliates' public join page, answering the program's own
//      questions (seeded by server/src/commands/seed/questions.rs);
//   2. a manager reads the answers and approves the application in the console;
//   3. the partner chooses a password from the approval email, signs in and accepts the
//      partner agreement;
//   4. the partner uploads the government ID the program requires, and an admin approves it;
//   5. the partner's owner invites a colleague, who chooses a password from the invitation,
//      accepts the agreement too (each person does), turns on two-factor sign-in and signs in
//      again with a code;
//   6. the owner shares a first link, and the dashboard's checklist shows what the flow did;
//   7-9. the owner completes the profile, gives payout and tax details and passes the program's
//      course, and the checklist, every step done, leaves the dashboard.
// Each project has its own partner and colleague (both runs share one database).
const { test, expect } = require('@playwright/test');
const { waitForMail } = require('./mail');
const { acceptAgreement, logIn, ready, setPasswordFromEmail, signedIn } = require('./session');
const { totp } = require('./totp');

const PASSWORD = 'a long lifecycle password';
const PROGRAM = 'Acme Affiliates';
const NO_BRAND_BIDDING = 'I will not bid on “Acme Cloud” in search ads';
// A 1×1 PNG, standing in for a scan of a passport.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Checks the checklist's steps, in order: `[title, done, detail]` each. */
async function expectSteps(card, steps) {
  const items = card.getByRole('listitem');
  await expect(items).toHaveCount(steps.length);
  for (const [i, [title, done, detail]] of steps.entries()) {
    const item = items.nth(i);
    await expect(item.getByRole('link', { name: title })).toBeVisible();
    await expect(item).toContainText(detail);
    // The "(done)" is for screen readers; the tick beside it is hidden from them.
    if (done) await expect(item).toContainText('(done)');
    else await expect(item).not.toContainText('(done)');
  }
  const count = steps.filter(([, done]) => done).length;
  await expect(card).toContainText(`${count} of ${steps.length} steps done`);
}

test('a partner applies, is approved, signs in, is verified, builds a team and starts', async ({ browser }, info) => {
  // One long flow through many pages and emails: more time than a usual spec.
  test.setTimeout(180_000);
  const js = info.project.use.javaScriptEnabled;
  const stamp = `${info.project.name}-${Date.now()}`;
  const name = `Lena Lifecycle ${info.project.name}`;
  const email = `lena-${stamp}@example.com`;
  const colleagueName = `Cal Colleague ${info.project.name}`;
  const colleagueEmail = `cal-${stamp}@example.com`;

  // 1. The partner applies, answering the program's own questions.
  const partner = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await partner.goto('/join/acme-affiliates');
  await ready(partner);
  await expect(partner.getByRole('heading', { name: `Apply to ${PROGRAM}` })).toBeVisible();
  await partner.getByLabel('Organization or your name').fill(name);
  await partner.getByLabel('Email').fill(email);
  await partner.getByLabel('Website').fill('lena-reviews.example.com');
  await partner.getByLabel('Kind of partner').selectOption('creator');
  await partner.getByLabel('Country').selectOption('GB');
  await partner.getByLabel('How do you plan to promote or sell?').fill('Reviews of hosting on my blog and a monthly newsletter.');
  await partner.getByRole('radio', { name: '10,000 to 100,000' }).check();
  await partner.getByRole('checkbox', { name: 'Blog or review site' }).check();
  await partner.getByRole('checkbox', { name: 'Newsletter' }).check();
  await partner.getByRole('checkbox', { name: NO_BRAND_BIDDING }).check();
  await partner.getByRole('checkbox', { name: /I accept the terms/ }).check();
  await partner.getByRole('button', { name: 'Send my application' }).click();
  await expect(partner.getByRole('heading', { name: 'Thank you, your application is in' })).toBeVisible();
  await waitForMail(email, new RegExp(`We received your application to ${PROGRAM}`));

  // 2. A manager reads the answers beside the application and approves it.
  const manager = await signedIn(browser, js, 'manager@acme.test', /\/console$/);
  await manager.goto(`/console/applications?q=${encodeURIComponent(email)}`);
  await ready(manager);
  await manager.getByRole('link', { name: `Review ${name}` }).click();
  await expect(manager.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(manager.getByRole('heading', { name: "Answers to the program's questions" })).toBeVisible();
  const answers = manager.locator('dl.answers');
  for (const [question, answer] of [
    ['Monthly visitors to your site or channel', '10,000 to 100,000'],
    ['Where you promote', 'Blog or review site, Newsletter'],
    [NO_BRAND_BIDDING, 'Yes'],
  ]) {
    await expect(answers).toContainText(new RegExp(`${escape(question)}\\s*${escape(answer)}`));
  }
  await ready(manager);
  await manager.getByRole('button', { name: 'Approve' }).click();
  await expect(manager.locator('.facts .badge-active')).toHaveText('Active');
  await manager.context().close();

  // 3. The partner chooses a password from the approval email, signs in, and accepts the
  // program's agreement before anything else.
  await setPasswordFromEmail(partner, email, PASSWORD);
  await logIn(partner, email, PASSWORD);
  await acceptAgreement(partner, PROGRAM, /\/portal$/);
  await expect(partner.getByRole('heading', { name: `Welcome, ${name}` })).toBeVisible();
  const checklist = partner.getByRole('region', { name: 'Get set up' });
  await expect(checklist.getByRole('listitem').filter({ hasText: 'Get your documents approved' })).toContainText('0 of 1 approved.');

  // 4. The partner uploads the government ID (needed before the first payout) ...
  await partner.goto('/portal/documents');
  await ready(partner);
  const id = partner.locator('li.document', { has: partner.getByRole('heading', { name: 'Government ID' }) });
  await expect(id).toContainText('Not uploaded');
  await id.getByLabel('Upload your Government ID').setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: PNG });
  await id.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(partner.getByText('Uploaded “passport.png”')).toBeVisible();
  await expect(id).toContainText('Waiting for review');

  // ... and an admin opens the review queue and approves it.
  const admin = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await admin.goto('/console/documents');
  await ready(admin);
  const title = `${name}: Government ID`;
  const review = admin.locator('section.document-review', { has: admin.getByRole('heading', { name: title }) });
  await expect(review.getByRole('link', { name: 'Open passport.png' })).toBeVisible();
  await review.getByRole('button', { name: `Approve ${title}` }).click();
  await expect(admin.getByText('Document approved; the partner has been emailed.')).toBeVisible();
  await expect(admin.getByRole('heading', { name: title })).toHaveCount(0);
  await admin.context().close();
  await waitForMail(email, /Your Government ID was approved/);
  await partner.reload();
  await expect(id).toContainText('Approved');

  // 5. The owner invites a colleague as an admin of the team.
  await partner.getByRole('navigation', { name: 'Partner portal' }).getByRole('link', { name: 'Team' }).click();
  await expect(partner).toHaveURL(/\/portal\/team$/);
  await ready(partner);
  const invite = partner.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel(/^Name/).fill(colleagueName);
  await invite.getByLabel(/^Email/).fill(colleagueEmail);
  await invite.getByLabel(/^Role/).selectOption('admin');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(partner.getByText(`Invitation sent to ${colleagueEmail}.`)).toBeVisible();
  await expect(partner.getByRole('row', { name: new RegExp(colleagueName) }).getByRole('cell', { name: 'Invited' })).toBeVisible();

  // The colleague chooses a password from the invitation and signs in; the agreement is
  // accepted by each person, so they accept it too.
  const colleague = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await setPasswordFromEmail(colleague, colleagueEmail, PASSWORD);
  await logIn(colleague, colleagueEmail, PASSWORD);
  await acceptAgreement(colleague, PROGRAM, /\/portal$/);

  // They turn on two-factor sign-in from Settings with the secret the page shows.
  await colleague.goto('/portal/settings');
  await ready(colleague);
  const panel = colleague.getByRole('region', { name: 'Two-factor sign-in' });
  await panel.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(panel.getByRole('img', { name: 'QR code of your two-factor secret' })).toBeVisible();
  const secret = await panel.locator('#two-factor-secret').textContent();
  await panel.getByLabel(/^Code from your app/).fill(totp(secret));
  await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(panel.getByText('Your recovery codes.')).toBeVisible();
  await expect(panel.getByText(/^On since .*\. 10 recovery codes left\.$/)).toBeVisible();
  await colleague.context().close();

  // Signing in again takes the password, then a code. The next step's code: the server allows
  // one step of drift and takes each step once, so a code of the step the setup used (or one
  // that falls out of the window during the round trip) would be refused.
  const again = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await logIn(again, colleagueEmail, PASSWORD);
  await expect(again).toHaveURL(/\/login\/code$/);
  await again.getByLabel('Code', { exact: true }).fill(totp(secret, Date.now() + 30000));
  await again.getByRole('button', { name: 'Sign in' }).click();
  await expect(again).toHaveURL(/\/portal$/);
  // The colleague's checklist says who gives the payout details: the owner, not an admin.
  await expect(again.getByRole('region', { name: 'Get set up' }).getByRole('listitem').filter({ hasText: 'Give your payout details' }))
    .toContainText('Still missing: payout details for EUR and your tax details. An owner of your team does this.');
  await again.context().close();

  // 6. The owner shares a first link: a visitor follows it to the merchant's page.
  const merchant = process.env.TRELLIS_E2E_MERCHANT_URL;
  await partner.goto('/portal/links');
  await ready(partner);
  const campaign = `Launch ${stamp}`;
  await partner.getByLabel('Destination').fill(`${merchant}/spring-offer/`);
  await partner.getByLabel('Campaign').fill(campaign);
  await partner.getByRole('button', { name: 'Create link' }).click();
  await expect(partner.getByText('Your new link is ready:')).toBeVisible();
  const trackedUrl = await partner.getByRole('textbox', { name: new RegExp(campaign) }).inputValue();
  const visitor = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await visitor.goto(trackedUrl);
  await expect(visitor).toHaveURL(new RegExp(`^${merchant}/spring-offer/\\?trl_click=`));
  await visitor.context().close();

  // The dashboard's checklist marks what this flow did so far: the agreement, the government
  // ID, the first click. The profile, the payout details and the course come next.
  await partner.goto('/portal');
  await expectSteps(checklist, [
    ['Complete your profile', false, 'Add what you are about and how you promote.'],
    ['Accept the partner agreement', true, 'Accepted.'],
    ['Get your documents approved', true, '1 of 1 approved.'],
    ['Give your payout details', false, 'Add payout details for EUR and your tax details.'],
    ['Pass your first course', false, 'Training teaches what sells and how.'],
    ['Share your first link or register a deal', true, 'Your first click or deal is in.'],
  ]);

  // 7. The profile: what the partner is about and how it promotes.
  await partner.goto('/portal/profile');
  await ready(partner);
  const profile = partner.getByRole('region', { name: 'Your profile' });
  await profile.getByLabel(/^About you/).fill('Hosting reviews for small businesses in the UK.');
  await profile.getByLabel('Website or blog').check();
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(partner.getByText('Profile saved. It is complete.')).toBeVisible();

  // 8. Payout details: an IBAN for EUR, and a W-8BEN, since the partner is outside the US.
  await partner.goto('/portal/payouts');
  await ready(partner);
  const methods = partner.getByRole('region', { name: 'Where we pay you' });
  await methods.getByLabel('Pay me by').selectOption('sepa');
  await methods.getByLabel('Account holder').fill(name);
  await methods.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await methods.getByLabel('BIC (SWIFT code)').fill('COBADEFFXXX');
  await methods.getByRole('button', { name: 'Save payout method' }).click();
  await expect(methods.getByRole('row', { name: /EUR/ }).getByText('SEPA •••• 3000 (COBADEFFXXX)')).toBeVisible();
  await ready(partner);
  const tax = partner.getByRole('region', { name: 'Tax details' });
  await tax.getByLabel('Tax form').selectOption('w8ben');
  await tax.getByLabel('Legal name').fill(name);
  await tax.getByRole('textbox', { name: /^Address/ }).fill('1 High Street, London');
  await tax.getByLabel('Country of residence').selectOption('GB');
  await tax.getByLabel('Treaty article').fill('Article 7');
  await tax.getByLabel('Invoice name').fill(name);
  await tax.getByLabel('Invoice address').fill('1 High Street, London EC1A 1AA');
  await tax.getByRole('button', { name: 'Save tax details' }).click();
  await expect(tax.getByRole('definition').filter({ hasText: 'W-8BEN (individual outside the US)' })).toBeVisible();

  // 9. The program's course: its one question, answered right, passes.
  await partner.goto('/portal/training');
  await partner.getByRole('link', { name: 'Promoting Acme Cloud the right way' }).click();
  await ready(partner);
  await partner.getByRole('radio', { name: /#ad/ }).check();
  await partner.getByRole('button', { name: 'Submit answers' }).click();
  // With JavaScript the answer shows in place; the page as loaded lists the attempt.
  if (js) await partner.reload();
  await expect(partner.getByText(/Attempt 1: 100% · passed/)).toBeVisible();

  // Every step is done: the checklist has gone from the dashboard, which now shows the tier card
  // and the program's numbers in its place.
  await partner.goto('/portal');
  await ready(partner);
  await expect(partner.getByRole('heading', { name: `Welcome, ${name}` })).toBeVisible();
  await expect(partner.getByRole('region', { name: 'Get set up' })).toHaveCount(0);
  await expect(partner.getByRole('heading', { name: /^Performance · Acme Affiliates/ })).toBeVisible();
  await partner.context().close();
});
