/**
 * Contacts as export files: RFC 4180 CSV (Excel-safe) and vCard 4.0. Only contacts the caller may
 * see reach these functions (the SQL export applies need-to-know and writes the audit note).
 */
import type { Contact } from './contacts.ts';

const CSV_COLUMNS = [
	'full_name',
	'name_ar',
	'role_title',
	'organisation',
	'call_sign',
	'phones',
	'messaging',
	'languages',
	'areas',
	'checkpoints',
	'sensitivity',
	'emergency',
	'last_verified_at',
	'last_verified_by',
	'notes'
] as const;

function csvCell(v: string): string {
	// A leading = + - @ would be run as a formula by spreadsheet software (CSV injection).
	const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with a header row; lists joined with " | ". UTF-8 with BOM so Excel reads Arabic. */
export function contactsToCsv(contacts: readonly Contact[]): string {
	const rows = contacts.map((c) =>
		[
			c.full_name,
			c.name_ar ?? '',
			c.role_title,
			c.actor_name ?? '',
			c.call_sign ?? '',
			c.phones
				.map((p) => `${p.number} (${p.phone_type}${p.label ? `, ${p.label}` : ''})`)
				.join(' | '),
			c.messaging.map((m) => `${m.service}: ${m.handle}`).join(' | '),
			c.languages.join(' | '),
			c.areas.map((a) => `${a.pcode} ${a.name_en}`).join(' | '),
			c.checkpoints.map((k) => k.name).join(' | '),
			c.sensitivity,
			c.emergency ? 'yes' : 'no',
			c.last_verified_at ?? '',
			c.last_verified_by_name ?? '',
			c.notes
		]
			.map(csvCell)
			.join(',')
	);
	return '\ufeff' + [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function vEscape(v: string): string {
	return v
		.replace(/\\/g, '\\\\')
		.replace(/\n/g, '\\n')
		.replace(/[,;]/g, (m) => `\\${m}`);
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
	mobile: 'cell',
	landline: 'voice',
	satellite: 'cell',
	office: 'work',
	home: 'home',
	other: 'voice'
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
			...c.phones.map(
				(p) => `TEL;VALUE=uri;TYPE=${VCARD_TEL_TYPE[p.phone_type] ?? 'voice'}:tel:${p.number}`
			),
			...c.messaging.filter((m) => m.service === 'email').map((m) => `EMAIL:${vEscape(m.handle)}`),
			...c.messaging
				.filter((m) => m.service !== 'email')
				.map((m) => `IMPP:${m.service}:${vEscape(m.handle)}`),
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
