/**
 * Contacts, server side. Every function runs as the signed-in user: RLS decides which contacts
 * they see, and the SQL functions write the audit rows (reads, lists, nearby, cards, exports).
 */
import { rpc, type CallerUser } from '../db/index.ts';
import { actorNames } from '../actors/index.ts';
import { withFieldErrors } from '../db/errors.ts';
import { FilterError } from '../../domain/filters.ts';
import {
	contactErrors,
	contactInput,
	contactSaveArgs,
	type Contact,
	type Nearby
} from '../../domain/contacts.ts';
import {
	contactFormBody,
	readContactForm,
	type ContactFormValues
} from '../../domain/contact-form.ts';
import { contactsToCsv, contactsToVCard } from '../../domain/contact-export.ts';

export interface ContactFilters {
	q?: string | null;
	area?: string | null;
	actorId?: string | null;
	checkpointId?: string | null;
	sensitivity?: string | null;
	limit?: number;
	offset?: number;
}

export function listContacts(user: CallerUser, f: ContactFilters = {}) {
	return rpc<{ total: number; contacts: Contact[] }>(
		'contacts_list',
		{
			p_q: f.q || null,
			p_area: f.area || null,
			p_actor_id: f.actorId || null,
			p_checkpoint_id: f.checkpointId || null,
			p_sensitivity: f.sensitivity || null,
			p_limit: f.limit ?? 200,
			p_offset: f.offset ?? 0
		},
		user
	);
}

export function getContact(user: CallerUser, id: string) {
	return rpc<Contact | null>('contact_get', { p_id: id }, user);
}

export function contactsNearby(
	user: CallerUser,
	lon: number,
	lat: number,
	o: { radius?: number; checkpoints?: number; limit?: number } = {}
) {
	return withFieldErrors(
		rpc<Nearby>(
			'contacts_nearby',
			{
				p_lon: lon,
				p_lat: lat,
				p_radius_m: o.radius ?? 25_000,
				p_checkpoints: o.checkpoints ?? 3,
				p_limit: o.limit ?? 50
			},
			user
		)
	);
}

export function saveContact(user: CallerUser, args: Record<string, unknown>) {
	return withFieldErrors(rpc<Contact>('contact_save', args, user));
}

/**
 * Changes only the fields given (merge semantics), in one call of contact_patch: the stored
 * contact fills in the rest, under the caller's need-to-know. Says which fields changed; a patch
 * that changes nothing writes nothing.
 */
export function patchContact(user: CallerUser, id: string, patch: Record<string, unknown>) {
	return withFieldErrors(
		rpc<{ id: string; changed: string[]; contact: Contact }>(
			'contact_patch',
			{ p_id: id, p_patch: patch },
			user
		)
	);
}

export type AreaOption = { pcode: string; level: number; name_en: string; name_ar: string | null };
export type CheckpointOption = { id: string; name: string; lon: number; lat: number };

export function areaOptions(user: CallerUser) {
	return rpc<AreaOption[]>('areas_list', { p_level: null }, user);
}

export async function checkpointOptions(user: CallerUser): Promise<CheckpointOption[]> {
	const cps = await rpc<{
		features: {
			id: string;
			geometry: { coordinates: [number, number] };
			properties: { name: string };
		}[];
	}>('sites_geojson', { p_kind: 'checkpoints' }, user);
	return cps.features.map((f) => ({
		id: f.id,
		name: f.properties.name,
		lon: f.geometry.coordinates[0],
		lat: f.geometry.coordinates[1]
	}));
}

/** What the contact form offers to pick: organisations (actors), areas and checkpoints. */
export async function contactFormOptions(user: CallerUser) {
	const [actors, areas, checkpoints] = await Promise.all([
		actorNames(user),
		areaOptions(user),
		checkpointOptions(user)
	]);
	return { actors: actors.map((a) => ({ id: a.id, name: a.name })), areas, checkpoints };
}

export type ContactFormResult =
	| { ok: true; contact: Contact }
	| { ok: false; errors: Record<string, string>; values: ContactFormValues };

/**
 * The contact form's submission, checked with the schema the browser used, then saved in one
 * call of contact_save (one transaction: the contact, its phones, areas and checkpoints, or
 * nothing). Errors are i18n keys from the schema or the SQL check's message, by field.
 */
export async function saveContactForm(
	user: CallerUser,
	fd: FormData,
	id?: string
): Promise<ContactFormResult> {
	const values = readContactForm(fd);
	const scoped = user.role === 'admin' || user.role === 'analyst';
	const parsed = contactInput.safeParse(contactFormBody(values, { scoped }));
	if (!parsed.success) return { ok: false, errors: contactErrors(parsed.error), values };
	try {
		return { ok: true, contact: await saveContact(user, contactSaveArgs(parsed.data, id)) };
	} catch (e) {
		if (e instanceof FilterError)
			return { ok: false, errors: { [e.parameter]: e.message.replace(/^[^:]+: /, '') }, values };
		throw e;
	}
}

export function verifyContact(user: CallerUser, id: string) {
	return rpc<{ id: string; last_verified_at: string; last_verified_by_name: string }>(
		'contact_verify',
		{ p_id: id },
		user
	);
}

export function deleteContact(user: CallerUser, id: string) {
	return rpc('contact_delete', { p_id: id }, user);
}

export function companionCard(user: CallerUser, siteId: string, limit = 12) {
	return rpc<{
		site: {
			id: string;
			name: string;
			site_type: string;
			lon: number;
			lat: number;
			is_sample: boolean;
		};
		areas: Nearby['areas'];
		checkpoints: Nearby['checkpoints'];
		contacts: Contact[];
		generated_at: string;
	} | null>('companion_card', { p_site_id: siteId, p_limit: limit }, user);
}

export function cardSites(user: CallerUser) {
	return rpc<{ id: string; name: string; site_type: string; is_sample: boolean }[]>(
		'companion_card_sites',
		{},
		user
	);
}

/** An export file (analysts and admins only; the SQL function refuses anyone else and audits). */
export async function exportContacts(
	user: CallerUser,
	format: 'csv' | 'vcard',
	f: { ids?: string[] | null; area?: string | null; sensitivity?: string | null } = {}
): Promise<{ body: string; filename: string; type: string; count: number }> {
	const r = await rpc<{ count: number; contacts: Contact[] }>(
		'contacts_export',
		{
			p_format: format,
			p_ids: f.ids?.length ? f.ids : null,
			p_area: f.area || null,
			p_sensitivity: f.sensitivity || null
		},
		user
	);
	const day = new Date().toISOString().slice(0, 10);
	return format === 'csv'
		? {
				body: contactsToCsv(r.contacts),
				filename: `terrain-contacts-${day}.csv`,
				type: 'text/csv; charset=utf-8',
				count: r.count
			}
		: {
				body: contactsToVCard(r.contacts),
				filename: `terrain-contacts-${day}.vcf`,
				type: 'text/vcard; charset=utf-8',
				count: r.count
			};
}

/** The admin audit log search. */
export function auditSearch(
	user: CallerUser,
	f: {
		from?: string | null;
		to?: string | null;
		userId?: string | null;
		action?: string | null;
		table?: string | null;
		rowId?: string | null;
		q?: string | null;
		limit?: number;
		offset?: number;
	}
) {
	return rpc<{
		total: number;
		rows: {
			id: number;
			at: string;
			actor_id: string | null;
			user_email: string | null;
			action: string;
			table_name: string | null;
			row_id: string | null;
			detail: unknown;
			before: unknown;
			after: unknown;
		}[];
		facets: { actions: string[]; tables: string[]; users: { id: string; email: string }[] };
	}>(
		'audit_log_search',
		{
			p_from: f.from || null,
			p_to: f.to || null,
			p_user_id: f.userId || null,
			p_action: f.action || null,
			p_table: f.table || null,
			p_row_id: f.rowId || null,
			p_q: f.q || null,
			p_limit: f.limit ?? 100,
			p_offset: f.offset ?? 0
		},
		user
	);
}
