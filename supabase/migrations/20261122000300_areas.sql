-- Administrative areas: OCHA COD-AB units with P-codes (1 governorate, 2 district, 3 sub-district)
-- and English/Arabic names. Every incident and site is assigned to them by point-in-polygon.

create table public.areas (
  pcode         text primary key check (pcode ~ '^[A-Z]{2,3}[A-Z0-9]+$'),
  level         smallint not null check (level between 0 and 3),
  name_en       text not null,
  name_ar       text,
  parent_pcode  text references public.areas (pcode),
  geom          geometry(MultiPolygon, 4326) not null
);
create index areas_geom_idx on public.areas using gist (geom);
create index areas_level_idx on public.areas (level);
alter table public.areas enable row level security;
create policy "Signed-in users can read areas" on public.areas
  for select to authenticated using ((select public.current_app_role()) is not null);
grant select on public.areas to authenticated;
create trigger areas_audit after insert or update or delete on public.areas
  for each row execute function private.audit_row();

-- The area of a level that contains a point; a point just outside every polygon (a coastline or
-- border simplified away) takes the nearest area within ~10 km rather than none.
create function public.area_at(p_lon double precision, p_lat double precision, p_level integer)
returns text
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(
    (select a.pcode from public.areas a
      where a.level = p_level and st_intersects(a.geom, st_setsrid(st_point(p_lon, p_lat), 4326))
      limit 1),
    (select a.pcode from public.areas a
      where a.level = p_level
        and st_dwithin(a.geom, st_setsrid(st_point(p_lon, p_lat), 4326), 0.1)
      order by a.geom <-> st_setsrid(st_point(p_lon, p_lat), 4326)
      limit 1)
  )
$$;

-- Areas of one level as GeoJSON for the map, simplified for display (tolerance in degrees).
create function public.areas_geojson(p_level integer, p_tolerance double precision default 0.002)
returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('type', 'FeatureCollection', 'features', coalesce(jsonb_agg(
    jsonb_build_object(
      'type', 'Feature',
      'id', a.pcode,
      'geometry', st_asgeojson(st_simplifypreservetopology(a.geom, p_tolerance), 5)::jsonb,
      'properties', jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                                       'name_ar', a.name_ar, 'parent_pcode', a.parent_pcode,
                                       'label_lon', st_x(st_pointonsurface(a.geom)),
                                       'label_lat', st_y(st_pointonsurface(a.geom)))
    ) order by a.pcode), '[]'::jsonb))
  from public.areas a
  where a.level = p_level
$$;

create function public.areas_list(p_level integer default null) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('pcode', pcode, 'level', level, 'name_en', name_en,
           'name_ar', name_ar, 'parent_pcode', parent_pcode) order by level, name_en), '[]'::jsonb)
  from public.areas where p_level is null or level = p_level
$$;
