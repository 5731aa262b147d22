set check_function_bodies = off;

-- Actors: who they are (public.actors, what incidents reference), where they are present, how
-- they relate to each other. Incidents are in 30_incidents.sql; their note, kept here as in
-- 20261122000400_actors_incidents:
--
-- An incident keeps ACLED's core fields so ACLED data maps one to one, plus an NGO lens in the
-- INSO manner, admiralty grading of source and information, a confidentiality level and a
-- verification status. Who may see what:
--   admin, analyst: everything;
--   field: verified incidents that are not restricted, and the ones they reported themselves;
--   viewer: verified incidents that are not restricted;
--   anyone else: nothing.

create table public.actors (
  id           uuid primary key default gen_random_uuid(),
  name         text not null check (length(trim(name)) > 0),
  actor_type   text not null default 'unknown' check (actor_type in (
                 'state_forces', 'armed_group', 'militia', 'political_party', 'authority',
                 'health_authority', 'un_agency', 'ingo', 'national_ngo', 'community_leader',
                 'religious_leader', 'donor', 'diaspora_association', 'professional',
                 'civilians', 'unknown')),
  aliases      text[] not null default '{}',
  notes        text not null default '',
  upstream_source text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  -- The profile a Security Liaison Officer keeps (20261122002000_actor_profiles).
  name_ar     text,
  stance      text not null default 'unknown'
              check (stance in ('supportive', 'neutral', 'hostile', 'unknown')),
  influence   smallint check (influence between 1 and 5),
  interest    smallint check (interest between 1 and 5),
  hq          geometry(Point, 4326),
  hq_label    text,
  -- Where the profile comes from: citations or URLs, one per element.
  sources     text[] not null default '{}',
  -- Kept by actors_before_write from name, name_ar and aliases.
  name_keys   text[] not null default '{}',
  created_by  uuid references public.app_users (id) on delete set null,
  constraint actors_hq_on_earth check (hq is null or (st_x(hq) between -180 and 180 and st_y(hq) between -90 and 90))
);

create unique index actors_name_key on public.actors (lower(name));

alter table public.actors enable row level security;

create policy "Signed-in users can read actors" on public.actors
  for select to authenticated using ((select public.current_app_role()) is not null);

create policy "Reporters can add actors" on public.actors
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst', 'field')));

create policy "Analysts can change actors" on public.actors
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Admins can delete actors" on public.actors
  for delete to authenticated using ((select public.has_app_role('admin')));

grant select, insert, update, delete on public.actors to authenticated;

-- Audited per statement (private.audit_statement, as the incidents are; 20261213100100): a hand
-- edit still leaves one entry per row with its before and after, and an import commit's new
-- actors are noted for the job's entry in one insert rather than by a trigger call per actor.
create trigger actors_audit_insert after insert on public.actors
  referencing new table as audit_new
  for each statement execute function private.audit_statement();

create trigger actors_audit_update after update on public.actors
  referencing old table as audit_old new table as audit_new
  for each statement execute function private.audit_statement();

create trigger actors_audit_delete after delete on public.actors
  referencing old table as audit_old
  for each statement execute function private.audit_statement();

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
-- Speed (issue 16, 20261213100100): an import adds thousands of actors in one insert, and this
-- runs for each. It computes the name's key once (for the hints and for name_keys) and, for the
-- usual new actor with no Arabic name, aliases or sources, skips the subqueries and the
-- actor_name_keys call (each a SQL function planned anew per row): 5,000 actors took 1.7 s, now
-- 0.3 s. The result is the same row as before.
create function private.actors_before_write() returns trigger
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
declare h private.actor_alias_hints; k text;
begin
  new.name := trim(new.name);
  new.name_ar := nullif(trim(coalesce(new.name_ar, '')), '');
  k := public.actor_name_key(new.name);
  if tg_op = 'INSERT' and cardinality(new.aliases) = 0 then
    select * into h from private.actor_alias_hints where name_key = k;
    if found then
      new.aliases := h.aliases;
      new.name_ar := coalesce(new.name_ar, h.name_ar);
    end if;
  end if;
  if cardinality(new.aliases) > 0 then
    new.aliases := coalesce((
      select array_agg(a order by ord) from (
        select distinct on (lower(trim(a))) trim(a) as a, ord
        from unnest(new.aliases) with ordinality as x(a, ord)
        where trim(a) <> '' and lower(trim(a)) <> lower(new.name)
        order by lower(trim(a)), ord) d), '{}');
  else
    new.aliases := '{}';
  end if;
  if cardinality(new.sources) > 0 then
    new.sources := coalesce((select array_agg(trim(s)) from unnest(new.sources) s where trim(s) <> ''), '{}');
  else
    new.sources := '{}';
  end if;
  -- actor_name_keys(name, name_ar, aliases), which for the name alone is its key.
  if new.name_ar is null and cardinality(new.aliases) = 0 then
    new.name_keys := case when k is null then '{}'::text[] else array[k] end;
  else
    new.name_keys := public.actor_name_keys(new.name, new.name_ar, new.aliases);
  end if;
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

-- Actor mapping, part 2: how actors relate.
--
-- A relationship is typed, dated (valid_from/valid_to, either open), directed when the kind has a
-- direction that matters (A commands B, A funds B), graded (confidence) and sourced. Every
-- signed-in role reads them, analysts and admins map them.
--
-- "Confronted each other" is not stored: it is what the incidents say. actor_confrontations
-- counts the incidents that name both actors (first and last date), under the caller's own RLS on
-- incidents, so a viewer's count covers the verified unrestricted incidents a viewer may see and
-- nothing derived can go stale when an incident is corrected.
--
-- The network functions return the whole graph in compact arrays (2,000 actors and 10,000
-- relationships are ~1 MB of JSON) so that the browser filters by date, kind, type, area and hops
-- without a round trip; relationships_as_of and actor_neighbourhood answer the same questions in
-- SQL for scripts and for the actor page.

create table public.relationships (
  id               uuid primary key default gen_random_uuid(),
  source_actor_id  uuid not null references public.actors (id),
  target_actor_id  uuid not null references public.actors (id),
  kind             text not null check (kind in (
                     'alliance', 'rivalry', 'armed_confrontation', 'command_affiliation', 'funding',
                     'coordination', 'negotiation_channel', 'kinship', 'membership')),
  directed         boolean not null default false,
  valid_from       date,
  valid_to         date,
  confidence       text not null default 'medium' check (confidence in ('low', 'medium', 'high')),
  source           text not null default '',
  notes            text not null default '',
  created_by       uuid references public.app_users (id) on delete set null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint relationships_not_self check (source_actor_id <> target_actor_id),
  constraint relationships_dates check (valid_to is null or valid_from is null or valid_to >= valid_from)
);

create index relationships_source_idx on public.relationships (source_actor_id);

create index relationships_target_idx on public.relationships (target_actor_id);

alter table public.relationships enable row level security;

create policy "Signed-in users can read relationships" on public.relationships
  for select to authenticated using ((select public.current_app_role()) is not null);

create policy "Analysts and admins can map relationships" on public.relationships
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can change relationships" on public.relationships
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can remove relationships" on public.relationships
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));

grant select, insert, update, delete on public.relationships to authenticated;

create trigger relationships_audit after insert or update or delete on public.relationships
  for each row execute function private.audit_row();

create function private.relationships_before_write() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
  else
    new.updated_at := now();
  end if;
  return new;
end
$$;

create trigger relationships_before_write before insert or update on public.relationships
  for each row execute function private.relationships_before_write();

-- Valid on a date: open ends are open.
create function public.valid_on(p_from date, p_to date, p_date date) returns boolean
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select p_date is null or ((p_from is null or p_from <= p_date) and (p_to is null or p_to >= p_date))
$$;

-- ---------------------------------------------------------------------------------------------
-- Creates (p_id null) or changes a relationship. Field errors: SQLSTATE 22023, field name first.
create function public.relationship_save(
  p_source_actor_id uuid,
  p_target_actor_id uuid,
  p_kind text,
  p_id uuid default null,
  p_directed boolean default false,
  p_valid_from date default null,
  p_valid_to date default null,
  p_confidence text default 'medium',
  p_source text default '',
  p_notes text default ''
) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare r public.relationships;
begin
  if p_source_actor_id is null then
    raise exception 'source_actor_id: is required' using errcode = '22023';
  end if;
  if p_target_actor_id is null then
    raise exception 'target_actor_id: is required' using errcode = '22023';
  end if;
  if p_source_actor_id = p_target_actor_id then
    raise exception 'target_actor_id: an actor cannot have a relationship with itself' using errcode = '22023';
  end if;
  if p_valid_to is not null and p_valid_from is not null and p_valid_to < p_valid_from then
    raise exception 'valid_to: the end (%) is before the start (%)', p_valid_to, p_valid_from using errcode = '22023';
  end if;
  if p_id is null then
    insert into public.relationships (source_actor_id, target_actor_id, kind, directed, valid_from,
                                      valid_to, confidence, source, notes)
    values (p_source_actor_id, p_target_actor_id, p_kind, coalesce(p_directed, false), p_valid_from,
            p_valid_to, coalesce(p_confidence, 'medium'), coalesce(p_source, ''), coalesce(p_notes, ''))
    returning * into r;
  else
    update public.relationships set source_actor_id = p_source_actor_id, target_actor_id = p_target_actor_id,
           kind = p_kind, directed = coalesce(p_directed, false), valid_from = p_valid_from,
           valid_to = p_valid_to, confidence = coalesce(p_confidence, 'medium'),
           source = coalesce(p_source, ''), notes = coalesce(p_notes, '')
    where id = p_id returning * into r;
    if r.id is null then
      raise exception 'relationship not found or not allowed' using errcode = '42501';
    end if;
  end if;
  return to_jsonb(r);
exception
  when check_violation then
    raise exception '%: not an allowed value', case
      when sqlerrm like '%kind%' then 'kind'
      when sqlerrm like '%confidence%' then 'confidence'
      else 'relationship' end using errcode = '22023';
  when foreign_key_violation then
    raise exception '%: no such actor', case when sqlerrm like '%source%' then 'source_actor_id'
      else 'target_actor_id' end using errcode = '22023';
end
$$;

create function public.relationship_remove(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
begin
  delete from public.relationships where id = p_id;
  if not found then
    raise exception 'relationship not found or not allowed' using errcode = '42501';
  end if;
  return jsonb_build_object('id', p_id, 'removed', true);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Derived "confronted each other": incidents naming both actors, per unordered pair (actor_a <
-- actor_b), up to a date (null: all). Security invoker: counts only incidents the caller may see.
create function public.actor_confrontations(p_actor_id uuid default null, p_as_of date default null)
returns table (actor_a uuid, actor_b uuid, incidents bigint, fatalities bigint, first_date date, last_date date)
language sql stable
set search_path = public, pg_temp
as $$
  select least(i.actor1_id, i.actor2_id), greatest(i.actor1_id, i.actor2_id),
         count(*), sum(i.fatalities), min(i.event_date), max(i.event_date)
  from public.incidents i
  where i.actor1_id is not null and i.actor2_id is not null and i.actor1_id <> i.actor2_id
    and (p_actor_id is null or p_actor_id in (i.actor1_id, i.actor2_id))
    and (p_as_of is null or i.event_date <= p_as_of)
  group by 1, 2
$$;

-- The relationships standing on a date, and the confrontations of incidents up to that date, as
-- one list of edges ({kind: 'confronted', derived: true, incidents, first_date, last_date} for the
-- latter). p_date null: every relationship whatever its dates, and every confrontation.
create function public.relationships_as_of(
  p_date date default null,
  p_kinds text[] default null,
  p_actor_id uuid default null,
  p_include_confrontations boolean default true
) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'as_of', p_date,
    'relationships', coalesce((
      select jsonb_agg(to_jsonb(r) || jsonb_build_object('derived', false,
               'source_name', s.name, 'target_name', t.name) order by r.valid_from nulls first, r.id)
      from public.relationships r
      join public.actors s on s.id = r.source_actor_id
      join public.actors t on t.id = r.target_actor_id
      where public.valid_on(r.valid_from, r.valid_to, p_date)
        and (p_kinds is null or cardinality(p_kinds) = 0 or r.kind = any (p_kinds))
        and (p_actor_id is null or p_actor_id in (r.source_actor_id, r.target_actor_id))), '[]'::jsonb),
    'confrontations', case when p_include_confrontations
        and (p_kinds is null or cardinality(p_kinds) = 0 or 'confronted' = any (p_kinds)) then coalesce((
      select jsonb_agg(jsonb_build_object('kind', 'confronted', 'derived', true, 'directed', false,
               'source_actor_id', c.actor_a, 'target_actor_id', c.actor_b,
               'source_name', s.name, 'target_name', t.name,
               'incidents', c.incidents, 'fatalities', c.fatalities,
               'first_date', c.first_date, 'last_date', c.last_date) order by c.incidents desc, c.actor_a, c.actor_b)
      from public.actor_confrontations(p_actor_id, p_date) c
      join public.actors s on s.id = c.actor_a
      join public.actors t on t.id = c.actor_b), '[]'::jsonb) else '[]'::jsonb end)
$$;

-- An actor's neighbourhood: the actors within p_hops (1–3) steps over the relationships standing
-- on p_as_of (null: any) and, unless switched off, the confrontations up to then, each with its
-- distance; and the edges among them. Directions are ignored for reachability.
create function public.actor_neighbourhood(
  p_actor_id uuid,
  p_hops integer default 1,
  p_as_of date default null,
  p_include_confrontations boolean default true
) returns jsonb
language plpgsql stable
set search_path = public, pg_temp
as $$
declare v jsonb;
begin
  if p_hops is null or p_hops not between 1 and 3 then
    raise exception 'hops: must be 1, 2 or 3' using errcode = '22023';
  end if;
  with recursive edges as (
    select r.id::text as id, r.source_actor_id as a, r.target_actor_id as b, r.kind, r.directed,
           null::bigint as incidents
    from public.relationships r
    where public.valid_on(r.valid_from, r.valid_to, p_as_of)
    union all
    select 'confronted:' || c.actor_a || ':' || c.actor_b, c.actor_a, c.actor_b, 'confronted', false, c.incidents
    from public.actor_confrontations(null, p_as_of) c
    where p_include_confrontations
  ),
  undirected as (
    select a as x, b as y from edges union select b, a from edges
  ),
  walk (actor_id, hop) as (
    select p_actor_id, 0
    union
    select u.y, w.hop + 1 from walk w join undirected u on u.x = w.actor_id where w.hop < p_hops
  ),
  nodes as (select actor_id, min(hop) as hop from walk group by actor_id)
  select jsonb_build_object(
    'focus', p_actor_id, 'hops', p_hops, 'as_of', p_as_of,
    'nodes', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'actor_type', a.actor_type,
               'stance', a.stance, 'hop', n.hop) order by n.hop, a.name)
             from nodes n join public.actors a on a.id = n.actor_id), '[]'::jsonb),
    'edges', coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'source', e.a, 'target', e.b,
               'kind', e.kind, 'directed', e.directed, 'incidents', e.incidents) order by e.kind, e.id)
             from edges e
             where e.a in (select actor_id from nodes) and e.b in (select actor_id from nodes)), '[]'::jsonb))
  into v;
  if not exists (select 1 from public.actors where id = p_actor_id) then
    return null;
  end if;
  return v;
end
$$;

-- The P-codes given and all their ancestors.
create function public.area_lineage_up(p_pcodes text[]) returns text[]
language sql stable
set search_path = public, pg_temp
as $$
  with recursive up as (
    select a.pcode, a.parent_pcode from public.areas a where a.pcode = any (p_pcodes)
    union
    select p.pcode, p.parent_pcode from public.areas p join up on p.pcode = up.parent_pcode
  )
  select coalesce(array_agg(distinct pcode), '{}') from up
$$;

-- The whole network for the network view, compact:
--   nodes: [id, name, actor_type, stance, influence, interest, [area P-codes, every level]]
--   edges: [id, source, target, kind, directed, valid_from, valid_to, confidence]
--   confrontations: [source, target, [[month 'YYYY-MM', incidents], …]]  (source < target)
-- Dates are left to the browser, which redraws the network for any day without asking again.
create function public.actor_network() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  with area_map as (
    -- presence areas and their ancestors (a drawn polygon counts in the areas it overlaps)
    select p.actor_id, x.pcode
    from public.actor_presence p
    cross join lateral unnest(public.area_lineage_up(
      case when p.pcode is not null then array[p.pcode]
           else (select array_agg(a.pcode) from public.areas a where a.geom && p.geom and st_intersects(a.geom, p.geom)) end
    )) as x(pcode)
  )
  select jsonb_build_object(
    'nodes', coalesce((select jsonb_agg(jsonb_build_array(a.id, a.name, a.actor_type, a.stance, a.influence,
               a.interest, coalesce((select jsonb_agg(distinct m.pcode) from area_map m where m.actor_id = a.id), '[]'::jsonb)))
             from public.actors a), '[]'::jsonb),
    'edges', coalesce((select jsonb_agg(jsonb_build_array(r.id, r.source_actor_id, r.target_actor_id, r.kind,
               r.directed, r.valid_from, r.valid_to, r.confidence))
             from public.relationships r), '[]'::jsonb),
    'confrontations', coalesce((select jsonb_agg(jsonb_build_array(p.a, p.b, p.months))
             from (select m.a, m.b, jsonb_agg(jsonb_build_array(m.month, m.n) order by m.month) as months
                   from (select least(i.actor1_id, i.actor2_id) as a, greatest(i.actor1_id, i.actor2_id) as b,
                                to_char(i.event_date, 'YYYY-MM') as month, count(*) as n
                         from public.incidents i
                         where i.actor1_id is not null and i.actor2_id is not null and i.actor1_id <> i.actor2_id
                         group by 1, 2, 3) m
                   group by m.a, m.b) p), '[]'::jsonb))
$$;

-- ---------------------------------------------------------------------------------------------
-- Where an actor is drawn on the map: its HQ, else the centre of its presence (areas and drawn
-- polygons together).
create function public.actor_location(p_actor_id uuid) returns geometry
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(
    (select hq from public.actors where id = p_actor_id),
    (select st_pointonsurface(st_union(coalesce(p.geom, a.geom)))
     from public.actor_presence p left join public.areas a on a.pcode = p.pcode
     where p.actor_id = p_actor_id))
$$;

-- Arcs for the map (deck.gl ArcLayer): one per relationship standing on p_as_of whose two actors
-- both have a location, plus the confrontations up to that date, with the same filters as the
-- network: [source lon, source lat, target lon, target lat, kind, directed, weight, source name,
-- target name, relationship id or null].
create function public.relationship_arcs(
  p_as_of date default null,
  p_kinds text[] default null,
  p_types text[] default null,
  p_area text default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with loc as (
    select a.id, a.name, a.actor_type, public.actor_location(a.id) as g
    from public.actors a
    where (p_types is null or cardinality(p_types) = 0 or a.actor_type = any (p_types))
      and (p_area is null or p_area = any (public.actor_area_pcodes(a.id, p_as_of)))
  ),
  e as (
    select r.source_actor_id as s, r.target_actor_id as t, r.kind, r.directed, 1::bigint as w, r.id
    from public.relationships r
    where public.valid_on(r.valid_from, r.valid_to, p_as_of)
      and (p_kinds is null or cardinality(p_kinds) = 0 or r.kind = any (p_kinds))
    union all
    select c.actor_a, c.actor_b, 'confronted', false, c.incidents, null
    from public.actor_confrontations(null, p_as_of) c
    where p_kinds is null or cardinality(p_kinds) = 0 or 'confronted' = any (p_kinds)
  )
  select coalesce(jsonb_agg(jsonb_build_array(
           round(st_x(s.g)::numeric, 5), round(st_y(s.g)::numeric, 5),
           round(st_x(t.g)::numeric, 5), round(st_y(t.g)::numeric, 5),
           e.kind, e.directed, e.w, s.name, t.name, e.id) order by e.kind, e.w desc), '[]'::jsonb)
  from e join loc s on s.id = e.s join loc t on t.id = e.t
  where s.g is not null and t.g is not null
$$;

-- ---------------------------------------------------------------------------------------------
-- The registry: actors matching a search (any of their names, case/diacritics-insensitive),
-- types, stances and an area (present there at any level), with counts for the list. Paged.
create function public.actors_list(
  p_q text default null,
  p_types text[] default null,
  p_stances text[] default null,
  p_area text default null,
  p_limit integer default 200,
  p_offset integer default 0
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with q as (select public.actor_name_key(p_q) as k),
  f as (
    select a.* from public.actors a, q
    where (q.k is null or exists (select 1 from unnest(a.name_keys) nk where strpos(nk, q.k) > 0))
      and (p_types is null or cardinality(p_types) = 0 or a.actor_type = any (p_types))
      and (p_stances is null or cardinality(p_stances) = 0 or a.stance = any (p_stances))
      and (p_area is null or p_area = any (public.actor_area_pcodes(a.id)))
  ),
  page as (select * from f order by lower(f.name), f.id
           limit least(greatest(coalesce(p_limit, 200), 0), 5000) offset greatest(coalesce(p_offset, 0), 0))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'actors', coalesce((select jsonb_agg(public.actor_json(p) || jsonb_build_object(
        'relationships', (select count(*) from public.relationships r where p.id in (r.source_actor_id, r.target_actor_id)),
        'incidents', (select count(*) from public.incidents i where p.id in (i.actor1_id, i.actor2_id)))
      order by lower(p.name), p.id) from page p), '[]'::jsonb))
$$;

-- The actor page: profile, presence, relationships (with the other actor's name), derived
-- confrontations, and the incidents involving the actor that the caller may see (counts by type
-- and the latest p_incidents of them). Contacts come from contacts_list, which audits the read.
create function public.actor_get(p_id uuid, p_incidents integer default 20) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select public.actor_json(a) || jsonb_build_object(
    'areas', public.actor_area_pcodes(a.id),
    'presence', coalesce((select jsonb_agg(to_jsonb(p) - 'geom' || jsonb_build_object(
          'drawn', p.geom is not null, 'area_name', ar.name_en, 'area_name_ar', ar.name_ar,
          'geometry', case when p.geom is not null then st_asgeojson(p.geom, 5)::jsonb end)
        order by p.valid_from nulls first, ar.name_en)
      from public.actor_presence p left join public.areas ar on ar.pcode = p.pcode
      where p.actor_id = a.id), '[]'::jsonb),
    'relationships', coalesce((select jsonb_agg(to_jsonb(r) || jsonb_build_object(
          'other_id', o.id, 'other_name', o.name, 'other_type', o.actor_type,
          'outgoing', r.source_actor_id = a.id)
        order by r.valid_from desc nulls last, o.name)
      from public.relationships r
      join public.actors o on o.id = case when r.source_actor_id = a.id then r.target_actor_id else r.source_actor_id end
      where a.id in (r.source_actor_id, r.target_actor_id)), '[]'::jsonb),
    'confrontations', coalesce((select jsonb_agg(jsonb_build_object(
          'other_id', o.id, 'other_name', o.name, 'incidents', c.incidents, 'fatalities', c.fatalities,
          'first_date', c.first_date, 'last_date', c.last_date) order by c.incidents desc, o.name)
      from public.actor_confrontations(a.id, null) c
      join public.actors o on o.id = case when c.actor_a = a.id then c.actor_b else c.actor_a end), '[]'::jsonb),
    'incident_counts', (select jsonb_build_object('total', count(*), 'fatalities', coalesce(sum(i.fatalities), 0),
          'first_date', min(i.event_date), 'last_date', max(i.event_date),
          'by_type', coalesce((select jsonb_object_agg(t.event_type, t.n) from (
             select event_type, count(*) as n from public.incidents where a.id in (actor1_id, actor2_id) group by 1) t), '{}'::jsonb))
      from public.incidents i where a.id in (i.actor1_id, i.actor2_id)),
    'incidents', coalesce((select jsonb_agg(x order by x ->> 'event_date' desc) from (
        select jsonb_build_object('id', i.id, 'event_date', i.event_date, 'event_type', i.event_type,
               'fatalities', i.fatalities, 'location_name', public.incident_place_for_caller(i.location_name, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, (select public.caller_location_scope())), 'admin1_pcode', i.admin1_pcode,
               'other_name', o.name) as x
        from public.incidents i
        left join public.actors o on o.id = case when i.actor1_id = a.id then i.actor2_id else i.actor1_id end
        where a.id in (i.actor1_id, i.actor2_id)
        order by i.event_date desc, i.id
        limit least(greatest(coalesce(p_incidents, 20), 0), 500)) s), '[]'::jsonb))
  from public.actors a
  where a.id = p_id
$$;

-- Influence × interest of the actors that have both, for the power–interest grid.
create function public.actors_power_interest(p_types text[] default null, p_area text default null) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'name_ar', a.name_ar,
           'actor_type', a.actor_type, 'stance', a.stance, 'influence', a.influence, 'interest', a.interest)
         order by a.influence desc, a.interest desc, a.name), '[]'::jsonb)
  from public.actors a
  where a.influence is not null and a.interest is not null
    and (p_types is null or cardinality(p_types) = 0 or a.actor_type = any (p_types))
    and (p_area is null or p_area = any (public.actor_area_pcodes(a.id)))
$$;

-- Deleting an actor without orphaning anything. (The admins' view of the audit log, from the same
-- migration, is audit_log_search in 00_roles_auth.sql.)
--
-- An actor is referenced by relationships, contacts (their organisation), incidents (actor1/2),
-- checkpoints (controlling actor) and presence. The foreign keys refuse a plain delete while any
-- of these exist; actor_delete says what happens to them:
--   reassign  everything moves to another actor (a merge: the deleted actor's name and aliases
--             become aliases of the kept one; a relationship that would join the kept actor to
--             itself is dropped; an incident whose two sides become one keeps one side);
--   detach    relationships and presence go (an edge needs both ends); contacts, incidents and
--             checkpoints stay, with no actor;
--   delete    relationships, presence and the contacts of that organisation go; incidents and
--             checkpoints stay with no actor (incidents are evidence and are never deleted here).
-- Only admins delete actors (the foundation's policy); actor_dependents tells the form what there
-- is to decide about.

create function public.actor_dependents(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select jsonb_build_object(
    'id', p_id,
    'relationships', (select count(*) from public.relationships r where p_id in (r.source_actor_id, r.target_actor_id)),
    'contacts', case when (select public.has_app_role('admin', 'analyst')) then sensitive.actor_contact_count(p_id) end,
    'incidents', (select count(*) from public.incidents i where p_id in (i.actor1_id, i.actor2_id)),
    'checkpoints', (select count(*) from public.checkpoints k where k.controlling_actor_id = p_id),
    'presence', (select count(*) from public.actor_presence p where p.actor_id = p_id))
  where exists (select 1 from public.actors where id = p_id)
$$;

create function public.actor_delete(p_id uuid, p_mode text default null, p_target_id uuid default null)
returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare
  a public.actors;
  dep jsonb;
  n_rel bigint := 0; n_self bigint := 0; n_con bigint := 0; n_inc bigint := 0; n_cp bigint := 0; n_pre bigint := 0;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may delete actors' using errcode = '42501';
  end if;
  select * into a from public.actors where id = p_id;
  if a.id is null then
    raise exception 'actor not found' using errcode = 'P0002';
  end if;
  if p_mode is not null and p_mode not in ('reassign', 'detach', 'delete') then
    raise exception 'mode: use reassign, detach or delete' using errcode = '22023';
  end if;
  dep := public.actor_dependents(p_id);
  if p_mode is null and ((dep ->> 'relationships')::int + (dep ->> 'contacts')::int + (dep ->> 'incidents')::int
                         + (dep ->> 'checkpoints')::int + (dep ->> 'presence')::int) > 0 then
    raise exception 'mode: "%" has % relationships, % contacts, % incidents, % checkpoints and % presence areas; say whether to reassign, detach or delete them',
      a.name, dep ->> 'relationships', dep ->> 'contacts', dep ->> 'incidents', dep ->> 'checkpoints', dep ->> 'presence'
      using errcode = '23503', detail = dep::text;
  end if;

  if p_mode = 'reassign' then
    if p_target_id is null then
      raise exception 'target_id: reassign needs the actor to move everything to' using errcode = '22023';
    end if;
    if p_target_id = p_id then
      raise exception 'target_id: cannot reassign an actor to itself' using errcode = '22023';
    end if;
    if not exists (select 1 from public.actors where id = p_target_id) then
      raise exception 'target_id: no such actor' using errcode = '22023';
    end if;
    delete from public.relationships
    where (source_actor_id = p_id and target_actor_id = p_target_id)
       or (source_actor_id = p_target_id and target_actor_id = p_id);
    get diagnostics n_self = row_count;
    update public.relationships set source_actor_id = p_target_id where source_actor_id = p_id;
    get diagnostics n_rel = row_count;
    update public.relationships set target_actor_id = p_target_id where target_actor_id = p_id;
    get diagnostics n_inc = row_count;
    n_rel := n_rel + n_inc;
    update sensitive.contacts set actor_id = p_target_id where actor_id = p_id;
    get diagnostics n_con = row_count;
    update public.incidents set
      actor1_id = case when actor1_id = p_id then p_target_id else actor1_id end,
      actor2_id = case when actor2_id = p_id then (case when actor1_id = p_target_id then null else p_target_id end)
                       when actor2_id = p_target_id and actor1_id = p_id then null
                       else actor2_id end
    where p_id in (actor1_id, actor2_id);
    get diagnostics n_inc = row_count;
    update public.checkpoints set controlling_actor_id = p_target_id where controlling_actor_id = p_id;
    get diagnostics n_cp = row_count;
    update public.actor_presence set actor_id = p_target_id where actor_id = p_id;
    get diagnostics n_pre = row_count;
    update public.actors t set aliases = t.aliases || array[a.name] || a.aliases
    where t.id = p_target_id;
  elsif p_mode in ('detach', 'delete') then
    delete from public.relationships where p_id in (source_actor_id, target_actor_id);
    get diagnostics n_rel = row_count;
    if p_mode = 'detach' then
      update sensitive.contacts set actor_id = null where actor_id = p_id;
    else
      delete from sensitive.contacts where actor_id = p_id;
    end if;
    get diagnostics n_con = row_count;
    update public.incidents set
      actor1_id = case when actor1_id = p_id then null else actor1_id end,
      actor2_id = case when actor2_id = p_id then null else actor2_id end
    where p_id in (actor1_id, actor2_id);
    get diagnostics n_inc = row_count;
    update public.checkpoints set controlling_actor_id = null where controlling_actor_id = p_id;
    get diagnostics n_cp = row_count;
    delete from public.actor_presence where actor_id = p_id;
    get diagnostics n_pre = row_count;
  end if;

  delete from public.actors where id = p_id;
  return jsonb_build_object('id', p_id, 'name', a.name, 'deleted', true, 'mode', p_mode, 'target_id', p_target_id,
    'relationships', n_rel, 'relationships_dropped', n_self, 'contacts', n_con, 'incidents', n_inc,
    'checkpoints', n_cp, 'presence', n_pre);
end
$$;

create function public.actor_names() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'actor_type', a.actor_type)
           order by lower(a.name), a.id), '[]'::jsonb)
  from public.actors a
$$;

-- Actors named by an alias: an incident imported or reported with actor "Daesh", "ISIL" or
-- "داعش" belongs to the actor registered as "IS" (aliases, Arabic name, spelling variants —
-- actor_name_key, 20261122002000_actor_profiles.sql), not to a new duplicate actor named
-- "Daesh". Until now the import and the report form matched the exact name only
-- (case-insensitively), so every import in another spelling split an actor's incidents in two.
-- A name that matches several actors' keys takes the one whose own name it is, else the oldest.

-- The actor a name stands for, by its key (null when no actor has it).
create function public.actor_by_name(p_name text) returns uuid
language sql stable
set search_path = public, pg_temp
as $$
  select a.id from public.actors a
  where a.name_keys @> array[public.actor_name_key(p_name)]
  order by (lower(a.name) = lower(trim(p_name))) desc, a.created_at, a.id
  limit 1
$$;

-- One relationship as stored, for PATCH /api/v1/relationships/{id} (merge semantics: the stored
-- fields fill in what the request does not send). RLS decides whether the caller sees it.
create function public.relationship_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(r) from public.relationships r where r.id = p_id
$$;
