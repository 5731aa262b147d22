-- Issue 12: the area assessment profile counted incidents by point-in-polygon, so an event the
-- source located only as "Northern Iraq" or "Nīnawá province" (geo_precision 3, placed at most in
-- the governorate) was credited to whichever district holds that centre point: Tel Afar's profile
-- said 385 incidents where the incident list, filtered to Tel Afar, says 193.
--
-- Now an admin area counts what the incident list's area filter counts (placed in the area by
-- P-code, incidents_filtered's p_area), and a drawn polygon or buffer counts exact locations only
-- (incidents_refined with p_precise_only, the rule of incident_counts_in_place). The profile says
-- how many incidents lie inside but were not counted: incidents.coarser_not_counted, with
-- incidents.counted_by naming the rule applied. Same signature: the callers (assessment_create,
-- assessment_update, assessment_rerun) are unchanged; saved snapshots keep the numbers they had.

create or replace function public.assessment_profile(
  p_area text default null,
  p_geometry jsonb default null,
  p_buffer_km double precision default null,
  p_as_of date default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_geom geometry := public.assessment_area_geometry(p_area, p_geometry, p_buffer_km);
  v_scope text[] := public.caller_location_scope();
  v_exact boolean := v_scope is null;
  v_field boolean := coalesce(cardinality(v_scope), 0) > 0;
  v_x0 double precision := st_xmin(v_geom);
  v_x1 double precision := st_xmax(v_geom);
  v_y0 double precision := st_ymin(v_geom);
  v_y1 double precision := st_ymax(v_geom);
  v_to date;
  v_12 date;
  v_24 date;
  v_covered text[];
  v_checkpoints uuid[];
  v_contacts jsonb := null;
  v_contact_ids uuid[];
  v jsonb;
begin
  v_to := coalesce(p_as_of, (select max(f.event_date) from public.incidents_filtered() f), current_date);
  v_12 := (v_to - interval '12 months')::date;
  v_24 := (v_to - interval '24 months')::date;

  select coalesce(array_agg(a.pcode order by a.level, a.pcode), '{}') into v_covered
  from public.areas a
  where a.geom && v_geom and (a.pcode = p_area or st_relate(a.geom, v_geom, 'T********'));
  select coalesce(array_agg(k.id), '{}') into v_checkpoints
  from public.checkpoints k where k.geom && v_geom and st_intersects(v_geom, k.geom);

  if (select public.has_app_role('admin', 'analyst', 'field')) then
    select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'full_name', c.full_name, 'name_ar', c.name_ar,
             'role_title', c.role_title, 'organisation', (select ac.name from public.actors ac where ac.id = c.actor_id),
             'sensitivity', c.sensitivity) order by lower(c.full_name), c.id), '[]'::jsonb),
           coalesce(array_agg(c.id), '{}')
      into v_contacts, v_contact_ids
    from sensitive.contacts c
    where exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (v_covered))
       or exists (select 1 from sensitive.contact_checkpoints cc where cc.contact_id = c.id and cc.checkpoint_id = any (v_checkpoints));
    perform public.audit_record('list', 'contacts', jsonb_build_object(
      'count', cardinality(v_contact_ids), 'ids', to_jsonb(v_contact_ids), 'filters', jsonb_build_object('assessment', true)));
  end if;

  with cand as materialized (
    select f.id,
           public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt,
           f.geo_precision
    from public.incidents_filtered(null, v_to) f
    where (v_exact and f.lat between v_y0 and v_y1 and f.lon between v_x0 and v_x1)
       or (not v_exact and f.lat_coarse between v_y0 and v_y1 and f.lon_coarse between v_x0 and v_x1)
       or (v_field and f.geom_coarse is not null and f.lat between v_y0 and v_y1 and f.lon between v_x0 and v_x1)
  ),
  inside as materialized (
    -- at the point the caller sees, whatever its precision: what the area holds on a map
    select * from cand where st_intersects(v_geom, pt)
  ),
  inc as materialized (
    select f.id, f.event_date, f.event_type, f.sub_event_type, f.fatalities, f.serious, f.affects_ngos, f.affects_us,
           f.actor1_id, f.actor2_id,
           public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode,
                                            v_scope) as location_name,
           public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    from (select * from public.incidents_filtered(null, v_to, null, p_area) where p_area is not null
          union all
          select * from public.incidents_refined(null, v_to, null, null, null, null, null, null, v_geom, null, true,
                                                 null, null, null, null, null, v_scope)
          where p_area is null) f
  ),
  coarser as (
    select case when fuzzed then 3 else geo_precision end as prec
    from inside c where not exists (select 1 from inc where inc.id = c.id)
  ),
  actor_counts as (
    select x.actor_id, count(distinct x.id) as n, coalesce(sum(x.fatalities), 0) as fat
    from (select id, actor1_id as actor_id, fatalities from inc where actor1_id is not null
          union all select id, actor2_id, fatalities from inc where actor2_id is not null and actor2_id is distinct from actor1_id) x
    group by x.actor_id
  ),
  months as (
    select to_char(m, 'YYYY-MM') as month from generate_series(
      date_trunc('month', greatest(coalesce((select min(event_date) from inc), v_12 + 1), v_to - interval '240 months')),
      date_trunc('month', v_to), interval '1 month') m
  ),
  present as (
    select distinct on (ac.id) ac.id, ac.name, ac.name_ar, ac.actor_type, ac.stance, ac.influence,
           case when p.pcode is not null then p.pcode else null end as via_pcode
    from public.actor_presence p join public.actors ac on ac.id = p.actor_id
    where (p.valid_from is null or p.valid_from <= v_to) and (p.valid_to is null or p.valid_to >= v_to)
      and (p.pcode = any (v_covered) or (p.geom is not null and p.geom && v_geom and st_relate(p.geom, v_geom, 'T********')))
    order by ac.id, p.pcode nulls last
  ),
  cov as (
    select a.pcode, a.level, a.name_en, a.name_ar, a.geom from public.areas a where a.pcode = any (v_covered)
  ),
  pop as (
    -- Population: the finest admin level with figures, each area counted by the share of its
    -- surface inside the assessed area.
    select c.pcode, c.level, ac.population, ac.population_source, ac.population_date,
           st_area(st_intersection(c.geom, v_geom)::geography) / nullif(st_area(c.geom::geography), 0) as share
    from cov c join public.area_community ac on ac.pcode = c.pcode
    where ac.population is not null
  ),
  pop_level as (select max(level) as lvl from pop)
  select jsonb_build_object(
    'as_of', v_to,
    'area', jsonb_build_object(
      'mode', case when p_area is not null then 'area' when p_buffer_km is not null then 'buffer' else 'geometry' end,
      'pcode', p_area,
      'name_en', (select a.name_en from public.areas a where a.pcode = p_area),
      'name_ar', (select a.name_ar from public.areas a where a.pcode = p_area),
      'buffer_km', p_buffer_km,
      'area_km2', round((st_area(v_geom::geography) / 1e6)::numeric, 1),
      'bbox', jsonb_build_array(round(v_x0::numeric, 4), round(v_y0::numeric, 4), round(v_x1::numeric, 4), round(v_y1::numeric, 4)),
      'geometry', st_asgeojson(st_simplifypreservetopology(v_geom, 0.001), 5)::jsonb),
    'windows', jsonb_build_object('last_12_months', jsonb_build_object('from', v_12 + 1, 'to', v_to),
                                  'previous_12_months', jsonb_build_object('from', v_24 + 1, 'to', v_12),
                                  'baseline', public.baseline_windows(v_to)),
    'incidents', jsonb_build_object(
      'total', (select count(*) from inc),
      'counted_by', case when p_area is not null then 'area_pcode' else 'exact_location' end,
      'coarser_not_counted', (select jsonb_build_object('total', count(*),
                                'by_precision', jsonb_build_object('1', count(*) filter (where prec = 1),
                                                                   '2', count(*) filter (where prec = 2),
                                                                   '3', count(*) filter (where prec = 3)))
                              from coarser),
      'fatalities', (select coalesce(sum(fatalities), 0) from inc),
      'first_date', (select min(event_date) from inc),
      'last_date', (select max(event_date) from inc),
      'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                   (select extract(year from event_date)::int as y, count(*) as n from inc group by 1) t),
      'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                   (select event_type, count(*) as n from inc group by 1) t),
      'by_type_12m', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                   (select event_type, count(*) as n from inc where event_date > v_12 group by 1) t),
      'last_12_months', (select count(*) from inc where event_date > v_12),
      'previous_12_months', (select count(*) from inc where event_date > v_24 and event_date <= v_12),
      'trend', public.baseline_classify((select count(*) from inc where event_date > v_12),
                                        (select count(*) from inc where event_date > v_24 and event_date <= v_12), 52),
      'baseline', public.baseline_classify((select count(*) from inc where event_date > v_to - 28),
                                           (select count(*) from inc where event_date between v_to - 391 and v_to - 28), 4),
      'monthly', (select coalesce(jsonb_agg(jsonb_build_object('month', m.month, 'n', coalesce(x.n, 0), 'fatalities', coalesce(x.fat, 0))
                   order by m.month), '[]'::jsonb)
                  from months m left join (select to_char(event_date, 'YYYY-MM') as month, count(*) as n, sum(fatalities) as fat
                                           from inc group by 1) x on x.month = m.month),
      'serious', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'event_date', event_date, 'event_type', event_type,
                    'sub_event_type', sub_event_type, 'fatalities', fatalities, 'location_name', location_name,
                    'serious', serious, 'affects_ngos', affects_ngos, 'affects_us', affects_us, 'location_fuzzed', fuzzed,
                    'lon', round(st_x(pt)::numeric, 5), 'lat', round(st_y(pt)::numeric, 5))
                    order by event_date desc, id), '[]'::jsonb)
                  from (select * from inc where serious or affects_ngos or affects_us order by event_date desc, id limit 100) s),
      'serious_total', (select count(*) from inc where serious or affects_ngos or affects_us),
      'top_actors', (select coalesce(jsonb_agg(jsonb_build_object('id', ac.id, 'name', ac.name, 'actor_type', ac.actor_type,
                       'stance', ac.stance, 'n', t.n, 'fatalities', t.fat) order by t.n desc, ac.name), '[]'::jsonb)
                     from (select * from actor_counts order by n desc limit 10) t join public.actors ac on ac.id = t.actor_id),
      'points', (select coalesce(jsonb_agg(jsonb_build_array(round(st_x(pt)::numeric, 5), round(st_y(pt)::numeric, 5), event_type)),
                   '[]'::jsonb)
                 from (select pt, event_type from inc order by event_date desc, id limit 3000) p)),
    'areas', (select coalesce(jsonb_agg(jsonb_build_object('pcode', c.pcode, 'level', c.level, 'name_en', c.name_en, 'name_ar', c.name_ar)
                order by c.level, c.name_en), '[]'::jsonb) from cov c),
    'security_levels', (select coalesce(jsonb_agg(jsonb_build_object(
          'pcode', c.pcode, 'level_of_area', c.level, 'name_en', c.name_en, 'name_ar', c.name_ar,
          'current', (select l from jsonb_array_elements(public.area_levels_current(v_to, c.level)) l where l ->> 'pcode' = c.pcode),
          'history', (select coalesce(jsonb_agg(jsonb_build_object('level', h.level, 'effective_date', h.effective_date, 'note', h.note)
                        order by h.effective_date desc, h.recorded_at desc), '[]'::jsonb)
                      from (select * from public.area_security_levels s where s.pcode = c.pcode and s.effective_date <= v_to
                            order by s.effective_date desc, s.recorded_at desc limit 20) h))
        order by c.level, c.name_en), '[]'::jsonb) from cov c),
    'population', (select jsonb_build_object('value', round(sum(p.population * p.share)), 'level', max(p.level),
                     'sources', jsonb_agg(distinct p.population_source) filter (where p.population_source is not null),
                     'date', max(p.population_date))
                   from pop p, pop_level l where p.level = l.lvl having count(*) > 0),
    'health_facilities', (select jsonb_build_object(
          'count', count(*), 'supported', count(*) filter (where s.supported),
          'by_type', coalesce((select jsonb_object_agg(t, n) from (select facility_type as t, count(*) as n from public.health_facilities h
                      where h.geom && v_geom and st_intersects(v_geom, h.geom) group by 1) x), '{}'::jsonb),
          'list', coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'facility_type', s.facility_type,
                    'supported', s.supported, 'status', s.status, 'lon', round(st_x(s.geom)::numeric, 5),
                    'lat', round(st_y(s.geom)::numeric, 5)) order by s.name), '[]'::jsonb))
        from public.health_facilities s where s.geom && v_geom and st_intersects(v_geom, s.geom)),
    'camps', (select jsonb_build_object(
          'count', count(*), 'population', coalesce(sum(s.population), 0), 'population_date', max(s.population_date),
          'list', coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'status', s.status, 'camp_type', s.camp_type,
                    'population', s.population, 'population_date', s.population_date, 'managing_org', s.managing_org,
                    'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name), '[]'::jsonb))
        from public.idp_camps s where s.geom && v_geom and st_intersects(v_geom, s.geom)),
    'checkpoints', (select coalesce(jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'status', k.status,
          'controlled_by', coalesce(ac.name, k.controlled_by), 'controlling_actor_id', k.controlling_actor_id,
          'road', k.road, 'last_verified_at', k.last_verified_at,
          'stale_days', case when k.last_verified_at is null then null else current_date - k.last_verified_at::date end,
          'lon', round(st_x(k.geom)::numeric, 5), 'lat', round(st_y(k.geom)::numeric, 5)) order by k.name), '[]'::jsonb)
        from public.checkpoints k left join public.actors ac on ac.id = k.controlling_actor_id
        where k.id = any (v_checkpoints)),
    'org_sites', (select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
          'status', s.status, 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name), '[]'::jsonb)
        from public.org_sites s where s.geom && v_geom and st_intersects(v_geom, s.geom)),
    'nearest', jsonb_build_object(
      'hibernation_site', (select jsonb_build_object('id', s.id, 'name', s.name, 'km', round((st_distance(s.geom::geography, v_geom::geography) / 1000)::numeric, 1))
                           from public.org_sites s where s.site_type = 'hibernation_site' and s.status = 'open'
                           order by st_distance(s.geom::geography, v_geom::geography), s.id limit 1),
      'hospital', (select jsonb_build_object('id', s.id, 'name', s.name, 'km', round((st_distance(s.geom::geography, v_geom::geography) / 1000)::numeric, 1))
                   from public.health_facilities s where s.facility_type = 'hospital' and s.status = 'open'
                   order by st_distance(s.geom::geography, v_geom::geography), s.id limit 1)),
    'actors', (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'name_ar', p.name_ar, 'actor_type', p.actor_type,
          'stance', p.stance, 'influence', p.influence, 'via_pcode', p.via_pcode) order by p.influence desc nulls last, p.name), '[]'::jsonb)
        from present p),
    'relationships', (select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'source_actor_id', r.source_actor_id,
          'target_actor_id', r.target_actor_id, 'kind', r.kind, 'directed', r.directed, 'confidence', r.confidence) order by r.kind, r.id), '[]'::jsonb)
        from public.relationships r
        where r.source_actor_id in (select id from present) and r.target_actor_id in (select id from present)
          and (r.valid_from is null or r.valid_from <= v_to) and (r.valid_to is null or r.valid_to >= v_to)),
    'contacts', jsonb_build_object(
      'count', greatest(sensitive.area_contact_count(v_covered, v_checkpoints), coalesce(jsonb_array_length(v_contacts), 0)),
      -- what a reader outside the need-to-know may be told of a saved snapshot (assessment_json)
      'normal_count', sensitive.area_contact_count(v_covered, v_checkpoints, true),
      'names', v_contacts),
    'community', (select coalesce(jsonb_agg(to_jsonb(ac) - 'updated_by' || jsonb_build_object('name_en', c.name_en, 'level', c.level)
          order by c.level, c.name_en), '[]'::jsonb)
        from cov c join public.area_community ac on ac.pcode = c.pcode)
  ) into v;
  return v;
end
$$;
