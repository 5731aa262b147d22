-- Issue 13: the map colours points by seriousness or recency, so each point row of
-- incidents_map also carries `serious` and `event_date`:
-- [id, lon, lat, event_type, fatalities, serious, event_date]. Readers of the first five are
-- unchanged. Same signature as 20261205010000_map_filters.

drop function public.incidents_map(double precision, double precision, double precision, double precision,
  date, date, text[], text, integer, jsonb, uuid, double precision, double precision, double precision,
  boolean, text[], text[], uuid[], text[], text[]);

create function public.incidents_map(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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
