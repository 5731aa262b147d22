-- Location fuzzing, second pass (issue #10). A fuzzed incident's location_name ("our Mosul
-- office", "the checkpoint at …") gave back the exact place its coarse point hides; readers who
-- see an incident at its coarse point now read the name of the area that point stands for
-- (incident_place_for_caller, next to THE RULE in 20261203140000_location_fuzzing.sql). And reads
-- of restricted incidents through a list are now on record, one audit row per call
-- (incidents_note_restricted_read), like the detail page's reads. Redefined, only for that:
--
--   incident_get            detail                                 (was 20261203140100)
--   incidents_geojson       feature properties; restricted reads logged  (was 20261203140100)
--   incidents_list          rows and the sort by place; restricted reads logged (was 20261203140100)
--   incidents_export        rows                                   (was 20261203140100)
--   incidents_proximity     listed incidents                       (was 20261203140100)
--   incident_duplicates     other incidents' place names          (was 20261203140100)
--   incident_duplicates_near                                       (was 20261203140100)
--   actor_get               the actor's incidents                  (was 20261122002001)
--
-- Not covered: full-text search still matches a fuzzed incident by its location_name (the
-- document index is built on it), and movements' route risk keeps its own emitter.

-- The place name the caller may read of an incident: its location_name, or — when the caller
-- sees the incident at its coarse point (incident_location_fuzzed) — the name of the area that
-- point stands for (sub-district, else district, else governorate). "Our Mosul office" would
-- otherwise give back the exact place the coordinates hide. SQL, no SET clause, so it is inlined
-- like incident_point_for_caller; objects schema-qualified.
create function public.incident_place_for_caller(
  p_location_name text, p_geom_coarse geometry, p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[]
) returns text
language sql stable
as $$
  select case when public.incident_location_fuzzed(p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope)
              then (select a.name_en from public.areas a where a.pcode = coalesce(p_admin3, p_admin2, p_admin1))
              else p_location_name end
$$;

-- Restricted incidents read through a list (the incidents list, the GeoJSON API) are on record
-- like the detail page's reads (incident_get), as ONE audit row per call naming the ids, not one
-- row per incident: a list page of 50 restricted incidents is one read. Rows are the list's jsonb
-- (objects with id and confidentiality, or GeoJSON features with them in properties).
create function public.incidents_note_restricted_read(p_rows jsonb, p_via text) returns void
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v_ids jsonb;
begin
  select jsonb_agg(coalesce(r -> 'properties', r) -> 'id' order by ord) into v_ids
  from jsonb_array_elements(coalesce(p_rows, '[]'::jsonb)) with ordinality as e(r, ord)
  where coalesce(r -> 'properties', r) ->> 'confidentiality' = 'restricted';
  if v_ids is not null then
    perform public.audit_record('list', 'incidents',
      jsonb_build_object('via', p_via, 'restricted', jsonb_array_length(v_ids), 'ids', v_ids));
  end if;
end
$$;
revoke execute on function public.incidents_note_restricted_read(jsonb, text) from public, anon;
grant execute on function public.incidents_note_restricted_read(jsonb, text) to authenticated;

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
    'location_name', public.incident_place_for_caller(i.location_name, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope),
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

create or replace function public.incidents_geojson(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 1000, p_offset integer default 0
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v jsonb;
begin
  select (
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

create or replace function public.incidents_list(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_q text default null, p_status text[] default null,
  p_sort text default 'event_date', p_dir text default 'desc',
  p_limit integer default 50, p_offset integer default 0
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
  from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) f
  where (p_status is null or cardinality(p_status) = 0 or f.status = any (p_status))
    and (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q);

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

  -- Restricted rows read through a list are on record: one row per request, not one per incident.
  perform public.incidents_note_restricted_read(v_rows, 'incidents_list');

  return jsonb_build_object('total', v_total, 'limit', least(greatest(coalesce(p_limit, 50), 1), 1000),
                            'offset', greatest(coalesce(p_offset, 0), 0), 'rows', v_rows);
end
$$;

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
    select p.*, f.event_date, f.event_type, f.fatalities,
           public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as location_name
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
             'status', o.status,
             'location_name', public.incident_place_for_caller(o.location_name, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope), 'source', o.source,
             'fatalities', o.fatalities, 'notes', left(o.notes, 200),
             'upstream_source', o.upstream_source,
             'distance_km', round((st_distance(o.g, x.g) / 1000)::numeric, 2),
             'days_apart', abs(o.event_date - x.event_date)) as d
    from x join o on st_dwithin(o.g, x.g, greatest(p_km, 0) * 1000) cross join s
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
             'location_name', public.incident_place_for_caller(o.location_name, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope), 'source', o.source,
             'distance_km', round((st_distance(o.g, q.g) / 1000)::numeric, 2),
             'days_apart', abs(o.event_date - p_date)) as d
    from s, o, (select st_setsrid(st_makepoint(p_lon, p_lat), 4326)::geography as g) q
    where st_dwithin(o.g, q.g, greatest(p_km, 0) * 1000)
    order by st_distance(o.g, q.g)
    limit least(greatest(p_limit, 1), 50)
  ) t
$$;

create or replace function public.actor_get(p_id uuid, p_incidents integer default 20) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select public.actor_json(a) || jsonb_build_object(
    'areas', public.actor_area_pcodes(a.id),
    'presence', coalesce((select jsonb_agg(to_jsonb(p) - 'geom' || jsonb_build_object(
          'drawn', p.geom is not null, 'area_name', ar.name_en, 'area_name_ar', ar.name_ar,
          'geometry', case when p.geom is not null then st_asgeojson(p.geom, 5)::jsonb end)
        order by p.valid_from nulls first, ar.name_en)
      from public.actor_presence p left join public.areas ar on ar.pcode = p.pcode
      where p.actor_id = a.id), '[]'::jsonb),
    'relationships', coalesce((select jsonb_agg(to_jsonb(r) || jsonb_build_object(
          'other_id', o.id, 'other_name', o.name, 'other_type', o.actor_type,
          'outgoing', r.source_actor_id = a.id)
        order by r.valid_from desc nulls last, o.name)
      from public.relationships r
      join public.actors o on o.id = case when r.source_actor_id = a.id then r.target_actor_id else r.source_actor_id end
      where a.id in (r.source_actor_id, r.target_actor_id)), '[]'::jsonb),
    'confrontations', coalesce((select jsonb_agg(jsonb_build_object(
          'other_id', o.id, 'other_name', o.name, 'incidents', c.incidents, 'fatalities', c.fatalities,
          'first_date', c.first_date, 'last_date', c.last_date) order by c.incidents desc, o.name)
      from public.actor_confrontations(a.id, null) c
      join public.actors o on o.id = case when c.actor_a = a.id then c.actor_b else c.actor_a end), '[]'::jsonb),
    'incident_counts', (select jsonb_build_object('total', count(*), 'fatalities', coalesce(sum(i.fatalities), 0),
          'first_date', min(i.event_date), 'last_date', max(i.event_date),
          'by_type', coalesce((select jsonb_object_agg(t.event_type, t.n) from (
             select event_type, count(*) as n from public.incidents where a.id in (actor1_id, actor2_id) group by 1) t), '{}'::jsonb))
      from public.incidents i where a.id in (i.actor1_id, i.actor2_id)),
    'incidents', coalesce((select jsonb_agg(x order by x ->> 'event_date' desc) from (
        select jsonb_build_object('id', i.id, 'event_date', i.event_date, 'event_type', i.event_type,
               'fatalities', i.fatalities, 'location_name', public.incident_place_for_caller(i.location_name, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, (select public.caller_location_scope())), 'admin1_pcode', i.admin1_pcode,
               'other_name', o.name) as x
        from public.incidents i
        left join public.actors o on o.id = case when i.actor1_id = a.id then i.actor2_id else i.actor1_id end
        where a.id in (i.actor1_id, i.actor2_id)
        order by i.event_date desc, i.id
        limit least(greatest(coalesce(p_incidents, 20), 0), 500)) s), '[]'::jsonb))
  from public.actors a
  where a.id = p_id
$$;
