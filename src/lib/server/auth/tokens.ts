import { createHash, randomBytes } from 'node:crypto';

/** A random 256-bit secret, URL-safe. Only its digest is stored. */
export function newSecret(prefix: 'trs' | 'trt'): string {
	return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function digest(secret: string): string {
	return createHash('sha256').update(secret).digest('hex');
}

/** The part of an API token shown in lists so users can tell tokens apart. */
export function displayPrefix(secret: string): string {
	return secret.slice(0, 10);
}
