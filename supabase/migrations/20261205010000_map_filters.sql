-- Issue 13, the map as a working surface: the spatial filter (geometry=, geometry_id=,
-- lat=&lon=&within_km=, precise=) that the counts already took now filters the incident list,
-- the GeoJSON API, the map's points and density and the exports too, together with the map's
-- further filters (NGO lens, sub-event type, actor, verification status, source reliability).
-- One definition: public.incidents_refined (incidents_filtered + place + further filters),
-- which replaces incidents_in_place; spatial_filter_place checks the place once for all of them.

drop function public.incident_counts_in_place(date, date, text[], text, jsonb, uuid, double precision,
  double precision, double precision, boolean);
drop function public.incidents_in_place(date, date, text[], text, geometry, double precision, boolean, text[]);
drop function public.incidents_map(double precision, double precision, double precision, double precision,
  date, date, text[], text, integer);
drop function public.incidents_density(double precision, double precision, double precision, double precision,
  double precision, date, date, text[], text);
drop function public.incidents_geojson(date, date, text[], text, double precision, double precision,
  double precision, double precision, integer, integer);
drop function public.incidents_list(date, date, text[], text, double precision, double precision,
  double precision, double precision, text, text[], text, text, integer, integer);
drop function public.incidents_export(date, date, text[], text, double precision, double precision,
  double precision, double precision, text, text[], text, date, uuid, integer);

create function public.spatial_filter_place(
  p_geometry jsonb, p_geometry_id uuid, p_lon double precision, p_lat double precision,
  p_within_km double precision
) returns geometry
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare v_geom geometry := public.spatial_filter_geometry(p_geometry, p_geometry_id, p_lon, p_lat);
begin
  if p_within_km is not null and not (p_within_km > 0 and p_within_km <= 500) then
    raise exception 'within_km: must be more than 0 and at most 500' using errcode = '22023';
  end if;
  if p_within_km is not null and v_geom is null then
    raise exception 'within_km: needs lat/lon, geometry or geometry_id' using errcode = '22023';
  end if;
  if v_geom is not null and st_geometrytype(v_geom) in ('ST_Point', 'ST_MultiPoint', 'ST_LineString', 'ST_MultiLineString')
     and p_within_km is null then
    raise exception 'within_km: a point or a line filters with a distance (within_km)' using errcode = '22023';
  end if;
  return v_geom;
end
$$;

create function public.incidents_refined(
  p_from date, p_to date, p_types text[], p_area text,
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

create function public.incident_counts_in_place(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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
           event_type, fatalities
    from f order by event_date desc, id limit greatest(p_limit, 0)
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

create function public.incidents_density(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_cell double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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

create function public.incidents_list(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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

create function public.incidents_export(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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
