import { describe, expect, it } from 'vitest';
import {
	AREA_LEVELS,
	DENSITY_CELL,
	FilterError,
	INCIDENTS_PAGE,
	MAP_POINTS,
	defaultCell,
	filtersWithoutBbox,
	intParam,
	jsonBody,
	mapFilters,
	numberParam,
	oneOf,
	siteKind,
	textField,
	uuid
} from './params.ts';
import { errorResponse } from './route.ts';
import { checkNewUser, checkTokenName, fieldError, newApiToken } from '../auth/accounts.ts';
import { digest } from '../auth/tokens.ts';
import { DbError } from '../db/types.ts';
import { error } from '@sveltejs/kit';

const q = (s: string) => new URLSearchParams(s);

/** The parameter a FilterError names, or null when the call succeeded. */
function failing(fn: () => unknown): string | null {
	try {
		fn();
		return null;
	} catch (e) {
		if (e instanceof FilterError) return e.parameter;
		throw e;
	}
}

describe('intParam', () => {
	it('takes the fallback when absent or empty, and whole numbers in range', () => {
		expect(intParam(q(''), 'limit', INCIDENTS_PAGE)).toBe(1000);
		expect(intParam(q('limit='), 'limit', INCIDENTS_PAGE)).toBe(1000);
		expect(intParam(q('limit=1'), 'limit', INCIDENTS_PAGE)).toBe(1);
		expect(intParam(q('limit=10000'), 'limit', INCIDENTS_PAGE)).toBe(10000);
		expect(intParam(q('limit=50000'), 'limit', MAP_POINTS)).toBe(50000);
	});
	it('refuses out-of-range values, decimals and words, naming the parameter', () => {
		for (const v of ['0', '10001', '-5', '1.5', 'ten', '1e3', '0x10']) {
			expect(
				failing(() => intParam(q(`limit=${v}`), 'limit', INCIDENTS_PAGE)),
				v
			).toBe('limit');
		}
		expect(failing(() => intParam(q('limit=50001'), 'limit', MAP_POINTS))).toBe('limit');
	});
	it('requires the parameter when there is no fallback', () => {
		expect(() => intParam(q(''), 'n', { min: 0, max: 1 })).toThrow(/n: is required/);
	});
});

describe('numberParam', () => {
	it('reads decimals within range', () => {
		expect(numberParam(q('cell=0.25'), 'cell', DENSITY_CELL)).toBe(0.25);
		expect(numberParam(q('cell=5'), 'cell', DENSITY_CELL)).toBe(5);
		expect(numberParam(q(''), 'cell', { ...DENSITY_CELL, fallback: 0.1 })).toBe(0.1);
	});
	it('refuses what is not a finite number in range', () => {
		for (const v of ['0', '0.0009', '5.1', 'abc', 'Infinity', 'NaN']) {
			expect(
				failing(() => numberParam(q(`cell=${v}`), 'cell', DENSITY_CELL)),
				v
			).toBe('cell');
		}
		expect(failing(() => numberParam(q(''), 'cell', DENSITY_CELL))).toBe('cell');
	});
});

describe('oneOf, uuid, siteKind', () => {
	it('accept only listed values', () => {
		expect(oneOf('level', '2', AREA_LEVELS)).toBe('2');
		expect(oneOf('level', null, AREA_LEVELS, '1')).toBe('1');
		expect(failing(() => oneOf('level', '4', AREA_LEVELS))).toBe('level');
		expect(failing(() => oneOf('level', null, AREA_LEVELS))).toBe('level');
		expect(siteKind('idp_camps')).toBe('idp_camps');
		expect(failing(() => siteKind('contacts'))).toBe('kind');
	});
	it('accept UUIDs only, lower-cased', () => {
		expect(uuid('id', '0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(
			'0f8fad5b-d9cb-469f-a165-70867728950e'
		);
		for (const v of [
			'',
			'abc',
			'1',
			'0f8fad5b-d9cb-469f-a165-70867728950',
			"0f8fad5b-d9cb-469f-a165-70867728950e' or 1=1"
		]) {
			expect(
				failing(() => uuid('id', v)),
				v
			).toBe('id');
		}
		expect(failing(() => uuid('id', undefined))).toBe('id');
	});
});

describe('mapFilters', () => {
	it('requires a bbox and reads the shared filters alongside it', () => {
		expect(failing(() => mapFilters(q('from=2020-01-01')))).toBe('bbox');
		expect(failing(() => mapFilters(q('bbox=')))).toBe('bbox');
		expect(failing(() => mapFilters(q('bbox=1,2,3')))).toBe('bbox');
		expect(mapFilters(q('bbox=42,36,44,37&type=battles,riots&area=IQG01'))).toEqual({
			bbox: [42, 36, 44, 37],
			types: ['battles', 'riots'],
			areas: ['IQG01']
		});
	});
	it('passes the shared filter errors through with their parameter', () => {
		expect(failing(() => mapFilters(q('bbox=42,36,44,37&from=2020-13-01')))).toBe('from');
		expect(failing(() => mapFilters(q('bbox=42,36,44,37&type=picnic')))).toBe('type');
		expect(failing(() => mapFilters(q('bbox=42,36,44,37&area=nowhere')))).toBe('area');
	});
	it('picks a default grid of about 128 cells across the viewport, within the allowed range', () => {
		expect(defaultCell([40, 30, 48, 38])).toBe(0.063);
		expect(defaultCell([-180, -90, 180, 90])).toBeCloseTo(2.8, 6);
		expect(defaultCell([44, 36, 44.01, 36.01])).toBe(DENSITY_CELL.min);
	});
});

describe('filtersWithoutBbox', () => {
	it('refuses a bbox where the SQL function has no viewport', () => {
		expect(failing(() => filtersWithoutBbox(q('bbox=42,36,44,37')))).toBe('bbox');
		expect(filtersWithoutBbox(q('type=battles&type=protests'))).toEqual({
			types: ['battles', 'protests']
		});
	});
});

describe('request bodies', () => {
	const req = (body: string, type = 'application/json') =>
		new Request('http://x/api', { method: 'POST', body, headers: { 'content-type': type } });

	it('jsonBody wants a JSON object', async () => {
		expect(await jsonBody(req('{"name":"a"}'))).toEqual({ name: 'a' });
		for (const b of ['', 'not json', '[]', 'null', '"s"']) {
			await expect(jsonBody(req(b)), b).rejects.toMatchObject({ parameter: 'body' });
		}
	});
	it('textField trims and checks length', () => {
		expect(textField({ name: '  a  ' }, 'name', { min: 1, max: 5 })).toBe('a');
		expect(textField({}, 'name', { max: 5 })).toBe('');
		expect(failing(() => textField({}, 'name', { max: 5, required: true }))).toBe('name');
		expect(failing(() => textField({ name: 3 }, 'name', { max: 5 }))).toBe('name');
		expect(failing(() => textField({ name: '   ' }, 'name', { min: 1, max: 5 }))).toBe('name');
		expect(failing(() => textField({ name: 'abcdef' }, 'name', { max: 5 }))).toBe('name');
	});
});

describe('account input', () => {
	const good = {
		email: ' Ana@Example.ORG ',
		role: 'field',
		display_name: ' Ana ',
		password: 'twelve chars!'
	};
	it('normalises a good new user', () => {
		expect(checkNewUser(good)).toEqual({
			ok: true,
			value: {
				email: 'ana@example.org',
				role: 'field',
				display_name: 'Ana',
				password: 'twelve chars!'
			}
		});
	});
	it('reports every wrong field with its message key', () => {
		const r = checkNewUser({
			email: 'nope',
			role: 'root',
			display_name: 'x'.repeat(201),
			password: 'short'
		});
		expect(r).toEqual({
			ok: false,
			errors: {
				email: 'admin.users.invalid_email',
				role: 'admin.users.invalid_role',
				display_name: 'admin.users.name_too_long',
				password: 'password_too_short'
			}
		});
		expect(checkNewUser({ ...good, password: 12345678901234 })).toMatchObject({
			ok: false,
			errors: { password: 'password_too_short' }
		});
	});
	it('gives the API the first error in English, naming the field', () => {
		const r = checkNewUser({ ...good, role: 'root' });
		if (r.ok) throw new Error('expected an error');
		const e = fieldError(r.errors);
		expect(e.parameter).toBe('role');
		expect(e.message).toBe('role: Choose a role.');
	});
	it('wants a token name of 1 to 100 characters', () => {
		expect(checkTokenName(' cron ')).toEqual({ ok: true, value: 'cron' });
		expect(checkTokenName('')).toMatchObject({
			ok: false,
			errors: { name: 'account.token_name_missing' }
		});
		expect(checkTokenName(undefined)).toMatchObject({ ok: false });
		expect(checkTokenName('x'.repeat(101))).toMatchObject({
			ok: false,
			errors: { name: 'account.token_name_too_long' }
		});
	});
	it('makes tokens whose stored form is a digest and a short prefix', () => {
		const { secret, args } = newApiToken('cron');
		expect(secret).toMatch(/^trt_/);
		expect(args).toEqual({
			p_name: 'cron',
			p_token_hash: digest(secret),
			p_prefix: secret.slice(0, 10)
		});
		expect(args.p_token_hash).not.toContain(secret.slice(4));
	});
});

describe('errorResponse', () => {
	const body = async (r: Response) => ({
		status: r.status,
		type: r.headers.get('content-type'),
		body: await r.json()
	});

	it('answers a FilterError with 400 naming the parameter', async () => {
		expect(await body(errorResponse(new FilterError('bbox', 'is required')))).toEqual({
			status: 400,
			type: 'application/json',
			body: { message: 'bbox: is required', parameter: 'bbox' }
		});
	});
	it('maps database errors by SQLSTATE and hides unexpected ones', async () => {
		const cases: [string, number][] = [
			['42501', 403],
			['P0002', 404],
			['23505', 409],
			['22023', 400],
			['XX000', 500]
		];
		for (const [code, status] of cases) {
			const r = await body(errorResponse(new DbError(`boom ${code}`, code)));
			expect(r.status, code).toBe(status);
			expect(r.body.message).toBe(status === 500 ? 'Internal error' : `boom ${code}`);
		}
	});
	it('recognises a DbError made by another copy of the class (the CLI opens the database, the built app bundles its own)', async () => {
		class DbErrorCopy extends Error {
			name = 'DbError';
			constructor(
				message: string,
				readonly code: string
			) {
				super(message);
			}
			get httpStatus() {
				return this.code === 'P0002' ? 404 : 500;
			}
		}
		const r = await body(errorResponse(new DbErrorCopy('token not found or not yours', 'P0002')));
		expect(r).toMatchObject({ status: 404, body: { message: 'token not found or not yours' } });
		expect((await body(errorResponse(new Error('not a db error')))).status).toBe(500);
	});
	it('keeps the status of error() and asks for a bearer token on 401', async () => {
		let thrown: unknown;
		try {
			error(401, { message: 'sign in' });
		} catch (e) {
			thrown = e;
		}
		const r = errorResponse(thrown);
		expect(r.status).toBe(401);
		expect(r.headers.get('www-authenticate')).toBe('Bearer');
		expect(await r.json()).toEqual({ message: 'sign in' });
	});
});
