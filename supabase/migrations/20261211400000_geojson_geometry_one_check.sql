-- One check of the GeoJSON geometry a client sends (issue 15): the proximity query's
-- (proximity_geometry) and a no-go zone's (no_go_zone_geometry) were the same lines written
-- twice; both now call public.geojson_geometry. A no-go zone keeps its own refusals of a
-- non-polygon and of a polygon over 100,000 km². See supabase/schemas/35_spatial_filters.sql.
create function public.geojson_geometry(p_geojson jsonb) returns geometry
language plpgsql immutable
set search_path = public, extensions, pg_temp
as $$
declare
  g jsonb := case when p_geojson ->> 'type' = 'Feature' then p_geojson -> 'geometry' else p_geojson end;
  geom geometry;
begin
  if g is null or jsonb_typeof(g) <> 'object'
     or g ->> 'type' not in ('Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon') then
    raise exception 'geometry: expected a GeoJSON Point, LineString or Polygon (or their Multi- forms)'
      using errcode = '22023';
  end if;
  begin
    geom := st_setsrid(st_geomfromgeojson(g::text), 4326);
  exception when others then
    raise exception 'geometry: not valid GeoJSON (%)', sqlerrm using errcode = '22023';
  end;
  if st_isempty(geom) then
    raise exception 'geometry: is empty' using errcode = '22023';
  end if;
  if st_xmin(geom) < -180 or st_xmax(geom) > 180 or st_ymin(geom) < -90 or st_ymax(geom) > 90 then
    raise exception 'geometry: coordinates must be longitude, latitude in degrees (WGS 84)' using errcode = '22023';
  end if;
  if not st_isvalid(geom) then
    raise exception 'geometry: % (the shape crosses itself or is not closed)', st_isvalidreason(geom)
      using errcode = '22023';
  end if;
  return geom;
end
$$;

create or replace function public.proximity_geometry(p_geojson jsonb) returns geometry
language sql immutable
set search_path = public, extensions, pg_temp
as $$
  select public.geojson_geometry(p_geojson)
$$;

create or replace function public.no_go_zone_geometry(p_geojson jsonb) returns geometry
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
  geom := public.geojson_geometry(g);
  if st_area(geom::geography) > 1e11 then
    raise exception 'geometry: the polygon is larger than 100,000 km²' using errcode = '22023';
  end if;
  return st_multi(geom);
end
$$;
