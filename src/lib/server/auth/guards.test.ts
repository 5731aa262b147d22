import { describe, expect, it } from 'vitest';
import { crossSiteRefusal, hsts } from './guards.ts';
import { sessionConfig, trustProxy } from './config.ts';
import { setUpProxy } from './proxy.ts';
import type { IncomingMessage } from 'node:http';

const url = new URL('https://terrain.example.org/api/v1/tokens');
const req = (method: string, headers: Record<string, string> = {}) =>
	new Request(url, { method, headers });

describe('cookie-carrying writes', () => {
	it('need a same-origin Origin, or else a same-origin Referer', () => {
		const refused = (r: Request, cookie = true) => crossSiteRefusal(r, url, cookie)?.status ?? 200;
		expect(refused(req('POST'))).toBe(403);
		expect(refused(req('POST', { origin: 'https://terrain.example.org' }))).toBe(200);
		expect(refused(req('POST', { origin: 'null' }))).toBe(403);
		expect(refused(req('POST', { origin: 'https://evil.example' }))).toBe(403);
		// Origin wins over Referer: a foreign Origin is not saved by a same-origin Referer.
		expect(
			refused(
				req('POST', { origin: 'https://evil.example', referer: 'https://terrain.example.org/x' })
			)
		).toBe(403);
		expect(refused(req('DELETE', { referer: 'https://terrain.example.org/account' }))).toBe(200);
		expect(refused(req('PATCH', { referer: 'https://terrain.example.org.evil.example/' }))).toBe(
			403
		);
		expect(refused(req('PUT', { referer: 'not a url' }))).toBe(403);
	});

	it('leave reads, cookie-less requests and token calls alone', () => {
		expect(crossSiteRefusal(req('GET'), url, true)).toBeNull();
		expect(crossSiteRefusal(req('POST'), url, false)).toBeNull();
		expect(crossSiteRefusal(req('POST', { authorization: 'Bearer trt_x' }), url, true)).toBeNull();
	});
});

describe('HSTS', () => {
	it('is set over https only', () => {
		const h = new Headers();
		hsts(new URL('http://localhost:3000/'), h);
		expect(h.get('strict-transport-security')).toBeNull();
		hsts(url, h);
		expect(h.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
	});
});

describe('configuration', () => {
	it('reads session hours, idle capped by the absolute lifetime, and refuses nonsense', () => {
		expect(sessionConfig({})).toEqual({ absoluteSeconds: 36 * 3600, idleSeconds: 8 * 3600 });
		expect(
			sessionConfig({ TERRAIN_SESSION_HOURS: '12', TERRAIN_SESSION_IDLE_HOURS: '0.5' })
		).toEqual({ absoluteSeconds: 12 * 3600, idleSeconds: 1800 });
		expect(sessionConfig({ TERRAIN_SESSION_HOURS: '2', TERRAIN_SESSION_IDLE_HOURS: '8' })).toEqual({
			absoluteSeconds: 7200,
			idleSeconds: 7200
		});
		expect(() => sessionConfig({ TERRAIN_SESSION_IDLE_HOURS: '-1' })).toThrow(
			/TERRAIN_SESSION_IDLE_HOURS/
		);
		expect(() => sessionConfig({ TERRAIN_SESSION_HOURS: 'a day' })).toThrow(
			/TERRAIN_SESSION_HOURS/
		);
	});

	it('trusts forwarded headers only when the operator says so', () => {
		expect(trustProxy({})).toBe(false);
		expect(trustProxy({ TERRAIN_TRUST_PROXY: '1' })).toBe(true);
		expect(() => trustProxy({ TERRAIN_TRUST_PROXY: 'maybe' })).toThrow(/TERRAIN_TRUST_PROXY/);
		const off: NodeJS.ProcessEnv = {};
		expect(setUpProxy(off).trusted).toBe(false);
		expect(off.PROTOCOL_HEADER).toBeUndefined();

		const env: NodeJS.ProcessEnv = { TERRAIN_TRUST_PROXY: '1' };
		const proxy = setUpProxy(env);
		expect(env).toMatchObject({
			PROTOCOL_HEADER: 'x-forwarded-proto',
			ADDRESS_HEADER: 'x-forwarded-for'
		});
		const direct = {
			headers: {} as Record<string, string>,
			socket: { remoteAddress: '10.0.0.9' }
		} as unknown as IncomingMessage;
		proxy.prepare(direct);
		expect(direct.headers).toEqual({
			'x-forwarded-proto': 'http',
			'x-forwarded-for': '10.0.0.9'
		});
		const proxied = {
			headers: { 'x-forwarded-proto': 'http, https', 'x-forwarded-for': '1.2.3.4' },
			socket: { remoteAddress: '10.0.0.1' }
		} as unknown as IncomingMessage;
		proxy.prepare(proxied);
		expect(proxied.headers).toEqual({
			'x-forwarded-proto': 'https',
			'x-forwarded-for': '1.2.3.4'
		});
	});
});
