/**
 * Contacts: vocabulary, input validation (phone numbers parsed with libphonenumber into E.164,
 * the only form the database accepts) and the contact's shape. The form's values:
 * ./contact-form.ts; the CSV / vCard formats of exports: ./contact-export.ts.
 */
import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { translator, type MessageKey } from '../i18n/index.ts';
import { PCODE, UUID } from './codes.ts';

export const PHONE_TYPES = ['mobile', 'landline', 'satellite', 'office', 'home', 'other'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];
export const MESSAGING_SERVICES = [
	'whatsapp',
	'signal',
	'telegram',
	'viber',
	'thuraya',
	'email',
	'other'
] as const;
export const SENSITIVITIES = ['normal', 'restricted'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** Numbers typed without a country code are read as Iraqi ones (the demo context). */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'IQ';

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

/**
 * A typed phone number in E.164, or why it is not one. Accepts the ways people write numbers
 * (spaces, dashes, brackets, 00 or + prefix, national 07… form) and refuses what no phone plan
 * allows. Satellite numbers (+8816…, +870…) are valid too.
 */
export function normalizePhone(
	raw: string,
	country: CountryCode = DEFAULT_PHONE_COUNTRY
): PhoneResult {
	const s = raw.trim().replace(/^00/, '+');
	if (!s) return { ok: false, message: 'is empty' };
	if (/[a-z]/i.test(s.replace(/\s*(ext|x)\.?\s*\d+$/i, '')))
		return { ok: false, message: `"${raw}" is not a phone number` };
	try {
		const p = parsePhoneNumberWithError(s, country);
		if (!p.isValid()) return { ok: false, message: `"${raw}" is not a valid phone number` };
		return { ok: true, e164: p.number };
	} catch {
		return { ok: false, message: `"${raw}" is not a phone number` };
	}
}

/** For display: +964 750 111 1111. */
export function formatPhone(e164: string): string {
	try {
		return parsePhoneNumberWithError(e164).formatInternational();
	} catch {
		return e164;
	}
}

const optionalText = (max: number) =>
	z
		.string()
		.max(max, 'contacts.error.too_long')
		.transform((s) => s.trim())
		.optional()
		.nullable();

/** A typed number → E.164, or an issue on that phone's own row (phones[i].number). */
const phoneNumber = z
	.string()
	.max(40, 'contacts.error.phone_invalid')
	.transform((raw, ctx) => {
		const r = normalizePhone(raw);
		if (r.ok) return r.e164;
		ctx.addIssue({
			code: 'custom',
			message: raw.trim() ? 'contacts.error.phone_invalid' : 'contacts.error.phone_empty'
		});
		return z.NEVER;
	});

/**
 * The one contact schema: the contact form checks it in the browser before sending, the form
 * action and the API check it again on the server (contactArgs), and contact_save in SQL checks
 * the same rules a last time for any other caller. Messages are i18n keys (contacts.error.*):
 * the form shows them in the user's language next to the field, the API in English.
 */
export const contactInput = z.object({
	full_name: z
		.string({ message: 'contacts.error.name_required' })
		.trim()
		.min(1, 'contacts.error.name_required')
		.max(300, 'contacts.error.too_long'),
	name_ar: optionalText(300),
	role_title: z.string().trim().max(300, 'contacts.error.too_long').default(''),
	actor_id: z
		.string()
		.regex(UUID, 'contacts.error.actor')
		.nullable()
		.optional()
		.or(z.literal('').transform(() => null)),
	call_sign: optionalText(60),
	messaging: z
		.array(
			z.object({
				service: z.enum(MESSAGING_SERVICES, { message: 'contacts.error.service' }),
				handle: z
					.string()
					.trim()
					.min(1, 'contacts.error.handle_required')
					.max(200, 'contacts.error.too_long')
			})
		)
		.default([]),
	languages: z
		.array(
			z
				.string()
				.trim()
				.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'contacts.error.language')
		)
		.default([]),
	sensitivity: z.enum(SENSITIVITIES, { message: 'contacts.error.sensitivity' }).default('normal'),
	emergency: z.boolean().default(false),
	notes: z.string().max(20_000, 'contacts.error.too_long').default(''),
	phones: z
		.array(
			z.object({
				number: phoneNumber,
				phone_type: z.enum(PHONE_TYPES, { message: 'contacts.error.phone_type' }).default('mobile'),
				label: z.string().trim().max(100, 'contacts.error.too_long').default('')
			})
		)
		.max(20, 'contacts.error.too_many')
		.superRefine((phones, ctx) => {
			// The error goes on the row that repeats a number, not on the list.
			const seen = new Set<string>();
			phones.forEach((p, i) => {
				if (seen.has(p.number))
					ctx.addIssue({
						code: 'custom',
						message: 'contacts.error.phone_duplicate',
						path: [i, 'number']
					});
				seen.add(p.number);
			});
		})
		.optional(),
	areas: z.array(z.string().regex(PCODE, 'contacts.error.area')).optional(),
	checkpoint_ids: z.array(z.string().regex(UUID, 'contacts.error.checkpoint')).optional(),
	verified: z.boolean().default(false)
});
export type ContactInput = z.output<typeof contactInput>;

/** Zod issues → {'phones[1].number': 'contacts.error.phone_invalid', …}, the first per field. */
export function contactErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const i of error.issues) {
		const key =
			i.path.reduce<string>(
				(acc, p) =>
					typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p),
				''
			) || 'body';
		errors[key] ??= i.message;
	}
	return errors;
}

/**
 * Validated input → the contact_save arguments, or field errors in English
 * ({'phones[1].number': 'Not a phone number …'}). Lists travel as JSON text (see
 * sensitive.json_arg in the contacts migration).
 */
export function contactArgs(
	raw: unknown,
	id?: string
): { ok: true; args: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
	const parsed = contactInput.safeParse(raw);
	if (!parsed.success) return { ok: false, errors: englishErrors(parsed.error) };
	return { ok: true, args: contactSaveArgs(parsed.data, id) };
}

/** The fields a contact has (what POST sends whole and PATCH sends in part). */
export const CONTACT_FIELDS = Object.keys(contactInput.shape) as readonly string[];

/**
 * A PATCH body → the fields it sends, checked and normalised as for a save (phones in E.164),
 * and only those: contact_patch keeps every other field as stored (merge semantics). A field the
 * contact does not have is an error naming it, not silently dropped. Errors in English.
 */
export function contactPatch(
	raw: unknown
): { ok: true; patch: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw))
		return { ok: false, errors: { body: 'expected an object with the fields to change' } };
	const keys = Object.keys(raw);
	const unknown = keys.filter((k) => !CONTACT_FIELDS.includes(k));
	if (unknown.length)
		return {
			ok: false,
			errors: Object.fromEntries(unknown.map((k) => [k, 'is not a field that can be changed']))
		};
	// Only the fields sent are checked, so no default fills in a field that was not sent.
	const sent = contactInput.pick(Object.fromEntries(keys.map((k) => [k, true])) as never);
	const parsed = sent.safeParse(raw);
	if (!parsed.success) return { ok: false, errors: englishErrors(parsed.error) };
	return { ok: true, patch: parsed.data as Record<string, unknown> };
}

function englishErrors(error: z.ZodError): Record<string, string> {
	const en = translator('en');
	const errors = contactErrors(error);
	for (const k of Object.keys(errors))
		if (errors[k].startsWith('contacts.error.')) errors[k] = en(errors[k] as MessageKey);
	return errors;
}

/** Checked input → the named arguments of contact_save. */
export function contactSaveArgs(v: ContactInput, id?: string): Record<string, unknown> {
	return {
		p_id: id,
		p_full_name: v.full_name,
		p_name_ar: v.name_ar || null,
		p_role_title: v.role_title,
		p_actor_id: v.actor_id || null,
		p_call_sign: v.call_sign || null,
		p_messaging: JSON.stringify(v.messaging),
		p_languages: v.languages,
		p_sensitivity: v.sensitivity,
		p_emergency: v.emergency,
		p_notes: v.notes,
		p_phones: v.phones ? JSON.stringify(v.phones) : undefined,
		p_areas: v.areas,
		p_checkpoint_ids: v.checkpoint_ids,
		p_verified: v.verified
	};
}

// ---------------------------------------------------------------------------------------------

export interface Contact {
	id: string;
	full_name: string;
	name_ar: string | null;
	role_title: string;
	actor_id: string | null;
	actor_name: string | null;
	call_sign: string | null;
	messaging: { service: string; handle: string }[];
	languages: string[];
	sensitivity: Sensitivity;
	emergency: boolean;
	notes: string;
	last_verified_at: string | null;
	last_verified_by: string | null;
	last_verified_by_name: string | null;
	phones: { id: string; number: string; phone_type: PhoneType; label: string }[];
	areas: { pcode: string; level: number; name_en: string; name_ar: string | null }[];
	checkpoints: { id: string; name: string; status: string; lon: number; lat: number }[];
	distance_m?: number;
	reasons?: (
		| { via: 'area'; pcode: string; level: number; name_en: string; name_ar: string | null }
		| { via: 'checkpoint'; checkpoint_id: string; name: string; distance_m: number }
	)[];
}

export interface Nearby {
	lon: number;
	lat: number;
	areas: { pcode: string; level: number; name_en: string; name_ar: string | null }[];
	checkpoints: {
		id: string;
		name: string;
		name_ar: string | null;
		status: string;
		lon: number;
		lat: number;
		distance_m: number;
	}[];
	contacts: Contact[];
}
