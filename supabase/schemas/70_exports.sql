set check_function_bodies = off;

-- Exports: the incidents a user may see (RLS: this runs as the caller), in pages for streaming,
-- flat rows with every field an import needs to bring them back (src/lib/server/export writes
-- CSV+HXL, GeoJSON, KML and XLSX from them). The first page writes the audit note — who exported
-- which filters, in what format, how many rows — so no caller can export without leaving it.
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

-- A site registry for export, with the same audit note.
create function public.sites_export(p_kind text, p_format text default null) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare fc jsonb;
begin
  fc := public.sites_geojson(p_kind);
  perform public.audit_record('export', p_kind, jsonb_build_object('format', p_format,
    'rows', jsonb_array_length(fc -> 'features')));
  return fc;
end
$$;
