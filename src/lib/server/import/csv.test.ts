import { describe, expect, it } from 'vitest';
import { csvSource, isHxlRow } from './csv.ts';
import { decodeText, sniffEncoding } from './decode.ts';

async function* chunks(s: string, size = 5) {
	for (let i = 0; i < s.length; i += size) yield s.slice(i, i + size);
}
async function read(text: string, size = 5) {
	const src = await csvSource(chunks(text, size), { maxRows: 100 });
	const rows = [];
	for await (const r of src.records) rows.push(r);
	return { src, rows };
}

describe('csvSource', () => {
	it('reads quoted fields across chunk boundaries and any line ending', async () => {
		for (const nl of ['\n', '\r\n', '\r']) {
			const { src, rows } = await read(`a,b${nl}1,"x${nl}y, z"${nl}2,3${nl}`);
			expect(src.columns).toEqual(['a', 'b']);
			expect(rows.map((r) => [r.row, r.values.b])).toEqual([
				[2, `x${nl}y, z`],
				[3, '3']
			]);
		}
	});

	it('detects semicolons and tabs, and takes the HXL row as tags, not data', async () => {
		expect((await read('a;b\n1;2\n')).rows[0].values).toEqual({ a: '1', b: '2' });
		expect((await read('a\tb\n1\t2\n')).rows[0].values).toEqual({ a: '1', b: '2' });
		const { src, rows } = await read('lat,lon,x\n#geo+lat,#geo +lon,\n1,2,3\n');
		expect(src.hxl).toEqual({ lat: '#geo+lat', lon: '#geo+lon' });
		expect(rows.map((r) => r.row)).toEqual([3]);
		expect(isHxlRow(['#adm1+name', '', '#affected+killed'])).toBe(true);
		expect(isHxlRow(['#1 priority', 'x'])).toBe(false);
	});

	it('names empty and repeated header cells, and flags rows with extra fields', async () => {
		const { src, rows } = await read('name,,name\n1,2,3,4\n');
		expect(src.columns).toEqual(['name', 'column 2', 'name (2)']);
		expect(rows[0].problem?.reason).toMatch(/4 fields but the header has 3/);
	});

	it('stops at an unclosed quote, naming the row', async () => {
		await expect(read('a,b\n1,2\n3,"open\n4,5\n')).rejects.toThrow(
			/row 3: a quoted field is not closed/
		);
	});
});

describe('decodeText', () => {
	const all = async (it: AsyncIterable<string>) => {
		let s = '';
		for await (const c of it) s += c;
		return s;
	};
	async function* bytes(b: Uint8Array) {
		for (let i = 0; i < b.length; i += 3) yield b.subarray(i, i + 3);
	}

	it('recognises BOMs, UTF-16 without one, and falls back to Windows-1256 for Arabic', async () => {
		expect(sniffEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toEqual({
			encoding: 'utf-8',
			bom: 3
		});
		expect(sniffEncoding(Uint8Array.of(0xff, 0xfe, 0x61, 0))).toEqual({
			encoding: 'utf-16le',
			bom: 2
		});
		expect(sniffEncoding(Buffer.from('id,date', 'utf16le'))).toEqual({
			encoding: 'utf-16le',
			bom: 0
		});
		expect(sniffEncoding(Uint8Array.of(0x61, 0xc7, 0xe1, 0xd1))).toEqual({
			encoding: 'windows-1256',
			bom: 0
		});
		const r = await decodeText(bytes(Uint8Array.of(0xc7, 0xe1, 0xe3, 0xe6, 0xd5, 0xe1)));
		expect(r.encoding).toBe('windows-1256');
		expect(await all(r.text)).toBe('الموصل');
		// A multi-byte UTF-8 character split across chunks survives.
		const u = await decodeText(bytes(new TextEncoder().encode('\uFEFFالموصل')));
		expect(await all(u.text)).toBe('الموصل');
	});

	it('refuses bytes that are not valid in the encoding asked for', async () => {
		const r = await decodeText(bytes(Uint8Array.of(0x61, 0xc7, 0xe1)), 'utf-8');
		await expect(all(r.text)).rejects.toThrow(/not valid utf-8/);
	});
});
