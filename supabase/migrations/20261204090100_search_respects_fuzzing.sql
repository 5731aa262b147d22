-- A search no longer finds a fuzzed incident by the place name its reader is not shown
-- (supabase/schemas/30_incidents.sql, incident_search_visible): the incident list and the export.
-- A search must not find a fuzzed incident by the place name its reader is not shown: a viewer
-- searching "office" would otherwise learn which coarse points are our own office. For those
-- incidents the reader's search matches the name they see (the area's), not the stored one. An
-- extra condition beside the indexed match, so the full-text index still serves the search.
create function public.incident_search_visible(
  p_notes text, p_location_name text, p_source text, p_sub_event_type text,
  p_geom_coarse geometry, p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[], p_q tsquery
) returns boolean
language sql stable
as $$
  select p_q is null or p_scope is null
      or not public.incident_location_fuzzed(p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope)
      or public.incident_document(p_notes,
           public.incident_place_for_caller(p_location_name, p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope),
           p_source, p_sub_event_type) @@ p_q
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
    and (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
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
        from public.incidents_filtered($1, $2, $3, $4, $5, $6, $7, $8) f
        where ($10::text[] is null or cardinality($10::text[]) = 0 or f.status = any ($10::text[]))
          and ($9 is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ $9)
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
      and (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
      and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
            f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope, v_q);
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
      and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
            f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope, v_q)
      and (p_after_id is null or (f.event_date, f.id) > (p_after_date, p_after_id))
    order by f.event_date, f.id
    limit least(greatest(coalesce(p_limit, 2000), 1), 10000)
  ) t;
  return jsonb_build_object('total', v_total, 'rows', v_rows);
end
$$;
