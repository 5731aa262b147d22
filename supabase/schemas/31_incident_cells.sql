set check_function_bodies = off;

-- The cell rollup behind the aggregated incident tiles (issue 16:
-- 20261211200000_incident_cell_rollup, 20261217100000_incident_cells_z10,
-- 20261219200000_incident_cells_z12).
--
-- An aggregated tile (z ≤ 8: 64 × 64 cells of 64 px; z9–z12 beyond 8,000 incidents: 128 × 128
-- cells of 32 px; see incident_tile_rows) used to read every incident of the tile — 2 s for the
-- Baghdad z6 tile at 200k incidents, 964 ms p95 for the z10 tiles at 807k. So the incidents are
-- summed per cell of three grids (level): the z8 grid of 64 px cells (2^14 a side), of which every
-- cell at zoom ≤ 8 is a union (a z6 cell is 4 × 4 of them), and the z10 grid of 32 px cells (2^17
-- a side), of which every z9 and z10 cell is one, and the z12 grid of 32 px cells (2^19 a side)
-- for z11 and z12 (20261219200000: a dense z12 tile took 1.0 s p50, 3.2 s p95 at 3M incidents).
-- A tile sums the rollup's cells instead of reading incidents. The z10 and z12 grids are kept
-- for all time only (the map's default, no dates): per month or year a z10 cell hardly summarises (807k incidents gave 760k z10 cell-months, 581k
-- cell-years), and a dated one-year z10 tile read from them took 151 ms against the scan's 92.
-- Dated z9–z12 tiles still scan.
--
-- Kept per level × cell × period × event type × governorate × district × status ×
-- confidentiality × which point it is (point_kind, below), by statement-level triggers with
-- transition tables, as incident_rollup is: one grouped upsert per statement, so edits, merges
-- and imports keep it current in their own transaction. Besides the count and the fatalities it
-- keeps how many fatalities are known (a cell whose fatalities are all unknown has none, as the
-- scan says) and the sum of the incidents' pixel coordinates at the level's zoom (z8: 1/2^20 of
-- the world, z10: 1/2^22, z12: 1/2^24), from which a tile places each cell's feature at its
-- incidents' mean position.
--
-- Periods (z8 grid): each incident is counted in its month, its year and in 'all' (day null),
-- so a tile sums 'all' when the filter has no dates, else the whole years inside from–to and the
-- whole months around them, and reads the incidents of the days at the edges (less than two
-- months, by the date index): each incident of the range exactly once. There are no 'day' rows:
-- nearly one per incident (200k synthetic incidents over 30 years gave 194k cell-days), they
-- were the largest part of the rollup's upkeep on import and saved only the edge days' reading.
--
-- What a reader may see, by the table's own policies, as incident_rollup: analysts and admins
-- every row; viewers (and field staff) only verified unrestricted incidents — a viewer's
-- aggregate holds no restricted or unverified incident. Location fuzzing (THE RULE, see
-- incident_point_for_caller): a reader outside the need-to-know sees a sensitive incident at its
-- coarse point, so such an incident has two rows, its exact point ('exact') and its coarse one
-- ('coarse'); any other incident one row ('any'). Analysts and admins sum 'any' and 'exact',
-- everyone else 'any' and 'coarse', and the policy keeps 'exact' rows from all but analysts
-- and admins. Field staff, whose own areas show exact points and whose own unverified reports
-- the rollup cannot tell, keep the scan (incident_rollup_usable), as do area filters below
-- district level.

create table public.incident_cell_rollup (
  level            smallint not null check (level in (8, 10, 12)),  -- the grid: z8's 64 px, z10's or z12's 32 px cells
  cx               integer not null,  -- the grid's cell, 0 … 2^14 − 1 (z8), 2^17 − 1 (z10) or 2^19 − 1 (z12), west to east
  cy               integer not null,  -- and north to south (Web Mercator)
  period           text not null check (period in ('month', 'year', 'all')),
  day              date,              -- the period's first day; null for 'all'
  constraint incident_cell_rollup_period check ((period = 'all') = (day is null)),
  constraint incident_cell_rollup_z10_all_time check (level = 8 or period = 'all'),
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  point_kind       text not null check (point_kind in ('any', 'exact', 'coarse')),
  incidents        bigint not null,
  fatalities       bigint not null,
  fatalities_known bigint not null,
  sum_px           bigint not null,  -- Σ of the incidents' pixel x at the level's zoom
  sum_py           bigint not null,
  -- Leads with the level, the period and its day, then (cx, cy): a tile reads one range of
  -- months or years (or 'all') per period, and within it a range of cells. It carries the totals
  -- too (20261223200000), so that a tile is an index-only scan: its rows lie side by side in
  -- the index, where in the heap each was on a page of its own (a z10 tile over Baghdad read
  -- ~12k heap pages for ~10k rows at 1.3M incidents, ~2.3k index pages with the totals here).
  constraint incident_cell_rollup_key unique nulls not distinct
    (level, period, day, cx, cy, event_type, admin1_pcode, admin2_pcode, status, confidentiality, point_kind)
    include (incidents, fatalities, fatalities_known, sum_px, sum_py)
) partition by list (level);

-- One partition per level and (z8) period, so that a tile's rows lie together: in one table the
-- 'all' rows of a z6 tile (30k at 200k incidents) were spread over 7,700 heap pages among the
-- other periods'.
create table public.incident_cell_rollup_z8 partition of public.incident_cell_rollup for values in (8) partition by list (period);

create table public.incident_cell_rollup_z8_all partition of public.incident_cell_rollup_z8 for values in ('all');

create table public.incident_cell_rollup_z8_year partition of public.incident_cell_rollup_z8 for values in ('year');

create table public.incident_cell_rollup_z8_month partition of public.incident_cell_rollup_z8 for values in ('month');

-- The extent of the z8 cells for all time, for incident_view_holds_all: the first and last cell
-- each way by an index each (the key's order, after its "day is null", is not taken as cx's).
create index incident_cell_rollup_z8_all_x_idx on public.incident_cell_rollup_z8_all (cx);

create index incident_cell_rollup_z8_all_y_idx on public.incident_cell_rollup_z8_all (cy);

create table public.incident_cell_rollup_z10 partition of public.incident_cell_rollup for values in (10);

create table public.incident_cell_rollup_z12 partition of public.incident_cell_rollup for values in (12);

-- Rows whose last incident left are deleted right after each statement.
create index incident_cell_rollup_empty_idx on public.incident_cell_rollup (cx) where incidents = 0;

alter table public.incident_cell_rollup enable row level security;

create policy "Analysts and admins can read every incident cell total" on public.incident_cell_rollup
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the cell totals of verified unrestricted incidents at their shown point" on public.incident_cell_rollup
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted' and point_kind <> 'exact'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_cell_rollup to authenticated;

-- The periods one incident is counted in: its month, its year, and all time.
create function private.incident_periods(p_day date)
returns table (period text, day date)
language sql immutable parallel safe
as $$
  select * from (values ('month', date_trunc('month', p_day)::date),
                        ('year', date_trunc('year', p_day)::date), ('all', null::date)) p (period, day)
$$;

-- The z24 Web Mercator pixel (a grid of 2^24 a side) of a longitude and of a latitude: the one
-- formula that places an incident in the cell rollup, in the map's density grid and on the edge
-- days (a coarser grid's cell is this pixel shifted right: the floors of the same formula scaled
-- by a power of two, exactly). Latitude is held within ±89.9 and the world's edges clamped into
-- the outermost pixels, as the outermost tiles take what lies beyond them. incident_tile_rows'
-- scan computes its tile pixels from the tile's corners instead (within a pixel of these).
-- SQL, immutable, no SET clause: inlined as one expression, so that a scan places each incident
-- without a set-returning step per row (20261229100000).
create function public.mercator_px24(p_lon double precision) returns bigint
language sql immutable parallel safe
as $$
  select least(16777215, greatest(0, floor((p_lon + 180) / 360 * 16777216)))::bigint
$$;

create function public.mercator_py24(p_lat double precision) returns bigint
language sql immutable parallel safe
as $$
  select least(16777215, greatest(0, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_lat))) / 2)) / pi()) / 2 * 16777216)))::bigint
$$;

-- The rows one incident adds: its kind of point and that point's z24 pixel (mercator_px24/py24).
-- p_sensitive is "geom_coarse is not null"; a reader of the edge days passes "(lon_coarse,
-- lat_coarse) is distinct from (lon, lat)" instead, which the date index carries (20261228100000):
-- the same cells, since a sensitive incident whose coarse point is its exact point puts both of
-- its kinds where a plain one puts 'any'. So a reader of one kind of point ('any' and 'exact', or
-- 'any' and 'coarse') gets exactly one row per incident: the exact point, or the coarse columns
-- (which are the exact point when there is no coarse one); the edge days of incidents_density
-- and incident_tile_cells take that point directly. SQL,
-- immutable, no SET clause: inlined into the triggers' query. In public because the tile function,
-- which runs as its caller, places the edge days' incidents with it (schema private is closed to
-- the app roles); it reads no data.
create function public.incident_cells(
  p_lon double precision, p_lat double precision,
  p_lon_coarse double precision, p_lat_coarse double precision, p_sensitive boolean
) returns table (point_kind text, px bigint, py bigint)
language sql immutable parallel safe
as $$
  select k.kind, public.mercator_px24(k.lon), public.mercator_py24(k.lat)
  from (values ('any', p_lon, p_lat, not p_sensitive),
               ('exact', p_lon, p_lat, p_sensitive),
               ('coarse', p_lon_coarse, p_lat_coarse, p_sensitive)) k (kind, lon, lat, keep)
  where k.keep
$$;

-- The rollup's three grids: the level, the bits dropped from a z12 pixel to get the level's pixel,
-- and the cell's size in the level's pixels.
create function private.incident_cell_levels()
returns table (level smallint, px_shift integer, cell integer)
language sql immutable parallel safe
as $$
  select * from (values (8::smallint, 4, 64), (10::smallint, 2, 32), (12::smallint, 0, 32)) l (level, px_shift, cell)
$$;

-- Whether the box [p_west, p_east] × [p_south, p_north] holds every incident the caller may see,
-- by the point the caller sees (incidents_filtered's viewport test): the z8 level's cells for all
-- time that the caller's policies show (an analyst's exact and coarse points both, a viewer's the
-- points a viewer is shown) lie inside it, with a margin of 1e-9° for the rounding of the cells'
-- edges. Each edge is one end of an index on the cells' x or y, read until a row the caller's
-- policies show (20261222200000: the whole extent took 60–90 ms at 3,000,000 incidents, ~130k
-- rows). No viewport, or no incident, holds all. For incidents_map's whole-view path.
create function public.incident_view_holds_all(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns boolean
language sql stable
set search_path = public, pg_temp
as $$
  select p_west is null or coalesce((
    select p_west <= e.x0 / 16384.0 * 360 - 180 - 1e-9
       and p_east >= (e.x1 + 1) / 16384.0 * 360 - 180 + 1e-9
       -- the outermost rows of cells also hold what lies beyond the Web Mercator limits
       and p_north >= case when e.y0 = 0 then 90
                           else degrees(atan(sinh(pi() * (1 - 2 * e.y0 / 16384.0)))) + 1e-9 end
       and p_south <= case when e.y1 = 16383 then -90
                           else degrees(atan(sinh(pi() * (1 - 2 * (e.y1 + 1) / 16384.0)))) - 1e-9 end
    from (select
            (select min(r.cx) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as x0,
            (select max(r.cx) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as x1,
            (select min(r.cy) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as y0,
            (select max(r.cy) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as y1) e
    where e.x0 is not null), true)
$$;

-- The block of one level's cells that lies inside the box [p_west, p_east] × [p_south, p_north],
-- for incidents_map's part-of-the-country path: every incident the cell rollup puts in one of
-- these cells is inside the box (a margin of 1e-7° for the rounding of the cells' edges; the
-- outermost rows and columns of the grid, which also hold what lies beyond the Web Mercator
-- limits and the antimeridian, are never inside), and any incident inside the box but in no such
-- cell lies outside the block's rectangle (w, s, e, n) shrunk by the same margin, in a strip
-- along the box's edges. The level is the finest whose cells keep the block's rows few: z12
-- (32 px at z12, ~70 m) for a box under 0.25° wide, z10 (~300 m) under 4°, else z8 (~2.4 km);
-- z8 for dates (p_dated), the only level kept per year and month (20261225300000).
-- shift turns a z24 pixel of incident_cells into the level's cell. An empty block has
-- cx0 > cx1 or cy0 > cy1.
create function public.incident_view_cells(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_dated boolean default false
) returns table (level smallint, shift integer, cx0 integer, cx1 integer, cy0 integer, cy1 integer,
                 w double precision, s double precision, e double precision, n double precision)
language sql immutable parallel safe
as $$
  select g.level, g.shift, b.cx0, b.cx1, b.cy0, b.cy1,
         b.cx0 / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * (b.cy1 + 1) / g.size)))),
         (b.cx1 + 1) / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * b.cy0 / g.size))))
  from (select case when p_dated then 8 when p_east - p_west < 0.25 then 12 when p_east - p_west < 4 then 10
                    else 8 end::smallint as level) l
  cross join lateral (select l.level, case l.level when 8 then 10 when 10 then 7 else 5 end as shift,
                             case l.level when 8 then 16384.0 when 10 then 131072.0 else 524288.0 end::double precision as size) g
  cross join lateral (
    select greatest(1, ceil((p_west + 1e-7 + 180) / 360 * g.size))::integer as cx0,
           least(g.size - 2, floor((p_east - 1e-7 + 180) / 360 * g.size) - 1)::integer as cx1,
           greatest(1, ceil((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_north - 1e-7))) / 2)) / pi()) / 2 * g.size))::integer as cy0,
           least(g.size - 2, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_south + 1e-7))) / 2)) / pi()) / 2 * g.size) - 1)::integer as cy1
  ) b
$$;

-- The block of a grid's cells that the box [p_west, p_east] × [p_south, p_north] touches, on the
-- grid of 2^p_k Web Mercator cells a side (the cell rollup's levels are 2^14, 2^17 and 2^19; the
-- map's density grid any of them): cx0–cx1 west to east, cy0–cy1 north to south, each cell as
-- incident_cells places an incident's point in it (the same floors of the same formula, scaled
-- by a power of two: exactly), and the rectangle the block covers (w, s, e, n), its outermost
-- rows and columns reaching to the world's edges, as those cells also hold what lies beyond.
create function public.incident_grid_cover(
  p_k integer, p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns table (cx0 integer, cx1 integer, cy0 integer, cy1 integer,
                 w double precision, s double precision, e double precision, n double precision)
language sql immutable parallel safe
as $$
  select b.cx0, b.cx1, b.cy0, b.cy1,
         case when b.cx0 = 0 then -180 else b.cx0 / g.size * 360 - 180 end,
         case when b.cy1 = g.size - 1 then -90 else degrees(atan(sinh(pi() * (1 - 2 * (b.cy1 + 1) / g.size)))) end,
         case when b.cx1 = g.size - 1 then 180 else (b.cx1 + 1) / g.size * 360 - 180 end,
         case when b.cy0 = 0 then 90 else degrees(atan(sinh(pi() * (1 - 2 * b.cy0 / g.size)))) end
  from (select power(2, p_k)::double precision as size) g
  cross join lateral (
    select least(g.size - 1, greatest(0, floor((p_west + 180) / 360 * g.size)))::integer as cx0,
           least(g.size - 1, greatest(0, floor((p_east + 180) / 360 * g.size)))::integer as cx1,
           least(g.size - 1, greatest(0, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_north))) / 2)) / pi()) / 2 * g.size)))::integer as cy0,
           least(g.size - 1, greatest(0, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_south))) / 2)) / pi()) / 2 * g.size)))::integer as cy1
  ) b
$$;

-- One period's rows of the cell rollup in a block of one level's cells (a range of its key), for
-- the caller's kind of point ('exact' for analysts and admins, else 'coarse'; the policies keep
-- the rest) and the shared filters: p_period 'all', or 'year' or 'month' rows of p_d0 ≤ day <
-- p_d1. SQL, no SET clause: inlined (through incident_cell_period_rows) into incident_tile_cells,
-- incidents_density and incidents_map's dated city views, its arguments the caller's constants,
-- so each period is one index range: an OR of the periods had the month
-- partition read whole (a z6 tile over Baghdad for 2014-03-17 – 2016-11-05 read 1.1M rows to keep
-- 173k, 0.9–2.6 s at 3,000,000 incidents).
create function public.incident_cell_rows(
  p_level smallint, p_period text, p_d0 date, p_d1 date,
  p_cx0 bigint, p_cx1 bigint, p_cy0 bigint, p_cy1 bigint,
  p_kind text, p_types text[], p_area text[]
) returns table (cx integer, cy integer, event_type text, incidents bigint, fatalities bigint,
                 fatalities_known bigint, sum_px bigint, sum_py bigint)
language sql stable
as $$
  select r.cx, r.cy, r.event_type, r.incidents, r.fatalities, r.fatalities_known, r.sum_px, r.sum_py
  from public.incident_cell_rollup r
  where r.level = p_level and r.period = p_period
    and ((p_period = 'all' and r.day is null) or (p_period <> 'all' and r.day >= p_d0 and r.day < p_d1))
    and r.cx between p_cx0 and p_cx1 and r.cy between p_cy0 and p_cy1
    and r.point_kind in ('any', p_kind)
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
$$;

-- The periods a range of dates is read in from the cell rollup (z8's cells are kept per year and
-- month): lo ≤ day < hi the range (no bound: year 1 or 9999); the whole months [m0, m1), and in
-- them the whole years [y0, y1) (empty when y0 = y1; m0 = m1 when there is no whole month). The
-- days outside [m0, m1) are the callers' to read from the incidents. One definition for
-- incident_tile_cells, incidents_density, incidents_map's dated city views, incident_stats and
-- incidents_sources (incident_rollup_end_days and incident_rollup_range_rows write the same
-- bounds as expressions of their arguments, so that they inline into one index range per arm).
create function public.incident_period_bounds(p_from date, p_to date)
returns table (lo date, hi date, m0 date, m1 date, y0 date, y1 date)
language sql immutable parallel safe
as $$
  select b.lo, b.hi, m.m0, greatest(m.m0, date_trunc('month', b.hi)::date), y.y0, greatest(y.y0, date_trunc('year', b.hi)::date)
  from (select coalesce(p_from, date '0001-01-01') as lo, coalesce(p_to + 1, date '9999-01-01') as hi) b
  cross join lateral (select case when b.lo = date_trunc('month', b.lo) then b.lo
                                  else (date_trunc('month', b.lo) + interval '1 month')::date end as m0) m
  cross join lateral (select case when b.lo = date_trunc('year', b.lo) then b.lo
                                  else (date_trunc('year', b.lo) + interval '1 year')::date end as y0) y
$$;

-- The cell rollup's rows of a block of one level's cells for all time (p_all), or for the whole
-- years [y0, y1) and the whole months before and after them, [m0, y0) and [y1, m1)
-- (incident_period_bounds): each period one range of the key (incident_cell_rows), an arm whose
-- period is empty dropped. SQL, no SET clause: inlined like incident_cell_rows.
create function public.incident_cell_period_rows(
  p_level smallint, p_all boolean, p_m0 date, p_m1 date, p_y0 date, p_y1 date,
  p_cx0 bigint, p_cx1 bigint, p_cy0 bigint, p_cy1 bigint,
  p_kind text, p_types text[], p_area text[]
) returns table (cx integer, cy integer, event_type text, incidents bigint, fatalities bigint,
                 fatalities_known bigint, sum_px bigint, sum_py bigint)
language sql stable
as $$
  select * from public.incident_cell_rows(p_level, 'all', null, null, p_cx0, p_cx1, p_cy0, p_cy1, p_kind, p_types, p_area)
  where p_all
  union all
  select * from public.incident_cell_rows(p_level, 'year', p_y0, p_y1, p_cx0, p_cx1, p_cy0, p_cy1, p_kind, p_types, p_area)
  where not p_all and p_y0 < p_y1
  union all
  select * from public.incident_cell_rows(p_level, 'month', p_m0, least(p_y0, p_m1), p_cx0, p_cx1, p_cy0, p_cy1, p_kind, p_types, p_area)
  where not p_all and p_m0 < least(p_y0, p_m1)
  union all
  select * from public.incident_cell_rows(p_level, 'month', greatest(p_y1, p_m0), p_m1, p_cx0, p_cx1, p_cy0, p_cy1, p_kind, p_types, p_area)
  where not p_all and greatest(p_y1, p_m0) < p_m1
$$;

-- The triggers' one body, as incident_rollup_apply: the statement's rows grouped by key, +1 per
-- new row and −1 per old row, added to the rollup. Dynamic SQL because a transition table exists
-- only for the events that define it.
create function private.incident_cell_rollup_apply() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
declare
  src text := case tg_op
    when 'INSERT' then 'select *, 1 as sign from new_rows'
    when 'DELETE' then 'select *, -1 as sign from old_rows'
    else 'select *, 1 as sign from new_rows union all select *, -1 as sign from old_rows' end;
begin
  execute format($q$
    insert into public.incident_cell_rollup as r
      (level, cx, cy, period, day, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
       point_kind, incidents, fatalities, fatalities_known, sum_px, sum_py)
    select l.level, ((c.px >> l.px_shift) / l.cell)::integer, ((c.py >> l.px_shift) / l.cell)::integer,
           p.period, p.day, d.event_type, d.admin1_pcode, d.admin2_pcode, d.status, d.confidentiality,
           c.point_kind, sum(d.sign), sum(d.sign * coalesce(d.fatalities, 0)),
           sum(d.sign * (d.fatalities is not null)::integer), sum(d.sign * (c.px >> l.px_shift)),
           sum(d.sign * (c.py >> l.px_shift))
    from (%s) d
    cross join lateral public.incident_cells(d.lon, d.lat, d.lon_coarse, d.lat_coarse, d.geom_coarse is not null) c
    cross join private.incident_cell_levels() l
    cross join lateral private.incident_periods(d.event_date) p
    where l.level = 8 or p.period = 'all'
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    having sum(d.sign) <> 0 or sum(d.sign * coalesce(d.fatalities, 0)) <> 0
        or sum(d.sign * (d.fatalities is not null)::integer) <> 0
        or sum(d.sign * (c.px >> l.px_shift)) <> 0 or sum(d.sign * (c.py >> l.px_shift)) <> 0
    on conflict on constraint incident_cell_rollup_key do update
      set incidents = r.incidents + excluded.incidents,
          fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known,
          sum_px = r.sum_px + excluded.sum_px,
          sum_py = r.sum_py + excluded.sum_py
  $q$, src);
  delete from public.incident_cell_rollup where incidents = 0;
  return null;
end
$$;

create function private.incident_cell_rollup_clear() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  delete from public.incident_cell_rollup;
  return null;
end
$$;

create trigger incidents_cell_rollup_insert after insert on public.incidents
  referencing new table as new_rows
  for each statement execute function private.incident_cell_rollup_apply();

create trigger incidents_cell_rollup_update after update on public.incidents
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.incident_cell_rollup_apply();

create trigger incidents_cell_rollup_delete after delete on public.incidents
  referencing old table as old_rows
  for each statement execute function private.incident_cell_rollup_apply();

create trigger incidents_cell_rollup_truncate after truncate on public.incidents
  for each statement execute function private.incident_cell_rollup_clear();

-- An aggregated tile (z ≤ 8, or z9–z12 for all time) from the cell rollup, as the caller sees it (security invoker: the
-- rollup's policies and the incidents' apply): the same features incident_tile_rows' scan gives —
-- one per cell holding incidents (64 px at z ≤ 8, 32 px at z9–z12), with `count`, `fatalities`
-- (none when none is known) and the most frequent `event_type` (ties to the first in order, as
-- mode() does) — for the map's from, to, type and a governorate/district area.
-- incident_tile_rows calls it when incident_rollup_usable says the rollup can answer for this
-- caller and filter.
--
-- A tile of zoom z reads the level L = 8 (z ≤ 8), 10 (z9–z10) or 12 (z11–z12): its cells [x·s, (x+1)·s) a side,
-- s = (4096 / cell) · 2^(L−z); its cell, 2^(L−z) of them a side. The edge days' incidents are
-- placed in the same cells by the same pixel (incident_cells). The position is the incidents' mean
-- pixel: at z = L exactly the scan's; above, a pixel is the level's pixel divided by 2^(L−z) and
-- floored, so the mean is taken of the level's pixels, divided, less the floors' mean loss
-- ((2^(L−z) − 1)/2 of them): within a pixel of the scan's.
create function public.incident_tile_cells(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns table (px integer, py integer, id text, event_type text, fatalities bigint, count bigint)
language plpgsql stable
set search_path = public, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_level integer := case when p_z <= 8 then 8 when p_z <= 10 then 10 else 12 end;
  v_cell integer := case when p_z <= 8 then 64 else 32 end;
  v_shift integer := v_level - p_z;
  v_span integer := (4096 / v_cell) << v_shift;
  v_drop integer := 12 - v_level;
  v_kind text := case when public.caller_location_scope() is null then 'exact' else 'coarse' end;
  v_all boolean := p_from is null and p_to is null;
  d record;  -- the periods of the dates (incident_period_bounds)
  -- the tile's block of the level's cells
  v_x0 bigint := p_x::bigint * v_span;
  v_x1 bigint := (p_x + 1)::bigint * v_span - 1;
  v_y0c bigint := p_y::bigint * v_span;
  v_y1c bigint := (p_y + 1)::bigint * v_span - 1;
  -- the tile's rectangle in degrees, a margin of 1e-7° for rounding (the rows of the top and
  -- bottom tiles reach the poles: incident_cells clamps latitude into them)
  v_w double precision := p_x::double precision / (1::bigint << p_z) * 360 - 180 - 1e-7;
  v_e double precision := (p_x + 1)::double precision / (1::bigint << p_z) * 360 - 180 + 1e-7;
  v_n double precision := case when p_y = 0 then 90 else
    degrees(atan(sinh(pi() * (1 - 2 * p_y::double precision / (1::bigint << p_z))))) + 1e-7 end;
  v_s double precision := case when p_y + 1 = 1::bigint << p_z then -90 else
    degrees(atan(sinh(pi() * (1 - 2 * (p_y + 1)::double precision / (1::bigint << p_z))))) - 1e-7 end;
begin
  if p_z is null or p_z not between 0 and 12 then
    raise exception 'z: must be between 0 and 12' using errcode = '22023';
  end if;
  if p_x is null or p_x < 0 or p_x >= 1 << p_z or p_y is null or p_y < 0 or p_y >= 1 << p_z then
    raise exception 'x, y: must be between 0 and %', (1 << p_z) - 1 using errcode = '22023';
  end if;
  if p_z > 8 and not v_all then
    raise exception 'from, to: the rollup has z9–z12 cells for all time only' using errcode = '22023';
  end if;
  select * into d from public.incident_period_bounds(p_from, p_to);
  return query
    with kept as (
      -- all time, or the whole years and the whole months before and after them
      select r.cx >> v_shift as gx, r.cy >> v_shift as gy, r.event_type as et,
             r.incidents as n, r.fatalities as fat, r.fatalities_known as known, r.sum_px as sx, r.sum_py as sy
      from public.incident_cell_period_rows(v_level::smallint, v_all, d.m0, d.m1, d.y0, d.y1,
                                            v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area) r
    ),
    edge as (
      -- the edge days' incidents in the tile's rectangle, on the point the caller sees (v_kind is
      -- known when the call is planned, so the (date, lat, lon) index reads only the tile's:
      -- 20261226400000), then exactly in its cells (t, below). The point is the rollup's of the
      -- caller's kind (incident_cells), one per incident, in one expression (20261229300000): the
      -- exact point for 'exact', the coarse columns for 'coarse'.
      select public.mercator_px24(case when v_kind = 'exact' then i.lon else i.lon_coarse end) >> v_drop as lpx,
             public.mercator_py24(case when v_kind = 'exact' then i.lat else i.lat_coarse end) >> v_drop as lpy,
             i.event_type as et, i.fatalities
      from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area)
            union all
            select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area)) i
      where not v_all
        and ((v_kind = 'exact' and i.lon between v_w and v_e and i.lat between v_s and v_n)
          or (v_kind = 'coarse' and i.lon_coarse between v_w and v_e and i.lat_coarse between v_s and v_n))
    ),
    t as (
      select k.gx, k.gy, k.et, k.n, k.fat, k.known, k.sx, k.sy from kept k
      union all
      select (e.lpx / v_cell) >> v_shift, (e.lpy / v_cell) >> v_shift, e.et, 1,
             coalesce(e.fatalities, 0), (e.fatalities is not null)::integer, e.lpx, e.lpy
      from edge e
      where (e.lpx / v_cell) >= p_x * v_span and (e.lpx / v_cell) < (p_x + 1) * v_span
        and (e.lpy / v_cell) >= p_y * v_span and (e.lpy / v_cell) < (p_y + 1) * v_span
    ),
    g as (
      select t.gx, t.gy, t.et, sum(t.n) as n, sum(t.fat) as fat, sum(t.known) as known,
             sum(t.sx) as sx, sum(t.sy) as sy
      from t group by 1, 2, 3
    )
    select least(4095, greatest(0, round((sum(g.sx) / sum(g.n) - ((1 << v_shift) - 1) / 2.0) / (1 << v_shift)) - p_x * 4096))::integer,
           least(4095, greatest(0, round((sum(g.sy) / sum(g.n) - ((1 << v_shift) - 1) / 2.0) / (1 << v_shift)) - p_y * 4096))::integer,
           null::text,
           (array_agg(g.et order by g.n desc, g.et))[1],
           (case when sum(g.known) > 0 then sum(g.fat) end)::bigint,
           sum(g.n)::bigint
    from g
    group by g.gx, g.gy
    having sum(g.n) > 0;
end
$$;
