-- The map's density mode from the cell rollup (issue 16).
--
-- incidents_density snapped every incident in view to a grid of p_cell degrees: 4.3–5.2 s over
-- Baghdad at 3,000,000 incidents, 4.7 s for the whole country. Its grid is now the cell
-- rollup's: Web Mercator cells of 360 / 2^k degrees of longitude, k = round(log2(360 / p_cell))
-- (the map asks for such a width exactly), each cell the box touches counted whole. A cell of
-- that grid is a block of z8, z10 or z12 rollup cells, so with only the shared filters and a
-- caller the rollup answers for, it is a sum of the rollup's cells: for all time at any grid,
-- and dated on the z8 grid (its cells are kept per year and month; the edge days' incidents are
-- read). Each cell comes at its centre, and is square on the map at every latitude (a degree
-- square is 1.2× as tall as wide at Baghdad's).
--
-- The dated tiles at z ≤ 8 read the rollup the same way, one range of its key per period: an OR
-- of the periods had the month partition read whole (a z6 tile over Baghdad for 2014-03-17 –
-- 2016-11-05 read 1.1M rows to keep 173k: 0.9–2.6 s at 3,000,000 incidents).
--
--   incident_grid_cover (new): the block of a grid's cells a box touches
--   incident_cell_rows (new): one period's rows of the cell rollup in a block
--   incident_tile_cells (was 20261219200000: its rows by incident_cell_rows)
--   incidents_density (was 20261209300000)

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
  return query
    with kept as (
      -- all time, or the whole years and the whole months before and after them
      select r.cx >> v_shift as gx, r.cy >> v_shift as gy, r.event_type as et,
             r.incidents as n, r.fatalities as fat, r.fatalities_known as known, r.sum_px as sx, r.sum_py as sy
      from (select * from public.incident_cell_rows(v_level::smallint, 'all', null, null, v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
            where v_all
            union all
            select * from public.incident_cell_rows(v_level::smallint, 'year', v_y0, v_y1, v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
            where not v_all and v_y0 < v_y1
            union all
            select * from public.incident_cell_rows(v_level::smallint, 'month', v_m0, least(v_y0, v_m1), v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
            where not v_all and v_m0 < least(v_y0, v_m1)
            union all
            select * from public.incident_cell_rows(v_level::smallint, 'month', greatest(v_y1, v_m0), v_m1, v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
            where not v_all and greatest(v_y1, v_m0) < v_m1) r
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
  -- Dated (z8 grid): the whole years, and the whole months around them, [v_m0, v_m1) from the
  -- rollup; the edge days before v_m0 and from v_m1 read.
  v_lo date;
  v_hi date;
  v_m0 date;
  v_m1 date;
  v_y0 date;
  v_y1 date;
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
  if v_shared and p_from is not null and p_from <= public.incident_rollup_edge_day(false, null, null, p_types, p_area) then
    p_from := null;
  end if;
  if v_shared and p_to is not null and p_to >= public.incident_rollup_edge_day(true, null, null, p_types, p_area) then
    p_to := null;
  end if;
  v_all := p_from is null and p_to is null;
  v_cells := v_shared and (v_all or v_level = 8);
  select * into b from public.incident_grid_cover(v_k, p_west, p_south, p_east, p_north);
  v_x0 := b.cx0::bigint << v_shift;
  v_x1 := ((b.cx1::bigint + 1) << v_shift) - 1;
  v_y0c := b.cy0::bigint << v_shift;
  v_y1c := ((b.cy1::bigint + 1) << v_shift) - 1;
  v_lo := coalesce(p_from, date '0001-01-01');
  v_hi := coalesce(p_to + 1, date '9999-01-01');
  v_m0 := case when v_lo = date_trunc('month', v_lo) then v_lo else (date_trunc('month', v_lo) + interval '1 month')::date end;
  v_m1 := greatest(v_m0, date_trunc('month', v_hi)::date);
  v_y0 := case when v_lo = date_trunc('year', v_lo) then v_lo else (date_trunc('year', v_lo) + interval '1 year')::date end;
  v_y1 := greatest(v_y0, date_trunc('year', v_hi)::date);

  return (
  with cells as (
    -- all time, or the whole years and the whole months before and after them
    select r.cx::bigint >> v_shift as gx, r.cy::bigint >> v_shift as gy,
           r.incidents as n, r.fatalities as fat, r.fatalities_known as known
    from (select * from public.incident_cell_rows(v_level, 'all', null, null, v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
          where v_cells and v_all
          union all
          select * from public.incident_cell_rows(v_level, 'year', v_y0, v_y1, v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
          where v_cells and not v_all and v_y0 < v_y1
          union all
          select * from public.incident_cell_rows(v_level, 'month', v_m0, least(v_y0, v_m1), v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
          where v_cells and not v_all and v_m0 < least(v_y0, v_m1)
          union all
          select * from public.incident_cell_rows(v_level, 'month', greatest(v_y1, v_m0), v_m1, v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area)
          where v_cells and not v_all and greatest(v_y1, v_m0) < v_m1) r
  ),
  edges as (
    -- the edge days' incidents in the block's rectangle (a margin of 1e-7° for the rounding of
    -- its edges), then exactly in its cells; none for all time
    select c.px >> (24 - v_k) as gx, c.py >> (24 - v_k) as gy,
           1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from (select * from public.incidents_filtered(v_lo, least(v_m0, v_hi) - 1, p_types, p_area,
                          b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)
          union all
          select * from public.incidents_filtered(greatest(v_m1, v_lo), v_hi - 1, p_types, p_area,
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

