-- The top actors for a range of dates with no area filter from a monthly actor rollup (issue 16):
-- the whole months of the range from incident_rollup_actor_month, kept by incident_rollup_apply
-- in the same pass as the others, and the days at the range's ends from the incidents.

-- The actor totals per month, without the areas (issue 16, 20261231500000): the top actors for
-- a range of dates with no area filter, 0.8–0.9 s for 2.6 years at 3,000,000 incidents when it
-- read every incident of the dates. As incident_rollup_actor, per month; the whole months of the
-- range come from here, the days at its ends from the incidents.
create table public.incident_rollup_actor_month (
  month            date not null,
  actor_id         uuid,
  event_type       text not null,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  as_actor1        bigint not null,
  as_actor2        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_actor_month_key unique nulls not distinct
    (month, actor_id, event_type, status, confidentiality)
);

create index incident_rollup_actor_month_empty_idx on public.incident_rollup_actor_month (month) where incidents = 0;

alter table public.incident_rollup_actor_month enable row level security;

create policy "Analysts and admins can read every monthly actor total" on public.incident_rollup_actor_month
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Viewers and field staff: verified unrestricted monthly actors" on public.incident_rollup_actor_month
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_actor_month to authenticated;

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
    insert into public.incident_rollup_calendar as r
      (day, status, confidentiality, incidents, fatalities, fatalities_known)
    select event_date, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0)), sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_calendar_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup_calendar where incidents = 0;
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
    insert into public.incident_rollup_month_type as r
      (month, event_type, status, confidentiality, incidents, fatalities)
    select date_trunc('month', event_date)::date, event_type, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0))
    from (%s) d
    group by 1, 2, 3, 4
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_month_type_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_month_type where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_year as r
      (year, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents, fatalities)
    select date_trunc('year', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
           confidentiality, upstream_source, sum(sign), sum(sign * coalesce(fatalities, 0))
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_year_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_year where incidents = 0;
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
    insert into public.incident_rollup_rhythm_month as r
      (month, event_type, status, confidentiality, dow, hour, incidents)
    select date_trunc('month', event_date)::date, event_type, status, confidentiality,
           case when time_precision in ('exact', 'day') then extract(isodow from event_date)::smallint end,
           case when time_precision = 'exact' and event_time is not null then extract(hour from event_time)::smallint end,
           sum(sign)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6
    having sum(sign) <> 0
    on conflict on constraint incident_rollup_rhythm_month_key do update
      set incidents = r.incidents + excluded.incidents
  $q$, src);
  delete from public.incident_rollup_rhythm_month where incidents = 0;
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
  execute format($q$
    insert into public.incident_rollup_actor_month as r
      (month, actor_id, event_type, status, confidentiality, incidents, as_actor1, as_actor2, fatalities)
    select date_trunc('month', d.event_date)::date, a.actor_id, d.event_type, d.status, d.confidentiality,
           sum(d.sign), sum(d.sign * a.as1), sum(d.sign * a.as2), sum(d.sign * coalesce(d.fatalities, 0))
    from (%s) d
    cross join lateral (values
      (d.actor1_id, 1, case when d.actor2_id = d.actor1_id then 1 else 0 end, d.actor1_id is not null),
      (d.actor2_id, 0, 1, d.actor2_id is not null and d.actor2_id is distinct from d.actor1_id),
      (null::uuid, 0, 0, d.actor1_id is null and d.actor2_id is null)) a (actor_id, as1, as2, keep)
    where a.keep
    group by 1, 2, 3, 4, 5
    having sum(d.sign) <> 0 or sum(d.sign * a.as1) <> 0 or sum(d.sign * a.as2) <> 0
        or sum(d.sign * coalesce(d.fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_actor_month_key do update
      set incidents = r.incidents + excluded.incidents, as_actor1 = r.as_actor1 + excluded.as_actor1,
          as_actor2 = r.as_actor2 + excluded.as_actor2, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_actor_month where incidents = 0;
  return null;
end
$$;

create or replace function private.incident_rollup_clear() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  delete from public.incident_rollup;
  delete from public.incident_rollup_calendar;
  delete from public.incident_rollup_month;
  delete from public.incident_rollup_month_type;
  delete from public.incident_rollup_year;
  delete from public.incident_rollup_rhythm;
  delete from public.incident_rollup_rhythm_month;
  delete from public.incident_rollup_actor;
  delete from public.incident_rollup_actor_month;
  return null;
end
$$;

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
  v_rollup boolean := p_from is null and p_to is null and public.incident_rollup_usable(p_area, p_west);
  v_months boolean;  -- a range holding whole months, with no area: see below
  -- the whole months [v_b.m0, v_b.m1) and the ends before and after them (incident_period_bounds)
  v_b record;
  v jsonb;
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception 'limit: must be between 1 and 100' using errcode = '22023';
  end if;
  select * into v_b from public.incident_period_bounds(p_from, p_to);
  -- a range of a few days reads its incidents: the months' path costs ~10 ms more there
  v_months := not v_rollup and v_b.m0 < v_b.m1 and p_west is null
              and (p_area is null or cardinality(p_area) = 0) and public.incident_rollup_usable(null);
  with r as (
    -- the summary's rows: all time, or the range's whole months
    select r.actor_id, r.incidents, r.as_actor1, r.as_actor2, r.fatalities
    from public.incident_rollup_actor r
    where v_rollup
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    union all
    select r.actor_id, r.incidents, r.as_actor1, r.as_actor2, r.fatalities
    from public.incident_rollup_actor_month r
    where v_months and r.month >= v_b.m0 and r.month < v_b.m1
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
  ),
  f as materialized (
    -- the incidents read: all of the filter's, or the days at the range's ends
    select i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup and not v_months
    union all
    select i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(v_b.lo, least(v_b.m0, v_b.hi) - 1, p_types) i
    where v_months
    union all
    select i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(greatest(v_b.m1, v_b.lo), v_b.hi - 1, p_types) i
    where v_months
  ),
  sides as (
    -- an incident with the same actor on both sides counts once for it (repeat = true on side 2)
    select actor1_id as actor_id, 1 as side, fatalities, false as repeat from f where actor1_id is not null
    union all
    select actor2_id, 2, fatalities, coalesce(actor2_id = actor1_id, false) from f where actor2_id is not null
  ),
  per_actor as (
    select actor_id, sum(n) as n, sum(as1) as as1, sum(as2) as as2, sum(fat) as fat
    from (
      select actor_id, incidents as n, as_actor1 as as1, as_actor2 as as2, fatalities as fat
      from r where actor_id is not null
      union all
      select actor_id,
             count(*) filter (where not repeat),
             count(*) filter (where side = 1),
             count(*) filter (where side = 2),
             coalesce(sum(fatalities) filter (where not repeat), 0)
      from sides group by actor_id
    ) t
    group by actor_id
  ),
  top as (
    select p.*, a.name, a.actor_type
    from per_actor p join public.actors a on a.id = p.actor_id
    order by p.n desc, a.name
    limit p_limit
  ),
  totals as (
    -- each incident once: the rhythm rollups' rows, and the incidents read
    select (select coalesce(sum(h.incidents), 0) from public.incident_rollup_rhythm h
            where v_rollup
              and (p_types is null or cardinality(p_types) = 0 or h.event_type = any (p_types))
              and (p_area is null or cardinality(p_area) = 0 or h.admin1_pcode = any (p_area) or h.admin2_pcode = any (p_area)))
         + (select coalesce(sum(h.incidents), 0) from public.incident_rollup_rhythm_month h
            where v_months and h.month >= v_b.m0 and h.month < v_b.m1
              and (p_types is null or cardinality(p_types) = 0 or h.event_type = any (p_types)))
         + count(*) as total,
           coalesce((select sum(incidents) from r where actor_id is null), 0)
         + count(*) filter (where actor1_id is null and actor2_id is null) as without_actor,
           min(event_date) as first, max(event_date) as last
    from f
  )
  select jsonb_build_object(
    'total', t.total,
    'with_actor', t.total - t.without_actor,
    'first_date', case when v_rollup then public.incident_rollup_edge_day(false, null, null, p_types, p_area)
                       when v_months then public.incident_rollup_edge_day(false, p_from, p_to, p_types, null)
                       else t.first end,
    'last_date', case when v_rollup then public.incident_rollup_edge_day(true, null, null, p_types, p_area)
                      when v_months then public.incident_rollup_edge_day(true, p_from, p_to, p_types, null)
                      else t.last end,
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', actor_id, 'name', name, 'actor_type', actor_type,
                 'n', n, 'as_actor1', as1, 'as_actor2', as2, 'fatalities', fat) order by n desc, name) from top), '[]'::jsonb))
  into v
  from totals t;
  return v;
end
$$;

-- Fill it from the incidents there are.
insert into public.incident_rollup_actor_month
  (month, actor_id, event_type, status, confidentiality, incidents, as_actor1, as_actor2, fatalities)
select date_trunc('month', i.event_date)::date, a.actor_id, i.event_type, i.status, i.confidentiality,
       count(*), sum(a.as1), sum(a.as2), coalesce(sum(i.fatalities), 0)
from public.incidents i
cross join lateral (values
  (i.actor1_id, 1, case when i.actor2_id = i.actor1_id then 1 else 0 end, i.actor1_id is not null),
  (i.actor2_id, 0, 1, i.actor2_id is not null and i.actor2_id is distinct from i.actor1_id),
  (null::uuid, 0, 0, i.actor1_id is null and i.actor2_id is null)) a (actor_id, as1, as2, keep)
where a.keep
group by 1, 2, 3, 4, 5;

analyze public.incident_rollup_actor_month;
