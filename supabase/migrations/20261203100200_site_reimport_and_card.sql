-- Site re-import and the companion card (issue 9).

-- Displacement locations can be imported like camps.
alter table public.import_jobs drop constraint if exists import_jobs_target_check;
alter table public.import_jobs add constraint import_jobs_target_check
  check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors', 'displacement_locations'));
alter table public.import_mappings drop constraint if exists import_mappings_target_check;
alter table public.import_mappings add constraint import_mappings_target_check
  check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors', 'displacement_locations'));

-- Sites of one registry from pg_temp.import_work. Replaces the upsert of
-- 20261122001001_imports.sql, which matched only by upstream id (a file without ids, or a new
-- source name, duplicated every site) and never set a checkpoint's status or verification.
-- Each row now matches an existing site by (source, upstream id), else by the same name within
-- the admin's match distance (site_match_m, default 500 m); it then goes through site_write, so
-- every mapped field is updated, a row that changes nothing writes nothing, and the answer lists
-- what changed ({row, id, name, action, matched_by, fields}).
create or replace function public.import_commit_sites(j public.import_jobs) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  w record; p jsonb; v_id uuid; v_by text; r jsonb;
  v_cols text[] := public.site_columns(j.target);
  v_m float8 := (public.app_settings_get() ->> 'site_match_m')::float8;
  n_ins integer := 0; n_upd integer := 0; n_same integer := 0;
  v_changes jsonb := '[]'::jsonb;
begin
  for w in select * from pg_temp.import_work order by ord loop
    -- The fields the file maps; a blank cell in a column that cannot be empty keeps the value.
    select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) into p
    from jsonb_each(w.data) e
    where e.key = any (v_cols)
      and not (jsonb_typeof(e.value) = 'null'
               and e.key in ('name', 'status', 'camp_type', 'facility_type', 'site_type', 'notes', 'services',
                             'supported', 'shelter', 'upstream_id'));
    if j.target = 'checkpoints' and p ? 'controlled_by' then
      p := p || jsonb_build_object('controlling_actor_id',
        (select a.id from public.actors a where lower(a.name) = lower(p ->> 'controlled_by') order by a.created_at limit 1));
    end if;
    p := p || jsonb_build_object('lon', w.lon, 'lat', w.lat);

    v_id := null; v_by := null;
    if p ->> 'upstream_id' is not null then
      execute format('select id from public.%I where upstream_source = $1 and upstream_id = $2', j.target)
        into v_id using j.source, p ->> 'upstream_id';
      if v_id is not null then v_by := 'upstream_id'; end if;
    end if;
    if v_id is null and p ? 'name' then
      execute format('select s.id from public.%I s
                      where lower(trim(s.name)) = lower(trim($1))
                        and st_dwithin(s.geom::geography, st_setsrid(st_makepoint($2, $3), 4326)::geography, $4)
                      order by s.geom::geography <-> st_setsrid(st_makepoint($2, $3), 4326)::geography limit 1', j.target)
        into v_id using p ->> 'name', w.lon, w.lat, v_m;
      if v_id is not null then v_by := 'name_and_distance'; end if;
    end if;

    r := public.site_write(j.target, v_id, p, j.source);
    -- A site first matched by name takes the file's id, so the next import matches it by id.
    if v_by = 'name_and_distance' and p ->> 'upstream_id' is not null then
      execute format('update public.%I set upstream_source = $1 where id = $2 and upstream_source is distinct from $1', j.target)
        using j.source, v_id;
    end if;
    if (r ->> 'inserted')::boolean then
      n_ins := n_ins + 1;
    elsif jsonb_array_length(r -> 'changed') > 0 then
      n_upd := n_upd + 1;
    else
      n_same := n_same + 1;
    end if;
    if jsonb_array_length(r -> 'changed') > 0 and jsonb_array_length(v_changes) < 500 then
      v_changes := v_changes || jsonb_build_object('row', w.ord, 'id', r ->> 'id', 'name', p ->> 'name',
        'action', case when (r ->> 'inserted')::boolean then 'inserted' else 'updated' end,
        'matched_by', v_by, 'fields', case when (r ->> 'inserted')::boolean then '[]'::jsonb else r -> 'changed' end);
    end if;
  end loop;
  return jsonb_build_object('inserted', n_ins, 'updated', n_upd, 'unchanged', n_same, 'changes', v_changes);
end
$$;

-- The companion card prints exactly the contacts ticked "On the companion card" (the emergency
-- flag) that the caller may see (RLS: need-to-know), with all their phones and call signs.
-- Replaces 20261122002004_companion_card_normal_only.sql, which printed every normal contact
-- within 50 km instead. Restricted contacts stay off the card whoever prints it (that
-- migration's reason: a lost card must not name them).
create or replace function public.companion_card(p_site_id uuid, p_limit integer default 40) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare s public.org_sites; v_contacts jsonb; v_ids uuid[]; v_near jsonb;
begin
  perform sensitive.require_contact_reader();
  select * into s from public.org_sites where id = p_site_id;
  if s.id is null then
    return null;
  end if;
  select coalesce(jsonb_agg(sensitive.contact_json(c) order by lower(c.full_name)), '[]'::jsonb),
         coalesce(array_agg(c.id), '{}')
    into v_contacts, v_ids
  from sensitive.contacts c
  where c.id in (select t.id from sensitive.contacts t where t.emergency and t.sensitivity = 'normal'
                 order by lower(t.full_name) limit greatest(coalesce(p_limit, 40), 0));
  -- The areas and the nearest checkpoints of the site, for the card's header and footer.
  select jsonb_build_object(
      'areas', coalesce((select jsonb_agg(jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                          'name_ar', a.name_ar) order by a.level desc)
                        from public.areas a where st_intersects(a.geom, s.geom)), '[]'::jsonb),
      'checkpoints', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'name_ar', k.name_ar,
                          'status', k.status, 'distance_m', round(k.d::numeric)) order by k.d)
                        from (select k.*, st_distance(k.geom::geography, s.geom::geography) as d from public.checkpoints k
                              where st_dwithin(k.geom::geography, s.geom::geography, 50000)
                              order by k.geom::geography <-> s.geom::geography limit 5) k), '[]'::jsonb))
    into v_near;
  perform public.audit_note('card', 'contacts', jsonb_build_object('site_id', s.id, 'site', s.name,
    'count', cardinality(v_ids), 'ids', to_jsonb(v_ids)));
  return jsonb_build_object(
    'site', jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
                               'lon', st_x(s.geom), 'lat', st_y(s.geom), 'is_sample', s.is_sample),
    'areas', v_near -> 'areas',
    'checkpoints', v_near -> 'checkpoints',
    'contacts', v_contacts,
    'generated_at', now());
end
$$;

-- One relationship as stored, for PATCH /api/v1/relationships/{id} (merge semantics: the stored
-- fields fill in what the request does not send). RLS decides whether the caller sees it.
create function public.relationship_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(r) from public.relationships r where r.id = p_id
$$;
