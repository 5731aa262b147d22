/**
 * The site registries a team keeps current: which kinds there are, their statuses and the fields
 * the list pages and the map's details panel edit. The lists mirror site_columns() and the check
 * constraints in supabase/migrations/20261203100000_site_registries.sql.
 */
import { SITE_KINDS } from './taxonomy.ts';

export const REGISTRY_KINDS = [...SITE_KINDS, 'displacement_locations'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export const isRegistryKind = (s: unknown): s is RegistryKind =>
	typeof s === 'string' && (REGISTRY_KINDS as readonly string[]).includes(s);

export const STATUSES: Record<RegistryKind, readonly string[]> = {
	checkpoints: ['open', 'restricted', 'closed'],
	idp_camps: ['open', 'planned', 'under_construction', 'closed'],
	health_facilities: ['open', 'closed'],
	org_sites: ['open', 'closed'],
	displacement_locations: ['open', 'closed']
};

export type FieldKind = 'text' | 'textarea' | 'number' | 'date' | 'select' | 'checkbox' | 'actor';
export interface RegistryField {
	name: string;
	kind: FieldKind;
	options?: readonly string[];
}

const common: RegistryField[] = [{ name: 'name', kind: 'text' }];
const tail: RegistryField[] = [
	{ name: 'notes', kind: 'textarea' },
	{ name: 'source', kind: 'text' }
];

/** The fields of each registry's form, in order (lon/lat are the location field). */
export const FIELDS: Record<RegistryKind, RegistryField[]> = {
	checkpoints: [
		...common,
		{ name: 'name_ar', kind: 'text' },
		{ name: 'status', kind: 'select', options: STATUSES.checkpoints },
		{ name: 'status_reason', kind: 'text' },
		{ name: 'controlling_actor_id', kind: 'actor' },
		{ name: 'controlled_by', kind: 'text' },
		{ name: 'opening_hours', kind: 'text' },
		{ name: 'road', kind: 'text' },
		...tail
	],
	health_facilities: [
		...common,
		{ name: 'name_ar', kind: 'text' },
		{
			name: 'facility_type',
			kind: 'select',
			options: ['hospital', 'phcc', 'mobile_clinic_stop', 'clinic', 'other']
		},
		{ name: 'status', kind: 'select', options: STATUSES.health_facilities },
		{ name: 'supported', kind: 'checkbox' },
		...tail
	],
	idp_camps: [
		...common,
		{ name: 'name_ar', kind: 'text' },
		{ name: 'camp_type', kind: 'select', options: ['idp', 'refugee', 'mixed', 'transit'] },
		{ name: 'status', kind: 'select', options: STATUSES.idp_camps },
		{ name: 'population', kind: 'number' },
		{ name: 'households', kind: 'number' },
		{ name: 'population_date', kind: 'date' },
		{ name: 'managing_org', kind: 'text' },
		...tail
	],
	displacement_locations: [
		...common,
		{ name: 'name_ar', kind: 'text' },
		{ name: 'status', kind: 'select', options: STATUSES.displacement_locations },
		{ name: 'population', kind: 'number' },
		{ name: 'households', kind: 'number' },
		{ name: 'population_date', kind: 'date' },
		...tail
	],
	org_sites: [
		...common,
		{
			name: 'site_type',
			kind: 'select',
			options: ['office', 'base', 'guesthouse', 'warehouse', 'hibernation_site', 'assembly_point']
		},
		{ name: 'status', kind: 'select', options: STATUSES.org_sites },
		...tail
	]
};

/** Shelter types of displacement locations (DTM's categories), people per type. */
export const SHELTER_TYPES = [
	'host_family',
	'rented',
	'informal_settlement',
	'unfinished_building',
	'school_or_religious',
	'other'
] as const;

/**
 * A form's values as the API's fields: blanks of optional fields become null, numbers numbers,
 * a checkbox a boolean. Only the fields present in `form` are returned (merge semantics).
 */
export function formToFields(kind: RegistryKind, form: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of FIELDS[kind]) {
		if (f.kind === 'checkbox') {
			if (form.has(`${f.name}__present`)) out[f.name] = form.get(f.name) === 'on';
			continue;
		}
		if (!form.has(f.name)) continue;
		const raw = String(form.get(f.name) ?? '').trim();
		// Not a number: sent as typed, so the save answers 400 naming the field.
		if (f.kind === 'number')
			out[f.name] = raw === '' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw;
		else if (f.name === 'name' || f.name === 'notes' || f.kind === 'select') out[f.name] = raw;
		else out[f.name] = raw === '' ? null : raw;
	}
	if (kind === 'displacement_locations') {
		const shelter: Record<string, number> = {};
		let any = false;
		for (const s of SHELTER_TYPES) {
			const raw = String(form.get(`shelter_${s}`) ?? '').trim();
			if (form.has(`shelter_${s}`)) any = true;
			if (raw !== '') shelter[s] = Number(raw);
		}
		if (any) out.shelter = shelter;
	}
	return out;
}
