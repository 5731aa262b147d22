import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(
	password: string,
	salt: Buffer,
	keylen: number,
	opts: ScryptOptions
): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)))
	);
}

// OWASP's scrypt baseline (N=2^17, r=8, p=1) costs 128 MiB and ~0.3 s; 2^15 keeps a sign-in under
// 100 ms on two cores while staying far beyond what GPU guessing of a leaked table makes cheap.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

/** A self-describing scrypt hash: scrypt$N$r$p$salt$key (base64). */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 256 * N * R });
	return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

let kdfRuns = 0;
/** How many times the KDF has run in this process (tests check that every path pays for it). */
export function kdfRunCount(): number {
	return kdfRuns;
}

// A real hash of a random password, made once: unknown emails and accounts without a password
// are checked against it, so they cost exactly what a wrong password for a real account costs.
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
	return (dummy ??= hashPassword(randomBytes(24).toString('base64')));
}

/**
 * Checks a password against a stored hash. With no usable hash (unknown account, no password)
 * it runs the same KDF against a dummy hash and answers false, so timing tells nothing.
 */
export async function verifyPassword(
	password: string,
	stored: string | null | undefined
): Promise<boolean> {
	let parts = (stored ?? '').split('$');
	const usable = parts.length === 6 && parts[0] === 'scrypt';
	if (!usable) parts = (await dummyHash()).split('$');
	const [, n, r, p, salt, key] = parts;
	const expected = Buffer.from(key, 'base64');
	kdfRuns++;
	const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: 256 * Number(n) * Number(r)
	});
	return usable && actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Minimum rules for a password an admin sets or a user chooses. Returns a message key or null. */
export function passwordProblem(
	password: string
): 'password_too_short' | 'password_too_long' | null {
	if (password.length < 12) return 'password_too_short';
	if (password.length > 512) return 'password_too_long';
	return null;
}

/** A random password for the first admin: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const bytes = randomBytes(20);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
