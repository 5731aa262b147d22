/**
 * The incident form's fields as the form holds them (strings and checkboxes), and the check the
 * browser runs before sending: the same schema as the server, so errors show next to the fields
 * before anything is sent.
 */
import { fieldErrors, incidentInputSchema } from '$lib/domain/incident-schema';
import { parseCoordinates } from '$lib/domain/coordinates';

export const TEXT_FIELDS = [
	'event_date',
	'event_time',
	'time_precision',
	'event_type',
	'sub_event_type',
	'coordinates',
	'admin_pcode',
	'location_name',
	'actor1',
	'actor2',
	'fatalities',
	'injuries',
	'abductions',
	'ops_impact',
	'source',
	'source_reliability',
	'info_credibility',
	'confidentiality',
	'status',
	'notes'
] as const;
export const CHECKS = ['affects_us', 'affects_ngos', 'serious'] as const;

/** What a new report starts with; today's date is read when the form is filled. */
const defaults = (): Record<string, string> => ({
	event_date: new Date().toISOString().slice(0, 10),
	time_precision: 'day',
	confidentiality: 'internal',
	status: 'reported'
});

/** The text fields from the values sent to the form (an incident, or a refused post). */
export function fromValues(v: Record<string, string>): Record<string, string> {
	const d = defaults();
	return Object.fromEntries(TEXT_FIELDS.map((k) => [k, v[k] ?? d[k] ?? '']));
}

export function checksFrom(v: Record<string, string>): Record<string, boolean> {
	return Object.fromEntries(CHECKS.map((k) => [k, v[k] === 'on']));
}

/** Field → error key for a form the schema refuses, or null when it may be sent. */
export function browserErrors(formData: FormData): Record<string, string> | null {
	const input: Record<string, unknown> = Object.fromEntries(formData.entries());
	for (const k of CHECKS) input[k] = formData.get(k) === 'on';
	input.actor1 = formData.get('actor1') ? { name: formData.get('actor1') } : null;
	input.actor2 = formData.get('actor2') ? { name: formData.get('actor2') } : null;
	for (const k of Object.keys(input))
		if (input[k] === '' && !['notes', 'coordinates'].includes(k)) input[k] = undefined;
	const r = incidentInputSchema.safeParse(input);
	if (r.success) return null;
	const errors = fieldErrors(r.error);
	// zod stops before the location check when other fields fail; show it too.
	const typed = String(formData.get('coordinates') ?? '').trim();
	if (!errors.coordinates && !formData.get('admin_pcode')) {
		const c = typed ? parseCoordinates(typed) : null;
		if (!c) errors.coordinates = 'incident.error.coordinates_required';
		else if (!c.ok) errors.coordinates = c.error;
	}
	return errors;
}
