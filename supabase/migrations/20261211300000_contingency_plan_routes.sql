-- Contingency plans get drawn routes, and the nearest-site finder measures along them (issue 11,
-- point 8: "by straight-line distance and, where drawn routes exist, by distance along them").
-- See supabase/schemas/58_headcounts_contingency.sql.

-- Drawn routes of a contingency plan (20261211300000): the roads out, each a line drawn on the map
-- or read from a KML/KMZ/GPX/GeoJSON file (the movement plans' route-file reader), named, linked
-- to its plan and optionally to the plan site it leads to (by the site's name in the plan). They
-- are as sensitive as a movement's route: read under the plans' RLS (a viewer or a field user of
-- another base sees none), written only by the SECURITY DEFINER functions below (analysts and
-- admins), every change and every read audited. The nearest-site finder measures along them.
create table sensitive.contingency_plan_routes (
  id          uuid primary key default gen_random_uuid(),
  plan_id     uuid not null references sensitive.contingency_plans (id) on delete cascade,
  name        text not null check (length(btrim(name)) between 1 and 200),
  -- the plan site it leads to (its name among the plan's sites); null: it serves every site that
  -- lies within 1 km of it
  to_site     text check (length(to_site) <= 200),
  -- one continuous line: distance along it is measured with ST_LineLocatePoint
  geom        geometry(LineString, 4326) not null,
  source      text not null default 'drawn' check (length(source) <= 300),
  created_by  uuid references public.app_users (id) on delete set null,
  created_at  timestamptz not null default now()
);
create index contingency_plan_routes_plan_idx on sensitive.contingency_plan_routes (plan_id);

alter table sensitive.contingency_plan_routes enable row level security;
create policy "Users can read the routes of plans they can read" on sensitive.contingency_plan_routes
  for select to authenticated using (exists (select 1 from sensitive.contingency_plans p where p.id = plan_id));
grant select on sensitive.contingency_plan_routes to authenticated;
create trigger contingency_plan_routes_audit after insert or update or delete on sensitive.contingency_plan_routes
  for each row execute function private.audit_row();

-- One route as the API answers it (security invoker: RLS decides whether it is found).
create function public.contingency_route_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, extensions, pg_temp
as $$
  select jsonb_build_object('id', r.id, 'plan_id', r.plan_id, 'name', r.name, 'to_site', r.to_site,
                            'source', r.source,
                            'length_km', round((st_length(r.geom::geography) / 1000)::numeric, 3),
                            'route', st_asgeojson(r.geom, 6)::jsonb, 'created_at', r.created_at,
                            'created_by_name', public.app_user_label(r.created_by))
  from sensitive.contingency_plan_routes r where r.id = p_id
$$;

-- A plan's drawn routes, by name; the read is audited (it tells which roads people will take).
create function public.contingency_routes_list(p_plan_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'contingency plans are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if not exists (select 1 from sensitive.contingency_plans p where p.id = p_plan_id) then
    raise exception 'no contingency plan with id %', p_plan_id using errcode = 'P0002';
  end if;
  select coalesce(jsonb_agg(public.contingency_route_json(r.id) order by r.name, r.created_at), '[]') into v
  from sensitive.contingency_plan_routes r where r.plan_id = p_plan_id;
  perform public.audit_record('read', 'contingency_plan_routes',
                              jsonb_build_object('plan_id', p_plan_id, 'n', jsonb_array_length(v)));
  return v;
end
$$;

-- Add a route to a plan: {name, route (GeoJSON LineString, or a MultiLineString that joins into
-- one line), to_site?, source?}. Analysts and admins; each field checked, and named, before
-- anything is written.
create function public.contingency_route_add(p_plan_id uuid, p_route jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  v_plan sensitive.contingency_plans;
  k text;
  g geometry;
  v_name text;
  v_to text;
  v_id uuid;
begin
  if me is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins write contingency plans' using errcode = '42501';
  end if;
  select * into v_plan from sensitive.contingency_plans where id = p_plan_id;
  if v_plan.id is null then
    raise exception 'plan_id: no contingency plan with id %', p_plan_id using errcode = 'P0002';
  end if;
  if p_route is null or jsonb_typeof(p_route) <> 'object' then
    raise exception 'route: expected a JSON object {name, route, to_site}' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_route) loop
    if k not in ('name', 'route', 'to_site', 'source') then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  v_name := btrim(coalesce(p_route ->> 'name', ''));
  if length(v_name) = 0 then
    raise exception 'name: is required' using errcode = '22023';
  end if;
  if length(v_name) > 200 then
    raise exception 'name: at most 200 characters' using errcode = '22023';
  end if;
  g := public.route_geometry(p_route -> 'route');
  g := st_linemerge(g);
  if geometrytype(g) <> 'LINESTRING' then
    raise exception 'route: must be one continuous line; its % parts do not join end to end', st_numgeometries(g)
      using errcode = '22023';
  end if;
  v_to := nullif(btrim(coalesce(p_route ->> 'to_site', '')), '');
  if v_to is not null and not exists (select 1 from jsonb_array_elements(v_plan.sites) s where s ->> 'name' = v_to) then
    raise exception 'to_site: no site named "%" in this plan', v_to using errcode = '22023';
  end if;
  if length(coalesce(p_route ->> 'source', '')) > 300 then
    raise exception 'source: at most 300 characters' using errcode = '22023';
  end if;
  insert into sensitive.contingency_plan_routes (plan_id, name, to_site, geom, source, created_by)
  values (p_plan_id, v_name, v_to, st_setsrid(g, 4326), coalesce(nullif(p_route ->> 'source', ''), 'drawn'), me)
  returning id into v_id;
  return public.contingency_route_json(v_id);
end
$$;

-- Remove a route from a plan (analysts and admins).
create function public.contingency_route_remove(p_plan_id uuid, p_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
begin
  if (select auth.uid()) is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins write contingency plans' using errcode = '42501';
  end if;
  delete from sensitive.contingency_plan_routes where id = p_id and plan_id = p_plan_id;
  if not found then
    raise exception 'no route with id % in this plan', p_id using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;

revoke all on function public.contingency_route_json(uuid), public.contingency_routes_list(uuid),
  public.contingency_route_add(uuid, jsonb), public.contingency_route_remove(uuid, uuid) from public, anon;
grant execute on function public.contingency_route_json(uuid), public.contingency_routes_list(uuid),
  public.contingency_route_add(uuid, jsonb), public.contingency_route_remove(uuid, uuid) to authenticated;

-- The nearest hibernation sites, assembly points and safe havens to a point, from the contingency
-- plans the caller may read (security invoker: RLS keeps a field user to the plans of their bases)
-- and the open hibernation sites and assembly points of our sites registry (plan_id null), by
-- straight-line distance on the spheroid. Sites without a position are left out. The read is
-- audited like a plan's (it tells where people will shelter).
--
-- 20261211300000: where a drawn route of a readable plan leads to a site (its to_site, or any site
-- within 1 km of it), each site also carries `route`, the shortest way along one: `approach_km`
-- from the point to the route's nearest point, `along_km` on the line (ST_LineLocatePoint of both,
-- ST_LineSubstring between, length on geography) to the site's projection, `leave_km` from there
-- to the site, and `total_km`, their sum. The order stays the straight-line one.
create or replace function public.contingency_nearest_sites(p_lon double precision, p_lat double precision,
                                                 p_roles text[] default null, p_limit integer default 5)
returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  v jsonb;
  q geometry;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'contingency plans are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if p_lon is null or p_lon not between -180 and 180 then
    raise exception 'lon: a longitude in degrees, -180 to 180' using errcode = '22023';
  end if;
  if p_lat is null or p_lat not between -90 and 90 then
    raise exception 'lat: a latitude in degrees, -90 to 90' using errcode = '22023';
  end if;
  if p_roles is not null and not (p_roles <@ array['hibernation_site', 'assembly_point', 'safe_haven']) then
    raise exception 'role: one of hibernation_site, assembly_point, safe_haven' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 1 and 50 then
    raise exception 'limit: must be between 1 and 50' using errcode = '22023';
  end if;
  q := st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  select coalesce(jsonb_agg(jsonb_build_object(
             'name', e ->> 'name', 'role', e ->> 'role', 'capacity', e -> 'capacity', 'stocks', e ->> 'stocks',
             'comms', e ->> 'comms', 'lon', (e ->> 'lon')::float8, 'lat', (e ->> 'lat')::float8,
             'plan_id', plan_id, 'plan_kind', plan_kind, 'base_site_id', base_site_id, 'base_name', base_name,
             'distance_km', round((metres / 1000)::numeric, 3), 'route', rt.route) order by metres), '[]')
    into v
  from (
    select e, p.id as plan_id, p.kind as plan_kind, p.base_site_id, s.name as base_name,
           st_distance(st_setsrid(st_makepoint((e ->> 'lon')::float8, (e ->> 'lat')::float8), 4326)::geography,
                       q::geography) as metres
    from sensitive.contingency_plans p
    join public.org_sites s on s.id = p.base_site_id
    cross join lateral jsonb_array_elements(p.sites) e
    where jsonb_typeof(e -> 'lon') = 'number' and jsonb_typeof(e -> 'lat') = 'number'
      and (p_roles is null or e ->> 'role' = any (p_roles))
    union all
    -- our own sites registered as hibernation sites or assembly points (the sites registry)
    select jsonb_build_object('name', o.name, 'role', o.site_type, 'capacity', null, 'stocks', '', 'comms', '',
                              'lon', st_x(o.geom), 'lat', st_y(o.geom)),
           null, null, null, null,
           st_distance(o.geom::geography, q::geography)
    from public.org_sites o
    where o.site_type in ('hibernation_site', 'assembly_point') and o.status = 'open'
      and (p_roles is null or o.site_type = any (p_roles))
    order by metres
    limit p_limit) t
  -- the shortest way to the site along a drawn route that leads there (RLS: readable plans only)
  left join lateral (
    select jsonb_build_object('id', r.id, 'name', r.name, 'plan_id', r.plan_id,
                              'approach_km', round((d.approach / 1000)::numeric, 3),
                              'along_km', round((d.along / 1000)::numeric, 3),
                              'leave_km', round((d.leave / 1000)::numeric, 3),
                              'total_km', round(((d.approach + d.along + d.leave) / 1000)::numeric, 3)) as route
    from sensitive.contingency_plan_routes r
    cross join lateral (select st_setsrid(st_makepoint((t.e ->> 'lon')::float8, (t.e ->> 'lat')::float8), 4326) as pt) s
    cross join lateral (select st_linelocatepoint(r.geom, q) as a, st_linelocatepoint(r.geom, s.pt) as b) f
    cross join lateral (
      select st_distance(q::geography, r.geom::geography) as approach,
             st_length(st_linesubstring(r.geom, least(f.a, f.b), greatest(f.a, f.b))::geography) as along,
             st_distance(s.pt::geography, r.geom::geography) as leave) d
    where (r.to_site is not null and r.plan_id = t.plan_id and r.to_site = t.e ->> 'name')
       or (r.to_site is null and st_dwithin(r.geom::geography, s.pt::geography, 1000))
    order by d.approach + d.along + d.leave
    limit 1) rt on true;
  perform public.audit_record('read', 'contingency_plans',
                              jsonb_build_object('nearest', true, 'n', jsonb_array_length(v)));
  return v;
end
$$;
