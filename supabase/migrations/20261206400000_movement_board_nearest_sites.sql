-- Issue 11: the live movements board and the nearest safe-site finder. Two new functions, as
-- defined in supabase/schemas/55_movements.sql and 58_headcounts_contingency.sql:
-- public.movement_board_item reads one notified movement as the subscriber of the board's
-- server-sent events (RLS decides who learns of it); public.contingency_nearest_sites finds the
-- nearest hibernation sites, assembly points and safe havens among the plans the caller may read.

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

-- The nearest hibernation sites, assembly points and safe havens to a point, from the contingency
-- plans the caller may read (security invoker: RLS keeps a field user to the plans of their bases)
-- and the open hibernation sites and assembly points of our sites registry (plan_id null), by
-- straight-line distance on the spheroid. Sites without a position are left out. The read is
-- audited like a plan's (it tells where people will shelter).
create function public.contingency_nearest_sites(p_lon double precision, p_lat double precision,
                                                 p_roles text[] default null, p_limit integer default 5)
returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v jsonb;
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
  select coalesce(jsonb_agg(jsonb_build_object(
             'name', e ->> 'name', 'role', e ->> 'role', 'capacity', e -> 'capacity', 'stocks', e ->> 'stocks',
             'comms', e ->> 'comms', 'lon', (e ->> 'lon')::float8, 'lat', (e ->> 'lat')::float8,
             'plan_id', plan_id, 'plan_kind', plan_kind, 'base_site_id', base_site_id, 'base_name', base_name,
             'distance_km', round((metres / 1000)::numeric, 3)) order by metres), '[]')
    into v
  from (
    select e, p.id as plan_id, p.kind as plan_kind, p.base_site_id, s.name as base_name,
           st_distance(st_setsrid(st_makepoint((e ->> 'lon')::float8, (e ->> 'lat')::float8), 4326)::geography,
                       st_setsrid(st_makepoint(p_lon, p_lat), 4326)::geography) as metres
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
           st_distance(o.geom::geography, st_setsrid(st_makepoint(p_lon, p_lat), 4326)::geography)
    from public.org_sites o
    where o.site_type in ('hibernation_site', 'assembly_point') and o.status = 'open'
      and (p_roles is null or o.site_type = any (p_roles))
    order by metres
    limit p_limit) t;
  perform public.audit_record('read', 'contingency_plans',
                              jsonb_build_object('nearest', true, 'n', jsonb_array_length(v)));
  return v;
end
$$;
revoke all on function public.contingency_nearest_sites(double precision, double precision, text[], integer)
  from public, anon;
grant execute on function public.contingency_nearest_sites(double precision, double precision, text[], integer)
  to authenticated;
