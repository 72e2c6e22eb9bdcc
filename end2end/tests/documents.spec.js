// Know-your-partner documents end to end: Lumen Media (active in Acme Affiliates, applying to
// Acme Resellers) opens Documents, a file of the wrong kind is refused beside its form, a PNG is
// uploaded and waits; finance opens the review queue and decides it; the partner sees the
// decision. With JavaScript on the resellers' company registration is approved with an expiry
// date; with it off the affiliates' optional proof of address is rejected with a reason, so the
// two runs never touch the same document.
const { test, expect } = require('@playwright/test');
const { ready, signedIn } = require('./session');
const { waitForMail } = require('./mail');

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function nextYear() {
  const d = new Date(Date.now() + 365 * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('a partner uploads a document, finance decides it, and the partner sees the decision', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const doc = js ? 'Company registration' : 'Proof of address';
  const partner = await signedIn(browser, js, 'hello@lumenmedia.test', /\/portal/);
  await partner.goto('/portal/documents');
  await ready(partner);
  const item = partner.locator('li.document', { has: partner.getByRole('heading', { name: doc }) });
  await expect(item).toContainText('Not uploaded');

  await item.getByLabel(`Upload your ${doc}`).setInputFiles({ name: 'scan.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a......') });
  await item.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(item.getByText('"scan.gif" is not a PDF, PNG, JPEG or WebP file.', { exact: false })).toBeVisible();
  await expect(item).toContainText('Not uploaded');

  await item.getByLabel(`Upload your ${doc}`).setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: PNG });
  await item.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(partner.getByText('Uploaded “scan.png”')).toBeVisible();
  await expect(item).toContainText('Waiting for review');

  const finance = await signedIn(browser, js, 'finance@acme.test', /\/console/);
  await finance.goto('/console/documents');
  await ready(finance);
  const title = `Lumen Media: ${doc}`;
  const review = finance.locator('section.document-review', { has: finance.getByRole('heading', { name: title }) });
  await expect(review.getByRole('link', { name: 'Open scan.png' })).toBeVisible();
  if (js) {
    await review.getByLabel('Valid until').fill(nextYear());
    await review.getByRole('button', { name: `Approve ${title}` }).click();
    await expect(finance.getByText('Document approved; the partner has been emailed.')).toBeVisible();
  } else {
    // A rejection needs a reason: refused beside the field first, nothing decided.
    await review.getByRole('button', { name: `Reject ${title}` }).click();
    await expect(finance.getByText('Give a reason: the partner reads it and uploads a better file.')).toBeVisible();
    const again = finance.locator('section.document-review', { has: finance.getByRole('heading', { name: title }) });
    await again.getByLabel('Reason to reject').fill('The bill is older than three months.');
    await again.getByRole('button', { name: `Reject ${title}` }).click();
    await expect(finance.getByText('Document rejected; the partner has been emailed the reason.')).toBeVisible();
  }
  await expect(finance.getByRole('heading', { name: title })).toHaveCount(0);

  const mail = await waitForMail('hello@lumenmedia.test', js ? /Your Company registration was approved/ : /Your Proof of address needs another look/);
  if (!js) expect(mail).toContain('The bill is older than three months.');
  await partner.reload();
  await ready(partner);
  await expect(item).toContainText(js ? 'Approved' : 'Rejected');
  await expect(item).toContainText(js ? 'Valid until' : 'Not approved: The bill is older than three months.');
});
