/**
 * The contact form. Its fields are read into these values in the browser (to check them before
 * sending) and in the form action (to check them again and save), so both see the same input.
 */
import { formatPhone, type Contact } from './contacts.ts';

export interface ContactFormValues {
	full_name: string;
	name_ar: string;
	role_title: string;
	actor_id: string;
	/** What is typed in the organisation picker; an id is found for it when it names an actor. */
	actor_name: string;
	call_sign: string;
	phones: { number: string; phone_type: string; label: string }[];
	messaging: { service: string; handle: string }[];
	languages: string;
	areas: string[];
	checkpoint_ids: string[];
	sensitivity: string;
	emergency: boolean;
	notes: string;
	verified: boolean;
}

export function emptyContactForm(): ContactFormValues {
	return {
		full_name: '',
		name_ar: '',
		role_title: '',
		actor_id: '',
		actor_name: '',
		call_sign: '',
		phones: [{ number: '', phone_type: 'mobile', label: '' }],
		messaging: [],
		languages: '',
		areas: [],
		checkpoint_ids: [],
		sensitivity: 'normal',
		emergency: false,
		notes: '',
		verified: true
	};
}

export function contactFormValues(c: Contact): ContactFormValues {
	return {
		full_name: c.full_name,
		name_ar: c.name_ar ?? '',
		role_title: c.role_title,
		actor_id: c.actor_id ?? '',
		actor_name: c.actor_name ?? '',
		call_sign: c.call_sign ?? '',
		phones: c.phones.map((p) => ({
			number: formatPhone(p.number),
			phone_type: p.phone_type,
			label: p.label
		})),
		messaging: c.messaging.map((m) => ({ ...m })),
		languages: c.languages.join(', '),
		areas: c.areas.map((a) => a.pcode),
		checkpoint_ids: c.checkpoints.map((k) => k.id),
		sensitivity: c.sensitivity,
		emergency: c.emergency,
		notes: c.notes,
		verified: false
	};
}

/**
 * The form's fields → its values. Rows left wholly blank (a phone row without number or label,
 * a messaging row without handle) are dropped, so error indexes match the rows shown again.
 */
export function readContactForm(fd: FormData): ContactFormValues {
	const s = (k: string) => String(fd.get(k) ?? '').trim();
	const all = (k: string) => fd.getAll(k).map((v) => String(v));
	const types = all('phone_type');
	const labels = all('phone_label');
	const services = all('messaging_service');
	const handles = all('messaging_handle');
	return {
		full_name: s('full_name'),
		name_ar: s('name_ar'),
		role_title: s('role_title'),
		actor_id: s('actor_id'),
		actor_name: s('actor_name'),
		call_sign: s('call_sign'),
		phones: all('phone_number')
			.map((number, i) => ({
				number: number.trim(),
				phone_type: types[i] || 'mobile',
				label: (labels[i] ?? '').trim()
			}))
			.filter((p) => p.number || p.label),
		messaging: services
			.map((service, i) => ({ service, handle: (handles[i] ?? '').trim() }))
			.filter((m) => m.handle),
		languages: s('languages'),
		areas: all('areas').filter(Boolean),
		checkpoint_ids: all('checkpoint_ids').filter(Boolean),
		sensitivity: s('sensitivity') || 'normal',
		emergency: fd.get('emergency') === 'on',
		notes: String(fd.get('notes') ?? '').trim(),
		verified: fd.get('verified') === 'on'
	};
}

/**
 * The form's values → the schema's input. `scoped` false leaves areas and checkpoints out, as a
 * field user's correction must (they may not re-scope a contact). An organisation typed but not
 * picked from the list is sent as it is, so the schema names it as not an actor.
 */
export function contactFormBody(
	v: ContactFormValues,
	o: { scoped?: boolean } = {}
): Record<string, unknown> {
	const scoped = o.scoped ?? true;
	return {
		full_name: v.full_name,
		name_ar: v.name_ar || null,
		role_title: v.role_title,
		actor_id: v.actor_id || (v.actor_name ? v.actor_name : null),
		call_sign: v.call_sign || null,
		phones: v.phones,
		messaging: v.messaging,
		languages: v.languages.split(/[,\s،]+/).filter(Boolean),
		...(scoped
			? { areas: v.areas, checkpoint_ids: v.checkpoint_ids, sensitivity: v.sensitivity }
			: { sensitivity: 'normal' }),
		emergency: v.emergency,
		notes: v.notes,
		verified: v.verified
	};
}
