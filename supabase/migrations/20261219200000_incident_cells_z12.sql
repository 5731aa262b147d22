-- Aggregated tiles at z11 and z12 from the cell rollup (issue 16).
--
-- A z11–z12 tile holding more than 8,000 incidents is aggregated into 32 px cells, and it read
-- every one of its incidents: at 3,000,000 incidents a z12 tile took 1,023 ms p50 and 3,209 ms p95
-- (the cities' tiles hold tens of thousands). The rollup gets a third level, the z12 grid of
-- 32 px cells (2^19 a side), of which every z11 and z12 cell is a union, for all time only, as
-- the z10 level (20261217100000): dated z9–z12 tiles still scan.
--
-- Pixels: incident_cells now gives an incident's z12 pixel (1/2^24 of the world) and each level
-- drops the bits it does not keep (z8: 4, z10: 2, z12: 0). floor(f · 2^24) >> 2 = floor(f · 2^22),
-- as multiplying by a power of two is exact in floating point: the z8 and z10 rows already kept
-- are the same, so only the z12 rows are filled here.
--
--   incident_cells, incident_cell_levels, incident_tile_cells (was 20261217100000)
--   incident_tile_rows (was 20261217100000)

alter table public.incident_cell_rollup drop constraint incident_cell_rollup_level_check;

alter table public.incident_cell_rollup add constraint incident_cell_rollup_level_check check (level in (8, 10, 12));

create table public.incident_cell_rollup_z12 partition of public.incident_cell_rollup for values in (12);

create or replace function public.incident_cells(
  p_lon double precision, p_lat double precision,
  p_lon_coarse double precision, p_lat_coarse double precision, p_sensitive boolean
) returns table (point_kind text, px bigint, py bigint)
language sql immutable parallel safe
as $$
  select k.kind,
         least(16777215, greatest(0, floor((k.lon + 180) / 360 * 16777216)))::bigint,
         least(16777215, greatest(0, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, k.lat))) / 2)) / pi()) / 2 * 16777216)))::bigint
  from (values ('any', p_lon, p_lat, not p_sensitive),
               ('exact', p_lon, p_lat, p_sensitive),
               ('coarse', p_lon_coarse, p_lat_coarse, p_sensitive)) k (kind, lon, lat, keep)
  where k.keep
$$;

create or replace function private.incident_cell_levels()
returns table (level smallint, px_shift integer, cell integer)
language sql immutable parallel safe
as $$
  select * from (values (8::smallint, 4, 64), (10::smallint, 2, 32), (12::smallint, 0, 32)) l (level, px_shift, cell)
$$;

create or replace function public.incident_tile_cells(
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
  v_lo date := coalesce(p_from, date '0001-01-01');
  v_hi date := coalesce(p_to + 1, date '9999-01-01');
  v_m0 date := case when v_lo = date_trunc('month', v_lo) then v_lo else (date_trunc('month', v_lo) + interval '1 month')::date end;
  v_m1 date := greatest(v_m0, date_trunc('month', v_hi)::date);
  v_y0 date := case when v_lo = date_trunc('year', v_lo) then v_lo else (date_trunc('year', v_lo) + interval '1 year')::date end;
  v_y1 date := greatest(v_y0, date_trunc('year', v_hi)::date);
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
  return query
    with kept as (
      select r.cx >> v_shift as gx, r.cy >> v_shift as gy, r.event_type as et,
             r.incidents as n, r.fatalities as fat, r.fatalities_known as known, r.sum_px as sx, r.sum_py as sy
      from public.incident_cell_rollup r
      where r.level = v_level
        and r.cx >= p_x * v_span and r.cx < (p_x + 1) * v_span
        and r.cy >= p_y * v_span and r.cy < (p_y + 1) * v_span
        and r.point_kind in ('any', v_kind)
        and ((v_all and r.period = 'all' and r.day is null)
          or (not v_all and r.period = 'year' and r.day >= v_y0 and r.day < v_y1)
          or (not v_all and r.period = 'month' and r.day >= v_m0 and r.day < v_m1 and not (r.day >= v_y0 and r.day < v_y1)))
        and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
        and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    ),
    edge as (
      select c.px >> v_drop as lpx, c.py >> v_drop as lpy, i.event_type as et, i.fatalities
      from (select * from public.incidents_filtered(v_lo, least(v_m0, v_hi) - 1, p_types, p_area)
            union all
            select * from public.incidents_filtered(greatest(v_m1, v_lo), v_hi - 1, p_types, p_area)) i
      cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
      where not v_all and c.point_kind in ('any', v_kind)
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

create or replace function public.incident_tile_rows(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns table (px integer, py integer, id text, event_type text, fatalities bigint, count bigint)
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  n double precision;
  west double precision; east double precision; north double precision; south double precision;
  v_first_x boolean; v_last_x boolean; v_first_y boolean; v_last_y boolean;
  v_cell integer;
  v_scope text[] := public.caller_location_scope();
begin
  if p_z is null or p_z not between 0 and 24 then
    raise exception 'z: must be between 0 and 24' using errcode = '22023';
  end if;
  n := 2.0 ^ p_z;
  if p_x is null or p_x < 0 or p_x >= n then
    raise exception 'x: must be between 0 and %', n - 1 using errcode = '22023';
  end if;
  if p_y is null or p_y < 0 or p_y >= n then
    raise exception 'y: must be between 0 and %', n - 1 using errcode = '22023';
  end if;
  west := p_x / n * 360 - 180;
  east := (p_x + 1) / n * 360 - 180;
  north := degrees(atan(sinh(pi() * (1 - 2 * p_y / n))));
  south := degrees(atan(sinh(pi() * (1 - 2 * (p_y + 1) / n))));
  v_first_x := p_x = 0; v_last_x := p_x = n - 1; v_first_y := p_y = 0; v_last_y := p_y = n - 1;

  -- Aggregated zooms from the cell rollup (31_incident_cells.sql) whenever it can answer for this
  -- caller and filter — the same cells without reading the incidents (issue 16). z ≤ 8 is always
  -- aggregated; a z9–z12 tile (all time only) beyond 8,000 incidents, as the scan below decides,
  -- so its rollup cells are sent when they add up to more, and otherwise the scan sends them.
  if (p_z <= 8 or (p_z <= 12 and p_from is null and p_to is null))
     and public.incident_rollup_usable(p_area) then
    return query
      with c as materialized (
        select * from public.incident_tile_cells(p_z, p_x, p_y, p_from, p_to, p_types, p_area)
      )
      select * from c where p_z <= 8 or (select sum(c2.count) from c c2) > 8000;
    if p_z <= 8 or found then
      return;
    end if;
  end if;

  v_cell := case when p_z <= 8 then 64 else 32 end;
  -- The selection is read once (a CTE referenced twice is materialised), counted, then sent as
  -- single incidents or as grid cells.
  return query
    -- Location fuzzing (20261203140000, THE RULE): each incident is placed, and selected, by the
    -- point the caller sees (coarse for a sensitive location a viewer is not cleared for), so no
    -- tile, and no aggregate count per tile, tells the exact point. The btree prefilter takes the
    -- exact columns for analysts and admins, and both for everyone else (a field user sees the
    -- exact point of their own areas); the final test is on the caller's point.
    with pts as (
      select i.id, i.event_type, i.fatalities,
             public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt
      from public.incidents_filtered(p_from, p_to, p_types, p_area) i
      where ((i.lon >= west or v_first_x) and (i.lon < east or v_last_x)
             and (i.lat >= south or v_last_y) and (i.lat < north or v_first_y))
         or (v_scope is not null
             and (i.lon_coarse >= west or v_first_x) and (i.lon_coarse < east or v_last_x)
             and (i.lat_coarse >= south or v_last_y) and (i.lat_coarse < north or v_first_y))
    ),
    sel as (
      select least(4095, greatest(0, floor((st_x(p.pt) - west) / (east - west) * 4096)))::integer as px,
             least(4095, greatest(0, floor(((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, st_y(p.pt)))) / 2)) / pi()) / 2 * n - p_y) * 4096)))::integer as py,
             p.id, p.event_type, p.fatalities
      from pts p
      where (st_x(p.pt) >= west or v_first_x) and (st_x(p.pt) < east or v_last_x)
        and (st_y(p.pt) >= south or v_last_y) and (st_y(p.pt) < north or v_first_y)
    ),
    mode as (
      select p_z <= 8 or (select count(*) from sel) > 8000 as aggregated
    )
    select s.px, s.py, s.id::text, s.event_type, s.fatalities::bigint, null::bigint
    from sel s where not (select aggregated from mode)
    union all
    select round(avg(s.px))::integer, round(avg(s.py))::integer, null::text,
           mode() within group (order by s.event_type), sum(s.fatalities)::bigint, count(*)
    from sel s where (select aggregated from mode)
    group by s.px / v_cell, s.py / v_cell;
end
$$;


-- Fill the z12 level from the incidents there are.
insert into public.incident_cell_rollup
  (level, cx, cy, period, day, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
   point_kind, incidents, fatalities, fatalities_known, sum_px, sum_py)
select l.level, ((c.px >> l.px_shift) / l.cell)::integer, ((c.py >> l.px_shift) / l.cell)::integer,
       'all', null::date, i.event_type, i.admin1_pcode, i.admin2_pcode, i.status, i.confidentiality,
       c.point_kind, count(*), coalesce(sum(i.fatalities), 0), count(i.fatalities),
       sum(c.px >> l.px_shift), sum(c.py >> l.px_shift)
from public.incidents i
cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
cross join private.incident_cell_levels() l
where l.level = 12
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;

analyze public.incident_cell_rollup;
