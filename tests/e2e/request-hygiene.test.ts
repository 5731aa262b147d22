/**
 * Request hygiene against the real server: bodies are capped per endpoint (the import limit is
 * for imports only), hostile JSON and wrongly typed form posts get a 4xx instead of a 500, and an
 * anonymous visit to an incident page is a redirect to sign-in, not a logged TypeError.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { e2e, http, ROOT } from './helpers/server.ts';

let token = '';
beforeAll(() => {
	token = e2e().cliToken;
});

const SERVER_LOG = join(ROOT, 'test-results', 'e2e-server.log');
const ring = (n: number) => {
	const pts = Array.from({ length: n }, (_, i) => {
		const a = (2 * Math.PI * i) / n;
		return [43 + 0.1 * Math.cos(a), 36 + 0.1 * Math.sin(a)];
	});
	return [...pts, pts[0]];
};

describe('request hygiene', () => {
	it('a JSON endpoint refuses a 2 MB body with 413, before reading it', async () => {
		const r = await http('/api/v1/proximity', {
			method: 'POST',
			token,
			body: { km: 5, geometry: { type: 'Point', coordinates: [43, 36] }, pad: 'x'.repeat(2e6) }
		});
		expect(r.status).toBe(413);
		expect((await r.json()).message).toMatch(/larger than this endpoint accepts/);
	});

	it('a chunked body (no Content-Length) over the cap is refused too', async () => {
		// node:http, because the server answers 413 while the client is still sending: fetch()
		// would report the reset instead of the answer.
		// The server answers 413 and closes the connection while the client is still sending. The
		// client then sees either the 413 or, when the close turns into a reset before the answer
		// is read (unread data in the server's socket), EPIPE/ECONNRESET: both refuse the body.
		// The next test checks the server still answers on a new connection.
		const status = await new Promise<number | 'reset'>((resolve, reject) => {
			const req = request(new URL('/api/v1/proximity', e2e().baseUrl), {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
			});
			req.on('response', (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.on('error', (e: NodeJS.ErrnoException) =>
				e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve('reset') : reject(e)
			);
			const chunk = Buffer.alloc(64 * 1024, 'x');
			let sent = 0;
			const pump = () => {
				while (sent < 40) {
					sent++;
					if (!req.write(chunk)) return req.once('drain', pump);
				}
				req.end();
			};
			req.write('{"pad":"');
			pump();
		});
		expect([413, 'reset']).toContain(status);
	});

	// Runs right after the 413s: an early answer that left the unread body in a kept-alive
	// connection made THIS request hang and reset (now the 413 closes its connection).
	it('deeply nested JSON is a 400 naming the body, not a 500', async () => {
		const r = await http('/api/v1/proximity', {
			method: 'POST',
			token,
			body: '{"km":5,"geometry":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}',
			headers: { 'content-type': 'application/json' }
		});
		expect(r.status).toBe(400);
		expect((await r.json()).parameter).toBe('body');
	});

	it('a polygon over 10,000 vertices is a 400 naming geometry; one under it is answered', async () => {
		const big = await http('/api/v1/proximity', {
			method: 'POST',
			token,
			body: { km: 5, geometry: { type: 'Polygon', coordinates: [ring(10_001)] } }
		});
		expect(big.status).toBe(400);
		const b = await big.json();
		expect(b.parameter).toBe('geometry');
		expect(b.message).toMatch(/10002 vertices/);
		const ok = await http('/api/v1/proximity', {
			method: 'POST',
			token,
			body: { km: 5, geometry: { type: 'Polygon', coordinates: [ring(500)] } }
		});
		expect(ok.status).toBe(200);
	});

	it('a text/plain post to a form action is 415, not 500', async () => {
		const r = await http('/login', {
			method: 'POST',
			body: 'email=a@b.c&password=x',
			headers: { 'content-type': 'text/plain', accept: 'text/html' }
		});
		expect(r.status).toBe(415);
	});

	it('an anonymous visit to incident pages redirects to sign-in and logs no TypeError', async () => {
		const before = readFileSync(SERVER_LOG, 'utf8').length;
		for (const path of [
			'/incidents',
			'/incidents/new',
			'/incidents/00000000-0000-4000-8000-000000000001',
			'/incidents/00000000-0000-4000-8000-000000000001/edit'
		]) {
			const r = await http(path, { headers: { accept: 'text/html' } });
			expect(r.status, path).toBe(303);
			expect(r.headers.get('location')).toMatch(/^\/login\?next=/);
		}
		await new Promise((d) => setTimeout(d, 300));
		expect(readFileSync(SERVER_LOG, 'utf8').slice(before)).not.toMatch(/TypeError/);
	});

	it('an Idempotency-Key replays the first report and refuses another body under it', async () => {
		const key = `hygiene-${Date.now()}`;
		const body = {
			event_date: '2024-05-02',
			event_type: 'riots',
			coordinates: '36.2, 43.9',
			notes: `idempotency ${key}`
		};
		const send = (b: unknown) =>
			http('/api/v1/incidents/report', {
				method: 'POST',
				token,
				body: b,
				headers: { 'idempotency-key': key }
			});
		const first = await send(body);
		expect(first.status).toBe(201);
		const again = await send(body);
		expect(again.status).toBe(201);
		expect((await again.json()).incident.id).toBe((await first.json()).incident.id);
		const other = await send({ ...body, notes: 'something else' });
		expect(other.status).toBe(422);
	});

	it('other creating endpoints honour the Idempotency-Key too (an actor)', async () => {
		const key = `hygiene-actor-${Date.now()}`;
		const name = `Idempotent actor ${key}`;
		const send = () =>
			http('/api/v1/actors', {
				method: 'POST',
				token,
				body: { name, actor_type: 'authority' },
				headers: { 'idempotency-key': key }
			});
		const first = await send();
		expect(first.status).toBe(201);
		const again = await send();
		expect(again.status).toBe(201);
		expect((await again.json()).id).toBe((await first.json()).id);
		const list = await http(`/api/v1/actors?q=${encodeURIComponent(key)}`, { token });
		const rows = (await list.json()) as { name: string }[] | { actors: { name: string }[] };
		const names = (Array.isArray(rows) ? rows : rows.actors).map((a) => a.name);
		expect(names.filter((n) => n === name)).toHaveLength(1);
		const bad = await http('/api/v1/actors', {
			method: 'POST',
			token,
			body: { name, actor_type: 'authority' },
			headers: { 'idempotency-key': 'has a space' }
		});
		expect(bad.status).toBe(400);
	});
});
