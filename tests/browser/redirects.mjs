// Old URLs requested with the old Host header, against the redirect maps
// that the build writes beside the portal and run.sh serves with it.  The expectations
// follow DOMAIN.md (GOV.UK's transition): a mapped URL answers 301 to the
// portal, an archived one 410 with a page linking to its archived copy,
// anything else the branded 404; a closing site's "/" shows its notice.
import { request } from 'node:http';

function get(server, path, host) {
	return new Promise((resolve, reject) => {
		const req = request({ host: server.hostname, port: server.port, path, headers: { Host: host } }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => { body += chunk; });
			res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

export async function checkRedirects({ test, assert, redirects, archived }) {
	const server = new URL(redirects);
	const old = archived.map((p) => new URL(p.url));

	await test('old URLs with the old Host header: 301 to the portal or 410 to the archived copy', async () => {
		assert(old.length > 0, 'no archived old URLs to ask for');
		for (const u of old) {
			const r = await get(server, u.pathname + u.search, u.host);
			assert(r.status === 301 || r.status === 410, `${u.href}: ${r.status}`);
			if (r.status === 301)
				assert(r.location && !r.location.includes(u.host), `${u.href}: 301 to '${r.location}'`);
			else
				assert(r.body.includes('已归档') && /\/archive\/[^"']+/.test(r.body), `${u.href}: the 410 page does not link to the archived copy`);
		}
	});

	await test('an unknown old URL with the old Host header: the branded 404', async () => {
		const u = old[0];
		const r = await get(server, '/jiyue-no-such-page.html', u.host);
		assert(r.status === 404, `${u.host}/jiyue-no-such-page.html: ${r.status}`);
		assert(r.body.includes('/archive/'), 'the 404 page does not point to the archive');
	});

	await test('a closing site\'s host shows its closure notice at /', async () => {
		const r = await get(server, '/', 'sthjj.example.gov.cn');
		assert(r.status === 200 && r.body.includes('关于示例市生态环境局网站关停的公告'), `sthjj.example.gov.cn/: ${r.status}`);
	});
}
