-- Actor mapping, part 1: who each actor is. The foundation's public.actors (what incidents
-- reference) gains the profile a Security Liaison Officer keeps: stance towards us, influence and
-- interest (1–5, the power–interest grid), headquarters, presence areas, sources, an Arabic name.
--
-- Duplicates. "IS", "ISIL" and "Daesh", "al-Mahdi Army" and "Jaysh al-Mahdi", "الدولة الإسلامية"
-- and "الدولة الاسلامية" are each one actor. Every actor carries name_keys: its name, Arabic name
-- and aliases reduced by actor_name_key() (case, Latin diacritics, Arabic vowel marks, hamza
-- forms, tatweel, ta marbuta and alef maqsura, punctuation and the article al-/ال/the all
-- removed). Two actors sharing a key are probably the same; actor_save refuses such a create
-- unless the caller confirms it, and actor_duplicates lists the matches for the form to show.
-- The seed loader's insert (on conflict on lower(name)) is not refused: imports are reconciled
-- afterwards with actor_delete(..., 'reassign'), which moves everything to the kept actor and
-- keeps the merged name as an alias.
--
-- Who may do what (the foundation's policies stay): every signed-in role reads actors and their
-- presence; reporters (field, analyst, admin) add actors; analysts and admins change them and
-- map presence; only admins delete, and only through actor_delete, which says what happens to
-- the actor's relationships, contacts, incidents and checkpoints so nothing is orphaned.

-- ---------------------------------------------------------------------------------------------
-- The key two spellings of one name share. Immutable (normalize/translate/regexp only), so it can
-- back an index. Separators are listed rather than matched with [[:alnum:]] so that the result
-- does not depend on the database's ctype locale.
create function public.actor_name_key(p_name text) returns text
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select nullif(trim(regexp_replace(regexp_replace(regexp_replace(
    ' ' || translate(
      -- NFD splits é into e + U+0301 and أ إ آ ؤ ئ into their base letter + a hamza/madda mark;
      -- then every combining mark, Arabic harakat (U+064B–U+065F), the dagger alef (U+0670)
      -- and tatweel (U+0640) go.
      regexp_replace(lower(normalize(coalesce(p_name, ''), nfd)),
                     '[\u0300-\u036f\u064b-\u065f\u0670\u0640]', '', 'g'),
      -- alef wasla, alef maqsura, ta marbuta, Persian/Kurdish yeh, keheh, ae → the Arabic letter
      -- they are written as in most Iraqi sources; ı (dotless i) → i.
      'ٱىةیکەı', 'ايهيكهi')
    || ' ',
    -- punctuation and spaces of any script → one space
    '[\s!"#$%&''()*+,./:;<=>?@\[\\\]^_`{|}~،؛؟«»“”‘’–—…·-]+', ' ', 'g'),
    -- the article: "al", "el", "the" as words, and ال at the start of a longer Arabic word
    ' (al|el|the) ', ' ', 'g'),
    ' ال(\S\S\S)', ' \1', 'g')), '')
$$;

-- The keys of one actor's names: name, Arabic name and aliases, without repeats.
create function public.actor_name_keys(p_name text, p_name_ar text, p_aliases text[]) returns text[]
language sql immutable parallel safe
set search_path = public, pg_temp
as $$
  select coalesce(array_agg(distinct k order by k) filter (where k is not null), '{}')
  from unnest(array[p_name, p_name_ar] || coalesce(p_aliases, '{}')) as n(v)
  cross join lateral (select public.actor_name_key(n.v) as k) x
$$;

-- ---------------------------------------------------------------------------------------------
alter table public.actors
  add column name_ar     text,
  add column stance      text not null default 'unknown'
                         check (stance in ('supportive', 'neutral', 'hostile', 'unknown')),
  add column influence   smallint check (influence between 1 and 5),
  add column interest    smallint check (interest between 1 and 5),
  add column hq          geometry(Point, 4326),
  add column hq_label    text,
  -- Where the profile comes from: citations or URLs, one per element.
  add column sources     text[] not null default '{}',
  add column name_keys   text[] not null default '{}',
  add column created_by  uuid references public.app_users (id) on delete set null,
  add constraint actors_hq_on_earth check (hq is null or (st_x(hq) between -180 and 180 and st_y(hq) between -90 and 90));

create index actors_name_keys_idx on public.actors using gin (name_keys);
create index actors_hq_idx on public.actors using gist (hq);
create index actors_type_idx on public.actors (actor_type);

-- Aliases and Arabic names of actors the public demo data names, so that an analyst typing
-- "Daesh" is told that UCDP's "IS" already exists. Applied when such an actor is created without
-- aliases of its own; the team's own edits always win.
create table private.actor_alias_hints (
  name_key  text primary key,
  name_ar   text,
  aliases   text[] not null
);
insert into private.actor_alias_hints (name_key, name_ar, aliases)
select public.actor_name_key(n), ar, al from (values
  ('IS', 'الدولة الإسلامية', array['ISIL', 'ISIS', 'Islamic State', 'Islamic State of Iraq and the Levant', 'Daesh', 'داعش']),
  ('Government of Iraq', 'حكومة العراق', array['Iraqi Government', 'GoI']),
  ('PKK', 'حزب العمال الكردستاني', array['Kurdistan Workers'' Party', 'Partiya Karkerên Kurdistanê']),
  ('KDP', 'الحزب الديمقراطي الكردستاني', array['Kurdistan Democratic Party', 'PDK']),
  ('PUK', 'الاتحاد الوطني الكردستاني', array['Patriotic Union of Kurdistan', 'YNK']),
  ('al-Mahdi Army', 'جيش المهدي', array['Jaysh al-Mahdi', 'Mahdi Army', 'JAM']),
  ('Ansar al-Islam', 'أنصار الإسلام', array['Ansar al-Sunna']),
  ('SCIRI', 'المجلس الأعلى الإسلامي العراقي', array['Supreme Council for the Islamic Revolution in Iraq', 'ISCI', 'Islamic Supreme Council of Iraq']),
  ('MEK', 'مجاهدي خلق', array['Mujahedin-e Khalq', 'PMOI', 'MKO']),
  ('AAH', 'عصائب أهل الحق', array['Asa''ib Ahl al-Haq', 'League of the Righteous']),
  ('JRTN', 'جيش رجال الطريقة النقشبندية', array['Jaysh Rijal al-Tariqa al-Naqshbandia', 'Naqshbandi Army']),
  ('PJAK', 'حزب الحياة الحرة الكردستاني', array['Party of Free Life of Kurdistan']),
  ('KDPI', 'الحزب الديمقراطي الكردستاني الإيراني', array['Democratic Party of Iranian Kurdistan']),
  ('1920 Revolution Brigades', 'كتائب ثورة العشرين', array['Kata''ib Thawrat al-Ishrin']),
  ('Popular Mobilization Forces (PMF)', 'الحشد الشعبي', array['PMF', 'PMU', 'Popular Mobilization Units', 'Hashd al-Shaabi']),
  ('Peshmerga', 'البيشمركة', array['Kurdish Peshmerga']),
  ('Government of Turkey', 'حكومة تركيا', array['Turkish Government']),
  ('Government of Iran', 'حكومة إيران', array['Iranian Government']),
  ('Government of Kuwait', 'حكومة الكويت', array['Kuwaiti Government'])
) as h(n, ar, al);

-- Keeps aliases tidy (trimmed, no blanks, no repeat of the name) and name_keys in step.
-- Security definer only to read the hints table in the private schema.
create function private.actors_before_write() returns trigger
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
declare h private.actor_alias_hints;
begin
  new.name := trim(new.name);
  new.name_ar := nullif(trim(coalesce(new.name_ar, '')), '');
  if tg_op = 'INSERT' and cardinality(new.aliases) = 0 then
    select * into h from private.actor_alias_hints where name_key = public.actor_name_key(new.name);
    if found then
      new.aliases := h.aliases;
      new.name_ar := coalesce(new.name_ar, h.name_ar);
    end if;
  end if;
  new.aliases := coalesce((
    select array_agg(a order by ord) from (
      select distinct on (lower(trim(a))) trim(a) as a, ord
      from unnest(new.aliases) with ordinality as x(a, ord)
      where trim(a) <> '' and lower(trim(a)) <> lower(new.name)
      order by lower(trim(a)), ord) d), '{}');
  new.sources := coalesce((select array_agg(trim(s)) from unnest(new.sources) s where trim(s) <> ''), '{}');
  new.name_keys := public.actor_name_keys(new.name, new.name_ar, new.aliases);
  if tg_op = 'INSERT' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
  else
    new.updated_at := now();
  end if;
  return new;
end
$$;
create trigger actors_before_write before insert or update on public.actors
  for each row execute function private.actors_before_write();

-- Actors already present (a database migrated and seeded before this file) get their keys.
update public.actors set name_keys = public.actor_name_keys(name, name_ar, aliases);

-- ---------------------------------------------------------------------------------------------
-- Presence: where an actor operates, either an admin area by P-code (its geometry is the area's,
-- joined, not copied) or a polygon an analyst drew. Dated, because control changes.
create table public.actor_presence (
  id          uuid primary key default gen_random_uuid(),
  actor_id    uuid not null references public.actors (id) on delete cascade,
  pcode       text references public.areas (pcode),
  geom        geometry(MultiPolygon, 4326),
  label       text not null default '',
  valid_from  date,
  valid_to    date,
  notes       text not null default '',
  created_at  timestamptz not null default now(),
  constraint actor_presence_area_or_polygon check ((pcode is null) <> (geom is null)),
  constraint actor_presence_dates check (valid_to is null or valid_from is null or valid_to >= valid_from),
  constraint actor_presence_polygon_valid check (geom is null or st_isvalid(geom))
);
create index actor_presence_actor_idx on public.actor_presence (actor_id);
create index actor_presence_pcode_idx on public.actor_presence (pcode);
create index actor_presence_geom_idx on public.actor_presence using gist (geom);
alter table public.actor_presence enable row level security;
create policy "Signed-in users can read where actors are present" on public.actor_presence
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Analysts and admins can map presence" on public.actor_presence
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can change presence" on public.actor_presence
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can remove presence" on public.actor_presence
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));
grant select, insert, update, delete on public.actor_presence to authenticated;
create trigger actor_presence_audit after insert or update or delete on public.actor_presence
  for each row execute function private.audit_row();

-- The P-codes an area stands for in filters: itself, its ancestors and its descendants. A filter on
-- a district matches an actor present in one of its sub-districts and one present governorate-wide.
create function public.area_lineage(p_pcodes text[]) returns text[]
language sql stable
set search_path = public, pg_temp
as $$
  with recursive up as (
    select a.pcode, a.parent_pcode from public.areas a where a.pcode = any (p_pcodes)
    union
    select p.pcode, p.parent_pcode from public.areas p join up on p.pcode = up.parent_pcode
  ), down as (
    select a.pcode from public.areas a where a.pcode = any (p_pcodes)
    union
    select c.pcode from public.areas c join down on c.parent_pcode = down.pcode
  )
  select coalesce(array_agg(distinct pcode), '{}') from (select pcode from up union select pcode from down) t
$$;

-- The areas (P-codes, every level) an actor is present in on a date (null: at any time): its
-- presence areas with their ancestors, and the areas its drawn polygons and its HQ fall in.
create function public.actor_area_pcodes(p_actor_id uuid, p_as_of date default null) returns text[]
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with recursive direct as (
    select p.pcode from public.actor_presence p
    where p.actor_id = p_actor_id and p.pcode is not null
      and (p_as_of is null or ((p.valid_from is null or p.valid_from <= p_as_of) and (p.valid_to is null or p.valid_to >= p_as_of)))
    union
    select a.pcode from public.actor_presence p join public.areas a on a.geom && p.geom and st_intersects(a.geom, p.geom)
    where p.actor_id = p_actor_id and p.geom is not null
      and (p_as_of is null or ((p.valid_from is null or p.valid_from <= p_as_of) and (p.valid_to is null or p.valid_to >= p_as_of)))
    union
    select a.pcode from public.actors x join public.areas a on st_intersects(a.geom, x.hq)
    where x.id = p_actor_id and x.hq is not null
  ), up as (
    select a.pcode, a.parent_pcode from public.areas a join direct d on d.pcode = a.pcode
    union
    select p.pcode, p.parent_pcode from public.areas p join up on p.pcode = up.parent_pcode
  )
  select coalesce(array_agg(distinct pcode order by pcode), '{}') from up
$$;

-- ---------------------------------------------------------------------------------------------
-- Duplicates of a would-be actor: the actors sharing a name key with its name, Arabic name or
-- aliases, with what matched. p_exclude is the actor being edited.
create function public.actor_duplicates(
  p_name text, p_aliases text[] default '{}', p_name_ar text default null, p_exclude uuid default null
) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  with mine as (
    select n.v as said, public.actor_name_key(n.v) as k
    from unnest(array[p_name, p_name_ar] || coalesce(p_aliases, '{}')) as n(v)
    where public.actor_name_key(n.v) is not null
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'name', a.name, 'name_ar', a.name_ar, 'actor_type', a.actor_type,
           'aliases', a.aliases, 'matched', m.matched) order by a.name), '[]'::jsonb)
  from public.actors a
  cross join lateral (
    select jsonb_agg(distinct mine.said) as matched from mine where mine.k = any (a.name_keys)
  ) m
  where a.name_keys && (select coalesce(array_agg(k), '{}') from mine)
    and (p_exclude is null or a.id <> p_exclude)
$$;

-- An actor as the app shows it: the profile with the HQ as lon/lat.
create function public.actor_json(a public.actors) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select to_jsonb(a) - 'hq' - 'name_keys' || jsonb_build_object(
    'hq_lon', st_x(a.hq), 'hq_lat', st_y(a.hq))
$$;

-- Creates (p_id null) or changes an actor. Field errors are raised with SQLSTATE 22023 and the
-- field's name first ("influence: …"); a probable duplicate with 23505 and the matches as JSON in
-- the detail, unless p_allow_duplicate says the caller has looked and it is a different actor.
create function public.actor_save(
  p_name text,
  p_actor_type text default 'unknown',
  p_id uuid default null,
  p_name_ar text default null,
  p_aliases text[] default '{}',
  p_stance text default 'unknown',
  p_influence integer default null,
  p_interest integer default null,
  p_hq_lon double precision default null,
  p_hq_lat double precision default null,
  p_hq_label text default null,
  p_notes text default '',
  p_sources text[] default '{}',
  p_allow_duplicate boolean default false
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_dups jsonb;
  v_hq geometry;
  r public.actors;
begin
  if coalesce(trim(p_name), '') = '' then
    raise exception 'name: must not be empty' using errcode = '22023';
  end if;
  if p_influence is not null and p_influence not between 1 and 5 then
    raise exception 'influence: must be between 1 and 5' using errcode = '22023';
  end if;
  if p_interest is not null and p_interest not between 1 and 5 then
    raise exception 'interest: must be between 1 and 5' using errcode = '22023';
  end if;
  if (p_hq_lon is null) <> (p_hq_lat is null) then
    raise exception 'hq: give both longitude and latitude, or neither' using errcode = '22023';
  end if;
  if p_hq_lon is not null then
    if p_hq_lon not between -180 and 180 or p_hq_lat not between -90 and 90 then
      raise exception 'hq: longitude must be within ±180 and latitude within ±90' using errcode = '22023';
    end if;
    v_hq := st_setsrid(st_makepoint(p_hq_lon, p_hq_lat), 4326);
  end if;

  if not p_allow_duplicate then
    v_dups := public.actor_duplicates(p_name, p_aliases, p_name_ar, p_id);
    if jsonb_array_length(v_dups) > 0 then
      raise exception 'name: "%" looks like an actor that already exists (%)', trim(p_name),
        (select string_agg(d ->> 'name', ', ') from jsonb_array_elements(v_dups) d)
        using errcode = '23505', detail = v_dups::text;
    end if;
  end if;

  if p_id is null then
    insert into public.actors (name, actor_type, name_ar, aliases, stance, influence, interest,
                               hq, hq_label, notes, sources)
    values (p_name, coalesce(p_actor_type, 'unknown'), p_name_ar, coalesce(p_aliases, '{}'),
            coalesce(p_stance, 'unknown'), p_influence, p_interest, v_hq, nullif(trim(coalesce(p_hq_label, '')), ''),
            coalesce(p_notes, ''), coalesce(p_sources, '{}'))
    returning * into r;
  else
    update public.actors set name = p_name, actor_type = coalesce(p_actor_type, 'unknown'),
           name_ar = p_name_ar, aliases = coalesce(p_aliases, '{}'), stance = coalesce(p_stance, 'unknown'),
           influence = p_influence, interest = p_interest, hq = v_hq,
           hq_label = nullif(trim(coalesce(p_hq_label, '')), ''),
           notes = coalesce(p_notes, ''), sources = coalesce(p_sources, '{}')
    where id = p_id
    returning * into r;
    if r.id is null then
      raise exception 'actor not found or not allowed' using errcode = '42501';
    end if;
  end if;
  return public.actor_json(r);
exception
  when unique_violation then
    if sqlerrm like '%actors_name_key%' then
      raise exception 'name: an actor named "%" already exists', trim(p_name) using errcode = '23505';
    end if;
    raise;
  when check_violation then
    raise exception '%: not an allowed value', case
      when sqlerrm like '%actor_type%' then 'actor_type'
      when sqlerrm like '%stance%' then 'stance'
      else 'actor' end using errcode = '22023';
end
$$;

-- Presence of actors as GeoJSON for the map layer: area presence with the area's (simplified)
-- outline, drawn polygons as drawn. Filters: actors, types, stance, valid on a date.
create function public.actor_presence_geojson(
  p_actor_ids uuid[] default null,
  p_types text[] default null,
  p_as_of date default null,
  p_tolerance double precision default 0.005
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('type', 'FeatureCollection', 'features', coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature', 'id', p.id,
    'geometry', st_asgeojson(coalesce(p.geom, st_simplifypreservetopology(ar.geom, greatest(p_tolerance, 0))), 5)::jsonb,
    'properties', jsonb_build_object(
      'presence_id', p.id, 'actor_id', a.id, 'name', a.name, 'name_ar', a.name_ar,
      'actor_type', a.actor_type, 'stance', a.stance, 'pcode', p.pcode,
      'area_name', ar.name_en, 'area_name_ar', ar.name_ar, 'label', p.label,
      'valid_from', p.valid_from, 'valid_to', p.valid_to, 'drawn', p.geom is not null)
  ) order by a.name, p.id), '[]'::jsonb))
  from public.actor_presence p
  join public.actors a on a.id = p.actor_id
  left join public.areas ar on ar.pcode = p.pcode
  where (p_actor_ids is null or p.actor_id = any (p_actor_ids))
    and (p_types is null or cardinality(p_types) = 0 or a.actor_type = any (p_types))
    and (p_as_of is null or ((p.valid_from is null or p.valid_from <= p_as_of) and (p.valid_to is null or p.valid_to >= p_as_of)))
$$;

-- Adds a presence: an area by P-code, or a drawn GeoJSON (Multi)Polygon.
create function public.actor_presence_add(
  p_actor_id uuid,
  p_pcode text default null,
  p_geojson jsonb default null,
  p_label text default '',
  p_valid_from date default null,
  p_valid_to date default null,
  p_notes text default ''
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v_geom geometry; r public.actor_presence;
begin
  if (p_pcode is null) = (p_geojson is null) then
    raise exception 'pcode: give an area P-code or a drawn polygon (geometry), not both or neither' using errcode = '22023';
  end if;
  if p_pcode is not null and not exists (select 1 from public.areas where pcode = p_pcode) then
    raise exception 'pcode: unknown area %', p_pcode using errcode = '22023';
  end if;
  if p_valid_to is not null and p_valid_from is not null and p_valid_to < p_valid_from then
    raise exception 'valid_to: must not be before valid_from' using errcode = '22023';
  end if;
  if p_geojson is not null then
    begin
      v_geom := st_setsrid(st_geomfromgeojson(p_geojson::text), 4326);
    exception when others then
      raise exception 'geometry: not a GeoJSON geometry' using errcode = '22023';
    end;
    if geometrytype(v_geom) not in ('POLYGON', 'MULTIPOLYGON') then
      raise exception 'geometry: must be a Polygon or MultiPolygon' using errcode = '22023';
    end if;
    v_geom := st_multi(st_collectionextract(st_makevalid(v_geom), 3));
    if st_isempty(v_geom) then
      raise exception 'geometry: the polygon has no area' using errcode = '22023';
    end if;
  end if;
  insert into public.actor_presence (actor_id, pcode, geom, label, valid_from, valid_to, notes)
  values (p_actor_id, p_pcode, v_geom, coalesce(p_label, ''), p_valid_from, p_valid_to, coalesce(p_notes, ''))
  returning * into r;
  return to_jsonb(r) - 'geom' || jsonb_build_object('drawn', r.geom is not null);
exception
  when foreign_key_violation then
    raise exception 'actor_id: no such actor' using errcode = '22023';
end
$$;

create function public.actor_presence_remove(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
begin
  delete from public.actor_presence where id = p_id;
  if not found then
    raise exception 'presence not found or not allowed' using errcode = '42501';
  end if;
  return jsonb_build_object('id', p_id, 'removed', true);
end
$$;
