/**
 * GET of one saved record that prints (a report, an assessment): ?format=json (the default)
 * answers the record as the caller may read it, ?format=pdf its print page as the caller's PDF
 * (pdfAnswer: the caller's own credential, so the same need-to-know as the JSON); 404 when the
 * caller may not read it.
 */
import { error, json } from '@sveltejs/kit';
import { requireUser } from '../api/respond.ts';
import { apiRoute } from '../api/route.ts';
import { oneOf, uuid } from '../api/params.ts';
import type { CallerUser } from '../db/types.ts';
import { pdfAnswer, type PdfCaller } from './index.ts';

export interface Printable<T> {
	/** The record as `user` may read it; null when there is none or it is not visible. */
	load: (user: CallerUser, id: string) => Promise<T | null>;
	/** What the 404 says. */
	missing: string;
	/** The print page (`/print/reports`) and the PDF's name (`report`): `<print>/<id>`, `<name>-<id>.pdf`. */
	print: string;
	name: string;
	/** Headers of the JSON answer. */
	headers?: Record<string, string>;
}

export const printableGet = <T>(o: Printable<T>) =>
	apiRoute(async (event: PdfCaller & { locals: App.Locals; params: { id: string } }) => {
		const user = requireUser(event.locals);
		const id = uuid('id', event.params.id);
		const format = oneOf(
			'format',
			event.url.searchParams.get('format'),
			['json', 'pdf'] as const,
			'json'
		);
		const r = await o.load(user, id);
		if (!r) error(404, { message: o.missing });
		if (format === 'json') return json(r, o.headers ? { headers: o.headers } : undefined);
		return pdfAnswer(event, `${o.print}/${id}`, `${o.name}-${id}.pdf`);
	});
