-- Map views, density and the GeoJSON API used their indexes only on paper: an SQL-language
-- function that cannot be inlined (these build one JSON answer with CTEs) is planned once per
-- call with its arguments as unknown parameters, and a generic plan cannot use an index for
-- "p_from is null or event_date >= p_from" or the viewport test — every call scanned every
-- incident (≈100 ms for a 79-incident view at 207k incidents on PostgreSQL, 1–2 s on PGlite).
-- As PL/pgSQL with plan_cache_mode = force_custom_plan, each call is planned with its actual
-- values: the unused filters fold away and the (lat, lon) and date indexes serve the rest.
-- Bodies and answers are unchanged.

create or replace function public.incidents_map(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_limit integer default 20000
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  return (
  with f as (
    select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
  ),
  counts as (
    select event_type, count(*) as n, sum(fatalities) as fat from f group by event_type
  ),
  pts as (
    select id, geom, event_type, fatalities from f order by event_date desc, id limit greatest(p_limit, 0)
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb),
    'points', coalesce((select jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                 round(st_y(geom)::numeric, 5), event_type, fatalities)) from pts), '[]'::jsonb)
  )
  );
end
$$;

create or replace function public.incidents_density(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_cell double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  return (
  select coalesce(jsonb_agg(jsonb_build_array(round(x::numeric, 5), round(y::numeric, 5), n, fat)), '[]'::jsonb)
  from (
    select st_x(c) as x, st_y(c) as y, count(*) as n, sum(fatalities) as fat
    from (
      select st_snaptogrid(geom, greatest(p_cell, 0.0001)) as c, fatalities
      from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
    ) s
    group by c
  ) g
  );
end
$$;

create or replace function public.incidents_geojson(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 1000, p_offset integer default 0
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  return (
  with f as (
    select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
  ),
  page as (
    select * from f order by event_date desc, id limit least(greatest(p_limit, 0), 10000) offset greatest(p_offset, 0)
  )
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'total', (select count(*) from f),
    'limit', p_limit, 'offset', p_offset,
    'features', coalesce((select jsonb_agg(jsonb_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', st_asgeojson(p.geom, 6)::jsonb,
        'properties', to_jsonb(p) - 'geom' || jsonb_build_object('actor1', a1.name, 'actor2', a2.name)
      ) order by p.event_date desc, p.id)
      from page p
      left join public.actors a1 on a1.id = p.actor1_id
      left join public.actors a2 on a2.id = p.actor2_id), '[]'::jsonb))
  );
end
$$;
