#!/usr/bin/env node
// The choose page against the command line, run by tests/suite-choose.sh:
//   node tests/browser/choose.test.mjs STACKMAP CATALOG SITE_DIR [COUNT]
// Serves SITE_DIR (built from CATALOG) on 127.0.0.1, drives the Debian
// chromium through playwright-core, and for COUNT (default 24) workloads
// generated from a fixed seed (token counts typed in the forms the page and
// the CLI accept, cached shares, requirements, --via and --max-monthly,
// several models) checks that the page's ranking, costs and prices to the
// cent, router and short-context marks, "no published price" list, offers
// left out, resilience counts and frontier-lab figures equal those of
//   STACKMAP --catalog CATALOG choose ... --format json
// It also checks that the figures the page carries for every offer equal
// those of SITE_DIR/api/catalog.json, that the page without JavaScript
// shows the three preset workloads with the CLI's figures, and that axe-core
// finds no serious or critical violations with or without the script. Prints one PASS/FAIL line per check and
// closes with "N passed, N failed".
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [stackmap, catalog, siteArg, countArg] = process.argv.slice(2);
if (!stackmap || !catalog || !siteArg) {
	console.error('usage: node tests/browser/choose.test.mjs STACKMAP CATALOG SITE_DIR [COUNT]');
	process.exit(2);
}
const siteDir = path.resolve(siteArg);
const COUNT = Number(countArg || 24);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SEED = 20261125;

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
	for (const p of problems.slice(0, 20)) console.log(`    ${p}`);
}

// mulberry32: a small seeded generator, so every run tries the same cases.
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function cli(args) {
	const out = execFileSync(stackmap, ['--catalog', catalog, 'choose', ...args, '--format', 'json'],
		{ encoding: 'utf8' });
	return JSON.parse(out);
}

// What the CLI says, in the shape read from the page.
function expected(res) {
	return {
		ranking: res.ranking.map((r) => `${r.vendor_id} ${r.remote_id} ${r.monthly_label}`),
		prices: res.ranking.map((r) => [['input_num', 'input'], ['output_num', 'output'],
			['cached_input_num', 'cached_input']].map(([n, l]) => (r[n] === null ? '—unknown' : `$${r[l]}`)).join(' ')),
		noPrice: res.no_price.map((r) => `${r.vendor_id} ${r.remote_id}`),
		routerRows: res.ranking.filter((r) => r.router).map((r) => r.vendor_id),
		routerNote: res.has_router,
		shortRows: res.ranking.filter((r) => r.context_short)
			.map((r) => `${r.vendor_id} ${r.context_label} (${r.context_note})`),
		hosts: String(res.resilience.hosts),
		hostsMeeting: String(res.resilience.hosts_meeting),
		excluded: String(res.excluded),
		overBudget: String(res.over_budget),
		frontierNamed: String(res.frontier.named),
		frontier: res.frontier.alternatives.map((r) => `${r.model_id} ${r.vendor_id} ${r.monthly_label}`),
	};
}

function compare(want, got) {
	const problems = [];
	const a = JSON.stringify(want.ranking), b = JSON.stringify(got.ranking);
	if (a !== b) problems.push(`ranking: CLI ${a}\n      page ${b}`);
	for (const k of ['prices', 'noPrice', 'routerRows', 'routerNote', 'shortRows', 'hosts', 'hostsMeeting', 'excluded', 'overBudget',
		'frontierNamed', 'frontier']) {
		if (JSON.stringify(want[k]) !== JSON.stringify(got[k]))
			problems.push(`${k}: CLI ${JSON.stringify(want[k])}, page ${JSON.stringify(got[k])}`);
	}
	return problems;
}

// A token count written the way a person might: plain, k, M or B.
function tokenText(r) {
	const n = Math.floor(r() * 2e9);
	switch (Math.floor(r() * 4)) {
	case 0: return String(n);
	case 1: return `${Math.round(n / 1e3)}k`;
	case 2: return `${(n / 1e6).toFixed(1)}M`;
	default: return `${(n / 1e9).toFixed(2)}B`;
	}
}

function startServer(root) {
	const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
		'.svg': 'image/svg+xml', '.json': 'application/json' };
	const server = http.createServer((req, res) => {
		const rel = decodeURIComponent(new URL(req.url, 'http://h').pathname);
		const file = path.join(root, path.normalize(rel));
		if (!file.startsWith(root + path.sep)) return res.writeHead(403).end();
		fs.readFile(file, (err, data) => {
			if (err) return res.writeHead(404).end();
			res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
			res.end(data);
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const { chromium } = await import('playwright-core');
const server = await startServer(siteDir);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM,
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
	const page = await (await browser.newContext()).newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e.message)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	await page.goto(base + 'choose.html');
	await page.waitForSelector('#choose-tools:not([hidden])', { timeout: 5000 });

	// The models to try: those with most options first, as the select lists.
	const models = await page.$$eval('#choose-model option', (os) => os.map((o) => o.value));
	// Every offer's model and layer: from the page, or, when the page loads
	// models' offers on demand (data-split), from the files it loads.
	const split = await page.$eval('#choose-offers', (u) => u.dataset.split || '');
	let pairs;
	if (split) {
		pairs = [];
		const dir = path.join(siteDir, split);
		for (const f of fs.readdirSync(dir).sort())
			for (const o of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).offers)
				pairs.push([o.model, o.layer, o.vendor]);
		report(`split page: ${fs.readdirSync(dir).length} model files in ${split}`,
			pairs.length ? [] : ['no offers in the model files']);
	} else {
		pairs = await page.$$eval('#choose-offers li', (ls) => ls.map((l) => [l.dataset.model, l.dataset.layer, l.dataset.vendor]));
	}
	// The figures the page carries (data-* of #choose-offers, or the split
	// files) equal those of api/catalog.json, for every offer.
	{
		const attrs = ['model', 'vendor', 'remote', 'layer', 'input', 'output', 'cached', 'has-price',
			'origin', 'stale', 'compatible', 'context'];
		let carried;
		if (split) {
			carried = [];
			const dir = path.join(siteDir, split);
			for (const f of fs.readdirSync(dir).sort())
				carried.push(...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).offers);
		} else {
			carried = await page.$$eval('#choose-offers li', (ls, names) => ls.map((l) =>
				Object.fromEntries(names.map((n) => [n, l.getAttribute('data-' + n) || '']))), attrs);
		}
		const api = JSON.parse(fs.readFileSync(path.join(siteDir, 'api/catalog.json'), 'utf8'));
		const text = (v) => (v === null || v === undefined ? '' : String(v));
		const key = (m, v, r) => `${m} ${v} ${r}`;
		const want = new Map(api.offers.map((o) => [key(o.model_id, o.vendor_id, o.remote_id), {
			model: o.model_id, vendor: o.vendor_id, remote: o.remote_id, layer: o.layer,
			input: text(o.input_num), output: text(o.output_num), cached: text(o.cached_input_num),
			'has-price': text(o.has_price), origin: o.origin, stale: text(o.stale),
			compatible: text(o.openai_compatible), context: text(o.context),
		}]));
		const problems = [];
		const seen = new Set();
		for (const c of carried) {
			const k = key(c.model, c.vendor, c.remote);
			const w = want.get(k);
			seen.add(k);
			if (!w) { problems.push(`${k}: on the page, not in api/catalog.json`); continue; }
			for (const a of attrs)
				if (Number.isNaN(Number(w[a])) || w[a] === '' ? c[a] !== w[a] : Number(c[a]) !== Number(w[a]))
					problems.push(`${k} ${a}: page ${JSON.stringify(c[a])}, api/catalog.json ${JSON.stringify(w[a])}`);
		}
		for (const k of want.keys())
			if (!seen.has(k)) problems.push(`${k}: in api/catalog.json, not on the page`);
		report(`the page's figures equal api/catalog.json's for all ${want.size} offers`, problems);
	}
	const hosts = {};
	const layersOf = {}; // per model, the layers its hosts are in, so a layer filter keeps some
	const vendorsOf = {}; // per model, its vendors and those they sell through, for --via
	const sellersOf = await page.$$eval('#choose-via option', (os) =>
		Object.fromEntries(os.filter((o) => o.value).map((o) => [o.value, o.dataset.sellers.split(' ')])));
	for (const [m, l, v] of pairs) {
		hosts[m] = (hosts[m] || 0) + 1;
		layersOf[m] = layersOf[m] || [];
		if (!layersOf[m].includes(l)) layersOf[m].push(l);
		vendorsOf[m] = vendorsOf[m] || [];
		for (const [via, sellers] of Object.entries(sellersOf))
			if ((via === v || sellers.includes(v)) && !vendorsOf[m].includes(via)) vendorsOf[m].push(via);
	}
	const picked = models.slice().sort((x, y) => hosts[y] - hosts[x] || (x < y ? -1 : 1)).slice(0, 4);
	// a model's offers may be loading: wait until the page is not busy
	const settled = () => page.waitForFunction(() => !document.getElementById('choose-live').hasAttribute('aria-busy'),
		null, { timeout: 5000 });

	const readPage = () => page.evaluate(() => {
		const q = (s) => document.querySelector(s);
		const f = q('#choose-frontier .choose-frontier');
		const items = f ? [...f.querySelectorAll('li')] : [];
		return {
			ranking: [...document.querySelectorAll('#choose-ranking tbody tr')].map((tr) =>
				`${tr.dataset.vendor} ${tr.dataset.remote} ${tr.querySelector('.monthly-cost').textContent}`),
			prices: [...document.querySelectorAll('#choose-ranking tbody tr')].map((tr) =>
				[...tr.children].slice(4, 7).map((td) => td.textContent).join(' ')),
			noPrice: [...document.querySelectorAll('#choose-no-price li')].map((li) =>
				`${li.dataset.vendor} ${li.dataset.remote}`),
			routerRows: [...document.querySelectorAll('#choose-ranking tbody tr')]
				.filter((tr) => tr.querySelector('th').textContent.includes('(router)'))
				.map((tr) => tr.dataset.vendor),
			routerNote: q('#choose-notes .choose-router-note') !== null,
			shortRows: [...document.querySelectorAll('#choose-ranking tbody tr')]
				.filter((tr) => tr.querySelector('.context-short'))
				.map((tr) => `${tr.dataset.vendor} ${tr.children[9].textContent}`),
			hosts: q('#choose-resilience').dataset.hosts,
			hostsMeeting: q('#choose-resilience').dataset.hostsMeeting,
			excluded: q('#choose-summary').dataset.excluded,
			overBudget: q('#choose-summary').dataset.overBudget,
			frontierNamed: f ? f.dataset.named : null,
			frontier: items.map((li) => `${li.dataset.model} ${li.dataset.vendor} ${li.dataset.monthlyLabel}`),
		};
	});

	// The default workload as loaded.
	{
		const model = await page.$eval('#choose-model', (s) => s.value);
		const want = expected(cli(['--model', model, '--input-tokens', '100M', '--output-tokens', '20M']));
		report(`default workload for ${model}`, compare(want, await readPage()));
	}

	const r = rng(SEED);
	let usedVia = 0, usedMax = 0;
	for (let i = 0; i < COUNT; i++) {
		const model = picked[i % picked.length];
		const input = tokenText(r), output = tokenText(r);
		const share = r() < 0.3 ? '0' : (Math.round(r() * 1000) / 1000).toString();
		const compatible = r() < 0.25;
		const layer = r() < 0.25 ? layersOf[model][Math.floor(r() * layersOf[model].length)] : '';
		const via = r() < 0.3 ? vendorsOf[model][Math.floor(r() * vendorsOf[model].length)] : '';
		const useMax = r() < 0.4;
		const pickMax = r();
		await page.selectOption('#choose-model', model);
		await page.fill('#choose-input', input);
		await page.fill('#choose-output', output);
		await page.fill('#choose-cached', share);
		await page.setChecked('#choose-compatible', compatible);
		await page.selectOption('#choose-layer', layer);
		await page.selectOption('#choose-via', via);
		const args = ['--model', model, '--input-tokens', input, '--output-tokens', output,
			'--cached-share', share];
		if (compatible) args.push('--require', 'openai-compatible');
		if (layer) args.push('--layer', layer);
		if (via) args.push('--via', via);
		// a limit at one of the ranked costs, to the cent, so the boundary counts
		let max = '';
		if (useMax) {
			const costs = cli(args).ranking.map((row) => row.monthly);
			if (costs.length) max = costs[Math.floor(pickMax * costs.length)].toFixed(2);
		}
		await page.fill('#choose-max', max);
		if (max) args.push('--max-monthly', max);
		usedVia += via !== '';
		usedMax += max !== '';
		const want = expected(cli(args));
		await settled();
		const got = await readPage();
		const problems = compare(want, got);
		if (want.ranking.length === 0 && want.noPrice.length === 0 && !compatible && !layer)
			problems.push('the CLI ranked nothing: the case tests nothing');
		report(`workload ${i + 1}: ${args.join(' ')} (${want.ranking.length} ranked)`, problems);
	}

	report(`workloads with --via (${usedVia}) and --max-monthly (${usedMax})`,
		COUNT < 8 || (usedVia && usedMax) ? [] : ['no workload used --via or --max-monthly']);

	// A bad token count marks the field and empties the ranking.
	await page.fill('#choose-input', '12x');
	report('a bad token count is flagged', await page.evaluate(() => {
		const p = [];
		if (document.getElementById('choose-input').getAttribute('aria-invalid') !== 'true')
			p.push('aria-invalid is not true');
		if (document.querySelectorAll('#choose-ranking tbody tr').length)
			p.push('the old ranking is still shown');
		return p;
	}));
	report('no script errors', errors);

	// Without JavaScript: the tool stays hidden, the presets match the CLI.
	const noJs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await noJs.goto(base + 'choose.html');
	const presets = await noJs.$$eval('section.preset', (ss) => ss.map((s) => ({
		id: s.id,
		input: s.dataset.inputTokens,
		output: s.dataset.outputTokens,
		ranking: [...s.querySelectorAll('tbody tr')].map((tr) =>
			`${tr.dataset.vendor} ${tr.dataset.remote} ${tr.querySelector('.monthly-cost').textContent}`),
		prices: [...s.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.children].slice(4, 7).map((td) => td.textContent).join(' ')),
		noPrice: [...s.querySelectorAll('.choose-no-price li')].map((li) =>
			`${li.dataset.vendor} ${li.dataset.remote}`),
		routerRows: [...s.querySelectorAll('tbody tr')]
			.filter((tr) => tr.querySelector('th').textContent.includes('(router)'))
			.map((tr) => tr.dataset.vendor),
		routerNote: s.querySelector('.choose-router-note') !== null,
		shortRows: [...s.querySelectorAll('tbody tr')]
			.filter((tr) => tr.querySelector('.context-short'))
			.map((tr) => `${tr.dataset.vendor} ${tr.children[9].textContent}`),
		hosts: s.querySelector('.choose-resilience').dataset.hosts,
		frontierNamed: s.querySelector('.choose-frontier').dataset.named,
		frontier: [...s.querySelectorAll('.choose-frontier li')].map((li) =>
			`${li.dataset.model} ${li.dataset.vendor} ${li.dataset.monthlyLabel}`),
	})));
	const toolHidden = await noJs.$eval('#choose-tools', (e) => e.hidden);
	const defaultModel = await noJs.$eval('#choose-model option[selected]', (o) => o.value);
	report('no-JS: three presets, the tool hidden', [
		...(presets.length === 3 ? [] : [`${presets.length} presets`]),
		...(toolHidden ? [] : ['the tool is visible without JavaScript']),
	]);
	for (const p of presets) {
		const want = expected(cli(['--model', defaultModel, '--input-tokens', p.input,
			'--output-tokens', p.output]));
		delete want.hostsMeeting;
		delete want.excluded;
		delete want.overBudget;
		report(`no-JS preset ${p.id} (${p.input} in, ${p.output} out)`, compare(want, p));
	}

	// axe-core on the page as drawn by the script (with a limit and a
	// vendor picked) and without it: no serious or critical violations.
	const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
	for (const js of [true, false]) {
		// bypassCSP: the page allows only script-src 'self'; axe is injected inline
		// (axe needs scripts: "without" blocks the page's own script instead)
		const p = await (await browser.newContext({ bypassCSP: true })).newPage();
		if (!js) await p.route('**/assets/choose.js', (route) => route.abort());
		await p.goto(base + 'choose.html');
		if (js) {
			await p.waitForSelector('#choose-tools:not([hidden])', { timeout: 5000 });
			await p.fill('#choose-max', '100');
			await p.selectOption('#choose-via', { index: 1 });
			await p.selectOption('#choose-via', '');
		}
		await p.addScriptTag({ path: axePath });
		const violations = await p.evaluate(async () => {
			const res = await window.axe.run(document, { resultTypes: ['violations'] });
			return res.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')
				.map((x) => `[${x.impact}] ${x.id}: ${x.help} at ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
		});
		report(`axe-core: no serious/critical violations ${js ? 'with' : 'without'} JavaScript`, violations);
	}
} finally {
	await browser.close();
	server.close();
}
console.log(`${nPassed} passed, ${nFailed} failed`);
process.exit(nFailed ? 1 : 0);
