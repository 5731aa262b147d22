set check_function_bodies = off;

-- Area assessment (issue #12 item 1): everything known about an area on one page, computed in
-- PostGIS under the caller's RLS, for an admin area (P-code), a drawn polygon, or a point or a
-- route buffered by a radius; the community profile of admin areas (population, displacement,
-- composition, acceptance), kept with its history; and saved assessments, dated snapshots of a
-- profile with a title, a status (draft → final) and the analyst's notes.
--
-- Need-to-know inside a profile:
--   incidents  counted from public.incidents_filtered / incidents_refined (the policies decide
--              which count), shown at the point the caller may see (public.incident_point_for_caller,
--              THE RULE of 30_incidents.sql): in a drawn area a location fuzzed for the caller is
--              not exact, so it is reported as not counted; an exact point the caller may not see
--              never decides anything;
--   contacts   names only for callers the contacts policies let read them (and audited as a
--              'list'); everyone else gets a count of the normal contacts, never restricted ones.

-- ---------------------------------------------------------------------------------------------
-- Community profile of an admin area: one current row per P-code; every change is kept in
-- area_community_history (a trigger), so an analyst's edit or a CSV import can be traced.
create table public.area_community (
  pcode               text primary key references public.areas (pcode),
  population          integer check (population >= 0),
  population_source   text,
  population_date     date,
  idps                integer check (idps >= 0),
  returnees           integer check (returnees >= 0),
  composition         text not null default '' check (length(composition) <= 4000),
  marginalised_groups text not null default '' check (length(marginalised_groups) <= 4000),
  acceptance_issues   text not null default '' check (length(acceptance_issues) <= 4000),
  languages           text[] not null default '{}',
  notes               text not null default '' check (length(notes) <= 20000),
  updated_by          uuid references public.app_users (id) on delete set null,
  updated_at          timestamptz not null default now()
);

alter table public.area_community enable row level security;

create policy "Signed-in users can read community profiles" on public.area_community
  for select to authenticated using ((select public.current_app_role()) is not null);

create policy "Analysts and admins can add community profiles" on public.area_community
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can change community profiles" on public.area_community
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));

grant select, insert, update on public.area_community to authenticated;

create trigger area_community_audit after insert or update or delete on public.area_community
  for each row execute function private.audit_row();

create table public.area_community_history (
  id          bigint generated always as identity primary key,
  pcode       text not null references public.areas (pcode),
  row_data    jsonb not null,
  source      text not null default 'edit' check (source in ('edit', 'import')),
  changed_by  uuid references public.app_users (id) on delete set null,
  changed_at  timestamptz not null default now()
);

create index area_community_history_pcode_idx on public.area_community_history (pcode, changed_at desc);

alter table public.area_community_history enable row level security;

create policy "Signed-in users can read community history" on public.area_community_history
  for select to authenticated using ((select public.current_app_role()) is not null);

-- Only the trigger writes history (security definer); nobody edits or deletes it.
grant select on public.area_community_history to authenticated;

create function private.area_community_keep_history() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  insert into public.area_community_history (pcode, row_data, source, changed_by)
  values (new.pcode, to_jsonb(new) - 'pcode',
          coalesce(nullif(current_setting('terrain.community_source', true), ''), 'edit'), (select auth.uid()));
  return new;
end
$$;

-- After update only: area_community_save inserts an empty row and then updates it, so one
-- save is one history entry.
create trigger area_community_history after update on public.area_community
  for each row execute function private.area_community_keep_history();

-- One area's community profile with its history (newest first). Null fields when none yet.
create function public.area_community_get(p_pcode text) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if not exists (select 1 from public.areas where pcode = p_pcode) then
    raise exception 'pcode: no area with P-code %', coalesce(p_pcode, '(none)') using errcode = 'P0002';
  end if;
  return jsonb_build_object(
    'pcode', p_pcode,
    'profile', (select to_jsonb(c) || jsonb_build_object('updated_by_name', public.app_user_label(c.updated_by))
                from public.area_community c where c.pcode = p_pcode),
    'history', coalesce((select jsonb_agg(jsonb_build_object('row', h.row_data, 'source', h.source,
                   'changed_by_name', public.app_user_label(h.changed_by), 'changed_at', h.changed_at)
                   order by h.changed_at desc, h.id desc)
                 from (select * from public.area_community_history x where x.pcode = p_pcode
                       order by x.changed_at desc, x.id desc limit 100) h), '[]'::jsonb));
end
$$;

-- Saves the fields given (merge semantics: a field left out keeps its value; JSON null clears
-- it). Field errors name the field (22023 → 400); only analysts and admins (42501 → 403).
create function public.area_community_save(p_pcode text, p jsonb, p_source text default 'edit') returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  c public.area_community;
  k text;
begin
  if not (select public.has_app_role('admin', 'analyst')) then
    raise exception 'only analysts and admins can edit community profiles' using errcode = '42501';
  end if;
  if not exists (select 1 from public.areas where pcode = p_pcode) then
    raise exception 'pcode: no area with P-code %', coalesce(p_pcode, '(none)') using errcode = 'P0002';
  end if;
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'body: must be a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p) loop
    if k not in ('population', 'population_source', 'population_date', 'idps', 'returnees', 'composition',
                 'marginalised_groups', 'acceptance_issues', 'languages', 'notes') then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  foreach k in array array['population', 'idps', 'returnees'] loop
    if p ? k and p -> k <> 'null'::jsonb
       and (jsonb_typeof(p -> k) <> 'number' or (p ->> k)::numeric < 0 or (p ->> k)::numeric <> trunc((p ->> k)::numeric)
            or (p ->> k)::numeric > 2000000000) then
      raise exception '%: must be a whole number, 0 or more', k using errcode = '22023';
    end if;
  end loop;
  if p ? 'population_date' and p -> 'population_date' <> 'null'::jsonb
     and coalesce(p ->> 'population_date', '') !~ '^\d{4}-\d{2}-\d{2}$' then
    raise exception 'population_date: must be a date (YYYY-MM-DD)' using errcode = '22023';
  end if;
  if p ? 'languages' and jsonb_typeof(p -> 'languages') <> 'array' then
    raise exception 'languages: must be a list of language names or codes' using errcode = '22023';
  end if;
  perform set_config('terrain.community_source', case when p_source = 'import' then 'import' else 'edit' end, true);
  insert into public.area_community (pcode, updated_by) values (p_pcode, (select auth.uid()))
  on conflict (pcode) do nothing;
  update public.area_community x set
    population = case when p ? 'population' then (p ->> 'population')::integer else x.population end,
    population_source = case when p ? 'population_source' then nullif(btrim(p ->> 'population_source'), '') else x.population_source end,
    population_date = case when p ? 'population_date' then (p ->> 'population_date')::date else x.population_date end,
    idps = case when p ? 'idps' then (p ->> 'idps')::integer else x.idps end,
    returnees = case when p ? 'returnees' then (p ->> 'returnees')::integer else x.returnees end,
    composition = case when p ? 'composition' then coalesce(btrim(p ->> 'composition'), '') else x.composition end,
    marginalised_groups = case when p ? 'marginalised_groups' then coalesce(btrim(p ->> 'marginalised_groups'), '') else x.marginalised_groups end,
    acceptance_issues = case when p ? 'acceptance_issues' then coalesce(btrim(p ->> 'acceptance_issues'), '') else x.acceptance_issues end,
    languages = case when p ? 'languages' then coalesce((select array_agg(btrim(l)) from jsonb_array_elements_text(p -> 'languages') l
                                                          where btrim(l) <> ''), '{}') else x.languages end,
    notes = case when p ? 'notes' then coalesce(p ->> 'notes', '') else x.notes end,
    updated_by = (select auth.uid()),
    updated_at = now()
  where x.pcode = p_pcode
  returning * into c;
  perform set_config('terrain.community_source', '', true);
  return to_jsonb(c);
exception
  when check_violation then
    raise exception '%: too long or out of range', coalesce(nullif(split_part(split_part(sqlerrm, 'area_community_', 2), '_check', 1), ''), 'body')
      using errcode = '22023';
end
$$;

-- A CSV import (the server parses the file and names bad cells by row and column): all rows or
-- none. An unknown P-code names its row (p_rows[i].row, the file's line). Analysts and admins.
create function public.area_community_import(p_rows jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  r jsonb;
  n integer := 0;
begin
  if not (select public.has_app_role('admin', 'analyst')) then
    raise exception 'only analysts and admins can import community profiles' using errcode = '42501';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) = 0 then
    raise exception 'rows: the file has no rows to import' using errcode = '22023';
  end if;
  for r in select * from jsonb_array_elements(p_rows) loop
    if not exists (select 1 from public.areas where pcode = r ->> 'pcode') then
      raise exception 'rows: row %, column pcode: no area with P-code %', coalesce(r ->> 'row', '?'),
        coalesce(r ->> 'pcode', '(empty)') using errcode = '22023';
    end if;
    perform public.area_community_save(r ->> 'pcode', r -> 'fields', 'import');
    n := n + 1;
  end loop;
  perform public.audit_record('import', 'area_community', jsonb_build_object('rows', n));
  return jsonb_build_object('imported', n);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The area a profile covers, from exactly one of: an admin area's P-code, or a GeoJSON geometry
-- (a Polygon or MultiPolygon; a Point, LineString or their Multi- forms with p_buffer_km, which
-- may also widen a polygon). Refuses what would give a wrong or empty profile, naming the
-- argument: a self-intersecting polygon (with where), an area with no surface, more than 5,000
-- vertices (a profile is a planning tool, not a survey: simplify), a radius out of 0–100 km.
create function public.assessment_area_geometry(
  p_area text default null, p_geometry jsonb default null, p_buffer_km double precision default null
) returns geometry
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  g jsonb := case when p_geometry ->> 'type' = 'Feature' then p_geometry -> 'geometry' else p_geometry end;
  v geometry;
  n integer;
begin
  if (p_area is null) = (p_geometry is null) then
    raise exception 'area: give either an admin area P-code (area) or a GeoJSON geometry, not both or neither'
      using errcode = '22023';
  end if;
  if p_buffer_km is not null and not (p_buffer_km > 0 and p_buffer_km <= 100) then
    raise exception 'buffer_km: must be more than 0 and at most 100 km' using errcode = '22023';
  end if;
  if p_area is not null then
    select a.geom into v from public.areas a where a.pcode = p_area;
    if v is null then
      raise exception 'area: no area with P-code %', p_area using errcode = 'P0002';
    end if;
  else
    if g is null or jsonb_typeof(g) <> 'object' or coalesce(g ->> 'type', '') not in
       ('Polygon', 'MultiPolygon', 'Point', 'MultiPoint', 'LineString', 'MultiLineString') then
      raise exception 'geometry: expected a GeoJSON Polygon (or a Point or LineString with buffer_km)'
        using errcode = '22023';
    end if;
    if jsonb_typeof(g -> 'coordinates') <> 'array' or jsonb_array_length(g -> 'coordinates') = 0 then
      raise exception 'geometry: the area is empty (no coordinates)' using errcode = '22023';
    end if;
    begin
      v := st_setsrid(st_geomfromgeojson(g::text), 4326);
    exception when others then
      raise exception 'geometry: not valid GeoJSON (%)', sqlerrm using errcode = '22023';
    end;
    n := st_npoints(v);
    if n > 5000 then
      raise exception 'geometry: has % vertices; at most 5000 (simplify the shape)', n using errcode = '22023';
    end if;
    if st_isempty(v) then
      raise exception 'geometry: the area is empty' using errcode = '22023';
    end if;
    if st_xmin(v) < -180 or st_xmax(v) > 180 or st_ymin(v) < -90 or st_ymax(v) > 90 then
      raise exception 'geometry: coordinates must be longitude, latitude in degrees (WGS 84)' using errcode = '22023';
    end if;
    if not st_isvalid(v) then
      raise exception 'geometry: the polygon is not valid (%); redraw it so that its edges do not cross', st_isvalidreason(v)
        using errcode = '22023';
    end if;
    if geometrytype(v) not in ('POLYGON', 'MULTIPOLYGON') and p_buffer_km is null then
      raise exception 'buffer_km: a point or a route needs a radius in km' using errcode = '22023';
    end if;
    if geometrytype(v) in ('POLYGON', 'MULTIPOLYGON') and st_area(v) = 0 then
      raise exception 'geometry: the area is empty (its polygon has no surface)' using errcode = '22023';
    end if;
  end if;
  if p_buffer_km is not null then
    v := st_multi(st_buffer(v::geography, p_buffer_km * 1000, 'quad_segs=16')::geometry);
  end if;
  return st_multi(v);
end
$$;

-- Contacts in the covered areas or linked to checkpoints inside the area, counted without the
-- caller's RLS: normal contacts for everyone, restricted ones too for analysts and admins (who
-- see them anyway) unless p_normal_only. Only the number leaves this function.
create function sensitive.area_contact_count(p_pcodes text[], p_checkpoints uuid[], p_normal_only boolean default false)
returns bigint
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select count(*) from sensitive.contacts c
  where (c.sensitivity = 'normal' or ((select public.has_app_role('admin', 'analyst')) and not p_normal_only))
    and (select public.current_app_role()) is not null
    and (exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (p_pcodes))
         or exists (select 1 from sensitive.contact_checkpoints cc where cc.contact_id = c.id
                    and cc.checkpoint_id = any (p_checkpoints)))
$$;
revoke all on function sensitive.area_contact_count(text[], uuid[], boolean) from public;
grant execute on function sensitive.area_contact_count(text[], uuid[], boolean) to authenticated;

-- The profile. Security invoker: the caller's policies decide every row. Volatile because the
-- contact names it lists are audited. p_as_of (default: the latest event date the caller sees,
-- so demo data ending in 2018 is not "empty in the last 12 months") ends every window:
--   last_12_months  (as_of − 12 months, as_of]     previous_12_months the 12 months before;
--   all time        everything up to as_of;
--   baseline        the last 4 weeks against the 52 weeks before (public.baseline_classify, the
--                   rule of the baseline table).
-- The covered admin areas are those whose interior meets the area (an area touching only along
-- a border is not covered): the governorate and district around a drawn polygon, a chosen
-- area with its ancestors and the areas inside it.
-- Which incidents count (20261207100000): only those located precisely enough for the area. A
-- point in a polygon is not enough: an event the source knows only as "Northern Iraq" sits at a
-- centre point that falls in some district (206 of them in Tel Afar's polygon in the demo data),
-- and counting it there invents precision. So
--   an admin area  counts what the incident list's area filter counts (incidents_filtered's
--                  p_area: placed in the area by P-code, which the placement does only as deep
--                  as the location supports), so the profile and the list give the same number;
--   a drawn area   counts the exact locations in it (incidents_refined with p_precise_only, the
--                  rule of "counts within a place by location precision", 35_spatial_filters.sql).
-- incidents.coarser_not_counted says how many lie inside (at the point the caller sees) but were
-- not counted, by precision (3 also for a location fuzzed for this caller), so the reader knows.
create function public.assessment_profile(
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
    from (select * from public.incidents_filtered(null, v_to, null, array[p_area]) where p_area is not null
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

-- ---------------------------------------------------------------------------------------------
-- Saved assessments: a title, the question (area, geometry, buffer, as-of), the analyst's notes
-- (Markdown, sanitised where shown), and the profile's numbers as they were when saved. A draft
-- is its author's (and every analyst's) to change; once final it is read-only and readers see it.
--
-- Who reads what:
--   admin, analyst   every assessment;
--   field, viewer    their own drafts, and final assessments in their scope: those covering one
--                    of their assigned areas (with their ancestors and descendants), or every
--                    final one when they have no assigned areas.
-- What a reader who is neither its author nor an analyst gets of the snapshot: the numbers, not
-- the contact names (only the count of normal contacts) nor the incidents' coordinates and lists
-- (public.assessment_json). The incident counts are the author's: finalising says they may be read.
create table public.assessments (
  id            uuid primary key default gen_random_uuid(),
  title         text not null check (length(btrim(title)) between 1 and 200),
  status        text not null default 'draft' check (status in ('draft', 'final')),
  query         jsonb not null,
  covered       text[] not null default '{}',
  notes         text not null default '' check (length(notes) <= 50000),
  snapshot      jsonb not null,
  snapshot_at   timestamptz not null default now(),
  author_id     uuid not null default auth.uid() references public.app_users (id),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  finalised_at  timestamptz
);

create index assessments_covered_idx on public.assessments using gin (covered);

alter table public.assessments enable row level security;

-- The caller's assigned areas with their ancestors and descendants, any role (viewers too);
-- NULL when the caller has none (then every final assessment is in scope).
create function public.caller_area_scope() returns text[]
language sql stable security definer
set search_path = public, pg_temp
as $$
  select case when cardinality(u.assigned_areas) > 0 then public.area_lineage(u.assigned_areas) end
  from public.app_users u where u.id = (select auth.uid()) and not u.disabled
$$;

create policy "Analysts and admins can read every assessment" on public.assessments
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Authors can read their own assessments" on public.assessments
  for select to authenticated using (author_id = (select auth.uid()) and (select public.current_app_role()) is not null);

create policy "Staff can read final assessments in their scope" on public.assessments
  for select to authenticated using (
    status = 'final' and (select public.has_app_role('field', 'viewer'))
    and ((select public.caller_area_scope()) is null or covered && (select public.caller_area_scope())));

create policy "Staff can start assessments in their own name" on public.assessments
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst', 'field')) and author_id = (select auth.uid()) and status = 'draft');

-- The new row may be final (that is how a draft is finalised); only a draft can be changed.
create policy "Authors and analysts can change drafts" on public.assessments
  for update to authenticated using (
    status = 'draft' and ((select public.has_app_role('admin', 'analyst'))
                          or (author_id = (select auth.uid()) and (select public.has_app_role('field')))))
  with check ((select public.has_app_role('admin', 'analyst'))
              or (author_id = (select auth.uid()) and (select public.has_app_role('field'))));

create policy "Authors can delete their drafts, admins any assessment" on public.assessments
  for delete to authenticated using (
    (select public.has_app_role('admin'))
    or (status = 'draft' and author_id = (select auth.uid()) and (select public.has_app_role('analyst', 'field'))));

grant select, insert, update, delete on public.assessments to authenticated;

create trigger assessments_audit after insert or update or delete on public.assessments
  for each row execute function private.audit_row();

-- One assessment as its reader may have it (see the table's note).
create function public.assessment_json(a public.assessments) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(a) - 'snapshot' || jsonb_build_object(
    'author_name', public.app_user_label(a.author_id),
    'snapshot', case when a.author_id = (select auth.uid()) or (select public.has_app_role('admin', 'analyst'))
                     then a.snapshot
                     else jsonb_set(jsonb_set(jsonb_set(a.snapshot, '{contacts}',
                                                        jsonb_build_object('count', coalesce(a.snapshot #> '{contacts,normal_count}', '0'::jsonb))),
                                              '{incidents,points}', '[]'::jsonb),
                                    '{incidents,serious}', '[]'::jsonb) end)
$$;

-- The question kept with an assessment: only the fields a profile reads.
create function public.assessment_query_clean(p jsonb) returns jsonb
language sql immutable
as $$
  select jsonb_strip_nulls(jsonb_build_object('area', p -> 'area', 'geometry', p -> 'geometry',
                                              'buffer_km', p -> 'buffer_km', 'as_of', p -> 'as_of'))
$$;

-- Saves a new draft: runs the profile for p.query and keeps it as the snapshot.
create function public.assessment_create(p_title text, p_query jsonb, p_notes text default '') returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  q jsonb := public.assessment_query_clean(coalesce(p_query, '{}'::jsonb));
  v_profile jsonb;
  a public.assessments;
begin
  if not (select public.has_app_role('admin', 'analyst', 'field')) then
    raise exception 'only field staff, analysts and admins can save assessments' using errcode = '42501';
  end if;
  if p_title is null or length(btrim(p_title)) not between 1 and 200 then
    raise exception 'title: must have 1 to 200 characters' using errcode = '22023';
  end if;
  if length(coalesce(p_notes, '')) > 50000 then
    raise exception 'notes: must have at most 50000 characters' using errcode = '22023';
  end if;
  v_profile := public.assessment_profile(q ->> 'area', q -> 'geometry', (q ->> 'buffer_km')::double precision,
                                         (q ->> 'as_of')::date);
  insert into public.assessments (title, query, covered, notes, snapshot, author_id)
  values (btrim(p_title), q, array(select x ->> 'pcode' from jsonb_array_elements(v_profile -> 'areas') x),
          coalesce(p_notes, ''), v_profile, (select auth.uid()))
  returning * into a;
  return public.assessment_json(a);
end
$$;

create function public.assessment_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select public.assessment_json(a) from public.assessments a where a.id = p_id
$$;

-- The assessments the caller may read, newest first, without their snapshots' lists.
create function public.assessments_list(p_status text default null, p_limit integer default 200) returns jsonb
language plpgsql stable
set search_path = public, pg_temp
as $$
begin
  if p_status is not null and p_status not in ('draft', 'final') then
    raise exception 'status: use draft or final' using errcode = '22023';
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'status', a.status,
            'author_name', public.app_user_label(a.author_id), 'author_id', a.author_id, 'created_at', a.created_at,
            'updated_at', a.updated_at, 'snapshot_at', a.snapshot_at, 'covered', a.covered,
            'mode', a.snapshot #>> '{area,mode}', 'area_km2', a.snapshot #> '{area,area_km2}',
            'incidents_total', a.snapshot #> '{incidents,total}') order by a.updated_at desc, a.id), '[]'::jsonb)
          from (select * from public.assessments x where p_status is null or x.status = p_status
                order by x.updated_at desc, x.id limit least(greatest(coalesce(p_limit, 200), 1), 1000)) a);
end
$$;

-- Changes a draft (merge semantics): title, notes, status ('final' finalises; a final one is
-- never changed again), refresh = true re-runs the profile into the snapshot. 42501 when the
-- caller may not change it; P0002 when it is not there for the caller.
create function public.assessment_update(p_id uuid, p jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  a public.assessments;
  k text;
  v_profile jsonb;
begin
  select * into a from public.assessments where id = p_id;
  if a.id is null then
    raise exception 'id: no assessment %, or not visible to you', p_id using errcode = 'P0002';
  end if;
  if a.status = 'final' then
    raise exception 'status: a final assessment cannot be changed; save a new one' using errcode = '42501';
  end if;
  if not ((select public.has_app_role('admin', 'analyst')) or (a.author_id = (select auth.uid()) and (select public.has_app_role('field')))) then
    raise exception 'only its author or an analyst can change this assessment' using errcode = '42501';
  end if;
  for k in select jsonb_object_keys(coalesce(p, '{}'::jsonb)) loop
    if k not in ('title', 'notes', 'status', 'refresh') then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  if p ? 'title' and (p ->> 'title' is null or length(btrim(p ->> 'title')) not between 1 and 200) then
    raise exception 'title: must have 1 to 200 characters' using errcode = '22023';
  end if;
  if p ? 'notes' and length(coalesce(p ->> 'notes', '')) > 50000 then
    raise exception 'notes: must have at most 50000 characters' using errcode = '22023';
  end if;
  if p ? 'status' and coalesce(p ->> 'status', '') not in ('draft', 'final') then
    raise exception 'status: use draft or final' using errcode = '22023';
  end if;
  if coalesce((p ->> 'refresh')::boolean, false) then
    v_profile := public.assessment_profile(a.query ->> 'area', a.query -> 'geometry', (a.query ->> 'buffer_km')::double precision,
                                           (a.query ->> 'as_of')::date);
  end if;
  update public.assessments x set
    title = case when p ? 'title' then btrim(p ->> 'title') else x.title end,
    notes = case when p ? 'notes' then coalesce(p ->> 'notes', '') else x.notes end,
    status = coalesce(p ->> 'status', x.status),
    finalised_at = case when p ->> 'status' = 'final' then now() else x.finalised_at end,
    snapshot = coalesce(v_profile, x.snapshot),
    snapshot_at = case when v_profile is null then x.snapshot_at else now() end,
    covered = case when v_profile is null then x.covered
                   else array(select y ->> 'pcode' from jsonb_array_elements(v_profile -> 'areas') y) end,
    updated_at = now()
  where x.id = p_id
  returning * into a;
  return public.assessment_json(a);
end
$$;

-- Runs a saved assessment's question again, now: the current profile beside the saved one (the
-- server lists what changed). The saved snapshot is untouched.
create function public.assessment_rerun(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  a public.assessments;
begin
  select * into a from public.assessments where id = p_id;
  if a.id is null then
    raise exception 'id: no assessment %, or not visible to you', p_id using errcode = 'P0002';
  end if;
  return jsonb_build_object(
    'assessment', public.assessment_json(a),
    'current', public.assessment_profile(a.query ->> 'area', a.query -> 'geometry', (a.query ->> 'buffer_km')::double precision,
                                         (a.query ->> 'as_of')::date));
end
$$;

create function public.assessment_delete(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare n integer;
begin
  delete from public.assessments where id = p_id;
  get diagnostics n = row_count;
  if n = 0 then
    if exists (select 1 from public.assessments where id = p_id) then
      raise exception 'only its author (a draft) or an admin can delete this assessment' using errcode = '42501';
    end if;
    raise exception 'id: no assessment %, or not visible to you', p_id using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;
