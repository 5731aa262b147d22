/**
 * The import endpoints' work, shared by /api/v1/imports (scripts) and the import page:
 * the request body (the file itself, any content type, or multipart with a `file` field) is
 * spooled to a temporary file within the size limit, then the pipeline runs on it.
 *
 * Query: into (target), format, source, encoding, dates (dmy|mdy), status, dry_run, valid_only, merge_duplicates (actors),
 * duplicates, filename, map (JSON object FIELD → COLUMN, or repeated FIELD=COLUMN), preview (rows),
 * values (JSON {"event_type": {"value in the file": "event_type[/sub-event type]"}}).
 * With `progress=1` the answer is NDJSON: {"progress": …} lines while it works, then
 * {"summary": …} — what the import page's progress bar reads.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { FilterError } from '../../domain/filters.ts';
import type { Adapter, CallerUser } from '../db/types.ts';
import { TEXT_ENCODINGS, type TextEncoding } from './decode.ts';
import { runImport, type ImportOptions, type ImportSummary } from './pipeline.ts';
import { parseEventTarget, type ValueMaps } from './value-maps.ts';
import {
	IMPORT_FORMATS,
	IMPORT_TARGETS,
	ImportError,
	importLimits,
	megabytes,
	type ImportFormat,
	type ImportTarget
} from './types.ts';

const TARGET_ALIASES: Record<string, ImportTarget> = {
	'health-facilities': 'health_facilities',
	'idp-camps': 'idp_camps',
	sites: 'org_sites',
	'org-sites': 'org_sites',
	'displacement-locations': 'displacement_locations'
};

function flag(v: string | null): boolean {
	return v === '1' || v === 'true' || v === 'yes' || v === 'on';
}

/** The import options a query string asks for (FilterError names a wrong parameter). */
export function importParams(q: URLSearchParams): Omit<ImportOptions, 'db' | 'as' | 'file'> {
	const rawTarget = q.get('into') ?? '';
	const target = (TARGET_ALIASES[rawTarget] ?? rawTarget) as ImportTarget;
	if (!IMPORT_TARGETS.includes(target))
		throw new FilterError(
			'into',
			`use one of incidents, health-facilities, idp-camps, checkpoints, sites, actors, displacement-locations`
		);
	const format = (q.get('format') || undefined) as ImportFormat | undefined;
	if (format && !IMPORT_FORMATS.includes(format))
		throw new FilterError('format', `use one of ${IMPORT_FORMATS.join(', ')}`);
	const encoding = (q.get('encoding') || undefined)?.toLowerCase() as TextEncoding | undefined;
	if (encoding && !TEXT_ENCODINGS.includes(encoding))
		throw new FilterError('encoding', `use one of ${TEXT_ENCODINGS.join(', ')}`);
	const dates = q.get('dates');
	if (dates && dates !== 'dmy' && dates !== 'mdy') throw new FilterError('dates', 'dmy or mdy');
	const status = q.get('status');
	if (status && status !== 'reported' && status !== 'verified')
		throw new FilterError('status', 'reported or verified');
	const source = q.get('source') || undefined;
	if (source && !/^[a-z0-9][a-z0-9._:-]{0,79}$/.test(source))
		throw new FilterError('source', 'a short lower-case name such as partner-camps-2024');
	const map: Record<string, string | null> = {};
	for (const raw of q.getAll('map')) {
		if (raw.trim().startsWith('{')) {
			try {
				Object.assign(map, JSON.parse(raw));
			} catch {
				throw new FilterError('map', 'expected a JSON object {"field": "column"} or field=column');
			}
		} else {
			const i = raw.indexOf('=');
			if (i <= 0) throw new FilterError('map', 'expected field=column');
			map[raw.slice(0, i)] = raw.slice(i + 1) || null;
		}
	}
	const values: ValueMaps = {};
	const rawValues = q.get('values');
	if (rawValues) {
		try {
			const v = JSON.parse(rawValues) as unknown;
			if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
			for (const [field, m] of Object.entries(v as Record<string, unknown>)) {
				if (field !== 'event_type' || !m || typeof m !== 'object' || Array.isArray(m))
					throw new Error();
				values.event_type = {};
				for (const [k, t] of Object.entries(m as Record<string, unknown>)) {
					if (typeof t !== 'string') throw new Error();
					parseEventTarget(t);
					values.event_type[k] = t;
				}
			}
		} catch (e) {
			throw new FilterError(
				'values',
				e instanceof ImportError
					? e.message
					: 'expected {"event_type": {"value in the file": "event_type[/sub-event type]"}}'
			);
		}
	}
	const preview = q.get('preview');
	return {
		target,
		format,
		encoding,
		dateOrder: (dates as 'dmy' | 'mdy' | null) ?? undefined,
		status: (status as 'reported' | 'verified' | null) ?? undefined,
		source,
		map,
		values,
		fileName: q.get('filename') || undefined,
		dryRun: flag(q.get('dry_run')),
		validOnly: flag(q.get('valid_only')),
		mergeDuplicates: flag(q.get('merge_duplicates')),
		checkDuplicates: q.has('duplicates') ? flag(q.get('duplicates')) : flag(q.get('dry_run')),
		preview: preview ? Math.min(50, Math.max(0, Number(preview) || 0)) : undefined
	};
}

/** Writes a request body to a temporary file, refusing more than the limit. */
export async function spool(
	request: Request,
	dir: string
): Promise<{ path: string; name: string | null }> {
	const limit = importLimits().maxBytes;
	const type = request.headers.get('content-type') ?? '';
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > limit)
		throw new ImportError(
			`the file is larger than the limit of ${megabytes(limit)} (TERRAIN_IMPORT_MAX_MB)`
		);
	const path = join(dir, 'upload');
	if (type.startsWith('multipart/form-data')) {
		const form = await request.formData();
		const f = form.get('file');
		if (!f || typeof f === 'string')
			throw new FilterError('file', 'send the file in a multipart field named "file"');
		if (f.size > limit)
			throw new ImportError(
				`the file is larger than the limit of ${megabytes(limit)} (TERRAIN_IMPORT_MAX_MB)`
			);
		const out = createWriteStream(path);
		for await (const c of f.stream() as unknown as AsyncIterable<Uint8Array>)
			if (!out.write(c)) await once(out, 'drain');
		out.end();
		await once(out, 'finish');
		return { path, name: f.name || null };
	}
	if (!request.body) throw new FilterError('body', 'send the file as the request body');
	const out = createWriteStream(path);
	let total = 0;
	try {
		for await (const c of request.body as unknown as AsyncIterable<Uint8Array>) {
			total += c.length;
			if (total > limit)
				throw new ImportError(
					`the file is larger than the limit of ${megabytes(limit)} (TERRAIN_IMPORT_MAX_MB)`
				);
			if (!out.write(c)) await once(out, 'drain');
		}
	} catch (e) {
		// adapter-node refuses bodies over BODY_SIZE_LIMIT (512 KB unless configured) as it reads them.
		if ((e as { status?: number }).status === 413) {
			throw new ImportError(
				`the upload is larger than the server accepts (${(e as Error).message}); start Terrain with BODY_SIZE_LIMIT set at least to the file's size, e.g. BODY_SIZE_LIMIT=512M`
			);
		}
		throw e;
	} finally {
		out.end();
		await once(out, 'finish');
	}
	return { path, name: null };
}

/**
 * Runs an upload through the pipeline. The temporary file is removed whatever happens. A file
 * problem answers 422 with the summary (its `fatal` says what); bad parameters 400.
 */
export async function importRequest(
	db: Adapter,
	user: CallerUser,
	request: Request,
	url: URL
): Promise<Response> {
	if (user.role !== 'admin' && user.role !== 'analyst') {
		return Response.json({ message: 'only analysts and admins can import' }, { status: 403 });
	}
	const params = importParams(url.searchParams);
	const dir = await mkdtemp(join(tmpdir(), 'terrain-upload-'));
	const cleanup = () => rm(dir, { recursive: true, force: true });
	const status = (s: ImportSummary) =>
		s.fatal ? (s.fatal.code === 'bad_input' ? 400 : 422) : s.dry_run || s.committed ? 200 : 422;
	let file: { path: string; name: string | null };
	try {
		file = await spool(request, dir);
	} catch (e) {
		await cleanup();
		if (e instanceof ImportError) return Response.json({ message: e.message }, { status: 413 });
		throw e;
	}
	const opts: ImportOptions = {
		...params,
		db,
		as: user,
		file: file.path,
		fileName: params.fileName ?? file.name ?? 'upload'
	};

	if (!flag(url.searchParams.get('progress'))) {
		try {
			const s = await runImport(opts);
			return Response.json(s, { status: status(s) });
		} finally {
			await cleanup();
		}
	}
	const enc = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (o: unknown) => controller.enqueue(enc.encode(JSON.stringify(o) + '\n'));
			let last = 0;
			try {
				const s = await runImport({
					...opts,
					onProgress: (p) => {
						const now = Date.now();
						if (p.phase !== 'reading' || now - last > 250) {
							last = now;
							send({ progress: p });
						}
					}
				});
				send({ summary: s });
			} catch (e) {
				send({ error: (e as Error).message, code: (e as { code?: string }).code });
			} finally {
				await cleanup();
				controller.close();
			}
		}
	});
	return new Response(body, {
		headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' }
	});
}
