-- The time-of-day chart for a range of dates with no area filter from a monthly rhythm rollup
-- (issue 16): the whole months of the range from incident_rollup_rhythm_month, kept by
-- incident_rollup_apply in the same pass as the others, and the days at the range's ends from
-- the incidents.

-- The rhythm per month, without the areas (issue 16, 20261231400000): the analysis screen's
-- time-of-day chart for a range of dates with no area filter. It read every incident of the
-- dates: 0.5–0.7 s for 2.6 years at 3,000,000 incidents. The whole months of the range come from
-- here, the days at its ends from the incidents. dow and hour as incident_rollup_rhythm's.
create table public.incident_rollup_rhythm_month (
  month            date not null,
  event_type       text not null,
  status           text not null,
  confidentiality  text not null,
  dow              smallint,
  hour             smallint,
  incidents        bigint not null,
  constraint incident_rollup_rhythm_month_key unique nulls not distinct
    (month, event_type, status, confidentiality, dow, hour)
);

create index incident_rollup_rhythm_month_empty_idx on public.incident_rollup_rhythm_month (month) where incidents = 0;

alter table public.incident_rollup_rhythm_month enable row level security;

create policy "Analysts and admins can read every monthly rhythm total" on public.incident_rollup_rhythm_month
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Viewers and field staff: verified unrestricted monthly rhythm" on public.incident_rollup_rhythm_month
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_rhythm_month to authenticated;

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
  return null;
end
$$;

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
  v_months boolean;  -- a range holding whole months, with no area: see below
  -- the whole months [v_b.m0, v_b.m1) and the ends [v_b.lo, v_b.m0) and [v_b.m1, v_b.hi) (incident_period_bounds)
  v_b record;
begin
  select * into v_b from public.incident_period_bounds(p_from, p_to);
  -- a range of a few days reads its incidents: the months' path costs ~10 ms more there
  v_months := not v_rollup and v_b.m0 < v_b.m1 and p_west is null
              and (p_area is null or cardinality(p_area) = 0) and public.incident_rollup_usable(null);
  return (
  with parts as (
    -- one grouping of everything: (known weekday?, known hour?) per cell, with the date span
    select r.dow, r.hour, sum(r.incidents) as n, null::date as first, null::date as last
    from public.incident_rollup_rhythm r
    where v_rollup
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by 1, 2
    union all
    select r.dow, r.hour, sum(r.incidents) as n, null::date as first, null::date as last
    from public.incident_rollup_rhythm_month r
    where v_months and r.month >= v_b.m0 and r.month < v_b.m1
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    group by 1, 2
    union all
    select case when i.time_precision in ('exact', 'day') then extract(isodow from i.event_date)::int end as dow,
           case when i.time_precision = 'exact' and i.event_time is not null
                then extract(hour from i.event_time)::int end as hour,
           count(*) as n, min(i.event_date) as first, max(i.event_date) as last
    from (select * from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north)
          where not v_rollup and not v_months
          union all
          select * from public.incidents_filtered(v_b.lo, least(v_b.m0, v_b.hi) - 1, p_types)
          where v_months
          union all
          select * from public.incidents_filtered(greatest(v_b.m1, v_b.lo), v_b.hi - 1, p_types)
          where v_months) i
    group by 1, 2
  ),
  -- a dated range's cells come from its months and its end days
  cells as (
    select dow, hour, sum(n) as n, min(first) as first, max(last) as last from parts group by 1, 2
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from cells), 0),
    'with_time', coalesce((select sum(n) from cells where hour is not null), 0),
    'with_day', coalesce((select sum(n) from cells where dow is not null), 0),
    'first_date', case when v_rollup then public.incident_rollup_edge_day(false, null, null, p_types, p_area)
                       when v_months then public.incident_rollup_edge_day(false, p_from, p_to, p_types, null)
                       else (select min(first) from cells) end,
    'last_date', case when v_rollup then public.incident_rollup_edge_day(true, null, null, p_types, p_area)
                      when v_months then public.incident_rollup_edge_day(true, p_from, p_to, p_types, null)
                      else (select max(last) from cells) end,
    'by_hour', (select jsonb_agg(coalesce((select sum(n) from cells c where c.hour = h), 0) order by h) from generate_series(0, 23) h),
    'by_dow', (select jsonb_agg(coalesce((select sum(n) from cells c where c.dow = d), 0) order by d) from generate_series(1, 7) d),
    'dow_hour', coalesce((select jsonb_agg(jsonb_build_array(dow, hour, n) order by dow, hour)
                          from cells where hour is not null and dow is not null), '[]'::jsonb)));
end
$$;

-- Fill it from the incidents there are.
insert into public.incident_rollup_rhythm_month (month, event_type, status, confidentiality, dow, hour, incidents)
select date_trunc('month', event_date)::date, event_type, status, confidentiality,
       case when time_precision in ('exact', 'day') then extract(isodow from event_date)::smallint end,
       case when time_precision = 'exact' and event_time is not null then extract(hour from event_time)::smallint end,
       count(*)
from public.incidents
group by 1, 2, 3, 4, 5, 6;

analyze public.incident_rollup_rhythm_month;
