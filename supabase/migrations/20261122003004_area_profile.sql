-- The area page: one administrative area with everything known about it that is not an
-- incident chart (those come from the aggregation functions with p_area): where it sits in the
-- hierarchy, the areas inside it, its sites, camps and checkpoints, and its level in force.

-- Sites are found by location (the point inside the area's polygon, GiST index on geom), not by
-- their stored P-codes, so a site added later without P-codes still shows up.
create function public.area_profile(p_pcode text) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  a public.areas;
  v jsonb;
begin
  select * into a from public.areas where pcode = p_pcode;
  if a.pcode is null then
    raise exception 'pcode: no area with P-code %', coalesce(p_pcode, '(none)') using errcode = 'P0002';
  end if;

  select jsonb_build_object(
    'pcode', a.pcode, 'level', a.level, 'name_en', a.name_en, 'name_ar', a.name_ar, 'parent_pcode', a.parent_pcode,
    'bbox', jsonb_build_array(round(st_xmin(a.geom)::numeric, 4), round(st_ymin(a.geom)::numeric, 4),
                              round(st_xmax(a.geom)::numeric, 4), round(st_ymax(a.geom)::numeric, 4)),
    'area_km2', round((st_area(a.geom::geography) / 1e6)::numeric),
    'ancestors', coalesce((
        select jsonb_agg(jsonb_build_object('pcode', x.pcode, 'level', x.level, 'name_en', x.name_en, 'name_ar', x.name_ar)
                         order by x.level)
        from public.areas x
        where x.pcode = a.parent_pcode
           or x.pcode = (select p.parent_pcode from public.areas p where p.pcode = a.parent_pcode)), '[]'::jsonb),
    'children', coalesce((
        select jsonb_agg(jsonb_build_object('pcode', c.pcode, 'level', c.level, 'name_en', c.name_en, 'name_ar', c.name_ar)
                         order by c.name_en)
        from public.areas c where c.parent_pcode = a.pcode), '[]'::jsonb),
    'health_facilities', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'name_ar', s.name_ar, 'facility_type', s.facility_type,
                 'supported', s.supported, 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.health_facilities s where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'idp_camps', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'name_ar', s.name_ar, 'status', s.status,
                 'population', s.population, 'population_date', s.population_date, 'managing_org', s.managing_org,
                 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.idp_camps s where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'checkpoints', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'name_ar', s.name_ar, 'status', s.status,
                 'controlled_by', coalesce(ac.name, s.controlled_by), 'road', s.road, 'last_verified_at', s.last_verified_at,
                 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.checkpoints s left join public.actors ac on ac.id = s.controlling_actor_id
        where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'org_sites', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type, 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.org_sites s where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'current_level', (
        select c from jsonb_array_elements(public.area_levels_current(null, a.level)) c
        where c ->> 'pcode' = a.pcode)
  ) into v;
  return v;
end
$$;
