-- Location fuzzing, applied: every function that emits an incident's coordinates or filters
-- incidents by them now follows the rule of 20261203140000_location_fuzzing.sql (read its
-- "THE RULE" block first). Each function below is redefined only for that; its previous body is
-- named, and everything else in it is unchanged.
--
--   incidents_filtered      viewport on lon_coarse/lat_coarse for readers without exact rights
--   incidents_map           points                                 (was 20261122006100)
--   incidents_density       cells snap the caller's point          (was 20261122006100)
--   incidents_geojson       geometry and properties                (was 20261122006100)
--   incident_get            detail: lon/lat, geo_precision         (was 20261122000400)
--   incidents_list          list rows                              (was 20261122001000)
--   incidents_export        CSV/GeoJSON/KML/XLSX rows              (was 20261122001002)
--   incidents_proximity     the distance filter and the points     (was 20261122004200)
--   incidents_highlight     points                                 (was 20261122005100)
--   incident_duplicates,    distances to other incidents: a field user's report answer lists
--   incident_duplicates_near  them, and a distance to 0.01 km is a coordinate by triangulation
--                                                                  (was 20261122001000)
--   (incident_history is not redefined: 20261203120100 already hides locations from such readers)
--                                                                  (was 20261122001000)

-- ---------------------------------------------------------------------------------------------
-- The shared filter (was 20261122004100): the viewport test is on the point the reader sees.
-- Two arms, each answered by its own (lat, lon) btree under RLS; the caller's scope is an init
-- plan (evaluated once), so one arm is always false as a whole. Still no SET clause, so that it
-- is inlined into its callers (20261122004000_inline_incident_filter.sql).
create or replace function public.incidents_filtered(
  p_from date default null,
  p_to date default null,
  p_types text[] default null,
  p_area text default null,
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
    and (p_area is null or i.admin1_pcode = p_area or i.admin2_pcode = p_area or i.admin3_pcode = p_area)
    and (p_west is null
         or ((select public.caller_location_scope()) is null
             and i.lon between p_west and p_east and i.lat between p_south and p_north)
         or ((select public.caller_location_scope()) is not null
             and i.lon_coarse between p_west and p_east and i.lat_coarse between p_south and p_north))
$$;

-- ---------------------------------------------------------------------------------------------
create or replace function public.incidents_map(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_limit integer default 20000
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare v_scope text[] := public.caller_location_scope();
begin
  return (
  with f as (
    select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
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

create or replace function public.incidents_density(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_cell double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare v_scope text[] := public.caller_location_scope();
begin
  return (
  select coalesce(jsonb_agg(jsonb_build_array(round(x::numeric, 5), round(y::numeric, 5), n, fat)), '[]'::jsonb)
  from (
    select st_x(c) as x, st_y(c) as y, count(*) as n, sum(fatalities) as fat
    from (
      select st_snaptogrid(public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode,
                                                            admin3_pcode, v_scope),
                           greatest(p_cell, 0.0001)) as c, fatalities
      from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
    ) s
    group by c
  ) g
  );
end
$$;

-- The columns no incident JSON may carry as they are: the exact point and its derived columns.
-- Emitters remove them from to_jsonb(row) and add the caller's lon/lat instead.
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
declare v_scope text[] := public.caller_location_scope();
begin
  return (
  with f as (
    select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
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
                                            'geo_precision', case when p.fuzzed then 3 else p.geo_precision end)
      ) order by p.event_date desc, p.id)
      from page p
      left join public.actors a1 on a1.id = p.actor1_id
      left join public.actors a2 on a2.id = p.actor2_id), '[]'::jsonb))
  );
end
$$;

-- ---------------------------------------------------------------------------------------------
-- One incident (was 20261122000400): the detail panel, the incident page, the API.
create or replace function public.incident_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb;
begin
  select to_jsonb(i) - 'geom' - 'lon' - 'lat' - 'geom_coarse' - 'lon_coarse' - 'lat_coarse' || jsonb_build_object(
    'lon', st_x(f.pt), 'lat', st_y(f.pt),
    'geo_precision', case when f.fuzzed then 3 else i.geo_precision end,
    'location_fuzzed', f.fuzzed,
    'actor1', a1.name, 'actor2', a2.name,
    'admin1_name', r1.name_en, 'admin1_name_ar', r1.name_ar,
    'admin2_name', r2.name_en, 'admin2_name_ar', r2.name_ar,
    'admin3_name', r3.name_en, 'admin3_name_ar', r3.name_ar)
    into v
  from public.incidents i
  cross join lateral (select public.caller_location_scope() as scope) s
  cross join lateral (
    select public.incident_location_fuzzed(i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope) as fuzzed,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope) as pt
  ) f
  left join public.actors a1 on a1.id = i.actor1_id
  left join public.actors a2 on a2.id = i.actor2_id
  left join public.areas r1 on r1.pcode = i.admin1_pcode
  left join public.areas r2 on r2.pcode = i.admin2_pcode
  left join public.areas r3 on r3.pcode = i.admin3_pcode
  where i.id = p_id;
  -- every read of a restricted incident is on record (20261203120100)
  if v ->> 'confidentiality' = 'restricted' then
    perform public.audit_record('read', 'incidents', jsonb_build_object('id', p_id));
  end if;
  return v;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The incident list (was 20261122001000): the rows' lon/lat and geo_precision.
create or replace function public.incidents_list(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_q text default null, p_status text[] default null,
  p_sort text default 'event_date', p_dir text default 'desc',
  p_limit integer default 50, p_offset integer default 0
) returns jsonb
language plpgsql stable
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
begin
  v_order := case coalesce(p_sort, 'event_date')
    when 'event_date' then format('f.event_date %s, f.id %s', v_dir, v_dir)
    when 'event_type' then format('f.event_type %s, f.event_date desc, f.id', v_dir)
    when 'fatalities' then format('f.fatalities %s, f.event_date desc, f.id', v_dir)
    when 'status' then format('f.status %s, f.event_date desc, f.id', v_dir)
    when 'location' then format('f.location_name %s nulls last, f.event_date desc, f.id', v_dir)
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
  from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) f
  where (p_status is null or cardinality(p_status) = 0 or f.status = any (p_status))
    and (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q);

  execute format($q$
    select coalesce(jsonb_agg(t.j order by t.n), '[]'::jsonb) from (
      select row_number() over (order by %1$s) as n, jsonb_build_object(
        'id', f.id, 'event_date', f.event_date, 'event_time', f.event_time,
        'time_precision', f.time_precision, 'event_type', f.event_type,
        'sub_event_type', f.sub_event_type, 'status', f.status, 'confidentiality', f.confidentiality,
        'location_name', f.location_name, 'admin1_pcode', f.admin1_pcode, 'admin1_name', r1.name_en,
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
               public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as pt
        from public.incidents_filtered($1, $2, $3, $4, $5, $6, $7, $8) f
        where ($10::text[] is null or cardinality($10::text[]) = 0 or f.status = any ($10::text[]))
          and ($9 is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ $9)
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
          least(greatest(coalesce(p_limit, 50), 1), 1000), greatest(coalesce(p_offset, 0), 0), v_scope;

  return jsonb_build_object('total', v_total, 'limit', least(greatest(coalesce(p_limit, 50), 1), 1000),
                            'offset', greatest(coalesce(p_offset, 0), 0), 'rows', v_rows);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Exports (was 20261122001002): the rows' lat/lon and geo_precision; sensitive_location too, so
-- that an analyst's export brings the flag back on import.
create or replace function public.incidents_export(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_q text default null, p_status text[] default null,
  p_format text default null,
  p_after_date date default null, p_after_id uuid default null,
  p_limit integer default 2000
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
begin
  if p_after_id is null then
    select count(*) into v_total
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) f
    where (p_status is null or cardinality(p_status) = 0 or f.status = any (p_status))
      and (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q);
    perform public.audit_record('export', 'incidents', jsonb_strip_nulls(jsonb_build_object(
      'format', p_format, 'rows', v_total, 'from', p_from, 'to', p_to, 'types', p_types, 'area', p_area,
      'bbox', case when p_west is not null then jsonb_build_array(p_west, p_south, p_east, p_north) end,
      'q', p_q, 'status', p_status)));
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
      'location_name', f.location_name,
      'admin1_pcode', f.admin1_pcode, 'admin1_name', r1.name_en,
      'admin2_pcode', f.admin2_pcode, 'admin2_name', r2.name_en,
      'admin3_pcode', f.admin3_pcode, 'admin3_name', r3.name_en,
      'fatalities', f.fatalities, 'injuries', f.injuries, 'abductions', f.abductions,
      'affects_us', f.affects_us, 'affects_ngos', f.affects_ngos, 'serious', f.serious,
      'ops_impact', f.ops_impact, 'source', f.source, 'source_scale', f.source_scale,
      'source_reliability', f.source_reliability, 'info_credibility', f.info_credibility,
      'confidentiality', f.confidentiality, 'status', f.status, 'status_reason', f.status_reason,
      'notes', f.notes, 'updated_at', f.updated_at) as r
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) f
    cross join lateral (
      select public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
             public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    ) v
    left join public.actors a1 on a1.id = f.actor1_id
    left join public.actors a2 on a2.id = f.actor2_id
    left join public.areas r1 on r1.pcode = f.admin1_pcode
    left join public.areas r2 on r2.pcode = f.admin2_pcode
    left join public.areas r3 on r3.pcode = f.admin3_pcode
    where (p_status is null or cardinality(p_status) = 0 or f.status = any (p_status))
      and (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
      and (p_after_id is null or (f.event_date, f.id) > (p_after_date, p_after_id))
    order by f.event_date, f.id
    limit least(greatest(coalesce(p_limit, 2000), 1), 10000)
  ) t;
  return jsonb_build_object('total', v_total, 'rows', v_rows);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Highlight (was 20261122005100): the points. As PL/pgSQL with custom plans, like the map.
create or replace function public.incidents_highlight(
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

-- ---------------------------------------------------------------------------------------------
-- Duplicates (was 20261122001000): distances between the points the caller sees, so a report's
-- answer cannot place a sensitive incident to the nearest 10 m.
create or replace function public.incident_duplicates(
  p_id uuid, p_km double precision default 5, p_days integer default 1, p_limit integer default 20
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with s as materialized (select public.caller_location_scope() as scope),
  x as (
    select i.id, i.event_type, i.event_date,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope)::geography as g
    from public.incidents i, s where i.id = p_id
  ),
  o as (
    select o.*, public.incident_point_for_caller(o.geom, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope)::geography as g
    from public.incidents o, s, x
    where o.id <> x.id
      and o.event_type = x.event_type
      and o.merged_into is null
      and o.event_date between x.event_date - greatest(p_days, 0) and x.event_date + greatest(p_days, 0)
  )
  select coalesce(jsonb_agg(d order by d ->> 'distance_km', d ->> 'id'), '[]'::jsonb)
  from (
    select jsonb_build_object(
             'id', o.id, 'event_date', o.event_date, 'event_type', o.event_type,
             'status', o.status, 'location_name', o.location_name, 'source', o.source,
             'fatalities', o.fatalities, 'notes', left(o.notes, 200),
             'upstream_source', o.upstream_source,
             'distance_km', round((st_distance(o.g, x.g) / 1000)::numeric, 2),
             'days_apart', abs(o.event_date - x.event_date)) as d
    from x join o on st_dwithin(o.g, x.g, greatest(p_km, 0) * 1000)
    order by st_distance(o.g, x.g), o.id
    limit least(greatest(p_limit, 1), 100)
  ) t
$$;

create or replace function public.incident_duplicates_near(
  p_event_type text, p_lon double precision, p_lat double precision, p_date date,
  p_km double precision default 5, p_days integer default 1, p_limit integer default 5
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with s as materialized (select public.caller_location_scope() as scope),
  o as (
    select o.*, public.incident_point_for_caller(o.geom, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope)::geography as g
    from public.incidents o, s
    where o.event_type = p_event_type and o.merged_into is null
      and o.event_date between p_date - greatest(p_days, 0) and p_date + greatest(p_days, 0)
  )
  select coalesce(jsonb_agg(d order by (d ->> 'distance_km')::numeric), '[]'::jsonb)
  from (
    select jsonb_build_object(
             'id', o.id, 'event_date', o.event_date, 'event_type', o.event_type, 'status', o.status,
             'location_name', o.location_name, 'source', o.source,
             'distance_km', round((st_distance(o.g, q.g) / 1000)::numeric, 2),
             'days_apart', abs(o.event_date - p_date)) as d
    from o, (select st_setsrid(st_makepoint(p_lon, p_lat), 4326)::geography as g) q
    where st_dwithin(o.g, q.g, greatest(p_km, 0) * 1000)
    order by st_distance(o.g, q.g)
    limit least(greatest(p_limit, 1), 50)
  ) t
$$;

-- ---------------------------------------------------------------------------------------------
-- Proximity (was 20261122004200): both the distance test and the emitted points use the point
-- the caller sees. Otherwise a viewer asking "within 100 m of this point?" learns whether a
-- sensitive incident is exactly there. The box screen uses the btree of the columns the caller
-- may filter on (lat/lon for analysts and admins, lat_coarse/lon_coarse for the others); with a
-- custom plan per call (v_exact is known when planning) only one of the two arms remains.
-- A field user's own-area sensitive incidents are found by their coarse point here (the third
-- arm adds them by their exact point), and measured from the point they see.
create or replace function public.incidents_proximity(
  p_km double precision,
  p_days integer default 30,
  p_as_of date default null,
  p_site_kind text default null,
  p_site_id uuid default null,
  p_geometry jsonb default null,
  p_types text[] default null,
  p_limit integer default 500
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
set plan_cache_mode = force_custom_plan
as $$
declare
  v_to date := coalesce(p_as_of, current_date);
  v_from date;
  v_m double precision;
  v_geom geometry;
  v jsonb;
  v_scope text[] := public.caller_location_scope();
  v_exact boolean := v_scope is null;
  v_field boolean := coalesce(cardinality(v_scope), 0) > 0;
begin
  if p_km is null or not (p_km > 0 and p_km <= 200) then
    raise exception 'km: must be more than 0 and at most 200' using errcode = '22023';
  end if;
  if p_days is null or p_days not between 1 and 36600 then
    raise exception 'days: must be between 1 and 36600' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 0 and 10000 then
    raise exception 'limit: must be between 0 and 10000' using errcode = '22023';
  end if;
  if (p_site_kind is null) = (p_geometry is null) then
    raise exception 'site_kind: give either site_kind (with an optional site_id) or geometry' using errcode = '22023';
  end if;
  if p_site_kind is not null and p_site_kind not in ('org_sites', 'health_facilities', 'idp_camps', 'checkpoints') then
    raise exception 'site_kind: unknown value "%"; use org_sites, health_facilities, idp_camps or checkpoints', p_site_kind
      using errcode = '22023';
  end if;
  if p_site_id is not null and p_site_kind is null then
    raise exception 'site_kind: is required with site_id' using errcode = '22023';
  end if;
  v_from := v_to - (p_days - 1);
  v_m := p_km * 1000;
  if p_geometry is not null then
    v_geom := public.proximity_geometry(p_geometry);
  end if;

  if p_site_id is not null and not exists (
       select 1 from public.org_sites where p_site_kind = 'org_sites' and id = p_site_id
       union all select 1 from public.health_facilities where p_site_kind = 'health_facilities' and id = p_site_id
       union all select 1 from public.idp_camps where p_site_kind = 'idp_camps' and id = p_site_id
       union all select 1 from public.checkpoints where p_site_kind = 'checkpoints' and id = p_site_id) then
    raise exception 'site_id: no % with id %', replace(p_site_kind, '_', ' '), p_site_id using errcode = 'P0002';
  end if;

  with raw_targets as (
    select 'geometry'::text as kind, null::uuid as id, null::text as name, v_geom as geom
    where v_geom is not null
    union all
    select 'org_sites', s.id, s.name, s.geom::geometry from public.org_sites s
    where p_site_kind = 'org_sites' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'health_facilities', s.id, s.name, s.geom::geometry from public.health_facilities s
    where p_site_kind = 'health_facilities' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'idp_camps', s.id, s.name, s.geom::geometry from public.idp_camps s
    where p_site_kind = 'idp_camps' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'checkpoints', s.id, s.name, s.geom::geometry from public.checkpoints s
    where p_site_kind = 'checkpoints' and (p_site_id is null or s.id = p_site_id)
  ),
  boxed as (
    select r.kind, r.id, r.name, r.geom::geography as geog,
           -- the target's box grown by the distance: dx in degrees of longitude (shortest at the
           -- box's latitude nearest a pole), dy in degrees of latitude (≥ 110.574 km), +1 %
           st_expand(r.geom,
                     v_m / (111320.0 * greatest(cos(radians(least(89.0, greatest(abs(st_ymin(r.geom)), abs(st_ymax(r.geom))) + v_m / 110574.0))), 0.01)) * 1.01,
                     v_m / 110574.0 * 1.01) as box
    from raw_targets r
  ),
  targets as materialized (
    select b.*, st_xmin(b.box) as x0, st_xmax(b.box) as x1, st_ymin(b.box) as y0, st_ymax(b.box) as y1
    from boxed b
  ),
  candidates as materialized (
    -- Every (target, incident) whose visible point may be within the distance. Under RLS the
    -- GiST indexes cannot serve ST_DWithin or && (not leakproof); the box test on plain float8
    -- columns is leakproof and answered by their btree.
    select t.kind, t.id as target_id, t.name, t.geog, i.id as incident_id,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                            i.admin3_pcode, v_scope) as pt
    from targets t
    join public.incidents i
      on (v_exact and i.lat between t.y0 and t.y1 and i.lon between t.x0 and t.x1)
      or (not v_exact and i.lat_coarse between t.y0 and t.y1 and i.lon_coarse between t.x0 and t.x1)
      or (v_field and i.geom_coarse is not null and i.lat between t.y0 and t.y1 and i.lon between t.x0 and t.x1)
    where i.event_date between v_from and v_to
  ),
  pairs as materialized (
    select c.kind, c.target_id, c.name, c.incident_id, c.pt, st_distance(c.pt::geography, c.geog) as d
    from (select distinct on (target_id, incident_id) * from candidates) c
    where st_dwithin(c.pt::geography, c.geog, v_m)
  ),
  counted as (
    select p.*, f.event_date, f.event_type, f.fatalities, f.location_name
    from pairs p join public.incidents_filtered(v_from, v_to, p_types, null) f on f.id = p.incident_id
  ),
  nearest as (
    select distinct on (incident_id) * from counted order by incident_id, d, target_id
  ),
  per_target as (
    select t.kind, t.id, t.name, coalesce(c.n, 0) as n, coalesce(c.fat, 0) as fat
    from targets t
    left join (select target_id, count(*) as n, sum(fatalities) as fat from counted group by target_id) c
      on c.target_id is not distinct from t.id
  ),
  listed as (
    select * from nearest order by d, event_date desc, incident_id limit p_limit
  )
  select jsonb_build_object(
    'km', p_km, 'days', p_days, 'from', v_from, 'to', v_to,
    'total', (select count(*) from nearest),
    'fatalities', coalesce((select sum(fatalities) from nearest), 0),
    'targets', coalesce((select jsonb_agg(jsonb_build_object('kind', kind, 'id', id, 'name', name, 'n', n, 'fatalities', fat)
                           order by n desc, name) from per_target), '[]'::jsonb),
    'incidents', coalesce((select jsonb_agg(jsonb_build_object(
        'id', incident_id, 'event_date', event_date, 'event_type', event_type, 'fatalities', fatalities,
        'location_name', location_name,
        'lon', round(st_x(pt)::numeric, 5), 'lat', round(st_y(pt)::numeric, 5),
        'distance_m', round(d::numeric), 'nearest_kind', kind, 'nearest_id', target_id, 'nearest_name', name)
      order by d, event_date desc, incident_id) from listed), '[]'::jsonb))
  into v;
  return v;
end
$$;

-- History: 20261203120100 (need-to-know history) already never shows a location to viewers and
-- field staff, so moving a sensitive incident's point cannot leak through it; it is not redefined here.
