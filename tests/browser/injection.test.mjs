#!/usr/bin/env node
// Browser checks for a site built from the hostile catalog, run by
// tests/suite-injection.sh:
//   node tests/browser/injection.test.mjs SITE_DIR [--findings FILE]
// Serves SITE_DIR on 127.0.0.1 (port 0), drives the Debian chromium through
// playwright-core and loads every .html page and stackmap.svg twice: once
// as published (with the pages' Content-Security-Policy) and once with the
// CSP bypassed, so that markup that would run script cannot hide behind the
// policy. On every load a page-level hook records:
//   - calls of the sentinel window.__pwned(N) that every payload of
//     tests/hostile/strings.txt makes, and of alert/confirm/prompt/print
//     (trapped by an init script), and any dialog that opens anyway;
//   - securitypolicyviolation events (an init script listens for them);
//   - navigations of the main frame the test did not ask for, frames the
//     page did not have, popups;
//   - requests that leave the site's origin (an injected <img>, <script
//     src>, stylesheet or refresh);
// and scans the DOM: no event-handler attribute, no inline or foreign
// <script>, no iframe/object/embed/base/form/meta refresh/style element, no
// URL attribute (href, src, action, xlink:href, …) with a scheme other than
// http(s), no CSS expression or javascript: in a style attribute, no text
// with an unbalanced bidi override outside a <bdi> or dir= element.
// Then it clicks every distinct link of the vendor, model and primer pages
// that came from data (external links and links in descriptions) and checks
// where the click went: only http(s) URLs or pages of the site.
// Prints one PASS/FAIL line per check and closes with "N passed, N failed".
// INJECTION_PAGES=vendors/h-00.html,… checks only those pages.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const argv = process.argv.slice(2);
let siteDir = null;
let findingsFile = null;
for (let i = 0; i < argv.length; i++) {
	if (argv[i] === '--findings') findingsFile = argv[++i];
	else if (!siteDir) siteDir = argv[i];
	else usage();
}
if (!siteDir) usage();
siteDir = path.resolve(siteDir);
function usage() {
	console.error('usage: node tests/browser/injection.test.mjs SITE_DIR [--findings FILE]');
	process.exit(2);
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--disable-sync', '--no-first-run',
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
const NAV_TIMEOUT_MS = 15000;
const SETTLE_MS = 50;
const CLICK_WAIT_MS = 400; // a click that navigates does so by then // after load: autofocus, ontoggle, SMIL onbegin fire by then
const MAX_DETAILS = 40;

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
		const lines = [`== injection browser: ${name}`, ...problems.map((p) => `  ${p}`), ''];
		fs.appendFileSync(findingsFile, lines.join('\n') + '\n');
	}
}
function finish() {
	console.log(`${nPassed} passed, ${nFailed} failed`);
	process.exit(nFailed ? 1 : 0);
}
const dedupe = (list) => [...new Set(list)].sort();
const esc = (s) => JSON.stringify(String(s).length > 160 ? String(s).slice(0, 160) + '…' : String(s));

// ---------------------------------------------------------------- the site
const TYPES = {
	'.html': 'text/html; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
	'.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
	'.json': 'application/json', '.csv': 'text/csv; charset=utf-8',
	'.svg': 'image/svg+xml', '.xml': 'application/xml',
};
// planted injections for the canary check (see the end of the file)
const CANARY = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<title>canary</title></head><body>
<img src="x" onerror="__pwned('canary-img')">
<script>__pwned('canary-inline'); alert('canary')</script>
<iframe src="about:blank"></iframe>
<div class="prose"><a href="javascript:__pwned('canary-link')">x</a></div>
<p>\u202Ebidi</p>
<img src="http://x.example/canary.png" alt="">
</body></html>`;

function startServer(root) {
	const server = http.createServer((req, res) => {
		if (req.url === '/__canary.html') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CANARY);
			return;
		}
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
				'cache-control': 'no-store',
			});
			res.end(data);
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
const files = walk(siteDir);
// INJECTION_PAGES=a.html,b.html narrows the run to those pages (to
// reproduce one finding); by default every page is checked
const pages = process.env.INJECTION_PAGES ? process.env.INJECTION_PAGES.split(',')
	: [...files.filter((f) => f.endsWith('.html')),
		...(files.includes('stackmap.svg') ? ['stackmap.svg'] : [])];

// The scheme of a URL as a browser reads it (WHATWG: leading/trailing C0
// and space stripped, tab and newline removed; a scheme starts with a
// letter), lower-cased, or '' for a relative URL.
function schemeOf(u) {
	const s = String(u).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
	const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
	return m ? m[1].toLowerCase() : '';
}
const schemeOk = (u) => ['', 'http', 'https'].includes(schemeOf(u));

// ---------------------------------------------------------------- the hooks
// Runs in every page before its own scripts: the traps and the CSP listener
// report through the binding __hostileReport.
const INIT = () => {
	const send = window.__hostileReport;
	const report = (kind, detail) => {
		try {
			send(kind, String(detail));
		} catch { /* the binding is gone: the page is closing */ }
	};
	Object.defineProperty(window, '__pwned', {
		value: (n) => report('sentinel', `__pwned(${n})`), configurable: false,
	});
	for (const f of ['alert', 'confirm', 'prompt', 'print'])
		window[f] = (...a) => report('trap', `${f}(${a.map(String).join(', ')})`);
	document.addEventListener('securitypolicyviolation', (e) =>
		report('csp', `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}` +
			`${e.sample ? `: ${e.sample}` : ''}`), true);
};

// Runs in the page after load: what the DOM holds that data must never
// produce. Returns a list of problems.
const SCAN = () => {
	const problems = [];
	const here = location.origin;
	const show = (el) => {
		const h = (el.outerHTML || '').replace(/\s+/g, ' ');
		return h.length > 120 ? h.slice(0, 120) + '…' : h;
	};
	const scheme = (u) => {
		const s = String(u).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
		const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
		return m ? m[1].toLowerCase() : '';
	};
	const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'background',
		'ping', 'codebase', 'cite', 'longdesc', 'manifest', 'icon', 'lowsrc', 'dynsrc'];
	// elements no template has (an injected control such as <input
	// autofocus onfocus> is caught by its handler attribute)
	const FORBIDDEN = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
		'base', 'form', 'math', 'foreignobject', 'animate', 'set', 'handler', 'listener',
		'noscript', 'portal', 'template', 'video', 'audio', 'textarea', 'marquee']);
	for (const el of document.querySelectorAll('*')) {
		const tag = el.localName.toLowerCase();
		for (const a of el.attributes) {
			const name = a.name.toLowerCase();
			if (name.startsWith('on'))
				problems.push(`event-handler attribute ${name}= on <${tag}>: ${show(el)}`);
			const local = name.includes(':') ? name.split(':').pop() : name;
			if (URL_ATTRS.includes(local) && scheme(a.value) && !['http', 'https'].includes(scheme(a.value)))
				problems.push(`${name}="${a.value}" on <${tag}>: ${scheme(a.value)}: URL`);
			if (name === 'srcset' && /(^|,)\s*(javascript|data|vbscript):/i.test(a.value))
				problems.push(`srcset with a script URL on <${tag}>`);
			if (name === 'style' && /expression\s*\(|javascript:|url\s*\(/i.test(a.value))
				problems.push(`style="${a.value}" on <${tag}>`);
		}
		if (tag === 'script') {
			const src = el.getAttribute('src');
			let ok = false;
			if (src) {
				try {
					const u = new URL(src, location.href);
					ok = u.origin === here && /\/assets\/[a-z0-9-]+\.js$/.test(u.pathname);
				} catch { /* unparsable: not ok */ }
			}
			if (!ok) problems.push(`a <script> that is not the site's own: ${show(el)}`);
		}
		if (tag === 'style') problems.push(`a <style> element: ${show(el)}`);
		if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || ''))
			problems.push(`a meta refresh: ${show(el)}`);
		if (tag === 'link' && !/^(stylesheet|icon|canonical|alternate)$/i.test(el.getAttribute('rel') || ''))
			problems.push(`a <link rel="${el.getAttribute('rel')}">`);
		if (FORBIDDEN.has(tag))
			problems.push(`a <${tag}> element: ${show(el)}`);
	}
	// text with a bidi override, embedding or isolate left open reorders
	// whatever follows it unless an element isolates it
	const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const t = n.data;
		if (!/[\u202a-\u202e\u2066-\u2069]/.test(t)) continue;
		let emb = 0;
		let iso = 0;
		for (const c of t) {
			if ('\u202a\u202b\u202d\u202e'.includes(c)) emb++;
			else if (c === '\u202c') emb = Math.max(0, emb - 1);
			else if ('\u2066\u2067\u2068'.includes(c)) iso++;
			else if (c === '\u2069') iso = Math.max(0, iso - 1);
		}
		if (emb === 0 && iso === 0) continue;
		const p = n.parentElement;
		if (p && p.closest('bdi, [dir]')) continue;
		problems.push(`unbalanced bidi control in text of <${p ? p.localName : '?'}>: ${JSON.stringify(t.slice(0, 80))}`);
	}
	// links that came from data: external ones (the templates link the
	// site's own pages relatively) and every link in a description
	const links = [];
	for (const a of document.querySelectorAll('a')) {
		const href = a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
		if (href == null) continue;
		if (a.closest('.prose') || a.getAttribute('rel') === 'nofollow' || scheme(href)) links.push(href);
	}
	return { problems, links };
};

// ---------------------------------------------------------------- main
// an exception anywhere still ends the run with a summary
for (const ev of ['unhandledRejection', 'uncaughtException'])
	process.on(ev, (e) => {
		report('the test ran to its end', [String((e && e.message) || e).split('\n')[0]]);
		finish();
	});
const { chromium } = await import('playwright-core');
const server = await startServer(siteDir);
const origin = `http://127.0.0.1:${server.address().port}`;
const base = `${origin}/`;

let browser;
try {
	browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
} catch (e) {
	report(`launch chromium (${CHROMIUM})`, [String(e.message).split('\n')[0]]);
	server.close();
	finish();
}

// One browser context per pass; events are keyed by the page being checked.
async function makeContext(bypassCSP) {
	const ctx = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 800 } });
	ctx.setDefaultTimeout(3000);
	ctx.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
	const state = { current: new Map(), events: [] };
	await ctx.exposeBinding('__hostileReport', (source, kind, detail) => {
		const rel = state.current.get(source.page) ?? source.page?.url();
		state.events.push({ rel, kind, detail });
	});
	await ctx.addInitScript(INIT);
	// nothing leaves the machine (LAUNCH_ARGS resolve no other host); a
	// request off the site made while a page loads is recorded: the
	// templates make none, so data added it
	ctx.on('request', (req) => {
		const url = req.url();
		if (url.startsWith(origin + '/') || /^(data|blob|about|chrome-error):/.test(url) || state.clicking) return;
		const page = req.frame()?.page();
		const rel = page ? state.current.get(page) : undefined;
		state.events.push({ rel, kind: 'request', detail: `${req.resourceType()} ${url}` });
	});
	return { ctx, state };
}

// Visits the pages list in one context (two tabs). With scan, runs SCAN
// on each page and collects its links from data. Returns the problems by
// kind: load, ran (sentinel, traps, dialogs), csp, left (navigation,
// frame, popup, request off the site), dom, bidi; and the links.
async function visitAll(list, bypassCSP, scan) {
	const t0 = Date.now();
	const { ctx, state } = await makeContext(bypassCSP);
	const out = { load: [], dom: [], bidi: [], links: [] };
	const queue = [...list];
	const worker = async () => {
		const page = await ctx.newPage();
		page.on('dialog', (d) => {
			state.events.push({ rel: state.current.get(page), kind: 'dialog', detail: `${d.type()}: ${d.message()}` });
			d.dismiss().catch(() => {});
		});
		page.on('popup', (p) => {
			state.events.push({ rel: state.current.get(page), kind: 'popup', detail: p.url() });
			p.close().catch(() => {});
		});
		let expected = null;
		page.on('framenavigated', (frame) => {
			const rel = state.current.get(page);
			if (frame === page.mainFrame()) {
				if (expected && frame.url() !== expected)
					state.events.push({ rel, kind: 'navigation', detail: `to ${frame.url()}` });
			} else {
				state.events.push({ rel, kind: 'frame', detail: `a frame at ${frame.url()}` });
			}
		});
		for (let rel; (rel = queue.shift()) !== undefined;) {
			state.current.set(page, rel);
			expected = base + rel;
			try {
				const resp = await page.goto(expected, { waitUntil: 'load' });
				if (!resp || resp.status() !== 200) out.load.push(`${rel}: load status ${resp && resp.status()}`);
				await page.waitForTimeout(SETTLE_MS);
				if (scan) {
					const found = await page.evaluate(SCAN);
					for (const p of found.problems)
						(p.startsWith('unbalanced bidi') ? out.bidi : out.dom).push(`${rel}: ${p}`);
					if (/^((vendors|models|primers)\/.*\.html|__canary\.html)$/.test(rel))
						out.links.push(...found.links.map((href) => ({ rel, href })));
				}
				if (rel.endsWith('.html') && !bypassCSP) {
					const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]',
						(m) => m.getAttribute('content')).catch(() => null);
					if (!csp || !/script-src 'self'/.test(csp) || /unsafe-inline|unsafe-eval/.test(csp))
						out.load.push(`${rel}: no strict Content-Security-Policy meta (got ${esc(csp)})`);
				}
			} catch (e) {
				out.load.push(`${rel}: ${String(e.message).split('\n')[0]}`);
			}
			expected = null;
		}
		await page.close();
	};
	await Promise.all([worker(), worker()]);
	await ctx.close();
	const of = (kinds) => dedupe(state.events.filter((e) => kinds.includes(e.kind))
		.map((e) => `${e.rel}: ${e.kind}: ${e.detail}`));
	return {
		took: `${((Date.now() - t0) / 1000).toFixed(1)}s`,
		load: dedupe(out.load), ran: of(['sentinel', 'trap', 'dialog']), csp: of(['csp']),
		left: of(['navigation', 'frame', 'popup', 'request']), dom: dedupe(out.dom),
		bidi: dedupe(out.bidi), links: out.links,
	};
}

// Clicks every distinct link of links ({rel, href}) once, each on a fresh
// load of its page; a click's navigation is recorded and answered with a
// stub page. A synthetic click follows a link even when CSS hides it.
// Returns the problems: links not found, navigations to a non-http(s)
// URL, script run or dialogs opened by a click.
async function clickAll(links) {
	const toClick = new Map(); // href -> the first page that has it
	for (const l of links) if (!toClick.has(l.href)) toClick.set(l.href, l.rel);
	const problems = [];
	const { ctx, state } = await makeContext(true);
	state.clicking = true;
	let allow = null;
	const navs = [];
	await ctx.route('**/*', (route) => {
		const r = route.request();
		if (r.isNavigationRequest() && r.url() !== allow) {
			navs.push(r.url());
			return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>stub</title>' });
		}
		return route.continue();
	});
	const page = await ctx.newPage();
	page.on('dialog', (d) => {
		problems.push(`${state.current.get(page)}: dialog ${d.type()}: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
	for (const [href, rel] of toClick) {
		// a navigation that comes late and cuts into the next load is retried
		for (let attempt = 1; ; attempt++) {
			try {
				allow = base + rel;
				state.current.set(page, rel);
				await page.goto(allow, { waitUntil: 'load' });
				allow = null;
				state.current.set(page, `${rel} (clicking ${esc(href)})`);
				navs.length = 0;
				const index = await page.evaluate((h) => {
					const all = [...document.querySelectorAll('a')];
					const i = all.findIndex((x) =>
						(x.getAttribute('href') ?? x.getAttributeNS('http://www.w3.org/1999/xlink', 'href')) === h);
					if (i >= 0) all[i].setAttribute('data-hostile-click', String(i));
					return i;
				}, href);
				if (index < 0) {
					problems.push(`${rel}: no link ${esc(href)} to click`);
					break;
				}
				await page.locator(`[data-hostile-click="${index}"]`).dispatchEvent('click');
				for (let t = 0; t < CLICK_WAIT_MS && navs.length === 0; t += 25) await page.waitForTimeout(25);
				if (navs.length) await page.waitForLoadState('load').catch(() => {});
				for (const to of navs)
					if (!['http', 'https'].includes(schemeOf(to)))
						problems.push(`${rel}: clicking ${esc(href)} went to ${esc(to)}`);
				break;
			} catch (e) {
				const msg = String(e.message).split('\n')[0];
				if (attempt < 3 && /interrupted by another navigation|context was destroyed/.test(msg)) {
					await page.waitForTimeout(200);
					continue;
				}
				problems.push(`${rel}: clicking ${esc(href)}: ${msg}`);
				break;
			}
		}
	}
	await ctx.close();
	problems.push(...state.events.filter((e) => ['sentinel', 'trap', 'popup'].includes(e.kind))
		.map((e) => `${e.rel}: ${e.kind}: ${e.detail}`));
	return { clicked: toClick.size, problems: dedupe(problems) };
}

// ---- the canary: a page with planted injections (served by this test,
// not part of the site) that every hook must catch, so that a hook that
// silently stopped working fails the run
{
	const run1 = await visitAll(['__canary.html'], true, true);
	const run2 = await visitAll(['__canary.html'], false, false);
	const clicks = await clickAll(run1.links);
	const missed = [];
	const want = (what, list, re) => {
		if (!list.some((x) => re.test(x))) missed.push(`${what} missed (got ${esc(list.join(' | '))})`);
	};
	want('the sentinel', run1.ran, /sentinel: __pwned\(canary-inline\)/);
	want('the handler sentinel', run1.ran, /sentinel: __pwned\(canary-img\)/);
	want('the alert trap', run1.ran, /trap: alert\(canary\)/);
	want('the CSP listener', run2.csp, /csp: script-src/);
	want('the off-site request hook', run1.left, /request: image http:\/\/x\.example\/canary\.png/);
	want('the DOM scan (handler)', run1.dom, /event-handler attribute onerror/);
	want('the DOM scan (javascript: link)', run1.dom, /href="javascript:/);
	want('the DOM scan (iframe)', run1.dom, /a <iframe> element/);
	want('the bidi scan', run1.bidi, /unbalanced bidi/);
	want('the link click', clicks.problems, /canary-link|went to "javascript:/);
	report('the hooks catch a planted canary page (sentinel, trap, CSP, request, DOM, bidi, click)', missed);
}

// ---- every page twice: the CSP bypassed (the DOM scan, and markup that
// would run script cannot hide behind the policy), then as published
const pass1 = await visitAll(pages, true, true);
report(`CSP bypassed: every page loads (${pages.length} pages) [${pass1.took}]`, pass1.load);
report('CSP bypassed: no sentinel, alert/confirm/prompt/print call or dialog', pass1.ran);
report('CSP bypassed: no unintended navigation, frame, popup or request off the site', pass1.left);
report('CSP bypassed: the DOM holds no markup, handler or script URL from data', pass1.dom);
report('no text with an unbalanced bidi override/isolate outside <bdi> or dir=', pass1.bidi);
const pass2 = await visitAll(pages, false, false);
report(`with the pages' CSP: every page loads, each with a strict policy [${pass2.took}]`, pass2.load);
report('with the pages\' CSP: no sentinel, alert/confirm/prompt/print call or dialog', pass2.ran);
report('with the pages\' CSP: no policy violation (no injected script or style was blocked)', pass2.csp);
report('with the pages\' CSP: no unintended navigation, frame, popup or request off the site', pass2.left);

// ---- links from data: every link of the vendor, model and primer pages
// that is not the site's own navigation, checked by scheme; every distinct
// one clicked once
{
	const links = pass1.links;
	const nPages = new Set(links.map((l) => l.rel)).size;
	report(`links from data have http(s) URLs (${links.length} links on ${nPages} pages)`,
		dedupe(links.filter((l) => !schemeOk(l.href)).map((l) => `${l.rel}: link to ${esc(l.href)}`)));
	const t0 = Date.now();
	const clicks = await clickAll(links);
	report(`clicking every distinct link from data (${clicks.clicked}) leads only to http(s) pages, ` +
		`runs nothing [${((Date.now() - t0) / 1000).toFixed(1)}s]`, clicks.problems);
}

// a page stuck in a dialog or a navigation must not hold the run up
const within = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
await within(browser.close(), 5000);
server.closeAllConnections?.();
server.close();
finish();
