#!/usr/bin/env node
// Takes the README's screenshots from a built site:
//   node scripts/readme-screenshots.mjs [SITE_DIR] [OUT_DIR]
// (defaults: site, docs). Writes OUT_DIR/screenshot-map.png, the whole
// stack map figure of index.html at a 1280 px wide window, and
// OUT_DIR/screenshot-pricing.png, the top of pricing.html. Drives the
// Debian chromium (CHROMIUM to override) through playwright-core; pages are
// opened from file://, which the site supports.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const siteDir = path.resolve(process.argv[2] || 'site');
const outDir = path.resolve(process.argv[3] || 'docs');
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	await page.goto(pathToFileURL(path.join(siteDir, 'index.html')).href);
	await page.locator('.map-figure').first().screenshot({ path: path.join(outDir, 'screenshot-map.png') });
	await page.goto(pathToFileURL(path.join(siteDir, 'pricing.html')).href);
	await page.screenshot({ path: path.join(outDir, 'screenshot-pricing.png') });
	console.log(`screenshots: ${path.join(outDir, 'screenshot-map.png')}, ${path.join(outDir, 'screenshot-pricing.png')}`);
} finally {
	await browser.close();
}
