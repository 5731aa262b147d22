import { describe, expect, it } from 'vitest';
import { contactFormBody, readContactForm } from './contact-form.ts';
import { contactsToCsv, contactsToVCard } from './contact-export.ts';
import {
	contactArgs,
	contactErrors,
	contactInput,
	formatPhone,
	normalizePhone,
	type Contact
} from './contacts.ts';

describe('normalizePhone', () => {
	it('reads the ways people write Iraqi and international numbers', () => {
		expect(normalizePhone('0750 111 1111')).toEqual({ ok: true, e164: '+9647501111111' });
		expect(normalizePhone('+964 (750) 111-1111')).toEqual({ ok: true, e164: '+9647501111111' });
		expect(normalizePhone('00964 770 123 4567')).toEqual({ ok: true, e164: '+9647701234567' });
		expect(normalizePhone('+44 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
		expect(normalizePhone('+8816 3145 6789')).toMatchObject({ ok: true }); // Iridium satellite
	});
	it('refuses what is not a phone number', () => {
		expect(normalizePhone('call the mukhtar')).toMatchObject({ ok: false });
		expect(normalizePhone('0750 123')).toMatchObject({ ok: false });
		expect(normalizePhone('')).toMatchObject({ ok: false, message: 'is empty' });
		expect(normalizePhone('+999 1234 5678')).toMatchObject({ ok: false });
	});
	it('formats for display', () => {
		expect(formatPhone('+9647501111111')).toBe('+964 750 111 1111');
	});
});

describe('contactInput, the one schema of the form and the API', () => {
	const errorsOf = (raw: unknown) => {
		const r = contactInput.safeParse(raw);
		return r.success ? null : contactErrors(r.error);
	};

	it('stores the real formats people give in E.164', () => {
		const r = contactInput.safeParse({
			full_name: 'Dana West',
			phones: [
				{ number: '+964 750 123 4567', phone_type: 'mobile' },
				{ number: '0750 123 4568', phone_type: 'mobile' },
				{ number: '+8821 6123 4567', phone_type: 'satellite' }, // Thuraya
				{ number: '066 222 3333', phone_type: 'landline' } // Erbil landline, national form
			]
		});
		expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
		expect(r.data!.phones!.map((p) => p.number)).toEqual([
			'+9647501234567',
			'+9647501234568',
			'+882161234567',
			'+964662223333'
		]);
		expect(r.data!.phones!.map((p) => p.phone_type)).toEqual([
			'mobile',
			'mobile',
			'satellite',
			'landline'
		]);
	});

	it('puts a junk phone error on that phone row only', () => {
		expect(
			errorsOf({
				full_name: 'X',
				phones: [
					{ number: '0750 123 4567' },
					{ number: 'call the mukhtar' },
					{ number: '+964 750 123 4569' }
				]
			})
		).toEqual({ 'phones[1].number': 'contacts.error.phone_invalid' });
		expect(errorsOf({ full_name: 'X', phones: [{ number: '0750 123' }] })).toEqual({
			'phones[0].number': 'contacts.error.phone_invalid'
		});
		expect(errorsOf({ full_name: 'X', phones: [{ number: '12345678901234567890' }] })).toEqual({
			'phones[0].number': 'contacts.error.phone_invalid'
		});
		expect(errorsOf({ full_name: 'X', phones: [{ number: '  ', label: 'office' }] })).toEqual({
			'phones[0].number': 'contacts.error.phone_empty'
		});
		expect(
			errorsOf({ full_name: 'X', phones: [{ number: '0750 123 4567', phone_type: 'pager' }] })
		).toEqual({ 'phones[0].phone_type': 'contacts.error.phone_type' });
	});

	it('names the row that repeats a number, however it was typed', () => {
		expect(
			errorsOf({
				full_name: 'X',
				phones: [
					{ number: '0750 111 1111' },
					{ number: '+964 750 222 2222' },
					{ number: '00964 750 111 1111' }
				]
			})
		).toEqual({ 'phones[2].number': 'contacts.error.phone_duplicate' });
	});

	it('reports every wrong field at once, required ones included', () => {
		expect(
			errorsOf({
				full_name: '   ',
				phones: [{ number: 'nope' }],
				sensitivity: 'secret',
				languages: ['Arabic'],
				areas: ['mosul'],
				messaging: [{ service: 'whatsapp', handle: '' }]
			})
		).toEqual({
			full_name: 'contacts.error.name_required',
			'phones[0].number': 'contacts.error.phone_invalid',
			sensitivity: 'contacts.error.sensitivity',
			'languages[0]': 'contacts.error.language',
			'areas[0]': 'contacts.error.area',
			'messaging[0].handle': 'contacts.error.handle_required'
		});
		expect(errorsOf({})).toEqual({ full_name: 'contacts.error.name_required' });
	});
});

describe('the contact form', () => {
	const form = (entries: [string, string][]) => {
		const fd = new FormData();
		for (const [k, v] of entries) fd.append(k, v);
		return fd;
	};

	it('reads repeated rows in order, drops wholly blank ones, and checks them with the same schema', () => {
		const v = readContactForm(
			form([
				['full_name', ' Dana West '],
				['actor_name', 'District Council'],
				['actor_id', ''],
				['phone_number', '0750 123 4567'],
				['phone_type', 'mobile'],
				['phone_label', ''],
				['phone_number', ''],
				['phone_type', 'mobile'],
				['phone_label', ''],
				['phone_number', 'junk'],
				['phone_type', 'satellite'],
				['phone_label', 'car'],
				['messaging_service', 'signal'],
				['messaging_handle', '@dana'],
				['messaging_service', 'whatsapp'],
				['messaging_handle', ''],
				['languages', 'ar، ckb en'],
				['areas', 'IQG09Q02'],
				['areas', 'IQG09'],
				['sensitivity', 'restricted'],
				['verified', 'on']
			])
		);
		expect(v.phones).toEqual([
			{ number: '0750 123 4567', phone_type: 'mobile', label: '' },
			{ number: 'junk', phone_type: 'satellite', label: 'car' }
		]);
		expect(v.messaging).toEqual([{ service: 'signal', handle: '@dana' }]);
		const body = contactFormBody(v);
		expect(body).toMatchObject({
			languages: ['ar', 'ckb', 'en'],
			areas: ['IQG09Q02', 'IQG09'],
			sensitivity: 'restricted',
			verified: true
		});
		// An organisation typed but not picked is not an actor id: the error is on the organisation.
		expect(contactErrors(contactInput.safeParse(body).error!)).toEqual({
			actor_id: 'contacts.error.actor',
			'phones[1].number': 'contacts.error.phone_invalid'
		});
		// A field user's correction leaves areas and checkpoints alone.
		expect(contactFormBody(v, { scoped: false })).not.toHaveProperty('areas');
	});
});

describe('contactArgs', () => {
	it('turns a valid body into contact_save arguments, phones in E.164, lists as JSON text', () => {
		const r = contactArgs({
			full_name: ' Dana West ',
			phones: [{ number: '0750 111 1111', phone_type: 'mobile' }],
			areas: ['IQD0101'],
			languages: ['ar', 'ckb']
		});
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.args).toMatchObject({
			p_full_name: 'Dana West',
			p_areas: ['IQD0101'],
			p_languages: ['ar', 'ckb'],
			p_sensitivity: 'normal'
		});
		expect(JSON.parse(r.args.p_phones as string)).toEqual([
			{ number: '+9647501111111', phone_type: 'mobile', label: '' }
		]);
		// Phones left out stay as they are (a field user's correction of other fields).
		const keep = contactArgs({ full_name: 'Dana' });
		expect(keep.ok && keep.args.p_phones).toBeUndefined();
	});
	it('answers the API in English', () => {
		const r = contactArgs({
			full_name: 'X',
			phones: [{ number: '+9647501111111' }, { number: 'not a phone' }]
		});
		expect(!r.ok && r.errors).toEqual({
			'phones[1].number': 'Not a phone number. Type it as 0750 123 4567 or +964 750 123 4567.'
		});
		const r3 = contactArgs({
			full_name: 'X',
			phones: [{ number: '0750 111 1111' }, { number: '+9647501111111' }]
		});
		expect(!r3.ok && r3.errors).toEqual({
			'phones[1].number': 'This number is already listed above.'
		});
	});
});

const contact: Contact = {
	id: '5f0c7a38-1d2e-4c8e-9b55-3a7f2b1c0d9e',
	full_name: 'Dana "DW" West',
	name_ar: 'دانا',
	role_title: 'District officer, West',
	actor_id: null,
	actor_name: 'District Council',
	call_sign: 'Falcon 1',
	messaging: [{ service: 'signal', handle: '+9647501111111' }],
	languages: ['ar', 'en'],
	sensitivity: 'normal',
	emergency: true,
	notes: '=HYPERLINK("evil")\nsecond line',
	last_verified_at: '2026-11-01T10:00:00Z',
	last_verified_by: null,
	last_verified_by_name: 'Analyst',
	phones: [{ id: 'p', number: '+9647501111111', phone_type: 'mobile', label: '' }],
	areas: [{ pcode: 'IQD0101', level: 2, name_en: 'Mosul', name_ar: null }],
	checkpoints: []
};

describe('exports', () => {
	it('writes CSV that spreadsheets read safely: quoted, BOM for Arabic, no formula injection', () => {
		const csv = contactsToCsv([contact]);
		expect(csv.startsWith('\ufefffull_name,name_ar,role_title,organisation')).toBe(true);
		const row = csv.split('\r\n')[1];
		expect(row).toContain(
			`"Dana ""DW"" West",دانا,"District officer, West",District Council,Falcon 1,'+9647501111111 (mobile)`
		); // a leading + is guarded too
		expect(csv).toContain(`"'=HYPERLINK(""evil"")\nsecond line"`);
	});
	it('writes vCard 4.0 with escaped values and tel URIs', () => {
		const v = contactsToVCard([contact]);
		expect(v).toContain('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dana "DW" West\r\n');
		expect(v).toContain('TITLE:District officer\\, West');
		expect(v).toContain('TEL;VALUE=uri;TYPE=cell:tel:+9647501111111');
		expect(v).toContain('NOTE:=HYPERLINK("evil")\\nsecond line');
		expect(v).toContain(`UID:urn:uuid:${contact.id}`);
		for (const line of v.split('\r\n'))
			expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
	});
});
