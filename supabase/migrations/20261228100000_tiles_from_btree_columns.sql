-- Tiles, density and the map's edge strips read the date index alone (issue 16).
--
-- A dated tile deeper than z8 (the rollup has z9–z12 cells for all time only), a dated density
-- finer than the z8 grid and the edge days of a dated tile, density or city view scan the
-- incidents of the dates. They placed each incident by incident_point_for_caller(geom,
-- geom_coarse, …), or asked whether geom_coarse is null, and geometries are in no btree: every
-- incident of the range in the box cost one table page (a dated z10 tile over Baghdad ~1 s at
-- 3,000,000 incidents). They now take the caller's point from lon/lat and lon_coarse/lat_coarse
-- (incident_xy_for_caller: the same point, see its comment), which the date index
-- incidents_date_covering_idx carries, and that index now carries id too, for a tile's single
-- incidents, and serious, for the map's points (which now take the caller's point from the same
-- columns). Same answers; figures in the README's Performance section.

drop index public.incidents_date_covering_idx;
create index incidents_date_covering_idx on public.incidents (event_date)
  include (event_type, admin1_pcode, admin2_pcode, admin3_pcode, lat, lon, lat_coarse, lon_coarse,
           status, confidentiality, reported_by, fatalities, time_precision, event_time,
           actor1_id, actor2_id, upstream_source, id, serious);

create function public.incident_xy_for_caller(
  p_lon double precision, p_lat double precision, p_lon_coarse double precision, p_lat_coarse double precision,
  p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[]
) returns point
language sql stable
as $$
  select case when coalesce(array[p_admin1, p_admin2, p_admin3] && p_scope, true)
              then point(p_lon, p_lat) else point(p_lon_coarse, p_lat_coarse) end
$$;

-- incident_point_for_caller's rule names its twin.
comment on function public.incident_point_for_caller(geometry, geometry, text, text, text, text[]) is
  'Location fuzzing: the point of an incident the caller may see. Every emitter of incident '
  'coordinates (map, density, GeoJSON, exports, proximity, highlight, detail, list, tiles) must '
  'emit this (or its twin from the btree columns, incident_xy_for_caller) instead of '
  'geom/lon/lat, with p_scope = public.caller_location_scope() computed once '
  'per query, and filter by place on lon/lat only when the scope is NULL, else on '
  'lon_coarse/lat_coarse. See 20261203140000_location_fuzzing.sql.';

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
    -- The point is taken from the btree columns (incident_xy_for_caller), not the geometries, so
    -- that a dated scan reads the date index alone (20261228100000).
    with pts as (
      select i.id, i.event_type, i.fatalities,
             public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                           i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt
      from public.incidents_filtered(p_from, p_to, p_types, p_area) i
      where ((i.lon >= west or v_first_x) and (i.lon < east or v_last_x)
             and (i.lat >= south or v_last_y) and (i.lat < north or v_first_y))
         or (v_scope is not null
             and (i.lon_coarse >= west or v_first_x) and (i.lon_coarse < east or v_last_x)
             and (i.lat_coarse >= south or v_last_y) and (i.lat_coarse < north or v_first_y))
    ),
    sel as (
      select least(4095, greatest(0, floor((p.pt[0] - west) / (east - west) * 4096)))::integer as px,
             least(4095, greatest(0, floor(((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p.pt[1]))) / 2)) / pi()) / 2 * n - p_y) * 4096)))::integer as py,
             p.id, p.event_type, p.fatalities
      from pts p
      where (p.pt[0] >= west or v_first_x) and (p.pt[0] < east or v_last_x)
        and (p.pt[1] >= south or v_last_y) and (p.pt[1] < north or v_first_y)
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
      -- 20261226400000), then exactly in its cells (t, below)
      select c.px >> v_drop as lpx, c.py >> v_drop as lpy, i.event_type as et, i.fatalities
      from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area)
            union all
            select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area)) i
      cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                             (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)) c
      where not v_all and c.point_kind in ('any', v_kind)
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
    cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                             (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)) c
    where v_cells and not v_all and c.point_kind in ('any', v_kind)
      and c.px >> (24 - v_k) between b.cx0 and b.cx1 and c.py >> (24 - v_k) between b.cy0 and b.cy1
  ),
  scan as (
    select c.px >> (24 - v_k) as gx, c.py >> (24 - v_k) as gy,
           1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from public.incidents_refined(p_from, p_to, p_types, p_area, b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
    cross join lateral (select public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                 i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt) p
    cross join lateral public.incident_cells(p.pt[0], p.pt[1], null, null, false) c
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

create or replace function public.incidents_map(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_limit integer default 20000,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null,
  p_status text[] default null,
  p_complete boolean default false
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
-- A city view's count over the cells and the edge strips is costed above jit_above_cost at 3M
-- incidents: JIT took ~50 ms of a session's first call (~200 ms) and ~10 ms of each one after.
-- See also the note at baseline_classify (80_analysis.sql).
set jit = off
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
  v_shared boolean := v_place is null and not coalesce(p_precise_only, false)
     and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
       + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
       + coalesce(cardinality(p_reliability), 0) = 0
     and public.incident_rollup_usable(p_area);
  v_exact boolean := v_scope is null;  -- the caller sees exact points (analysts, admins)
  v_kind text := case when v_scope is null then 'exact' else 'coarse' end;
  b record;
  d record;  -- the periods of the dates (incident_period_bounds)
  v_counts jsonb;
  v_box boolean;
begin
  -- Dates that reach past the first or last day the caller may see of the filter (the analysis
  -- screen's map sends the data's own range) filter nothing: dropped, the paths below can take
  -- the view.
  if v_shared and (p_from is not null or p_to is not null) then
    select * into p_from, p_to from public.incident_dates_that_filter(p_from, p_to, p_types, p_area);
  end if;
  -- The whole view: incident_view_holds_all (31_incident_cells.sql) says the box holds all; the
  -- points then need no viewport test (v_box false), which would steer them off the date index.
  -- Not asked of a box under 4° wide (a city, a district; 60–90 ms at 3,000,000 incidents): the
  -- part-of-the-country path below answers it.
  if v_shared
     and (p_west is null or p_east - p_west >= 4)
     and public.incident_view_holds_all(p_west, p_south, p_east, p_north) then
    with counts as (
      select r.event_type, sum(r.incidents) as n, sum(r.fatalities) as fat
      from public.incident_rollup_range_rows(p_from, p_to, p_types, p_area) r
      group by 1
    )
    select jsonb_build_object(
      'total', coalesce((select sum(n) from counts), 0),
      'fatalities', coalesce((select sum(fat) from counts), 0),
      'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb))
    into v_counts;
    v_box := false;
  end if;

  -- Part of the country: the cells of the cell rollup's level wholly inside the box
  -- (incident_view_cells) summed, and the incidents inside the box but in no such cell — those
  -- lie in the strips between the cells and the box's edges, which the (lat, lon) index of the
  -- point the caller sees reads (one range per strip); incident_cells, which placed every
  -- incident in its cell for the rollup, tells exactly which of them the cells did not count.
  -- Dated (20261225300000; a city view for a range of dates read every incident of the range in
  -- it), on the z8 cells, kept per year and month: the whole years and months of the range from
  -- the rollup, and the incidents of its edge days in the cells read, as the dated tiles do; a
  -- range holding no whole month (a week, a day: the time slider's steps) keeps the scan, which
  -- the date index makes short (16 against 33 ms for a week over Baghdad at 3,000,000).
  select * into d from public.incident_period_bounds(p_from, p_to);
  if v_counts is null and v_shared and p_west is not null and d.m0 < d.m1 then
    select * into b from public.incident_view_cells(p_west, p_south, p_east, p_north, p_from is not null or p_to is not null);
    if b.cx0 <= b.cx1 and b.cy0 <= b.cy1 then
      with cells as (
        select r.event_type, r.incidents as n, r.fatalities as fat
        from public.incident_cell_period_rows(b.level, p_from is null and p_to is null, d.m0, d.m1, d.y0, d.y1,
                                              b.cx0, b.cx1, b.cy0, b.cy1, v_kind, p_types, p_area) r
      ),
      ends as (
        -- dated: the edge days' incidents in the block's rectangle (a margin of 1e-7° for the
        -- rounding of its edges), then exactly in its cells. The rectangle is tested on the point
        -- the caller sees, as the strips do (v_exact is known when the call is planned), so that
        -- the (date, lat, lon) index reads each end's days in it (20261226300000); through
        -- incidents_filtered's viewport test, which asks caller_location_scope() at run time,
        -- the date index returned the ends' incidents of the whole country.
        select i.event_type, 1 as n, i.fatalities as fat
        from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area)
              union all
              select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area)) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                             (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)) c
        where (p_from is not null or p_to is not null) and c.point_kind in ('any', v_kind)
          and ((v_exact and i.lon between b.w - 1e-7 and b.e + 1e-7 and i.lat between b.s - 1e-7 and b.n + 1e-7)
            or (not v_exact and i.lon_coarse between b.w - 1e-7 and b.e + 1e-7
                and i.lat_coarse between b.s - 1e-7 and b.n + 1e-7))
          and (c.px >> b.shift) between b.cx0 and b.cx1 and (c.py >> b.shift) between b.cy0 and b.cy1
      ),
      strips as (
        select i.event_type, 1 as n, i.fatalities as fat
        from public.incidents_filtered(p_from, p_to, p_types, p_area) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                             (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)) c
        where c.point_kind in ('any', v_kind)
          and not ((c.px >> b.shift) between b.cx0 and b.cx1 and (c.py >> b.shift) between b.cy0 and b.cy1)
          and ((v_exact and i.lon between p_west and p_east
                and ((i.lat > b.n - 1e-7 and i.lat <= p_north)
                  or (i.lat >= p_south and i.lat < b.s + 1e-7)
                  or (i.lat between p_south and p_north and i.lon < b.w + 1e-7)
                  or (i.lat between p_south and p_north and i.lon > b.e - 1e-7)))
            or (not v_exact and i.lon_coarse between p_west and p_east
                and ((i.lat_coarse > b.n - 1e-7 and i.lat_coarse <= p_north)
                  or (i.lat_coarse >= p_south and i.lat_coarse < b.s + 1e-7)
                  or (i.lat_coarse between p_south and p_north and i.lon_coarse < b.w + 1e-7)
                  or (i.lat_coarse between p_south and p_north and i.lon_coarse > b.e - 1e-7))))
      ),
      counts as (
        select event_type, sum(n) as n, sum(fat) as fat
        from (select * from cells union all select * from ends union all select * from strips) x group by 1
      )
      select jsonb_build_object(
        'total', coalesce((select sum(n) from counts), 0),
        'fatalities', coalesce((select sum(fat) from counts), 0),
        'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb))
      into v_counts;
      v_box := true;
    end if;
  end if;

  if v_counts is not null then
    return v_counts || jsonb_build_object('points', case
      when p_complete and (v_counts ->> 'total')::bigint > p_limit then '[]'::jsonb
      -- the caller's point from the btree columns, so that a dated view's points are read from
      -- the date index alone (20261228100000)
      else (select coalesce(jsonb_agg(jsonb_build_array(id, round(pt[0]::numeric, 5),
                     round(pt[1]::numeric, 5), event_type, fatalities, serious, event_date)), '[]'::jsonb)
            from (select id, public.incident_xy_for_caller(lon, lat, lon_coarse, lat_coarse, admin1_pcode,
                                                           admin2_pcode, admin3_pcode, v_scope) as pt,
                         event_type, fatalities, serious, event_date
                  from public.incidents_filtered(p_from, p_to, p_types, p_area,
                         case when v_box then p_west end, case when v_box then p_south end,
                         case when v_box then p_east end, case when v_box then p_north end)
                  order by event_date desc, id limit greatest(p_limit, 0)) pts) end);
  end if;

  return (
  with f as (
    select * from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope)
  ),
  counts as (
    select event_type, count(*) as n, sum(fatalities) as fat from f group by event_type
  ),
  pts as (
    select id, public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode, admin3_pcode, v_scope) as geom,
           event_type, fatalities, serious, event_date
    from f order by event_date desc, id limit greatest(p_limit, 0)
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb),
    'points', case when p_complete and coalesce((select sum(n) from counts), 0) > p_limit then '[]'::jsonb
                   else coalesce((select jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                          round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)) from pts), '[]'::jsonb) end
  )
  );
end
$$;
