/**
 * A POST that reads one uploaded file (multipart field `file`) and answers what `read` finds in
 * it, saving nothing (the caller saves it afterwards with the rest of its form): a movement's
 * route, a no-go zone's polygon. Never cached: it echoes the caller's own file.
 */
import { json } from '@sveltejs/kit';
import { FilterError } from '../../domain/filters.ts';
import type { AppRole } from '../db/types.ts';
import { requireUser } from './respond.ts';
import { apiRoute } from './route.ts';

export const fileReadRoute = (
	roles: readonly AppRole[],
	read: (file: string, bytes: Uint8Array) => Promise<unknown>
) =>
	apiRoute(async ({ locals, request }: { locals: App.Locals; request: Request }) => {
		requireUser(locals, roles);
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			throw new FilterError('file', 'send the file as multipart/form-data in a field named file');
		}
		const file = form.get('file');
		if (!(file instanceof File))
			throw new FilterError('file', 'send the file in a field named file');
		const r = await read(file.name, new Uint8Array(await file.arrayBuffer()));
		return json(r, { headers: { 'cache-control': 'private, no-store' } });
	});
