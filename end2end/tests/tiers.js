// The console's Tiers page, shared by the tier specs: preview a ladder, save it, run the
// evaluation. Each step waits for the page it leads to.
const { expect } = require('@playwright/test');
const { ready } = require('./session');

async function previewTiers(page) {
  await page.getByRole('button', { name: 'Preview the impact' }).click();
  await expect(page).toHaveURL(/\/tiers\?preview=1/);
  await ready(page);
}

async function runTierEvaluation(page) {
  await page.getByRole('button', { name: 'Run the evaluation now' }).click();
  await expect(page.getByText(/Evaluated \d+ partners/)).toBeVisible();
  await ready(page);
}

/// Saves the previewed ladder, whose Gold needs `threshold` euros (as the page shows it, like
/// '1,500.00'), and runs the evaluation.
async function saveTiersAndRun(page, threshold) {
  await page.getByRole('button', { name: 'Save these tiers' }).click();
  await expect(page.getByText(`At least EUR ${threshold} revenue in 90 days`)).toBeVisible();
  await ready(page);
  await runTierEvaluation(page);
}

module.exports = { previewTiers, runTierEvaluation, saveTiersAndRun };
