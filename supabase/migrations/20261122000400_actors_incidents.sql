-- Actors (what incidents reference; the actor-mapping feature extends this table) and incidents.
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
  updated_at   timestamptz not null default now()
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
create trigger actors_audit after insert or update or delete on public.actors
  for each row execute function private.audit_row();

create table public.incidents (
  id               uuid primary key default gen_random_uuid(),
  event_date       date not null,
  event_time       time,
  time_precision   text not null default 'day'
                   check (time_precision in ('exact', 'day', 'week', 'month', 'year')),
  event_type       text not null check (event_type in (
                     'battles', 'violence_against_civilians', 'explosions_remote_violence',
                     'riots', 'protests', 'strategic_developments')),
  sub_event_type   text,
  actor1_id        uuid references public.actors (id),
  actor2_id        uuid references public.actors (id),
  admin1_pcode     text references public.areas (pcode),
  admin2_pcode     text references public.areas (pcode),
  admin3_pcode     text references public.areas (pcode),
  location_name    text,
  geom             geometry(Point, 4326) not null,
  -- 1 = exact point, 2 = near a named place, 3 = placed at an area's centre
  geo_precision    smallint not null default 1 check (geo_precision between 1 and 3),
  fatalities       integer not null default 0 check (fatalities >= 0),
  injuries         integer check (injuries >= 0),
  abductions       integer check (abductions >= 0),
  notes            text not null default '',
  source           text,
  source_scale     text,
  affects_us       boolean not null default false,
  affects_ngos     boolean not null default false,
  serious          boolean not null default false,
  source_reliability char(1) check (source_reliability in ('A', 'B', 'C', 'D', 'E', 'F')),
  info_credibility smallint check (info_credibility between 1 and 6),
  confidentiality  text not null default 'internal' check (confidentiality in ('public', 'internal', 'restricted')),
  status           text not null default 'reported' check (status in ('reported', 'verified', 'rejected', 'archived')),
  reported_by      uuid references public.app_users (id),
  upstream_source  text,
  upstream_id      text,
  is_sample        boolean not null default false,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint incidents_upstream_key unique (upstream_source, upstream_id),
  constraint incidents_point_on_earth check (
    st_x(geom) between -180 and 180 and st_y(geom) between -90 and 90)
);
-- The map selects by viewport (geometry &&) and the proximity features by distance in metres
-- (geography): each gets the index of the type it queries.
create index incidents_geom_idx on public.incidents using gist (geom);
create index incidents_geog_idx on public.incidents using gist ((geom::geography));
create index incidents_date_idx on public.incidents (event_date);
create index incidents_type_date_idx on public.incidents (event_type, event_date);
create index incidents_admin1_idx on public.incidents (admin1_pcode);
create index incidents_admin2_idx on public.incidents (admin2_pcode);
alter table public.incidents enable row level security;

create policy "Analysts and admins can read every incident" on public.incidents
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Field staff and viewers can read verified unrestricted incidents" on public.incidents
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));
create policy "Field staff can read what they reported" on public.incidents
  for select to authenticated using (
    reported_by = (select auth.uid()) and (select public.has_app_role('field')));
create policy "Field staff, analysts and admins can report incidents" on public.incidents
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst', 'field'))
    and reported_by = (select auth.uid())
    and (status = 'reported' or (select public.has_app_role('admin', 'analyst'))));
create policy "Analysts and admins can change incidents" on public.incidents
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Admins can delete incidents" on public.incidents
  for delete to authenticated using ((select public.has_app_role('admin')));
grant select, insert, update, delete on public.incidents to authenticated;
create trigger incidents_audit after insert or update or delete on public.incidents
  for each row execute function private.audit_row();

-- ---------------------------------------------------------------------------------------------
-- The one filter every incident view shares (map, list, API, exports). Security invoker and
-- plain SQL, so RLS applies and the planner inlines it into each caller.
create function public.incidents_filtered(
  p_from date default null,
  p_to date default null,
  p_types text[] default null,
  p_area text default null,
  p_west double precision default null,
  p_south double precision default null,
  p_east double precision default null,
  p_north double precision default null
) returns setof public.incidents
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select i.* from public.incidents i
  where (p_from is null or i.event_date >= p_from)
    and (p_to is null or i.event_date <= p_to)
    and (p_types is null or cardinality(p_types) = 0 or i.event_type = any (p_types))
    and (p_area is null or i.admin1_pcode = p_area or i.admin2_pcode = p_area or i.admin3_pcode = p_area)
    and (p_west is null or i.geom && st_makeenvelope(p_west, p_south, p_east, p_north, 4326))
$$;

-- What the map draws: the matching incidents in the viewport as compact rows
-- [id, lon, lat, event_type, fatalities] (at most p_limit, the most recent first), and the exact
-- counts in the viewport and by type, so the shown numbers stay true when points are capped.
create function public.incidents_map(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_limit integer default 20000
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with f as (
    select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
  ),
  counts as (
    select event_type, count(*) as n, sum(fatalities) as fat from f group by event_type
  ),
  pts as (
    select id, geom, event_type, fatalities from f order by event_date desc, id limit greatest(p_limit, 0)
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb),
    'points', coalesce((select jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                 round(st_y(geom)::numeric, 5), event_type, fatalities)) from pts), '[]'::jsonb)
  )
$$;

-- Density for the heat/hex mode: matching incidents snapped to a grid of p_cell degrees,
-- as [lon, lat, count, fatalities]. Aggregated in SQL so 100k incidents cost a few KB.
create function public.incidents_density(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_cell double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_array(round(x::numeric, 5), round(y::numeric, 5), n, fat)), '[]'::jsonb)
  from (
    select st_x(c) as x, st_y(c) as y, count(*) as n, sum(fatalities) as fat
    from (
      select st_snaptogrid(geom, greatest(p_cell, 0.0001)) as c, fatalities
      from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
    ) s
    group by c
  ) g
$$;

-- One incident with its actors and area names, for the details panel.
create function public.incident_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select to_jsonb(i) - 'geom' || jsonb_build_object(
    'lon', st_x(i.geom), 'lat', st_y(i.geom),
    'actor1', a1.name, 'actor2', a2.name,
    'admin1_name', r1.name_en, 'admin1_name_ar', r1.name_ar,
    'admin2_name', r2.name_en, 'admin2_name_ar', r2.name_ar,
    'admin3_name', r3.name_en, 'admin3_name_ar', r3.name_ar)
  from public.incidents i
  left join public.actors a1 on a1.id = i.actor1_id
  left join public.actors a2 on a2.id = i.actor2_id
  left join public.areas r1 on r1.pcode = i.admin1_pcode
  left join public.areas r2 on r2.pcode = i.admin2_pcode
  left join public.areas r3 on r3.pcode = i.admin3_pcode
  where i.id = p_id
$$;

-- Incidents as a GeoJSON FeatureCollection for the API, ordered newest first, paged.
create function public.incidents_geojson(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 1000, p_offset integer default 0
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with f as (
    select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
  ),
  page as (
    select * from f order by event_date desc, id limit least(greatest(p_limit, 0), 10000) offset greatest(p_offset, 0)
  )
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'total', (select count(*) from f),
    'limit', p_limit, 'offset', p_offset,
    'features', coalesce((select jsonb_agg(jsonb_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', st_asgeojson(p.geom, 6)::jsonb,
        'properties', to_jsonb(p) - 'geom' || jsonb_build_object('actor1', a1.name, 'actor2', a2.name)
      ) order by p.event_date desc, p.id)
      from page p
      left join public.actors a1 on a1.id = p.actor1_id
      left join public.actors a2 on a2.id = p.actor2_id), '[]'::jsonb))
$$;

-- Counts per year and per governorate for the filters, used by the API and the checks against
-- the raw sources.
create function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with f as (select * from public.incidents_filtered(p_from, p_to, p_types, p_area))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'fatalities', (select coalesce(sum(fatalities), 0) from f),
    'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                 (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t),
    'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                 (select admin1_pcode as k, count(*) as n from f group by 1) t),
    'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                 (select event_type, count(*) as n from f group by 1) t))
$$;
