/**
 * A basemap sent over HTTP (the admin page, `POST /api/v1/basemaps`): the body is the file itself
 * (application/octet-stream, no multipart framing), streamed to a temporary file in the basemap
 * folder, then checked and added as `terrain basemap add` does. Files of several hundred MB are
 * better added with the CLI on the server: adapter-node refuses bodies over BODY_SIZE_LIMIT.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { addBasemap, basemapDir, BasemapError, type BasemapInfo } from './index.ts';

export async function addUploadedBasemap(
	body: ReadableStream<Uint8Array> | null,
	name: string | undefined,
	dir = basemapDir()
): Promise<BasemapInfo> {
	if (!body) throw new BasemapError('file: the request has no body (send the file itself)');
	if (name !== undefined && !name.trim()) throw new BasemapError('name: empty');
	await mkdir(dir, { recursive: true });
	// A dot name: listBasemaps reads *.json only, and tiles are looked up by id, never this file.
	const tmp = join(dir, `.upload-${randomBytes(6).toString('hex')}.part`);
	try {
		try {
			await pipeline(
				Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>),
				createWriteStream(tmp)
			);
		} catch (e) {
			throw new BasemapError(
				`file: the upload did not arrive whole (${(e as Error).message}); for large files use \`terrain basemap add\` on the server, or raise BODY_SIZE_LIMIT`
			);
		}
		return await addBasemap(tmp, name?.trim() || 'basemap', dir).catch((e: unknown) => {
			// addBasemap names the file it read: here that is our temporary name, not the user's.
			if (e instanceof BasemapError)
				throw new BasemapError(`file: ${e.message.replace(basename(tmp), 'the file')}`);
			throw e;
		});
	} finally {
		await rm(tmp, { force: true });
	}
}
