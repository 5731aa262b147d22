-- Proximity asks the index, under RLS too: the candidates within a target's box are now found
-- through the (lat, lon) btree of 20261122004100 (float8 comparisons are leakproof, so the
-- planner may use them in an index scan for a signed-in caller), instead of every incident of
-- the date range being box-tested. The box edges are plain columns of the materialised targets:
-- a non-leakproof function (st_xmin …) in the join condition would forbid the index again.
-- Otherwise the function is the one of 20261122003006_analysis_speed.sql.
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
  pairs as materialized (
    -- Every (target, incident) within the distance. Under row-level security PostgreSQL may
    -- not use the GiST indexes for ST_DWithin or && (those operators are not leakproof, so they
    -- must run after the policies); the box test on the plain lon/lat columns is leakproof and
    -- answered by their btree, and screens the candidates before the geodesic distance (costly).
    select t.kind, t.id as target_id, t.name, i.id as incident_id,
           st_distance(i.geom::geography, t.geog) as d
    from targets t
    join public.incidents i
      on i.lat between t.y0 and t.y1
     and i.lon between t.x0 and t.x1
     and st_dwithin(i.geom::geography, t.geog, v_m)
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
        'lon', round(st_x(geom)::numeric, 5), 'lat', round(st_y(geom)::numeric, 5),
        'distance_m', round(d::numeric), 'nearest_kind', kind, 'nearest_id', target_id, 'nearest_name', name)
      order by d, event_date desc, incident_id) from listed), '[]'::jsonb))
  into v;
  return v;
end
$$;
