-- The incidents behind one bar of an analysis chart, for the map to pick them out: the shared
-- filters (incidents_filtered) narrowed by what a bar can stand for and the shared filters cannot
-- express — an hour of day, a day of week, an actor (either side), or a stack group of areas
-- (one area, "no area at this level", or "every area but these" for the chart's "other" group).
-- The hour and weekday rules are incidents_time_pattern's, so a bar's count and the highlight's
-- total agree: the hour only where the time is exact, the weekday only where the day is known.
-- Same answer shape as incidents_map; the bbox is optional (a chart bar counts the whole country).
create function public.incidents_highlight(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_hour integer default null,
  p_dow integer default null,
  p_actor uuid default null,
  p_admin_level integer default null,
  p_admin_in text[] default null,
  p_admin_out text[] default null,
  p_limit integer default 5000
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
  with f as (
    select i.id, i.geom, i.event_type, i.event_date, i.fatalities
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    -- 'none' stands for "placed in no area of that level", as the charts' group keys say
    cross join lateral (select coalesce(case p_admin_level when 1 then i.admin1_pcode
                                                          when 2 then i.admin2_pcode
                                                          else i.admin3_pcode end, 'none') as k) a
    where (p_hour is null or (i.time_precision = 'exact' and i.event_time is not null
                              and extract(hour from i.event_time)::int = p_hour))
      and (p_dow is null or (i.time_precision in ('exact', 'day') and extract(isodow from i.event_date)::int = p_dow))
      and (p_actor is null or i.actor1_id = p_actor or i.actor2_id = p_actor)
      and (p_admin_level is null or p_admin_in is null or a.k = any (p_admin_in))
      and (p_admin_level is null or p_admin_out is null or a.k <> all (p_admin_out))
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
$$;
