set check_function_bodies = off;

-- Migration 20261205030000.
-- Briefing packs for incoming staff, one or more per base (an org site). What an analyst writes
-- is kept here: a narrative of the context and the cultural and social customs, each in up to
-- four languages ({en, ar, ku, fr}: the reader gets theirs, optionally a second side by side).
-- Everything else in a pack is compiled for the reader when it is read (public.briefing_pack):
-- the current security levels of the base's areas with the movement rule of each level, recent
-- incidents, key actors, emergency and key contacts under need-to-know, hibernation sites and
-- assembly points. So a pack is never out of date, and a viewer's copy holds only what a viewer
-- may see: contacts are for field staff, analysts and admins (restricted ones for analysts and
-- admins only, as the contacts policies say); viewers get a line telling them whom to ask.
--
-- Who reads what, as for reports: analysts and admins every pack; the author their own; everyone
-- else only final packs whose base lies in their scope (a field user's assigned areas).
-- Every save keeps the previous content in briefing_pack_versions.
--
-- "Read and understood": each staff member acknowledges a final pack's version (who, when, which
-- version, in which language). Acknowledgements are append-only: a new version asks again.
-- Everyone reads their own; analysts and admins read all of them.
create table public.briefing_packs (
  id             uuid primary key default gen_random_uuid(),
  base_id        uuid not null references public.org_sites (id),
  title          text not null check (length(btrim(title)) between 1 and 300),
  status         text not null default 'draft' check (status in ('draft', 'final')),
  narrative      jsonb not null default '{}' check (jsonb_typeof(narrative) = 'object'),
  customs        jsonb not null default '{}' check (jsonb_typeof(customs) = 'object'),
  classification text not null default 'Restricted' check (length(classification) between 1 and 100),
  version        integer not null default 1,
  created_by     uuid not null default auth.uid() references public.app_users (id),
  created_at     timestamptz not null default now(),
  updated_by     uuid references public.app_users (id),
  updated_at     timestamptz not null default now(),
  finalised_at   timestamptz
);
create index briefing_packs_base_idx on public.briefing_packs (base_id, updated_at desc);

create table public.briefing_pack_versions (
  pack_id   uuid not null references public.briefing_packs (id) on delete cascade,
  version   integer not null,
  content   jsonb not null,
  saved_by  uuid references public.app_users (id),
  saved_at  timestamptz not null default now(),
  primary key (pack_id, version)
);

create table public.briefing_acknowledgements (
  pack_id          uuid not null references public.briefing_packs (id) on delete cascade,
  version          integer not null,
  user_id          uuid not null default auth.uid() references public.app_users (id),
  language         text not null default 'en' check (language in ('en', 'ar', 'ku', 'fr')),
  acknowledged_at  timestamptz not null default now(),
  primary key (pack_id, user_id, version)
);

alter table public.briefing_packs enable row level security;
alter table public.briefing_pack_versions enable row level security;
alter table public.briefing_acknowledgements enable row level security;

-- A pack's base against the caller's scope (the base's governorate, as for a base's sitrep).
create function public.briefing_in_scope(p_base uuid) returns boolean
language sql stable security definer
set search_path = public, extensions, pg_temp
as $$
  select public.report_in_scope((select coalesce(s.admin1_pcode, public.area_at(st_x(s.geom), st_y(s.geom), 1))
                                 from public.org_sites s where s.id = p_base))
$$;
revoke execute on function public.briefing_in_scope(uuid) from public, anon;
grant execute on function public.briefing_in_scope(uuid) to authenticated;

create policy "Analysts and admins can read every briefing pack" on public.briefing_packs
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Authors can read their own briefing packs" on public.briefing_packs
  for select to authenticated using (created_by = (select auth.uid()));
create policy "Signed-in users can read final briefing packs in their scope" on public.briefing_packs
  for select to authenticated using (
    status = 'final' and (select public.current_app_role()) is not null and public.briefing_in_scope(base_id));
create policy "Analysts and admins can write briefing packs in their own name" on public.briefing_packs
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and created_by = (select auth.uid()));
create policy "Analysts and admins can change briefing packs" on public.briefing_packs
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Admins can delete briefing packs" on public.briefing_packs
  for delete to authenticated using ((select public.has_app_role('admin')));

create policy "Analysts and admins can read briefing pack versions" on public.briefing_pack_versions
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can keep briefing pack versions" on public.briefing_pack_versions
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and saved_by = (select auth.uid()));

create policy "Users can read their own acknowledgements" on public.briefing_acknowledgements
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Analysts and admins can read every acknowledgement" on public.briefing_acknowledgements
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Users can acknowledge the current version of a final pack they can read" on public.briefing_acknowledgements
  for insert to authenticated with check (
    user_id = (select auth.uid()) and (select public.current_app_role()) is not null
    and exists (select 1 from public.briefing_packs p
                where p.id = pack_id and p.status = 'final' and p.version = briefing_acknowledgements.version));

grant select, insert, update, delete on public.briefing_packs to authenticated;
grant select, insert on public.briefing_pack_versions to authenticated;
grant select, insert on public.briefing_acknowledgements to authenticated;

create trigger briefing_packs_audit after insert or update or delete on public.briefing_packs
  for each row execute function private.audit_row();
create trigger briefing_acknowledgements_audit after insert on public.briefing_acknowledgements
  for each row execute function private.audit_row();

-- The stored part of a pack as the API shows it, with the caller's own acknowledgement of the
-- current version (null when the caller cannot read the pack).
create function public.briefing_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'id', p.id, 'base_id', p.base_id, 'base_name', (select s.name from public.org_sites s where s.id = p.base_id),
    'title', p.title, 'status', p.status, 'narrative', p.narrative, 'customs', p.customs,
    'classification', p.classification, 'version', p.version, 'created_by', p.created_by,
    'author', public.app_user_label(p.created_by), 'created_at', p.created_at, 'updated_at', p.updated_at,
    'finalised_at', p.finalised_at,
    'my_acknowledgement', (select jsonb_build_object('version', a.version, 'acknowledged_at', a.acknowledged_at,
                                                     'language', a.language)
                           from public.briefing_acknowledgements a
                           where a.pack_id = p.id and a.user_id = (select auth.uid())
                           order by a.version desc limit 1),
    'versions', coalesce((select jsonb_agg(jsonb_build_object('version', v.version, 'saved_at', v.saved_at,
                                                              'saved_by', public.app_user_label(v.saved_by))
                                           order by v.version desc)
                          from public.briefing_pack_versions v where v.pack_id = p.id), '[]'::jsonb))
  from public.briefing_packs p where p.id = p_id
$$;

create function public.briefings_list(p_base uuid default null, p_limit integer default 200) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(x.j order by x.updated_at desc), '[]'::jsonb)
  from (select jsonb_build_object('id', p.id, 'base_id', p.base_id, 'base_name', s.name, 'title', p.title,
                                  'status', p.status, 'version', p.version, 'author', public.app_user_label(p.created_by),
                                  'updated_at', p.updated_at,
                                  'acknowledged', exists (select 1 from public.briefing_acknowledgements a
                                                          where a.pack_id = p.id and a.version = p.version
                                                            and a.user_id = (select auth.uid()))) as j,
               p.updated_at
        from public.briefing_packs p join public.org_sites s on s.id = p.base_id
        where p_base is null or p.base_id = p_base
        order by p.updated_at desc limit least(greatest(coalesce(p_limit, 200), 1), 1000)) x
$$;

-- Create (p_id null) or change a pack; a change keeps the previous content as a version and needs
-- the version it was based on (p_version; a stale one is refused, 409).
-- p: {base_id, title, status, narrative: {en?, ar?, ku?, fr?}, customs: {…}, classification};
-- a change merges the keys sent (narrative and customs merge per language).
create function public.briefing_save(p_id uuid, p jsonb, p_version integer default null) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  r public.briefing_packs;
  k text;
  f text;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'briefing packs are written by analysts and admins' using errcode = '42501';
  end if;
  foreach f in array array['narrative', 'customs'] loop
    if p ? f then
      if jsonb_typeof(p -> f) <> 'object' then
        raise exception '%: an object of Markdown texts by language {en, ar, ku, fr}', f using errcode = '22023';
      end if;
      for k in select jsonb_object_keys(p -> f) loop
        if k not in ('en', 'ar', 'ku', 'fr') or jsonb_typeof(p -> f -> k) <> 'string'
           or length(p -> f ->> k) > 50000 then
          raise exception '%: each language (en, ar, ku, fr) is a Markdown text of at most 50000 characters', f
            using errcode = '22023';
        end if;
      end loop;
    end if;
  end loop;
  if p ? 'status' and (p ->> 'status') not in ('draft', 'final') then
    raise exception 'status: draft or final' using errcode = '22023';
  end if;
  if p ? 'base_id' and not exists (select 1 from public.org_sites s where s.id::text = p ->> 'base_id') then
    raise exception 'base_id: no site with this id' using errcode = '22023';
  end if;
  if p_id is null then
    if coalesce(btrim(p ->> 'title'), '') = '' then
      raise exception 'title: required' using errcode = '22023';
    end if;
    if p ->> 'base_id' is null then
      raise exception 'base_id: the base this pack briefs for is required' using errcode = '22023';
    end if;
    insert into public.briefing_packs (base_id, title, status, narrative, customs, classification, finalised_at)
    values ((p ->> 'base_id')::uuid, btrim(p ->> 'title'), coalesce(p ->> 'status', 'draft'),
            coalesce(p -> 'narrative', '{}'), coalesce(p -> 'customs', '{}'),
            coalesce(nullif(btrim(p ->> 'classification'), ''), 'Restricted'),
            case when p ->> 'status' = 'final' then now() end)
    returning * into r;
    return public.briefing_get(r.id);
  end if;
  select * into r from public.briefing_packs where id = p_id for update;
  if r.id is null then
    raise exception 'briefing pack: not found' using errcode = 'P0002';
  end if;
  if p_version is not null and p_version <> r.version then
    raise exception 'version: this briefing pack was changed meanwhile (now version %)', r.version using errcode = '23505';
  end if;
  insert into public.briefing_pack_versions (pack_id, version, content, saved_by)
  values (r.id, r.version, jsonb_build_object('base_id', r.base_id, 'title', r.title, 'status', r.status,
          'narrative', r.narrative, 'customs', r.customs, 'classification', r.classification), auth.uid());
  update public.briefing_packs set
    base_id = coalesce((p ->> 'base_id')::uuid, base_id),
    title = coalesce(nullif(btrim(p ->> 'title'), ''), title),
    status = coalesce(p ->> 'status', status),
    narrative = narrative || coalesce(p -> 'narrative', '{}'),
    customs = customs || coalesce(p -> 'customs', '{}'),
    classification = coalesce(nullif(btrim(p ->> 'classification'), ''), classification),
    finalised_at = case when coalesce(p ->> 'status', status) = 'final' then coalesce(finalised_at, now()) end,
    version = version + 1,
    updated_by = auth.uid(),
    updated_at = now()
  where id = r.id;
  return public.briefing_get(r.id);
end
$$;

-- "Read and understood": the caller acknowledges the version they read (p_version, default the
-- current one). Only a final pack's current version can be acknowledged; acknowledging it again
-- changes nothing and answers the first acknowledgement.
create function public.briefing_acknowledge(p_id uuid, p_version integer default null, p_language text default 'en')
returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  r public.briefing_packs;
  a public.briefing_acknowledgements;
begin
  select * into r from public.briefing_packs where id = p_id;
  if r.id is null then
    raise exception 'briefing pack: not found' using errcode = 'P0002';
  end if;
  if r.status <> 'final' then
    raise exception 'status: only a final briefing pack can be acknowledged' using errcode = '22023';
  end if;
  if p_version is not null and p_version <> r.version then
    raise exception 'version: you read version %, the pack is now version %; read it again', p_version, r.version
      using errcode = '23505';
  end if;
  if coalesce(p_language, 'en') not in ('en', 'ar', 'ku', 'fr') then
    raise exception 'language: en, ar, ku or fr' using errcode = '22023';
  end if;
  insert into public.briefing_acknowledgements (pack_id, version, language)
  values (r.id, r.version, coalesce(p_language, 'en'))
  on conflict (pack_id, user_id, version) do nothing;
  select * into a from public.briefing_acknowledgements
  where pack_id = r.id and user_id = auth.uid() and version = r.version;
  return jsonb_build_object('pack_id', a.pack_id, 'version', a.version, 'user_id', a.user_id,
                            'language', a.language, 'acknowledged_at', a.acknowledged_at);
end
$$;

-- Who acknowledged which version, and when (analysts and admins: everyone; others: themselves).
create function public.briefing_acknowledgements(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('user_id', a.user_id, 'user', public.app_user_label(a.user_id),
                                               'version', a.version, 'language', a.language,
                                               'acknowledged_at', a.acknowledged_at,
                                               'current', a.version = p.version)
                            order by a.acknowledged_at desc), '[]'::jsonb)
  from public.briefing_acknowledgements a join public.briefing_packs p on p.id = a.pack_id
  where a.pack_id = p_id
$$;

-- The pack compiled for the reader: the stored texts plus what the data says today, all under
-- the reader's RLS. Volatile: the contacts it names are audited like the companion card's.
--   levels     the level in force for the base's governorate, district and sub-district, with
--              the movement rule of each level, and the whole scale (every level's rule);
--   incidents  the 90 days up to p_as_of (default: the latest event the reader sees) in the
--              base's governorate: counts by type, the serious / NGO-affecting ones listed (place
--              names fuzzed as for every emitter), and the points for the small map;
--   actors     present in the base's governorate or district, by influence;
--   contacts   emergency contacts and those of the base's areas, for field staff, analysts and
--              admins as the contacts policies let them read (restricted ones for analysts and
--              admins only); null for everyone else, with contacts_hidden true;
--   sites      hibernation sites and assembly points within 100 km, and the 5 nearest
--              checkpoints within 50 km, with distances.
create function public.briefing_pack(p_id uuid, p_as_of date default null) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
set jit = off
as $$
declare
  r public.briefing_packs;
  s public.org_sites;
  v_scope text[] := public.caller_location_scope();
  v_areas text[];
  v_gov text;
  v_to date;
  v_contacts jsonb := null;
  v_ids uuid[];
  v jsonb;
begin
  select * into r from public.briefing_packs where id = p_id;
  if r.id is null then
    return null;
  end if;
  select * into s from public.org_sites where id = r.base_id;
  select coalesce(array_agg(a.pcode order by a.level), '{}') into v_areas
  from public.areas a where st_intersects(a.geom, s.geom);
  v_gov := coalesce(s.admin1_pcode, public.area_at(st_x(s.geom), st_y(s.geom), 1));
  v_to := coalesce(p_as_of, (select max(f.event_date) from public.incidents_filtered(null, null, null, array_remove(array[v_gov], null)) f),
                   current_date);

  if (select public.has_app_role('admin', 'analyst', 'field')) then
    select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'full_name', c.full_name, 'name_ar', c.name_ar,
             'role_title', c.role_title, 'organisation', (select ac.name from public.actors ac where ac.id = c.actor_id),
             'emergency', c.emergency, 'sensitivity', c.sensitivity,
             'phones', coalesce((select jsonb_agg(ph.number order by ph.position, ph.number)
                                 from sensitive.contact_phones ph where ph.contact_id = c.id), '[]'::jsonb))
             order by c.emergency desc, lower(c.full_name), c.id), '[]'::jsonb),
           coalesce(array_agg(c.id), '{}')
      into v_contacts, v_ids
    from (select c.* from sensitive.contacts c
          where c.emergency
             or exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (v_areas))
          order by c.emergency desc, lower(c.full_name), c.id limit 60) c;
    perform public.audit_record('list', 'contacts', jsonb_build_object(
      'count', cardinality(v_ids), 'ids', to_jsonb(v_ids), 'filters', jsonb_build_object('briefing_pack', r.id)));
  end if;

  with inc as materialized (
    select f.id, f.event_date, f.event_type, f.fatalities, f.serious, f.affects_ngos, f.affects_us,
           public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode,
                                            v_scope) as location_name,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    from public.incidents_filtered(v_to - 89, v_to, null, array_remove(array[v_gov], null)) f
  ),
  lv as (
    select x from jsonb_array_elements(public.area_levels_current(null, null)) x
    where x ->> 'pcode' = any (v_areas)
  )
  select jsonb_build_object(
    'pack', public.briefing_get(r.id),
    'base', jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
                               'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                                                           'name_ar', a.name_ar) order by a.level)
                       from public.areas a where a.pcode = any (v_areas)), '[]'::jsonb),
    'levels', coalesce((select jsonb_agg(lv.x || jsonb_build_object('movement',
                          (select sc.movement from public.security_level_scale sc where sc.level = (lv.x ->> 'level')::int))
                          order by (lv.x ->> 'area_level')::int) from lv), '[]'::jsonb),
    'scale', (select jsonb_agg(jsonb_build_object('level', sc.level, 'key', sc.key, 'name', sc.name,
                                                  'colour', sc.colour, 'movement', sc.movement) order by sc.level)
              from public.security_level_scale sc),
    'incidents', jsonb_build_object(
      'from', v_to - 89, 'to', v_to, 'area_pcode', v_gov,
      'total', (select count(*) from inc),
      'fatalities', (select coalesce(sum(fatalities), 0) from inc),
      'by_type', coalesce((select jsonb_agg(jsonb_build_object('event_type', t.event_type, 'n', t.n) order by t.n desc, t.event_type)
                           from (select event_type, count(*) as n from inc group by 1) t), '[]'::jsonb),
      'notable', coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'event_date', n.event_date,
                            'event_type', n.event_type, 'location_name', n.location_name, 'fatalities', n.fatalities,
                            'serious', n.serious, 'affects_ngos', n.affects_ngos) order by n.event_date desc, n.id)
                           from (select * from inc where serious or affects_ngos or affects_us
                                 order by event_date desc, id limit 25) n), '[]'::jsonb),
      'points', coalesce((select jsonb_agg(jsonb_build_array(round(st_x(p.pt)::numeric, 5), round(st_y(p.pt)::numeric, 5),
                                                             p.event_type))
                          from (select pt, event_type from inc where pt is not null order by event_date desc, id limit 2000) p),
                         '[]'::jsonb)),
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'name', x.name, 'name_ar', x.name_ar,
                          'actor_type', x.actor_type, 'stance', x.stance, 'influence', x.influence)
                          order by x.influence desc nulls last, x.name)
                        from (select distinct on (ac.id) ac.id, ac.name, ac.name_ar, ac.actor_type, ac.stance, ac.influence
                              from public.actor_presence p join public.actors ac on ac.id = p.actor_id
                              where (p.valid_to is null or p.valid_to >= v_to)
                                and (p.pcode = any (v_areas)
                                     or (p.geom is not null and st_intersects(p.geom, s.geom)))
                              order by ac.id) x), '[]'::jsonb),
    'contacts', v_contacts,
    'contacts_hidden', v_contacts is null,
    'sites', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name, 'site_type', o.site_type,
                          'lon', round(st_x(o.geom)::numeric, 5), 'lat', round(st_y(o.geom)::numeric, 5),
                          'distance_km', round((o.d / 1000)::numeric, 1)) order by o.site_type, o.d)
                       from (select o.*, st_distance(o.geom::geography, s.geom::geography) as d from public.org_sites o
                             where o.site_type in ('hibernation_site', 'assembly_point') and o.status = 'open'
                               and st_dwithin(o.geom::geography, s.geom::geography, 100000)) o), '[]'::jsonb),
    'checkpoints', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'status', k.status,
                          'distance_km', round((k.d / 1000)::numeric, 1)) order by k.d)
                        from (select k.*, st_distance(k.geom::geography, s.geom::geography) as d from public.checkpoints k
                              where st_dwithin(k.geom::geography, s.geom::geography, 50000)
                              order by k.geom::geography <-> s.geom::geography limit 5) k), '[]'::jsonb),
    'generated_at', now())
  into v;
  return v;
end
$$;

do $$
declare f text;
begin
  foreach f in array array[
    'public.briefing_get(uuid)',
    'public.briefings_list(uuid, integer)',
    'public.briefing_save(uuid, jsonb, integer)',
    'public.briefing_acknowledge(uuid, integer, text)',
    'public.briefing_acknowledgements(uuid)',
    'public.briefing_pack(uuid, date)'] loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated', f);
  end loop;
end
$$;
