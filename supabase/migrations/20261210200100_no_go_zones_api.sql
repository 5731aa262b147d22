-- No-go zones through the API and a page (issue 11, point 2): verbs, and the insert policy in the
-- drawer's own name. See supabase/schemas/55_movements.sql.
drop policy "Analysts and admins can draw no-go zones" on public.no_go_zones;
create policy "Analysts and admins can draw no-go zones" on public.no_go_zones
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst'))
                                          and created_by = (select auth.uid()));

-- No-go zones through the API and a page (20261210200100): a GeoJSON polygon (Polygon or
-- MultiPolygon, or a Feature holding one) as a valid geometry, refused with the field named when
-- it is not a polygon or crosses itself. Writes are security invoker: the policies above decide
-- (analysts and admins, in their own name); every signed-in role reads them (route risk uses them).
create function public.no_go_zone_geometry(p_geojson jsonb) returns geometry
language plpgsql immutable
set search_path = public, extensions, pg_temp
as $$
declare
  g jsonb := case when p_geojson ->> 'type' = 'Feature' then p_geojson -> 'geometry' else p_geojson end;
  geom geometry;
begin
  if g is null or jsonb_typeof(g) <> 'object' then
    raise exception 'geometry: expected a GeoJSON Polygon' using errcode = '22023';
  end if;
  if coalesce(g ->> 'type', '') not in ('Polygon', 'MultiPolygon') then
    raise exception 'geometry: must be a polygon (GeoJSON Polygon or MultiPolygon), not %',
      coalesce(g ->> 'type', 'nothing') using errcode = '22023';
  end if;
  begin
    geom := st_setsrid(st_geomfromgeojson(g::text), 4326);
  exception when others then
    raise exception 'geometry: not valid GeoJSON (%)', sqlerrm using errcode = '22023';
  end;
  if st_isempty(geom) then
    raise exception 'geometry: the polygon is empty' using errcode = '22023';
  end if;
  if st_xmin(geom) < -180 or st_xmax(geom) > 180 or st_ymin(geom) < -90 or st_ymax(geom) > 90 then
    raise exception 'geometry: coordinates must be longitude, latitude in degrees (WGS 84)' using errcode = '22023';
  end if;
  if not st_isvalid(geom) then
    raise exception 'geometry: the polygon crosses itself or is not closed (%)', st_isvalidreason(geom)
      using errcode = '22023';
  end if;
  if st_area(geom::geography) > 1e11 then
    raise exception 'geometry: the polygon is larger than 100,000 km²' using errcode = '22023';
  end if;
  return st_multi(geom);
end
$$;

create function public.no_go_zone_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('id', z.id, 'name', z.name, 'reason', z.reason, 'valid_from', z.valid_from,
                            'valid_to', z.valid_to, 'created_at', z.created_at, 'created_by', z.created_by,
                            'created_by_name', public.app_user_label(z.created_by),
                            'area_km2', round((st_area(z.geom::geography) / 1e6)::numeric, 2),
                            'geometry', st_asgeojson(z.geom, 6)::jsonb)
  from public.no_go_zones z where z.id = p_id
$$;

-- The zones, newest first; p_active: only those in force today.
create function public.no_go_zones_list(p_active boolean default false) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(public.no_go_zone_json(z.id) order by z.created_at desc, z.id), '[]')
  from public.no_go_zones z
  where not coalesce(p_active, false)
     or (z.valid_from <= current_date and (z.valid_to is null or z.valid_to >= current_date))
$$;

create function public.no_go_zone_add(p jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  k text;
  v_name text := btrim(coalesce(p ->> 'name', ''));
  v_reason text := btrim(coalesce(p ->> 'reason', ''));
  v_from date;
  v_to date;
  v_geom geometry;
  v_id uuid;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can draw no-go zones' using errcode = '42501';
  end if;
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'zone: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p) loop
    if k not in ('name', 'reason', 'geometry', 'valid_from', 'valid_to') then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  if v_name = '' or length(v_name) > 200 then
    raise exception 'name: is required (at most 200 characters)' using errcode = '22023';
  end if;
  if v_reason = '' or length(v_reason) > 2000 then
    raise exception 'reason: is required (at most 2000 characters)' using errcode = '22023';
  end if;
  begin
    v_from := coalesce(nullif(p ->> 'valid_from', '')::date, current_date);
  exception when others then
    raise exception 'valid_from: expected a date (YYYY-MM-DD)' using errcode = '22023';
  end;
  begin
    v_to := nullif(p ->> 'valid_to', '')::date;
  exception when others then
    raise exception 'valid_to: expected a date (YYYY-MM-DD)' using errcode = '22023';
  end;
  if v_to is not null and v_to < v_from then
    raise exception 'valid_to: is before valid_from' using errcode = '22023';
  end if;
  v_geom := public.no_go_zone_geometry(p -> 'geometry');
  insert into public.no_go_zones (name, reason, geom, valid_from, valid_to, created_by)
  values (v_name, v_reason, v_geom, v_from, v_to, (select auth.uid()))
  returning id into v_id;
  return public.no_go_zone_json(v_id);
end
$$;

create function public.no_go_zone_delete(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare n integer;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can remove no-go zones' using errcode = '42501';
  end if;
  delete from public.no_go_zones where id = p_id;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'no no-go zone with id %', p_id using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;
revoke all on function public.no_go_zone_geometry(jsonb), public.no_go_zone_json(uuid),
  public.no_go_zones_list(boolean), public.no_go_zone_add(jsonb), public.no_go_zone_delete(uuid) from public, anon;
grant execute on function public.no_go_zone_geometry(jsonb), public.no_go_zone_json(uuid),
  public.no_go_zones_list(boolean), public.no_go_zone_add(jsonb), public.no_go_zone_delete(uuid) to authenticated;
