-- The gazetteer: every name an admin area goes by — COD-AB's English and Arabic names (kept in
-- step with the areas table by a trigger), common variants and former names (seeded from
-- supabase/seed/gazetteer.csv, with their sources), and what admins add (gazetteer_add).
-- Names are matched by two keys, so that transliteration and diacritics do not matter:
--   place_key       lower case, no diacritics, no article ("Al-", "ال"), no spaces or dashes
--                   ("Al-Basrah" = "al basrah" = "ALBASRAH"; "الأنبار" = "انبار")
--   place_skeleton  place_key without vowels, doubled letters and the letters transliterations
--                   disagree on (th/dh, q/k, g/j/ch, p/b, a final h): "Basra" = "Basrah",
--                   "Nassriya" = "Nasiriyah", "Hawija" = "Al-Hawiga", "Thi-Qar" = "Dhi Qar".
-- The first key is tried first; the skeleton only when no name has the first key.

create function public.place_key(p text) returns text
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select nullif(replace(
    -- articles as words of their own: "al", "el", and the sun-letter forms ("ad-Din", "ash-Shuyukh")
    regexp_replace(
      regexp_replace(
        ' ' || regexp_replace(
          -- Arabic: no short vowels, no tatweel
          regexp_replace(
            translate(lower(p),
              'áàâäãåāăąçćčéèêëēėęíìîïīįñńóòôöõōøúùûüūůýÿşšţžğıḥṣṭḍẓ' || 'أإآٱىةؤئ' || 'ʿʾ''’`‘',
              'aaaaaaaaaccceeeeeeeiiiiiinnooooooouuuuuuyysstzgihstdz' || 'اااايهوي'),
            '[\u064B-\u065F\u0670\u0640]', '', 'g'),
          '[^a-z0-9\u0621-\u064A\u0660-\u0669\u06A9\u06AF\u06C0-\u06D5]+', ' ', 'g') || ' ',
        ' (al|el|ad|ar|as|ash|at|az|adh|an) ', ' ', 'g'),
      ' ال', ' ', 'g'),
    ' ', ''), '')
$$;

create function public.place_skeleton(p text) returns text
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  with k as (select public.place_key(p) as k)
  select case
    when k.k is null then null
    -- Arabic script: long vowels and a final ه are where spellings differ
    when k.k ~ '[\u0621-\u06D5]' then
      coalesce(nullif(left(k.k, 1) || regexp_replace(regexp_replace(substr(k.k, 2), '[اوي]', '', 'g'), 'ه$', ''), ''), k.k)
    else coalesce(nullif(
      regexp_replace(
        regexp_replace(
          regexp_replace(
            translate(
              regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                k.k, 'ch', 'j', 'g'), '(dh|th)', 'd', 'g'), 'kh', 'k', 'g'), 'gh', 'g', 'g'), 'ph', 'f', 'g'),
              'qgpcv', 'kjbkf'),
            '([aeiouy])h$', '\1'),
          '(.)[aeiouy]+|^[aeiou]+', '\1', 'g'),
        '(.)\1+', '\1', 'g'), ''), k.k)
  end
  from k
$$;

create table public.gazetteer (
  id          uuid primary key default gen_random_uuid(),
  -- No foreign key: the seeded names exist before the areas are loaded (terrain areas / demo data).
  pcode       text not null check (pcode ~ '^[A-Z]{2,3}[A-Z0-9]+$'),
  name        text not null check (length(trim(name)) between 1 and 200),
  kind        text not null default 'variant' check (kind in ('official', 'variant', 'former')),
  source      text not null check (length(trim(source)) between 1 and 300),
  name_key    text generated always as (public.place_key(name)) stored,
  name_skel   text generated always as (public.place_skeleton(name)) stored,
  created_by  uuid references public.app_users (id) default auth.uid(),
  created_at  timestamptz not null default now(),
  unique (pcode, name)
);
create index gazetteer_key_idx on public.gazetteer (name_key);
create index gazetteer_skel_idx on public.gazetteer (name_skel);
create index gazetteer_pcode_idx on public.gazetteer (pcode);
alter table public.gazetteer enable row level security;
create policy "Signed-in users can read the gazetteer" on public.gazetteer
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Admins can add names to the gazetteer" on public.gazetteer
  for insert to authenticated with check ((select public.has_app_role('admin')) and kind <> 'official');
create policy "Admins can remove names they or the seed added" on public.gazetteer
  for delete to authenticated using ((select public.has_app_role('admin')) and kind <> 'official');
create policy "Admins can change the names they or the seed added" on public.gazetteer
  for update to authenticated using ((select public.has_app_role('admin')) and kind <> 'official')
  with check ((select public.has_app_role('admin')) and kind <> 'official');
grant select, insert, update, delete on public.gazetteer to authenticated;

-- COD-AB's own names follow the areas table.
create function public.gazetteer_from_areas() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    delete from public.gazetteer where pcode = old.pcode and kind = 'official';
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.gazetteer (pcode, name, kind, source, created_by)
    select new.pcode, n, 'official', 'COD-AB (areas table)', null
    from unnest(array[new.name_en, new.name_ar]) n
    where nullif(trim(n), '') is not null
    on conflict (pcode, name) do update set kind = 'official', source = excluded.source;
  end if;
  return null;
end
$$;
create trigger areas_gazetteer after insert or update of name_en, name_ar, pcode or delete on public.areas
  for each row execute function public.gazetteer_from_areas();

insert into public.gazetteer (pcode, name, kind, source, created_by)
select a.pcode, n, 'official', 'COD-AB (areas table)', null
from public.areas a cross join lateral unnest(array[a.name_en, a.name_ar]) n
where nullif(trim(n), '') is not null
on conflict do nothing;

-- The areas of one level a name can mean, with the tier that matched (1 key, 2 skeleton) and
-- only the best tier's matches.
create function public.place_candidates(p_name text, p_level smallint)
returns table (pcode text, name_en text, parent_pcode text, parent_name text, tier integer)
language sql stable
set search_path = public, pg_temp
as $$
  with k as (select public.place_key(p_name) as k, public.place_skeleton(p_name) as s),
  hits as (
    select g.pcode, 1 as tier from public.gazetteer g, k where g.name_key = k.k
    union all
    select g.pcode, 2 from public.gazetteer g, k where g.name_skel = k.s
  ),
  best as (
    select h.pcode, min(h.tier) as tier from hits h
    join public.areas a on a.pcode = h.pcode and a.level = p_level
    group by h.pcode
  )
  select a.pcode, a.name_en, a.parent_pcode, p.name_en, b.tier
  from best b join public.areas a on a.pcode = b.pcode
  left join public.areas p on p.pcode = a.parent_pcode
  where b.tier = (select min(tier) from best)
$$;

-- An area named in words. Each name is matched at its own level only (a governorate column's
-- "Kirkuk" is the governorate, not the district), the deeper ones within the shallower ones.
-- Returns the deepest area named, or a problem: an error when nothing can be placed or a name is
-- ambiguous (with the candidates), a warning when a deeper name is not found and the row is
-- placed at a shallower level (precision is never lost silently).
create function public.place_by_names(p_admin1 text, p_admin2 text, p_admin3 text)
returns table (pcode text, problem jsonb)
language plpgsql stable
set search_path = public, pg_temp
as $$
declare
  names text[] := array[nullif(trim(p_admin1), ''), nullif(trim(p_admin2), ''), nullif(trim(p_admin3), '')];
  words text[] := array['governorate', 'district', 'sub-district'];
  fields text[] := array['admin1', 'admin2', 'admin3'];
  found text; missed integer; hits text[]; list text; lvl integer;
begin
  for lvl in 1..3 loop
    continue when names[lvl] is null;
    select array_agg(x.pcode order by x.pcode),
           string_agg(format('%s (%s%s)', x.name_en, coalesce(x.parent_name || ', ', ''), x.pcode), '; ' order by x.pcode)
      into hits, list
      from public.place_candidates(names[lvl], lvl::smallint) x
     where found is null or x.parent_pcode = found
        or exists (select 1 from public.areas pa where pa.pcode = x.parent_pcode and pa.parent_pcode = found);
    if cardinality(hits) = 1 then
      found := hits[1];
    elsif cardinality(hits) > 1 then
      return query select null::text, jsonb_build_object('field', fields[lvl], 'level', 'error',
        'reason', format('the %s name "%s" is ambiguous: it can be %s; name the %s too, or give a P-code',
                         words[lvl], left(names[lvl], 60), left(list, 600),
                         case when lvl = 1 then 'district' else 'governorate' end));
      return;
    elsif missed is null then
      missed := lvl;
    end if;
  end loop;
  if found is null then
    return query select null::text, case when missed is not null then
      jsonb_build_object('field', fields[missed], 'level', 'error',
        'reason', format('no coordinates, and the %s name "%s" matches no %s', words[missed], left(names[missed], 60), words[missed]))
    else jsonb_build_object('field', 'lat', 'level', 'error',
        'reason', 'no coordinates, P-code or area name: the row cannot be placed') end;
  elsif missed is not null then
    -- Placed, but less precisely than the row says (a deeper name not found), or a name that
    -- means nothing next to ones that placed it: said, never silent.
    return query select found, jsonb_build_object('field', fields[missed], 'level', 'warning',
      'reason', format('the %s name "%s" was not found%s: placed in %s (%s)', words[missed], left(names[missed], 60),
                       case when missed > (select a.level from public.areas a where a.pcode = found)
                            then ' there' else '' end,
                       (select a.name_en from public.areas a where a.pcode = found), found));
  else
    return query select found, null::jsonb;
  end if;
end
$$;

-- Kept for callers of the old name (the report form's place search): now the gazetteer's answer.
create or replace function public.area_by_names(p_admin1 text, p_admin2 text, p_admin3 text) returns text
language sql stable
set search_path = public, pg_temp
as $$
  select pcode from public.place_by_names(p_admin1, p_admin2, p_admin3) where problem is null or problem ->> 'level' = 'warning'
$$;

-- Where one row goes (replaces 20261122001005's body; why: names go through the gazetteer, a
-- row whose point lies outside the area it names gets a warning, and a deeper name that is not
-- found is a warning instead of a silent fall-back to the governorate).
create or replace function public.import_place_row(
  p_row integer, p_lon double precision, p_lat double precision, p_prec smallint,
  p_pcode text, p_admin1 text, p_admin2 text, p_admin3 text)
returns table (lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare v_area text; a record; v_pcode text := nullif(trim(p_pcode), ''); v_named text; v_named_level smallint; v_named_name text; v_in text; v_problem jsonb;
begin
  if public.current_app_role() is null then
    raise exception 'sign in to place points in admin areas' using errcode = '42501';
  end if;
  if p_lon is not null and p_lat is not null then
    select * into a from public.incident_areas(p_lon, p_lat);
    if a.admin1_pcode is null and exists (select 1 from public.areas) then
      return query select p_lon, p_lat, coalesce(p_prec, 1::smallint), a.admin1_pcode, a.admin2_pcode, a.admin3_pcode,
        jsonb_build_object('row', p_row, 'field', 'lat', 'level', 'warning',
          'reason', format('the point %s, %s (lat, lon) is outside every known admin area; check the coordinates and their order',
                           round(p_lat::numeric, 5), round(p_lon::numeric, 5)));
      return;
    end if;
    -- The area the row names, when it names one unambiguously: the point should lie in it.
    if v_pcode is not null then
      select ar.pcode, ar.level, ar.name_en into v_named, v_named_level, v_named_name from public.areas ar where ar.pcode = v_pcode;
    elsif coalesce(nullif(trim(p_admin1), ''), nullif(trim(p_admin2), ''), nullif(trim(p_admin3), '')) is not null then
      select ar.pcode, ar.level, ar.name_en into v_named, v_named_level, v_named_name
        from public.place_by_names(p_admin1, p_admin2, p_admin3) pb join public.areas ar on ar.pcode = pb.pcode
       where pb.problem is null;
    end if;
    if v_named is not null then
      v_in := case v_named_level when 1 then a.admin1_pcode when 2 then a.admin2_pcode when 3 then a.admin3_pcode end;
    end if;
    return query select p_lon, p_lat, coalesce(p_prec, 1::smallint), a.admin1_pcode, a.admin2_pcode, a.admin3_pcode,
      case when v_named is not null and v_in is distinct from v_named then
        jsonb_build_object('row', p_row, 'field', case when v_pcode is not null then 'admin_pcode' else 'lat' end, 'level', 'warning',
          'reason', format('the point %s, %s (lat, lon) lies in %s, not in %s (%s) that the row names',
                           round(p_lat::numeric, 5), round(p_lon::numeric, 5),
                           coalesce((select ar.name_en || ' (' || ar.pcode || ')' from public.areas ar where ar.pcode = v_in), 'another area'),
                           v_named_name, v_named)) end;
    return;
  end if;
  if v_pcode is not null then
    select ar.pcode into v_area from public.areas ar where ar.pcode = v_pcode;
    if v_area is null then
      return query select null::float8, null::float8, 3::smallint, null::text, null::text, null::text,
        jsonb_build_object('row', p_row, 'field', 'admin_pcode', 'level', 'error',
          'reason', format('no coordinates, and no area has the P-code %s', left(v_pcode, 40)));
      return;
    end if;
    return query select an.lon, an.lat, 3::smallint, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode, null::jsonb
      from public.area_anchor(v_area) an;
    return;
  end if;
  select pb.pcode, pb.problem into v_area, v_problem from public.place_by_names(p_admin1, p_admin2, p_admin3) pb;
  if v_area is null then
    return query select null::float8, null::float8, 3::smallint, null::text, null::text, null::text,
      v_problem || jsonb_build_object('row', p_row);
    return;
  end if;
  return query select an.lon, an.lat, 3::smallint, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode,
    case when v_problem is not null then v_problem || jsonb_build_object('row', p_row) end
    from public.area_anchor(v_area) an;
end
$$;

-- The admins' verbs.
create function public.gazetteer_add(p_pcode text, p_name text, p_kind text, p_source text) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin') then
    raise exception 'only admins can add names to the gazetteer' using errcode = '42501';
  end if;
  if not exists (select 1 from public.areas where pcode = upper(trim(p_pcode))) then
    raise exception 'pcode: no admin area has the P-code %', left(p_pcode, 40) using errcode = '22023';
  end if;
  insert into public.gazetteer (pcode, name, kind, source)
  values (upper(trim(p_pcode)), trim(p_name), coalesce(nullif(p_kind, ''), 'variant'), trim(p_source))
  on conflict (pcode, name) do update set kind = excluded.kind, source = excluded.source
    where gazetteer.kind <> 'official'
  returning jsonb_build_object('id', id, 'pcode', pcode, 'name', name, 'kind', kind, 'source', source,
                               'name_key', name_key, 'name_skel', name_skel) into v;
  if v is null then
    raise exception 'name: "%" is already COD-AB''s own name of %', left(p_name, 60), p_pcode using errcode = '23505';
  end if;
  return v;
end
$$;

-- What a name means: the areas it matches at each level (the import's answer, for people).
create function public.gazetteer_lookup(p_name text) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('pcode', c.pcode, 'level', l, 'name_en', c.name_en,
                                               'parent', c.parent_name, 'match', case c.tier when 1 then 'key' else 'skeleton' end)
                            order by l, c.pcode), '[]'::jsonb)
  from generate_series(1, 3) l cross join lateral public.place_candidates(p_name, l::smallint) c
$$;

create function public.gazetteer_list(p_pcode text default null) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'pcode', g.pcode, 'name', g.name, 'kind', g.kind,
                                               'source', g.source) order by g.pcode, g.kind, g.name), '[]'::jsonb)
  from public.gazetteer g where p_pcode is null or g.pcode = upper(p_pcode)
$$;
