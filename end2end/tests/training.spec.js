// Training end to end: an operator builds a course with a one-question quiz and a
// certification of it, and publishes it; a partner person fails the quiz, must wait, passes once
// the wait is over (the server's clock moves forward, nobody sleeps), is certified, and the
// public verification page shows the certificate. Run with JavaScript on and off.
const { test, expect } = require('@playwright/test');
const { openProgramTab, ready, signedIn } = require('./session');
const fs = require('fs');

function setClock(seconds) {
  fs.writeFileSync(process.env.TRELLIS_E2E_CLOCK_FILE, String(seconds));
}

test.afterEach(() => setClock(0));

test('a partner person fails a quiz, waits, passes, is certified, and the certificate verifies', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const tag = `${js ? 'js' : 'nojs'} ${Date.now() % 1000000}`;
  const course = `E2E course ${tag}`;
  const certification = `E2E certified ${tag}`;

  // The operator adds the course from the program's Training tab.
  const operator = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await openProgramTab(operator, 'Acme Affiliates', 'Training');
  await operator.getByLabel('Title').fill(course);
  await operator.getByLabel('Pass mark (%)').fill('100');
  await operator.getByRole('spinbutton', { name: 'Attempts', exact: true }).fill('3');
  await operator.getByLabel('Wait between attempts (minutes)').fill('60');
  await operator.getByRole('button', { name: 'Add course' }).click();
  await expect(operator.getByText('Course added as a draft')).toBeVisible();
  await operator.getByRole('link', { name: course }).click();
  await ready(operator);

  // A lesson whose Markdown tries to run script, a question, then publish.
  await operator.getByLabel('Lesson title').fill('Disclose every link');
  await operator.getByLabel('Text (Markdown)').fill('Mark posts with **#ad**.\n\n<script>document.title="owned"</script>');
  await operator.getByRole('button', { name: 'Add lesson' }).click();
  await expect(operator.getByRole('heading', { name: 'Disclose every link' })).toBeVisible();
  await operator.getByRole('textbox', { name: 'Question', exact: true }).fill('Which post is fine?');
  await operator.getByLabel('Options').fill('* One that says #ad\nOne that hides the link');
  await operator.getByRole('button', { name: 'Add question' }).click();
  await expect(operator.getByText('✓ right answer')).toBeVisible();
  await operator.getByRole('button', { name: 'Publish course' }).click();
  await expect(operator.getByText(/^Published ·/)).toBeVisible();

  // The certification of that course.
  await operator.getByRole('link', { name: '← All courses' }).click();
  await ready(operator);
  await operator.getByRole('textbox', { name: 'Name', exact: true }).fill(certification);
  await operator.getByLabel('Valid for (months)').fill('12');
  await operator.getByRole('checkbox', { name: course }).check();
  await operator.getByRole('button', { name: 'Add certification' }).click();
  await expect(operator.getByText(certification)).toBeVisible();

  // The partner person opens the course: the lesson reads, the script didn't run.
  const partner = await signedIn(browser, js, 'ana@brightreviews.test', /\/portal$/);
  await partner.getByRole('link', { name: 'Training' }).first().click();
  await partner.getByRole('link', { name: course }).click();
  await ready(partner);
  await expect(partner.getByText('Mark posts with')).toBeVisible();
  expect(await partner.title()).not.toBe('owned');

  // A wrong answer fails, and the next attempt must wait.
  await partner.getByRole('radio', { name: 'One that hides the link' }).check();
  await partner.getByRole('button', { name: 'Submit answers' }).click();
  await expect(partner.getByText('Not a pass this time')).toBeVisible();
  if (js) await partner.reload();
  await expect(partner.getByText(/You can try again from/)).toBeVisible();
  await expect(partner.getByRole('button', { name: 'Submit answers' })).toHaveCount(0);

  // An hour later the quiz opens again, and the right answer passes and certifies.
  setClock(3601);
  await partner.reload();
  await ready(partner);
  await partner.getByRole('radio', { name: 'One that says #ad' }).check();
  await partner.getByRole('button', { name: 'Submit answers' }).click();
  await expect(partner.getByText(`You are now certified: ${certification}`)).toBeVisible();
  await expect(partner.getByText(/Attempt 2: 100% · passed/)).toBeVisible();

  // The training page lists the certificate; its public page verifies it to anyone.
  await partner.goto('/portal/training');
  const row = partner.getByRole('row', { name: new RegExp(certification) });
  await expect(row).toContainText('Valid');
  const verifyPath = await row.getByRole('link').getAttribute('href');
  const stranger = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await stranger.goto(verifyPath);
  await expect(stranger.getByText('Valid certificate')).toBeVisible();
  const facts = stranger.getByRole('region', { name: 'Certificate' });
  await expect(facts).toContainText(certification);
  await expect(facts).toContainText('Bright Reviews');
  await expect(facts).not.toContainText('ana@brightreviews.test');
});
