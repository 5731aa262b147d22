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
  constraint movement_settings_levels check (conditions_level <= no_go_level),
  constraint movement_settings_counts check (conditions_incidents <= no_go_incidents)
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
create policy "Analysts and admins can draw no-go zones" on public.no_go_zones
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can change no-go zones" on public.no_go_zones
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can remove no-go zones" on public.no_go_zones
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));
grant select, insert, update, delete on public.no_go_zones to authenticated;
create trigger no_go_zones_audit after insert or update or delete on public.no_go_zones
  for each row execute function private.audit_row();

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
  candidates as (
    select distinct i.id
    from boxes b
    join public.incidents i on i.lat between b.y0 and b.y1 and i.lon between b.x0 and b.x1
    where i.event_date between v_from and v_to
  ),
  hits as materialized (
    select i.id, i.event_date, i.event_type, i.sub_event_type, i.fatalities, i.location_name,
           i.affects_us, i.affects_ngos, i.serious, i.geo_precision, i.geom,
           st_distance(i.geom::geography, v_geog) as d,
           case when v_line is not null then st_linelocatepoint(v_line, i.geom) end as along
    from candidates c
    join public.incidents i on i.id = c.id
    where st_dwithin(i.geom::geography, v_geog, v_m)
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
      on i.lat between st_y(sp.geom) - v_stop_km * 1000 / 110574.0 * 1.01 and st_y(sp.geom) + v_stop_km * 1000 / 110574.0 * 1.01
     and i.lon between st_x(sp.geom) - v_stop_km * 1000 / (111320.0 * greatest(cos(radians(least(89.0, abs(st_y(sp.geom)) + v_stop_km * 1000 / 110574.0))), 0.01)) * 1.01
                   and st_x(sp.geom) + v_stop_km * 1000 / (111320.0 * greatest(cos(radians(least(89.0, abs(st_y(sp.geom)) + v_stop_km * 1000 / 110574.0))), 0.01)) * 1.01
     and st_dwithin(i.geom::geography, sp.geom::geography, v_stop_km * 1000)
    where i.event_date between v_from and v_to
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
                          'no_go_level', 'conditions_incidents', 'no_go_incidents', 'conditions_serious'];
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
