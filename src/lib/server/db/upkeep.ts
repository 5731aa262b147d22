/**
 * Autovacuum for the embedded engine. PostgreSQL's autovacuum keeps each table's planner
 * statistics (ANALYZE) and visibility map (VACUUM, which index-only scans need) current. PGlite
 * runs PostgreSQL in single-user mode, where no autovacuum worker exists: its tables were never
 * analysed, so after the demo data (or an import) the planner guessed sizes and chose, for
 * example, a proximity plan 2–4× slower than with statistics (README, "The embedded engine's
 * upkeep").
 *
 * Upkeep does autovacuum's job with autovacuum's own default thresholds, one table at a time, only
 * while the engine has nothing else to do: a user's call arriving meanwhile waits for one table's
 * VACUUM or ANALYZE at most, never for a sweep of the whole database.
 */

/** Autovacuum's defaults (postgresql.conf): a table is due when these many rows changed. */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;
const INSERT_BASE = 1000;
const INSERT_SCALE = 0.2;

/** A table is due when more rows changed than this (a base plus a share of its rows). */
const over = (base: number, scale: number) => `${base} + ${scale} * greatest(c.reltuples, 0)`;

/**
 * The tables due, most changed first, with whether they need a VACUUM or only an ANALYZE.
 * `reltuples` is -1 for a table never vacuumed or analysed, counted as 0 (as autovacuum does).
 * The change counters live in the cumulative statistics, which a restart may reset; a table with
 * rows and no statistics at all (pg_class still says 0 pages) is due whatever they say, so a
 * database seeded and then restarted before its first upkeep still gets it. Temporary tables are
 * a session's own.
 */
export const DUE_TABLES_SQL = `
select format('%I.%I', s.schemaname, s.relname) as name,
       (s.n_dead_tup > ${over(VACUUM_BASE, VACUUM_SCALE)}
        or s.n_ins_since_vacuum > ${over(INSERT_BASE, INSERT_SCALE)}) as vacuum
from pg_stat_user_tables s
join pg_class c on c.oid = s.relid
where s.schemaname not like 'pg\\_temp%'
  and (s.n_mod_since_analyze > ${over(ANALYZE_BASE, ANALYZE_SCALE)}
       or s.n_dead_tup > ${over(VACUUM_BASE, VACUUM_SCALE)}
       or s.n_ins_since_vacuum > ${over(INSERT_BASE, INSERT_SCALE)}
       or (c.relpages = 0 and pg_relation_size(c.oid) > 0
           and not exists (select 1 from pg_statistic st where st.starelid = c.oid)))
order by s.n_mod_since_analyze + s.n_dead_tup + s.n_ins_since_vacuum desc`;

export interface DueTable {
	name: string;
	vacuum: boolean;
}

/**
 * The sample ANALYZE reads, as default_statistics_target (PostgreSQL's default is 100: 30,000
 * rows). Half of it more than halves the time a user's call may wait behind the incidents'
 * ANALYZE (1.1–1.4 → 0.44–0.46 s at 50,000 incidents, measured on PostgreSQL), and still keeps 50
 * most common values and histogram buckets per column: more than the event types, statuses and
 * governorates the filters name.
 */
export const STATISTICS_TARGET = 50;

export function upkeepStatement(t: DueTable): string {
	// VACUUM (ANALYZE) does both in one pass over the table; a table due only for new statistics
	// gets the cheaper ANALYZE, which reads a sample.
	return t.vacuum ? `vacuum (analyze) ${t.name}` : `analyze ${t.name}`;
}

export interface UpkeepHost {
	/** A call is waiting its turn: upkeep starts no further table until there is none. */
	busy(): boolean;
	/** Runs owner SQL through the engine's queue (so a user's call never overlaps it). */
	queryOwner<T>(sql: string): Promise<T[]>;
	execOwner(sql: string): Promise<void>;
}

/** How long the engine must have been idle before upkeep starts (ms). */
export const IDLE_MS = 2000;

export class Upkeep {
	private timer: ReturnType<typeof setTimeout> | null = null;
	running = false;
	private stopped = false;
	/** The tables upkept lately, oldest first (tests); the last 100, so a long-running server
	 * does not keep a name per sweep forever. */
	done: string[] = [];

	constructor(
		private readonly host: UpkeepHost,
		private readonly log: (s: string) => void = () => {},
		private readonly idleMs = IDLE_MS
	) {}

	/** Every call the engine finishes re-arms the idle timer. */
	touch(): void {
		if (this.stopped || this.running) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.sweep(), this.idleMs);
		this.timer.unref(); // never what keeps a process alive
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
	}

	/** The tables due, one at a time while no call is waiting; a user's call ends the sweep. */
	async sweep(): Promise<void> {
		this.timer = null;
		if (this.stopped || this.running) return;
		this.running = true;
		try {
			const due = await this.host.queryOwner<DueTable>(DUE_TABLES_SQL);
			for (const t of due) {
				if (this.stopped || this.host.busy()) break;
				await this.one(t);
			}
		} catch (e) {
			// A statement cut off by the engine's closing is no news.
			if (!this.stopped) this.log(`database upkeep stopped: ${(e as Error).message}`);
		} finally {
			this.running = false;
		}
		// A sweep cut short by a user's call goes on once the engine is idle again (touch()).
	}

	private async one(due: DueTable): Promise<void> {
		const t = performance.now();
		// A session setting (VACUUM cannot share a statement string with it), put back at once.
		await this.host.execOwner(`set default_statistics_target = ${STATISTICS_TARGET}`);
		const statement = upkeepStatement(due);
		try {
			await this.host.execOwner(statement);
		} finally {
			await this.host.execOwner('reset default_statistics_target');
		}
		this.done = [...this.done.slice(-99), due.name];
		const ms = Math.round(performance.now() - t);
		if (ms > 1000) this.log(`database upkeep: ${statement} took ${ms} ms`);
	}
}
