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
               'fatalities', i.fatalities, 'location_name', i.location_name, 'admin1_pcode', i.admin1_pcode,
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
