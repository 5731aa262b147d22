-- The cell rollup's periods in one place (issue 16; no change in what is answered).
--
-- incident_tile_cells and incidents_density each worked out the periods of a range of dates (the
-- whole years, the whole months around them, the edge days) and each wrote the same four-armed
-- union of incident_cell_rows over them. incident_period_bounds holds the periods and
-- incident_cell_period_rows the union; both callers use them.
--
--   incident_period_bounds (new)
--   incident_cell_period_rows (new)
--   incident_tile_cells (was 20261224100000)
--   incidents_density (was 20261224100000; its dates that filter nothing by incident_dates_that_filter)

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
  d record;  -- the periods of the dates (incident_period_bounds)
  -- the tile's block of the level's cells
  v_x0 bigint := p_x::bigint * v_span;
  v_x1 bigint := (p_x + 1)::bigint * v_span - 1;
  v_y0c bigint := p_y::bigint * v_span;
  v_y1c bigint := (p_y + 1)::bigint * v_span - 1;
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
      select c.px >> v_drop as lpx, c.py >> v_drop as lpy, i.event_type as et, i.fatalities
      from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area)
            union all
            select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area)) i
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

create or replace function public.incidents_density(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_cell double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null,
  p_status text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
set jit = off
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
  v_k integer := least(24, greatest(0, round(ln(360 / greatest(p_cell, 1e-6)) / ln(2))))::integer;
  v_size double precision := power(2, v_k);
  -- the rollup's level whose cells nest in the grid's, and the bits from its cell to the grid's
  v_level smallint := case when v_k <= 14 then 8 when v_k <= 17 then 10 when v_k <= 19 then 12 end;
  v_shift integer := case when v_k <= 14 then 14 when v_k <= 17 then 17 else 19 end - v_k;
  v_shared boolean := v_place is null and not coalesce(p_precise_only, false)
     and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
       + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
       + coalesce(cardinality(p_reliability), 0) = 0
     and v_level is not null and public.incident_rollup_usable(p_area);
  v_kind text := case when v_scope is null then 'exact' else 'coarse' end;
  v_cells boolean;  -- from the rollup, not the scan
  v_all boolean;
  b record;
  -- Dated (z8 grid): the whole years, and the whole months around them, [d.m0, d.m1) from the
  -- rollup; the edge days before d.m0 and from d.m1 read (incident_period_bounds).
  d record;
  -- the block in the rollup level's cells
  v_x0 bigint;
  v_x1 bigint;
  v_y0c bigint;
  v_y1c bigint;
begin
  -- no box: the world
  p_west := coalesce(p_west, -180);
  p_south := coalesce(p_south, -90);
  p_east := coalesce(p_east, 180);
  p_north := coalesce(p_north, 90);
  -- Dates that reach past the first or last day the caller may see filter nothing (as incidents_map).
  if v_shared and (p_from is not null or p_to is not null) then
    select * into p_from, p_to from public.incident_dates_that_filter(p_from, p_to, p_types, p_area);
  end if;
  v_all := p_from is null and p_to is null;
  v_cells := v_shared and (v_all or v_level = 8);
  select * into b from public.incident_grid_cover(v_k, p_west, p_south, p_east, p_north);
  v_x0 := b.cx0::bigint << v_shift;
  v_x1 := ((b.cx1::bigint + 1) << v_shift) - 1;
  v_y0c := b.cy0::bigint << v_shift;
  v_y1c := ((b.cy1::bigint + 1) << v_shift) - 1;
  select * into d from public.incident_period_bounds(p_from, p_to);

  return (
  with cells as (
    -- all time, or the whole years and the whole months before and after them
    select r.cx::bigint >> v_shift as gx, r.cy::bigint >> v_shift as gy,
           r.incidents as n, r.fatalities as fat, r.fatalities_known as known
    from public.incident_cell_period_rows(v_level, v_all, d.m0, d.m1, d.y0, d.y1,
                                          v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area) r
    where v_cells
  ),
  edges as (
    -- the edge days' incidents in the block's rectangle (a margin of 1e-7° for the rounding of
    -- its edges), then exactly in its cells; none for all time
    select c.px >> (24 - v_k) as gx, c.py >> (24 - v_k) as gy,
           1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area,
                          b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)
          union all
          select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area,
                          b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)) i
    cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
    where v_cells and not v_all and c.point_kind in ('any', v_kind)
      and c.px >> (24 - v_k) between b.cx0 and b.cx1 and c.py >> (24 - v_k) between b.cy0 and b.cy1
  ),
  scan as (
    select c.px >> (24 - v_k) as gx, c.py >> (24 - v_k) as gy,
           1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from public.incidents_refined(p_from, p_to, p_types, p_area, b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
    cross join lateral (select public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode,
                                 i.admin2_pcode, i.admin3_pcode, v_scope) as pt) p
    cross join lateral public.incident_cells(st_x(p.pt), st_y(p.pt), null, null, false) c
    where not v_cells
      and c.px >> (24 - v_k) between b.cx0 and b.cx1 and c.py >> (24 - v_k) between b.cy0 and b.cy1
  ),
  g as (
    select gx, gy, sum(n) as n, sum(fat) as fat, sum(known) as known
    from (select * from cells union all select * from edges union all select * from scan) t
    group by gx, gy
    having sum(n) > 0
  )
  select coalesce(jsonb_agg(jsonb_build_array(
           round(((g.gx + 0.5) / v_size * 360 - 180)::numeric, 5),
           round(degrees(atan(sinh(pi() * (1 - 2 * (g.gy + 0.5) / v_size))))::numeric, 5),
           g.n, case when g.known > 0 then g.fat end)), '[]'::jsonb)
  from g
  );
end
$$;
