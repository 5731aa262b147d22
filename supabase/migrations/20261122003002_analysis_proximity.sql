-- Proximity: the incidents within X km of our sites, a facility, a camp, a checkpoint, or a
-- point/line/polygon drawn on the map, in the last N days up to a date.
--
-- Distances are on the spheroid (geography). The candidates are found with ST_DWithin on
-- incidents.geom::geography, which the GiST index incidents_geog_idx serves; the shared filter
-- (public.incidents_filtered: dates, event types, RLS) then decides which of them count, so the
-- list agrees with the map for the same user and dates.

-- The GeoJSON a client sends (a geometry, or a Feature holding one) as a checked geometry.
create function public.proximity_geometry(p_geojson jsonb) returns geometry
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
    raise exception 'geometry: % ', st_isvalidreason(geom) using errcode = '22023';
  end if;
  return geom;
end
$$;

-- p_km       the distance, 0 < km ≤ 200
-- p_days     how many days back, counting p_as_of itself (1 = that day only), 1 … 36 600
-- p_as_of    the last day (default today)
-- p_site_kind 'org_sites' | 'health_facilities' | 'idp_camps' | 'checkpoints': all sites of that
--            registry, or only p_site_id; or p_geometry (GeoJSON) instead of sites.
-- Answer: the targets with their counts, and the incidents (nearest first; at most p_limit, the
-- totals are exact) each with its distance in metres to the nearest target.
create function public.incidents_proximity(
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
as $$
declare
  v_to date := coalesce(p_as_of, current_date);
  v_from date;
  v_m double precision;
  v_geom geometry;
  v jsonb;
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

  with targets as materialized (
    select 'geometry'::text as kind, null::uuid as id, null::text as name, v_geom::geography as geog
    where v_geom is not null
    union all
    select 'org_sites', s.id, s.name, s.geom::geography from public.org_sites s
    where p_site_kind = 'org_sites' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'health_facilities', s.id, s.name, s.geom::geography from public.health_facilities s
    where p_site_kind = 'health_facilities' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'idp_camps', s.id, s.name, s.geom::geography from public.idp_camps s
    where p_site_kind = 'idp_camps' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'checkpoints', s.id, s.name, s.geom::geography from public.checkpoints s
    where p_site_kind = 'checkpoints' and (p_site_id is null or s.id = p_site_id)
  ),
  pairs as (
    -- every (target, incident) within the distance: the geography GiST index finds them
    select t.kind, t.id as target_id, t.name, i.id as incident_id, st_distance(i.geom::geography, t.geog) as d
    from targets t
    join public.incidents i on st_dwithin(i.geom::geography, t.geog, v_m)
    where i.event_date between v_from and v_to
  ),
  counted as (
    select p.*, f.event_date, f.event_type, f.fatalities, f.geom, f.location_name
    from pairs p join public.incidents_filtered(v_from, v_to, p_types, null) f on f.id = p.incident_id
  ),
  nearest as (
    select distinct on (incident_id) * from counted order by incident_id, d, target_id
  ),
  per_target as (
    select t.kind, t.id, t.name, count(c.incident_id) as n, coalesce(sum(c.fatalities), 0) as fat
    from targets t left join counted c on c.target_id is not distinct from t.id
    group by t.kind, t.id, t.name
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
        'lon', round(st_x(geom)::numeric, 5), 'lat', round(st_y(geom)::numeric, 5),
        'distance_m', round(d::numeric), 'nearest_kind', kind, 'nearest_id', target_id, 'nearest_name', name)
      order by d, event_date desc, incident_id) from listed), '[]'::jsonb))
  into v;
  return v;
end
$$;
