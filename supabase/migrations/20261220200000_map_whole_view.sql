-- The map's whole view from the rollups (issue 16).
--
-- The map's first view (the country at a glance) asks /map/incidents for a box that holds every
-- incident, and incidents_map read every incident of the filter twice over (the counts, and the
-- 5,000 most recent points): 4–6 s as an analyst at 3,000,000 incidents, the slowest call the
-- map makes. When the box holds every incident the caller may see (incident_view_holds_all, from
-- the cell rollup's z8 cells), with only the shared filters and whole months, the counts now come
-- from the month rollup (20261220100000) and the points through the date index.
--
--   incidents_map (was 20261209300000)

create function public.incident_view_holds_all(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns boolean
language sql stable
set search_path = public, pg_temp
as $$
  select p_west is null or coalesce((
    select p_west <= min(r.cx) / 16384.0 * 360 - 180 - 1e-9
       and p_east >= (max(r.cx) + 1) / 16384.0 * 360 - 180 + 1e-9
       -- the outermost rows of cells also hold what lies beyond the Web Mercator limits
       and p_north >= case when min(r.cy) = 0 then 90
                           else degrees(atan(sinh(pi() * (1 - 2 * min(r.cy) / 16384.0)))) + 1e-9 end
       and p_south <= case when max(r.cy) = 16383 then -90
                           else degrees(atan(sinh(pi() * (1 - 2 * (max(r.cy) + 1) / 16384.0)))) - 1e-9 end
    from public.incident_cell_rollup r
    where r.level = 8 and r.period = 'all' and r.day is null
    having count(*) > 0), true)
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
  p_status text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
begin
  -- A view that holds every incident the caller may see (the country at a glance, the map's
  -- first view) with only the shared filters and whole months: the counts from the month rollup
  -- and the most recent points through the date index, instead of reading every incident twice
  -- (4–6 s at 3,000,000 incidents). incident_view_holds_all (31_incident_cells.sql) says so from
  -- the cell rollup's extent. Same answer as the scan below.
  if v_place is null and not coalesce(p_precise_only, false)
     and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
       + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
       + coalesce(cardinality(p_reliability), 0) = 0
     and public.incident_rollup_usable(p_area)
     and public.incident_rollup_months(p_from, p_to)
     and public.incident_view_holds_all(p_west, p_south, p_east, p_north) then
    return (
    with counts as (
      select r.event_type, sum(r.incidents) as n, sum(r.fatalities) as fat
      from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
      group by 1
    ),
    pts as (
      select id, public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode, admin3_pcode, v_scope) as geom,
             event_type, fatalities, serious, event_date
      from public.incidents_filtered(p_from, p_to, p_types, p_area)
      order by event_date desc, id limit greatest(p_limit, 0)
    )
    select jsonb_build_object(
      'total', coalesce((select sum(n) from counts), 0),
      'fatalities', coalesce((select sum(fat) from counts), 0),
      'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb),
      'points', coalesce((select jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                   round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)) from pts), '[]'::jsonb)
    ));
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
    'points', coalesce((select jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                 round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)) from pts), '[]'::jsonb)
  )
  );
end
$$;
