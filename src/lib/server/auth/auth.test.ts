import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { digest, newSecret } from './tokens.ts';

describe('passwords', () => {
	it('hashes with scrypt and a random salt, and verifies only the right password', async () => {
		const h1 = await hashPassword('correct horse battery');
		const h2 = await hashPassword('correct horse battery');
		expect(h1).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(h1).not.toBe(h2);
		expect(await verifyPassword('correct horse battery', h1)).toBe(true);
		expect(await verifyPassword('correct horse batterz', h1)).toBe(false);
		expect(await verifyPassword('anything', null)).toBe(false);
		expect(await verifyPassword('anything', 'sha1$abc')).toBe(false);
	});
	it('asks for at least 12 characters', () => {
		expect(passwordProblem('short')).toBe('password_too_short');
		expect(passwordProblem('long enough pass')).toBeNull();
	});
	it('generates strong one-time passwords', () => {
		const p = generatePassword();
		expect(p).toHaveLength(20);
		expect(passwordProblem(p)).toBeNull();
		expect(generatePassword()).not.toBe(p);
	});
});

describe('tokens', () => {
	it('are random and stored as a digest', () => {
		const s = newSecret('trt');
		expect(s).toMatch(/^trt_[A-Za-z0-9_-]{43}$/);
		expect(digest(s)).toMatch(/^[0-9a-f]{64}$/);
		expect(digest(s)).not.toContain(s);
		expect(newSecret('trt')).not.toBe(s);
	});
});
