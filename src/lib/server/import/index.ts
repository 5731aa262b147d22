/**
 * Imports, server side: the verbs over the import job and saved-mapping SQL functions, shared by
 * the import page and /api/v1/imports. The import itself is ./pipeline.ts (HTTP: ./http.ts).
 */
import { rpc, type CallerUser } from '../db/index.ts';

export interface SavedMapping {
	id: string;
	name: string;
	target: string;
	mapping: Record<string, string>;
}

/** The caller's most recent import jobs, newest first. */
export function jobs(user: CallerUser, limit: number) {
	return rpc<Record<string, unknown>[]>('import_jobs_list', { p_limit: limit }, user);
}

export function mappings(user: CallerUser) {
	return rpc<SavedMapping[]>('import_mappings_list', {}, user);
}

/** Saves (or replaces, by name) a column mapping for a target and, optionally, a format. */
export function saveMapping(
	user: CallerUser,
	m: { name: string; target: string; format: string | null; mapping: Record<string, string> }
) {
	return rpc(
		'import_mapping_save',
		{ p_name: m.name, p_target: m.target, p_format: m.format, p_mapping: m.mapping },
		user
	);
}
