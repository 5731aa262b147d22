set check_function_bodies = off;

-- Contacts: the people a team calls when it has a problem in the field or at a checkpoint — local
-- authorities, security entities, community leaders, health facility staff. The most sensitive
-- data Terrain holds: a leaked list of armed-group interlocutors can get people hurt.
--
-- Need-to-know, enforced here by RLS in every database mode:
--   admin, analyst  read every contact (normal and restricted), add, change and delete them;
--   field           read and update the NORMAL contacts of the areas they are assigned to
--                   (app_users.assigned_areas): a contact responsible for one of those areas, for
--                   an area inside one, or for the governorate/district containing one, and a
--                   contact linked to a checkpoint located in one. They may correct numbers and
--                   mark a contact verified, never widen its areas, make it restricted, add or
--                   delete contacts;
--   viewer, anon    nothing.
--
-- Every read is audited. The functions that serve contact details (contact_get, contacts_list,
-- contacts_nearby, companion_card) write one audit_record per call naming the contacts returned;
-- exports (contacts_export, CSV/vCard) are for analysts and admins only and audited the same way.
-- The tables live in their own schema, `sensitive`, which Supabase's Data API does not expose:
-- on a Supabase project, too, the only way to a contact's details is through these audited
-- functions (RLS still filters the rows those security-invoker functions see).

create schema if not exists sensitive;

revoke all on schema sensitive from public;

grant usage on schema sensitive to authenticated;

-- Messaging handles: [{service, handle}], services from a fixed list.
create function sensitive.valid_messaging(p jsonb) returns boolean
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select jsonb_typeof(p) = 'array' and not exists (
    select 1 from jsonb_array_elements(p) e
    where jsonb_typeof(e) <> 'object'
       or coalesce(e ->> 'service', '') not in ('whatsapp', 'signal', 'telegram', 'viber', 'thuraya', 'email', 'other')
       or length(trim(coalesce(e ->> 'handle', ''))) = 0)
$$;

-- Languages as BCP 47 primary tags (en, ar, ckb, kmr, tr, syr …).
create function sensitive.valid_languages(p text[]) returns boolean
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select not exists (select 1 from unnest(p) l where l !~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$')
$$;

create table sensitive.contacts (
  id                uuid primary key default gen_random_uuid(),
  full_name         text not null check (length(trim(full_name)) > 0),
  name_ar           text,
  role_title        text not null default '',
  -- The organisation the person belongs to or speaks for.
  actor_id          uuid references public.actors (id),
  call_sign         text,
  messaging         jsonb not null default '[]' check (sensitive.valid_messaging(messaging)),
  languages         text[] not null default '{}' check (sensitive.valid_languages(languages)),
  sensitivity       text not null default 'normal' check (sensitivity in ('normal', 'restricted')),
  -- On the printable companion card of the bases near the contact's areas.
  emergency         boolean not null default false,
  notes             text not null default '',
  last_verified_at  timestamptz,
  last_verified_by  uuid references public.app_users (id) on delete set null,
  created_by        uuid references public.app_users (id) on delete set null,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);

create index contacts_actor_idx on sensitive.contacts (actor_id);

-- Numbers are stored in E.164 (+9647501234567); the server parses what people type with
-- libphonenumber and this check refuses anything else.
create table sensitive.contact_phones (
  id          uuid primary key default gen_random_uuid(),
  contact_id  uuid not null references sensitive.contacts (id) on delete cascade,
  number      text not null check (number ~ '^\+[1-9][0-9]{6,14}$'),
  phone_type  text not null default 'mobile'
              check (phone_type in ('mobile', 'landline', 'satellite', 'office', 'home', 'other')),
  label       text not null default '',
  position    smallint not null default 0,
  constraint contact_phones_unique unique (contact_id, number)
);

-- Areas of responsibility, by P-code (any level).
create table sensitive.contact_areas (
  contact_id  uuid not null references sensitive.contacts (id) on delete cascade,
  pcode       text not null references public.areas (pcode),
  primary key (contact_id, pcode)
);

create index contact_areas_pcode_idx on sensitive.contact_areas (pcode);

-- Checkpoints the person can help with. A deleted checkpoint takes its links with it.
create table sensitive.contact_checkpoints (
  contact_id     uuid not null references sensitive.contacts (id) on delete cascade,
  checkpoint_id  uuid not null references public.checkpoints (id) on delete cascade,
  primary key (contact_id, checkpoint_id)
);

create index contact_checkpoints_checkpoint_idx on sensitive.contact_checkpoints (checkpoint_id);

create function sensitive.contacts_before_write() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  new.full_name := trim(new.full_name);
  new.name_ar := nullif(trim(coalesce(new.name_ar, '')), '');
  new.call_sign := nullif(trim(coalesce(new.call_sign, '')), '');
  if tg_op = 'INSERT' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
    if new.last_verified_at is not null then
      new.last_verified_by := coalesce((select auth.uid()), new.last_verified_by);
    end if;
  else
    new.updated_at := now();
    new.created_by := old.created_by;
    -- Who verified is whoever set the date, never what the client claims.
    if new.last_verified_at is distinct from old.last_verified_at then
      new.last_verified_by := coalesce((select auth.uid()), new.last_verified_by);
    else
      new.last_verified_by := old.last_verified_by;
    end if;
  end if;
  return new;
end
$$;

create trigger contacts_before_write before insert or update on sensitive.contacts
  for each row execute function sensitive.contacts_before_write();

do $$
declare t text;
begin
  foreach t in array array['contacts', 'contact_phones', 'contact_areas', 'contact_checkpoints'] loop
    execute format('alter table sensitive.%I enable row level security', t);
    execute format('grant select, insert, update, delete on sensitive.%I to authenticated', t);
    execute format('create trigger %1$s_audit after insert or update or delete on sensitive.%1$I
                    for each row execute function private.audit_row()', t);
  end loop;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Need-to-know helpers. Security definer: they read app_users and the link tables without the
-- caller's RLS (policies on contacts cannot query contact_areas under RLS: each table's policies
-- would recurse into the other's).

-- A field user's assigned areas with their ancestors and descendants (contact responsibilities
-- match at any level); empty for every other role.
create function sensitive.my_area_scope() returns text[]
language sql stable security definer
set search_path = public, pg_temp
as $$
  select coalesce((select public.area_lineage(u.assigned_areas) from public.app_users u
                   where u.id = (select auth.uid()) and u.role = 'field' and not u.disabled), '{}')
$$;

-- A field user's assigned areas and everything inside them (where a checkpoint may lie).
create function sensitive.my_area_scope_down() returns text[]
language sql stable security definer
set search_path = public, pg_temp
as $$
  with recursive down as (
    select a.pcode from public.areas a, public.app_users u
    where u.id = (select auth.uid()) and u.role = 'field' and not u.disabled and a.pcode = any (u.assigned_areas)
    union
    select c.pcode from public.areas c join down on c.parent_pcode = down.pcode
  )
  select coalesce(array_agg(pcode), '{}') from down
$$;

-- The normal contacts a field user may see: responsible for an area in scope, or linked to a
-- checkpoint located in one of their areas. Evaluated once per statement (an initplan).
create function sensitive.field_contact_ids() returns uuid[]
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  with s as (select sensitive.my_area_scope() as up_down, sensitive.my_area_scope_down() as down)
  select coalesce(array_agg(distinct x.contact_id), '{}') from (
    select ca.contact_id from sensitive.contact_areas ca, s where ca.pcode = any (s.up_down)
    union all
    select cc.contact_id from sensitive.contact_checkpoints cc
    join public.checkpoints k on k.id = cc.checkpoint_id, s
    where coalesce(k.admin3_pcode, k.admin2_pcode, k.admin1_pcode) = any (s.down)
  ) x join sensitive.contacts c on c.id = x.contact_id and c.sensitivity = 'normal'
$$;

-- Name of a user for "verified by": display name, else the e-mail address.
create function sensitive.user_label(p_id uuid) returns text
language sql stable security definer
set search_path = public, pg_temp
as $$
  select coalesce(nullif(display_name, ''), email) from public.app_users where id = p_id
$$;

-- A jsonb argument sent as JSON text: node-postgres turns a JS array into a PostgreSQL array
-- literal, so the server sends lists as JSON text; through PostgREST that text arrives as a jsonb
-- string. Either way the value the function works with is the list itself.
create function sensitive.json_arg(p jsonb) returns jsonb
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select case when jsonb_typeof(p) = 'string' then (p #>> '{}')::jsonb else p end
$$;

revoke all on all functions in schema sensitive from public;

grant execute on all functions in schema sensitive to authenticated;

-- ---------------------------------------------------------------------------------------------
create policy "Analysts and admins can read every contact" on sensitive.contacts
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff can read normal contacts of their assigned areas" on sensitive.contacts
  for select to authenticated using (
    sensitivity = 'normal' and (select public.has_app_role('field'))
    and id in (select unnest(sensitive.field_contact_ids())));

create policy "Analysts and admins can add contacts" on sensitive.contacts
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can change any contact" on sensitive.contacts
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff can correct and verify normal contacts of their areas" on sensitive.contacts
  for update to authenticated using (
    sensitivity = 'normal' and (select public.has_app_role('field'))
    and id in (select unnest(sensitive.field_contact_ids())))
  with check (sensitivity = 'normal' and (select public.has_app_role('field')));

create policy "Analysts and admins can delete contacts" on sensitive.contacts
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));

-- The link tables follow their contact: visible when the contact is (the subquery runs under the
-- caller's RLS on contacts).
create policy "Users can read the phones of contacts they can read" on sensitive.contact_phones
  for select to authenticated using (exists (select 1 from sensitive.contacts c where c.id = contact_id));

create policy "Staff can add phones to contacts they can read" on sensitive.contact_phones
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst', 'field'))
    and exists (select 1 from sensitive.contacts c where c.id = contact_id));

create policy "Staff can change phones of contacts they can read" on sensitive.contact_phones
  for update to authenticated
  using ((select public.has_app_role('admin', 'analyst', 'field')) and exists (select 1 from sensitive.contacts c where c.id = contact_id))
  with check ((select public.has_app_role('admin', 'analyst', 'field')) and exists (select 1 from sensitive.contacts c where c.id = contact_id));

create policy "Staff can remove phones of contacts they can read" on sensitive.contact_phones
  for delete to authenticated using (
    (select public.has_app_role('admin', 'analyst', 'field'))
    and exists (select 1 from sensitive.contacts c where c.id = contact_id));

create policy "Users can read the areas of contacts they can read" on sensitive.contact_areas
  for select to authenticated using (exists (select 1 from sensitive.contacts c where c.id = contact_id));

create policy "Analysts and admins can assign areas to contacts" on sensitive.contact_areas
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can remove areas of contacts" on sensitive.contact_areas
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Users can read the checkpoints of contacts they can read" on sensitive.contact_checkpoints
  for select to authenticated using (exists (select 1 from sensitive.contacts c where c.id = contact_id));

create policy "Analysts and admins can link contacts to checkpoints" on sensitive.contact_checkpoints
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can unlink contacts from checkpoints" on sensitive.contact_checkpoints
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));

-- ---------------------------------------------------------------------------------------------
-- Contacts are for staff who act on them; viewers and anonymous callers are refused outright
-- (RLS would show them nothing anyway — this makes the answer a clear 403).
create function sensitive.require_contact_reader() returns void
language plpgsql stable
set search_path = public, pg_temp
as $$
begin
  if not (select public.has_app_role('admin', 'analyst', 'field')) then
    raise exception 'contacts are only for field staff, analysts and admins' using errcode = '42501';
  end if;
end
$$;
grant execute on function sensitive.require_contact_reader() to authenticated;

-- One contact with everything the directory shows. Runs under the caller's RLS.
create function sensitive.contact_json(c sensitive.contacts) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select to_jsonb(c) || jsonb_build_object(
    'actor_name', (select a.name from public.actors a where a.id = c.actor_id),
    'last_verified_by_name', sensitive.user_label(c.last_verified_by),
    'phones', coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'number', p.number,
                 'phone_type', p.phone_type, 'label', p.label) order by p.position, p.number)
               from sensitive.contact_phones p where p.contact_id = c.id), '[]'::jsonb),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('pcode', ar.pcode, 'level', ar.level,
                 'name_en', ar.name_en, 'name_ar', ar.name_ar) order by ar.level, ar.name_en)
               from sensitive.contact_areas ca join public.areas ar on ar.pcode = ca.pcode
               where ca.contact_id = c.id), '[]'::jsonb),
    'checkpoints', coalesce((select jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name,
                 'status', k.status, 'lon', st_x(k.geom), 'lat', st_y(k.geom)) order by k.name)
               from sensitive.contact_checkpoints cc join public.checkpoints k on k.id = cc.checkpoint_id
               where cc.contact_id = c.id), '[]'::jsonb))
$$;
grant execute on function sensitive.contact_json(sensitive.contacts) to authenticated;

-- One contact's details; null when it does not exist or the caller may not see it. The read is
-- audited either way (found true/false), so attempts on restricted contacts show in the log.
create function public.contact_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v jsonb;
begin
  perform sensitive.require_contact_reader();
  select d.details into v from sensitive.contacts c
  join sensitive.contacts_details(array[p_id]) d on d.id = c.id
  where c.id = p_id;
  perform public.audit_record('read', 'contacts', jsonb_build_object('id', p_id, 'found', v is not null));
  return v;
end
$$;

-- The directory: contacts the caller may see matching a search (name, Arabic name, role, call
-- sign, organisation), an area (responsible for it, or for an area inside or around it), an
-- actor, a checkpoint, a sensitivity. Paged; audited with the ids returned.
create function public.contacts_list(
  p_q text default null,
  p_area text default null,
  p_actor_id uuid default null,
  p_checkpoint_id uuid default null,
  p_sensitivity text default null,
  p_limit integer default 200,
  p_offset integer default 0
) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v_total bigint; v_rows jsonb; v_ids uuid[]; v_area text[];
begin
  perform sensitive.require_contact_reader();
  if p_sensitivity is not null and p_sensitivity not in ('normal', 'restricted') then
    raise exception 'sensitivity: use normal or restricted' using errcode = '22023';
  end if;
  if p_area is not null then
    v_area := public.area_lineage(array[p_area]);
  end if;
  with f as (
    select c.* from sensitive.contacts c
    left join public.actors a on a.id = c.actor_id
    where (p_q is null or trim(p_q) = '' or
           concat_ws(' ', c.full_name, c.name_ar, c.role_title, c.call_sign, a.name, a.name_ar) ilike '%' || trim(p_q) || '%'
           or public.actor_name_key(concat_ws(' ', c.full_name, c.name_ar, c.role_title, a.name)) like '%' || public.actor_name_key(p_q) || '%')
      and (p_area is null or exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (v_area)))
      and (p_actor_id is null or c.actor_id = p_actor_id)
      and (p_checkpoint_id is null or exists (select 1 from sensitive.contact_checkpoints cc
                                             where cc.contact_id = c.id and cc.checkpoint_id = p_checkpoint_id))
      and (p_sensitivity is null or c.sensitivity = p_sensitivity)
  ),
  page as (select * from f order by lower(f.full_name), f.id
           limit least(greatest(coalesce(p_limit, 200), 0), 2000) offset greatest(coalesce(p_offset, 0), 0))
  select (select count(*) from f),
         coalesce((select jsonb_agg(d.details order by lower(p.full_name), p.id) from page p
                   join sensitive.contacts_details((select array_agg(id) from page)) d on d.id = p.id), '[]'::jsonb),
         coalesce((select array_agg(p.id order by lower(p.full_name), p.id) from page p), '{}')
    into v_total, v_rows, v_ids;
  perform public.audit_record('list', 'contacts', jsonb_build_object(
    'count', cardinality(v_ids), 'ids', to_jsonb(v_ids),
    'filters', jsonb_strip_nulls(jsonb_build_object('q', p_q, 'area', p_area, 'actor_id', p_actor_id,
                                                    'checkpoint_id', p_checkpoint_id, 'sensitivity', p_sensitivity))));
  return jsonb_build_object('total', v_total, 'contacts', v_rows);
end
$$;

-- "Who to call here": for a point, the contacts responsible for an area containing it (most local
-- area first) and those linked to the p_checkpoints nearest checkpoints within p_radius_m, nearest
-- first — each once, with every reason it was found. Also the containing areas and the nearest
-- checkpoints themselves. GiST indexes: areas.geom (containment) and checkpoints' geography index
-- (the <-> nearest-neighbour order). Audited with the ids returned.
create function public.contacts_nearby(
  p_lon double precision,
  p_lat double precision,
  p_radius_m double precision default 25000,
  p_checkpoints integer default 3,
  p_limit integer default 50
) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v jsonb; v_ids uuid[]; g geometry;
begin
  perform sensitive.require_contact_reader();
  if p_lon is null or p_lon not between -180 and 180 then
    raise exception 'lon: must be between -180 and 180' using errcode = '22023';
  end if;
  if p_lat is null or p_lat not between -90 and 90 then
    raise exception 'lat: must be between -90 and 90' using errcode = '22023';
  end if;
  if p_radius_m is null or p_radius_m not between 0 and 500000 then
    raise exception 'radius: must be between 0 and 500000 metres' using errcode = '22023';
  end if;
  g := st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  with containing as (
    select a.pcode, a.level, a.name_en, a.name_ar from public.areas a where st_intersects(a.geom, g)
  ),
  near_cp as (
    select k.id, k.name, k.name_ar, k.status, st_x(k.geom) as lon, st_y(k.geom) as lat,
           st_distance(k.geom::geography, g::geography) as distance_m
    from public.checkpoints k
    where st_dwithin(k.geom::geography, g::geography, p_radius_m)
    order by k.geom::geography <-> g::geography
    limit least(greatest(coalesce(p_checkpoints, 3), 0), 20)
  ),
  hits as (
    select ca.contact_id, 0::float8 as distance_m, ct.level as area_level,
           jsonb_build_object('via', 'area', 'pcode', ct.pcode, 'level', ct.level, 'name_en', ct.name_en,
                              'name_ar', ct.name_ar, 'distance_m', 0) as reason
    from sensitive.contact_areas ca join containing ct on ct.pcode = ca.pcode
    union all
    select cc.contact_id, n.distance_m, null,
           jsonb_build_object('via', 'checkpoint', 'checkpoint_id', n.id, 'name', n.name,
                              'distance_m', round(n.distance_m::numeric))
    from sensitive.contact_checkpoints cc join near_cp n on n.id = cc.checkpoint_id
  ),
  ranked as (
    select h.contact_id, min(h.distance_m) as distance_m, max(h.area_level) as area_level,
           jsonb_agg(h.reason order by h.distance_m, h.area_level desc nulls last) as reasons
    from hits h group by h.contact_id
  ),
  picked as (
    select c, r.distance_m, r.area_level, r.reasons
    from ranked r join sensitive.contacts c on c.id = r.contact_id
    order by r.distance_m, r.area_level desc nulls last, c.emergency desc, lower(c.full_name)
    limit least(greatest(coalesce(p_limit, 50), 0), 500)
  )
  select jsonb_build_object(
      'lon', p_lon, 'lat', p_lat,
      'areas', coalesce((select jsonb_agg(to_jsonb(ct) order by ct.level desc) from containing ct), '[]'::jsonb),
      'checkpoints', coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'name', n.name, 'name_ar', n.name_ar,
                     'status', n.status, 'lon', n.lon, 'lat', n.lat, 'distance_m', round(n.distance_m::numeric))
                     order by n.distance_m) from near_cp n), '[]'::jsonb),
      'contacts', coalesce((select jsonb_agg(d.details || jsonb_build_object(
                     'distance_m', round(p.distance_m::numeric), 'reasons', p.reasons)
                     order by p.distance_m, p.area_level desc nulls last, (p.c).emergency desc, lower((p.c).full_name))
                   from picked p
                   join sensitive.contacts_details((select array_agg((x.c).id) from picked x)) d on d.id = (p.c).id), '[]'::jsonb)),
    coalesce((select array_agg((p.c).id) from picked p), '{}')
    into v, v_ids;
  perform public.audit_record('nearby', 'contacts', jsonb_build_object(
    'lon', p_lon, 'lat', p_lat, 'count', cardinality(v_ids), 'ids', to_jsonb(v_ids)));
  return v;
end
$$;

-- Exports (CSV, vCard) are for analysts and admins only: the rows to format, every contact the
-- caller may see or the given ids, audited with format, count and ids.
create function public.contacts_export(
  p_format text,
  p_ids uuid[] default null,
  p_area text default null,
  p_sensitivity text default null
) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v jsonb; v_ids uuid[]; v_area text[];
begin
  if not (select public.has_app_role('admin', 'analyst')) then
    raise exception 'only analysts and admins may export contacts' using errcode = '42501';
  end if;
  if p_format is null or p_format not in ('csv', 'vcard') then
    raise exception 'format: use csv or vcard' using errcode = '22023';
  end if;
  if p_area is not null then
    v_area := public.area_lineage(array[p_area]);
  end if;
  with sel as (
    select c.* from sensitive.contacts c
    where (p_ids is null or c.id = any (p_ids))
      and (p_sensitivity is null or c.sensitivity = p_sensitivity)
      and (p_area is null or exists (select 1 from sensitive.contact_areas ca where ca.contact_id = c.id and ca.pcode = any (v_area)))
  )
  select coalesce(jsonb_agg(d.details order by lower(s.full_name), s.id), '[]'::jsonb),
         coalesce(array_agg(s.id order by lower(s.full_name), s.id), '{}')
    into v, v_ids
  from sel s join sensitive.contacts_details((select array_agg(id) from sel)) d on d.id = s.id;
  perform public.audit_record('export', 'contacts', jsonb_build_object(
    'format', p_format, 'count', cardinality(v_ids), 'ids', to_jsonb(v_ids),
    'filters', jsonb_strip_nulls(jsonb_build_object('area', p_area, 'sensitivity', p_sensitivity))));
  return jsonb_build_object('format', p_format, 'count', cardinality(v_ids), 'contacts', v);
end
$$;

-- Creates (p_id null) or changes a contact with its phones ([{number, phone_type, label}], numbers
-- in E.164), areas (P-codes) and checkpoints. A null list leaves that part as it is, which is what
-- field staff send: they may correct a contact of their areas, not re-scope it. Field errors come
-- with SQLSTATE 22023 and the field's name first.
create function public.contact_save(
  p_full_name text,
  p_id uuid default null,
  p_name_ar text default null,
  p_role_title text default '',
  p_actor_id uuid default null,
  p_call_sign text default null,
  p_messaging jsonb default '[]',
  p_languages text[] default '{}',
  p_sensitivity text default 'normal',
  p_emergency boolean default false,
  p_notes text default '',
  p_phones jsonb default null,
  p_areas text[] default null,
  p_checkpoint_ids uuid[] default null,
  p_verified boolean default false
) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  v_id uuid := coalesce(p_id, gen_random_uuid());
  v_bad text;
  i integer;
begin
  perform sensitive.require_contact_reader();
  p_phones := sensitive.json_arg(p_phones);
  p_messaging := sensitive.json_arg(p_messaging);
  if coalesce(trim(p_full_name), '') = '' then
    raise exception 'full_name: must not be empty' using errcode = '22023';
  end if;
  if p_sensitivity is null or p_sensitivity not in ('normal', 'restricted') then
    raise exception 'sensitivity: use normal or restricted' using errcode = '22023';
  end if;
  if not sensitive.valid_messaging(coalesce(p_messaging, '[]')) then
    raise exception 'messaging: each handle needs a service (whatsapp, signal, telegram, viber, thuraya, email, other) and a handle' using errcode = '22023';
  end if;
  select l into v_bad from unnest(coalesce(p_languages, '{}')) l where not sensitive.valid_languages(array[l]) limit 1;
  if v_bad is not null then
    raise exception 'languages: "%" is not a language code such as en, ar or ckb', v_bad using errcode = '22023';
  end if;
  if p_phones is not null then
    if jsonb_typeof(p_phones) <> 'array' then
      raise exception 'phones: expected a list' using errcode = '22023';
    end if;
    for i in 0 .. jsonb_array_length(p_phones) - 1 loop
      if coalesce(p_phones -> i ->> 'number', '') !~ '^\+[1-9][0-9]{6,14}$' then
        raise exception 'phones[%].number: "%" is not a phone number in international form (+964…)', i,
          coalesce(p_phones -> i ->> 'number', '') using errcode = '22023';
      end if;
      if coalesce(p_phones -> i ->> 'phone_type', 'mobile') not in ('mobile', 'landline', 'satellite', 'office', 'home', 'other') then
        raise exception 'phones[%].phone_type: use mobile, landline, satellite, office, home or other', i using errcode = '22023';
      end if;
    end loop;
    if (select count(distinct e ->> 'number') <> count(*) from jsonb_array_elements(p_phones) e) then
      raise exception 'phones: the same number is listed twice' using errcode = '22023';
    end if;
  end if;
  select x into v_bad from unnest(coalesce(p_areas, '{}')) x where not exists (select 1 from public.areas a where a.pcode = x) limit 1;
  if v_bad is not null then
    raise exception 'areas: unknown P-code %', v_bad using errcode = '22023';
  end if;
  if p_actor_id is not null and not exists (select 1 from public.actors where id = p_actor_id) then
    raise exception 'actor_id: no such actor' using errcode = '22023';
  end if;

  if p_id is null then
    insert into sensitive.contacts (id, full_name, name_ar, role_title, actor_id, call_sign, messaging,
                                    languages, sensitivity, emergency, notes, last_verified_at)
    values (v_id, p_full_name, p_name_ar, coalesce(p_role_title, ''), p_actor_id, p_call_sign,
            coalesce(p_messaging, '[]'), coalesce(p_languages, '{}'), p_sensitivity,
            coalesce(p_emergency, false), coalesce(p_notes, ''), case when p_verified then now() end);
  else
    -- Only when something changes: saving a contact as it is writes nothing (no updated_at, no
    -- audit row). The values compared are those the before-write trigger would store.
    update sensitive.contacts set full_name = p_full_name, name_ar = p_name_ar,
           role_title = coalesce(p_role_title, ''), actor_id = p_actor_id, call_sign = p_call_sign,
           messaging = coalesce(p_messaging, '[]'), languages = coalesce(p_languages, '{}'),
           sensitivity = p_sensitivity, emergency = coalesce(p_emergency, false), notes = coalesce(p_notes, ''),
           last_verified_at = case when p_verified then now() else last_verified_at end
    where id = p_id
      and (p_verified
           or (full_name, name_ar, role_title, actor_id, call_sign, messaging, languages, sensitivity,
               emergency, notes)
              is distinct from
              (trim(p_full_name), nullif(trim(coalesce(p_name_ar, '')), ''), coalesce(p_role_title, ''),
               p_actor_id, nullif(trim(coalesce(p_call_sign, '')), ''), coalesce(p_messaging, '[]'),
               coalesce(p_languages, '{}'), p_sensitivity, coalesce(p_emergency, false),
               coalesce(p_notes, '')));
    if not found and not exists (select 1 from sensitive.contacts c where c.id = p_id) then
      raise exception 'contact not found or not allowed' using errcode = '42501';
    end if;
  end if;

  if p_phones is not null then
    delete from sensitive.contact_phones p where p.contact_id = v_id
      and p.number not in (select e ->> 'number' from jsonb_array_elements(p_phones) e);
    insert into sensitive.contact_phones (contact_id, number, phone_type, label, position)
    select v_id, e ->> 'number', coalesce(e ->> 'phone_type', 'mobile'), coalesce(e ->> 'label', ''), (o - 1)::smallint
    from jsonb_array_elements(p_phones) with ordinality as x(e, o)
    on conflict (contact_id, number) do update
      set phone_type = excluded.phone_type, label = excluded.label, position = excluded.position
      where (contact_phones.phone_type, contact_phones.label, contact_phones.position)
            is distinct from (excluded.phone_type, excluded.label, excluded.position);
  end if;
  if p_areas is not null then
    delete from sensitive.contact_areas where contact_id = v_id and pcode <> all (p_areas);
    insert into sensitive.contact_areas (contact_id, pcode)
    select v_id, x from unnest(p_areas) x on conflict do nothing;
  end if;
  if p_checkpoint_ids is not null then
    delete from sensitive.contact_checkpoints where contact_id = v_id and checkpoint_id <> all (p_checkpoint_ids);
    insert into sensitive.contact_checkpoints (contact_id, checkpoint_id)
    select v_id, x from unnest(p_checkpoint_ids) x on conflict do nothing;
  end if;

  return (select sensitive.contact_json(c) from sensitive.contacts c where c.id = v_id);
exception
  when foreign_key_violation then
    raise exception 'checkpoint_ids: no such checkpoint' using errcode = '22023';
end
$$;

-- What a PATCH compares: a contact's editable fields, its phones in order, its areas and
-- checkpoints as sorted lists — as the caller sees them (RLS).
create function sensitive.contact_snapshot(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select jsonb_build_object(
    'full_name', c.full_name, 'name_ar', c.name_ar, 'role_title', c.role_title,
    'actor_id', c.actor_id, 'call_sign', c.call_sign, 'messaging', c.messaging,
    'languages', to_jsonb(c.languages), 'sensitivity', c.sensitivity, 'emergency', c.emergency,
    'notes', c.notes, 'verified', c.last_verified_at,
    'phones', coalesce((select jsonb_agg(jsonb_build_object('number', p.number, 'phone_type', p.phone_type,
                 'label', p.label) order by p.position, p.number)
               from sensitive.contact_phones p where p.contact_id = c.id), '[]'::jsonb),
    'areas', coalesce((select jsonb_agg(a.pcode order by a.pcode)
               from sensitive.contact_areas a where a.contact_id = c.id), '[]'::jsonb),
    'checkpoint_ids', coalesce((select jsonb_agg(k.checkpoint_id order by k.checkpoint_id)
               from sensitive.contact_checkpoints k where k.contact_id = c.id), '[]'::jsonb))
  from sensitive.contacts c where c.id = p_id
$$;
revoke all on function sensitive.contact_snapshot(uuid) from public;
grant execute on function sensitive.contact_snapshot(uuid) to authenticated;

-- PATCH with merge semantics: the fields sent change, every other stays as stored. The stored
-- contact is read under the caller's RLS (one they may not see is "not found", as for a read),
-- merged with the patch and saved through contact_save (the same checks and need-to-know).
-- Field staff keep to what the form lets them change: a contact's areas, checkpoints and
-- sensitivity are for analysts and admins. Answers {id, changed, contact}; a patch that changes
-- nothing writes nothing, so it leaves no audit row.
create function public.contact_patch(p_id uuid, p_patch jsonb) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  p jsonb := sensitive.json_arg(p_patch);
  c sensitive.contacts;
  v_before jsonb;
  v_after jsonb;
  v_contact jsonb;
  v_areas jsonb;
  v_cps jsonb;
  v_changed text[] := '{}';
  k text;
  v_fields constant text[] := array['full_name', 'name_ar', 'role_title', 'actor_id', 'call_sign',
    'messaging', 'languages', 'sensitivity', 'emergency', 'notes', 'phones', 'areas',
    'checkpoint_ids', 'verified'];
begin
  perform sensitive.require_contact_reader();
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'body: expected an object with the fields to change' using errcode = '22023';
  end if;
  select x into k from jsonb_object_keys(p) x where x <> all (v_fields) order by x limit 1;
  if k is not null then
    raise exception '%: is not a field that can be changed', k using errcode = '22023';
  end if;
  select * into c from sensitive.contacts where id = p_id;
  if not found then
    raise exception 'no such contact, or not visible to you' using errcode = 'P0002';
  end if;
  v_before := sensitive.contact_snapshot(p_id);
  -- The lists as the snapshot has them (sorted, no repeats): a list sent unchanged is no change,
  -- and is not written (field staff may send back the areas they were given).
  if p ? 'areas' then
    v_areas := (select coalesce(jsonb_agg(distinct e #>> '{}' order by e #>> '{}'), '[]')
                from jsonb_array_elements(p -> 'areas') e);
    if v_areas = v_before -> 'areas' then p := p - 'areas'; end if;
  end if;
  if p ? 'checkpoint_ids' then
    v_cps := (select coalesce(jsonb_agg(distinct (e #>> '{}')::uuid order by (e #>> '{}')::uuid), '[]')
              from jsonb_array_elements(p -> 'checkpoint_ids') e);
    if v_cps = v_before -> 'checkpoint_ids' then p := p - 'checkpoint_ids'; end if;
  end if;
  if not (select public.has_app_role('admin', 'analyst')) then
    foreach k in array array['areas', 'checkpoint_ids', 'sensitivity'] loop
      if p ? k and (p -> k) is distinct from (v_before -> k) then
        raise exception '%: only analysts and admins can change this', k using errcode = '42501';
      end if;
    end loop;
  end if;
  begin
    v_contact := public.contact_save(
      p_id => p_id,
      p_full_name => case when p ? 'full_name' then p ->> 'full_name' else c.full_name end,
      p_name_ar => case when p ? 'name_ar' then p ->> 'name_ar' else c.name_ar end,
      p_role_title => case when p ? 'role_title' then coalesce(p ->> 'role_title', '') else c.role_title end,
      p_actor_id => case when p ? 'actor_id' then nullif(p ->> 'actor_id', '')::uuid else c.actor_id end,
      p_call_sign => case when p ? 'call_sign' then p ->> 'call_sign' else c.call_sign end,
      p_messaging => case when p ? 'messaging' then p -> 'messaging' else c.messaging end,
      p_languages => case when p ? 'languages'
                          then array(select jsonb_array_elements_text(p -> 'languages')) else c.languages end,
      p_sensitivity => case when p ? 'sensitivity' then p ->> 'sensitivity' else c.sensitivity end,
      p_emergency => case when p ? 'emergency' then (p ->> 'emergency')::boolean else c.emergency end,
      p_notes => case when p ? 'notes' then coalesce(p ->> 'notes', '') else c.notes end,
      p_phones => case when p ? 'phones' then p -> 'phones' end,
      p_areas => case when p ? 'areas' then array(select jsonb_array_elements_text(p -> 'areas')) end,
      p_checkpoint_ids => case when p ? 'checkpoint_ids'
                               then array(select jsonb_array_elements_text(p -> 'checkpoint_ids'))::uuid[] end,
      p_verified => coalesce((p ->> 'verified')::boolean, false));
  exception
    when invalid_text_representation then
      raise exception 'body: a value has the wrong type (ids are UUIDs, emergency and verified true or false)'
        using errcode = '22023';
  end;
  v_after := sensitive.contact_snapshot(p_id);
  foreach k in array v_fields loop
    if (v_after -> k) is distinct from (v_before -> k) then
      v_changed := v_changed || k;
    end if;
  end loop;
  return jsonb_build_object('id', p_id, 'changed', to_jsonb(v_changed), 'contact', v_contact);
end
$$;

-- Marks a contact verified now, by the caller.
create function public.contact_verify(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  perform sensitive.require_contact_reader();
  update sensitive.contacts set last_verified_at = now() where id = p_id;
  if not found then
    raise exception 'contact not found or not allowed' using errcode = '42501';
  end if;
  select jsonb_build_object('id', c.id, 'last_verified_at', c.last_verified_at,
                            'last_verified_by', c.last_verified_by,
                            'last_verified_by_name', sensitive.user_label(c.last_verified_by))
    into v from sensitive.contacts c where c.id = p_id;
  return v;
end
$$;

create function public.contact_delete(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
begin
  if not (select public.has_app_role('admin', 'analyst')) then
    raise exception 'only analysts and admins may delete contacts' using errcode = '42501';
  end if;
  delete from sensitive.contacts where id = p_id;
  if not found then
    raise exception 'contact not found' using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;

-- Redaction when a contact is deleted: its personal fields leave every earlier audit row (its
-- own insert/update/delete rows and those of its phones), replaced by their digest marker, so
-- the fact and time of each change stay on record and the chain still verifies. A deferred
-- trigger, so it runs at commit, after the deletion's own audit rows and those of the phones the
-- delete cascades to: they are redacted too. (Whether the chain trigger numbered those rows
-- before or after makes no difference: a marker hashes as the value it replaced.)
create function private.audit_redact(v jsonb, p_keys text[]) returns jsonb
language sql immutable
set search_path = pg_catalog, private, pg_temp
as $$
  select case when v is null or jsonb_typeof(v) <> 'object' then v else
    coalesce((select jsonb_object_agg(e.key,
                case when e.key = any (p_keys) and jsonb_typeof(e.value) <> 'null'
                     then to_jsonb('[redacted sha256:' || private.audit_digest(e.value) || ']')
                     else e.value end)
              from jsonb_each(v) e), '{}'::jsonb) end
$$;

create function private.contact_redact_audit() returns trigger
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
declare
  c_keys constant text[] := array['full_name', 'name_ar', 'role_title', 'call_sign', 'messaging', 'notes'];
  p_keys constant text[] := array['number', 'label'];
begin
  update public.audit_log l
     set before = private.audit_redact(l.before, c_keys), after = private.audit_redact(l.after, c_keys)
   where l.table_name = 'contacts' and l.row_id = old.id::text;
  update public.audit_log l
     set before = private.audit_redact(l.before, p_keys), after = private.audit_redact(l.after, p_keys)
   where l.table_name = 'contact_phones'
     and (l.before ->> 'contact_id' = old.id::text or l.after ->> 'contact_id' = old.id::text);
  return old;
end
$$;
revoke execute on function private.contact_redact_audit() from public;
create constraint trigger contacts_redact_audit after delete on sensitive.contacts
  deferrable initially deferred
  for each row execute function private.contact_redact_audit();

-- The constant companion card of a base (or any of our sites): the site, the containing areas,
-- the nearest checkpoints and the contacts to call there — emergency contacts first — as the
-- caller may see them. One click prints it wallet-sized. Audited like any read of contacts.
-- The companion card is printed and carried in a wallet: a lost card must not name restricted
-- contacts (armed-group interlocutors and the like), whoever printed it. Same card as before,
-- normal contacts only.
create function public.companion_card(p_site_id uuid, p_limit integer default 40) returns jsonb
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
  perform public.audit_record('card', 'contacts', jsonb_build_object('site_id', s.id, 'site', s.name,
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

-- The sites a card can be printed for (bases first).
create function public.companion_card_sites() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
           'is_sample', s.is_sample) order by s.site_type <> 'base', s.site_type, s.name), '[]'::jsonb)
  from public.org_sites s
  where s.site_type in ('base', 'office', 'guesthouse')
$$;

do $$
declare f text;
begin
  foreach f in array array[
    'public.contact_get(uuid)',
    'public.contacts_list(text, text, uuid, uuid, text, integer, integer)',
    'public.contacts_nearby(double precision, double precision, double precision, integer, integer)',
    'public.contacts_export(text, uuid[], text, text)',
    'public.contact_save(text, uuid, text, text, uuid, text, jsonb, text[], text, boolean, text, jsonb, text[], uuid[], boolean)',
    'public.contact_patch(uuid, jsonb)',
    'public.contact_verify(uuid)',
    'public.contact_delete(uuid)',
    'public.companion_card(uuid, integer)'] loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated', f);
  end loop;
end
$$;

-- How many contacts name an actor as their organisation, restricted ones included, for analysts
-- and admins (null for anyone else). Only the count leaves this function. (For actor_dependents,
-- 20_actors.sql: deleting an actor.)
create function sensitive.actor_contact_count(p_id uuid) returns bigint
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select count(*) from sensitive.contacts c
  where c.actor_id = p_id and (select public.has_app_role('admin', 'analyst'))
$$;
revoke all on function sensitive.actor_contact_count(uuid) from public;
grant execute on function sensitive.actor_contact_count(uuid) to authenticated;

-- Contacts, faster. Building each contact's details row by row (contact_json) under RLS costs
-- 3–10 ms a contact: every phone, area and checkpoint row re-checks its contact's policy, and for
-- field staff that means recomputing their area scope each time (measured: 200 contacts 0.7 s for
-- an analyst, 2.2 s for a field user). contacts_details builds the details of a whole page of
-- contacts in one set-based pass.
--
-- It is security definer (the owner reads the link tables without RLS), so it checks visibility
-- itself, with exactly the rule of the contacts policies, computed once per call: analysts and
-- admins see every contact, field staff the normal contacts of sensitive.field_contact_ids(),
-- anyone else nothing. The callers below still select the contacts under the caller's RLS first
-- and pass only those ids, so either check alone keeps a contact hidden; the integration tests
-- run the whole need-to-know matrix through these functions and the tables.

create function sensitive.contacts_details(p_ids uuid[])
returns table (id uuid, details jsonb)
language sql stable security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
  with me as (select public.current_app_role() as role),
  -- materialized: computed once, not once per contact (an inlined CTE would be).
  scope as materialized (select case when (select role from me) = 'field' then sensitive.field_contact_ids() else '{}'::uuid[] end as ids),
  allowed as (
    select c.* from sensitive.contacts c, me, scope
    where c.id = any (p_ids)
      and (me.role in ('admin', 'analyst')
           or (me.role = 'field' and c.sensitivity = 'normal' and c.id = any (scope.ids)))
  ),
  ph as (
    select p.contact_id, jsonb_agg(jsonb_build_object('id', p.id, 'number', p.number, 'phone_type', p.phone_type,
             'label', p.label) order by p.position, p.number) as j
    from sensitive.contact_phones p where p.contact_id in (select a.id from allowed a) group by 1
  ),
  ar as (
    select ca.contact_id, jsonb_agg(jsonb_build_object('pcode', x.pcode, 'level', x.level, 'name_en', x.name_en,
             'name_ar', x.name_ar) order by x.level, x.name_en) as j
    from sensitive.contact_areas ca join public.areas x on x.pcode = ca.pcode
    where ca.contact_id in (select a.id from allowed a) group by 1
  ),
  cp as (
    select cc.contact_id, jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'status', k.status,
             'lon', st_x(k.geom), 'lat', st_y(k.geom)) order by k.name) as j
    from sensitive.contact_checkpoints cc join public.checkpoints k on k.id = cc.checkpoint_id
    where cc.contact_id in (select a.id from allowed a) group by 1
  )
  select a.id, to_jsonb(a) || jsonb_build_object(
           'actor_name', act.name,
           'last_verified_by_name', coalesce(nullif(u.display_name, ''), u.email),
           'phones', coalesce(ph.j, '[]'::jsonb),
           'areas', coalesce(ar.j, '[]'::jsonb),
           'checkpoints', coalesce(cp.j, '[]'::jsonb))
  from allowed a
  left join ph on ph.contact_id = a.id
  left join ar on ar.contact_id = a.id
  left join cp on cp.contact_id = a.id
  left join public.actors act on act.id = a.actor_id
  left join public.app_users u on u.id = a.last_verified_by
$$;
revoke all on function sensitive.contacts_details(uuid[]) from public;
grant execute on function sensitive.contacts_details(uuid[]) to authenticated;
