/**
 * The e2e accounts, one per role. Fixed emails and passwords, only ever used against a throwaway
 * data directory, so that a server you start yourself for debugging (TERRAIN_E2E_URL) can be given
 * the same accounts with `npm run terrain -- user add --email … --role … --password …`.
 * (No vitest imports: global-setup uses this from vitest's main process.)
 */
export type Role = 'admin' | 'analyst' | 'field' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'field', 'viewer'];

export interface Credentials {
	email: string;
	password: string;
}

export const USERS: Record<Role, Credentials> = {
	admin: { email: 'admin@e2e.terrain.test', password: 'e2e-admin-password-1' },
	analyst: { email: 'analyst@e2e.terrain.test', password: 'e2e-analyst-password-1' },
	field: { email: 'field@e2e.terrain.test', password: 'e2e-field-password-1' },
	viewer: { email: 'viewer@e2e.terrain.test', password: 'e2e-viewer-password-1' }
};
