-- The nearest-site finder measures the way along drawn routes for every site, not only for the
-- first `limit` by straight line (issue 11, point 8: "by straight-line distance and, where drawn
-- routes exist, by distance along them"). Before, a site nearer by road but past the straight-line
-- shortlist was never shown. The answer now holds the `limit` nearest in a straight line and the
-- `limit` nearest along a route, in straight-line order, each with `straight_rank` and
-- `route_rank` (null: no route leads there). See supabase/schemas/58_headcounts_contingency.sql.
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
  with site as (
    select e, p.id as plan_id, p.kind as plan_kind, p.base_site_id, s.name as base_name,
           st_setsrid(st_makepoint((e ->> 'lon')::float8, (e ->> 'lat')::float8), 4326) as pt
    from sensitive.contingency_plans p
    join public.org_sites s on s.id = p.base_site_id
    cross join lateral jsonb_array_elements(p.sites) e
    where jsonb_typeof(e -> 'lon') = 'number' and jsonb_typeof(e -> 'lat') = 'number'
      and (p_roles is null or e ->> 'role' = any (p_roles))
    union all
    -- our own sites registered as hibernation sites or assembly points (the sites registry)
    select jsonb_build_object('name', o.name, 'role', o.site_type, 'capacity', null, 'stocks', '', 'comms', '',
                              'lon', st_x(o.geom), 'lat', st_y(o.geom)),
           null, null, null, null, o.geom
    from public.org_sites o
    where o.site_type in ('hibernation_site', 'assembly_point') and o.status = 'open'
      and (p_roles is null or o.site_type = any (p_roles))
  ), way as (
    -- every site, with the shortest way to it along a drawn route that leads there (RLS: readable
    -- plans' routes only), not only the first few by straight line
    select t.*, st_distance(t.pt::geography, q::geography) as metres, rt.metres as route_metres, rt.route
    from site t
    left join lateral (
      select d.approach + d.along + d.leave as metres,
             jsonb_build_object('id', r.id, 'name', r.name, 'plan_id', r.plan_id,
                                'approach_km', round((d.approach / 1000)::numeric, 3),
                                'along_km', round((d.along / 1000)::numeric, 3),
                                'leave_km', round((d.leave / 1000)::numeric, 3),
                                'total_km', round(((d.approach + d.along + d.leave) / 1000)::numeric, 3)) as route
      from sensitive.contingency_plan_routes r
      cross join lateral (select st_linelocatepoint(r.geom, q) as a, st_linelocatepoint(r.geom, t.pt) as b) f
      cross join lateral (
        select st_distance(q::geography, r.geom::geography) as approach,
               st_length(st_linesubstring(r.geom, least(f.a, f.b), greatest(f.a, f.b))::geography) as along,
               st_distance(t.pt::geography, r.geom::geography) as leave) d
      where (r.to_site is not null and r.plan_id = t.plan_id and r.to_site = t.e ->> 'name')
         or (r.to_site is null and st_dwithin(r.geom::geography, t.pt::geography, 1000))
      order by d.approach + d.along + d.leave
      limit 1) rt on true
  ), ranked as (
    select w.*,
           row_number() over (order by w.metres, w.e ->> 'name', w.plan_id) as straight_rank,
           case when w.route_metres is not null
                then row_number() over (order by w.route_metres nulls last, w.metres, w.e ->> 'name', w.plan_id)
           end as route_rank
    from way w
  )
  select coalesce(jsonb_agg(jsonb_build_object(
             'name', e ->> 'name', 'role', e ->> 'role', 'capacity', e -> 'capacity', 'stocks', e ->> 'stocks',
             'comms', e ->> 'comms', 'lon', (e ->> 'lon')::float8, 'lat', (e ->> 'lat')::float8,
             'plan_id', plan_id, 'plan_kind', plan_kind, 'base_site_id', base_site_id, 'base_name', base_name,
             'distance_km', round((metres / 1000)::numeric, 3), 'route', route,
             'straight_rank', straight_rank, 'route_rank', route_rank) order by straight_rank), '[]')
    into v
  from ranked
  where straight_rank <= p_limit or route_rank <= p_limit;
  perform public.audit_record('read', 'contingency_plans',
                              jsonb_build_object('nearest', true, 'n', jsonb_array_length(v)));
  return v;
end
$$;
