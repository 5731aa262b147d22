set check_function_bodies = off;

-- Administrative areas: OCHA COD-AB units with P-codes (1 governorate, 2 district, 3 sub-district)
-- and English/Arabic names. Every incident and site is assigned to them by point-in-polygon.

create table public.areas (
  pcode         text primary key check (pcode ~ '^[A-Z]{2,3}[A-Z0-9]+$'),
  level         smallint not null check (level between 0 and 3),
  name_en       text not null,
  name_ar       text,
  parent_pcode  text references public.areas (pcode),
  geom          geometry(MultiPolygon, 4326) not null
);

create index areas_geom_idx on public.areas using gist (geom);

create index areas_level_idx on public.areas (level);

alter table public.areas enable row level security;

create policy "Signed-in users can read areas" on public.areas
  for select to authenticated using ((select public.current_app_role()) is not null);

grant select on public.areas to authenticated;

create trigger areas_audit after insert or update or delete on public.areas
  for each row execute function private.audit_row();

-- The outlines cut into pieces of at most 256 vertices (ST_Subdivide), for point-in-polygon
-- (issue 16, 20261213100000_area_pieces). A point is tested against the few small pieces whose
-- boxes hold it, not against a whole governorate or district outline (18 governorates average
-- ~530 vertices, and a whole outline's box holds many points that lie outside it); the nearest
-- piece is the nearest area, so the fallback within ~10 km is as cheap. The pieces cover exactly
-- their area, so every answer is the same, except that a point on a shared edge or at equal
-- distance from two areas now takes the lower P-code every time instead of whichever the index
-- met first. Kept current by the trigger below (inserts and changes of an outline, level or
-- P-code; a deleted area takes its pieces with it); nobody writes them by hand.
create table public.area_pieces (
  pcode  text not null references public.areas (pcode) on delete cascade on update cascade,
  level  smallint not null,
  geom   geometry(Polygon, 4326) not null
);

create index area_pieces_geom_idx on public.area_pieces using gist (geom);

create index area_pieces_pcode_idx on public.area_pieces (pcode);

alter table public.area_pieces enable row level security;

create policy "Signed-in users can read the pieces of area outlines" on public.area_pieces
  for select to authenticated using ((select public.current_app_role()) is not null);

grant select on public.area_pieces to authenticated;

create function private.area_pieces_follow() returns trigger
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if tg_op = 'UPDATE' then
    delete from public.area_pieces where pcode in (old.pcode, new.pcode);
  end if;
  insert into public.area_pieces (pcode, level, geom)
  select new.pcode, new.level, p.geom
  from st_subdivide(new.geom, 256) p(geom);
  return null;
end
$$;

create trigger areas_pieces after insert or update of pcode, level, geom on public.areas
  for each row execute function private.area_pieces_follow();

-- The area of a level that contains a point; a point just outside every polygon (a coastline or
-- border simplified away) takes the nearest area within ~10 km rather than none. Both look-ups
-- read area_pieces; a tie (a point on a shared edge, or as near to two areas) takes the lower
-- P-code.
create function public.area_at(p_lon double precision, p_lat double precision, p_level integer)
returns text
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(
    (select p.pcode from public.area_pieces p
      where p.level = p_level and st_intersects(p.geom, st_setsrid(st_point(p_lon, p_lat), 4326))
      order by p.pcode limit 1),
    (select p.pcode from public.area_pieces p
      where p.level = p_level
        and st_dwithin(p.geom, st_setsrid(st_point(p_lon, p_lat), 4326), 0.1)
      order by p.geom <-> st_setsrid(st_point(p_lon, p_lat), 4326), p.pcode
      limit 1)
  )
$$;

-- Areas of one level as GeoJSON for the map, simplified for display (tolerance in degrees).
create function public.areas_geojson(p_level integer, p_tolerance double precision default 0.002)
returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('type', 'FeatureCollection', 'features', coalesce(jsonb_agg(
    jsonb_build_object(
      'type', 'Feature',
      'id', a.pcode,
      'geometry', st_asgeojson(st_simplifypreservetopology(a.geom, p_tolerance), 5)::jsonb,
      'properties', jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                                       'name_ar', a.name_ar, 'parent_pcode', a.parent_pcode,
                                       'label_lon', st_x(st_pointonsurface(a.geom)),
                                       'label_lat', st_y(st_pointonsurface(a.geom)))
    ) order by a.pcode), '[]'::jsonb))
  from public.areas a
  where a.level = p_level
$$;

create function public.areas_list(p_level integer default null) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('pcode', pcode, 'level', level, 'name_en', name_en,
           'name_ar', name_ar, 'parent_pcode', parent_pcode) order by level, name_en), '[]'::jsonb)
  from public.areas where p_level is null or level = p_level
$$;

-- The P-codes of an incident filter's area= that name no area, in the order given (empty when
-- all are known): the API refuses the first of them, where a typo would otherwise count 0.
create function public.areas_unknown(p_pcodes text[]) returns text[]
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(array_agg(u.x order by u.o), '{}')
  from unnest(p_pcodes) with ordinality as u(x, o)
  where not exists (select 1 from public.areas a where a.pcode = u.x)
$$;

-- The daily context assessment: the security level of each area, with the analyst's note.
--
-- A five-level scale (public.security_level_scale; src/lib/domain/analysis-levels.ts holds the
-- same values for the UI and a test keeps them in step). Levels are history: a new assessment
-- is a new row, nothing is ever updated or deleted, so the timeline of an area is exactly what
-- was decided and when, by whom. Every signed-in role reads levels (staff need them to move);
-- only analysts and admins record them; every write is audited.
--
-- The level in force for an area on a date is its latest assessment effective on or before that
-- date (ties: the latest recorded). An area with no assessment of its own takes its parent's
-- (district → governorate), and says so (source_pcode), so the map has no holes where a
-- governorate-wide level applies.

create table public.security_level_scale (
  level     smallint primary key check (level between 1 and 5),
  key       text not null unique,
  name      text not null,
  colour    text not null check (colour ~ '^#[0-9a-f]{6}$'),
  movement  text not null
);

alter table public.security_level_scale enable row level security;

create policy "Signed-in users can read the security level scale" on public.security_level_scale
  for select to authenticated using ((select public.current_app_role()) is not null);

grant select on public.security_level_scale to authenticated;

insert into public.security_level_scale (level, key, name, colour, movement) values
  (1, 'low', 'Low', '#1b7837', 'Normal programme movements; standard check-in and check-out.'),
  (2, 'moderate', 'Moderate', '#f6c141', 'Movements with routine precautions: daylight travel, route checked before leaving, communications on.'),
  (3, 'substantial', 'Substantial', '#e8601c', 'Essential movements only, approved by the security focal point; two vehicles; no overnight stays.'),
  (4, 'high', 'High', '#b2182b', 'Movements suspended except life-saving ones approved by the head of mission; hibernation ready.'),
  (5, 'extreme', 'Extreme', '#40004b', 'No movement. Hibernate, relocate or evacuate staff as the contingency plan says.');

create table public.area_security_levels (
  id              uuid primary key default gen_random_uuid(),
  pcode           text not null references public.areas (pcode),
  level           smallint not null references public.security_level_scale (level),
  note            text not null check (length(btrim(note)) between 1 and 2000),
  effective_date  date not null,
  recorded_by     uuid not null default auth.uid() references public.app_users (id),
  recorded_at     timestamptz not null default now()
);

create index area_security_levels_area_idx on public.area_security_levels (pcode, effective_date desc, recorded_at desc);

alter table public.area_security_levels enable row level security;

create policy "Signed-in users can read security levels" on public.area_security_levels
  for select to authenticated using ((select public.current_app_role()) is not null);

create policy "Analysts and admins can record security levels in their own name" on public.area_security_levels
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and recorded_by = (select auth.uid()));

-- No update or delete policy and no grant for them: a correction is a new assessment.
grant select, insert on public.area_security_levels to authenticated;

create trigger area_security_levels_audit after insert or update or delete on public.area_security_levels
  for each row execute function private.audit_row();

-- "Not in the future" is checked against the latest calendar date anywhere on Earth (UTC+14), so
-- an analyst in Iraq recording today's level just after midnight is never told it is tomorrow;
-- a check constraint cannot read the clock, hence a trigger.
create function private.area_security_level_checks() returns trigger
language plpgsql
set search_path = public, pg_temp
as $$
begin
  if new.effective_date > (now() at time zone 'Etc/GMT-14')::date then
    raise exception 'effective_date: % is in the future', new.effective_date using errcode = '22023';
  end if;
  return new;
end
$$;

create trigger area_security_levels_checks before insert on public.area_security_levels
  for each row execute function private.area_security_level_checks();

-- A colleague's name for the timeline. app_users is readable only by admins (and each user for
-- themselves), so this narrow security-definer lookup gives signed-in users the display name
-- (or e-mail) of whoever recorded an assessment, and nothing else.
create function public.app_user_label(p_id uuid) returns text
language sql stable security definer
set search_path = public, pg_temp
as $$
  select coalesce(nullif(u.display_name, ''), u.email)
  from public.app_users u
  where u.id = p_id and (select public.current_app_role()) is not null
$$;

-- Records a level, effective on p_effective_date (default: today on the database's clock; the
-- form sends the analyst's own date). Field errors carry the argument's name first (22023 → 400), an unknown area
-- is P0002 (→ 404) and a role that may not record is 42501 (→ 403).
create function public.area_level_record(
  p_pcode text, p_level integer, p_note text, p_effective_date date default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  r public.area_security_levels;
begin
  if not (select public.has_app_role('admin', 'analyst')) then
    raise exception 'only analysts and admins can record a security level' using errcode = '42501';
  end if;
  if p_pcode is null or not exists (select 1 from public.areas where pcode = p_pcode) then
    raise exception 'pcode: no area with P-code %', coalesce(p_pcode, '(none)') using errcode = 'P0002';
  end if;
  if p_level is null or p_level not between 1 and 5 then
    raise exception 'level: must be a whole number from 1 to 5' using errcode = '22023';
  end if;
  if p_note is null or btrim(p_note) = '' then
    raise exception 'note: must not be empty' using errcode = '22023';
  end if;
  if length(btrim(p_note)) > 2000 then
    raise exception 'note: must have at most 2000 characters' using errcode = '22023';
  end if;
  insert into public.area_security_levels (pcode, level, note, effective_date, recorded_by)
  values (p_pcode, p_level, btrim(p_note), coalesce(p_effective_date, current_date), (select auth.uid()))
  returning * into r;
  return to_jsonb(r) || jsonb_build_object('recorded_by_name', public.app_user_label(r.recorded_by));
end
$$;

-- An area's assessments, newest first (by effective date, then by when they were recorded).
create function public.area_levels(p_pcode text, p_limit integer default 200) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v jsonb;
begin
  if not exists (select 1 from public.areas where pcode = p_pcode) then
    raise exception 'pcode: no area with P-code %', coalesce(p_pcode, '(none)') using errcode = 'P0002';
  end if;
  select coalesce(jsonb_agg(to_jsonb(h) order by h.effective_date desc, h.recorded_at desc), '[]'::jsonb)
  into v
  from (
    select l.id, l.pcode, l.level, s.name as level_name, s.colour, l.note, l.effective_date, l.recorded_by,
           public.app_user_label(l.recorded_by) as recorded_by_name, l.recorded_at
    from public.area_security_levels l join public.security_level_scale s on s.level = l.level
    where l.pcode = p_pcode
    order by l.effective_date desc, l.recorded_at desc
    limit greatest(least(p_limit, 1000), 1)
  ) h;
  return v;
end
$$;

-- The level in force on a date (default today) for every area of a level (or all levels), from
-- its own assessments or else its nearest ancestor's. Areas with no level at all are left out.
create function public.area_levels_current(p_as_of date default null, p_level integer default null) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with latest as (
    select distinct on (l.pcode) l.pcode, l.level, l.note, l.effective_date, l.recorded_at, l.recorded_by
    from public.area_security_levels l
    where l.effective_date <= coalesce(p_as_of, (now() at time zone 'Etc/GMT-14')::date)
    order by l.pcode, l.effective_date desc, l.recorded_at desc
  ),
  resolved as (
    select a.pcode, a.level as area_level, a.name_en, a.name_ar, a.parent_pcode,
           coalesce(own.pcode, par.pcode, gp.pcode) as source_pcode,
           coalesce(own.level, par.level, gp.level) as level,
           case when own.pcode is not null then own.note when par.pcode is not null then par.note else gp.note end as note,
           case when own.pcode is not null then own.effective_date when par.pcode is not null then par.effective_date
                else gp.effective_date end as effective_date
    from public.areas a
    left join latest own on own.pcode = a.pcode
    left join public.areas p on p.pcode = a.parent_pcode
    left join latest par on par.pcode = p.pcode
    left join latest gp on gp.pcode = p.parent_pcode
    where p_level is null or a.level = p_level
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'pcode', r.pcode, 'area_level', r.area_level, 'name_en', r.name_en, 'name_ar', r.name_ar,
    'parent_pcode', r.parent_pcode, 'level', r.level, 'level_name', s.name, 'colour', s.colour,
    'source_pcode', r.source_pcode, 'inherited', r.source_pcode <> r.pcode,
    'effective_date', r.effective_date, 'note', r.note) order by r.area_level, r.name_en), '[]'::jsonb)
  from resolved r join public.security_level_scale s on s.level = r.level
$$;

create function public.security_levels_scale() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(to_jsonb(s) order by s.level), '[]'::jsonb) from public.security_level_scale s
$$;
