/**
 * Contacts: vocabulary, input validation (phone numbers parsed with libphonenumber into E.164,
 * the only form the database accepts) and the CSV / vCard formats of exports.
 */
import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

export const PHONE_TYPES = ['mobile', 'landline', 'satellite', 'office', 'home', 'other'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];
export const MESSAGING_SERVICES = ['whatsapp', 'signal', 'telegram', 'viber', 'thuraya', 'email', 'other'] as const;
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
export function normalizePhone(raw: string, country: CountryCode = DEFAULT_PHONE_COUNTRY): PhoneResult {
	const s = raw.trim().replace(/^00/, '+');
	if (!s) return { ok: false, message: 'is empty' };
	if (/[a-z]/i.test(s.replace(/\s*(ext|x)\.?\s*\d+$/i, ''))) return { ok: false, message: `"${raw}" is not a phone number` };
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
	z.string().max(max, `must have at most ${max} characters`).transform((s) => s.trim()).optional().nullable();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const contactInput = z.object({
	full_name: z.string().trim().min(1, 'must not be empty').max(300),
	name_ar: optionalText(300),
	role_title: z.string().max(300).default(''),
	actor_id: z.string().regex(UUID, 'expected an actor id').nullable().optional().or(z.literal('').transform(() => null)),
	call_sign: optionalText(60),
	messaging: z.array(z.object({ service: z.enum(MESSAGING_SERVICES), handle: z.string().trim().min(1, 'must not be empty').max(200) })).default([]),
	languages: z.array(z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language code such as en, ar or ckb')).default([]),
	sensitivity: z.enum(SENSITIVITIES).default('normal'),
	emergency: z.boolean().default(false),
	notes: z.string().max(20_000).default(''),
	phones: z.array(z.object({
		number: z.string().max(40),
		phone_type: z.enum(PHONE_TYPES).default('mobile'),
		label: z.string().max(100).default('')
	})).optional(),
	areas: z.array(z.string().regex(/^[A-Z]{2,3}[A-Z0-9]+$/, 'expected a P-code such as IQD0101')).optional(),
	checkpoint_ids: z.array(z.string().regex(UUID, 'expected a checkpoint id')).optional(),
	verified: z.boolean().default(false)
});
export type ContactInput = z.output<typeof contactInput>;

/**
 * Validated input → the contact_save arguments, or field errors ({'phones[1].number': '…'}).
 * Lists travel as JSON text (see sensitive.json_arg in the contacts migration).
 */
export function contactArgs(raw: unknown, id?: string): { ok: true; args: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
	const parsed = contactInput.safeParse(raw);
	if (!parsed.success) {
		const errors: Record<string, string> = {};
		for (const i of parsed.error.issues) {
			const key = i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || 'body';
			errors[key] ??= i.message;
		}
		return { ok: false, errors };
	}
	const v = parsed.data;
	const errors: Record<string, string> = {};
	const phones = v.phones?.map((p, i) => {
		const r = normalizePhone(p.number);
		if (!r.ok) errors[`phones[${i}].number`] = r.message;
		return { ...p, number: r.ok ? r.e164 : p.number };
	});
	if (phones && new Set(phones.map((p) => p.number)).size !== phones.length) errors.phones ??= 'the same number is listed twice';
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		args: {
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
			p_phones: phones ? JSON.stringify(phones) : undefined,
			p_areas: v.areas,
			p_checkpoint_ids: v.checkpoint_ids,
			p_verified: v.verified
		}
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
	reasons?: ({ via: 'area'; pcode: string; level: number; name_en: string; name_ar: string | null } | { via: 'checkpoint'; checkpoint_id: string; name: string; distance_m: number })[];
}

export interface Nearby {
	lon: number;
	lat: number;
	areas: { pcode: string; level: number; name_en: string; name_ar: string | null }[];
	checkpoints: { id: string; name: string; name_ar: string | null; status: string; lon: number; lat: number; distance_m: number }[];
	contacts: Contact[];
}

// ---------------------------------------------------------------------------------------------
// Export formats.

const CSV_COLUMNS = [
	'full_name', 'name_ar', 'role_title', 'organisation', 'call_sign', 'phones', 'messaging', 'languages',
	'areas', 'checkpoints', 'sensitivity', 'emergency', 'last_verified_at', 'last_verified_by', 'notes'
] as const;

function csvCell(v: string): string {
	// A leading = + - @ would be run as a formula by spreadsheet software (CSV injection).
	const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with a header row; lists joined with " | ". UTF-8 with BOM so Excel reads Arabic. */
export function contactsToCsv(contacts: readonly Contact[]): string {
	const rows = contacts.map((c) => [
		c.full_name, c.name_ar ?? '', c.role_title, c.actor_name ?? '', c.call_sign ?? '',
		c.phones.map((p) => `${p.number} (${p.phone_type}${p.label ? `, ${p.label}` : ''})`).join(' | '),
		c.messaging.map((m) => `${m.service}: ${m.handle}`).join(' | '),
		c.languages.join(' | '),
		c.areas.map((a) => `${a.pcode} ${a.name_en}`).join(' | '),
		c.checkpoints.map((k) => k.name).join(' | '),
		c.sensitivity, c.emergency ? 'yes' : 'no', c.last_verified_at ?? '', c.last_verified_by_name ?? '', c.notes
	].map(csvCell).join(','));
	return '\ufeff' + [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function vEscape(v: string): string {
	return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/[,;]/g, (m) => `\\${m}`);
}

/** Folds a content line at 75 octets as RFC 6350 asks (continuation lines start with a space). */
function fold(line: string): string {
	const bytes = new TextEncoder().encode(line);
	if (bytes.length <= 75) return line;
	const out: string[] = [];
	let cur = '';
	let len = 0;
	for (const ch of line) {
		const n = new TextEncoder().encode(ch).length;
		if (len + n > (out.length ? 74 : 75)) {
			out.push(cur);
			cur = '';
			len = 0;
		}
		cur += ch;
		len += n;
	}
	out.push(cur);
	return out.join('\r\n ');
}

const VCARD_TEL_TYPE: Record<string, string> = {
	mobile: 'cell', landline: 'voice', satellite: 'cell', office: 'work', home: 'home', other: 'voice'
};

/** vCard 4.0 (RFC 6350), one card per contact. */
export function contactsToVCard(contacts: readonly Contact[]): string {
	const cards = contacts.map((c) => {
		const lines = [
			'BEGIN:VCARD',
			'VERSION:4.0',
			`FN:${vEscape(c.full_name)}`,
			...(c.name_ar ? [`X-NAME-AR:${vEscape(c.name_ar)}`] : []),
			...(c.role_title ? [`TITLE:${vEscape(c.role_title)}`] : []),
			...(c.actor_name ? [`ORG:${vEscape(c.actor_name)}`] : []),
			...c.phones.map((p) => `TEL;VALUE=uri;TYPE=${VCARD_TEL_TYPE[p.phone_type] ?? 'voice'}:tel:${p.number}`),
			...c.messaging.filter((m) => m.service === 'email').map((m) => `EMAIL:${vEscape(m.handle)}`),
			...c.messaging.filter((m) => m.service !== 'email').map((m) => `IMPP:${m.service}:${vEscape(m.handle)}`),
			...(c.call_sign ? [`NICKNAME:${vEscape(c.call_sign)}`] : []),
			...(c.languages.length ? c.languages.map((l, i) => `LANG;PREF=${i + 1}:${l}`) : []),
			...(c.notes ? [`NOTE:${vEscape(c.notes)}`] : []),
			`UID:urn:uuid:${c.id}`,
			'END:VCARD'
		];
		return lines.map(fold).join('\r\n');
	});
	return cards.join('\r\n') + '\r\n';
}
