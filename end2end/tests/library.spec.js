// Content library end to end: an operator publishes a PDF into a new folder of the reseller
// program, a refused upload (a renamed program) says why and keeps the form, a new version
// replaces the file, and a reseller finds the document by a word of its description, opens its
// folder and downloads the newest version, which the console then counts. Run with JavaScript
// on and off.
const { test, expect } = require('@playwright/test');
const { openProgramTab, ready, signedIn } = require('./session');

/** A small PDF whose text names it, so each version's download can be told apart. */
function pdf(text) {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

test('an operator publishes a document and a new version; a reseller finds it and downloads the newest', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const tag = `${js ? 'js' : 'nojs'}${Date.now() % 1000000}`;
  const title = `E2E playbook ${tag}`;
  const folder = `E2E folder ${tag}`;
  const word = `zephyr${tag}`;

  const operator = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await openProgramTab(operator, 'Acme Resellers', 'Library');
  const libraryUrl = operator.url();
  const publish = operator.getByRole('region', { name: 'Publish a document' });

  // A renamed program is refused, named, and the typed title stays.
  await publish.getByLabel('New folder').fill(folder);
  await publish.getByRole('textbox', { name: 'Title', exact: true }).fill(title);
  await publish.getByLabel('Description').fill(`The ${word} playbook for first meetings.`);
  await publish.locator('input[type=file]').setInputFiles({ name: 'playbook.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
  await publish.getByRole('button', { name: 'Publish document' }).click();
  await expect(operator.getByText('playbook.pdf is not really a PDF')).toBeVisible();
  await expect(publish.getByRole('textbox', { name: 'Title', exact: true })).toHaveValue(title);

  // The real file publishes.
  await ready(operator);
  await publish.getByLabel('New folder').fill(folder);
  await publish.getByRole('textbox', { name: 'Title', exact: true }).fill(title);
  await publish.getByLabel('Description').fill(`The ${word} playbook for first meetings.`);
  await publish.locator('input[type=file]').setInputFiles({ name: 'playbook.pdf', mimeType: 'application/pdf', buffer: pdf('version one') });
  await publish.getByRole('button', { name: 'Publish document' }).click();
  await expect(operator.getByText('Document published')).toBeVisible();
  const row = operator.getByRole('row', { name: new RegExp(title) });
  await expect(row.getByRole('link', { name: 'Version 1: playbook.pdf' })).toBeVisible();

  // A new version, with a note.
  await ready(operator);
  await row.getByText('New version').click();
  const versionForm = operator.getByRole('form', { name: `New version of ${title}` });
  await versionForm.getByLabel('What changed').fill('Prices from January');
  await versionForm.locator('input[type=file]').setInputFiles({ name: 'playbook-v2.pdf', mimeType: 'application/pdf', buffer: pdf('version two') });
  await versionForm.getByRole('button', { name: 'Store version' }).click();
  await expect(operator.getByText('Version 2 stored')).toBeVisible();
  await expect(operator.getByRole('row', { name: new RegExp(title) }).getByRole('link', { name: 'Version 2: playbook-v2.pdf' })).toBeVisible();

  // The reseller finds it by a word of its description, opens its folder, and downloads it.
  const partner = await signedIn(browser, js, 'ops@northwind.test', /\/portal$/);
  await partner.getByRole('link', { name: 'Library' }).click();
  await ready(partner);
  await partner.getByRole('searchbox', { name: 'Search' }).fill(word);
  await partner.getByRole('button', { name: 'Search' }).click();
  await expect(partner.getByRole('heading', { name: `Documents matching “${word}”` })).toBeVisible();
  await expect(partner.getByRole('heading', { name: title })).toBeVisible();
  await partner.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: `${folder} (1)` }).click();
  await expect(partner.getByRole('heading', { name: folder })).toBeVisible();
  const [download] = await Promise.all([
    partner.waitForEvent('download'),
    partner.getByRole('link', { name: `Download ${title}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('playbook-v2.pdf');
  const saved = await download.path();
  expect(require('fs').readFileSync(saved, 'utf8')).toContain('version two');

  // The console counts the download for Northwind.
  await operator.goto(libraryUrl);
  await ready(operator);
  const downloads = operator.getByRole('region', { name: 'Downloads by partner' });
  await expect(downloads.getByRole('row', { name: new RegExp(`Northwind Systems ${title} 1`) })).toBeVisible();
});
