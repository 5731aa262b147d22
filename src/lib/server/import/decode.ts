/**
 * Bytes → text, streaming, in the encodings field teams' files come in: UTF-8 with or without a
 * BOM, UTF-16 (what Excel writes as "Unicode text"), Windows-1256 (Arabic Excel on Windows) and
 * Windows-1252 / Latin-1 (Excel on a European Windows). A file that is not UTF-8 or UTF-16 is
 * told apart by a real detector (chardet's statistical models), not a guess between two.
 * Node's TextDecoder (full ICU) decodes all of them; nothing is read whole.
 */
import chardet from 'chardet';
import { ImportError, megabytes } from './types.ts';

export type TextEncoding =
	'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1256' | 'windows-1252' | 'iso-8859-1';
export const TEXT_ENCODINGS: readonly TextEncoding[] = [
	'utf-8',
	'utf-16le',
	'utf-16be',
	'windows-1256',
	'windows-1252',
	'iso-8859-1'
];

/**
 * A single-byte file: Arabic Windows-1256 or Western Windows-1252. chardet ranks the candidates;
 * on short files mixing an ASCII header with Arabic it can rank Latin-1 first, so an Arabic
 * candidate also wins when the text's high bytes come in runs (Arabic words are all high bytes;
 * "Señor" has one high byte among ASCII letters).
 */
export function detectSingleByte(head: Uint8Array): TextEncoding {
	const ranked = chardet.analyse(head);
	const arabic = ranked.find((r) => r.lang === 'ar' || /1256|8859-6/i.test(r.name));
	const first = ranked[0];
	if (first && (first.lang === 'ar' || /1256|8859-6/i.test(first.name))) return 'windows-1256';
	let runs = 0;
	let high = 0;
	let run = 0;
	for (const b of head) {
		if (b >= 0x80) {
			high++;
			run++;
		} else {
			if (run >= 3) runs += run;
			run = 0;
		}
	}
	if (run >= 3) runs += run;
	if (arabic && high > 0 && runs / high >= 0.5) return 'windows-1256';
	// Too little text for the models (a short cell): Western text never has its accented letters
	// three in a row, Arabic words are nothing else.
	if (high >= 3 && runs / high >= 0.8) return 'windows-1256';
	return 'windows-1252';
}

/** The encoding of a file from its first bytes: BOM, then NUL patterns, then UTF-8 validity. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncoding; bom: number } {
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
		return { encoding: 'utf-8', bom: 3 };
	if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
	if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
	// UTF-16 without a BOM: ASCII text then has a NUL in every other byte.
	const n = Math.min(head.length, 4096) & ~1;
	if (n >= 4) {
		let evenNul = 0;
		let oddNul = 0;
		for (let i = 0; i < n; i += 2) {
			if (head[i] === 0) evenNul++;
			if (head[i + 1] === 0) oddNul++;
		}
		if (oddNul > n / 8 && evenNul === 0) return { encoding: 'utf-16le', bom: 0 };
		if (evenNul > n / 8 && oddNul === 0) return { encoding: 'utf-16be', bom: 0 };
	}
	try {
		// stream: true tolerates a multi-byte character cut at the end of the sample.
		new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
		return { encoding: 'utf-8', bom: 0 };
	} catch {
		return { encoding: detectSingleByte(head), bom: 0 };
	}
}

/** Reads up to `size` bytes from the front of a byte stream without losing them. */
export async function peek(
	source: AsyncIterable<Uint8Array>,
	size: number
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
	const it = source[Symbol.asyncIterator]();
	const chunks: Uint8Array[] = [];
	let got = 0;
	let done = false;
	while (got < size) {
		const r = await it.next();
		if (r.done) {
			done = true;
			break;
		}
		chunks.push(r.value);
		got += r.value.length;
	}
	const head = Buffer.concat(chunks);
	async function* rest(): AsyncIterable<Uint8Array> {
		if (head.length) yield head;
		if (done) return;
		for (;;) {
			const r = await it.next();
			if (r.done) return;
			yield r.value;
		}
	}
	return { head: head.subarray(0, size), stream: rest() };
}

/** Stops a byte stream that goes past a limit, with a message naming the limit. */
export async function* limitBytes(
	source: AsyncIterable<Uint8Array>,
	max: number,
	what = 'the file'
): AsyncIterable<Uint8Array> {
	let total = 0;
	for await (const chunk of source) {
		total += chunk.length;
		if (total > max)
			throw new ImportError(
				`${what} is larger than the limit of ${megabytes(max)} (TERRAIN_IMPORT_MAX_MB)`
			);
		yield chunk;
	}
}

/**
 * Decodes a byte stream to text. Invalid bytes are an error naming the byte offset (with the
 * encoding to try), never silently replaced: a mangled name would be imported as truth.
 */
export async function decodeText(
	source: AsyncIterable<Uint8Array>,
	encoding?: TextEncoding
): Promise<{ encoding: TextEncoding; text: AsyncIterable<string> }> {
	const { head, stream } = await peek(source, 64 * 1024);
	const sniffed = sniffEncoding(head);
	const enc = encoding ?? sniffed.encoding;
	const skip = encoding && encoding !== sniffed.encoding ? 0 : sniffed.bom;
	const decoder = new TextDecoder(enc, { fatal: true, ignoreBOM: true });
	async function* text(): AsyncIterable<string> {
		let offset = 0;
		let first = true;
		for await (let chunk of stream) {
			if (first && skip) chunk = chunk.subarray(skip);
			first = false;
			try {
				const s = decoder.decode(chunk, { stream: true });
				if (s) yield s;
			} catch {
				throw new ImportError(
					`the text is not valid ${enc} (near byte ${offset}); save the file as UTF-8, or choose the file's encoding (for example windows-1256 for Arabic Windows files, windows-1252 for Western ones)`
				);
			}
			offset += chunk.length;
		}
		try {
			const tail = decoder.decode();
			if (tail) yield tail;
		} catch {
			throw new ImportError(`the text is not valid ${enc}: it ends in the middle of a character`);
		}
	}
	return { encoding: enc, text: text() };
}
