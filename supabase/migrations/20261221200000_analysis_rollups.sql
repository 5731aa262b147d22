-- The analysis screen's calendar, rhythm and top-actors charts from rollups (issue 16).
--
-- At 3,000,000 incidents the analysis screen took 10 s to load, and most of it was three charts
-- that read every incident: the calendar, the rhythm (hour of day, day of week) and the top
-- actors.
--  * The calendar sums the day rollup, which now also counts the incidents whose fatalities are
--    known (fatalities_known), so that a day none of whose incidents has a figure stays null as
--    the scan gave it.
--  * The rhythm and the top actors are kept for all time in two more rollups, maintained in the
--    same pass as the day and month rollups; undated (the screen's default) they answer from
--    them.
--
--   private.incident_rollup_apply, private.incident_rollup_clear (were 20261220100000)
--   incidents_calendar, incidents_time_pattern, incidents_top_actors (were 20261209300000;
--   PL/pgSQL now, planned per call), incidents_date_range (was 20261122003000; PL/pgSQL now)

alter table public.incident_rollup add column fatalities_known bigint not null default 0;

update public.incident_rollup r set fatalities_known = f.known
from (select event_date, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
             count(fatalities) as known
      from public.incidents group by 1, 2, 3, 4, 5, 6) f
where f.known > 0 and r.day = f.event_date and r.event_type = f.event_type
  and r.admin1_pcode is not distinct from f.admin1_pcode and r.admin2_pcode is not distinct from f.admin2_pcode
  and r.status = f.status and r.confidentiality = f.confidentiality;

alter table public.incident_rollup alter column fatalities_known drop default;

-- Two more totals for all time, for the analysis screen's undated charts (issue 16,
-- 20261221200000): its rhythm chart (hour of day, day of week) and its top actors read every
-- incident of the filter, 1–3 s each at 3,000,000 incidents. Neither has a date: the screen's
-- default is all time, and a dated chart reads the incidents of its dates as before.
--   incident_rollup_rhythm  per ISO weekday (when the day is known: time_precision 'exact' or
--                           'day') and hour (when the time is: 'exact' with an event_time),
--                           each null otherwise — incidents_time_pattern's two groupings;
--   incident_rollup_actor   per actor named on either side (an incident with the same actor on
--                           both sides counts once for it, as incidents_top_actors counts), how
--                           often as side 1 and side 2, and the fatalities; actor_id null for the
--                           incidents that name none, so that "with an actor" is the rest.
-- Kept by incident_rollup_apply in the same pass as the others; RLS as the day rollup's.
create table public.incident_rollup_rhythm (
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  dow              smallint,
  hour             smallint,
  incidents        bigint not null,
  constraint incident_rollup_rhythm_key unique nulls not distinct
    (event_type, admin1_pcode, admin2_pcode, status, confidentiality, dow, hour)
);

create index incident_rollup_rhythm_empty_idx on public.incident_rollup_rhythm (event_type) where incidents = 0;

alter table public.incident_rollup_rhythm enable row level security;

create policy "Analysts and admins can read every rhythm total" on public.incident_rollup_rhythm
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the rhythm totals of verified unrestricted incidents" on public.incident_rollup_rhythm
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_rhythm to authenticated;

create table public.incident_rollup_actor (
  actor_id         uuid,
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  as_actor1        bigint not null,
  as_actor2        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_actor_key unique nulls not distinct
    (actor_id, event_type, admin1_pcode, admin2_pcode, status, confidentiality)
);

create index incident_rollup_actor_empty_idx on public.incident_rollup_actor (event_type) where incidents = 0;

alter table public.incident_rollup_actor enable row level security;

create policy "Analysts and admins can read every actor total" on public.incident_rollup_actor
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the actor totals of verified unrestricted incidents" on public.incident_rollup_actor
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_actor to authenticated;

create or replace function private.incident_rollup_apply() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
declare
  src text := case tg_op
    when 'INSERT' then 'select *, 1 as sign from new_rows'
    when 'DELETE' then 'select *, -1 as sign from old_rows'
    else 'select *, 1 as sign from new_rows union all select *, -1 as sign from old_rows' end;
begin
  execute format($q$
    insert into public.incident_rollup as r
      (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, fatalities, fatalities_known)
    select event_date, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0)), sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_month as r
      (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents, fatalities)
    select date_trunc('month', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
           confidentiality, upstream_source, sum(sign), sum(sign * coalesce(fatalities, 0))
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_month_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_month where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_rhythm as r
      (event_type, admin1_pcode, admin2_pcode, status, confidentiality, dow, hour, incidents)
    select event_type, admin1_pcode, admin2_pcode, status, confidentiality,
           case when time_precision in ('exact', 'day') then extract(isodow from event_date)::smallint end,
           case when time_precision = 'exact' and event_time is not null then extract(hour from event_time)::smallint end,
           sum(sign)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0
    on conflict on constraint incident_rollup_rhythm_key do update
      set incidents = r.incidents + excluded.incidents
  $q$, src);
  delete from public.incident_rollup_rhythm where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_actor as r
      (actor_id, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, as_actor1, as_actor2, fatalities)
    select a.actor_id, d.event_type, d.admin1_pcode, d.admin2_pcode, d.status, d.confidentiality,
           sum(d.sign), sum(d.sign * a.as1), sum(d.sign * a.as2), sum(d.sign * coalesce(d.fatalities, 0))
    from (%s) d
    cross join lateral (values
      (d.actor1_id, 1, case when d.actor2_id = d.actor1_id then 1 else 0 end, d.actor1_id is not null),
      (d.actor2_id, 0, 1, d.actor2_id is not null and d.actor2_id is distinct from d.actor1_id),
      (null::uuid, 0, 0, d.actor1_id is null and d.actor2_id is null)) a (actor_id, as1, as2, keep)
    where a.keep
    group by 1, 2, 3, 4, 5, 6
    having sum(d.sign) <> 0 or sum(d.sign * a.as1) <> 0 or sum(d.sign * a.as2) <> 0
        or sum(d.sign * coalesce(d.fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_actor_key do update
      set incidents = r.incidents + excluded.incidents, as_actor1 = r.as_actor1 + excluded.as_actor1,
          as_actor2 = r.as_actor2 + excluded.as_actor2, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_actor where incidents = 0;
  return null;
end
$$;

create or replace function private.incident_rollup_clear() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  delete from public.incident_rollup;
  delete from public.incident_rollup_month;
  delete from public.incident_rollup_rhythm;
  delete from public.incident_rollup_actor;
  return null;
end
$$;

-- The calendar: incidents and fatalities per day, as [date, n, fatalities] rows (days with no
-- incident are absent; a day none of whose incidents has a known fatality count has null). The
-- date is the event date whatever its precision: an incident known only to the week or month
-- sits on the first day UCDP/ACLED give for it. From the day rollup when the summary can answer
-- (incident_rollup_usable; its fatalities_known tells a day of unknown fatalities from a day of
-- none), else from the incidents.
create or replace function public.incidents_calendar(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan
as $$
declare
  v_rollup boolean := public.incident_rollup_usable(p_area, p_west);
begin
  return (
  with days as (
    select r.day as d, sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat
    from public.incident_rollup r
    where v_rollup
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by r.day
    union all
    select i.event_date as d, count(*) as n, sum(i.fatalities) as fat
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup
    group by i.event_date
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from days), 0),
    'fatalities', coalesce((select sum(fat) from days), 0),
    'first_date', (select min(d) from days),
    'last_date', (select max(d) from days),
    'days', coalesce((select jsonb_agg(jsonb_build_array(d, n, fat) order by d) from days), '[]'::jsonb)));
end
$$;

-- When incidents happen: by hour of day and by day of week, counting only what is known.
--   by_hour  24 counts (00–23 h) of incidents with a known time (time_precision 'exact' and an
--            event_time); nothing else says anything about the hour.
--   by_dow   7 counts, Monday first (ISO), of incidents whose day is known (precision 'exact' or
--            'day'); an event dated only to its week or month says nothing about the weekday.
--   dow_hour [dow 1–7, hour, n] for the incidents with a known time.
-- 'with_time' and 'with_day' say how many incidents each chart rests on, out of 'total'.
-- Undated, from incident_rollup_rhythm when the summary can answer (incident_rollup_usable), the
-- first and last days from the day rollup's index; else from the incidents.
create or replace function public.incidents_time_pattern(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
set plan_cache_mode = force_custom_plan
as $$
declare
  v_rollup boolean := p_from is null and p_to is null and public.incident_rollup_usable(p_area, p_west);
begin
  return (
  with cells as (
    -- one grouping of everything: (known weekday?, known hour?) per cell, with the date span
    select r.dow, r.hour, sum(r.incidents) as n, null::date as first, null::date as last
    from public.incident_rollup_rhythm r
    where v_rollup
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by 1, 2
    union all
    select case when i.time_precision in ('exact', 'day') then extract(isodow from i.event_date)::int end as dow,
           case when i.time_precision = 'exact' and i.event_time is not null
                then extract(hour from i.event_time)::int end as hour,
           count(*) as n, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup
    group by 1, 2
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from cells), 0),
    'with_time', coalesce((select sum(n) from cells where hour is not null), 0),
    'with_day', coalesce((select sum(n) from cells where dow is not null), 0),
    'first_date', case when v_rollup then public.incident_rollup_edge_day(false, null, null, p_types, p_area)
                       else (select min(first) from cells) end,
    'last_date', case when v_rollup then public.incident_rollup_edge_day(true, null, null, p_types, p_area)
                      else (select max(last) from cells) end,
    'by_hour', (select jsonb_agg(coalesce((select sum(n) from cells c where c.hour = h), 0) order by h) from generate_series(0, 23) h),
    'by_dow', (select jsonb_agg(coalesce((select sum(n) from cells c where c.dow = d), 0) order by d) from generate_series(1, 7) d),
    'dow_hour', coalesce((select jsonb_agg(jsonb_build_array(dow, hour, n) order by dow, hour)
                          from cells where hour is not null and dow is not null), '[]'::jsonb)));
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The actors most often involved: incidents where the actor is either side (an incident with
-- the same actor on both sides counts once), how often as side 1 / side 2, and the fatalities of
-- those incidents. The p_limit most frequent, ties by name. Undated, from incident_rollup_actor
-- when the summary can answer (the total from incident_rollup_rhythm, which holds each incident
-- once; the first and last days from the day rollup's index); else from the incidents.
create or replace function public.incidents_top_actors(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 10
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
set plan_cache_mode = force_custom_plan
as $$
declare
  v jsonb;
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception 'limit: must be between 1 and 100' using errcode = '22023';
  end if;
  if p_from is null and p_to is null and public.incident_rollup_usable(p_area, p_west) then
    with r as (
      select * from public.incident_rollup_actor r
      where (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
        and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    ),
    per_actor as (
      select actor_id, sum(incidents) as n, sum(as_actor1) as as1, sum(as_actor2) as as2, sum(fatalities) as fat
      from r where actor_id is not null group by actor_id
    ),
    top as (
      select p.*, a.name, a.actor_type
      from per_actor p join public.actors a on a.id = p.actor_id
      order by p.n desc, a.name
      limit p_limit
    ),
    total as (
      select coalesce(sum(h.incidents), 0) as n from public.incident_rollup_rhythm h
      where (p_types is null or cardinality(p_types) = 0 or h.event_type = any (p_types))
        and (p_area is null or cardinality(p_area) = 0 or h.admin1_pcode = any (p_area) or h.admin2_pcode = any (p_area))
    )
    select jsonb_build_object(
      'total', t.n,
      'with_actor', t.n - coalesce((select sum(incidents) from r where actor_id is null), 0),
      'first_date', public.incident_rollup_edge_day(false, null, null, p_types, p_area),
      'last_date', public.incident_rollup_edge_day(true, null, null, p_types, p_area),
      'actors', coalesce((select jsonb_agg(jsonb_build_object('id', actor_id, 'name', name, 'actor_type', actor_type,
                   'n', n, 'as_actor1', as1, 'as_actor2', as2, 'fatalities', fat) order by n desc, name) from top), '[]'::jsonb))
    into v
    from total t;
    return v;
  end if;
  with f as materialized (
    select i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  sides as (
    -- an incident with the same actor on both sides counts once for it (repeat = true on side 2)
    select actor1_id as actor_id, 1 as side, fatalities, false as repeat from f where actor1_id is not null
    union all
    select actor2_id, 2, fatalities, coalesce(actor2_id = actor1_id, false) from f where actor2_id is not null
  ),
  per_actor as (
    select actor_id,
           count(*) filter (where not repeat) as n,
           count(*) filter (where side = 1) as as1,
           count(*) filter (where side = 2) as as2,
           coalesce(sum(fatalities) filter (where not repeat), 0) as fat
    from sides group by actor_id
  ),
  top as (
    select p.*, a.name, a.actor_type
    from per_actor p join public.actors a on a.id = p.actor_id
    order by p.n desc, a.name
    limit p_limit
  ),
  totals as (
    select count(*) as total, count(*) filter (where actor1_id is not null or actor2_id is not null) as with_actor,
           min(event_date) as first, max(event_date) as last
    from f
  )
  select jsonb_build_object(
    'total', t.total,
    'with_actor', t.with_actor,
    'first_date', t.first,
    'last_date', t.last,
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', actor_id, 'name', name, 'actor_type', actor_type,
                 'n', n, 'as_actor1', as1, 'as_actor2', as2, 'fatalities', fat) order by n desc, name) from top), '[]'::jsonb))
  into v
  from totals t;
  return v;
end
$$;

-- The dates the caller's incidents span: the analysis screen's default range and as-of date
-- (the demo data ends in 2018, so "today" would show nothing). Every analysis, area and report
-- page asks it first; when the summary can answer (incident_rollup_usable), the first and last
-- days come from the day rollup's index and the total from the rhythm rollup (each incident
-- once, the smallest), instead of reading every incident (20261221200000).
create or replace function public.incidents_date_range() returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if public.incident_rollup_usable(null) then
    return jsonb_build_object(
      'first_date', public.incident_rollup_edge_day(false, null, null, null, null),
      'last_date', public.incident_rollup_edge_day(true, null, null, null, null),
      'total', (select coalesce(sum(r.incidents), 0) from public.incident_rollup_rhythm r));
  end if;
  return (select jsonb_build_object('first_date', min(event_date), 'last_date', max(event_date), 'total', count(*))
          from public.incidents_filtered());
end
$$;

-- Fill the two rollups from the incidents there are.
insert into public.incident_rollup_rhythm
  (event_type, admin1_pcode, admin2_pcode, status, confidentiality, dow, hour, incidents)
select event_type, admin1_pcode, admin2_pcode, status, confidentiality,
       case when time_precision in ('exact', 'day') then extract(isodow from event_date)::smallint end,
       case when time_precision = 'exact' and event_time is not null then extract(hour from event_time)::smallint end,
       count(*)
from public.incidents
group by 1, 2, 3, 4, 5, 6, 7;

insert into public.incident_rollup_actor
  (actor_id, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, as_actor1, as_actor2, fatalities)
select a.actor_id, i.event_type, i.admin1_pcode, i.admin2_pcode, i.status, i.confidentiality,
       count(*), sum(a.as1), sum(a.as2), coalesce(sum(i.fatalities), 0)
from public.incidents i
cross join lateral (values
  (i.actor1_id, 1, case when i.actor2_id = i.actor1_id then 1 else 0 end, i.actor1_id is not null),
  (i.actor2_id, 0, 1, i.actor2_id is not null and i.actor2_id is distinct from i.actor1_id),
  (null::uuid, 0, 0, i.actor1_id is null and i.actor2_id is null)) a (actor_id, as1, as2, keep)
where a.keep
group by 1, 2, 3, 4, 5, 6;

analyze public.incident_rollup_rhythm;
analyze public.incident_rollup_actor;
