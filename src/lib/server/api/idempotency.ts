/**
 * The Idempotency-Key of a creating request: the `Idempotency-Key` header (API clients, the
 * offline outbox) or the `idempotency_key` field of a form (the report form fills it in the
 * browser). The seam binds it to the caller and the call's arguments (see CallOptions).
 */
import { FilterError } from '../../domain/filters.ts';

const KEY = /^[\x21-\x7e]{1,200}$/;

export function idempotencyKey(request: Request, form?: FormData): string | undefined {
	const raw = request.headers.get('idempotency-key') ?? form?.get('idempotency_key');
	if (raw === null || raw === undefined || raw === '') return undefined;
	if (typeof raw !== 'string' || !KEY.test(raw))
		throw new FilterError('Idempotency-Key', 'must be 1 to 200 printable ASCII characters');
	return raw;
}
