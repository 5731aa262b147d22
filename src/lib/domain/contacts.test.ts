import { describe, expect, it } from 'vitest';
import { contactArgs, contactsToCsv, contactsToVCard, formatPhone, normalizePhone, type Contact } from './contacts.ts';

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

describe('contactArgs', () => {
	it('turns a valid body into contact_save arguments, phones in E.164, lists as JSON text', () => {
		const r = contactArgs({ full_name: ' Dana West ', phones: [{ number: '0750 111 1111', phone_type: 'mobile' }], areas: ['IQD0101'], languages: ['ar', 'ckb'] });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.args).toMatchObject({ p_full_name: 'Dana West', p_areas: ['IQD0101'], p_languages: ['ar', 'ckb'], p_sensitivity: 'normal' });
		expect(JSON.parse(r.args.p_phones as string)).toEqual([{ number: '+9647501111111', phone_type: 'mobile', label: '' }]);
		// Phones left out stay as they are (a field user's correction of other fields).
		const keep = contactArgs({ full_name: 'Dana' });
		expect(keep.ok && keep.args.p_phones).toBeUndefined();
	});
	it('names every field that is wrong', () => {
		const r = contactArgs({ full_name: '', phones: [{ number: '+9647501111111' }, { number: 'not a phone' }], sensitivity: 'secret', languages: ['Arabic'] });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors).sort()).toEqual(['full_name', 'languages[0]', 'sensitivity']);
		const r2 = contactArgs({ full_name: 'X', phones: [{ number: '+9647501111111' }, { number: 'not a phone' }] });
		expect(!r2.ok && r2.errors).toEqual({ 'phones[1].number': '"not a phone" is not a phone number' });
		const r3 = contactArgs({ full_name: 'X', phones: [{ number: '0750 111 1111' }, { number: '+9647501111111' }] });
		expect(!r3.ok && r3.errors).toEqual({ phones: 'the same number is listed twice' });
	});
});

const contact: Contact = {
	id: '5f0c7a38-1d2e-4c8e-9b55-3a7f2b1c0d9e', full_name: 'Dana "DW" West', name_ar: 'دانا', role_title: 'District officer, West',
	actor_id: null, actor_name: 'District Council', call_sign: 'Falcon 1', messaging: [{ service: 'signal', handle: '+9647501111111' }],
	languages: ['ar', 'en'], sensitivity: 'normal', emergency: true, notes: '=HYPERLINK("evil")\nsecond line', last_verified_at: '2026-11-01T10:00:00Z',
	last_verified_by: null, last_verified_by_name: 'Analyst', phones: [{ id: 'p', number: '+9647501111111', phone_type: 'mobile', label: '' }],
	areas: [{ pcode: 'IQD0101', level: 2, name_en: 'Mosul', name_ar: null }], checkpoints: []
};

describe('exports', () => {
	it('writes CSV that spreadsheets read safely: quoted, BOM for Arabic, no formula injection', () => {
		const csv = contactsToCsv([contact]);
		expect(csv.startsWith('\ufefffull_name,name_ar,role_title,organisation')).toBe(true);
		const row = csv.split('\r\n')[1];
		expect(row).toContain(`"Dana ""DW"" West",دانا,"District officer, West",District Council,Falcon 1,'+9647501111111 (mobile)`); // a leading + is guarded too
		expect(csv).toContain(`"'=HYPERLINK(""evil"")\nsecond line"`);
	});
	it('writes vCard 4.0 with escaped values and tel URIs', () => {
		const v = contactsToVCard([contact]);
		expect(v).toContain('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dana "DW" West\r\n');
		expect(v).toContain('TITLE:District officer\\, West');
		expect(v).toContain('TEL;VALUE=uri;TYPE=cell:tel:+9647501111111');
		expect(v).toContain('NOTE:=HYPERLINK("evil")\\nsecond line');
		expect(v).toContain(`UID:urn:uuid:${contact.id}`);
		for (const line of v.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
	});
});
