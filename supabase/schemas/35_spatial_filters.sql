set check_function_bodies = off;

-- Spatial filters (issue 13): a drawn circle, polygon or corridor, or an uploaded line, filters
-- incident counts and lists. The filter's geometry is stored here and referred to by id in the
-- URL (geometry_id=…), so a long road or a detailed polygon never makes a link too long to send
-- (a pasted road gave the browser's HTTP 431). A short geometry may also travel inline
-- (geometry=<GeoJSON>), and a circle as lat=&lon=&within_km=.
--
-- Geometries are deduplicated by a hash of their WKB: saving the same shape twice gives the same
-- id, so a URL stays stable. Any signed-in user may read one by its id: the id is a random UUID
-- that only a shared link carries, and a colleague who opens the link must see the same filter.
-- A filter geometry holds no incident data.
create table public.filter_geometries (
  id          uuid primary key default gen_random_uuid(),
  geom        geometry(Geometry, 4326) not null,
  geom_hash   text not null unique,
  created_by  uuid references public.app_users (id) on delete set null default auth.uid(),
  created_at  timestamptz not null default now(),
  -- The name the map shows for it (an overlay feature's label; null for a drawn shape): no more
  -- private than the shape beside it. The hash covers it: another name is another row and id.
  name        text check (name is null or char_length(name) between 1 and 200)
);
alter table public.filter_geometries enable row level security;
create policy "Signed-in users can read filter geometries" on public.filter_geometries
  for select to authenticated using (true);
create policy "Signed-in users can store their own filter geometries" on public.filter_geometries
  for insert to authenticated with check (created_by = (select auth.uid()));
grant select, insert on public.filter_geometries to authenticated;

-- GeoJSON (a geometry, a Feature or a FeatureCollection) → one valid geometry in EPSG:4326, or a
-- clear error (22023) naming what is wrong. Invalid polygons (self-intersecting rings) are
-- refused rather than silently repaired: a repaired shape is not the one the user drew.
create function public.filter_geometry_parse(p jsonb) returns geometry
language plpgsql immutable
set search_path = public, extensions, pg_temp
as $$
declare g geometry; v_reason text;
begin
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'geometry: expected a GeoJSON object' using errcode = '22023';
  end if;
  begin
    if p ->> 'type' = 'Feature' then
      g := st_geomfromgeojson((p -> 'geometry')::text);
    elsif p ->> 'type' = 'FeatureCollection' then
      select st_collect(st_geomfromgeojson((f -> 'geometry')::text)) into g
      from jsonb_array_elements(p -> 'features') f;
    else
      g := st_geomfromgeojson(p::text);
    end if;
  exception when others then
    raise exception 'geometry: not valid GeoJSON (%)', sqlerrm using errcode = '22023';
  end;
  if g is null or st_isempty(g) then
    raise exception 'geometry: empty' using errcode = '22023';
  end if;
  if st_npoints(g) > 200000 then
    raise exception 'geometry: too detailed (% points; at most 200000)', st_npoints(g) using errcode = '22023';
  end if;
  g := st_setsrid(g, 4326);
  if st_xmin(g) < -180 or st_xmax(g) > 180 or st_ymin(g) < -90 or st_ymax(g) > 90 then
    raise exception 'geometry: coordinates must be longitude, latitude in degrees' using errcode = '22023';
  end if;
  if not st_isvalid(g) then
    v_reason := st_isvalidreason(g);
    raise exception 'geometry: invalid (%)', v_reason using errcode = '22023';
  end if;
  return g;
end
$$;

-- A client's GeoJSON (a geometry, or a Feature holding one) as a checked geometry in EPSG:4326:
-- a Point, LineString or Polygon (or their Multi- forms), not empty, in longitude/latitude
-- degrees, and valid (a self-crossing polygon is refused, not repaired: a repaired shape is not
-- the one the user drew), each refusal naming the field (22023). The one check behind the
-- proximity query's geometry and a no-go zone's polygon (issue 15: it was written in each).
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

-- Stores a filter geometry (with its name, if any) and returns its id (same shape and name, same id).
create function public.filter_geometry_save(p_geometry jsonb, p_name text default null) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  g geometry := public.filter_geometry_parse(p_geometry);
  v_name text := nullif(left(btrim(coalesce(p_name, '')), 200), '');
  h text;
  v uuid;
begin
  h := md5(st_asewkb(g) || convert_to(coalesce(v_name, ''), 'UTF8'));
  insert into public.filter_geometries (geom, geom_hash, name) values (g, h, v_name)
  on conflict (geom_hash) do nothing returning id into v;
  if v is null then
    select id into v from public.filter_geometries where geom_hash = h;
  end if;
  return jsonb_build_object('id', v, 'type', st_geometrytype(g), 'points', st_npoints(g),
                            'bbox', jsonb_build_array(st_xmin(g), st_ymin(g), st_xmax(g), st_ymax(g)),
                            'name', v_name);
end
$$;

-- A stored filter geometry as GeoJSON, with its name (null for a drawn shape).
create function public.filter_geometry_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('id', id, 'geometry', st_asgeojson(geom, 6)::jsonb, 'name', name)
  from public.filter_geometries where id = p_id
$$;

-- The place a request filters by: an inline GeoJSON geometry, a stored one, or a point; NULL for
-- none. Exactly one of them: two would be ambiguous.
create function public.spatial_filter_geometry(
  p_geometry jsonb, p_geometry_id uuid, p_lon double precision, p_lat double precision
) returns geometry
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare g geometry;
begin
  if (p_geometry is not null)::int + (p_geometry_id is not null)::int
     + (p_lon is not null or p_lat is not null)::int > 1 then
    raise exception 'geometry: give one of geometry, geometry_id or lat/lon' using errcode = '22023';
  end if;
  if p_geometry is not null then return public.filter_geometry_parse(p_geometry); end if;
  if p_geometry_id is not null then
    select geom into g from public.filter_geometries where id = p_geometry_id;
    if g is null then
      raise exception 'geometry_id: no such filter geometry' using errcode = '22023';
    end if;
    return g;
  end if;
  if p_lon is not null or p_lat is not null then
    if p_lon is null or p_lat is null or p_lon not between -180 and 180 or p_lat not between -90 and 90 then
      raise exception 'lat/lon: give both, in degrees' using errcode = '22023';
    end if;
    return st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  end if;
  return null;
end
$$;

-- The place a request filters by, checked: spatial_filter_geometry plus the distance rules (a
-- point or a line needs within_km; at most 500 km). Every emitter that takes a spatial filter
-- (counts, list, GeoJSON, map, density, exports) calls this once, so they refuse alike.
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

-- The shared incident filter (incidents_filtered) refined by a place and by the map's further
-- filters (issue 13). The one definition the counts, list, GeoJSON, map, density and exports use.
-- A place: inside p_place (ST_Intersects, geometry), or within p_within_m metres of it
-- (ST_DWithin on geography: a circle around a point, a corridor around a line). Location fuzzing
-- (THE RULE, 30_incidents.sql): the test is on the point the caller sees, the exact point only
-- for a NULL scope. p_precise_only keeps exact locations only: an incident placed at a town,
-- district or governorate centre (geo_precision 2 or 3, or fuzzed for this caller) would
-- otherwise count as "within 5 km" of everything near that centre.
-- Further filters, each NULL or empty for "any":
--   p_lens         the NGO lens, any of 'us' (affects us), 'ngos' (affects NGOs), 'serious'
--   p_sub_types    sub-event types;  p_actors: actor1 or actor2 is one of them
--   p_status       verification status;  p_reliability: source reliability A–F
-- SQL without a SET clause, so that it inlines into its callers like incidents_filtered.
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

-- Counts for the filters and a place (and the further filters of incidents_refined), in
-- incident_counts' shape, plus how many of them are
-- located only approximately: by_precision {1 exact, 2 near a named place, 3 an area's centre}
-- (3 also for a location fuzzed for this caller) and imprecise = 2 + 3.
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
