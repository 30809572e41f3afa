#!/usr/bin/env node
// Browser checks for a built stackmap site, run by tests/suite-site.sh:
//   node tests/browser/site.test.mjs SITE_DIR [--findings FILE] [--screenshots DIR]
// Serves SITE_DIR on 127.0.0.1 (port 0) from this process, drives the
// Debian chromium through playwright-core and checks every page: console
// errors, failed requests, internal links (and #fragment targets), the stack
// map on index.html, the pricing table (sorting, filters, calculator, no-JS
// view), axe-core (serious/critical) on four pages, and takes screenshots.
// Prints one PASS/FAIL line per check and closes with "N passed, N failed".
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
let siteDir = null;
let findingsFile = null;
let shotDir = path.resolve(here, '../out/screenshots');
for (let i = 0; i < argv.length; i++) {
	if (argv[i] === '--findings') findingsFile = argv[++i];
	else if (argv[i] === '--screenshots') shotDir = argv[++i];
	else if (!siteDir) siteDir = argv[i];
	else usage();
}
if (!siteDir) usage();
siteDir = path.resolve(siteDir);
function usage() {
	console.error('usage: node tests/browser/site.test.mjs SITE_DIR [--findings FILE] [--screenshots DIR]');
	process.exit(2);
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run'];
const NAV_TIMEOUT_MS = 15000;
const ACTION_TIMEOUT_MS = 3000; // a click or fill on a missing/hidden control fails fast
const MAX_DETAILS = 40; // per check on the console; the findings file gets all

// ---------------------------------------------------------------- reporting
let nPassed = 0;
let nFailed = 0;
function report(name, problems) {
	if (problems.length === 0) {
		nPassed++;
		console.log(`PASS ${name}`);
		return;
	}
	nFailed++;
	console.log(`FAIL ${name}`);
	for (const p of problems.slice(0, MAX_DETAILS)) console.log(`    ${p}`);
	if (problems.length > MAX_DETAILS)
		console.log(`    ... and ${problems.length - MAX_DETAILS} more (see the findings file)`);
	if (findingsFile) {
		const lines = [`== browser: ${name}`, ...problems.map((p) => `  ${p}`), ''];
		fs.appendFileSync(findingsFile, lines.join('\n') + '\n');
	}
}
// Runs one check: fn returns a list of problems (empty: pass); a throw fails.
async function check(name, fn) {
	let problems;
	const t0 = Date.now();
	try {
		problems = (await fn()) || [];
	} catch (e) {
		problems = [`error: ${String((e && e.message) || e).split('\n')[0]}`];
	}
	report(`${name} [${((Date.now() - t0) / 1000).toFixed(1)}s]`, problems);
}

// ---------------------------------------------------------------- the site
const TYPES = {
	'.html': 'text/html; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
	'.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
	'.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml', '.xml': 'application/xml',
	'.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
	'.woff2': 'font/woff2', '.webmanifest': 'application/manifest+json',
};
function startServer(root) {
	const server = http.createServer((req, res) => {
		let rel;
		try {
			rel = decodeURIComponent(new URL(req.url, 'http://h').pathname);
		} catch {
			res.writeHead(400).end('bad path');
			return;
		}
		if (rel.endsWith('/')) rel += 'index.html';
		const file = path.join(root, path.normalize(rel));
		if (!file.startsWith(root + path.sep)) {
			res.writeHead(403).end('forbidden');
			return;
		}
		fs.readFile(file, (err, data) => {
			if (err) {
				res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
				return;
			}
			res.writeHead(200, {
				'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
				'content-length': data.length,
				'cache-control': 'no-store',
			});
			res.end(req.method === 'HEAD' ? undefined : data);
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function walk(dir, rel = '') {
	const out = [];
	for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const r = rel ? `${rel}/${ent.name}` : ent.name;
		if (ent.isDirectory()) out.push(...walk(dir, r));
		else out.push(r);
	}
	return out.sort();
}

const catalog = JSON.parse(fs.readFileSync(path.join(siteDir, 'api/catalog.json'), 'utf8'));
const offers = catalog.offers || [];
const vendors = catalog.vendors || [];
const files = walk(siteDir);
const htmlPages = files.filter((f) => f.endsWith('.html'));

// Offer keys: vendor|model|remote. Rows are matched on vendor+model, and on
// the remote id too when the row carries one (data-remote-id / data-remote).
const offerKey = (o) => `${o.vendor_id}|${o.model_id}|${o.remote_id ?? ''}`;
const shortKey = (o) => `${o.vendor_id}|${o.model_id}`;
function findOffer(row) {
	const matches = offers.filter((o) => o.vendor_id === row.vendor && o.model_id === row.model &&
		(row.remote == null || row.remote === '' || row.remote === o.remote_id));
	return matches.length === 1 ? matches[0] : null;
}
// The cost the page must show: "—" when a price is null. (With 0 tokens on
// the side whose price is null, "$" + the other side's cost is accepted too:
// see costsOk.)
const fmtCost = (inTok, outTok, o) => {
	if (o.input_num == null || o.output_num == null) return '—';
	return '$' + ((inTok / 1e6) * o.input_num + (outTok / 1e6) * o.output_num).toFixed(2);
};
const costsOk = (inTok, outTok, o) => {
	const ok = [fmtCost(inTok, outTok, o)];
	if ((o.input_num == null && inTok === 0 && o.output_num != null) ||
		(o.output_num == null && outTok === 0 && o.input_num != null) ||
		(o.input_num == null && o.output_num == null && inTok === 0 && outTok === 0))
		ok.push('$' + ((inTok / 1e6) * (o.input_num ?? 0) + (outTok / 1e6) * (o.output_num ?? 0)).toFixed(2));
	return ok;
};
// true when the exact cost sits on a half-cent, where float rounding of an
// equivalent formula may legitimately land on either neighbour
const onHalfCent = (inTok, outTok, o) => {
	const c = ((inTok / 1e6) * o.input_num + (outTok / 1e6) * o.output_num) * 100;
	return Math.abs(c - Math.floor(c) - 0.5) < 1e-6;
};

// ids (and <a name>) defined in an HTML/SVG text, for #fragment checks
function idsOf(text) {
	const ids = new Set();
	const re = /\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
	let m;
	while ((m = re.exec(text)))
		ids.add((m[1] ?? m[2] ?? m[3]).replace(/&amp;/g, '&').replace(/&quot;/g, '"')
			.replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
	return ids;
}

// ---------------------------------------------------------------- main
const { chromium } = await import('playwright-core');
const server = await startServer(siteDir);
const base = `http://127.0.0.1:${server.address().port}/`;
const relOf = (u) => {
	const url = new URL(u);
	return url.origin === new URL(base).origin ? decodeURIComponent(url.pathname.slice(1)) + url.hash : u;
};

let browser;
try {
	browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
} catch (e) {
	report(`launch chromium (${CHROMIUM})`, [String(e.message).split('\n')[0]]);
	server.close();
	finish();
}

const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
ctx.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
// "" when the control is there and visible, else why not
const usable = async (p, sel) => {
	const el = await p.$(sel);
	if (!el) return `no ${sel}`;
	if (!(await el.isVisible())) return `${sel} is not visible (is #pricing-tools still hidden?)`;
	if (!(await el.isEnabled())) return `${sel} is disabled`;
	return '';
};

// ---- every page: console errors, failed requests, links
const consoleProblems = [];
const requestProblems = [];
const linkSources = new Map(); // absolute target URL (with hash) -> first page linking it
const badHrefs = [];
const visitList = [...htmlPages, ...(files.includes('stackmap.svg') ? ['stackmap.svg'] : [])];

async function visit(page, rel) {
	const seen = { console: [], requests: [] };
	// Chromium asks for /favicon.ico by itself when it shows a bare SVG,
	// which cannot name an icon: not the site's fault
	const chromeOwn = (url) => !rel.endsWith('.html') && new URL(url).pathname === '/favicon.ico';
	const onConsole = (msg) => {
		if (msg.type() === 'error') {
			const loc = msg.location();
			if (loc && loc.url && chromeOwn(loc.url)) return;
			const where = loc && loc.url ? ` (${relOf(loc.url)}:${loc.lineNumber + 1})` : '';
			seen.console.push(`${rel}: console error: ${msg.text()}${where}`);
		}
	};
	const onPageError = (err) => seen.console.push(`${rel}: uncaught: ${String(err.message || err).split('\n')[0]}`);
	// net::ERR_ABORTED is the browser dropping a request itself (a favicon
	// fetch cut short, a 404 already reported through its status): skip it
	const onFailed = (req) => {
		if (!chromeOwn(req.url()) && req.failure()?.errorText !== 'net::ERR_ABORTED') seen.requests.push(`${rel}: request failed: ${relOf(req.url())} (${req.failure()?.errorText})`);
	};
	const onResponse = (resp) => {
		if (resp.status() >= 400 && !chromeOwn(resp.url())) seen.requests.push(`${rel}: HTTP ${resp.status()} for ${relOf(resp.url())}`);
	};
	page.on('console', onConsole);
	page.on('pageerror', onPageError);
	page.on('requestfailed', onFailed);
	page.on('response', onResponse);
	try {
		const resp = await page.goto(base + rel, { waitUntil: 'load' });
		if (!resp || resp.status() !== 200) seen.requests.push(`${rel}: page load status ${resp && resp.status()}`);
		// let late scripts (DOMContentLoaded handlers, rAF) run
		await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
		const hrefs = await page.$$eval('a', (els) => els.map((e) =>
			e.getAttribute('href') ?? e.getAttribute('xlink:href') ??
			e.getAttributeNS('http://www.w3.org/1999/xlink', 'href')).filter((h) => h != null));
		for (const href of hrefs) {
			const h = href.trim();
			if (/^https?:/i.test(h) || /^(mailto|tel):/i.test(h)) continue;
			if (h === '') {
				badHrefs.push(`${rel}: empty href`);
				continue;
			}
			if (/^[a-z][a-z0-9+.-]*:/i.test(h)) {
				badHrefs.push(`${rel}: non-http link "${h}"`);
				continue;
			}
			const url = new URL(h, page.url());
			if (url.origin !== new URL(base).origin) continue; // //host/… is external
			if (!linkSources.has(url.href)) linkSources.set(url.href, `${rel} (href="${h}")`);
		}
	} catch (e) {
		seen.requests.push(`${rel}: ${String(e.message).split('\n')[0]}`);
	} finally {
		page.off('console', onConsole);
		page.off('pageerror', onPageError);
		page.off('requestfailed', onFailed);
		page.off('response', onResponse);
	}
	consoleProblems.push(...seen.console);
	requestProblems.push(...seen.requests);
}

{
	// two tabs share the walk; 2 cores
	const queue = [...visitList];
	const worker = async () => {
		const page = await ctx.newPage();
		for (let rel; (rel = queue.shift()) !== undefined;) await visit(page, rel);
		await page.close();
	};
	await Promise.all([worker(), worker()]);
}
await check(`no console errors or uncaught exceptions (${visitList.length} pages)`, () => consoleProblems.sort());
await check(`no failed requests or HTTP errors (${visitList.length} pages)`, () => requestProblems.sort());
await check(`internal links resolve (${linkSources.size} distinct targets)`, async () => {
	const problems = [...badHrefs];
	const cache = new Map(); // url without hash -> {status, ids}
	for (const [href, from] of [...linkSources].sort()) {
		const url = new URL(href);
		const hash = url.hash;
		url.hash = '';
		let got = cache.get(url.href);
		if (!got) {
			const resp = await fetch(url.href);
			const type = resp.headers.get('content-type') || '';
			const text = await resp.text();
			got = { status: resp.status, ids: /html|svg/.test(type) ? idsOf(text) : null };
			cache.set(url.href, got);
		}
		const target = relOf(url.href) || '/';
		if (got.status !== 200) {
			problems.push(`${from}: ${target} does not exist (HTTP ${got.status})`);
			continue;
		}
		if (hash.length > 1 && got.ids) {
			let frag;
			try {
				frag = decodeURIComponent(hash.slice(1));
			} catch {
				frag = hash.slice(1);
			}
			if (!got.ids.has(frag)) problems.push(`${from}: no id="${frag}" in ${target}`);
		}
	}
	return problems;
});

// ---- Markdown pages: relative links point at files that exist
{
	const mdPages = files.filter((f) => f.endsWith('.md'));
	if (mdPages.length)
		await check(`Markdown pages: relative links resolve (${mdPages.length} pages)`, () => {
			const problems = [];
			for (const f of mdPages) {
				const lines = fs.readFileSync(path.join(siteDir, f), 'utf8').split('\n');
				lines.forEach((line, n) => {
					const targets = [];
					// [text](target "title") and <target>; reference definitions [x]: target
					for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)/g)) targets.push(m[1]);
					const def = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
					if (def) targets.push(def[1]);
					for (let t of targets) {
						t = t.replace(/^<|>$/g, '');
						if (/^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('//') || t.startsWith('#')) continue;
						const file = t.split('#')[0].split('?')[0];
						let rel;
						try {
							rel = path.posix.normalize(path.posix.join(path.posix.dirname(f), decodeURIComponent(file)));
						} catch {
							rel = file;
						}
						if (rel.startsWith('/')) rel = rel.slice(1);
						const hit = files.includes(rel) || files.includes(rel.replace(/\/?$/, '/index.html'));
						if (!hit) problems.push(`${f}:${n + 1}: link to ${t}: ${rel} does not exist`);
					}
				});
			}
			return problems;
		});
}

// ---- index.html: the stack map shows every vendor
const page = await ctx.newPage();
const mapProblems = (where, info) => {
	const problems = [];
	const wantIds = vendors.map((v) => v.id).sort();
	if (info.svgCount === 0) return [`${where}: no <svg> found`];
	if (info.links.length !== vendors.length)
		problems.push(`${where}: ${info.links.length} vendor links in the map, catalog has ${vendors.length} vendors`);
	const got = new Set(info.links);
	const missing = wantIds.filter((id) => !got.has(id));
	const extra = [...got].filter((id) => !wantIds.includes(id));
	if (missing.length) problems.push(`${where}: vendors without a box/link: ${missing.join(', ')}`);
	if (extra.length) problems.push(`${where}: links to unknown vendors: ${extra.join(', ')}`);
	const noName = vendors.filter((v) => !info.text.includes(v.name)).map((v) => `${v.id} ("${v.name}")`);
	if (noName.length) problems.push(`${where}: vendor names not in the map's text: ${noName.join(', ')}`);
	return problems;
};
const readMap = () => {
	// the <svg> with the most links into vendors/ (or the document's root svg)
	const svgs = [...document.querySelectorAll('svg')];
	if (document.documentElement instanceof SVGSVGElement && !svgs.includes(document.documentElement))
		svgs.unshift(document.documentElement);
	let best = null;
	for (const svg of svgs) {
		const links = [...svg.querySelectorAll('a')].map((a) =>
			a.getAttribute('href') ?? a.getAttribute('xlink:href') ??
			a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') ?? '')
			.map((h) => (/(?:^|\/)vendors\/([^/#?]+)\.html(?:[#?].*)?$/.exec(h) || [])[1])
			.filter(Boolean);
		if (!best || links.length > best.links.length)
			best = { links, text: svg.textContent.replace(/\s+/g, ' ') };
	}
	return { svgCount: svgs.length, links: best ? best.links : [], text: best ? best.text : '' };
};
await check('index.html: the stack map shows every vendor of api/catalog.json', async () => {
	await page.goto(base + 'index.html');
	return mapProblems('index.html', await page.evaluate(readMap));
});
if (files.includes('stackmap.svg'))
	await check('stackmap.svg: shows every vendor of api/catalog.json', async () => {
		await page.goto(base + 'stackmap.svg');
		return mapProblems('stackmap.svg', await page.evaluate(readMap));
	});

// ---- pricing.html
const readRows = () => [...document.querySelectorAll('tr[data-vendor][data-model]')].map((tr) => ({
	vendor: tr.dataset.vendor,
	model: tr.dataset.model,
	remote: tr.dataset.remoteId ?? tr.dataset.remote ?? null,
	visible: tr.checkVisibility(),
	cost: (tr.querySelector('td.monthly-cost')?.textContent ?? null)?.replace(/\s+/g, ' ').trim() ?? null,
}));
const settle = (p) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
const rowKey = (r) => `${r.vendor}|${r.model}${r.remote ? '|' + r.remote : ''}`;
const rowCountText = (p) => p.evaluate(() => document.querySelector('output#row-count')?.textContent ?? null);
async function countProblems(p, label, expectKeys) {
	const rows = await p.evaluate(readRows);
	const vis = rows.filter((r) => r.visible);
	const problems = [];
	if (expectKeys) {
		const want = new Set(expectKeys);
		const got = vis.map((r) => findOffer(r)).filter(Boolean).map(shortKey);
		if (vis.length !== expectKeys.length)
			problems.push(`${label}: ${vis.length} rows visible, expected ${expectKeys.length}`);
		const wrong = got.filter((k) => !want.has(k));
		if (wrong.length) problems.push(`${label}: rows that should be hidden are visible: ${wrong.slice(0, 5).join(', ')}${wrong.length > 5 ? ', …' : ''}`);
	}
	const text = await rowCountText(p);
	if (text == null) problems.push(`${label}: no output#row-count`);
	else {
		const n = /\d[\d,]*/.exec(text);
		if (!n || Number(n[0].replace(/,/g, '')) !== vis.length)
			problems.push(`${label}: output#row-count says "${text.trim()}" but ${vis.length} rows are visible`);
	}
	return { problems, visible: vis.length };
}

const pricingOk = files.includes('pricing.html');
if (pricingOk) {
	await page.goto(base + 'pricing.html');
	await settle(page);
	await check(`pricing.html: one row per offer (${offers.length}), each with a td.monthly-cost`, async () => {
		const rows = await page.evaluate(readRows);
		const problems = [];
		if (rows.length !== offers.length) problems.push(`${rows.length} rows with data-vendor/data-model, api/catalog.json has ${offers.length} offers`);
		const seen = new Map();
		for (const r of rows) {
			const o = findOffer(r);
			if (!o) problems.push(`row ${rowKey(r)} matches no single offer in api/catalog.json`);
			else if (seen.has(offerKey(o))) problems.push(`offer ${offerKey(o)} has two rows`);
			else seen.set(offerKey(o), r);
			if (r.cost === null) problems.push(`row ${rowKey(r)} has no td.monthly-cost`);
		}
		for (const o of offers) if (!seen.has(offerKey(o)) && rows.length) problems.push(`offer ${offerKey(o)} has no row`);
		const invisible = rows.filter((r) => !r.visible).length;
		if (invisible) problems.push(`${invisible} rows hidden on first load`);
		const c = await countProblems(page, 'first load', null);
		return [...problems, ...c.problems];
	});

	// sortable headers
	const headers = await page.evaluate(() => {
		const tr = document.querySelector('tr[data-vendor][data-model]');
		const table = tr && tr.closest('table');
		if (!table) return [];
		return [...table.querySelectorAll('thead th')].map((th, i) => ({
			i,
			text: th.textContent.replace(/\s+/g, ' ').trim(),
			sortable: th.hasAttribute('aria-sort') || th.hasAttribute('data-sort') || !!th.querySelector('button'),
			hasButton: !!th.querySelector('button'),
		}));
	});
	const clickHeader = async (h) => {
		const th = page.locator('table:has(tr[data-vendor]) thead th').nth(h.i);
		if (h.hasButton) await th.locator('button').first().click();
		else await th.click();
		await settle(page);
		return th.getAttribute('aria-sort');
	};
	const fresh = async () => {
		await page.goto(base + 'pricing.html');
		await settle(page);
	};
	const sortCheck = async (re, field) => {
		await fresh();
		const h = headers.find((x) => x.sortable && re.test(x.text) && !/cached/i.test(x.text));
		if (!h) return [`no sortable header matching ${re} (headers: ${headers.map((x) => `"${x.text}"${x.sortable ? '*' : ''}`).join(', ') || 'none'}; * = sortable)`];
		const order = async () => (await page.evaluate(readRows)).filter((r) => r.visible);
		const before = await order();
		const problems = [];
		let state = await clickHeader(h);
		let after = await order();
		if (before.length && after.length && rowKey(before[0]) === rowKey(after[0]) &&
			before.map(rowKey).join() === after.map(rowKey).join())
			problems.push(`clicking "${h.text}" did not change the row order`);
		const nums = (rows) => rows.map((r) => findOffer(r)?.[field] ?? Infinity);
		const ascending = (a) => a.every((v, k) => k === 0 || a[k - 1] <= v);
		if (state === 'descending' || (!state && !ascending(nums(after)))) {
			state = await clickHeader(h);
			after = await order();
		}
		if (!ascending(nums(after))) {
			const a = nums(after);
			const k = a.findIndex((v, j) => j > 0 && a[j - 1] > v);
			problems.push(`after sorting "${h.text}" ascending${state ? ` (aria-sort=${state})` : ''}: ${field} not non-decreasing at row ${k + 1}: ${a[k - 1]} then ${a[k]} (${rowKey(after[k])})`);
		}
		if (state !== null && state !== 'ascending')
			problems.push(`"${h.text}" sorted ascending but aria-sort="${state}"`);
		return problems;
	};
	await check('pricing.html: sorting by input price (ascending: non-decreasing input_num)', () => sortCheck(/input/i, 'input_num'));
	await check('pricing.html: sorting by output price (ascending: non-decreasing output_num)', () => sortCheck(/output/i, 'output_num'));
	await check('pricing.html: sorting by blended price (ascending: non-decreasing blended_num)', () => sortCheck(/blended/i, 'blended_num'));
	await check('pricing.html: sorting by context (ascending: non-decreasing context)', () => sortCheck(/context/i, 'context'));
	await check('pricing.html: sorting by vendor (A to Z by vendor name, either direction first)', async () => {
		await fresh();
		const h = headers.find((x) => x.sortable && /^vendor/i.test(x.text));
		if (!h) return ['no sortable Vendor header'];
		const names = async () => (await page.evaluate(readRows)).filter((r) => r.visible)
			.map((r) => (vendors.find((v) => v.id === r.vendor)?.name ?? '').toLowerCase());
		const problems = [];
		const sorted = (a, dir) => a.every((v, k) => k === 0 || dir * a[k - 1].localeCompare(v) <= 0);
		let state = await clickHeader(h);
		let a = await names();
		if (!sorted(a, 1) && !sorted(a, -1)) problems.push(`after one click on "${h.text}" the vendors are in no order (aria-sort=${state})`);
		state = await clickHeader(h);
		a = await names();
		if (!sorted(a, 1) && !sorted(a, -1)) problems.push(`after two clicks on "${h.text}" the vendors are in no order (aria-sort=${state})`);
		return problems;
	});
	await check('pricing.html: the "Price source" column is sortable', () =>
		headers.some((x) => x.sortable && /price source/i.test(x.text)) ? [] : ['the Price source header is not sortable']);

	// model and vendor filters: every choice shows exactly its offers
	for (const [what, sel, key] of [['model', '#filter-model', 'model_id'], ['vendor', '#filter-vendor', 'vendor_id']]) {
		await check(`pricing.html: ${what} filter shows exactly that ${what}'s offers; output#row-count agrees`, async () => {
			await fresh();
			const why = await usable(page, sel);
			if (why) return [why];
			const values = await page.evaluate((s) => [...document.querySelector(s).options].map((o) => o.value), sel);
			const problems = [];
			// a sample: the three ids with the most offers, and one with a single offer
			const counts = new Map();
			for (const o of offers) counts.set(o[key], (counts.get(o[key]) ?? 0) + 1);
			const ids = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || a.localeCompare(b));
			const sample = [...ids.slice(0, 3), ids.find((id) => counts.get(id) === 1)].filter(Boolean);
			for (const id of sample) {
				if (!values.includes(id)) { problems.push(`${id} is not a choice of ${sel}`); continue; }
				await page.selectOption(sel, id);
				await settle(page);
				const c = await countProblems(page, `${what}=${id}`, offers.filter((o) => o[key] === id).map(shortKey));
				problems.push(...c.problems);
			}
			await page.selectOption(sel, '');
			await settle(page);
			problems.push(...(await countProblems(page, `${what}=all`, offers.map(shortKey))).problems);
			return problems;
		});
	}

	// layer filter
	const layerIds = (catalog.layers || []).map((l) => l.id);
	await check('pricing.html: layer filter shows exactly that layer\'s offers; output#row-count agrees', async () => {
		await fresh();
		const ctl = await page.evaluate((ids) => {
			for (const s of document.querySelectorAll('select')) {
				const vals = [...s.options].map((o) => o.value);
				if (ids.some((id) => vals.includes(id))) {
					if (!s.id) s.id = 'stackmap-test-layer-select';
					return { kind: 'select', sel: `#${CSS.escape(s.id)}`, all: vals.find((v) => !ids.includes(v)) ?? null };
				}
			}
			const radio = [...document.querySelectorAll('input[type=radio]')].find((r) => ids.includes(r.value));
			if (radio) {
				const allRadio = [...document.querySelectorAll(`input[type=radio][name="${CSS.escape(radio.name)}"]`)].find((r) => !ids.includes(r.value));
				return { kind: 'radio', name: radio.name, all: allRadio ? allRadio.value : null };
			}
			return null;
		}, layerIds);
		if (!ctl) return ['no layer filter (a <select> or radio group whose values are layer ids)'];
		const why = await usable(page, ctl.kind === 'select' ? ctl.sel : `input[type=radio][name="${ctl.name}"]`);
		if (why) return [why];
		const choose = async (v) => {
			if (ctl.kind === 'select') await page.selectOption(ctl.sel, v);
			else await page.check(`input[type=radio][name="${ctl.name}"][value="${v}"]`);
			await settle(page);
		};
		const problems = [];
		const present = await page.evaluate((c) => c.kind === 'select'
			? [...document.querySelector(c.sel).options].map((o) => o.value)
			: [...document.querySelectorAll(`input[type=radio][name="${CSS.escape(c.name)}"]`)].map((r) => r.value), ctl);
		for (const id of layerIds) {
			const want = offers.filter((o) => o.layer === id).map(shortKey);
			if (!present.includes(id)) {
				// a layer with no offers may be left out of the filter
				if (want.length) problems.push(`layer ${id} (${want.length} offers) is not a choice of the layer filter`);
				continue;
			}
			await choose(id);
			const c = await countProblems(page, `layer=${id}`, want);
			problems.push(...c.problems);
			if (want.length < offers.length && c.visible >= offers.length)
				problems.push(`layer=${id}: the filter did not reduce the row count`);
		}
		if (ctl.all === null) problems.push('the layer filter has no "all layers" choice');
		else {
			await choose(ctl.all);
			const c = await countProblems(page, `layer=all ("${ctl.all}")`, offers.map(shortKey));
			problems.push(...c.problems);
		}
		return problems;
	});

	await check('pricing.html: OpenAI-compatible checkbox filters; output#row-count agrees', async () => {
		await fresh();
		const sel = await page.evaluate(() => {
			const boxes = [...document.querySelectorAll('input[type=checkbox]')];
			const b = boxes.find((x) => /openai|compat/i.test(`${x.id} ${x.name} ${x.value} ${x.labels ? [...x.labels].map((l) => l.textContent).join(' ') : ''}`));
			if (!b) return null;
			if (!b.id) b.id = 'stackmap-test-openai';
			return `#${CSS.escape(b.id)}`;
		});
		if (!sel) return ['no checkbox for OpenAI-compatible offers'];
		const why = await usable(page, sel);
		if (why) return [why];
		const problems = [];
		await page.check(sel);
		await settle(page);
		const want = offers.filter((o) => o.openai_compatible).map(shortKey);
		let c = await countProblems(page, 'openai-compatible checked', want);
		problems.push(...c.problems);
		if (want.length < offers.length && c.visible >= offers.length) problems.push('checking it did not reduce the row count');
		await page.uncheck(sel);
		await settle(page);
		c = await countProblems(page, 'openai-compatible unchecked', offers.map(shortKey));
		problems.push(...c.problems);
		return problems;
	});

	await check('pricing.html: calculator td.monthly-cost = (in/1e6)*input + (out/1e6)*output for every row', async () => {
		await fresh();
		for (const id of ['#calc-input-tokens', '#calc-output-tokens']) {
			const why = await usable(page, id);
			if (why) return [why];
		}
		const problems = [];
		const verify = async (label, inTok, outTok) => {
			const rows = await page.evaluate(readRows);
			let bad = 0;
			for (const r of rows) {
				const o = findOffer(r);
				if (!o) continue; // reported by the row check
				const want = fmtCost(inTok, outTok, o);
				if (costsOk(inTok, outTok, o).includes(r.cost)) continue;
				if (want !== '—' && onHalfCent(inTok, outTok, o) && r.cost &&
					Math.abs(Number(r.cost.replace(/[$,]/g, '')) - Number(want.slice(1))) <= 0.0100001) continue;
				if (++bad <= 5) problems.push(`${label}: ${rowKey(r)} shows "${r.cost}", expected "${want}" (input ${o.input_num}, output ${o.output_num})`);
			}
			if (bad > 5) problems.push(`${label}: ... ${bad - 5} more rows wrong`);
		};
		const initial = await page.evaluate(() => [document.querySelector('#calc-input-tokens').value, document.querySelector('#calc-output-tokens').value]);
		await verify(`initial (in=${initial[0]}, out=${initial[1]})`, Number(initial[0]) || 0, Number(initial[1]) || 0);
		const cases = [[1000000, 1000000], [0, 0], [2500000, 400000], [123457, 98765], [50000000, 10000000], [0, 3000000]];
		for (const [i, o] of cases) {
			await page.fill('#calc-input-tokens', String(i));
			await page.fill('#calc-output-tokens', String(o));
			await settle(page);
			await verify(`in=${i}, out=${o}`, i, o);
			// the table re-sorts cheapest first: priced rows' costs never fall
			const costs = (await page.evaluate(readRows)).filter((r) => r.visible && /^\$/.test(r.cost ?? ''))
				.map((r) => Number(r.cost.replace(/[$,]/g, '')));
			const k = costs.findIndex((v, j) => j > 0 && costs[j - 1] > v);
			if (k > 0) problems.push(`in=${i}, out=${o}: not cheapest first at row ${k + 1}: ${costs[k - 1]} then ${costs[k]}`);
		}
		return problems;
	});

	await check('pricing.html without JavaScript: every row visible', async () => {
		const noJs = await browser.newContext({ javaScriptEnabled: false });
		try {
			const p = await noJs.newPage();
			await p.goto(base + 'pricing.html');
			const rows = await p.evaluate(readRows);
			const vis = rows.filter((r) => r.visible).length;
			return vis === offers.length && rows.length === offers.length ? []
				: [`${vis} of ${rows.length} rows visible without JS, api/catalog.json has ${offers.length} offers`];
		} finally {
			await noJs.close();
		}
	});
}

// ---- screenshots and narrow layout
await check('screenshots at 1280x800 and 390x844; no sideways page scroll at 390px', async () => {
	fs.mkdirSync(shotDir, { recursive: true });
	const problems = [];
	for (const [w, h] of [[1280, 800], [390, 844]]) {
		const c = await browser.newContext({ viewport: { width: w, height: h } });
		try {
			const p = await c.newPage();
			for (const name of ['index', 'pricing']) {
				if (!files.includes(`${name}.html`)) continue;
				await p.goto(`${base}${name}.html`);
				await settle(p);
				await p.screenshot({ path: path.join(shotDir, `${name}-${w}x${h}.png`) });
				const sw = await p.evaluate(() => document.documentElement.scrollWidth);
				if (sw > w + 1) problems.push(`${name}.html at ${w}px: the page scrolls sideways (scrollWidth ${sw})`);
				if (name === 'index') {
					// the map's vendor labels stay readable: at least 10 CSS px
					const small = await p.evaluate(() => [...document.querySelectorAll('.stackmap-svg .sm-box-text')]
						.map((t) => t.getBoundingClientRect().height)
						.filter((hgt) => hgt > 0 && hgt < 10).length);
					if (small) problems.push(`index.html at ${w}px: ${small} map labels are under 10 px tall`);
				}
			}
		} finally {
			await c.close();
		}
	}
	return problems;
});

// ---- axe-core: serious and critical violations
{
	const axePath = require.resolve('axe-core/axe.min.js');
	const count = (x) => x.offer_count ?? x.host_count ?? 0;
	const byOffers = (list) => [...list].sort((a, b) => count(b) - count(a) || a.id.localeCompare(b.id))[0];
	const v = byOffers(vendors);
	const m = byOffers(catalog.models || []);
	const targets = ['index.html', v && `vendors/${v.id}.html`, m && `models/${m.id}.html`, 'pricing.html']
		.filter((t) => t && files.includes(t));
	// bypassCSP: the pages allow only script-src 'self'; axe is injected inline
	const axeCtx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
	const p = await axeCtx.newPage();
	for (const t of targets) {
		await check(`axe-core: no serious/critical violations on ${t}`, async () => {
			await p.goto(base + t);
			await settle(p);
			await p.addScriptTag({ path: axePath });
			const violations = await p.evaluate(async () => {
				const r = await window.axe.run(document, { resultTypes: ['violations'] });
				return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => ({
					id: x.id, impact: x.impact, help: x.help,
					nodes: x.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
				}));
			});
			const problems = [];
			for (const x of violations) {
				problems.push(`${t}: [${x.impact}] ${x.id}: ${x.help} (${x.nodes.length} nodes)`);
				for (const n of x.nodes.slice(0, 5))
					problems.push(`    at ${n.target}: ${n.html.replace(/\s+/g, ' ').slice(0, 160)} -- ${(n.summary || '').replace(/\s+/g, ' ').slice(0, 200)}`);
				if (x.nodes.length > 5) problems.push(`    ... ${x.nodes.length - 5} more nodes`);
			}
			return problems;
		});
	}
	await axeCtx.close();
}

await browser.close();
server.close();
finish();

function finish() {
	console.log(`${nPassed} passed, ${nFailed} failed`);
	process.exit(nFailed ? 1 : 0);
}
