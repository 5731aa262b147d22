/**
 * The one incident schema, used by the report form in the browser, by the API routes and by the
 * import pipeline on the server. The SQL functions check the same rules again (incident_check in
 * supabase/migrations/20261122001000_incident_workflow.sql) as the last word for any caller.
 *
 * Error messages are i18n keys (`incident.error.*`), so the form can show them in the user's
 * language next to the field, and the API and CLI translate them to English.
 */
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from './taxonomy.ts';
import { ISO_DATE, PCODE } from './codes.ts';
import { checkLonLat, parseCoordinates, type LonLat } from './coordinates.ts';

/** ACLED's sub-event types per event type (ACLED codebook). */
export const SUB_EVENT_TYPES: Record<EventType, readonly string[]> = {
	battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
	explosions_remote_violence: [
		'Chemical weapon',
		'Air/drone strike',
		'Suicide bomb',
		'Shelling/artillery/missile attack',
		'Remote explosive/landmine/IED',
		'Grenade'
	],
	violence_against_civilians: ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
	protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
	riots: ['Violent demonstration', 'Mob violence'],
	strategic_developments: [
		'Agreement',
		'Arrests',
		'Change to group/activity',
		'Disrupted weapons use',
		'Headquarters or base established',
		'Looting/property destruction',
		'Non-violent transfer of territory',
		'Other'
	]
};

export const TIME_PRECISIONS = ['exact', 'day', 'week', 'month', 'year'] as const;
export const CONFIDENTIALITY = ['public', 'internal', 'restricted'] as const;
export const OPS_IMPACT = ['none', 'low', 'medium', 'high', 'critical'] as const;
/** Admiralty grading: reliability of the source (A–F) and credibility of the information (1–6). */
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const INFO_CREDIBILITY = [1, 2, 3, 4, 5, 6] as const;
export const INCIDENT_STATUSES = ['reported', 'verified', 'rejected', 'archived'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The workflow's allowed moves (the SQL function incident_transition enforces the same). */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
	reported: ['verified', 'rejected'],
	verified: ['archived'],
	rejected: ['archived'],
	archived: []
};

/** Today as YYYY-MM-DD in UTC, plus one day of slack for time zones east of UTC. */
function latestDate(): string {
	return new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
}

export const isoDate = z
	.string({ error: 'incident.error.date_required' })
	.trim()
	.regex(ISO_DATE, 'incident.error.date_format')
	.refine((s) => {
		const d = new Date(`${s}T00:00:00Z`);
		return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
	}, 'incident.error.date_invalid')
	.refine((s) => s >= '1900-01-01', 'incident.error.date_too_old')
	.refine((s) => s <= latestDate(), 'incident.error.date_future');

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'incident.error.too_long')
		.nullish()
		.transform((v) => (v ? v : null));

const count = z
	.union([z.number(), z.string().trim()])
	.nullish()
	.transform((v, ctx) => {
		if (v === null || v === undefined || v === '') return null;
		const n = typeof v === 'number' ? v : Number(v);
		if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
			ctx.addIssue({ code: 'custom', message: 'incident.error.count' });
			return z.NEVER;
		}
		return n;
	});

const bool = z
	.union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false'), z.literal('')])
	.nullish()
	.transform((v) => v === true || v === 'on' || v === 'true');

const actorRef = z
	.object({ id: z.string().uuid('incident.error.actor').nullish(), name: optionalText(200) })
	.nullish();

/**
 * The report form / API body. The location is either lon+lat (a map click, an import) or
 * `coordinates` as typed (decimal, DMS or MGRS), or an admin area's P-code (area precision).
 */
export const incidentInputSchema = z
	.object({
		event_date: isoDate,
		event_time: z
			.string()
			.trim()
			.regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'incident.error.time_format')
			.nullish()
			.or(z.literal('').transform(() => null)),
		time_precision: z.enum(TIME_PRECISIONS, { error: 'incident.error.choice' }).default('day'),
		event_type: z.enum(EVENT_TYPES, { error: 'incident.error.event_type' }),
		sub_event_type: optionalText(100),
		actor1: actorRef,
		actor2: actorRef,
		coordinates: z.string().trim().max(100).nullish(),
		lon: z.union([z.number(), z.string().trim()]).nullish(),
		lat: z.union([z.number(), z.string().trim()]).nullish(),
		admin_pcode: z
			.string()
			.trim()
			.regex(PCODE, 'incident.error.pcode')
			.nullish()
			.or(z.literal('').transform(() => null)),
		geo_precision: z.coerce.number().int().min(1).max(3).nullish(),
		location_name: optionalText(200),
		fatalities: count,
		injuries: count,
		abductions: count,
		affects_us: bool,
		affects_ngos: bool,
		serious: bool,
		// Shown coarsely to viewers and to field staff outside its area (location fuzzing). Unlike
		// the other flags, "not sent" is kept apart from false: the database then decides (on when
		// the incident affects our organisation).
		sensitive_location: z
			.union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('false')])
			.optional()
			.transform((v) => (v === undefined ? undefined : v === true || v === 'on' || v === 'true')),
		ops_impact: z
			.enum(OPS_IMPACT, { error: 'incident.error.choice' })
			.nullish()
			.or(z.literal('').transform(() => null)),
		source: optionalText(500),
		source_scale: optionalText(100),
		source_reliability: z
			.enum(SOURCE_RELIABILITY, { error: 'incident.error.choice' })
			.nullish()
			.or(z.literal('').transform(() => null)),
		info_credibility: z.coerce
			.number()
			.int()
			.min(1, 'incident.error.choice')
			.max(6, 'incident.error.choice')
			.nullish()
			.or(z.literal('').transform(() => null)),
		confidentiality: z
			.enum(CONFIDENTIALITY, { error: 'incident.error.choice' })
			.default('internal'),
		notes: z.string().max(20_000, 'incident.error.too_long').default(''),
		status: z.enum(['reported', 'verified'], { error: 'incident.error.choice' }).nullish()
	})
	.superRefine((v, ctx) => {
		if (v.sub_event_type && !SUB_EVENT_TYPES[v.event_type].includes(v.sub_event_type)) {
			ctx.addIssue({
				code: 'custom',
				path: ['sub_event_type'],
				message: 'incident.error.sub_event_type'
			});
		}
		if (v.event_time && v.time_precision !== 'exact' && v.time_precision !== 'day') {
			ctx.addIssue({
				code: 'custom',
				path: ['event_time'],
				message: 'incident.error.time_with_precision'
			});
		}
	})
	.transform((v, ctx) => {
		let point: LonLat | null = null;
		const hasLonLat =
			v.lon !== null &&
			v.lon !== undefined &&
			v.lon !== '' &&
			v.lat !== null &&
			v.lat !== undefined &&
			v.lat !== '';
		if (hasLonLat) {
			const lon = Number(v.lon);
			const lat = Number(v.lat);
			const c = checkLonLat(lon, lat);
			if (!c.ok) {
				ctx.addIssue({ code: 'custom', path: ['coordinates'], message: c.error });
				return z.NEVER;
			}
			point = { lon, lat };
		} else if (v.coordinates) {
			const c = parseCoordinates(v.coordinates);
			if (!c.ok) {
				ctx.addIssue({ code: 'custom', path: ['coordinates'], message: c.error });
				return z.NEVER;
			}
			point = c.value;
		} else if (!v.admin_pcode) {
			ctx.addIssue({
				code: 'custom',
				path: ['coordinates'],
				message: 'incident.error.coordinates_required'
			});
			return z.NEVER;
		}
		return { ...v, point };
	});

export type IncidentInput = z.input<typeof incidentInputSchema>;
export type IncidentParsed = z.output<typeof incidentInputSchema>;

/** The JSON that incident_create / incident_update take (see the SQL). */
export function toSqlPayload(v: IncidentParsed): Record<string, unknown> {
	const p: Record<string, unknown> = {
		event_date: v.event_date,
		event_time: v.event_time ?? null,
		time_precision: v.event_time && v.time_precision === 'day' ? 'exact' : v.time_precision,
		event_type: v.event_type,
		sub_event_type: v.sub_event_type,
		location_name: v.location_name,
		// Left empty: not known (NULL), never 0.
		fatalities: v.fatalities ?? null,
		injuries: v.injuries,
		abductions: v.abductions,
		affects_us: v.affects_us,
		affects_ngos: v.affects_ngos,
		serious: v.serious,
		ops_impact: v.ops_impact ?? null,
		source: v.source,
		source_scale: v.source_scale,
		source_reliability: v.source_reliability ?? null,
		info_credibility: v.info_credibility ?? null,
		confidentiality: v.confidentiality,
		notes: v.notes
	};
	if (v.point) {
		p.lon = v.point.lon;
		p.lat = v.point.lat;
		p.geo_precision = v.geo_precision ?? 1;
	} else if (v.admin_pcode) {
		p.admin_pcode = v.admin_pcode;
	}
	if (v.actor1?.id) p.actor1_id = v.actor1.id;
	else if (v.actor1?.name) p.actor1 = v.actor1.name;
	if (v.actor2?.id) p.actor2_id = v.actor2.id;
	else if (v.actor2?.name) p.actor2 = v.actor2.name;
	if (v.status) p.status = v.status;
	return p;
}

/** Field → first error key, for showing errors next to each field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? String(issue.path[0]) : 'form';
		out[key] ??= issue.message;
	}
	return out;
}

/** A SQL error message "field: reason" → {field, reason}; the SQL validation names fields so. */
export function sqlFieldError(message: string): { field: string; reason: string } | null {
	const m = /^([a-z_0-9]+): (.+)$/.exec(message);
	return m ? { field: m[1], reason: m[2] } : null;
}
