-- The map's view of part of the country from the cell rollup (issue 16).
--
-- A city view (Baghdad, Mosul) asked incidents_map to count every incident in the box and to
-- sort them for the 5,000 most recent points, which the map then threw away when there were
-- more (it draws such a view from the vector tiles): 1.7–1.9 s as an analyst at 3,000,000
-- incidents. For all time with only the shared filters, the counts now come from the cell
-- rollup's cells wholly inside the box (incident_view_cells) plus the incidents of the strips
-- along its edges, read through the (lat, lon) index of the point the caller sees; and with
-- p_complete (the map's points request) no point is looked for when they would not all fit.
--
--   incidents_map (was 20261220200000): p_complete added, so the old signature goes first.

drop function public.incidents_map(double precision, double precision, double precision, double precision, date, date, text[], text[], integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[], text[]);

-- The block of one level's cells that lies inside the box [p_west, p_east] × [p_south, p_north],
-- for incidents_map's part-of-the-country path: every incident the cell rollup puts in one of
-- these cells is inside the box (a margin of 1e-7° for the rounding of the cells' edges; the
-- outermost rows and columns of the grid, which also hold what lies beyond the Web Mercator
-- limits and the antimeridian, are never inside), and any incident inside the box but in no such
-- cell lies outside the block's rectangle (w, s, e, n) shrunk by the same margin, in a strip
-- along the box's edges. The level is the finest whose cells keep the block's rows few: z12
-- (32 px at z12, ~70 m) for a box under 0.25° wide, z10 (~300 m) under 4°, else z8 (~2.4 km).
-- shift turns a z24 pixel of incident_cells into the level's cell. An empty block has
-- cx0 > cx1 or cy0 > cy1.
create function public.incident_view_cells(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns table (level smallint, shift integer, cx0 integer, cx1 integer, cy0 integer, cy1 integer,
                 w double precision, s double precision, e double precision, n double precision)
language sql immutable parallel safe
as $$
  select g.level, g.shift, b.cx0, b.cx1, b.cy0, b.cy1,
         b.cx0 / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * (b.cy1 + 1) / g.size)))),
         (b.cx1 + 1) / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * b.cy0 / g.size))))
  from (select case when p_east - p_west < 0.25 then 12 when p_east - p_west < 4 then 10 else 8 end::smallint as level) l
  cross join lateral (select l.level, case l.level when 8 then 10 when 10 then 7 else 5 end as shift,
                             case l.level when 8 then 16384.0 when 10 then 131072.0 else 524288.0 end::double precision as size) g
  cross join lateral (
    select greatest(1, ceil((p_west + 1e-7 + 180) / 360 * g.size))::integer as cx0,
           least(g.size - 2, floor((p_east - 1e-7 + 180) / 360 * g.size) - 1)::integer as cx1,
           greatest(1, ceil((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_north - 1e-7))) / 2)) / pi()) / 2 * g.size))::integer as cy0,
           least(g.size - 2, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_south + 1e-7))) / 2)) / pi()) / 2 * g.size) - 1)::integer as cy1
  ) b
$$;

-- What the map draws: the matching incidents in the viewport as compact rows
-- [id, lon, lat, event_type, fatalities, serious, event_date] (at most p_limit, the most recent
-- first; serious and the date colour points by seriousness or recency, issue 13), and the exact
-- counts in the viewport and by type, so the shown numbers stay true when points are capped.
-- With p_complete the points come only when all of them fit under p_limit (else none: the map
-- then draws the view from the vector tiles and would never draw them), and are not looked for.
-- Map views, density and the GeoJSON API used their indexes only on paper: an SQL-language
-- function that cannot be inlined (these build one JSON answer with CTEs) is planned once per
-- call with its arguments as unknown parameters, and a generic plan cannot use an index for
-- "p_from is null or event_date >= p_from" or the viewport test — every call scanned every
-- incident (≈100 ms for a 79-incident view at 207k incidents on PostgreSQL, 1–2 s on PGlite).
-- As PL/pgSQL with plan_cache_mode = force_custom_plan, each call is planned with its actual
-- values: the unused filters fold away and the (lat, lon) and date indexes serve the rest.
-- Three ways to the same answer (supabase/tests/map-whole-view.test.ts and
-- map-part-view.test.ts compare each with the scan):
--  * the whole view (20261220200000): a box that holds every incident the caller may see, with
--    only the shared filters and whole months — counts from the month rollup;
--  * part of the country for all time (20261221100000): the counts of the cells inside the box
--    from the cell rollup, plus the incidents of the strips along its edges — a city view read
--    every incident in it (1.7–1.9 s for Baghdad at 3,000,000 incidents);
--  * otherwise the scan.
create function public.incidents_map(
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
      from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
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
        select i.event_type, 1 as n, i.fatalities as fat
        from public.incidents_filtered(null, null, p_types, p_area) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
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
