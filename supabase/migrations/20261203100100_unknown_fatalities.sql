-- Unknown fatalities stay unknown (issue 9): an empty fatalities field was stored as 0 and
-- shown as "0 killed". The column takes NULL (= not known) from now on; sums already skip NULLs.
-- incident_create and incident_update of 20261122001000_incident_workflow.sql are replaced only
-- to stop turning a NULL into 0 (the one changed line in each is marked "unknown stays NULL").
alter table public.incidents alter column fatalities drop not null, alter column fatalities drop default;

create or replace function public.incident_create(
  p jsonb,
  p_dup_km double precision default 5,
  p_dup_days integer default 1
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_role text := public.current_app_role();
  v_id uuid;
  v_lon float8; v_lat float8; v_prec smallint;
  a1 text; a2 text; a3 text;
  anchor record;
begin
  if v_role is null or v_role not in ('admin', 'analyst', 'field') then
    raise exception 'only field staff, analysts and admins can report incidents' using errcode = '42501';
  end if;
  perform public.incident_check(p, false);
  if coalesce(p ->> 'status', 'reported') = 'verified' and v_role = 'field' then
    raise exception 'status: field reports start as reported; an analyst verifies them' using errcode = '42501';
  end if;

  v_prec := coalesce((p ->> 'geo_precision')::smallint, 1);
  if p ? 'lon' then
    v_lon := (p ->> 'lon')::float8;
    v_lat := (p ->> 'lat')::float8;
    select r.admin1_pcode, r.admin2_pcode, r.admin3_pcode into a1, a2, a3 from public.incident_areas(v_lon, v_lat) r;
  else
    select * into anchor from public.area_anchor(p ->> 'admin_pcode');
    if anchor.lon is null then
      raise exception 'admin_pcode: no area with P-code %', p ->> 'admin_pcode' using errcode = '22023';
    end if;
    v_lon := anchor.lon; v_lat := anchor.lat; v_prec := 3;
    a1 := anchor.admin1_pcode; a2 := anchor.admin2_pcode; a3 := anchor.admin3_pcode;
  end if;

  insert into public.incidents (
    event_date, event_time, time_precision, event_type, sub_event_type, actor1_id, actor2_id,
    admin1_pcode, admin2_pcode, admin3_pcode, location_name, geom, geo_precision, fatalities,
    injuries, abductions, notes, source, source_scale, affects_us, affects_ngos, serious,
    ops_impact, source_reliability, info_credibility, confidentiality, status, reported_by)
  values (
    (p ->> 'event_date')::date,
    nullif(p ->> 'event_time', '')::time,
    coalesce(nullif(p ->> 'time_precision', ''), case when nullif(p ->> 'event_time', '') is not null then 'exact' else 'day' end),
    p ->> 'event_type',
    nullif(trim(coalesce(p ->> 'sub_event_type', '')), ''),
    public.incident_actor(p ->> 'actor1_id', p ->> 'actor1'),
    public.incident_actor(p ->> 'actor2_id', p ->> 'actor2'),
    a1, a2, a3,
    nullif(trim(coalesce(p ->> 'location_name', '')), ''),
    st_setsrid(st_makepoint(v_lon, v_lat), 4326),
    v_prec,
    (p ->> 'fatalities')::int,  -- unknown stays NULL
    (p ->> 'injuries')::int,
    (p ->> 'abductions')::int,
    coalesce(p ->> 'notes', ''),
    nullif(trim(coalesce(p ->> 'source', '')), ''),
    nullif(trim(coalesce(p ->> 'source_scale', '')), ''),
    coalesce((p ->> 'affects_us')::boolean, false),
    coalesce((p ->> 'affects_ngos')::boolean, false),
    coalesce((p ->> 'serious')::boolean, false),
    nullif(p ->> 'ops_impact', ''),
    nullif(p ->> 'source_reliability', ''),
    (p ->> 'info_credibility')::smallint,
    coalesce(nullif(p ->> 'confidentiality', ''), 'internal'),
    coalesce(nullif(p ->> 'status', ''), 'reported'),
    (select auth.uid()))
  returning id into v_id;

  return jsonb_build_object(
    'incident', public.incident_get(v_id),
    'duplicates', public.incident_duplicates(v_id, p_dup_km, p_dup_days));
end
$$;

create or replace function public.incident_update(p_id uuid, p jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  cur public.incidents;
  v_lon float8; v_lat float8; v_prec smallint;
  a1 text; a2 text; a3 text;
  anchor record;
  n integer;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can edit incidents' using errcode = '42501';
  end if;
  perform public.incident_check(p, true);
  if p ? 'status' then
    raise exception 'status: change it with incident_transition (verify, reject, archive)' using errcode = '22023';
  end if;
  select * into cur from public.incidents where id = p_id;
  if cur.id is null then
    raise exception 'no such incident, or not visible to you' using errcode = 'P0002';
  end if;

  v_lon := st_x(cur.geom); v_lat := st_y(cur.geom); v_prec := cur.geo_precision;
  a1 := cur.admin1_pcode; a2 := cur.admin2_pcode; a3 := cur.admin3_pcode;
  if p ? 'lon' then
    v_lon := (p ->> 'lon')::float8; v_lat := (p ->> 'lat')::float8;
    v_prec := coalesce((p ->> 'geo_precision')::smallint, 1);
    select r.admin1_pcode, r.admin2_pcode, r.admin3_pcode into a1, a2, a3 from public.incident_areas(v_lon, v_lat) r;
  elsif nullif(p ->> 'admin_pcode', '') is not null then
    select * into anchor from public.area_anchor(p ->> 'admin_pcode');
    if anchor.lon is null then
      raise exception 'admin_pcode: no area with P-code %', p ->> 'admin_pcode' using errcode = '22023';
    end if;
    v_lon := anchor.lon; v_lat := anchor.lat; v_prec := 3;
    a1 := anchor.admin1_pcode; a2 := anchor.admin2_pcode; a3 := anchor.admin3_pcode;
  elsif p ? 'geo_precision' then
    v_prec := (p ->> 'geo_precision')::smallint;
  end if;

  update public.incidents i set
    event_date = case when p ? 'event_date' then (p ->> 'event_date')::date else i.event_date end,
    event_time = case when p ? 'event_time' then nullif(p ->> 'event_time', '')::time else i.event_time end,
    time_precision = case when p ? 'time_precision' then coalesce(nullif(p ->> 'time_precision', ''), 'day') else i.time_precision end,
    event_type = case when p ? 'event_type' then p ->> 'event_type' else i.event_type end,
    sub_event_type = case when p ? 'sub_event_type' then nullif(trim(coalesce(p ->> 'sub_event_type', '')), '') else i.sub_event_type end,
    actor1_id = case when p ? 'actor1_id' or p ? 'actor1' then public.incident_actor(p ->> 'actor1_id', p ->> 'actor1') else i.actor1_id end,
    actor2_id = case when p ? 'actor2_id' or p ? 'actor2' then public.incident_actor(p ->> 'actor2_id', p ->> 'actor2') else i.actor2_id end,
    admin1_pcode = a1, admin2_pcode = a2, admin3_pcode = a3,
    geom = case when v_lon = st_x(i.geom) and v_lat = st_y(i.geom) then i.geom else st_setsrid(st_makepoint(v_lon, v_lat), 4326) end,
    geo_precision = v_prec,
    location_name = case when p ? 'location_name' then nullif(trim(coalesce(p ->> 'location_name', '')), '') else i.location_name end,
    fatalities = case when p ? 'fatalities' then (p ->> 'fatalities')::int else i.fatalities end,  -- unknown stays NULL
    injuries = case when p ? 'injuries' then (p ->> 'injuries')::int else i.injuries end,
    abductions = case when p ? 'abductions' then (p ->> 'abductions')::int else i.abductions end,
    notes = case when p ? 'notes' then coalesce(p ->> 'notes', '') else i.notes end,
    source = case when p ? 'source' then nullif(trim(coalesce(p ->> 'source', '')), '') else i.source end,
    source_scale = case when p ? 'source_scale' then nullif(trim(coalesce(p ->> 'source_scale', '')), '') else i.source_scale end,
    affects_us = case when p ? 'affects_us' then coalesce((p ->> 'affects_us')::boolean, false) else i.affects_us end,
    affects_ngos = case when p ? 'affects_ngos' then coalesce((p ->> 'affects_ngos')::boolean, false) else i.affects_ngos end,
    serious = case when p ? 'serious' then coalesce((p ->> 'serious')::boolean, false) else i.serious end,
    ops_impact = case when p ? 'ops_impact' then nullif(p ->> 'ops_impact', '') else i.ops_impact end,
    source_reliability = case when p ? 'source_reliability' then nullif(p ->> 'source_reliability', '') else i.source_reliability end,
    info_credibility = case when p ? 'info_credibility' then (p ->> 'info_credibility')::smallint else i.info_credibility end,
    confidentiality = case when p ? 'confidentiality' then coalesce(nullif(p ->> 'confidentiality', ''), 'internal') else i.confidentiality end,
    updated_at = now()
  where i.id = p_id;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'no such incident, or not yours to edit' using errcode = '42501';
  end if;
  return public.incident_get(p_id);
end
$$;
