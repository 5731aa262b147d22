set check_function_bodies = off;

-- Movements and safe access: route risk (the corridor, stops, checkpoints, area levels, no-go
-- zones and a rule-based recommendation), movement plans and their workflow, safe-access calls
-- and access authorisations. Migrations 20261203170000 and 20261203170100.

-- Route risk: what lies along a planned movement, computed in PostGIS under the caller's RLS,
-- and a recommendation (go / go with conditions / no-go) from explicit, configurable rules whose
-- reasons are listed. Never a black box: every reason names the rule, the figure and the threshold.
--
-- The rules and their thresholds live in one settings row that admins change; the defaults are
-- those of a typical NGO security plan (level 3 "Substantial" = essential movements only, with
-- approval; level 5 "Extreme" = no movement).

create table public.movement_settings (
  id                        smallint primary key default 1 check (id = 1),
  -- the corridor around the route and the radius around each stop, in km
  corridor_km               double precision not null default 5 check (corridor_km > 0 and corridor_km <= 50),
  stop_km                   double precision not null default 5 check (stop_km > 0 and stop_km <= 50),
  -- how many days of incidents to count, back from `to` (today, or the newest data if older)
  days                      integer not null default 90 check (days between 1 and 3660),
  -- a checkpoint whose last verification is older than this is stale
  checkpoint_stale_days     integer not null default 14 check (checkpoint_stale_days between 1 and 365),
  -- the area level from which a movement needs conditions, and the level that forbids it
  conditions_level          smallint not null default 3 check (conditions_level between 1 and 5),
  no_go_level               smallint not null default 5 check (no_go_level between 1 and 5),
  -- incident counts in the corridor that call for conditions / forbid the movement
  conditions_incidents      integer not null default 10 check (conditions_incidents >= 1),
  no_go_incidents           integer not null default 100 check (no_go_incidents >= 1),
  -- serious or NGO-affecting incidents in the corridor that call for conditions
  conditions_serious        integer not null default 1 check (conditions_serious >= 1),
  updated_at                timestamptz not null default now(),
  -- approval needs a recent safe-access call for each area at this level or higher …
  call_level smallint not null default 3 check (call_level between 1 and 5),
  -- … no older than this many hours
  call_max_age_hours integer not null default 72 check (call_max_age_hours between 1 and 720),
  -- a movement past its expected return plus this grace becomes overdue
  grace_minutes integer not null default 30 check (grace_minutes between 0 and 1440),
  constraint movement_settings_levels check (conditions_level <= no_go_level),
  constraint movement_settings_counts check (conditions_incidents <= no_go_incidents),
  -- 20261205040000: a district the route or a stop touches needs an access authorisation for
  -- every team member and vehicle when its level is at least this, or when it (or its governorate)
  -- is listed; an authorisation expiring within this many days raises an alert
  authorisation_level smallint not null default 4 check (authorisation_level between 1 and 5),
  authorisation_pcodes text[] not null default '{}',
  authorisation_expiry_days integer not null default 14 check (authorisation_expiry_days between 1 and 365)
);
-- a fixed time, so that every database starts from the same row
insert into public.movement_settings (id, updated_at) values (1, '2026-12-03T00:00:00Z');
alter table public.movement_settings enable row level security;
create policy "Signed-in users can read the movement rules" on public.movement_settings
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Admins can change the movement rules" on public.movement_settings
  for update to authenticated using ((select public.has_app_role('admin')))
  with check ((select public.has_app_role('admin')));
grant select, update on public.movement_settings to authenticated;
create trigger movement_settings_audit after update on public.movement_settings
  for each row execute function private.audit_row();

-- No-go zones drawn by analysts: a movement whose corridor touches one in force is refused.
create table public.no_go_zones (
  id          uuid primary key default gen_random_uuid(),
  name        text not null check (length(btrim(name)) between 1 and 200),
  reason      text not null default '',
  geom        geometry(MultiPolygon, 4326) not null check (st_isvalid(geom)),
  valid_from  date not null default current_date,
  valid_to    date,
  created_by  uuid default auth.uid() references public.app_users (id) on delete set null,
  created_at  timestamptz not null default now(),
  constraint no_go_zones_dates check (valid_to is null or valid_to >= valid_from)
);
create index no_go_zones_geom_idx on public.no_go_zones using gist (geom);
alter table public.no_go_zones enable row level security;
create policy "Signed-in users can read no-go zones" on public.no_go_zones
  for select to authenticated using ((select public.current_app_role()) is not null);
-- (20261210200100) in their own name: an analyst cannot draw a zone as someone else
create policy "Analysts and admins can draw no-go zones" on public.no_go_zones
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst'))
                                          and created_by = (select auth.uid()));
create policy "Analysts and admins can change no-go zones" on public.no_go_zones
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can remove no-go zones" on public.no_go_zones
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));
grant select, insert, update, delete on public.no_go_zones to authenticated;
create trigger no_go_zones_audit after insert or update or delete on public.no_go_zones
  for each row execute function private.audit_row();

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
  geom := public.geojson_geometry(g);
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

-- A GeoJSON line (LineString / MultiLineString, or a Feature holding one) as a valid geometry.
create function public.route_geometry(p_geojson jsonb) returns geometry
language plpgsql immutable
set search_path = public, extensions, pg_temp
as $$
declare
  g jsonb := case when p_geojson ->> 'type' = 'Feature' then p_geojson -> 'geometry' else p_geojson end;
  geom geometry;
begin
  if g is null or jsonb_typeof(g) <> 'object' then
    raise exception 'route: expected a GeoJSON LineString' using errcode = '22023';
  end if;
  if g ->> 'type' not in ('LineString', 'MultiLineString') then
    raise exception 'route: must be a line (GeoJSON LineString or MultiLineString), not %', coalesce(g ->> 'type', 'nothing')
      using errcode = '22023';
  end if;
  begin
    geom := st_setsrid(st_geomfromgeojson(g::text), 4326);
  exception when others then
    raise exception 'route: not valid GeoJSON (%)', sqlerrm using errcode = '22023';
  end;
  if st_isempty(geom) or st_npoints(geom) < 2 then
    raise exception 'route: needs at least two points' using errcode = '22023';
  end if;
  if st_npoints(geom) > 20000 then
    raise exception 'route: has % points; at most 20000', st_npoints(geom) using errcode = '22023';
  end if;
  if st_xmin(geom) < -180 or st_xmax(geom) > 180 or st_ymin(geom) < -90 or st_ymax(geom) > 90 then
    raise exception 'route: coordinates must be longitude, latitude in degrees (WGS 84)' using errcode = '22023';
  end if;
  if st_length(geom::geography) > 2000000 then
    raise exception 'route: is longer than 2000 km' using errcode = '22023';
  end if;
  return geom;
end
$$;

-- p_route        GeoJSON LineString (the road), required
-- p_corridor_km  the corridor's half-width (default: the settings' corridor_km)
-- p_from, p_to   the incident period; default: the settings' days back from today, or from the
--                newest incident the caller can see when that is older (historic data sets)
-- p_stops        GeoJSON Points or [{lon, lat, name}] (optional): each gets its own radius count
-- p_stop_km      the radius around each stop (default: the settings' stop_km)
-- p_list_limit   how many incidents to list (the totals are exact)
-- p_on           the day of travel (default today): area levels and no-go zones in force that day
--
-- Counting: an incident is in the corridor when ST_DWithin(geography) of the route within the
-- corridor's metres, exactly the test an analyst would write. To let the planner use the (lat,
-- lon) btree under RLS (PostGIS operators are not leakproof; see 20261122004100), the route is cut
-- into short pieces whose boxes, grown by the corridor, screen the candidates first.
create function public.route_risk(
  p_route jsonb,
  p_corridor_km double precision default null,
  p_from date default null,
  p_to date default null,
  p_stops jsonb default null,
  p_stop_km double precision default null,
  p_list_limit integer default 200,
  p_on date default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
set plan_cache_mode = force_custom_plan
as $$
declare
  s public.movement_settings;
  v_route geometry;
  v_geog geography;
  v_km double precision;
  v_m double precision;
  v_stop_km double precision;
  v_to date;
  v_from date;
  v_newest date;
  v_stops jsonb := '[]';
  v_line geometry;
  v_scope text[] := public.caller_location_scope();
  v jsonb;
begin
  select * into s from public.movement_settings where id = 1;
  if s is null then
    raise exception 'movement rules: not configured' using errcode = 'P0002';
  end if;
  v_route := public.route_geometry(p_route);
  v_geog := v_route::geography;
  -- positions along the route (km from its start) need one continuous line
  v_line := st_linemerge(v_route);
  if geometrytype(v_line) <> 'LINESTRING' then
    v_line := null;
  end if;
  v_km := coalesce(p_corridor_km, s.corridor_km);
  if not (v_km > 0 and v_km <= 50) then
    raise exception 'corridor_km: must be more than 0 and at most 50' using errcode = '22023';
  end if;
  v_stop_km := coalesce(p_stop_km, s.stop_km);
  if not (v_stop_km > 0 and v_stop_km <= 50) then
    raise exception 'stop_km: must be more than 0 and at most 50' using errcode = '22023';
  end if;
  if p_list_limit is null or p_list_limit not between 0 and 5000 then
    raise exception 'list_limit: must be between 0 and 5000' using errcode = '22023';
  end if;
  if p_from is not null and p_to is not null and p_to < p_from then
    raise exception 'to: % is before from %', p_to, p_from using errcode = '22023';
  end if;
  v_m := v_km * 1000;

  -- The period: explicit dates win; otherwise the last `days` up to today, or up to the newest
  -- incident the caller can see when the data stop earlier (an imported historic data set).
  if p_to is not null then
    v_to := p_to;
  else
    select max(event_date) into v_newest from public.incidents;
    v_to := least(current_date, coalesce(v_newest, current_date));
  end if;
  v_from := coalesce(p_from, v_to - (s.days - 1));

  if p_stops is not null then
    -- the list arrives as JSON text from node-postgres (see sensitive.json_arg)
    p_stops := sensitive.json_arg(p_stops);
    if jsonb_typeof(p_stops) <> 'array' then
      raise exception 'stops: expected an array of points' using errcode = '22023';
    end if;
    if jsonb_array_length(p_stops) > 50 then
      raise exception 'stops: at most 50' using errcode = '22023';
    end if;
    select coalesce(jsonb_agg(jsonb_build_object(
             'index', o - 1,
             'name', e ->> 'name',
             'lon', case when e ? 'coordinates' then (e -> 'coordinates' ->> 0)::float8 else (e ->> 'lon')::float8 end,
             'lat', case when e ? 'coordinates' then (e -> 'coordinates' ->> 1)::float8 else (e ->> 'lat')::float8 end)
             order by o), '[]')
      into v_stops
      from jsonb_array_elements(p_stops) with ordinality as x(e, o);
    if exists (select 1 from jsonb_array_elements(v_stops) e
               where (e ->> 'lon') is null or (e ->> 'lat') is null
                  or (e ->> 'lon')::float8 not between -180 and 180
                  or (e ->> 'lat')::float8 not between -90 and 90) then
      raise exception 'stops: each stop needs lon and lat in degrees' using errcode = '22023';
    end if;
  end if;

  with pieces as (
    -- ~10 km pieces of the route, each with its box grown by the corridor (degrees of longitude
    -- shrink towards the poles: take the box latitude nearest a pole), +1 %
    select p.geom,
           st_expand(p.geom,
                     v_m / (111320.0 * greatest(cos(radians(least(89.0, greatest(abs(st_ymin(p.geom)), abs(st_ymax(p.geom))) + v_m / 110574.0))), 0.01)) * 1.01,
                     v_m / 110574.0 * 1.01) as box
    from (
      select (st_dump(st_segmentize(v_geog, 10000)::geometry)).geom as g0
    ) d,
    lateral (
      select st_makeline(st_pointn(d.g0, n), st_pointn(d.g0, n + 1)) as geom
      from generate_series(1, st_npoints(d.g0) - 1) n
    ) p
  ),
  boxes as materialized (
    select st_xmin(box) as x0, st_xmax(box) as x1, st_ymin(box) as y0, st_ymax(box) as y1 from pieces
  ),
  -- Location fuzzing (20261203140000, THE RULE): an incident is counted, measured and placed by
  -- the point the caller sees, so a viewer's corridor cannot narrow in on a sensitive location.
  candidates as (
    select distinct i.id
    from boxes b
    join public.incidents i
      on (i.lat between b.y0 and b.y1 and i.lon between b.x0 and b.x1)
      or (v_scope is not null and i.lat_coarse between b.y0 and b.y1 and i.lon_coarse between b.x0 and b.x1)
    where i.event_date between v_from and v_to
  ),
  placed as (
    select i.*, public.incident_location_fuzzed(i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt
    from candidates c
    join public.incidents i on i.id = c.id
  ),
  hits as materialized (
    select i.id, i.event_date, i.event_type, i.sub_event_type, i.fatalities, i.location_name,
           i.affects_us, i.affects_ngos, i.serious,
           case when i.fuzzed then 3 else i.geo_precision end as geo_precision, i.pt as geom,
           st_distance(i.pt::geography, v_geog) as d,
           case when v_line is not null then st_linelocatepoint(v_line, i.pt) end as along
    from placed i
    where st_dwithin(i.pt::geography, v_geog, v_m)
  ),
  stop_points as (
    select (e ->> 'index')::int as idx, e ->> 'name' as name,
           st_setsrid(st_makepoint((e ->> 'lon')::float8, (e ->> 'lat')::float8), 4326) as geom
    from jsonb_array_elements(v_stops) e
  ),
  stop_hits as (
    select sp.idx, sp.name, sp.geom, i.id, i.event_type, i.fatalities, i.serious, i.affects_ngos, i.affects_us
    from stop_points sp
    join public.incidents i
      on i.event_date between v_from and v_to
     and st_dwithin(public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope)::geography,
                    sp.geom::geography, v_stop_km * 1000)
     and ((i.lat between st_y(sp.geom) - v_stop_km * 1000 / 110574.0 * 1.01 and st_y(sp.geom) + v_stop_km * 1000 / 110574.0 * 1.01
           and i.lon between st_x(sp.geom) - v_stop_km * 1000 / (111320.0 * greatest(cos(radians(least(89.0, abs(st_y(sp.geom)) + v_stop_km * 1000 / 110574.0))), 0.01)) * 1.01
                         and st_x(sp.geom) + v_stop_km * 1000 / (111320.0 * greatest(cos(radians(least(89.0, abs(st_y(sp.geom)) + v_stop_km * 1000 / 110574.0))), 0.01)) * 1.01)
          or (v_scope is not null
              and i.lat_coarse between st_y(sp.geom) - v_stop_km * 1000 / 110574.0 * 1.01 and st_y(sp.geom) + v_stop_km * 1000 / 110574.0 * 1.01
              and i.lon_coarse between st_x(sp.geom) - v_stop_km * 1000 / (111320.0 * greatest(cos(radians(least(89.0, abs(st_y(sp.geom)) + v_stop_km * 1000 / 110574.0))), 0.01)) * 1.01
                                   and st_x(sp.geom) + v_stop_km * 1000 / (111320.0 * greatest(cos(radians(least(89.0, abs(st_y(sp.geom)) + v_stop_km * 1000 / 110574.0))), 0.01)) * 1.01))
  ),
  cps as (
    select c.id, c.name, c.name_ar, c.status, c.controlled_by, c.controlling_actor_id, a.name as actor_name,
           c.last_verified_at, c.geom,
           case when c.last_verified_at is null then null
                else floor(extract(epoch from (now() - c.last_verified_at)) / 86400)::int end as age_days,
           st_distance(c.geom::geography, v_geog) as d,
           case when v_line is not null then st_linelocatepoint(v_line, c.geom) end as along
    from public.checkpoints c
    left join public.actors a on a.id = c.controlling_actor_id
    where st_dwithin(c.geom::geography, v_geog, v_m)
  ),
  levels as (
    select (e ->> 'pcode') as pcode, (e ->> 'level')::int as level, e ->> 'level_name' as level_name,
           (e ->> 'inherited')::boolean as inherited, e ->> 'source_pcode' as source_pcode,
           (e ->> 'effective_date')::date as effective_date
    from jsonb_array_elements(public.area_levels_current(p_on, null)) e
  ),
  crossed as (
    select a.pcode, a.level as admin_level, a.name_en, a.name_ar, a.parent_pcode,
           st_length(st_intersection(a.geom, v_route)::geography) / 1000.0 as km
    from public.areas a
    where a.level between 1 and 3 and st_intersects(a.geom, v_route)
  ),
  areas_out as (
    select c.*, l.level, l.level_name, l.inherited, l.source_pcode, l.effective_date
    from crossed c left join levels l on l.pcode = c.pcode
  ),
  zones as (
    select z.id, z.name, z.reason
    from public.no_go_zones z
    where z.valid_from <= coalesce(p_on, current_date) and (z.valid_to is null or z.valid_to >= coalesce(p_on, current_date))
      and st_dwithin(z.geom::geography, v_geog, v_m)
  ),
  figures as (
    select
      (select count(*) from hits) as total,
      (select count(*) from hits where serious or affects_ngos or affects_us) as serious_ngo,
      (select max(level) from areas_out) as highest,
      (select count(*) from cps where status = 'closed') as cp_closed,
      (select count(*) from cps where status = 'restricted') as cp_restricted,
      (select count(*) from cps where last_verified_at is null or age_days > s.checkpoint_stale_days) as cp_stale,
      (select count(*) from zones) as zone_n
  ),
  reasons as (
    select * from (
      select 1 as ord, 'no_go' as severity, 'area_level_no_go' as rule,
             format('The route crosses %s at level %s (%s); from level %s no movement is allowed',
                    string_agg(distinct a.name_en, ', '), max(a.level), max(a.level_name), s.no_go_level) as message
      from areas_out a where a.level >= s.no_go_level
      having count(*) > 0
      union all
      select 2, 'no_go', 'no_go_zone',
             format('The corridor touches the no-go zone %s', string_agg(z.name, ', ' order by z.name))
      from zones z having count(*) > 0
      union all
      select 3, 'no_go', 'incidents_no_go',
             format('%s incidents within %s km of the route from %s to %s (no-go from %s)',
                    f.total, v_km, v_from, v_to, s.no_go_incidents)
      from figures f where f.total >= s.no_go_incidents
      union all
      select 4, 'conditions', 'area_level_conditions',
             format('The highest level along the route is %s; from level %s a movement needs conditions and approval',
                    f.highest, s.conditions_level)
      from figures f where f.highest >= s.conditions_level and f.highest < s.no_go_level
      union all
      select 5, 'conditions', 'incidents_conditions',
             format('%s incidents within %s km of the route from %s to %s (conditions from %s)',
                    f.total, v_km, v_from, v_to, s.conditions_incidents)
      from figures f where f.total >= s.conditions_incidents and f.total < s.no_go_incidents
      union all
      select 6, 'conditions', 'serious_incidents',
             format('%s serious or NGO-affecting incidents in the corridor', f.serious_ngo)
      from figures f where f.serious_ngo >= s.conditions_serious
      union all
      select 7, 'conditions', 'checkpoint_closed',
             format('%s checkpoint(s) in the corridor closed: %s', f.cp_closed,
                    (select string_agg(name, ', ' order by along) from cps where status = 'closed'))
      from figures f where f.cp_closed > 0
      union all
      select 8, 'conditions', 'checkpoint_restricted',
             format('%s checkpoint(s) in the corridor restricted: %s', f.cp_restricted,
                    (select string_agg(name, ', ' order by along) from cps where status = 'restricted'))
      from figures f where f.cp_restricted > 0
      union all
      select 9, 'conditions', 'checkpoint_stale',
             format('%s checkpoint(s) not verified in the last %s days: verify before leaving', f.cp_stale,
                    s.checkpoint_stale_days)
      from figures f where f.cp_stale > 0
    ) r
  )
  select jsonb_build_object(
    'route', jsonb_build_object('length_km', round((st_length(v_geog) / 1000.0)::numeric, 2),
                                'points', st_npoints(v_route)),
    'corridor_km', v_km,
    'stop_km', v_stop_km,
    'from', v_from,
    'to', v_to,
    'on', coalesce(p_on, current_date),
    'incidents', jsonb_build_object(
      'total', (select count(*) from hits),
      'fatalities', (select coalesce(sum(fatalities), 0) from hits),
      'by_type', coalesce((select jsonb_object_agg(event_type, n) from
                            (select event_type, count(*) as n from hits group by event_type) t), '{}'::jsonb),
      'by_seriousness', jsonb_build_object(
        'affects_us', (select count(*) from hits where affects_us),
        'affects_ngos', (select count(*) from hits where affects_ngos),
        'serious', (select count(*) from hits where serious),
        'fatal', (select count(*) from hits where fatalities > 0)),
      -- how many are placed only at a town or an area's centre: a corridor through a city
      -- catches every incident placed at that city's point
      'by_precision', jsonb_build_object(
        'exact', (select count(*) from hits where geo_precision = 1),
        'near', (select count(*) from hits where geo_precision = 2),
        'area', (select count(*) from hits where geo_precision = 3)),
      'list', coalesce((select jsonb_agg(jsonb_build_object(
          'id', h.id, 'event_date', h.event_date, 'event_type', h.event_type, 'sub_event_type', h.sub_event_type,
          'fatalities', h.fatalities, 'location_name', h.location_name,
          'affects_us', h.affects_us, 'affects_ngos', h.affects_ngos, 'serious', h.serious,
          'geo_precision', h.geo_precision,
          'lon', round(st_x(h.geom)::numeric, 5), 'lat', round(st_y(h.geom)::numeric, 5),
          'distance_m', round(h.d::numeric), 'along_km', round((h.along * st_length(v_geog) / 1000.0)::numeric, 1))
          order by h.affects_us desc, h.affects_ngos desc, h.serious desc, h.event_date desc, h.id)
        from (select * from hits order by affects_us desc, affects_ngos desc, serious desc, event_date desc, id
              limit p_list_limit) h), '[]'::jsonb)),
    'stops', coalesce((select jsonb_agg(jsonb_build_object(
        'index', sp.idx, 'name', sp.name,
        'lon', st_x(sp.geom), 'lat', st_y(sp.geom),
        'total', (select count(*) from stop_hits h where h.idx = sp.idx),
        'fatalities', (select coalesce(sum(h.fatalities), 0) from stop_hits h where h.idx = sp.idx),
        'serious', (select count(*) from stop_hits h where h.idx = sp.idx and (h.serious or h.affects_ngos or h.affects_us)),
        'by_type', coalesce((select jsonb_object_agg(event_type, n) from
                              (select event_type, count(*) as n from stop_hits h where h.idx = sp.idx group by event_type) t),
                            '{}'::jsonb)) order by sp.idx)
      from stop_points sp), '[]'::jsonb),
    'checkpoints', coalesce((select jsonb_agg(jsonb_build_object(
        'id', c.id, 'name', c.name, 'name_ar', c.name_ar, 'status', c.status,
        'controlled_by', coalesce(c.actor_name, c.controlled_by), 'controlling_actor_id', c.controlling_actor_id,
        'last_verified_at', c.last_verified_at, 'verified_days_ago', c.age_days,
        'stale', c.last_verified_at is null or c.age_days > s.checkpoint_stale_days,
        'lon', round(st_x(c.geom)::numeric, 5), 'lat', round(st_y(c.geom)::numeric, 5),
        'distance_m', round(c.d::numeric), 'along_km', round((c.along * st_length(v_geog) / 1000.0)::numeric, 1))
        order by c.along, c.name) from cps c), '[]'::jsonb),
    'areas', coalesce((select jsonb_agg(jsonb_build_object(
        'pcode', a.pcode, 'admin_level', a.admin_level, 'name_en', a.name_en, 'name_ar', a.name_ar,
        'parent_pcode', a.parent_pcode, 'level', a.level, 'level_name', a.level_name,
        'inherited', a.inherited, 'source_pcode', a.source_pcode, 'effective_date', a.effective_date,
        'route_km', round(a.km::numeric, 1))
        order by a.admin_level, a.level desc nulls last, a.name_en) from areas_out a), '[]'::jsonb),
    'highest_level', (select max(level) from areas_out),
    'no_go_zones', coalesce((select jsonb_agg(jsonb_build_object('id', z.id, 'name', z.name, 'reason', z.reason)
                             order by z.name) from zones z), '[]'::jsonb),
    'rules', jsonb_build_object(
      'conditions_level', s.conditions_level, 'no_go_level', s.no_go_level,
      'conditions_incidents', s.conditions_incidents, 'no_go_incidents', s.no_go_incidents,
      'conditions_serious', s.conditions_serious, 'checkpoint_stale_days', s.checkpoint_stale_days),
    'recommendation', case
      when exists (select 1 from reasons where severity = 'no_go') then 'no_go'
      when exists (select 1 from reasons where severity = 'conditions') then 'conditions'
      else 'go' end,
    'reasons', coalesce((select jsonb_agg(jsonb_build_object('rule', rule, 'severity', severity, 'message', message)
                         order by ord) from reasons), '[]'::jsonb)
  ) into v;
  return v;
end
$$;

revoke all on function public.route_geometry(jsonb) from public;
revoke all on function public.route_risk(jsonb, double precision, date, date, jsonb, double precision, integer, date) from public;
grant execute on function public.route_geometry(jsonb) to authenticated;
grant execute on function public.route_risk(jsonb, double precision, date, date, jsonb, double precision, integer, date) to authenticated;

-- The rules as a JSON object for the settings page and the API.
create function public.movement_settings_get() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(s) - 'id' from public.movement_settings s where s.id = 1
$$;
grant execute on function public.movement_settings_get() to authenticated;

-- Merge semantics: keys not given stay as they are. Admins only (RLS refuses others).
create function public.movement_settings_update(p_patch jsonb) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  k text;
  allowed text[] := array['corridor_km', 'stop_km', 'days', 'checkpoint_stale_days', 'conditions_level',
                          'no_go_level', 'conditions_incidents', 'no_go_incidents', 'conditions_serious',
                          'call_level', 'call_max_age_hours', 'grace_minutes', 'authorisation_level',
                          'authorisation_pcodes', 'authorisation_expiry_days'];
  n integer;
begin
  if not public.has_app_role('admin') then
    raise exception 'only admins can change the movement rules' using errcode = '42501';
  end if;
  if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
    raise exception 'settings: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_patch) loop
    if not k = any (allowed) then
      raise exception '%: unknown setting', k using errcode = '22023';
    end if;
  end loop;
  if p_patch ? 'authorisation_pcodes' then
    if jsonb_typeof(p_patch -> 'authorisation_pcodes') <> 'array' then
      raise exception 'authorisation_pcodes: expected a list of P-codes' using errcode = '22023';
    end if;
    select x into k from jsonb_array_elements_text(p_patch -> 'authorisation_pcodes') x
    where not exists (select 1 from public.areas a where a.pcode = x) limit 1;
    if k is not null then
      raise exception 'authorisation_pcodes: no area %', k using errcode = '22023';
    end if;
  end if;
  update public.movement_settings s set
    corridor_km = coalesce((p_patch ->> 'corridor_km')::float8, s.corridor_km),
    stop_km = coalesce((p_patch ->> 'stop_km')::float8, s.stop_km),
    days = coalesce((p_patch ->> 'days')::int, s.days),
    checkpoint_stale_days = coalesce((p_patch ->> 'checkpoint_stale_days')::int, s.checkpoint_stale_days),
    conditions_level = coalesce((p_patch ->> 'conditions_level')::smallint, s.conditions_level),
    no_go_level = coalesce((p_patch ->> 'no_go_level')::smallint, s.no_go_level),
    conditions_incidents = coalesce((p_patch ->> 'conditions_incidents')::int, s.conditions_incidents),
    no_go_incidents = coalesce((p_patch ->> 'no_go_incidents')::int, s.no_go_incidents),
    conditions_serious = coalesce((p_patch ->> 'conditions_serious')::int, s.conditions_serious),
    call_level = coalesce((p_patch ->> 'call_level')::smallint, s.call_level),
    call_max_age_hours = coalesce((p_patch ->> 'call_max_age_hours')::int, s.call_max_age_hours),
    grace_minutes = coalesce((p_patch ->> 'grace_minutes')::int, s.grace_minutes),
    authorisation_level = coalesce((p_patch ->> 'authorisation_level')::smallint, s.authorisation_level),
    authorisation_pcodes = case when p_patch ? 'authorisation_pcodes' then coalesce(
      (select array_agg(distinct x order by x) from jsonb_array_elements_text(p_patch -> 'authorisation_pcodes') x),
      '{}') else s.authorisation_pcodes end,
    authorisation_expiry_days = coalesce((p_patch ->> 'authorisation_expiry_days')::int, s.authorisation_expiry_days),
    updated_at = now()
  where s.id = 1;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'only admins can change the movement rules' using errcode = '42501';
  end if;
  return public.movement_settings_get();
exception
  when check_violation then
    raise exception 'settings: %', sqlerrm using errcode = '22023';
  when invalid_text_representation then
    raise exception 'settings: %', sqlerrm using errcode = '22023';
end
$$;
grant execute on function public.movement_settings_update(jsonb) to authenticated;

-- Movements: field visits planned, checked, approved, tracked and closed.
--
-- A movement plan says where and when a team travels: as sensitive as a restricted contact. So the
-- tables live in the `sensitive` schema (not exposed by Supabase's Data API), and:
--   admin, analyst  read every movement; approve or refuse others' plans (never their own);
--   field           create plans; read their own, those they travel in, and those touching their
--                   assigned areas; check out, send positions and check in when in the team;
--   viewer, anon    nothing: not the route, not the time, not the team.
-- Reads go through RLS (security-invoker functions); every write goes through the SECURITY
-- DEFINER functions below, which check who may do what (no table grants for insert/update/delete),
-- so a state can only change along the workflow and every change leaves an event with who and why.
-- Every read of a movement's details is audited, as contact reads are.


create table sensitive.movements (
  id              uuid primary key default gen_random_uuid(),
  purpose         text not null check (length(btrim(purpose)) between 1 and 500),
  base_site_id    uuid references public.org_sites (id) on delete set null,
  status          text not null default 'draft' check (status in (
                    'draft', 'submitted', 'approved', 'approved_conditions', 'refused',
                    'under_way', 'completed', 'overdue', 'closed', 'cancelled')),
  departure_at    timestamptz not null,
  return_at       timestamptz not null,
  route           geometry(MultiLineString, 4326),
  route_source    text,
  corridor_km     double precision check (corridor_km > 0 and corridor_km <= 50),
  -- the areas (every admin level) the route and stops touch: field staff's need-to-know
  areas           text[] not null default '{}',
  conditions      text not null default '',
  notes           text not null default '',
  risk            jsonb,
  created_by      uuid references public.app_users (id) on delete set null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  decided_by      uuid references public.app_users (id) on delete set null,
  decided_at      timestamptz,
  checked_out_at  timestamptz,
  checked_in_at   timestamptz,
  overdue_at      timestamptz,
  last_position   geometry(Point, 4326),
  last_position_at timestamptz,
  constraint movements_return_after_departure check (return_at > departure_at)
);
create index movements_status_idx on sensitive.movements (status, return_at);
create index movements_areas_idx on sensitive.movements using gin (areas);

create table sensitive.movement_team (
  movement_id  uuid not null references sensitive.movements (id) on delete cascade,
  position     smallint not null,
  user_id      uuid references public.app_users (id) on delete set null,
  name         text not null check (length(btrim(name)) between 1 and 200),
  role         text not null default '',
  phone        text not null default '',
  primary key (movement_id, position)
);
create index movement_team_user_idx on sensitive.movement_team (user_id);

create table sensitive.movement_vehicles (
  movement_id   uuid not null references sensitive.movements (id) on delete cascade,
  position      smallint not null,
  plate         text not null check (length(btrim(plate)) between 1 and 40),
  vehicle_type  text not null default '',
  call_sign     text not null default '',
  primary key (movement_id, position)
);

create table sensitive.movement_stops (
  movement_id  uuid not null references sensitive.movements (id) on delete cascade,
  position     smallint not null,
  site_kind    text check (site_kind in ('org_sites', 'health_facilities', 'idp_camps', 'checkpoints')),
  site_id      uuid,
  name         text not null default '',
  geom         geometry(Point, 4326) not null,
  primary key (movement_id, position)
);

-- Every state change, with who and why: the movement's own history (the audit log has it too).
create table sensitive.movement_events (
  id           bigserial primary key,
  movement_id  uuid not null references sensitive.movements (id) on delete cascade,
  from_status  text,
  to_status    text not null,
  reason       text not null default '',
  by_user      uuid references public.app_users (id) on delete set null,
  at           timestamptz not null default now(),
  position     geometry(Point, 4326)
);
create index movement_events_movement_idx on sensitive.movement_events (movement_id, at);

-- Safe-access verification: each call to a key contact before approval.
create table sensitive.safe_access_calls (
  id           uuid primary key default gen_random_uuid(),
  movement_id  uuid not null references sensitive.movements (id) on delete cascade,
  contact_id   uuid references sensitive.contacts (id) on delete set null,
  contact_name text not null default '',
  pcode        text references public.areas (pcode),
  segment      text not null default '',
  called_at    timestamptz not null default now(),
  outcome      text not null check (outcome in ('confirmed', 'conditions', 'advised_against', 'no_answer')),
  said         text not null default '',
  recorded_by  uuid references public.app_users (id) on delete set null,
  recorded_at  timestamptz not null default now(),
  constraint safe_access_calls_where check (pcode is not null or length(btrim(segment)) > 0)
);
create index safe_access_calls_movement_idx on sensitive.safe_access_calls (movement_id, called_at);

-- Access authorisations: letters and permits per area, staff member, vehicle or equipment.
create table sensitive.access_authorisations (
  id            uuid primary key default gen_random_uuid(),
  kind          text not null default 'letter' check (kind in ('letter', 'permit', 'badge', 'other')),
  holder_type   text not null check (holder_type in ('organisation', 'staff', 'vehicle', 'equipment')),
  user_id       uuid references public.app_users (id) on delete set null,
  holder_name   text not null default '',
  plate         text,
  pcode         text references public.areas (pcode),
  issued_by     uuid references public.actors (id) on delete set null,
  issued_by_name text not null default '',
  valid_from    date not null,
  valid_to      date not null,
  reference     text not null default '',
  notes         text not null default '',
  created_by    uuid references public.app_users (id) on delete set null,
  created_at    timestamptz not null default now(),
  constraint access_authorisations_dates check (valid_to >= valid_from),
  -- 20261205040000: when the expiry alert was raised (once per authorisation and end date)
  expiry_alerted_at timestamptz,
  updated_at    timestamptz not null default now()
);
create index access_authorisations_valid_idx on sensitive.access_authorisations (valid_to);

-- The movements a user travels in, read past RLS (a policy on movements that queried
-- movement_team under RLS would recurse into movement_team's own policy).
create function sensitive.my_movement_ids() returns uuid[]
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select coalesce(array_agg(distinct movement_id), '{}') from sensitive.movement_team
  where user_id = (select auth.uid())
$$;

alter table sensitive.movements enable row level security;
alter table sensitive.movement_team enable row level security;
alter table sensitive.movement_vehicles enable row level security;
alter table sensitive.movement_stops enable row level security;
alter table sensitive.movement_events enable row level security;
alter table sensitive.safe_access_calls enable row level security;
alter table sensitive.access_authorisations enable row level security;

create policy "Analysts and admins can read every movement" on sensitive.movements
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Field staff can read their own movements, those they travel in and those of their areas"
  on sensitive.movements for select to authenticated using (
    (select public.has_app_role('field')) and (
      created_by = (select auth.uid())
      or id = any (coalesce((select sensitive.my_movement_ids()), '{}'))
      or areas && (select sensitive.my_area_scope())));
do $$
declare t text;
begin
  foreach t in array array['movement_team', 'movement_vehicles', 'movement_stops', 'movement_events', 'safe_access_calls'] loop
    execute format('create policy "Users can read the %1$s of movements they can read" on sensitive.%1$s
                    for select to authenticated using (
                      exists (select 1 from sensitive.movements m where m.id = movement_id))', t);
  end loop;
end $$;
create policy "Analysts and admins can read every access authorisation" on sensitive.access_authorisations
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Field staff can read their own access authorisations" on sensitive.access_authorisations
  for select to authenticated using ((select public.has_app_role('field')) and user_id = (select auth.uid()));
-- 20261205040000: analysts and admins keep the register (through access_authorisation_save)
create policy "Analysts and admins can record access authorisations" on sensitive.access_authorisations
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can change access authorisations" on sensitive.access_authorisations
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can remove access authorisations" on sensitive.access_authorisations
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));
grant insert, update, delete on sensitive.access_authorisations to authenticated;

grant select on sensitive.movements, sensitive.movement_team, sensitive.movement_vehicles,
  sensitive.movement_stops, sensitive.movement_events, sensitive.safe_access_calls,
  sensitive.access_authorisations to authenticated;

create trigger movements_audit after insert or update or delete on sensitive.movements
  for each row execute function private.audit_row();
create trigger safe_access_calls_audit after insert or update or delete on sensitive.safe_access_calls
  for each row execute function private.audit_row();
create trigger access_authorisations_audit after insert or update or delete on sensitive.access_authorisations
  for each row execute function private.audit_row();

-- The caller may read this movement (RLS decides: the row is visible to a security-invoker query).
create function sensitive.movement_visible(p_id uuid) returns boolean
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select exists (select 1 from sensitive.movements where id = p_id)
$$;

-- The details of one movement as JSON (the caller's RLS applies to every part).
create function sensitive.movement_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', m.id, 'purpose', m.purpose, 'status', m.status, 'base_site_id', m.base_site_id,
    'departure_at', m.departure_at, 'return_at', m.return_at,
    'route', case when m.route is null then null else st_asgeojson(m.route, 6)::jsonb end,
    'route_source', m.route_source, 'corridor_km', m.corridor_km, 'areas', to_jsonb(m.areas),
    'conditions', m.conditions, 'notes', m.notes, 'risk', m.risk,
    'created_by', m.created_by, 'created_by_name', sensitive.user_label(m.created_by), 'created_at', m.created_at,
    'updated_at', m.updated_at,
    'decided_by', m.decided_by, 'decided_by_name', sensitive.user_label(m.decided_by), 'decided_at', m.decided_at,
    'checked_out_at', m.checked_out_at, 'checked_in_at', m.checked_in_at, 'overdue_at', m.overdue_at,
    'last_position', case when m.last_position is null then null
                          else jsonb_build_object('lon', st_x(m.last_position), 'lat', st_y(m.last_position),
                                                  'at', m.last_position_at) end,
    'team', coalesce((select jsonb_agg(jsonb_build_object('user_id', t.user_id, 'name', t.name, 'role', t.role,
                                                          'phone', t.phone) order by t.position)
                      from sensitive.movement_team t where t.movement_id = m.id), '[]'),
    'vehicles', coalesce((select jsonb_agg(jsonb_build_object('plate', v.plate, 'vehicle_type', v.vehicle_type,
                                                              'call_sign', v.call_sign) order by v.position)
                          from sensitive.movement_vehicles v where v.movement_id = m.id), '[]'),
    'stops', coalesce((select jsonb_agg(jsonb_build_object('site_kind', s.site_kind, 'site_id', s.site_id,
                                                           'name', s.name, 'lon', st_x(s.geom), 'lat', st_y(s.geom))
                                        order by s.position)
                       from sensitive.movement_stops s where s.movement_id = m.id), '[]'),
    'events', coalesce((select jsonb_agg(jsonb_build_object('from', e.from_status, 'to', e.to_status,
                                                            'reason', e.reason, 'by', e.by_user,
                                                            'by_name', sensitive.user_label(e.by_user), 'at', e.at)
                                         order by e.at, e.id)
                        from sensitive.movement_events e where e.movement_id = m.id), '[]'),
    'calls', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'contact_id', c.contact_id,
                                                           'contact_name', c.contact_name, 'pcode', c.pcode,
                                                           'segment', c.segment, 'called_at', c.called_at,
                                                           'outcome', c.outcome, 'said', c.said,
                                                           'recorded_by_name', sensitive.user_label(c.recorded_by))
                                        order by c.called_at, c.id)
                       from sensitive.safe_access_calls c where c.movement_id = m.id), '[]'))
  from sensitive.movements m where m.id = p_id
$$;

revoke all on all functions in schema sensitive from public;
grant execute on all functions in schema sensitive to authenticated;

create function public.movement_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  v := sensitive.movement_json(p_id);
  perform public.audit_record('read', 'movements', jsonb_build_object('id', p_id, 'found', v is not null));
  if v is null then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  return v;
end
$$;

-- The list: no route geometry, but the times and the team's size (the caller's RLS applies).
create function public.movements_list(p_status text[] default null, p_limit integer default 200) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'limit: must be between 1 and 1000' using errcode = '22023';
  end if;
  select coalesce(jsonb_agg(x order by x ->> 'departure_at' desc), '[]') into v from (
    select jsonb_build_object('id', m.id, 'purpose', m.purpose, 'status', m.status,
             'departure_at', m.departure_at, 'return_at', m.return_at, 'areas', to_jsonb(m.areas),
             'recommendation', m.risk ->> 'recommendation',
             'created_by', m.created_by, 'created_by_name', sensitive.user_label(m.created_by),
             'team_size', (select count(*) from sensitive.movement_team t where t.movement_id = m.id)) as x
    from sensitive.movements m
    where p_status is null or m.status = any (p_status)
    order by m.departure_at desc
    limit p_limit) s;
  perform public.audit_record('list', 'movements', jsonb_build_object('n', jsonb_array_length(v)));
  return v;
end
$$;

-- One movement as the live board shows it (the list's shape plus check-out/in times), or null when
-- the caller may not read it: the board's server-sent events read each notified movement through
-- this, as the subscriber, so RLS decides who learns of it. Viewers are refused, as for the list.
create function public.movement_board_item(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select jsonb_build_object('id', m.id, 'purpose', m.purpose, 'status', m.status,
           'departure_at', m.departure_at, 'return_at', m.return_at, 'areas', to_jsonb(m.areas),
           'recommendation', m.risk ->> 'recommendation',
           'created_by', m.created_by, 'created_by_name', sensitive.user_label(m.created_by),
           'team_size', (select count(*) from sensitive.movement_team t where t.movement_id = m.id),
           'checked_out_at', m.checked_out_at, 'checked_in_at', m.checked_in_at, 'updated_at', m.updated_at)
    into v
  from sensitive.movements m where m.id = p_id;
  if v is not null then
    perform public.audit_record('list', 'movements', jsonb_build_object('n', 1, 'live', true, 'id', p_id));
  end if;
  return v;
end
$$;
revoke all on function public.movement_board_item(uuid) from public, anon;
grant execute on function public.movement_board_item(uuid) to authenticated;

-- Create (p_id null) or change a plan. Merge semantics: keys not given stay as they are; a list
-- given (team, vehicles, stops) replaces that list. Only drafts and refused plans change, by their
-- author or an analyst/admin. Everything is checked before anything is written.
create function public.movement_save(p_id uuid, p_movement jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
  v_route geometry;
  k text;
  e jsonb;
  n integer;
  allowed text[] := array['purpose', 'base_site_id', 'departure_at', 'return_at', 'route', 'route_source',
                          'corridor_km', 'notes', 'team', 'vehicles', 'stops'];
begin
  if me is null or not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'only field staff, analysts and admins plan movements' using errcode = '42501';
  end if;
  if p_movement is null or jsonb_typeof(p_movement) <> 'object' then
    raise exception 'movement: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_movement) loop
    if not k = any (allowed) then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;

  if p_id is null then
    m.id := gen_random_uuid();
    m.status := 'draft';
    m.created_by := me;
    m.created_at := now();
    m.areas := '{}';
    m.conditions := '';
    m.notes := '';
  else
    -- the caller must be able to read it (RLS, re-checked here since this function is a definer)
    select * into m from sensitive.movements where id = p_id for update;
    if m.id is null or not (public.has_app_role('admin', 'analyst') or m.created_by = me) then
      raise exception 'no movement with id % that you can change', p_id using errcode = 'P0002';
    end if;
    if m.status not in ('draft', 'refused') then
      raise exception 'status: a % plan cannot be changed; only drafts and refused plans can', m.status
        using errcode = '22023';
    end if;
  end if;

  if p_movement ? 'purpose' then
    m.purpose := btrim(coalesce(p_movement ->> 'purpose', ''));
  end if;
  if coalesce(m.purpose, '') = '' then
    raise exception 'purpose: is required' using errcode = '22023';
  end if;
  if length(m.purpose) > 500 then
    raise exception 'purpose: at most 500 characters' using errcode = '22023';
  end if;
  if p_movement ? 'base_site_id' then
    m.base_site_id := nullif(p_movement ->> 'base_site_id', '')::uuid;
    if m.base_site_id is not null and not exists (select 1 from public.org_sites where id = m.base_site_id) then
      raise exception 'base_site_id: no site with id %', m.base_site_id using errcode = '22023';
    end if;
  end if;
  begin
    if p_movement ? 'departure_at' then m.departure_at := (p_movement ->> 'departure_at')::timestamptz; end if;
  exception when others then
    raise exception 'departure_at: not a date and time' using errcode = '22023';
  end;
  begin
    if p_movement ? 'return_at' then m.return_at := (p_movement ->> 'return_at')::timestamptz; end if;
  exception when others then
    raise exception 'return_at: not a date and time' using errcode = '22023';
  end;
  if m.departure_at is null then
    raise exception 'departure_at: is required' using errcode = '22023';
  end if;
  if m.return_at is null then
    raise exception 'return_at: is required' using errcode = '22023';
  end if;
  if m.return_at <= m.departure_at then
    raise exception 'return_at: % is not after the departure %', m.return_at, m.departure_at using errcode = '22023';
  end if;
  if p_movement ? 'route' then
    if jsonb_typeof(p_movement -> 'route') = 'null' then
      m.route := null;
    else
      v_route := public.route_geometry(p_movement -> 'route');
      m.route := st_multi(v_route);
    end if;
  end if;
  if p_movement ? 'route_source' then m.route_source := p_movement ->> 'route_source'; end if;
  if p_movement ? 'corridor_km' then
    m.corridor_km := nullif(p_movement ->> 'corridor_km', '')::float8;
    if m.corridor_km is not null and not (m.corridor_km > 0 and m.corridor_km <= 50) then
      raise exception 'corridor_km: must be more than 0 and at most 50' using errcode = '22023';
    end if;
  end if;
  if p_movement ? 'notes' then m.notes := coalesce(p_movement ->> 'notes', ''); end if;

  -- lists: checked in full before the movement is written
  if p_movement ? 'team' then
    if jsonb_typeof(p_movement -> 'team') <> 'array' then
      raise exception 'team: expected a list' using errcode = '22023';
    end if;
    for e, n in select x, o from jsonb_array_elements(p_movement -> 'team') with ordinality t(x, o) loop
      if e ? 'user_id' and nullif(e ->> 'user_id', '') is not null then
        if not exists (select 1 from public.app_users u where u.id = (e ->> 'user_id')::uuid) then
          raise exception 'team.%.user_id: no user with id %', n - 1, e ->> 'user_id' using errcode = '22023';
        end if;
        if exists (select 1 from public.app_users u where u.id = (e ->> 'user_id')::uuid and u.disabled) then
          raise exception 'team.%.user_id: % is disabled and cannot travel', n - 1,
            (select u.email from public.app_users u where u.id = (e ->> 'user_id')::uuid) using errcode = '22023';
        end if;
      elsif length(btrim(coalesce(e ->> 'name', ''))) = 0 then
        raise exception 'team.%.name: a team member without an account needs a name', n - 1 using errcode = '22023';
      end if;
    end loop;
  end if;
  if p_movement ? 'vehicles' then
    if jsonb_typeof(p_movement -> 'vehicles') <> 'array' then
      raise exception 'vehicles: expected a list' using errcode = '22023';
    end if;
    for e, n in select x, o from jsonb_array_elements(p_movement -> 'vehicles') with ordinality t(x, o) loop
      if length(btrim(coalesce(e ->> 'plate', ''))) = 0 then
        raise exception 'vehicles.%.plate: is required', n - 1 using errcode = '22023';
      end if;
    end loop;
  end if;
  if p_movement ? 'stops' then
    if jsonb_typeof(p_movement -> 'stops') <> 'array' then
      raise exception 'stops: expected a list' using errcode = '22023';
    end if;
    for e, n in select x, o from jsonb_array_elements(p_movement -> 'stops') with ordinality t(x, o) loop
      if e ? 'site_kind' and nullif(e ->> 'site_kind', '') is not null then
        if e ->> 'site_kind' not in ('org_sites', 'health_facilities', 'idp_camps', 'checkpoints') then
          raise exception 'stops.%.site_kind: unknown value %', n - 1, e ->> 'site_kind' using errcode = '22023';
        end if;
      elsif (e ->> 'lon') is null or (e ->> 'lat') is null
            or (e ->> 'lon')::float8 not between -180 and 180 or (e ->> 'lat')::float8 not between -90 and 90 then
        raise exception 'stops.%: give a site (site_kind, site_id) or lon and lat in degrees', n - 1 using errcode = '22023';
      end if;
    end loop;
  end if;

  m.updated_at := now();
  if p_id is null then
    insert into sensitive.movements values (m.*);
    insert into sensitive.movement_events (movement_id, from_status, to_status, reason, by_user)
    values (m.id, null, 'draft', 'created', me);
  else
    update sensitive.movements set
      purpose = m.purpose, base_site_id = m.base_site_id, departure_at = m.departure_at, return_at = m.return_at,
      route = m.route, route_source = m.route_source, corridor_km = m.corridor_km, notes = m.notes,
      updated_at = m.updated_at
    where id = m.id;
  end if;

  if p_movement ? 'team' then
    delete from sensitive.movement_team where movement_id = m.id;
    insert into sensitive.movement_team (movement_id, position, user_id, name, role, phone)
    select m.id, o - 1, nullif(x ->> 'user_id', '')::uuid,
           coalesce(nullif(btrim(x ->> 'name'), ''),
                    (select coalesce(nullif(u.display_name, ''), u.email) from public.app_users u
                     where u.id = nullif(x ->> 'user_id', '')::uuid)),
           coalesce(x ->> 'role', ''), coalesce(x ->> 'phone', '')
    from jsonb_array_elements(p_movement -> 'team') with ordinality t(x, o);
  end if;
  if p_movement ? 'vehicles' then
    delete from sensitive.movement_vehicles where movement_id = m.id;
    insert into sensitive.movement_vehicles (movement_id, position, plate, vehicle_type, call_sign)
    select m.id, o - 1, btrim(x ->> 'plate'), coalesce(x ->> 'vehicle_type', ''), coalesce(x ->> 'call_sign', '')
    from jsonb_array_elements(p_movement -> 'vehicles') with ordinality t(x, o);
  end if;
  if p_movement ? 'stops' then
    delete from sensitive.movement_stops where movement_id = m.id;
    insert into sensitive.movement_stops (movement_id, position, site_kind, site_id, name, geom)
    select m.id, o - 1, nullif(x ->> 'site_kind', ''), nullif(x ->> 'site_id', '')::uuid,
           coalesce(nullif(x ->> 'name', ''), site.name, ''),
           coalesce(site.geom, st_setsrid(st_makepoint((x ->> 'lon')::float8, (x ->> 'lat')::float8), 4326))
    from jsonb_array_elements(p_movement -> 'stops') with ordinality t(x, o)
    left join lateral (
      select s.name, s.geom from public.org_sites s where x ->> 'site_kind' = 'org_sites' and s.id = (x ->> 'site_id')::uuid
      union all select s.name, s.geom from public.health_facilities s where x ->> 'site_kind' = 'health_facilities' and s.id = (x ->> 'site_id')::uuid
      union all select s.name, s.geom from public.idp_camps s where x ->> 'site_kind' = 'idp_camps' and s.id = (x ->> 'site_id')::uuid
      union all select s.name, s.geom from public.checkpoints s where x ->> 'site_kind' = 'checkpoints' and s.id = (x ->> 'site_id')::uuid
    ) site on true;
    if exists (select 1 from sensitive.movement_stops where movement_id = m.id and geom is null) then
      raise exception 'stops: a site was not found' using errcode = '22023';
    end if;
  end if;

  -- the areas touched, for field staff's need-to-know and the approval's safe-access check
  update sensitive.movements mv set areas = coalesce((
    select array_agg(distinct a.pcode order by a.pcode) from public.areas a
    where a.level between 1 and 3 and (
      (mv.route is not null and st_intersects(a.geom, mv.route))
      or exists (select 1 from sensitive.movement_stops s where s.movement_id = mv.id and st_intersects(a.geom, s.geom)))
  ), '{}')
  where mv.id = m.id;

  return sensitive.movement_json(m.id);
end
$$;

-- The workflow. Allowed moves and who makes them:
--   draft → submitted                      author (or analyst/admin)
--   submitted → approved | approved_conditions | refused   an analyst/admin who is not the author
--   draft | submitted | approved* → cancelled              author or analyst/admin
--   approved | approved_conditions → under_way (check-out) a team member, the author or analyst/admin
--   under_way | overdue → completed (check-in)             the same
--   completed | refused | cancelled → closed               analyst/admin
--   refused → draft                                        author (to rework the plan)
-- under_way → overdue is made by movements_overdue_sweep(), never by a person.
create function public.movement_transition(p_id uuid, p_to text, p_reason text default '',
                                           p_conditions text default null,
                                           p_lon double precision default null, p_lat double precision default null)
returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
  s public.movement_settings;
  is_staff boolean := public.has_app_role('admin', 'analyst');
  in_team boolean;
  missing text;
  v_pos geometry;
begin
  if me is null or not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_id for update;
  if m.id is null or not (is_staff or m.created_by = me or p_id = any (sensitive.my_movement_ids())
                          or m.areas && sensitive.my_area_scope()) then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  in_team := m.created_by = me or p_id = any (sensitive.my_movement_ids());
  select * into s from public.movement_settings where id = 1;
  p_reason := btrim(coalesce(p_reason, ''));
  if p_lon is not null and p_lat is not null then
    v_pos := st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  end if;

  if not (
       (m.status = 'draft' and p_to in ('submitted', 'cancelled'))
    or (m.status = 'submitted' and p_to in ('approved', 'approved_conditions', 'refused', 'cancelled'))
    or (m.status in ('approved', 'approved_conditions') and p_to in ('under_way', 'cancelled'))
    or (m.status in ('under_way', 'overdue') and p_to = 'completed')
    or (m.status in ('completed', 'refused', 'cancelled') and p_to = 'closed')
    or (m.status = 'refused' and p_to = 'draft')) then
    raise exception 'status: a % movement cannot become %', m.status, p_to using errcode = '22023';
  end if;

  if p_to in ('submitted', 'cancelled', 'draft') and not (is_staff or m.created_by = me) then
    raise exception 'only the author or an analyst can % this plan', p_to using errcode = '42501';
  end if;
  if p_to in ('approved', 'approved_conditions', 'refused') then
    if not is_staff then
      raise exception 'only analysts and admins approve or refuse movements' using errcode = '42501';
    end if;
    if m.created_by = me then
      raise exception 'approval: the author of a plan cannot approve or refuse it (four eyes)' using errcode = '42501';
    end if;
    if p_to = 'refused' and p_reason = '' then
      raise exception 'reason: say why the plan is refused' using errcode = '22023';
    end if;
    if p_to = 'approved_conditions' and btrim(coalesce(p_conditions, '')) = '' then
      raise exception 'conditions: say which conditions apply' using errcode = '22023';
    end if;
  end if;
  if p_to in ('approved', 'approved_conditions') then
    -- every district the movement touches at the call level or above needs a recent confirmation
    -- (a call about the district, its governorate or one of its sub-districts), and the latest
    -- call about it must not advise against going
    select string_agg(d.name_en || ' (' || d.pcode || ', level ' || d.level || ')', ', ' order by d.name_en)
      into missing
    from (
      select a.pcode, a.name_en, a.parent_pcode, (l ->> 'level')::int as level
      from public.areas a
      join jsonb_array_elements(public.area_levels_current(m.departure_at::date, 2)) l on l ->> 'pcode' = a.pcode
      where a.level = 2 and a.pcode = any (m.areas) and (l ->> 'level')::int >= s.call_level
    ) d
    where not exists (
      select 1 from sensitive.safe_access_calls c
      join public.areas ca on ca.pcode = c.pcode
      where c.movement_id = m.id
        and (c.pcode = d.pcode or c.pcode = d.parent_pcode or ca.parent_pcode = d.pcode)
        and c.called_at >= now() - make_interval(hours => s.call_max_age_hours)
        and c.outcome in ('confirmed', 'conditions')
        and not exists (
          select 1 from sensitive.safe_access_calls c2 join public.areas ca2 on ca2.pcode = c2.pcode
          where c2.movement_id = m.id and c2.called_at > c.called_at and c2.outcome = 'advised_against'
            and (c2.pcode = d.pcode or c2.pcode = d.parent_pcode or ca2.parent_pcode = d.pcode)));
    if missing is not null then
      raise exception 'calls: no recent safe-access confirmation (last % h) for %', s.call_max_age_hours, missing
        using errcode = '22023';
    end if;
  end if;
  -- 20261205040000: a plain approval needs every access authorisation the trip needs; the approver
  -- may still approve with conditions (the route risk lists what is missing)
  if p_to = 'approved' then
    select string_agg(distinct (i ->> 'holder') || ' in ' || (i ->> 'name_en') || ' (' || replace(i ->> 'status', '_', ' ') || ')', ', ')
      into missing
    from jsonb_array_elements(private.movement_authorisation_check(m.id) -> 'items') i
    where i ->> 'status' <> 'valid';
    if missing is not null then
      raise exception 'authorisations: no valid access authorisation for the trip: %; record them, or approve with conditions', missing
        using errcode = '22023';
    end if;
  end if;
  if p_to in ('under_way', 'completed') and not (is_staff or in_team) then
    raise exception 'only the team, the author or an analyst checks a movement out or in' using errcode = '42501';
  end if;
  if p_to = 'closed' and not is_staff then
    raise exception 'only analysts and admins close movements' using errcode = '42501';
  end if;

  update sensitive.movements set
    status = p_to,
    updated_at = now(),
    decided_by = case when p_to in ('approved', 'approved_conditions', 'refused') then me else decided_by end,
    decided_at = case when p_to in ('approved', 'approved_conditions', 'refused') then now() else decided_at end,
    conditions = case when p_to = 'approved_conditions' then btrim(p_conditions) else conditions end,
    checked_out_at = case when p_to = 'under_way' then now() else checked_out_at end,
    checked_in_at = case when p_to = 'completed' then now() else checked_in_at end,
    last_position = coalesce(v_pos, last_position),
    last_position_at = case when v_pos is not null then now() else last_position_at end
  where id = m.id;
  insert into sensitive.movement_events (movement_id, from_status, to_status, reason, by_user, position)
  values (m.id, m.status, p_to, p_reason, me, v_pos);
  perform pg_notify('terrain_live', jsonb_build_object('kind', 'movement', 'id', m.id, 'status', p_to)::text);
  return sensitive.movement_json(m.id);
end
$$;

-- A position update while under way (or overdue): the team's latest known place.
create function public.movement_position(p_id uuid, p_lon double precision, p_lat double precision) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
begin
  select * into m from sensitive.movements where id = p_id for update;
  if m.id is null or not (public.has_app_role('admin', 'analyst') or m.created_by = me
                          or p_id = any (sensitive.my_movement_ids())) then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  if m.status not in ('under_way', 'overdue') then
    raise exception 'status: positions are sent while a movement is under way, not %', m.status using errcode = '22023';
  end if;
  if p_lon is null or p_lat is null or p_lon not between -180 and 180 or p_lat not between -90 and 90 then
    raise exception 'lon: give lon and lat in degrees' using errcode = '22023';
  end if;
  update sensitive.movements set last_position = st_setsrid(st_makepoint(p_lon, p_lat), 4326),
    last_position_at = now() where id = p_id;
  return jsonb_build_object('id', p_id, 'lon', p_lon, 'lat', p_lat, 'at', now());
end
$$;

-- A safe-access call to a key contact (from the directory, which the caller must be able to read)
-- or to a named person; before approval.
create function public.movement_call_log(
  p_movement_id uuid, p_outcome text, p_contact_id uuid default null, p_contact_name text default null,
  p_pcode text default null, p_segment text default null, p_said text default '', p_called_at timestamptz default null
) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
  v_name text;
  v_id uuid;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_movement_id for update;
  if m.id is null or not (public.has_app_role('admin', 'analyst') or m.created_by = me
                          or p_movement_id = any (sensitive.my_movement_ids())) then
    raise exception 'no movement with id %', p_movement_id using errcode = 'P0002';
  end if;
  if m.status not in ('draft', 'submitted', 'approved', 'approved_conditions', 'under_way') then
    raise exception 'status: calls are logged before and during a movement, not when it is %', m.status using errcode = '22023';
  end if;
  if p_outcome is null or p_outcome not in ('confirmed', 'conditions', 'advised_against', 'no_answer') then
    raise exception 'outcome: one of confirmed, conditions, advised_against, no_answer' using errcode = '22023';
  end if;
  if p_pcode is null and btrim(coalesce(p_segment, '')) = '' then
    raise exception 'pcode: say which area (P-code) or segment the call was about' using errcode = '22023';
  end if;
  if p_pcode is not null and not exists (select 1 from public.areas where pcode = p_pcode) then
    raise exception 'pcode: no area %', p_pcode using errcode = '22023';
  end if;
  if p_called_at is not null and p_called_at > now() + interval '5 minutes' then
    raise exception 'called_at: is in the future' using errcode = '22023';
  end if;
  if p_contact_id is not null then
    -- need-to-know: the contact must be one the caller may read (the contacts' own RLS, applied
    -- by evaluating the caller's visibility through the audited contact reader)
    if not (public.has_app_role('admin', 'analyst') or p_contact_id = any (sensitive.field_contact_ids())) then
      raise exception 'contact_id: no contact with id % that you can see', p_contact_id using errcode = '22023';
    end if;
    select full_name into v_name from sensitive.contacts where id = p_contact_id;
    if v_name is null then
      raise exception 'contact_id: no contact with id %', p_contact_id using errcode = '22023';
    end if;
  else
    v_name := btrim(coalesce(p_contact_name, ''));
    if v_name = '' then
      raise exception 'contact_name: say who was called (or pick a contact)' using errcode = '22023';
    end if;
  end if;
  insert into sensitive.safe_access_calls (movement_id, contact_id, contact_name, pcode, segment, called_at, outcome,
                                           said, recorded_by)
  values (m.id, p_contact_id, v_name, p_pcode, coalesce(p_segment, ''), coalesce(p_called_at, now()), p_outcome,
          coalesce(p_said, ''), me)
  returning id into v_id;
  return sensitive.movement_json(m.id);
end
$$;

-- Under-way movements past their expected return plus the grace period become overdue. Run by the
-- server on a timer (as the service role); returns the movements that just became overdue. Each
-- raises an alert (public.alerts, 57_alerts.sql) to its author, its approver and the analysts and
-- admins (20261203171000_alerts.sql), and the live feed carries the alert's id.
create function private.movements_overdue_sweep() returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  g integer := (select grace_minutes from public.movement_settings where id = 1);
  v jsonb;
  a record;
begin
  with late as (
    update sensitive.movements m set status = 'overdue', overdue_at = now(), updated_at = now()
    where m.status = 'under_way' and m.return_at + make_interval(mins => g) < now()
    returning m.id, m.purpose, m.created_by, m.decided_by, m.return_at
  ), ev as (
    insert into sensitive.movement_events (movement_id, from_status, to_status, reason, by_user)
    select id, 'under_way', 'overdue', format('not checked in %s min after the expected return', g), null from late
  )
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'purpose', purpose, 'created_by', created_by,
                                               'decided_by', decided_by, 'return_at', return_at)), '[]')
    into v from late;
  for a in
    insert into public.alerts (kind, severity, title, body, movement_id, target_users, target_roles)
    select 'movement_overdue', 'critical', 'Movement overdue: ' || (x ->> 'purpose'),
           jsonb_build_object('movement_id', x -> 'id', 'return_at', x -> 'return_at', 'grace_minutes', g),
           (x ->> 'id')::uuid,
           array_remove(array[(x ->> 'created_by')::uuid, (x ->> 'decided_by')::uuid], null),
           array['analyst', 'admin']
    from jsonb_array_elements(v) x
    returning id, movement_id
  loop
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', a.id)::text);
  end loop;
  if jsonb_array_length(v) > 0 then
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'movements_overdue', 'ids',
                      (select jsonb_agg(x -> 'id') from jsonb_array_elements(v) x))::text);
  end if;
  return v;
end
$$;
revoke all on function private.movements_overdue_sweep() from public, anon, authenticated;

revoke all on function public.movement_get(uuid), public.movements_list(text[], integer),
  public.movement_save(uuid, jsonb), public.movement_transition(uuid, text, text, text, double precision, double precision),
  public.movement_position(uuid, double precision, double precision),
  public.movement_call_log(uuid, text, uuid, text, text, text, text, timestamptz) from public, anon;
grant execute on function public.movement_get(uuid), public.movements_list(text[], integer),
  public.movement_save(uuid, jsonb), public.movement_transition(uuid, text, text, text, double precision, double precision),
  public.movement_position(uuid, double precision, double precision),
  public.movement_call_log(uuid, text, uuid, text, text, text, text, timestamptz) to authenticated;

-- Access authorisations (20261205040000): the register of letters and permits, and the check of a
-- movement against it.
--
-- An authorisation covers a holder — the whole organisation, a staff member (an account or a
-- name), a vehicle (its plate) or equipment — in an area (a governorate or district P-code; none:
-- everywhere), from valid_from to valid_to. A movement NEEDS one for every team member and vehicle
-- in each district its route or stops touch whose level on the departure day is at least
-- movement_settings.authorisation_level, or which (or whose governorate) is listed in
-- authorisation_pcodes. It is valid when it covers the whole trip, departure day to return day.

-- One authorisation as the API answers it.
create function public.access_authorisation_json(a sensitive.access_authorisations) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select jsonb_build_object(
    'id', a.id, 'kind', a.kind, 'holder_type', a.holder_type, 'user_id', a.user_id,
    'holder_name', a.holder_name, 'plate', a.plate, 'pcode', a.pcode,
    'area_name', (select ar.name_en from public.areas ar where ar.pcode = a.pcode),
    'issued_by', a.issued_by, 'issued_by_name', coalesce((select x.name from public.actors x where x.id = a.issued_by), a.issued_by_name),
    'valid_from', a.valid_from, 'valid_to', a.valid_to, 'reference', a.reference, 'notes', a.notes,
    'status', case when a.valid_to < current_date then 'expired'
                   when a.valid_from > current_date then 'not_yet_valid'
                   when a.valid_to < current_date + (select s.authorisation_expiry_days from public.movement_settings s where s.id = 1)
                     then 'expiring'
                   else 'valid' end,
    'created_by', a.created_by, 'created_at', a.created_at, 'updated_at', a.updated_at)
$$;

-- The register as the caller may read it (analysts and admins: all; field staff: their own), soonest
-- expiry first. Every list is audited: who holds which permit where is need-to-know.
create function public.access_authorisations_list(p_pcode text default null, p_limit integer default 500) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'access authorisations are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if p_limit is null or p_limit not between 1 and 5000 then
    raise exception 'limit: must be between 1 and 5000' using errcode = '22023';
  end if;
  select coalesce(jsonb_agg(public.access_authorisation_json(a) order by a.valid_to, a.id), '[]') into v
  from (select * from sensitive.access_authorisations a
        where p_pcode is null or a.pcode is null or a.pcode = any (public.area_lineage_up(array[p_pcode]))
        order by a.valid_to, a.id limit p_limit) a;
  perform public.audit_record('list', 'access_authorisations', jsonb_build_object('n', jsonb_array_length(v)));
  return v;
end
$$;

create function public.access_authorisation_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'access authorisations are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select public.access_authorisation_json(a) into v from sensitive.access_authorisations a where a.id = p_id;
  perform public.audit_record('read', 'access_authorisations', jsonb_build_object('id', p_id, 'found', v is not null));
  if v is null then
    raise exception 'no access authorisation with id %', p_id using errcode = 'P0002';
  end if;
  return v;
end
$$;

-- Create (p_id null) or change an authorisation. Merge semantics: keys not given stay as they are.
-- Security invoker: RLS lets analysts and admins write; everything is checked, with the field
-- named, before anything is written; the row trigger audits the change.
create function public.access_authorisation_save(p_id uuid, p_fields jsonb) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare
  a sensitive.access_authorisations;
  k text;
  allowed text[] := array['kind', 'holder_type', 'user_id', 'holder_name', 'plate', 'pcode', 'issued_by',
                          'issued_by_name', 'valid_from', 'valid_to', 'reference', 'notes'];
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins keep the access authorisations' using errcode = '42501';
  end if;
  if p_fields is null or jsonb_typeof(p_fields) <> 'object' then
    raise exception 'authorisation: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_fields) loop
    if not k = any (allowed) then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  if p_id is null then
    a.id := gen_random_uuid();
    a.kind := 'letter';
    a.holder_name := '';
    a.issued_by_name := '';
    a.reference := '';
    a.notes := '';
    a.created_by := (select auth.uid());
    a.created_at := now();
  else
    select * into a from sensitive.access_authorisations where id = p_id for update;
    if a.id is null then
      raise exception 'no access authorisation with id %', p_id using errcode = 'P0002';
    end if;
  end if;
  if p_fields ? 'kind' then a.kind := p_fields ->> 'kind'; end if;
  if a.kind is null or a.kind not in ('letter', 'permit', 'badge', 'other') then
    raise exception 'kind: one of letter, permit, badge, other' using errcode = '22023';
  end if;
  if p_fields ? 'holder_type' then a.holder_type := p_fields ->> 'holder_type'; end if;
  if a.holder_type is null or a.holder_type not in ('organisation', 'staff', 'vehicle', 'equipment') then
    raise exception 'holder_type: one of organisation, staff, vehicle, equipment' using errcode = '22023';
  end if;
  begin
    if p_fields ? 'user_id' then a.user_id := nullif(p_fields ->> 'user_id', '')::uuid; end if;
  exception when invalid_text_representation then
    raise exception 'user_id: not a UUID' using errcode = '22023';
  end;
  if a.user_id is not null and not exists (select 1 from public.app_users u where u.id = a.user_id) then
    raise exception 'user_id: no user with id %', a.user_id using errcode = '22023';
  end if;
  if p_fields ? 'holder_name' then a.holder_name := btrim(coalesce(p_fields ->> 'holder_name', '')); end if;
  if p_fields ? 'plate' then a.plate := nullif(btrim(coalesce(p_fields ->> 'plate', '')), ''); end if;
  if a.holder_type = 'staff' and a.user_id is null and a.holder_name = '' then
    raise exception 'holder_name: a staff authorisation names its holder (or picks a user)' using errcode = '22023';
  end if;
  if a.holder_type = 'vehicle' and a.plate is null then
    raise exception 'plate: a vehicle authorisation needs the plate' using errcode = '22023';
  end if;
  if a.holder_type = 'equipment' and a.holder_name = '' then
    raise exception 'holder_name: say which equipment' using errcode = '22023';
  end if;
  if length(a.holder_name) > 200 then
    raise exception 'holder_name: at most 200 characters' using errcode = '22023';
  end if;
  if p_fields ? 'pcode' then a.pcode := nullif(btrim(coalesce(p_fields ->> 'pcode', '')), ''); end if;
  if a.pcode is not null and not exists (select 1 from public.areas ar where ar.pcode = a.pcode) then
    raise exception 'pcode: no area %', a.pcode using errcode = '22023';
  end if;
  begin
    if p_fields ? 'issued_by' then a.issued_by := nullif(p_fields ->> 'issued_by', '')::uuid; end if;
  exception when invalid_text_representation then
    raise exception 'issued_by: not a UUID' using errcode = '22023';
  end;
  if a.issued_by is not null and not exists (select 1 from public.actors x where x.id = a.issued_by) then
    raise exception 'issued_by: no actor with id %', a.issued_by using errcode = '22023';
  end if;
  if p_fields ? 'issued_by_name' then a.issued_by_name := btrim(coalesce(p_fields ->> 'issued_by_name', '')); end if;
  if a.issued_by is null and a.issued_by_name = '' then
    raise exception 'issued_by: say which authority issued it (an actor or a name)' using errcode = '22023';
  end if;
  begin
    if p_fields ? 'valid_from' then a.valid_from := (p_fields ->> 'valid_from')::date; end if;
  exception when others then
    raise exception 'valid_from: not a date (YYYY-MM-DD)' using errcode = '22023';
  end;
  begin
    if p_fields ? 'valid_to' then a.valid_to := (p_fields ->> 'valid_to')::date; end if;
  exception when others then
    raise exception 'valid_to: not a date (YYYY-MM-DD)' using errcode = '22023';
  end;
  if a.valid_from is null then
    raise exception 'valid_from: is required' using errcode = '22023';
  end if;
  if a.valid_to is null then
    raise exception 'valid_to: is required' using errcode = '22023';
  end if;
  if a.valid_to < a.valid_from then
    raise exception 'valid_to: % is before valid_from %', a.valid_to, a.valid_from using errcode = '22023';
  end if;
  if p_fields ? 'reference' then a.reference := btrim(coalesce(p_fields ->> 'reference', '')); end if;
  if length(a.reference) > 200 then
    raise exception 'reference: at most 200 characters' using errcode = '22023';
  end if;
  if p_fields ? 'notes' then a.notes := coalesce(p_fields ->> 'notes', ''); end if;
  a.updated_at := now();
  if p_id is null then
    insert into sensitive.access_authorisations values (a.*);
  else
    update sensitive.access_authorisations set
      kind = a.kind, holder_type = a.holder_type, user_id = a.user_id, holder_name = a.holder_name, plate = a.plate,
      pcode = a.pcode, issued_by = a.issued_by, issued_by_name = a.issued_by_name, valid_from = a.valid_from,
      valid_to = a.valid_to, reference = a.reference, notes = a.notes, updated_at = a.updated_at,
      -- a new end date may expire again: alert again then
      expiry_alerted_at = case when valid_to is distinct from a.valid_to then null else expiry_alerted_at end
    where id = a.id;
  end if;
  return public.access_authorisation_json(a);
end
$$;

-- What a movement needs and what covers it. Runs as its definer's caller (the owner): callers are
-- the two definer functions below, which first check the movement is one the user may read.
create function private.movement_authorisation_check(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  with s as (select * from public.movement_settings where id = 1),
  mv as (
    select m.id, m.areas, (m.departure_at at time zone 'UTC')::date as d0, (m.return_at at time zone 'UTC')::date as d1
    from sensitive.movements m where m.id = p_id
  ),
  lv as (
    select e ->> 'pcode' as pcode, (e ->> 'level')::int as level
    from mv, jsonb_array_elements(public.area_levels_current(mv.d0, 2)) e
  ),
  needed as (
    select a.pcode, a.name_en, a.name_ar, a.parent_pcode, lv.level
    from mv cross join s
    join public.areas a on a.level = 2 and a.pcode = any (mv.areas)
    left join lv on lv.pcode = a.pcode
    where coalesce(lv.level, 0) >= s.authorisation_level
       or a.pcode = any (s.authorisation_pcodes) or a.parent_pcode = any (s.authorisation_pcodes)
  ),
  holders as (
    select 'staff' as holder_type, t.position as pos, t.user_id, t.name as holder, null::text as plate
    from sensitive.movement_team t where t.movement_id = p_id
    union all
    select 'vehicle', 1000 + v.position, null, v.plate, v.plate
    from sensitive.movement_vehicles v where v.movement_id = p_id
    union all
    -- no team and no vehicle listed: the organisation itself must hold one
    select 'organisation', -1, null, 'the organisation', null
    where not exists (select 1 from sensitive.movement_team t where t.movement_id = p_id)
      and not exists (select 1 from sensitive.movement_vehicles v where v.movement_id = p_id)
  ),
  items as (
    select n.pcode, n.name_en, n.name_ar, n.level, h.holder_type, h.pos, h.user_id, h.holder, b.*,
           case when b.auth_id is null then 'missing'
                when b.valid_from > mv.d0 then 'not_yet_valid'
                when b.valid_to < mv.d0 then 'expired'
                when b.valid_to < mv.d1 then 'expires_during'
                else 'valid' end as status
    from mv cross join needed n cross join holders h
    left join lateral (
      select a.id as auth_id, a.kind, a.reference, a.valid_from, a.valid_to, a.holder_type as covered_as,
             coalesce(x.name, a.issued_by_name) as issued_by
      from sensitive.access_authorisations a
      left join public.actors x on x.id = a.issued_by
      where (a.pcode is null or a.pcode = n.pcode or a.pcode = n.parent_pcode)
        and (a.holder_type = 'organisation'
             or (h.holder_type = 'staff' and a.holder_type = 'staff'
                 and ((h.user_id is not null and a.user_id = h.user_id)
                      or (a.holder_name <> '' and lower(btrim(a.holder_name)) = lower(btrim(h.holder)))))
             or (h.holder_type = 'vehicle' and a.holder_type = 'vehicle'
                 and upper(regexp_replace(a.plate, '\s', '', 'g')) = upper(regexp_replace(h.plate, '\s', '', 'g'))))
      -- the one covering the whole trip first, then the one ending last
      order by (a.valid_from <= mv.d0 and a.valid_to >= mv.d1) desc, a.valid_to desc, a.id
      limit 1
    ) b on true
  )
  select jsonb_build_object(
    'from', (select d0 from mv), 'to', (select d1 from mv),
    'level', (select authorisation_level from s),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('pcode', n.pcode, 'name_en', n.name_en, 'name_ar', n.name_ar,
                                                           'level', n.level) order by n.pcode) from needed n), '[]'),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
        'pcode', i.pcode, 'name_en', i.name_en, 'name_ar', i.name_ar, 'level', i.level,
        'holder_type', i.holder_type, 'holder', i.holder, 'status', i.status,
        'authorisation', case when i.auth_id is null then null else jsonb_build_object(
          'id', i.auth_id, 'kind', i.kind, 'reference', i.reference, 'issued_by', i.issued_by,
          'valid_from', i.valid_from, 'valid_to', i.valid_to, 'covered_as', i.covered_as) end)
        order by i.pcode, i.pos) from items i), '[]'),
    'missing', (select count(*) from items where status <> 'valid'))
$$;
revoke all on function private.movement_authorisation_check(uuid) from public, anon, authenticated;

-- The authorisations a movement's team needs, and whether each is valid for the trip.
create function public.movement_authorisations(p_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
begin
  if me is null or not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_id;
  if m.id is null or not (public.has_app_role('admin', 'analyst') or m.created_by = me
                          or p_id = any (sensitive.my_movement_ids()) or m.areas && sensitive.my_area_scope()) then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  return private.movement_authorisation_check(p_id);
end
$$;

-- A saved plan's route risk: public.route_risk over its route, corridor, stops and day of travel,
-- plus the authorisation check, which adds its own rule (authorisation_missing: conditions). The
-- read of the route is audited, as every movement read is. Security invoker: RLS decides.
create function public.movement_risk(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  m sensitive.movements;
  v jsonb;
  a jsonb;
  n integer;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_id;
  perform public.audit_record('read', 'movements', jsonb_build_object('id', p_id, 'found', m.id is not null, 'what', 'risk'));
  if m.id is null then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  if m.route is null then
    return null;
  end if;
  v := public.route_risk(
    st_asgeojson(m.route, 7)::jsonb, m.corridor_km, null, null,
    (select jsonb_agg(jsonb_build_object('lon', st_x(s.geom), 'lat', st_y(s.geom), 'name', s.name) order by s.position)
     from sensitive.movement_stops s where s.movement_id = p_id),
    null, 200, (m.departure_at at time zone 'UTC')::date);
  a := public.movement_authorisations(p_id);
  n := (a ->> 'missing')::int;
  if n > 0 then
    v := jsonb_set(v, '{reasons}', (v -> 'reasons') || jsonb_build_array(jsonb_build_object(
      'rule', 'authorisation_missing', 'severity', 'conditions',
      'message', format('%s access authorisation(s) missing or not valid from %s to %s: %s', n, a ->> 'from', a ->> 'to',
                        (select string_agg(distinct (i ->> 'holder') || ' in ' || (i ->> 'name_en'), ', ')
                         from jsonb_array_elements(a -> 'items') i where i ->> 'status' <> 'valid')))));
    if v ->> 'recommendation' = 'go' then
      v := jsonb_set(v, '{recommendation}', '"conditions"');
    end if;
  end if;
  return v || jsonb_build_object('authorisations', a);
end
$$;

-- Authorisations ending within the settings' authorisation_expiry_days raise one alert each (to
-- analysts and admins, and to the holder when it is an account), once per end date. Run by the
-- server's timer with the overdue sweep. The alert names no holder, area or reference: e-mail
-- leaves Terrain; the reader opens the register, where RLS applies.
create function private.authorisations_expiring_sweep() returns integer
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  d integer := (select authorisation_expiry_days from public.movement_settings where id = 1);
  n integer := 0;
  r record;
  v_alert uuid;
begin
  for r in
    update sensitive.access_authorisations a set expiry_alerted_at = now()
    where a.expiry_alerted_at is null and a.valid_to >= current_date and a.valid_to < current_date + d
    returning a.id, a.valid_to, a.user_id
  loop
    insert into public.alerts (kind, severity, title, body, target_users, target_roles)
    values ('authorisation_expiring', 'warning', format('An access authorisation expires on %s', r.valid_to),
            jsonb_build_object('authorisation_id', r.id, 'valid_to', r.valid_to),
            array_remove(array[r.user_id], null), array['analyst', 'admin'])
    returning id into v_alert;
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
    n := n + 1;
  end loop;
  return n;
end
$$;
revoke all on function private.authorisations_expiring_sweep() from public, anon, authenticated;

revoke all on function public.access_authorisation_json(sensitive.access_authorisations),
  public.access_authorisations_list(text, integer), public.access_authorisation_get(uuid),
  public.access_authorisation_save(uuid, jsonb), public.movement_authorisations(uuid),
  public.movement_risk(uuid) from public, anon;
grant execute on function public.access_authorisation_json(sensitive.access_authorisations),
  public.access_authorisations_list(text, integer), public.access_authorisation_get(uuid),
  public.access_authorisation_save(uuid, jsonb), public.movement_authorisations(uuid),
  public.movement_risk(uuid) to authenticated;
