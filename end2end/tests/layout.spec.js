// Every page of the portal and the console at a laptop width (1280 px) and a phone width
// (390 px): the page never scrolls sideways, and a table whose rows hold form controls (the
// commission queue's decisions, link switches, copy buttons) fits its card, so no control is
// ever cut at the card's edge. Tables of numbers may scroll inside their card instead. The
// commission queue is kept as screenshots in the test output, to look at.
const { test, expect } = require('@playwright/test');

const DEMO_PASSWORD = 'trellis-demo-2026';

const AREAS = [
  { email: 'ana@brightreviews.test', home: '/portal', extra: ['/portal/deals/new'] },
  { email: 'ops@northwind.test', home: '/portal', extra: [] },
  {
    email: 'manager@acme.test',
    home: '/console',
    extra: ['/console/programs/1/links', '/console/programs/1/conversions', '/console/programs/1/keys',
      '/console/programs/1/coupons', '/console/programs/1/settings', '/console/programs/1/terms',
      '/console/programs/2/mdf', '/console/commissions?tab=all', '/console/mdf?tab=claims', '/console/programs/1/agreement', '/console/programs/1/application'],
  },
];

/** What is wrong with the page's layout, as readable lines (none when all is well). */
function layoutProblems() {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) problems.push(`the page scrolls sideways (${doc.scrollWidth} px)`);
  document.querySelectorAll('.table-wrap').forEach((wrap) => {
    const controls = wrap.querySelectorAll('button, summary, input:not([type=hidden]), select, textarea');
    const caption = wrap.querySelector('caption')?.textContent || 'a table';
    if (controls.length > 0 && wrap.scrollWidth > wrap.clientWidth + 1) {
      problems.push(`${caption}: its controls are cut (${wrap.scrollWidth} px in a ${wrap.clientWidth} px card)`);
    }
    const card = wrap.getBoundingClientRect();
    controls.forEach((control) => {
      const box = control.getBoundingClientRect();
      if (box.width > 0 && (box.right > card.right + 1 || box.left < card.left - 1)) {
        problems.push(`${caption}: "${control.textContent.trim().slice(0, 30) || control.name}" sticks out of its card`);
      }
    });
  });
  return problems;
}

for (const width of [1280, 390]) {
  for (const { email, home, extra } of AREAS) {
    test(`${email} at ${width} px: no page scrolls sideways, no control is cut`, async ({ browser }, info) => {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        javaScriptEnabled: info.project.use.javaScriptEnabled,
      });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page).toHaveURL(new RegExp(`${home}$`));
      // With JavaScript the router changes the address before the new page is in the DOM: wait
      // for the navigation to be there before reading it (a race seen once in CI).
      await expect(page.locator('nav.sidenav a')).not.toHaveCount(0);
      const nav = await page.locator('nav.sidenav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(nav.length).toBeGreaterThan(5);
      const problems = [];
      for (const path of [...nav, ...extra]) {
        await page.goto(path);
        if (info.project.use.javaScriptEnabled) await page.locator('body[data-hydrated]').waitFor();
        for (const problem of await page.evaluate(layoutProblems)) problems.push(`${path}: ${problem}`);
        if (path.startsWith('/console/commissions')) {
          await page.screenshot({ path: info.outputPath(`commission-queue-${width}.png`), fullPage: true });
        }
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  }
}
