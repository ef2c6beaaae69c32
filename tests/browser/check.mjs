// The demo portal in headless Chromium: what citizens see, checked in a
// real browser rather than by reading HTML.  Run by tests/browser/run.sh,
// which builds the demo (with its archived old site), serves it with nginx
// on loopback and passes:
//
//   node check.mjs --base URL --public DIR --out DIR [--redirects URL]
//
// --public is the served folder (to find the archived pages and the
// features), --out where the screenshots go,
// --redirects an nginx serving the old hosts' redirect maps.
// Prints "ok NAME" or "FAIL NAME: why" per check, then
// "browser: N passed, M failed".  TIMES=1 adds each check's duration (for
// finding a slow one; nothing depends on it).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const opt = {};
for (let i = 2; i < process.argv.length; i += 2)
	opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['base', 'public', 'out'])
	if (!opt[k]) {
		console.error(`usage: node check.mjs --base URL --public DIR --out DIR [--redirects URL]`);
		process.exit(2);
	}
const base = opt.base.replace(/\/?$/, '/');
const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const ARCHIVE_DATE = '2026年11月23日';       // the demo's --date
const ACTIVE_NOTICE = '关于示例市生态环境局网站关停的公告';
const EXPIRED_NOTICE = '关于示例市发展和改革委员会网站关停的公告';

// The portal's own pages, each a kind of layout of the theme.
const PAGES = {
	home: '',
	department: 'fgw/',
	column: 'fgw/gzdt/',
	'column-page-2': 'fgw/gzdt/page/2/',
	article: 'fgw/gzdt/2026-11-20-sijidu-zhongda-xiangmu-kaigong/',
	guide: 'fgw/bszn/jieneng-shencha/',          // 办事指南 with its tables
	notices: 'notices/',
	notice: 'notices/sthjj-guanting/',
	'notice-expired': 'notices/fgw-guanting/',
	archive: 'archive/',
	'not-found': 'no-such-page/',
};
const CLOSED_SITES = 'closed-sites/';          // issue #5's directory page

// ---- a small harness ----
let passed = 0, failed = 0;
const log = (line) => console.log(line);
async function test(name, fn) {
	const t0 = Date.now();
	try {
		await fn();
		passed++;
		log(`ok ${name}` + (process.env.TIMES ? ` (${Date.now() - t0} ms)` : ''));
	} catch (e) {
		failed++;
		log(`FAIL ${name}: ${String(e && e.message || e).split('\n')[0]}`);
	}
}
function assert(cond, message) {
	if (!cond)
		throw new Error(message);
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
});

// A fresh profile (no stored mode) for each check; elder: start in 长者模式.
async function open(viewport, { elder = false, scale = 1 } = {}) {
	const context = await browser.newContext({ viewport, deviceScaleFactor: scale, locale: 'zh-CN' });
	if (elder)
		await context.addInitScript(() => {
			try { localStorage.setItem('jiyue-elder', '1'); } catch (e) {}
		});
	const page = await context.newPage();
	return { context, page };
}

async function visit(page, path, { status = 200 } = {}) {
	const response = await page.goto(base + path);
	assert(response, `no response for /${path}`);
	assert(response.status() === status, `/${path} answered ${response.status()}, expected ${status}`);
	return response;
}

async function shot(page, name) {
	mkdirSync(opt.out, { recursive: true });
	await page.screenshot({ path: join(opt.out, `${name}.png`), fullPage: true });
}

const px = (value) => parseFloat(value);

// ---- 1. notices on the homepage ----
await test('homepage shows the active closure notice in its notice zone, not the expired one', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.home);
	const zone = page.locator('.notice-zone');
	assert(await zone.count() === 1, 'no single notice zone on the homepage');
	const active = zone.getByRole('link', { name: ACTIVE_NOTICE });
	assert(await active.isVisible(), `'${ACTIVE_NOTICE}' is not visible in the notice zone`);
	const box = await active.boundingBox();
	assert(box && box.y + box.height <= DESKTOP.height, 'the active notice is below the first screen');
	assert(await zone.getByText(EXPIRED_NOTICE).count() === 0, `the expired '${EXPIRED_NOTICE}' is in the zone`);
	assert(await page.getByText(EXPIRED_NOTICE).count() === 0, 'the expired notice is on the homepage');
	await context.close();
});

// ---- 2. navigation by clicking, and pagination ----
await test('department -> column -> article by clicking', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.home);
	await page.getByRole('navigation', { name: '部门导航' }).getByRole('link', { name: '发改委' }).click();
	await page.waitForURL(base + 'fgw/');
	assert(await page.locator('h1').innerText() === '示例市发展和改革委员会', 'the department page has the wrong heading');
	await page.locator('.panel-title').getByRole('link', { name: '工作动态', exact: true }).click();
	await page.waitForURL(base + 'fgw/gzdt/');
	assert(await page.locator('h1').innerText() === '工作动态', 'the column page has the wrong heading');
	const first = page.locator('.news-list-column a').first();
	const title = await first.innerText();
	await first.click();
	await page.waitForURL(/\/fgw\/gzdt\/[^/]+\/$/);
	assert(await page.locator('h1').innerText() === title, `the article's heading is not '${title}'`);
	const crumbs = await page.getByRole('navigation', { name: '当前位置' }).innerText();
	assert(crumbs.includes('工作动态') && crumbs.includes('正文'), `breadcrumbs: ${crumbs}`);
	await context.close();
});

await test('pagination: next and previous pages of a column', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.column);
	const pager = page.getByRole('navigation', { name: '分页' });
	assert(await pager.isVisible(), 'no pager on a column of more than 20 items');
	const page1 = await page.locator('.news-list-column a').allInnerTexts();
	assert(page1.length === 20, `page 1 lists ${page1.length} items, expected 20`);
	await pager.getByRole('link', { name: '下一页' }).click();
	await page.waitForURL(base + PAGES['column-page-2']);
	const page2 = await page.locator('.news-list-column a').allInnerTexts();
	assert(page2.length > 0 && !page2.some((t) => page1.includes(t)), 'page 2 repeats page 1 or is empty');
	assert((await pager.innerText()).includes('第2/2页'), 'page 2 does not say 第2/2页');
	await pager.getByRole('link', { name: '上一页' }).click();
	await page.waitForURL(base + PAGES.column);
	await pager.getByRole('link', { name: '第2页' }).click();
	await page.waitForURL(base + PAGES['column-page-2']);
	await context.close();
});

// ---- 3. archived pages: the 已归档 banner ----
/* Every stamped page of the published archive, by its original URL. */
function archivedPages() {
	const root = join(opt.public, 'archive');
	const found = [];
	const walk = (dir) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory())
				walk(path);
			else if (entry.name.endsWith('.html')) {
				const m = readFileSync(path, 'utf8').match(/<meta name="archived-from" content="([^"]*)"/);
				if (m)
					found.push({ url: m[1], path: relative(opt.public, path).split('/').map(encodeURIComponent).join('/') });
			}
		}
	};
	if (existsSync(root))
		walk(root);
	return found.sort((a, b) => a.url.localeCompare(b.url));
}

/* The banner at the top of the first screen, visible, uncovered, dated. */
async function checkBanner(page, viewport, what) {
	const banner = page.locator('jiyue-archived');
	assert(await banner.count() === 1, `${what}: ${await banner.count()} banners`);
	assert(await banner.isVisible(), `${what}: the banner is not visible`);
	const box = await banner.boundingBox();
	assert(box && box.y >= 0 && box.y + box.height <= viewport.height,
		`${what}: the banner is not within the first screen (${JSON.stringify(box)})`);
	assert(box.height >= 20 && box.width >= viewport.width * 0.9,
		`${what}: the banner is too small (${Math.round(box.width)}x${Math.round(box.height)})`);
	const state = await banner.evaluate((el) => {
		const parts = [el, el.querySelector('jiyue-archived-badge'), el.querySelector('time')];
		const uncovered = parts.every((part) => {
			const r = part.getBoundingClientRect();
			const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			return hit && (hit === el || el.contains(hit));
		});
		const style = getComputedStyle(el.querySelector('time'));
		return {
			uncovered,
			visible: parts.every((p) => p.checkVisibility({ opacityProperty: true, visibilityProperty: true })),
			text: el.innerText,
			fontSize: style.fontSize,
			color: style.color,
		};
	});
	assert(state.visible, `${what}: a part of the banner is hidden`);
	assert(state.uncovered, `${what}: something of the page covers the banner`);
	assert(state.text.includes('已归档') && state.text.includes(ARCHIVE_DATE),
		`${what}: the banner does not say 已归档 and ${ARCHIVE_DATE}: '${state.text}'`);
	assert(px(state.fontSize) >= 12, `${what}: the date is in ${state.fontSize} type`);
	assert(!/rgba\(.*, 0\)$/.test(state.color) && state.color !== 'transparent', `${what}: the date is transparent`);
}

const archived = archivedPages();
await test('the archive holds the demo old site, with its hostile page', async () => {
	assert(archived.length >= 8, `only ${archived.length} archived pages in ${opt.public}/archive (was the old site archived?)`);
	assert(archived.some((p) => p.url.endsWith('/zt/index.html')), 'no archived /zt/index.html (the page whose CSS fights the banner)');
});

await test('archive index -> site -> page by clicking, banner on top', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.archive);
	await page.getByRole('link', { name: '示例市发展和改革委员会网站' }).click();
	await page.waitForURL(base + 'archive/fgw/');
	await page.getByRole('link', { name: 'http://fgw.example.gov.cn/', exact: true }).click();
	await page.waitForURL(/\/archive\/fgw\/.+\.html$/);
	await checkBanner(page, DESKTOP, 'the archived homepage');
	await page.getByRole('link', { name: '专题专栏' }).click();
	await page.waitForURL(/\/zt\//);
	await checkBanner(page, DESKTOP, 'the archived 专题 page');
	await context.close();
});

for (const viewport of [DESKTOP, PHONE]) {
	await test(`every archived page shows the 已归档 banner at ${viewport.width} px`, async () => {
		assert(archived.length > 0, 'no archived pages');
		const { context, page } = await open(viewport);
		for (const p of archived) {
			await visit(page, p.path);
			await checkBanner(page, viewport, p.url);
		}
		await context.close();
	});
}

await test('the banner check fails on a covered, a hidden and a pushed-away banner', async () => {
	assert(archived.length > 0, 'no archived pages');
	const attacks = {
		covered: 'body::after { content: ""; position: fixed; inset: 0; z-index: 2147483647; background: #fff; }',
		hidden: 'body { display: none !important; }',
		'pushed away': 'body { margin-top: -2000px !important; }',
	};
	const { context, page } = await open(DESKTOP);
	for (const [what, css] of Object.entries(attacks)) {
		await visit(page, archived[0].path);
		await page.addStyleTag({ content: css });
		let caught = false;
		try {
			await checkBanner(page, DESKTOP, what);
		} catch (e) {
			caught = true;
		}
		assert(caught, `a ${what} banner passed the check`);
	}
	await context.close();
});

// ---- 4. 长者模式 ----
const fontSizes = (page) => page.evaluate(() => ({
	body: parseFloat(getComputedStyle(document.body).fontSize),
	text: parseFloat(getComputedStyle(document.querySelector('.article-body p, .news-list a, main p')).fontSize),
	elder: document.documentElement.classList.contains('elder'),
	pressed: document.getElementById('elder-toggle').getAttribute('aria-pressed'),
}));

await test('长者模式: the switch enlarges text 1.5x and is remembered on the next page', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.article);
	const toggle = page.getByRole('button', { name: '长者模式' });
	assert(await toggle.isVisible(), 'no visible 长者模式 button');
	const before = await fontSizes(page);
	assert(!before.elder && before.pressed === 'false', 'the mode is on before any click');
	await toggle.click();
	const after = await fontSizes(page);
	assert(after.elder && after.pressed === 'true', 'a click did not turn the mode on');
	assert(after.body >= 1.5 * before.body, `body text ${before.body}px -> ${after.body}px, less than 1.5x`);
	assert(after.text >= 1.5 * before.text, `article text ${before.text}px -> ${after.text}px, less than 1.5x`);
	// The next page: on from its first frame (no flash of small text).
	await page.addInitScript(() => {
		requestAnimationFrame(() => {
			window.elderAtFirstFrame = document.documentElement.classList.contains('elder');
		});
	});
	await page.getByRole('navigation', { name: '当前位置' }).getByRole('link', { name: '工作动态' }).click();
	await page.waitForURL(base + PAGES.column);
	const next = await fontSizes(page);
	assert(next.elder && next.pressed === 'true', 'the mode was not remembered on the next page');
	assert(next.body >= 1.5 * before.body, 'the next page is not in large text');
	assert(await page.evaluate(() => window.elderAtFirstFrame) === true, 'the next page was painted before the mode applied');
	await page.getByRole('button', { name: '长者模式' }).click();
	await visit(page, PAGES.home);
	const off = await fontSizes(page);
	assert(!off.elder && off.pressed === 'false' && off.body === before.body, 'turning the mode off did not last');
	await context.close();
});

await test('长者模式: text 1.5x on a phone too', async () => {
	const sizes = [];
	for (const elder of [false, true]) {
		const { context, page } = await open(PHONE, { elder });
		await visit(page, PAGES.article);
		sizes.push(await fontSizes(page));
		await context.close();
	}
	const [normal, elder] = sizes;
	assert(elder.body >= 1.5 * normal.body && elder.text >= 1.5 * normal.text,
		`body ${normal.body} -> ${elder.body}px, article ${normal.text} -> ${elder.text}px`);
});

await test('长者模式: Tab reaches the switch, with a visible focus; Enter and Space toggle it', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.home);
	let reached = false;
	for (let i = 0; i < 20 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'elder-toggle');
	}
	assert(reached, 'Tab never reached the 长者模式 button');
	const focus = await page.evaluate(() => {
		const el = document.activeElement;
		return { visible: el.matches(':focus-visible'), background: getComputedStyle(el).backgroundColor };
	});
	assert(focus.visible && focus.background === 'rgb(255, 221, 0)', `no visible focus on the switch (${focus.background})`);
	const base0 = (await fontSizes(page)).body;
	await page.keyboard.press('Enter');
	let s = await fontSizes(page);
	assert(s.elder && s.pressed === 'true' && s.body >= 1.5 * base0, 'Enter did not turn the mode on');
	await page.keyboard.press('Space');
	s = await fontSizes(page);
	assert(!s.elder && s.pressed === 'false', 'Space did not turn the mode off');
	await page.keyboard.press('Space');
	s = await fontSizes(page);
	assert(s.elder && s.pressed === 'true', 'Space did not turn the mode on');
	await context.close();
});

await test('without JavaScript: no switch, the page complete', async () => {
	const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
	const page = await context.newPage();
	await visit(page, PAGES.article);
	assert(!(await page.locator('#elder-toggle').isVisible()), 'a switch that cannot work is shown');
	assert(await page.locator('.article-body').isVisible(), 'the article is not shown');
	await context.close();
});

await test('skip link: the first Tab shows it and it moves to the main content', async () => {
	const { context, page } = await open(DESKTOP);
	await visit(page, PAGES.article);
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: '跳到主要内容' });
	assert(await skip.evaluate((el) => el === document.activeElement), 'the first Tab does not reach the skip link');
	const box = await skip.boundingBox();
	assert(box && box.y >= 0 && box.y < DESKTOP.height, 'the focused skip link is off screen');
	await page.keyboard.press('Enter');
	assert(await page.evaluate(() => document.activeElement.id === 'main'), 'the skip link does not move focus to main');
	await context.close();
});

// ---- 5. 200% zoom and a phone: no sideways scrolling of the page ----
const LAYOUTS = [
	{ name: '390 px', viewport: PHONE },
	{ name: '200% zoom', viewport: { width: 640, height: 400 }, scale: 2 }, // a 1280x800 screen at 200%
	{ name: '390 px, 长者模式', viewport: PHONE, elder: true },
	{ name: '200% zoom, 长者模式', viewport: { width: 640, height: 400 }, scale: 2, elder: true },
];
for (const layout of LAYOUTS) {
	await test(`no horizontal overflow at ${layout.name}`, async () => {
		const { context, page } = await open(layout.viewport, layout);
		const wide = [];
		for (const [name, path] of Object.entries(PAGES)) {
			await visit(page, path, { status: name === 'not-found' ? 404 : 200 });
			const m = await page.evaluate(() => ({
				scroll: document.documentElement.scrollWidth,
				client: document.documentElement.clientWidth,
			}));
			if (m.scroll > m.client)
				wide.push(`${name} (${m.scroll} > ${m.client})`);
		}
		assert(wide.length === 0, `the page scrolls sideways: ${wide.join(', ')}`);
		if (!layout.elder)
			return context.close();
		assert(await page.locator('#elder-toggle').isVisible(), 'the switch is not visible');
		await context.close();
	});
}

await test('办事指南 tables: th in thead, scrolled inside their own focusable box on a phone', async () => {
	const { context, page } = await open(PHONE);
	await visit(page, PAGES.guide);
	const wrap = page.locator('.article-body .table-wrap').first();
	assert(await wrap.count() === 1, 'no .table-wrap around the table');
	assert(await page.locator('.article-body table thead th').count() > 0, 'no header cells in a thead');
	const m = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, tab: el.tabIndex, role: el.getAttribute('role'), label: el.getAttribute('aria-label') }));
	assert(m.scroll > m.client, 'the wide table does not scroll inside its box');
	assert(m.tab === 0 && m.role === 'region' && m.label, 'the scrolling box is not a focusable, named region');
	await context.close();
});

// ---- 6. axe-core: no serious or critical violation ----
async function axe(page) {
	await page.addScriptTag({ content: axeSource });
	const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
const severe = (violations) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
const describe = (violations) => violations.map((v) => `${v.id} (${v.impact}) at ${v.nodes.slice(0, 2).join(', ')}`).join('; ');

/* Standard and 长者模式 on a desktop, and 长者模式 on a phone, where the
   large text meets the narrow layout. */
const AXE_PAGES = Object.entries(PAGES).filter(([name]) => name !== 'column-page-2');
const AXE_MODES = [[false, DESKTOP], [true, DESKTOP], [true, PHONE]];
for (const [elder, viewport] of AXE_MODES) {
	const mode = `${elder ? '长者模式' : 'standard'}, ${viewport.width} px`;
	await test(`axe: no serious or critical violation on the portal's pages (${mode})`, async () => {
		const { context, page } = await open(viewport, { elder });
		const bad = [];
		// A closing site's replacement homepage (served on its old host) has no switch.
		const pages = elder ? AXE_PAGES : [...AXE_PAGES, ['closing', 'closing/sthjj/']];
		for (const [name, path] of pages) {
			await visit(page, path, { status: name === 'not-found' ? 404 : 200 });
			if (elder)
				assert(await page.evaluate(() => document.documentElement.classList.contains('elder')), `${name}: not in 长者模式`);
			const v = severe(await axe(page));
			if (v.length)
				bad.push(`${name}: ${describe(v)}`);
		}
		assert(bad.length === 0, bad.join(' | '));
		await context.close();
	});
}

await test('axe on archived old pages: none on the banner (the rest is the old site\'s, informative)', async () => {
	const { context, page } = await open(DESKTOP);
	const sample = archived.filter((p) => /\/(index|zt\/index)\.html$|\/$/.test(p.url));
	assert(sample.length > 0, 'no archived homepage');
	for (const p of sample) {
		await visit(page, p.path);
		const v = severe(await axe(page));
		const mine = v.filter((x) => x.nodes.some((n) => n.includes('jiyue-archived')));
		assert(mine.length === 0, `${p.url}: the banner itself: ${describe(mine)}`);
		if (v.length)
			log(`  note: ${p.url}: ${describe(v)}`);
	}
	await context.close();
});

// ---- 7. print ----
await test('print: articles and notices without navigation or switch, black on white', async () => {
	const { context, page } = await open(DESKTOP, { elder: true });
	for (const name of ['guide', 'notice']) {
		await visit(page, PAGES[name]);
		await page.emulateMedia({ media: 'print' });
		const s = await page.evaluate(() => {
			const hidden = (sel) => [...document.querySelectorAll(sel)].every((el) => getComputedStyle(el).display === 'none');
			const body = getComputedStyle(document.body);
			return {
				furniture: hidden('.site-nav') && hidden('.elder-toggle') && hidden('.breadcrumbs') && hidden('.skip-link'),
				color: body.color,
				background: body.backgroundColor,
				root: getComputedStyle(document.documentElement).fontSize,
				content: document.querySelector('.article-body').offsetHeight > 0,
			};
		});
		assert(s.furniture, `${name}: navigation, breadcrumbs or the switch would print`);
		assert(s.color === 'rgb(0, 0, 0)' && s.background === 'rgb(255, 255, 255)', `${name}: prints ${s.color} on ${s.background}`);
		assert(s.root === '16px', `${name}: 长者模式 enlarges the print too (${s.root})`);
		assert(s.content, `${name}: the text would not print`);
		await page.screenshot({ path: join(opt.out, `print-${name}.png`), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
	}
	await context.close();
});

// ---- 8. screenshots of every page ----
await test(`screenshots at 1280 and 390 px in ${opt.out}`, async () => {
	const all = { ...PAGES, closing: 'closing/sthjj/', audit: 'audit/' };
	if (archived.length) {
		all['archived-home'] = archived.find((p) => p.url.endsWith('/index.html'))?.path || archived[0].path;
		all['archived-hostile'] = archived.find((p) => p.url.endsWith('/zt/index.html'))?.path || archived[0].path;
	}
	if (existsSync(join(opt.public, CLOSED_SITES, 'index.html')))
		all['closed-sites'] = CLOSED_SITES;
	for (const [label, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
		for (const elder of [false, true]) {
			const { context, page } = await open(viewport, { elder });
			for (const [name, path] of Object.entries(all)) {
				if (elder && !['home', 'article', 'guide', 'notice'].includes(name))
					continue;
				await visit(page, path, { status: name === 'not-found' ? 404 : 200 });
				await shot(page, `${name}${elder ? '-elder' : ''}-${label}`);
			}
			await context.close();
		}
	}
});

// ---- 9. the closed-sites directory and the old hosts (issue #5) ----
await test('closed-sites: axe, no serious or critical violation, standard and 长者模式', async () => {
	assert(existsSync(join(opt.public, CLOSED_SITES, 'index.html')), `the build wrote no ${CLOSED_SITES}index.html`);
	const bad = [];
	for (const elder of [false, true]) {
		const { context, page } = await open(DESKTOP, { elder });
		await visit(page, CLOSED_SITES);
		const v = severe(await axe(page));
		if (v.length)
			bad.push(`${elder ? '长者模式' : 'standard'}: ${describe(v)}`);
		await context.close();
	}
	assert(bad.length === 0, bad.join(' | '));
});

if (opt.redirects) {
	const { checkRedirects } = await import('./redirects.mjs');
	await checkRedirects({ test, assert, browser, redirects: opt.redirects, portal: base, publicDir: opt.public, archived });
} else {
	await test('old URLs with the old Host header', async () => {
		assert(false, 'the build wrote no redirect maps (redirects/nginx/) beside the portal');
	});
}

await browser.close();
log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
