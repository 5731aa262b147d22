/**
 * The gazetteer's verbs, for the API, the CLI and the tests alike: every name an admin area goes
 * by (COD-AB's own, common variants, former names), with its source. SQL:
 * 20261203110000_import_gazetteer.sql (place_key, place_skeleton, place_by_names).
 */
import type { Adapter, Caller } from '../db/types.ts';
import { FilterError } from '../../domain/filters.ts';

export interface GazetteerName {
	id: string;
	pcode: string;
	name: string;
	kind: 'official' | 'variant' | 'former';
	source: string;
}

export interface GazetteerInput {
	pcode: string;
	name: string;
	kind?: 'variant' | 'former';
	source: string;
}

/** Checks a name to add; FilterError names the field. */
export function gazetteerInput(body: unknown): GazetteerInput {
	const b = (body ?? {}) as Record<string, unknown>;
	const str = (k: string, max: number) => {
		const v = b[k];
		if (typeof v !== 'string' || !v.trim()) throw new FilterError(k, 'required');
		if (v.length > max) throw new FilterError(k, `at most ${max} characters`);
		return v.trim();
	};
	const kind = b.kind ?? 'variant';
	if (kind !== 'variant' && kind !== 'former') throw new FilterError('kind', 'variant or former');
	return {
		pcode: str('pcode', 40).toUpperCase(),
		name: str('name', 200),
		source: str('source', 300),
		kind
	};
}

export const gazetteer = {
	add: (db: Adapter, as: Caller, g: GazetteerInput) =>
		db.rpc<GazetteerName>(
			'gazetteer_add',
			{ p_pcode: g.pcode, p_name: g.name, p_kind: g.kind ?? 'variant', p_source: g.source },
			as
		),
	list: (db: Adapter, as: Caller, pcode?: string) =>
		db.rpc<GazetteerName[]>('gazetteer_list', { p_pcode: pcode ?? null }, as),
	/** The areas a name can mean, level by level (how an import would read it). */
	lookup: (db: Adapter, as: Caller, name: string) =>
		db.rpc<
			{ pcode: string; level: number; name_en: string; parent: string | null; match: string }[]
		>('gazetteer_lookup', { p_name: name }, as)
};
