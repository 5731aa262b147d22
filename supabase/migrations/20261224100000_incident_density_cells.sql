-- The map's density mode from the cell rollup (issue 16).
--
-- incidents_density snapped every incident in view to a grid of p_cell degrees: 1.6–1.8 s over
-- Baghdad at 3,000,000 incidents, the whole country more. Its grid is now the cell rollup's,
-- Web Mercator cells of 360 / 2^k degrees of longitude, k = round(log2(360 / p_cell)) (the map
-- asks for such a width exactly): a cell of that grid is a block of z8, z10 or z12 rollup cells,
-- so with only the shared filters and a caller the rollup answers for, the cells wholly inside
-- the box are summed from the rollup and only the strips along its edges are read, as
-- incidents_map's city view (20261221100000): for all time at any grid, and dated on the z8
-- grid (the z8 cells are kept per year and month; the edge days' incidents are read). Each cell
-- comes at its centre, and is square on the map at every latitude (a degree square is 1.2× as
-- tall as wide at Baghdad's).
-- The block and the strips are now functions of their own, shared by both:
--
--   incident_grid_block (new), incident_box_strips (new),
--   incident_view_cells (was 20261221100000: now incident_grid_block at its level's grid),
--   incidents_map (was 20261222100000: its strips are incident_box_strips),
--   incidents_density (was 20261209300000)

create function public.incident_grid_block(
  p_k integer, p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns table (cx0 integer, cx1 integer, cy0 integer, cy1 integer,
                 w double precision, s double precision, e double precision, n double precision)
language sql immutable parallel safe
as $$
  select b.cx0, b.cx1, b.cy0, b.cy1,
         b.cx0 / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * (b.cy1 + 1) / g.size)))),
         (b.cx1 + 1) / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * b.cy0 / g.size))))
  from (select power(2, p_k)::double precision as size) g
  cross join lateral (
    select greatest(1, ceil((p_west + 1e-7 + 180) / 360 * g.size))::integer as cx0,
           least(g.size - 2, floor((p_east - 1e-7 + 180) / 360 * g.size) - 1)::integer as cx1,
           greatest(1, ceil((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_north - 1e-7))) / 2)) / pi()) / 2 * g.size))::integer as cy0,
           least(g.size - 2, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_south + 1e-7))) / 2)) / pi()) / 2 * g.size) - 1)::integer as cy1
  ) b
$$;


create or replace function public.incident_view_cells(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns table (level smallint, shift integer, cx0 integer, cx1 integer, cy0 integer, cy1 integer,
                 w double precision, s double precision, e double precision, n double precision)
language sql immutable parallel safe
as $$
  select l.level, 24 - l.k, b.cx0, b.cx1, b.cy0, b.cy1, b.w, b.s, b.e, b.n
  from (select case when p_east - p_west < 0.25 then 12 when p_east - p_west < 4 then 10 else 8 end::smallint as level) l0
  cross join lateral (select l0.level, case l0.level when 8 then 14 when 10 then 17 else 19 end as k) l
  cross join lateral public.incident_grid_block(l.k, p_west, p_south, p_east, p_north) b
$$;


create function public.incident_box_strips(
  p_from date, p_to date, p_types text[], p_area text[],
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_shift integer, p_cx0 integer, p_cx1 integer, p_cy0 integer, p_cy1 integer,
  p_w double precision, p_s double precision, p_e double precision, p_n double precision,
  p_exact boolean
) returns table (event_type text, fatalities integer, px bigint, py bigint)
language sql stable
as $$
  select i.event_type, i.fatalities, c.px, c.py
  from public.incidents_filtered(p_from, p_to, p_types, p_area) i
  cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
  where c.point_kind in ('any', case when p_exact then 'exact' else 'coarse' end)
    and not ((c.px >> p_shift) between p_cx0 and p_cx1 and (c.py >> p_shift) between p_cy0 and p_cy1)
    and ((p_exact and i.lon between p_west and p_east
          and ((i.lat > p_n - 1e-7 and i.lat <= p_north)
            or (i.lat >= p_south and i.lat < p_s + 1e-7)
            or (i.lat between p_south and p_north and i.lon < p_w + 1e-7)
            or (i.lat between p_south and p_north and i.lon > p_e - 1e-7)))
      or (not p_exact and i.lon_coarse between p_west and p_east
          and ((i.lat_coarse > p_n - 1e-7 and i.lat_coarse <= p_north)
            or (i.lat_coarse >= p_south and i.lat_coarse < p_s + 1e-7)
            or (i.lat_coarse between p_south and p_north and i.lon_coarse < p_w + 1e-7)
            or (i.lat_coarse between p_south and p_north and i.lon_coarse > p_e - 1e-7))))
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
  v_counts jsonb;
  v_box boolean;
begin
  -- Dates that reach past the first or last day the caller may see of the filter (the analysis
  -- screen's map sends the data's own range) filter nothing: dropped, the paths below can take
  -- the view (the day rollup's index gives both days).
  if v_shared and p_from is not null and p_from <= public.incident_rollup_edge_day(false, null, null, p_types, p_area) then
    p_from := null;
  end if;
  if v_shared and p_to is not null and p_to >= public.incident_rollup_edge_day(true, null, null, p_types, p_area) then
    p_to := null;
  end if;
  -- The whole view: incident_view_holds_all (31_incident_cells.sql) says the box holds all; the
  -- points then need no viewport test (v_box false), which would steer them off the date index.
  -- Not asked of a box under 4° wide (a city, a district; 60–90 ms at 3,000,000 incidents): the
  -- part-of-the-country path below answers it for all time.
  if v_shared and public.incident_rollup_months(p_from, p_to)
     and (p_west is null or p_east - p_west >= 4 or p_from is not null or p_to is not null)
     and public.incident_view_holds_all(p_west, p_south, p_east, p_north) then
    with counts as (
      select r.event_type, sum(r.incidents) as n, sum(r.fatalities) as fat
      from public.incident_rollup_span_rows(p_from, p_to, p_types, p_area) r
      group by 1
    )
    select jsonb_build_object(
      'total', coalesce((select sum(n) from counts), 0),
      'fatalities', coalesce((select sum(fat) from counts), 0),
      'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb))
    into v_counts;
    v_box := false;
  end if;

  -- Part of the country, for all time: the cells of the cell rollup's level wholly inside the
  -- box (incident_view_cells) summed, and the incidents inside the box but in no such cell —
  -- those lie in the strips between the cells and the box's edges, which the (lat, lon) index
  -- of the point the caller sees reads (one range per strip); incident_cells, which placed every
  -- incident in its cell for the rollup, tells exactly which of them the cells did not count.
  if v_counts is null and v_shared and p_from is null and p_to is null and p_west is not null then
    select * into b from public.incident_view_cells(p_west, p_south, p_east, p_north);
    if b.cx0 <= b.cx1 and b.cy0 <= b.cy1 then
      with cells as (
        select r.event_type, r.incidents as n, r.fatalities as fat
        from public.incident_cell_rollup r
        where r.level = b.level and r.period = 'all' and r.day is null
          and r.cx between b.cx0 and b.cx1 and r.cy between b.cy0 and b.cy1
          and r.point_kind in ('any', v_kind)
          and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
          and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
      ),
      strips as (
        select x.event_type, 1 as n, x.fatalities as fat
        from public.incident_box_strips(null, null, p_types, p_area, p_west, p_south, p_east, p_north, b.shift,
               b.cx0, b.cx1, b.cy0, b.cy1, b.w, b.s, b.e, b.n, v_exact) x
      ),
      counts as (
        select event_type, sum(n) as n, sum(fat) as fat
        from (select * from cells union all select * from strips) x group by 1
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
      else (select coalesce(jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                     round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)), '[]'::jsonb)
            from (select id, public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode, admin3_pcode, v_scope) as geom,
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
     and p_west is not null and v_level is not null
     and public.incident_rollup_usable(p_area);
  v_exact boolean := v_scope is null;  -- the caller sees exact points (analysts, admins)
  v_cells boolean;  -- the rollup's cells and the strips, not the scan
  b record;
  -- Dated, on the z8 level's grid (k ≤ 14), as incident_tile_cells: the whole years and the whole
  -- months around them from the rollup, [v_m0, v_m1), and the incidents of the edge days
  v_lo date;
  v_hi date;
  v_m0 date;
  v_m1 date;
  v_y0 date;
  v_y1 date;
begin
  -- Dates that reach past the first or last day the caller may see filter nothing (as incidents_map).
  if v_shared and p_from is not null and p_from <= public.incident_rollup_edge_day(false, null, null, p_types, p_area) then
    p_from := null;
  end if;
  if v_shared and p_to is not null and p_to >= public.incident_rollup_edge_day(true, null, null, p_types, p_area) then
    p_to := null;
  end if;
  select * into b from public.incident_grid_block(v_k, p_west, p_south, p_east, p_north);
  v_cells := coalesce(v_shared and b.cx0 <= b.cx1 and b.cy0 <= b.cy1
                      and ((p_from is null and p_to is null) or v_level = 8), false);
  v_lo := coalesce(p_from, date '0001-01-01');
  v_hi := coalesce(p_to + 1, date '9999-01-01');
  v_m0 := case when p_from is null and p_to is null then v_hi
               when v_lo = date_trunc('month', v_lo) then v_lo else (date_trunc('month', v_lo) + interval '1 month')::date end;
  v_m1 := greatest(v_m0, date_trunc('month', v_hi)::date);
  v_y0 := case when v_lo = date_trunc('year', v_lo) then v_lo else (date_trunc('year', v_lo) + interval '1 year')::date end;
  v_y1 := greatest(v_y0, date_trunc('year', v_hi)::date);

  return (
  with cells as (
    select r.cx::bigint >> v_shift as gx, r.cy::bigint >> v_shift as gy,
           r.incidents as n, r.fatalities as fat, r.fatalities_known as known
    from public.incident_cell_rollup r
    where v_cells and r.level = v_level
      and ((p_from is null and p_to is null and r.period = 'all' and r.day is null)
        or (not (p_from is null and p_to is null) and r.period = 'year' and r.day >= v_y0 and r.day < v_y1)
        or (not (p_from is null and p_to is null) and r.period = 'month' and r.day >= v_m0 and r.day < v_m1 and not (r.day >= v_y0 and r.day < v_y1)))
      and r.cx between b.cx0::bigint << v_shift and ((b.cx1::bigint + 1) << v_shift) - 1
      and r.cy between b.cy0::bigint << v_shift and ((b.cy1::bigint + 1) << v_shift) - 1
      and r.point_kind in ('any', case when v_exact then 'exact' else 'coarse' end)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
  ),
  strips as (
    select x.px >> (24 - v_k) as gx, x.py >> (24 - v_k) as gy,
           1 as n, coalesce(x.fatalities, 0) as fat, (x.fatalities is not null)::integer as known
    from public.incident_box_strips(case when p_from is null and p_to is null then null else v_m0 end,
           case when p_from is null and p_to is null then null else v_m1 - 1 end, p_types, p_area,
           p_west, p_south, p_east, p_north, 24 - v_k, b.cx0, b.cx1, b.cy0, b.cy1, b.w, b.s, b.e, b.n, v_exact) x
    where v_cells and (p_from is null and p_to is null or v_m0 < v_m1)
  ),
  edges as (
    -- the edge days' incidents in the box, in the block or not (none for all time)
    select c.px >> (24 - v_k) as gx, c.py >> (24 - v_k) as gy,
           1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from (select * from public.incidents_filtered(v_lo, least(v_m0, v_hi) - 1, p_types, p_area, p_west, p_south, p_east, p_north)
          union all
          select * from public.incidents_filtered(greatest(v_m1, v_lo), v_hi - 1, p_types, p_area, p_west, p_south, p_east, p_north)) i
    cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
    where v_cells and not (p_from is null and p_to is null)
      and c.point_kind in ('any', case when v_exact then 'exact' else 'coarse' end)
  ),
  scan as (
    select c.px >> (24 - v_k) as gx, c.py >> (24 - v_k) as gy,
           1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
    cross join lateral (select public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode,
                                 i.admin2_pcode, i.admin3_pcode, v_scope) as pt) p
    cross join lateral public.incident_cells(st_x(p.pt), st_y(p.pt), null, null, false) c
    where not v_cells
  ),
  g as (
    select gx, gy, sum(n) as n, sum(fat) as fat, sum(known) as known
    from (select * from cells union all select * from strips union all select * from edges union all select * from scan) t
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

