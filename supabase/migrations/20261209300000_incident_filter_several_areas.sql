-- Issue 13, point 2: "… or picks admin areas". The incident filter's area took one P-code; it
-- takes a list now (area=IQG08,IQG15Q08 in the API, any admin level, mixed), and an incident is
-- in when its admin1, admin2 or admin3 P-code is one of them: a parent and its child count each
-- incident once. public.incidents_filtered (30_incidents.sql) holds the rule; every function
-- that passed the single area on (map, density, list, GeoJSON, counts, tiles, exports, stats,
-- highlight) takes p_area text[] instead, and the summary (incident_rollup) answers for any
-- list of governorates and districts. An empty list filters nothing, as for p_types.
-- public.areas_unknown names the codes that are no area, for the API's 400.

-- The old signatures (area as one text) go first: a call naming only the old arguments would
-- otherwise be ambiguous between the two.

drop function public.incidents_filtered(date, date, text[], text, double precision, double precision, double precision, double precision);
drop function public.incident_rollup_usable(text, double precision);
drop function public.incidents_refined(date, date, text[], text, double precision, double precision, double precision, double precision, geometry, double precision, boolean, text[], text[], uuid[], text[], text[], text[]);
drop function public.incident_tile_rows(integer, integer, integer, date, date, text[], text);
drop function public.incident_tile_mvt(integer, integer, integer, date, date, text[], text);
drop function public.incident_tile_json(integer, integer, integer, date, date, text[], text);
drop function public.incidents_map(double precision, double precision, double precision, double precision, date, date, text[], text, integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[], text[]);
drop function public.incidents_density(double precision, double precision, double precision, double precision, double precision, date, date, text[], text, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[], text[]);
drop function public.incidents_geojson(date, date, text[], text, double precision, double precision, double precision, double precision, integer, integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[], text[]);
drop function public.incident_counts(date, date, text[], text);
drop function public.incidents_list(date, date, text[], text, double precision, double precision, double precision, double precision, text, text[], text, text, integer, integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[]);
drop function public.incident_counts_in_place(date, date, text[], text, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[], text[]);
drop function public.incidents_export(date, date, text[], text, double precision, double precision, double precision, double precision, text, text[], text, date, uuid, integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[]);
drop function public.incident_stats(date, date, text[], text, double precision, double precision, double precision, double precision, text, text);
drop function public.incidents_by_area(date, date, text[], text, double precision, double precision, double precision, double precision, integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[], uuid[], text[], text[]);
drop function public.incidents_calendar(date, date, text[], text, double precision, double precision, double precision, double precision);
drop function public.incidents_time_pattern(date, date, text[], text, double precision, double precision, double precision, double precision);
drop function public.incidents_top_actors(date, date, text[], text, double precision, double precision, double precision, double precision, integer);
drop function public.incidents_sources(date, date, text[], text, double precision, double precision, double precision, double precision);
drop function public.incidents_highlight(date, date, text[], text, double precision, double precision, double precision, double precision, integer, integer, uuid, integer, text[], text[], integer);

-- Redefined with p_area text[] (bodies otherwise unchanged but for the area clauses).

create function public.incidents_filtered(
  p_from date default null,
  p_to date default null,
  p_types text[] default null,
  p_area text[] default null,
  p_west double precision default null,
  p_south double precision default null,
  p_east double precision default null,
  p_north double precision default null
) returns setof public.incidents
language sql stable
as $$
  select i.* from public.incidents i
  where (p_from is null or i.event_date >= p_from)
    and (p_to is null or i.event_date <= p_to)
    and (p_types is null or cardinality(p_types) = 0 or i.event_type = any (p_types))
    -- Any of the areas (their P-codes at any level, mixed): an incident is in when one of its
    -- admin1–3 codes is one of them, so a parent and its child count each incident once.
    and (p_area is null or cardinality(p_area) = 0 or i.admin1_pcode = any (p_area)
         or i.admin2_pcode = any (p_area) or i.admin3_pcode = any (p_area))
    and (p_west is null
         or ((select public.caller_location_scope()) is null
             and i.lon between p_west and p_east and i.lat between p_south and p_north)
         or ((select public.caller_location_scope()) is not null
             and i.lon_coarse between p_west and p_east and i.lat_coarse between p_south and p_north))
$$;

create function public.incident_rollup_usable(p_area text[], p_west double precision default null)
returns boolean
language sql stable
set search_path = public, pg_temp
as $$
  select p_west is null
     and not coalesce((select public.has_app_role('field')), false)
     and (p_area is null or not exists (select 1 from public.areas a where a.pcode = any (p_area) and a.level >= 3))
$$;

create function public.incidents_refined(
  p_from date, p_to date, p_types text[], p_area text[],
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_place geometry, p_within_m double precision, p_precise_only boolean,
  p_lens text[], p_sub_types text[], p_actors uuid[], p_status text[], p_reliability text[],
  p_scope text[]
) returns setof public.incidents
language sql stable
as $$
  select i.* from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  where (p_place is null
         or (p_scope is null and p_within_m is null and st_intersects(i.geom, p_place))
         or (p_scope is null and p_within_m is not null
             and st_dwithin(i.geom::geography, p_place::geography, p_within_m))
         or (p_scope is not null and p_within_m is null
             and st_intersects(public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode,
                               i.admin2_pcode, i.admin3_pcode, p_scope), p_place))
         or (p_scope is not null and p_within_m is not null
             and st_dwithin(public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode,
                            i.admin2_pcode, i.admin3_pcode, p_scope)::geography, p_place::geography, p_within_m)))
    and (not coalesce(p_precise_only, false)
         or (i.geo_precision = 1
             and not public.incident_location_fuzzed(i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                                     i.admin3_pcode, p_scope)))
    and (p_lens is null or cardinality(p_lens) = 0
         or ('us' = any (p_lens) and i.affects_us)
         or ('ngos' = any (p_lens) and i.affects_ngos)
         or ('serious' = any (p_lens) and i.serious))
    and (p_sub_types is null or cardinality(p_sub_types) = 0 or i.sub_event_type = any (p_sub_types))
    and (p_actors is null or cardinality(p_actors) = 0
         or i.actor1_id = any (p_actors) or i.actor2_id = any (p_actors))
    and (p_status is null or cardinality(p_status) = 0 or i.status = any (p_status))
    and (p_reliability is null or cardinality(p_reliability) = 0
         or i.source_reliability = any (p_reliability))
$$;

create function public.incident_tile_rows(
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

create function public.incident_tile_mvt(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns text
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select encode(coalesce(st_asmvt(t, 'incidents', 4096, 'geom'), ''::bytea), 'base64')
  from (
    select st_makepoint(r.px, r.py) as geom, r.id, r.event_type, r.fatalities, r.count
    from public.incident_tile_rows(p_z, p_x, p_y, p_from, p_to, p_types, p_area) r
  ) t
$$;

create function public.incident_tile_json(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_array(r.px, r.py, r.id, r.event_type, r.fatalities, r.count)), '[]'::jsonb)
  from public.incident_tile_rows(p_z, p_x, p_y, p_from, p_to, p_types, p_area) r
$$;

create function public.incidents_map(
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

create function public.incidents_density(
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
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
begin
  return (
  select coalesce(jsonb_agg(jsonb_build_array(round(x::numeric, 5), round(y::numeric, 5), n, fat)), '[]'::jsonb)
  from (
    select st_x(c) as x, st_y(c) as y, count(*) as n, sum(fatalities) as fat
    from (
      select st_snaptogrid(public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode,
                                                            admin3_pcode, v_scope),
                           greatest(p_cell, 0.0001)) as c, fatalities
      from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope)
    ) s
    group by c
  ) g
  );
end
$$;

create function public.incidents_geojson(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 1000, p_offset integer default 0,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null,
  p_status text[] default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
  v jsonb;
begin
  select (
  with f as (
    select * from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope)
  ),
  page as (
    select f.*,
           public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    from f order by event_date desc, id limit least(greatest(p_limit, 0), 10000) offset greatest(p_offset, 0)
  )
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'total', (select count(*) from f),
    'limit', p_limit, 'offset', p_offset,
    'features', coalesce((select jsonb_agg(jsonb_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', st_asgeojson(p.pt, 6)::jsonb,
        'properties', to_jsonb(p) - 'geom' - 'lon' - 'lat' - 'geom_coarse' - 'lon_coarse' - 'lat_coarse'
                      - 'pt' - 'fuzzed'
                      || jsonb_build_object('actor1', a1.name, 'actor2', a2.name,
                                            'location_fuzzed', p.fuzzed,
                                            'location_name', public.incident_place_for_caller(p.location_name, p.geom_coarse, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode, v_scope),
                                            'geo_precision', case when p.fuzzed then 3 else p.geo_precision end)
      ) order by p.event_date desc, p.id)
      from page p
      left join public.actors a1 on a1.id = p.actor1_id
      left join public.actors a2 on a2.id = p.actor2_id), '[]'::jsonb))
  ) into v;
  -- Restricted rows read through a list are on record: one row per request, not one per incident.
  perform public.incidents_note_restricted_read(v -> 'features', 'incidents_geojson');
  return v;
end
$$;

create function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if public.incident_rollup_usable(p_area) then
    return (
      with f as (
        select r.day as event_date, r.event_type, r.admin1_pcode, r.incidents as n, r.fatalities as fat
        from public.incident_rollup r
        where (p_from is null or r.day >= p_from)
          and (p_to is null or r.day <= p_to)
          and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
          and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
      )
      select jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from f),
        'fatalities', (select coalesce(sum(fat), 0) from f),
        'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                     (select extract(year from event_date)::int as y, sum(n) as n from f group by 1) t),
        'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                     (select admin1_pcode as k, sum(n) as n from f group by 1) t),
        'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                     (select event_type, sum(n) as n from f group by 1) t)));
  end if;
  return (
  with f as (select * from public.incidents_filtered(p_from, p_to, p_types, p_area))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'fatalities', (select coalesce(sum(fatalities), 0) from f),
    'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                 (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t),
    'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                 (select admin1_pcode as k, count(*) as n from f group by 1) t),
    'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                 (select event_type, count(*) as n from f group by 1) t)));
end
$$;

create function public.incidents_list(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_q text default null, p_status text[] default null,
  p_sort text default 'event_date', p_dir text default 'desc',
  p_limit integer default 50, p_offset integer default 0,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_q tsquery := case when nullif(trim(coalesce(p_q, '')), '') is not null
                      then websearch_to_tsquery('english'::regconfig, p_q) end;
  v_order text;
  v_total bigint;
  v_rows jsonb;
  v_dir text := case when lower(coalesce(p_dir, 'desc')) = 'asc' then 'asc' else 'desc' end;
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
begin
  v_order := case coalesce(p_sort, 'event_date')
    when 'event_date' then format('f.event_date %s, f.id %s', v_dir, v_dir)
    when 'event_type' then format('f.event_type %s, f.event_date desc, f.id', v_dir)
    when 'fatalities' then format('f.fatalities %s, f.event_date desc, f.id', v_dir)
    when 'status' then format('f.status %s, f.event_date desc, f.id', v_dir)
    when 'location' then format('f.place %s nulls last, f.event_date desc, f.id', v_dir)
    when 'admin1' then format('r1.name_en %s nulls last, f.event_date desc, f.id', v_dir)
    when 'created_at' then format('f.created_at %s, f.id', v_dir)
    when 'updated_at' then format('f.updated_at %s, f.id', v_dir)
    when 'relevance' then format('rank %s, f.event_date desc, f.id', v_dir)
  end;
  if v_order is null then
    raise exception 'sort: unknown column "%"', p_sort using errcode = '22023';
  end if;
  if p_sort = 'relevance' and v_q is null then
    v_order := format('f.event_date %s, f.id %s', v_dir, v_dir);
  end if;

  select count(*) into v_total
  from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
         v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) f
  where (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
    and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
          f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope, v_q);

  execute format($q$
    select coalesce(jsonb_agg(t.j order by t.n), '[]'::jsonb) from (
      select row_number() over (order by %1$s) as n, jsonb_build_object(
        'id', f.id, 'event_date', f.event_date, 'event_time', f.event_time,
        'time_precision', f.time_precision, 'event_type', f.event_type,
        'sub_event_type', f.sub_event_type, 'status', f.status, 'confidentiality', f.confidentiality,
        'location_name', f.place, 'admin1_pcode', f.admin1_pcode, 'admin1_name', r1.name_en,
        'admin1_name_ar', r1.name_ar, 'admin2_pcode', f.admin2_pcode, 'admin2_name', r2.name_en,
        'fatalities', f.fatalities, 'injuries', f.injuries, 'abductions', f.abductions,
        'serious', f.serious, 'affects_us', f.affects_us, 'affects_ngos', f.affects_ngos,
        'source', f.source, 'merged_into', f.merged_into,
        'lon', round(st_x(f.pt)::numeric, 6), 'lat', round(st_y(f.pt)::numeric, 6),
        'geo_precision', case when f.fuzzed then 3 else f.geo_precision end,
        'location_fuzzed', f.fuzzed, 'sensitive_location', f.sensitive_location,
        'actor1', a1.name, 'actor2', a2.name,
        'snippet', case when $9 is not null
                        then ts_headline('english', f.notes, $9, 'MaxWords=30, MinWords=10, StartSel=«, StopSel=»')
                        else left(f.notes, 200) end,
        'updated_at', f.updated_at) as j
      from (
        select f.*, case when $9 is not null
                         then ts_rank(public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type), $9)
                         else 0 end as rank,
               public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as fuzzed,
               public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as pt,
               public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as place
        from public.incidents_refined($1, $2, $3, $4, $5, $6, $7, $8, $14, $15, $16,
               $17, $18, $19, $10, $20, $13) f
        where ($9 is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ $9)
          and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
                f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13, $9)
      ) f
      left join public.areas r1 on r1.pcode = f.admin1_pcode
      left join public.areas r2 on r2.pcode = f.admin2_pcode
      left join public.actors a1 on a1.id = f.actor1_id
      left join public.actors a2 on a2.id = f.actor2_id
      order by %1$s
      limit $11 offset $12
    ) t$q$, v_order)
    into v_rows
    using p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north, v_q, p_status,
          least(greatest(coalesce(p_limit, 50), 1), 1000), greatest(coalesce(p_offset, 0), 0), v_scope,
          v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_reliability;

  -- Restricted rows read through a list are on record: one row per request, not one per incident.
  perform public.incidents_note_restricted_read(v_rows, 'incidents_list');

  return jsonb_build_object('total', v_total, 'limit', least(greatest(coalesce(p_limit, 50), 1), 1000),
                            'offset', greatest(coalesce(p_offset, 0), 0), 'rows', v_rows);
end
$$;

create function public.incident_counts_in_place(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_status text[] default null, p_reliability text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_geom geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
begin
  return (
  with f as (
    select i.*, case when public.incident_location_fuzzed(i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                                          i.admin3_pcode, v_scope)
                     then 3 else i.geo_precision end as prec
    from public.incidents_refined(p_from, p_to, p_types, p_area, null, null, null, null,
                                  v_geom, p_within_km * 1000, p_precise_only,
                                  p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
  )
  select jsonb_build_object(
    'total', (select count(*) from f),
    'fatalities', (select coalesce(sum(fatalities), 0) from f),
    'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                 (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t),
    'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                 (select admin1_pcode as k, count(*) as n from f group by 1) t),
    'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                 (select event_type, count(*) as n from f group by 1) t),
    'by_precision', jsonb_build_object(
                 '1', (select count(*) from f where prec = 1),
                 '2', (select count(*) from f where prec = 2),
                 '3', (select count(*) from f where prec = 3)),
    'imprecise', (select count(*) from f where prec > 1),
    'precise_only', coalesce(p_precise_only, false)));
end
$$;

create function public.incidents_export(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_q text default null, p_status text[] default null,
  p_format text default null,
  p_after_date date default null, p_after_id uuid default null,
  p_limit integer default 2000,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_q tsquery := case when nullif(trim(coalesce(p_q, '')), '') is not null
                      then websearch_to_tsquery('english'::regconfig, p_q) end;
  v_rows jsonb;
  v_total bigint;
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
begin
  if p_after_id is null then
    select count(*) into v_total
    from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) f
    where (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
      and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
            f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope, v_q);
    perform public.audit_record('export', 'incidents', jsonb_strip_nulls(jsonb_build_object(
      'format', p_format, 'rows', v_total, 'from', p_from, 'to', p_to, 'types', p_types, 'area', p_area,
      'bbox', case when p_west is not null then jsonb_build_array(p_west, p_south, p_east, p_north) end,
      'q', p_q, 'status', p_status,
      'geometry_id', p_geometry_id, 'geometry', case when p_geometry is not null then true end,
      'lat', p_lat, 'lon', p_lon, 'within_km', p_within_km,
      'precise', case when p_precise_only then true end, 'lens', p_lens, 'sub_types', p_sub_types,
      'actors', p_actors, 'reliability', p_reliability)));
  end if;

  select coalesce(jsonb_agg(r order by (r ->> 'event_date'), (r ->> 'id')), '[]'::jsonb) into v_rows
  from (
    select jsonb_build_object(
      'id', f.id,
      'upstream_source', coalesce(f.upstream_source, 'terrain'),
      'upstream_id', coalesce(f.upstream_id, f.id::text),
      'event_date', f.event_date, 'event_time', to_char(f.event_time, 'HH24:MI'),
      'time_precision', f.time_precision, 'event_type', f.event_type, 'sub_event_type', f.sub_event_type,
      'actor1', a1.name, 'actor2', a2.name,
      'lat', round(st_y(v.pt)::numeric, 7), 'lon', round(st_x(v.pt)::numeric, 7),
      'geo_precision', case when v.fuzzed then 3 else f.geo_precision end,
      'location_fuzzed', v.fuzzed, 'sensitive_location', f.sensitive_location,
      'location_name', public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope),
      'admin1_pcode', f.admin1_pcode, 'admin1_name', r1.name_en,
      'admin2_pcode', f.admin2_pcode, 'admin2_name', r2.name_en,
      'admin3_pcode', f.admin3_pcode, 'admin3_name', r3.name_en,
      'fatalities', f.fatalities, 'injuries', f.injuries, 'abductions', f.abductions,
      'affects_us', f.affects_us, 'affects_ngos', f.affects_ngos, 'serious', f.serious,
      'ops_impact', f.ops_impact, 'source', f.source, 'source_scale', f.source_scale,
      'source_reliability', f.source_reliability, 'info_credibility', f.info_credibility,
      'confidentiality', f.confidentiality, 'status', f.status, 'status_reason', f.status_reason,
      'notes', f.notes, 'updated_at', f.updated_at) as r
    from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) f
    cross join lateral (
      select public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
             public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    ) v
    left join public.actors a1 on a1.id = f.actor1_id
    left join public.actors a2 on a2.id = f.actor2_id
    left join public.areas r1 on r1.pcode = f.admin1_pcode
    left join public.areas r2 on r2.pcode = f.admin2_pcode
    left join public.areas r3 on r3.pcode = f.admin3_pcode
    where (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
      and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
            f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope, v_q)
      and (p_after_id is null or (f.event_date, f.id) > (p_after_date, p_after_id))
    order by f.event_date, f.id
    limit least(greatest(coalesce(p_limit, 2000), 1), 10000)
  ) t;
  return jsonb_build_object('total', v_total, 'rows', v_rows);
end
$$;

create function public.incident_stats(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_by text default 'month', p_group text default 'type'
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v jsonb;
  v_rollup boolean;
begin
  if p_by is null or p_by not in ('day', 'week', 'month') then
    raise exception 'by: unknown value "%"; use day, week or month', p_by using errcode = '22023';
  end if;
  if p_group is null or p_group not in ('type', 'area1', 'area2', 'none') then
    raise exception 'group: unknown value "%"; use type, area1, area2 or none', p_group using errcode = '22023';
  end if;

  -- From the summary when it can answer (incident_rollup_usable), else from the shared filter:
  -- the branch not taken is skipped by a one-time filter, never read.
  v_rollup := public.incident_rollup_usable(p_area, p_west);
  with bins as (
    select date_trunc(p_by, r.day::timestamp)::date as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by 1, 2
    union all
    select date_trunc(p_by, i.event_date::timestamp)::date as bin,
           coalesce(case p_group when 'type' then i.event_type
                                 when 'area1' then i.admin1_pcode
                                 when 'area2' then i.admin2_pcode
                                 else 'all' end, 'none') as key,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup
    group by 1, 2
  ),
  groups as (
    select b.key, sum(b.n) as n, sum(b.fat) as fat, a.name_en, a.name_ar
    from bins b left join public.areas a on p_group in ('area1', 'area2') and a.pcode = b.key
    group by b.key, a.name_en, a.name_ar
  )
  select jsonb_build_object(
    'by', p_by,
    'group', p_group,
    'total', coalesce((select sum(n) from groups), 0),
    'fatalities', coalesce((select sum(fat) from groups), 0),
    'first_date', (select min(first) from bins),
    'last_date', (select max(last) from bins),
    'groups', coalesce((select jsonb_agg(jsonb_build_object('key', key, 'name_en', name_en, 'name_ar', name_ar,
                          'n', n, 'fatalities', fat) order by n desc, key) from groups), '[]'::jsonb),
    'bins', coalesce((select jsonb_agg(jsonb_build_object('bin', bin, 'key', key, 'n', n, 'fatalities', fat)
                        order by bin, key) from bins), '[]'::jsonb))
  into v;
  return v;
end
$$;

create function public.incidents_by_area(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_level integer default 1,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_status text[] default null, p_reliability text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan  -- the unused filters fold away (see incidents_map)
as $$
declare
  v jsonb;
  v_rollup boolean;
  v_scope text[];
  v_place geometry;
begin
  if p_level is null or p_level not between 1 and 3 then
    raise exception 'level: must be 1 (governorate), 2 (district) or 3 (sub-district)' using errcode = '22023';
  end if;
  v_scope := public.caller_location_scope();
  v_place := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);

  -- One pass over the matching incidents (it read them three times: counts, first and last
  -- date), from the summary when it can answer for this level (governorates and districts)
  -- and no place or further filter is set.
  v_rollup := p_level <= 2 and public.incident_rollup_usable(p_area, p_west)
    and v_place is null and not coalesce(p_precise_only, false)
    and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
      + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
      + coalesce(cardinality(p_reliability), 0) = 0;
  with counts as (
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by 1
    union all
    select case p_level when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as pcode,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status,
           p_reliability, v_scope) i
    where not v_rollup
    group by 1
  ),
  related as (
    -- each area of p_area itself, the areas inside it and the areas it lies in (by the P-code
    -- hierarchy)
    select unnest(p_area) as pcode
    union select a.pcode from public.areas a where a.parent_pcode = any (p_area)
    union select c.pcode from public.areas c join public.areas a on c.parent_pcode = a.pcode where a.parent_pcode = any (p_area)
    union select a.parent_pcode from public.areas a where a.pcode = any (p_area)
    union select b.parent_pcode from public.areas a join public.areas b on b.pcode = a.parent_pcode where a.pcode = any (p_area)
  ),
  scope as (
    select a.* from public.areas a
    where a.level = p_level
      and (p_area is null or cardinality(p_area) = 0 or a.pcode in (select pcode from related))
  )
  select jsonb_build_object(
    'level', p_level,
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'first_date', (select min(first) from counts),
    'last_date', (select max(last) from counts),
    'areas', coalesce((select jsonb_agg(jsonb_build_object(
                 'pcode', s.pcode, 'name_en', s.name_en, 'name_ar', s.name_ar, 'parent_pcode', s.parent_pcode,
                 'n', coalesce(c.n, 0), 'fatalities', coalesce(c.fat, 0))
               order by coalesce(c.n, 0) desc, s.name_en)
               from scope s left join counts c on c.pcode = s.pcode), '[]'::jsonb),
    'unassigned', jsonb_build_object(
                 'n', coalesce((select n from counts where pcode is null), 0),
                 'fatalities', coalesce((select fat from counts where pcode is null), 0)))
  into v;
  return v;
end
$$;

create function public.incidents_calendar(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
as $$
  with days as (
    select i.event_date as d, count(*) as n, sum(i.fatalities) as fat
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by i.event_date
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from days), 0),
    'fatalities', coalesce((select sum(fat) from days), 0),
    'first_date', (select min(d) from days),
    'last_date', (select max(d) from days),
    'days', coalesce((select jsonb_agg(jsonb_build_array(d, n, fat) order by d) from days), '[]'::jsonb))
$$;

create function public.incidents_time_pattern(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
  with cells as (
    -- one grouping of everything: (known weekday?, known hour?) per cell, with the date span
    select case when i.time_precision in ('exact', 'day') then extract(isodow from i.event_date)::int end as dow,
           case when i.time_precision = 'exact' and i.event_time is not null
                then extract(hour from i.event_time)::int end as hour,
           count(*) as n, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by 1, 2
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from cells), 0),
    'with_time', coalesce((select sum(n) from cells where hour is not null), 0),
    'with_day', coalesce((select sum(n) from cells where dow is not null), 0),
    'first_date', (select min(first) from cells),
    'last_date', (select max(last) from cells),
    'by_hour', (select jsonb_agg(coalesce((select sum(n) from cells c where c.hour = h), 0) order by h) from generate_series(0, 23) h),
    'by_dow', (select jsonb_agg(coalesce((select sum(n) from cells c where c.dow = d), 0) order by d) from generate_series(1, 7) d),
    'dow_hour', coalesce((select jsonb_agg(jsonb_build_array(dow, hour, n) order by dow, hour)
                          from cells where hour is not null and dow is not null), '[]'::jsonb))
$$;

create function public.incidents_top_actors(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 10
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v jsonb;
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception 'limit: must be between 1 and 100' using errcode = '22023';
  end if;
  with f as materialized (
    select i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  sides as (
    -- an incident with the same actor on both sides counts once for it (repeat = true on side 2)
    select actor1_id as actor_id, 1 as side, fatalities, false as repeat from f where actor1_id is not null
    union all
    select actor2_id, 2, fatalities, coalesce(actor2_id = actor1_id, false) from f where actor2_id is not null
  ),
  per_actor as (
    select actor_id,
           count(*) filter (where not repeat) as n,
           count(*) filter (where side = 1) as as1,
           count(*) filter (where side = 2) as as2,
           coalesce(sum(fatalities) filter (where not repeat), 0) as fat
    from sides group by actor_id
  ),
  top as (
    select p.*, a.name, a.actor_type
    from per_actor p join public.actors a on a.id = p.actor_id
    order by p.n desc, a.name
    limit p_limit
  ),
  totals as (
    select count(*) as total, count(*) filter (where actor1_id is not null or actor2_id is not null) as with_actor,
           min(event_date) as first, max(event_date) as last
    from f
  )
  select jsonb_build_object(
    'total', t.total,
    'with_actor', t.with_actor,
    'first_date', t.first,
    'last_date', t.last,
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', actor_id, 'name', name, 'actor_type', actor_type,
                 'n', n, 'as_actor1', as1, 'as_actor2', as2, 'fatalities', fat) order by n desc, name) from top), '[]'::jsonb))
  into v
  from totals t;
  return v;
end
$$;

create function public.incidents_sources(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
as $$
  select coalesce(jsonb_agg(jsonb_build_object('source', s, 'n', n, 'first_date', f, 'last_date', l) order by n desc, s), '[]'::jsonb)
  from (
    select i.upstream_source as s, count(*) as n, min(i.event_date) as f, max(i.event_date) as l
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by i.upstream_source
  ) x
$$;

create function public.incidents_highlight(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
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
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare v_scope text[] := public.caller_location_scope();
begin
  return (
  with f as (
    select i.id, public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                                  i.admin3_pcode, v_scope) as geom,
           i.event_type, i.event_date, i.fatalities
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
  );
end
$$;

-- Callers that filter by one area they hold as text: the same one-element list.

create or replace function public.area_baseline(p_pcode text default null, p_as_of date default null, p_types text[] default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_d date := coalesce(p_as_of, current_date);
  a public.areas;
  v jsonb;
begin
  if p_pcode is not null then
    select * into a from public.areas where pcode = p_pcode;
    if a.pcode is null then
      raise exception 'pcode: no area with P-code %', p_pcode using errcode = 'P0002';
    end if;
  end if;

  with weeks as (
    -- week k ends on D − 7k; weeks 0–3 are the 4-week window, 4–55 the baseline
    select k, count(i.event_date) as n
    from generate_series(0, 55) k
    left join public.incidents_filtered(v_d - 391, v_d, p_types, array_remove(array[p_pcode], null)) i on (v_d - i.event_date) / 7 = k
    group by k
  ),
  sums as (
    select coalesce(sum(n) filter (where k = 0), 0)::bigint as w1,
           coalesce(sum(n) filter (where k < 4), 0)::bigint as w4,
           coalesce(sum(n) filter (where k >= 4), 0)::bigint as base
    from weeks
  )
  select public.baseline_windows(v_d) || jsonb_build_object(
    'row', public.baseline_json(a.pcode, coalesce(a.level::int, 0), a.name_en, a.name_ar, a.parent_pcode, s.w1, s.w4, s.base,
                                public.baseline_classify(s.w1, s.base, 1), public.baseline_classify(s.w4, s.base, 4)),
    'weeks', (select jsonb_agg(jsonb_build_object('from', v_d - 7 * k - 6, 'to', v_d - 7 * k, 'n', n) order by k desc) from weeks))
  into v
  from sums s;
  return v;
end
$$;

create or replace function public.assessment_profile(
  p_area text default null,
  p_geometry jsonb default null,
  p_buffer_km double precision default null,
  p_as_of date default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_geom geometry := public.assessment_area_geometry(p_area, p_geometry, p_buffer_km);
  v_scope text[] := public.caller_location_scope();
  v_exact boolean := v_scope is null;
  v_field boolean := coalesce(cardinality(v_scope), 0) > 0;
  v_x0 double precision := st_xmin(v_geom);
  v_x1 double precision := st_xmax(v_geom);
  v_y0 double precision := st_ymin(v_geom);
  v_y1 double precision := st_ymax(v_geom);
  v_to date;
  v_12 date;
  v_24 date;
  v_covered text[];
  v_checkpoints uuid[];
  v_contacts jsonb := null;
  v_contact_ids uuid[];
  v jsonb;
begin
  v_to := coalesce(p_as_of, (select max(f.event_date) from public.incidents_filtered() f), current_date);
  v_12 := (v_to - interval '12 months')::date;
  v_24 := (v_to - interval '24 months')::date;

  select coalesce(array_agg(a.pcode order by a.level, a.pcode), '{}') into v_covered
  from public.areas a
  where a.geom && v_geom and (a.pcode = p_area or st_relate(a.geom, v_geom, 'T********'));
  select coalesce(array_agg(k.id), '{}') into v_checkpoints
  from public.checkpoints k where k.geom && v_geom and st_intersects(v_geom, k.geom);

  if (select public.has_app_role('admin', 'analyst', 'field')) then
    select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'full_name', c.full_name, 'name_ar', c.name_ar,
             'role_title', c.role_title, 'organisation', (select ac.name from public.actors ac where ac.id = c.actor_id),
             'sensitivity', c.sensitivity) order by lower(c.full_name), c.id), '[]'::jsonb),
           coalesce(array_agg(c.id), '{}')
      into v_contacts, v_contact_ids
    from sensitive.contacts c
    where exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (v_covered))
       or exists (select 1 from sensitive.contact_checkpoints cc where cc.contact_id = c.id and cc.checkpoint_id = any (v_checkpoints));
    perform public.audit_record('list', 'contacts', jsonb_build_object(
      'count', cardinality(v_contact_ids), 'ids', to_jsonb(v_contact_ids), 'filters', jsonb_build_object('assessment', true)));
  end if;

  with cand as materialized (
    select f.id,
           public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt,
           f.geo_precision
    from public.incidents_filtered(null, v_to) f
    where (v_exact and f.lat between v_y0 and v_y1 and f.lon between v_x0 and v_x1)
       or (not v_exact and f.lat_coarse between v_y0 and v_y1 and f.lon_coarse between v_x0 and v_x1)
       or (v_field and f.geom_coarse is not null and f.lat between v_y0 and v_y1 and f.lon between v_x0 and v_x1)
  ),
  inside as materialized (
    -- at the point the caller sees, whatever its precision: what the area holds on a map
    select * from cand where st_intersects(v_geom, pt)
  ),
  inc as materialized (
    select f.id, f.event_date, f.event_type, f.sub_event_type, f.fatalities, f.serious, f.affects_ngos, f.affects_us,
           f.actor1_id, f.actor2_id,
           public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode,
                                            v_scope) as location_name,
           public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    from (select * from public.incidents_filtered(null, v_to, null, array[p_area]) where p_area is not null
          union all
          select * from public.incidents_refined(null, v_to, null, null, null, null, null, null, v_geom, null, true,
                                                 null, null, null, null, null, v_scope)
          where p_area is null) f
  ),
  coarser as (
    select case when fuzzed then 3 else geo_precision end as prec
    from inside c where not exists (select 1 from inc where inc.id = c.id)
  ),
  actor_counts as (
    select x.actor_id, count(distinct x.id) as n, coalesce(sum(x.fatalities), 0) as fat
    from (select id, actor1_id as actor_id, fatalities from inc where actor1_id is not null
          union all select id, actor2_id, fatalities from inc where actor2_id is not null and actor2_id is distinct from actor1_id) x
    group by x.actor_id
  ),
  months as (
    select to_char(m, 'YYYY-MM') as month from generate_series(
      date_trunc('month', greatest(coalesce((select min(event_date) from inc), v_12 + 1), v_to - interval '240 months')),
      date_trunc('month', v_to), interval '1 month') m
  ),
  present as (
    select distinct on (ac.id) ac.id, ac.name, ac.name_ar, ac.actor_type, ac.stance, ac.influence,
           case when p.pcode is not null then p.pcode else null end as via_pcode
    from public.actor_presence p join public.actors ac on ac.id = p.actor_id
    where (p.valid_from is null or p.valid_from <= v_to) and (p.valid_to is null or p.valid_to >= v_to)
      and (p.pcode = any (v_covered) or (p.geom is not null and p.geom && v_geom and st_relate(p.geom, v_geom, 'T********')))
    order by ac.id, p.pcode nulls last
  ),
  cov as (
    select a.pcode, a.level, a.name_en, a.name_ar, a.geom from public.areas a where a.pcode = any (v_covered)
  ),
  pop as (
    -- Population: the finest admin level with figures, each area counted by the share of its
    -- surface inside the assessed area.
    select c.pcode, c.level, ac.population, ac.population_source, ac.population_date,
           st_area(st_intersection(c.geom, v_geom)::geography) / nullif(st_area(c.geom::geography), 0) as share
    from cov c join public.area_community ac on ac.pcode = c.pcode
    where ac.population is not null
  ),
  pop_level as (select max(level) as lvl from pop)
  select jsonb_build_object(
    'as_of', v_to,
    'area', jsonb_build_object(
      'mode', case when p_area is not null then 'area' when p_buffer_km is not null then 'buffer' else 'geometry' end,
      'pcode', p_area,
      'name_en', (select a.name_en from public.areas a where a.pcode = p_area),
      'name_ar', (select a.name_ar from public.areas a where a.pcode = p_area),
      'buffer_km', p_buffer_km,
      'area_km2', round((st_area(v_geom::geography) / 1e6)::numeric, 1),
      'bbox', jsonb_build_array(round(v_x0::numeric, 4), round(v_y0::numeric, 4), round(v_x1::numeric, 4), round(v_y1::numeric, 4)),
      'geometry', st_asgeojson(st_simplifypreservetopology(v_geom, 0.001), 5)::jsonb),
    'windows', jsonb_build_object('last_12_months', jsonb_build_object('from', v_12 + 1, 'to', v_to),
                                  'previous_12_months', jsonb_build_object('from', v_24 + 1, 'to', v_12),
                                  'baseline', public.baseline_windows(v_to)),
    'incidents', jsonb_build_object(
      'total', (select count(*) from inc),
      'counted_by', case when p_area is not null then 'area_pcode' else 'exact_location' end,
      'coarser_not_counted', (select jsonb_build_object('total', count(*),
                                'by_precision', jsonb_build_object('1', count(*) filter (where prec = 1),
                                                                   '2', count(*) filter (where prec = 2),
                                                                   '3', count(*) filter (where prec = 3)))
                              from coarser),
      'fatalities', (select coalesce(sum(fatalities), 0) from inc),
      'first_date', (select min(event_date) from inc),
      'last_date', (select max(event_date) from inc),
      'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                   (select extract(year from event_date)::int as y, count(*) as n from inc group by 1) t),
      'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                   (select event_type, count(*) as n from inc group by 1) t),
      'by_type_12m', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                   (select event_type, count(*) as n from inc where event_date > v_12 group by 1) t),
      'last_12_months', (select count(*) from inc where event_date > v_12),
      'previous_12_months', (select count(*) from inc where event_date > v_24 and event_date <= v_12),
      'trend', public.baseline_classify((select count(*) from inc where event_date > v_12),
                                        (select count(*) from inc where event_date > v_24 and event_date <= v_12), 52),
      'baseline', public.baseline_classify((select count(*) from inc where event_date > v_to - 28),
                                           (select count(*) from inc where event_date between v_to - 391 and v_to - 28), 4),
      'monthly', (select coalesce(jsonb_agg(jsonb_build_object('month', m.month, 'n', coalesce(x.n, 0), 'fatalities', coalesce(x.fat, 0))
                   order by m.month), '[]'::jsonb)
                  from months m left join (select to_char(event_date, 'YYYY-MM') as month, count(*) as n, sum(fatalities) as fat
                                           from inc group by 1) x on x.month = m.month),
      'serious', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'event_date', event_date, 'event_type', event_type,
                    'sub_event_type', sub_event_type, 'fatalities', fatalities, 'location_name', location_name,
                    'serious', serious, 'affects_ngos', affects_ngos, 'affects_us', affects_us, 'location_fuzzed', fuzzed,
                    'lon', round(st_x(pt)::numeric, 5), 'lat', round(st_y(pt)::numeric, 5))
                    order by event_date desc, id), '[]'::jsonb)
                  from (select * from inc where serious or affects_ngos or affects_us order by event_date desc, id limit 100) s),
      'serious_total', (select count(*) from inc where serious or affects_ngos or affects_us),
      'top_actors', (select coalesce(jsonb_agg(jsonb_build_object('id', ac.id, 'name', ac.name, 'actor_type', ac.actor_type,
                       'stance', ac.stance, 'n', t.n, 'fatalities', t.fat) order by t.n desc, ac.name), '[]'::jsonb)
                     from (select * from actor_counts order by n desc limit 10) t join public.actors ac on ac.id = t.actor_id),
      'points', (select coalesce(jsonb_agg(jsonb_build_array(round(st_x(pt)::numeric, 5), round(st_y(pt)::numeric, 5), event_type)),
                   '[]'::jsonb)
                 from (select pt, event_type from inc order by event_date desc, id limit 3000) p)),
    'areas', (select coalesce(jsonb_agg(jsonb_build_object('pcode', c.pcode, 'level', c.level, 'name_en', c.name_en, 'name_ar', c.name_ar)
                order by c.level, c.name_en), '[]'::jsonb) from cov c),
    'security_levels', (select coalesce(jsonb_agg(jsonb_build_object(
          'pcode', c.pcode, 'level_of_area', c.level, 'name_en', c.name_en, 'name_ar', c.name_ar,
          'current', (select l from jsonb_array_elements(public.area_levels_current(v_to, c.level)) l where l ->> 'pcode' = c.pcode),
          'history', (select coalesce(jsonb_agg(jsonb_build_object('level', h.level, 'effective_date', h.effective_date, 'note', h.note)
                        order by h.effective_date desc, h.recorded_at desc), '[]'::jsonb)
                      from (select * from public.area_security_levels s where s.pcode = c.pcode and s.effective_date <= v_to
                            order by s.effective_date desc, s.recorded_at desc limit 20) h))
        order by c.level, c.name_en), '[]'::jsonb) from cov c),
    'population', (select jsonb_build_object('value', round(sum(p.population * p.share)), 'level', max(p.level),
                     'sources', jsonb_agg(distinct p.population_source) filter (where p.population_source is not null),
                     'date', max(p.population_date))
                   from pop p, pop_level l where p.level = l.lvl having count(*) > 0),
    'health_facilities', (select jsonb_build_object(
          'count', count(*), 'supported', count(*) filter (where s.supported),
          'by_type', coalesce((select jsonb_object_agg(t, n) from (select facility_type as t, count(*) as n from public.health_facilities h
                      where h.geom && v_geom and st_intersects(v_geom, h.geom) group by 1) x), '{}'::jsonb),
          'list', coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'facility_type', s.facility_type,
                    'supported', s.supported, 'status', s.status, 'lon', round(st_x(s.geom)::numeric, 5),
                    'lat', round(st_y(s.geom)::numeric, 5)) order by s.name), '[]'::jsonb))
        from public.health_facilities s where s.geom && v_geom and st_intersects(v_geom, s.geom)),
    'camps', (select jsonb_build_object(
          'count', count(*), 'population', coalesce(sum(s.population), 0), 'population_date', max(s.population_date),
          'list', coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'status', s.status, 'camp_type', s.camp_type,
                    'population', s.population, 'population_date', s.population_date, 'managing_org', s.managing_org,
                    'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name), '[]'::jsonb))
        from public.idp_camps s where s.geom && v_geom and st_intersects(v_geom, s.geom)),
    'checkpoints', (select coalesce(jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'status', k.status,
          'controlled_by', coalesce(ac.name, k.controlled_by), 'controlling_actor_id', k.controlling_actor_id,
          'road', k.road, 'last_verified_at', k.last_verified_at,
          'stale_days', case when k.last_verified_at is null then null else current_date - k.last_verified_at::date end,
          'lon', round(st_x(k.geom)::numeric, 5), 'lat', round(st_y(k.geom)::numeric, 5)) order by k.name), '[]'::jsonb)
        from public.checkpoints k left join public.actors ac on ac.id = k.controlling_actor_id
        where k.id = any (v_checkpoints)),
    'org_sites', (select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
          'status', s.status, 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name), '[]'::jsonb)
        from public.org_sites s where s.geom && v_geom and st_intersects(v_geom, s.geom)),
    'nearest', jsonb_build_object(
      'hibernation_site', (select jsonb_build_object('id', s.id, 'name', s.name, 'km', round((st_distance(s.geom::geography, v_geom::geography) / 1000)::numeric, 1))
                           from public.org_sites s where s.site_type = 'hibernation_site' and s.status = 'open'
                           order by st_distance(s.geom::geography, v_geom::geography), s.id limit 1),
      'hospital', (select jsonb_build_object('id', s.id, 'name', s.name, 'km', round((st_distance(s.geom::geography, v_geom::geography) / 1000)::numeric, 1))
                   from public.health_facilities s where s.facility_type = 'hospital' and s.status = 'open'
                   order by st_distance(s.geom::geography, v_geom::geography), s.id limit 1)),
    'actors', (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'name_ar', p.name_ar, 'actor_type', p.actor_type,
          'stance', p.stance, 'influence', p.influence, 'via_pcode', p.via_pcode) order by p.influence desc nulls last, p.name), '[]'::jsonb)
        from present p),
    'relationships', (select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'source_actor_id', r.source_actor_id,
          'target_actor_id', r.target_actor_id, 'kind', r.kind, 'directed', r.directed, 'confidence', r.confidence) order by r.kind, r.id), '[]'::jsonb)
        from public.relationships r
        where r.source_actor_id in (select id from present) and r.target_actor_id in (select id from present)
          and (r.valid_from is null or r.valid_from <= v_to) and (r.valid_to is null or r.valid_to >= v_to)),
    'contacts', jsonb_build_object(
      'count', greatest(sensitive.area_contact_count(v_covered, v_checkpoints), coalesce(jsonb_array_length(v_contacts), 0)),
      -- what a reader outside the need-to-know may be told of a saved snapshot (assessment_json)
      'normal_count', sensitive.area_contact_count(v_covered, v_checkpoints, true),
      'names', v_contacts),
    'community', (select coalesce(jsonb_agg(to_jsonb(ac) - 'updated_by' || jsonb_build_object('name_en', c.name_en, 'level', c.level)
          order by c.level, c.name_en), '[]'::jsonb)
        from cov c join public.area_community ac on ac.pcode = c.pcode)
  ) into v;
  return v;
end
$$;

create or replace function public.sitrep(p_from date, p_to date, p_area text default null, p_base uuid default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_days integer;
  v_area public.areas;
  v_base public.org_sites;
  v_group integer;
  v_bin text;
  v_scope text[] := public.caller_location_scope();
  v_lineage text[];
  v jsonb;
begin
  if p_from is null then
    raise exception 'from: the first day of the period is required' using errcode = '22023';
  end if;
  if p_to is null then
    raise exception 'to: the last day of the period is required' using errcode = '22023';
  end if;
  if p_to < p_from then
    raise exception 'to: the period ends before it starts' using errcode = '22023';
  end if;
  v_days := p_to - p_from + 1;
  if v_days > 3660 then
    raise exception 'to: a period of at most ten years' using errcode = '22023';
  end if;
  if p_base is not null then
    select * into v_base from public.org_sites where id = p_base;
    if v_base.id is null then
      raise exception 'base: no site with this id' using errcode = '22023';
    end if;
    p_area := coalesce(p_area, v_base.admin1_pcode, public.area_at(st_x(v_base.geom), st_y(v_base.geom), 1));
  end if;
  if p_area is not null then
    select * into v_area from public.areas where pcode = p_area;
    if v_area.pcode is null then
      raise exception 'area: no area with P-code %', p_area using errcode = '22023';
    end if;
    v_lineage := public.area_lineage(array[p_area]);
  end if;
  -- Incidents are grouped one level below the scope (governorates for the whole country).
  v_group := least(coalesce(v_area.level + 1, 1), 3);
  v_bin := case when v_days <= 62 then 'day' when v_days <= 731 then 'week' else 'month' end;

  with f as materialized (
    select i.id, i.event_date, i.event_type, i.sub_event_type, i.location_name, i.fatalities, i.injuries,
           i.abductions, i.serious, i.affects_ngos, i.affects_us, i.notes, i.admin1_pcode, i.admin2_pcode,
           i.admin3_pcode,
           case v_group when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as gkey,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
                                            v_scope) as pt
    from public.incidents_filtered(p_from, p_to, null, array_remove(array[p_area], null)) i
  ),
  base as materialized (
    select case v_group when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as gkey,
           count(*) as n
    from public.incidents_filtered(p_from - 364, p_from - 1, null, array_remove(array[p_area], null)) i
    group by 1
  ),
  groups as (
    select a.pcode, a.name_en, a.name_ar,
           (select count(*) from f where f.gkey = a.pcode) as n,
           (select coalesce(sum(f.fatalities), 0) from f where f.gkey = a.pcode) as fat,
           coalesce((select b.n from base b where b.gkey = a.pcode), 0) as b
    from public.areas a
    where a.level = v_group and (p_area is null or a.pcode = p_area or a.parent_pcode = p_area)
  )
  select jsonb_build_object(
    'period', jsonb_build_object('from', p_from, 'to', p_to, 'days', v_days, 'bin', v_bin),
    'area', case when v_area.pcode is null then null
                 else jsonb_build_object('pcode', v_area.pcode, 'level', v_area.level, 'name_en', v_area.name_en,
                                         'name_ar', v_area.name_ar) end,
    'base', case when v_base.id is null then null
                 else jsonb_build_object('id', v_base.id, 'name', v_base.name, 'site_type', v_base.site_type) end,
    'group_level', v_group,
    'headline', (select jsonb_build_object(
        'total', count(*),
        'fatalities', coalesce(sum(fatalities), 0),
        'injuries', coalesce(sum(injuries), 0),
        'abductions', coalesce(sum(abductions), 0),
        'serious', count(*) filter (where serious),
        'affecting_ngos', count(*) filter (where affects_ngos or affects_us),
        'affecting_us', count(*) filter (where affects_us),
        'areas_affected', count(distinct gkey),
        'previous_total', (select count(*) from public.incidents_filtered(p_from - v_days, p_from - 1, null, array_remove(array[p_area], null))))
      from f),
    'baseline', jsonb_build_object('from', p_from - 364, 'to', p_from - 1,
        'all', public.sitrep_change((select count(*) from f), coalesce((select sum(n) from base), 0)::bigint, v_days)),
    'by_type', coalesce((select jsonb_agg(jsonb_build_object('key', t.event_type, 'n', t.n, 'fatalities', t.fat)
                                          order by t.n desc, t.event_type)
                         from (select event_type, count(*) as n, coalesce(sum(fatalities), 0) as fat from f
                               group by event_type) t), '[]'::jsonb),
    'by_area', coalesce((select jsonb_agg(jsonb_build_object(
                           'pcode', g.pcode, 'name_en', g.name_en, 'name_ar', g.name_ar, 'n', g.n,
                           'fatalities', g.fat,
                           'by_type', coalesce((select jsonb_object_agg(x.event_type, x.n)
                                                from (select event_type, count(*) as n from f where f.gkey = g.pcode
                                                      group by event_type) x), '{}'::jsonb),
                           'change', public.sitrep_change(g.n, g.b, v_days))
                         order by g.n desc, g.b desc, g.name_en)
                         from groups g where g.n > 0 or g.b > 0), '[]'::jsonb),
    'unassigned', (select count(*) from f where f.gkey is null),
    'bins', coalesce((select jsonb_agg(jsonb_build_object('bin', b.bin, 'n', b.n, 'fatalities', b.fat) order by b.bin)
                      from (select date_trunc(v_bin, event_date::timestamp)::date as bin, count(*) as n,
                                   coalesce(sum(fatalities), 0) as fat
                            from f group by 1) b), '[]'::jsonb),
    'level_changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'pcode', l.pcode, 'name_en', a.name_en, 'name_ar', a.name_ar, 'level', l.level,
                           'level_name', s.name, 'colour', s.colour, 'effective_date', l.effective_date,
                           'note', l.note,
                           'previous', (select p.level from public.area_security_levels p
                                        where p.pcode = l.pcode
                                          and (p.effective_date, p.recorded_at) < (l.effective_date, l.recorded_at)
                                        order by p.effective_date desc, p.recorded_at desc limit 1))
                         order by l.effective_date, a.name_en)
                         from public.area_security_levels l
                         join public.areas a on a.pcode = l.pcode
                         join public.security_level_scale s on s.level = l.level
                         where l.effective_date between p_from and p_to
                           and (p_area is null or l.pcode = any (v_lineage))), '[]'::jsonb),
    'checkpoint_changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'id', k.id, 'name', k.name, 'name_ar', k.name_ar, 'status', k.status,
                           'status_reason', k.status_reason, 'controlled_by', coalesce(ac.name, k.controlled_by),
                           'last_verified_at', k.last_verified_at, 'updated_at', k.updated_at)
                         order by greatest(k.updated_at, k.last_verified_at) desc nulls last, k.name)
                         from public.checkpoints k
                         left join public.actors ac on ac.id = k.controlling_actor_id
                         where ((k.updated_at >= p_from and k.updated_at < p_to + 1)
                                or (k.last_verified_at >= p_from and k.last_verified_at < p_to + 1))
                           and (p_area is null or p_area in (k.admin1_pcode, k.admin2_pcode, k.admin3_pcode))),
                         '[]'::jsonb),
    'notable', coalesce((select jsonb_agg(jsonb_build_object(
                           'id', n.id, 'event_date', n.event_date, 'event_type', n.event_type,
                           'sub_event_type', n.sub_event_type, 'location_name', n.location_name,
                           'admin1_name', a1.name_en, 'admin2_name', a2.name_en, 'admin1_name_ar', a1.name_ar,
                           'admin2_name_ar', a2.name_ar, 'fatalities', n.fatalities, 'injuries', n.injuries,
                           'abductions', n.abductions, 'serious', n.serious, 'affects_ngos', n.affects_ngos,
                           'affects_us', n.affects_us, 'notes', left(n.notes, 400))
                         order by n.event_date, n.id)
                         from (select * from f where serious or affects_ngos or affects_us
                               order by event_date desc, id limit 200) n
                         left join public.areas a1 on a1.pcode = n.admin1_pcode
                         left join public.areas a2 on a2.pcode = n.admin2_pcode), '[]'::jsonb),
    'points', coalesce((select jsonb_agg(jsonb_build_array(round(st_x(p.pt)::numeric, 5), round(st_y(p.pt)::numeric, 5),
                                                           p.event_type))
                        from (select pt, event_type from f order by event_date desc, id limit 5000) p), '[]'::jsonb),
    'generated_at', now())
  into v;
  return v;
end
$$;

create or replace function public.risk_suggest(p_area text, p_category text, p_as_of date default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_d date := coalesce(p_as_of, current_date);
  v_f jsonb := public.risk_category_filter(p_category);
  v_types text[];
  n52 bigint;
  n13 bigint;
  v_lambda numeric;
  v_p numeric;
begin
  if p_category is null or p_category not in ('armed_conflict', 'ied_terrorism', 'crime', 'civil_unrest', 'kidnapping',
                                             'road_safety', 'health', 'natural_hazard', 'other') then
    raise exception 'threat_category: unknown value "%"', p_category using errcode = '22023';
  end if;
  if p_area is null or not exists (select 1 from public.areas where pcode = p_area) then
    raise exception 'area_pcode: no area with P-code %', p_area using errcode = '22023';
  end if;
  if v_f is null then
    return jsonb_build_object('category', p_category, 'area', p_area, 'available', false, 'suggested', null,
                              'reason', 'no incident category matches this threat');
  end if;
  v_types := array(select jsonb_array_elements_text(v_f -> 'types'));
  select count(*), count(*) filter (where i.event_date > v_d - 91)
    into n52, n13
  from public.incidents_filtered(v_d - 363, v_d, v_types, array[p_area]) i
  where v_f -> 'abductions' is null
     or ((coalesce(i.abductions, 0) > 0 or i.sub_event_type = 'Abduction/forced disappearance')
         = (v_f ->> 'abductions')::boolean);
  v_lambda := n52 * 30 / 364.0;
  v_p := 1 - exp(-v_lambda);
  return jsonb_build_object(
    'category', p_category, 'area', p_area, 'available', true, 'types', to_jsonb(v_types),
    'abductions', v_f -> 'abductions',
    'window', jsonb_build_object('from', v_d - 363, 'to', v_d, 'weeks', 52),
    'n_52w', n52, 'n_13w', n13, 'n_prior_39w', n52 - n13,
    'rate_per_week', round(n52 / 52.0, 4),
    'lambda_30d', round(v_lambda, 4),
    'p_30d', round(v_p, 4),
    'trend', case when n13 < 5 and n52 - n13 < 5 then 'stable'
                  when n13 * 39 * 4 >= 5 * 13 * (n52 - n13) then 'rising'
                  when n13 * 39 * 4 <= 3 * 13 * (n52 - n13) then 'falling'
                  else 'stable' end,
    'suggested', case when v_p < 0.05 then 1 when v_p < 0.20 then 2 when v_p < 0.50 then 3
                      when v_p < 0.80 then 4 else 5 end,
    'formula', 'P(≥1 in 30 days) = 1 − exp(−n × 30 / 364)');
end
$$;

create or replace function public.briefing_pack(p_id uuid, p_as_of date default null) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
set jit = off
as $$
declare
  r public.briefing_packs;
  s public.org_sites;
  v_scope text[] := public.caller_location_scope();
  v_areas text[];
  v_gov text;
  v_to date;
  v_contacts jsonb := null;
  v_ids uuid[];
  v jsonb;
begin
  select * into r from public.briefing_packs where id = p_id;
  if r.id is null then
    return null;
  end if;
  select * into s from public.org_sites where id = r.base_id;
  select coalesce(array_agg(a.pcode order by a.level), '{}') into v_areas
  from public.areas a where st_intersects(a.geom, s.geom);
  v_gov := coalesce(s.admin1_pcode, public.area_at(st_x(s.geom), st_y(s.geom), 1));
  v_to := coalesce(p_as_of, (select max(f.event_date) from public.incidents_filtered(null, null, null, array_remove(array[v_gov], null)) f),
                   current_date);

  if (select public.has_app_role('admin', 'analyst', 'field')) then
    select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'full_name', c.full_name, 'name_ar', c.name_ar,
             'role_title', c.role_title, 'organisation', (select ac.name from public.actors ac where ac.id = c.actor_id),
             'emergency', c.emergency, 'sensitivity', c.sensitivity,
             'phones', coalesce((select jsonb_agg(ph.number order by ph.position, ph.number)
                                 from sensitive.contact_phones ph where ph.contact_id = c.id), '[]'::jsonb))
             order by c.emergency desc, lower(c.full_name), c.id), '[]'::jsonb),
           coalesce(array_agg(c.id), '{}')
      into v_contacts, v_ids
    from (select c.* from sensitive.contacts c
          where c.emergency
             or exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (v_areas))
          order by c.emergency desc, lower(c.full_name), c.id limit 60) c;
    perform public.audit_record('list', 'contacts', jsonb_build_object(
      'count', cardinality(v_ids), 'ids', to_jsonb(v_ids), 'filters', jsonb_build_object('briefing_pack', r.id)));
  end if;

  with inc as materialized (
    select f.id, f.event_date, f.event_type, f.fatalities, f.serious, f.affects_ngos, f.affects_us,
           public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode,
                                            v_scope) as location_name,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    from public.incidents_filtered(v_to - 89, v_to, null, array_remove(array[v_gov], null)) f
  ),
  lv as (
    select x from jsonb_array_elements(public.area_levels_current(null, null)) x
    where x ->> 'pcode' = any (v_areas)
  )
  select jsonb_build_object(
    'pack', public.briefing_get(r.id),
    'base', jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
                               'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                                                           'name_ar', a.name_ar) order by a.level)
                       from public.areas a where a.pcode = any (v_areas)), '[]'::jsonb),
    'levels', coalesce((select jsonb_agg(lv.x || jsonb_build_object('movement',
                          (select sc.movement from public.security_level_scale sc where sc.level = (lv.x ->> 'level')::int))
                          order by (lv.x ->> 'area_level')::int) from lv), '[]'::jsonb),
    'scale', (select jsonb_agg(jsonb_build_object('level', sc.level, 'key', sc.key, 'name', sc.name,
                                                  'colour', sc.colour, 'movement', sc.movement) order by sc.level)
              from public.security_level_scale sc),
    'incidents', jsonb_build_object(
      'from', v_to - 89, 'to', v_to, 'area_pcode', v_gov,
      'total', (select count(*) from inc),
      'fatalities', (select coalesce(sum(fatalities), 0) from inc),
      'by_type', coalesce((select jsonb_agg(jsonb_build_object('event_type', t.event_type, 'n', t.n) order by t.n desc, t.event_type)
                           from (select event_type, count(*) as n from inc group by 1) t), '[]'::jsonb),
      'notable', coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'event_date', n.event_date,
                            'event_type', n.event_type, 'location_name', n.location_name, 'fatalities', n.fatalities,
                            'serious', n.serious, 'affects_ngos', n.affects_ngos) order by n.event_date desc, n.id)
                           from (select * from inc where serious or affects_ngos or affects_us
                                 order by event_date desc, id limit 25) n), '[]'::jsonb),
      'points', coalesce((select jsonb_agg(jsonb_build_array(round(st_x(p.pt)::numeric, 5), round(st_y(p.pt)::numeric, 5),
                                                             p.event_type))
                          from (select pt, event_type from inc where pt is not null order by event_date desc, id limit 2000) p),
                         '[]'::jsonb)),
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'name', x.name, 'name_ar', x.name_ar,
                          'actor_type', x.actor_type, 'stance', x.stance, 'influence', x.influence)
                          order by x.influence desc nulls last, x.name)
                        from (select distinct on (ac.id) ac.id, ac.name, ac.name_ar, ac.actor_type, ac.stance, ac.influence
                              from public.actor_presence p join public.actors ac on ac.id = p.actor_id
                              where (p.valid_to is null or p.valid_to >= v_to)
                                and (p.pcode = any (v_areas)
                                     or (p.geom is not null and st_intersects(p.geom, s.geom)))
                              order by ac.id) x), '[]'::jsonb),
    'contacts', v_contacts,
    'contacts_hidden', v_contacts is null,
    'sites', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name, 'site_type', o.site_type,
                          'lon', round(st_x(o.geom)::numeric, 5), 'lat', round(st_y(o.geom)::numeric, 5),
                          'distance_km', round((o.d / 1000)::numeric, 1)) order by o.site_type, o.d)
                       from (select o.*, st_distance(o.geom::geography, s.geom::geography) as d from public.org_sites o
                             where o.site_type in ('hibernation_site', 'assembly_point') and o.status = 'open'
                               and st_dwithin(o.geom::geography, s.geom::geography, 100000)) o), '[]'::jsonb),
    'checkpoints', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'status', k.status,
                          'distance_km', round((k.d / 1000)::numeric, 1)) order by k.d)
                        from (select k.*, st_distance(k.geom::geography, s.geom::geography) as d from public.checkpoints k
                              where st_dwithin(k.geom::geography, s.geom::geography, 50000)
                              order by k.geom::geography <-> s.geom::geography limit 5) k), '[]'::jsonb),
    'generated_at', now())
  into v;
  return v;
end
$$;

create function public.areas_unknown(p_pcodes text[]) returns text[]
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(array_agg(u.x order by u.o), '{}')
  from unnest(p_pcodes) with ordinality as u(x, o)
  where not exists (select 1 from public.areas a where a.pcode = u.x)
$$;
