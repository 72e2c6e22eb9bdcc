// Browser tests run every flow twice: with JavaScript (hydrated Leptos) and without it.
// Specs named *.release.spec.js measure the release build instead, and run only when
// end2end/run-release serves it (TRELLIS_E2E_BUILD=release); the other specs don't run then.
const { defineConfig } = require('@playwright/test');

const RELEASE_SPECS = /\.release\.spec\.js$/;
const release = process.env.TRELLIS_E2E_BUILD === 'release';

module.exports = defineConfig({
  testDir: './tests',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    baseURL: process.env.TRELLIS_E2E_URL,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: release
    ? [{ name: 'release', testMatch: RELEASE_SPECS, use: { javaScriptEnabled: true } }]
    : [
      { name: 'js-on', testIgnore: RELEASE_SPECS, use: { javaScriptEnabled: true } },
      { name: 'js-off', testIgnore: RELEASE_SPECS, use: { javaScriptEnabled: false } },
    ],
});
