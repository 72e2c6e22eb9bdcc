// Creatives end to end: an operator uploads a banner, the partner copies its code from the
// gallery, a visitor follows the code's link to the merchant's stand-in shop, the merchant
// reports the sale, and the creative's row in the partner's dashboard and in the program's
// overview shows the click, the conversion and the commission. Run with JavaScript on and off.
const { test, expect } = require('@playwright/test');
const zlib = require('zlib');
const { openProgramTab, ready, signedIn } = require('./session');

/// A real PNG of a coloured band, width × height, made here so the test needs no fixture file.
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([15, 110, Math.floor((255 * x) / width)], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('an uploaded banner reaches the partner, and its click and sale are counted for it', async ({ browser, request, baseURL }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const name = `E2E banner ${info.project.name} ${Date.now()}`;
  const merchant = process.env.TRELLIS_E2E_MERCHANT_URL;
  const amount = js ? '50.00' : '80.00';
  const commission = js ? 'EUR 10.00' : 'EUR 16.00';

  // The operator uploads the banner from the program's Creatives tab.
  const operator = await signedIn(browser, js, 'admin@acme.test', /\/console$/);
  await openProgramTab(operator, 'Acme Affiliates', 'Creatives');
  const programPath = new URL(operator.url()).pathname.replace(/\/creatives$/, '');
  await operator.getByLabel('Kind').selectOption('banner');
  await operator.getByLabel('Name').fill(name);
  await operator.getByLabel('Image', { exact: true }).setInputFiles({ name: 'banner.png', mimeType: 'image/png', buffer: png(468, 60) });
  await operator.getByLabel('Alt text').fill('Acme Cloud, free for 30 days');
  await operator.getByLabel('Landing page').fill(`${merchant}/spring-offer/`);
  await operator.getByRole('button', { name: 'Add creative' }).click();
  await expect(operator.getByText('Creative added')).toBeVisible();
  await expect(operator.getByRole('row', { name: new RegExp(name) })).toContainText('468 × 60');

  // The partner finds it in the gallery and takes its code.
  const partner = await signedIn(browser, js, 'ana@brightreviews.test', /\/portal$/);
  await partner.goto('/portal/creatives?kind=banner');
  await ready(partner);
  const card = partner.getByRole('listitem').filter({ has: partner.getByRole('heading', { name }) });
  await expect(card.getByRole('img', { name: `Preview of ${name}` })).toBeVisible();
  await card.getByText('Get code').click();
  const html = await card.getByRole('textbox', { name: `HTML for ${name}` }).inputValue();
  expect(html).toContain('width="468" height="60" alt="Acme Cloud, free for 30 days"');
  const url = await card.getByRole('textbox', { name: `Link for ${name}` }).inputValue();
  expect(url).toMatch(/\/r\/[A-Za-z0-9]{8}\?cr=\d+$/);
  expect(html).toContain(url);
  if (js) {
    await partner.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    await card.getByRole('button', { name: `Copy HTML for ${name}` }).click();
    expect(await partner.evaluate(() => navigator.clipboard.readText())).toBe(html);
  }

  // A visitor follows the code's link to the merchant's shop.
  const visitor = await browser.newContext({ javaScriptEnabled: js });
  const landing = await visitor.newPage();
  await landing.goto(url);
  await expect(landing).toHaveURL(new RegExp(`^${merchant}/spring-offer/\\?trl_click=[A-Za-z0-9]{22}$`));
  const clickId = new URL(landing.url()).searchParams.get('trl_click');
  await visitor.close();

  // The merchant reports the sale with that click id.
  const sale = { order_id: `E2E-creative-${info.project.name}-${Date.now()}`, amount, currency: 'EUR', click_id: clickId };
  const created = await request.post('/api/v1/conversions', {
    data: sale,
    headers: { Authorization: `Bearer ${process.env.TRELLIS_E2E_API_KEY}` },
  });
  expect(created.status()).toBe(201);

  // The creative's row: one click, one conversion, its commission; for the partner and the program.
  await partner.goto('/portal?period=7d');
  await ready(partner);
  const mine = partner.getByRole('table', { name: 'Your numbers by creative' }).getByRole('row', { name: new RegExp(name) });
  await expect(mine.getByRole('cell').nth(0)).toHaveText('1');
  await expect(mine.getByRole('cell').nth(2)).toHaveText('1');
  await expect(mine).toContainText(commission);
  await operator.goto(`${programPath}?period=7d`);
  await ready(operator);
  const theirs = operator.getByRole('table', { name: 'Numbers by creative' }).getByRole('row', { name: new RegExp(name) });
  await expect(theirs.getByRole('cell').nth(0)).toHaveText('1');
  await expect(theirs).toContainText(commission);
});
