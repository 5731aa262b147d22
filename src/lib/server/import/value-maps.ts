/**
 * The value-mapping step: a column's own words mapped to our codes. A tracker's "gunfire" or
 * "air strike" in its weapons column becomes an event type (and sub-type), as the user says —
 * in the page's value table, `values={"event_type": {…}}` in the API, `--value` in the CLI —
 * and the mapping is remembered per user for the next file with that column (SQL:
 * import_value_maps in 20261203110100_import_trial.sql).
 */
import { EVENT_TYPES, type EventType } from '../../domain/taxonomy.ts';
import { SUB_EVENT_TYPES } from '../../domain/incident-schema.ts';
import { ImportError } from './types.ts';

export type ValueMaps = { event_type?: Record<string, string> };

const key = (v: unknown) =>
	String(v ?? '')
		.trim()
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.slice(0, 200);

/** "battles" or "battles/Armed clash" (the sub-type may itself contain slashes). */
export function parseEventTarget(target: string): {
	event_type: EventType;
	sub_event_type?: string;
} {
	const i = target.indexOf('/');
	const type = (i < 0 ? target : target.slice(0, i)).trim() as EventType;
	const sub = i < 0 ? '' : target.slice(i + 1).trim();
	if (!EVENT_TYPES.includes(type))
		throw new ImportError(
			`the value mapping names "${type.slice(0, 60)}", which is not an event type (${EVENT_TYPES.join(', ')})`
		);
	if (!sub) return { event_type: type };
	const found = SUB_EVENT_TYPES[type].find((x) => x.toLowerCase() === sub.toLowerCase());
	if (!found)
		throw new ImportError(
			`the value mapping names "${sub.slice(0, 60)}", which is not a sub-type of ${type} (${SUB_EVENT_TYPES[type].join(', ')})`
		);
	return { event_type: type, sub_event_type: found };
}

export class ValueMapper {
	private readonly map = new Map<
		string,
		{ value: string; target: string; to: ReturnType<typeof parseEventTarget> }
	>();
	private readonly misses = new Map<string, { value: string; rows: number }>();

	constructor(values: Record<string, string>) {
		for (const [value, target] of Object.entries(values)) {
			if (!key(value) || !target) continue;
			this.map.set(key(value), { value, target, to: parseEventTarget(target) });
		}
	}

	/** The code a cell's value is mapped to, if the user mapped it. */
	lookup(raw: unknown): { event_type: EventType; sub_event_type?: string } | undefined {
		return this.map.get(key(raw))?.to;
	}

	/** A value no mapping and no known word covers (kept for the value table; at most 200). */
	unmatched(raw: unknown): void {
		const k = key(raw);
		if (!k) return;
		const m = this.misses.get(k);
		if (m) m.rows++;
		else if (this.misses.size < 200)
			this.misses.set(k, { value: String(raw).trim().slice(0, 80), rows: 1 });
	}

	unmatchedList(): { value: string; rows: number }[] {
		return [...this.misses.values()].sort((a, b) => b.rows - a.rows);
	}

	mapped(): Record<string, string> {
		return Object.fromEntries([...this.map.values()].map((m) => [m.value, m.target]));
	}
}
