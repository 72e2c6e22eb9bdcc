// usage: node shot.mjs BASE EMAIL PATH WIDTH OUT [js=1]
import { chromium } from '@playwright/test';
const [base, email, path, width, out, js] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const ctx = await browser.newContext({ viewport: { width: +width, height: 900 }, javaScriptEnabled: js !== '0' });
const page = await ctx.newPage();
if (email !== '-') {
  await page.goto(base + '/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'trellis-demo-2026');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}
await page.goto(base + path);
await page.waitForTimeout(500);
const sw = await page.evaluate(() => document.documentElement.scrollWidth);
const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)));
console.log('scrollWidth', sw, JSON.stringify(wide));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
