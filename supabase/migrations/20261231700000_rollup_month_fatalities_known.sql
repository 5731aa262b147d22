-- Unknown fatalities in the monthly rollups (issue 16).
--
-- incident_stats gave a bin none of whose incidents has a known fatality count null when it
-- scanned the incidents (a viewport, field staff) and 0 when it summed a rollup, so the same
-- chart said "0 killed" or "not known" depending on the path. The month rollup and its by-type
-- twin now count the incidents whose fatalities are known, as the day rollup has since
-- 20261221200000, and incident_stats's four rollup branches give null where none is.
--
--   private.incident_rollup_apply (was 20261231500000)
--   public.incident_stats (was 20261226200000)
-- incident_rollup_month_rows (setof incident_rollup_month, r.*) takes the new column as it is.

alter table public.incident_rollup_month add column fatalities_known bigint not null default 0;

update public.incident_rollup_month r set fatalities_known = f.known
from (select date_trunc('month', event_date)::date as month, event_type, admin1_pcode, admin2_pcode,
             status, confidentiality, upstream_source, count(fatalities) as known
      from public.incidents group by 1, 2, 3, 4, 5, 6, 7) f
where f.known > 0 and r.month = f.month and r.event_type = f.event_type
  and r.admin1_pcode is not distinct from f.admin1_pcode and r.admin2_pcode is not distinct from f.admin2_pcode
  and r.status = f.status and r.confidentiality = f.confidentiality
  and r.upstream_source is not distinct from f.upstream_source;

alter table public.incident_rollup_month alter column fatalities_known drop default;

-- the key carries the new total too, so that its readers still sum it from the index alone
alter table public.incident_rollup_month
  drop constraint incident_rollup_month_key,
  add constraint incident_rollup_month_key unique nulls not distinct
    (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
    include (incidents, fatalities, fatalities_known);

alter table public.incident_rollup_month_type add column fatalities_known bigint not null default 0;

update public.incident_rollup_month_type r set fatalities_known = f.known
from (select date_trunc('month', event_date)::date as month, event_type, status, confidentiality,
             count(fatalities) as known
      from public.incidents group by 1, 2, 3, 4) f
where f.known > 0 and r.month = f.month and r.event_type = f.event_type
  and r.status = f.status and r.confidentiality = f.confidentiality;

alter table public.incident_rollup_month_type alter column fatalities_known drop default;

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
      (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents,
       fatalities, fatalities_known)
    select date_trunc('month', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
           confidentiality, upstream_source, sum(sign), sum(sign * coalesce(fatalities, 0)),
           sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_month_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup_month where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_month_type as r
      (month, event_type, status, confidentiality, incidents, fatalities, fatalities_known)
    select date_trunc('month', event_date)::date, event_type, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0)), sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3, 4
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_month_type_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
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

create or replace function public.incident_stats(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_by text default 'month', p_group text default 'type'
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v jsonb;
  v_rollup boolean;
  v_months boolean;
  v_by_type boolean;
  -- the whole months of the dates, [v_m0, v_m1) (incident_period_bounds; null: no bound)
  v_m0 date;
  v_m1 date;
begin
  select case when p_from is not null then b.m0 end, case when p_to is not null then b.m1 end
    into v_m0, v_m1
    from public.incident_period_bounds(p_from, p_to) b;
  if p_by is null or p_by not in ('day', 'week', 'month') then
    raise exception 'by: unknown value "%"; use day, week or month', p_by using errcode = '22023';
  end if;
  if p_group is null or p_group not in ('type', 'area1', 'area2', 'none') then
    raise exception 'group: unknown value "%"; use type, area1, area2 or none', p_group using errcode = '22023';
  end if;

  -- From the summary when it can answer (incident_rollup_usable), else from the shared filter:
  -- the branch not taken is skipped by a one-time filter, never read.
  v_rollup := public.incident_rollup_usable(p_area, p_west);
  -- Monthly bins: the whole months from the month rollup (~6× fewer rows at scale), and for odd
  -- dates the ends' days from the day rollup (incident_rollup_end_days, 20261225100000: odd
  -- dates summed the day rollup over the whole range); the first and last day from the day
  -- rollup's index (its key starts with the day).
  v_months := v_rollup and p_by = 'month';
  -- Stacked by type or not at all, for no area: from the month × type totals (~40× fewer rows).
  v_by_type := v_months and p_group in ('type', 'none') and (p_area is null or cardinality(p_area) = 0);
  with bins as (
    select r.month as bin, case p_group when 'type' then r.event_type else 'all' end as key,
           sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat, null::date as first, null::date as last
    from public.incident_rollup_month_type r
    where v_by_type
      and (v_m0 is null or r.month >= v_m0)
      and (v_m1 is null or r.month < v_m1)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    group by 1, 2
    union all
    select r.month as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat, null::date as first, null::date as last
    from public.incident_rollup_month_rows(v_m0, v_m1 - 1, p_types, p_area) r
    where v_months and not v_by_type
    group by 1, 2
    union all
    select date_trunc('month', r.day::timestamp)::date as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat, null::date as first, null::date as last
    from public.incident_rollup_end_days(p_from, p_to, p_types, p_area) r
    where v_months
    group by 1, 2
    union all
    select date_trunc(p_by, r.day::timestamp)::date as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup and not v_months
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by 1, 2
    union all
    select date_trunc(p_by, i.event_date::timestamp)::date as bin,
           coalesce(case p_group when 'type' then i.event_type
                                 when 'area1' then i.admin1_pcode
                                 when 'area2' then i.admin2_pcode
                                 else 'all' end, 'none') as key,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup
    group by 1, 2
  ),
  groups as (
    select b.key, sum(b.n) as n, sum(b.fat) as fat, a.name_en, a.name_ar
    from bins b left join public.areas a on p_group in ('area1', 'area2') and a.pcode = b.key
    group by b.key, a.name_en, a.name_ar
  )
  select jsonb_build_object(
    'by', p_by,
    'group', p_group,
    'total', coalesce((select sum(n) from groups), 0),
    'fatalities', coalesce((select sum(fat) from groups), 0),
    'first_date', case when v_months then public.incident_rollup_edge_day(false, p_from, p_to, p_types, p_area)
                       else (select min(first) from bins) end,
    'last_date', case when v_months then public.incident_rollup_edge_day(true, p_from, p_to, p_types, p_area)
                      else (select max(last) from bins) end,
    'groups', coalesce((select jsonb_agg(jsonb_build_object('key', key, 'name_en', name_en, 'name_ar', name_ar,
                          'n', n, 'fatalities', fat) order by n desc, key) from groups), '[]'::jsonb),
    'bins', coalesce((select jsonb_agg(jsonb_build_object('bin', bin, 'key', key, 'n', n, 'fatalities', fat)
                        order by bin, key) from bins), '[]'::jsonb))
  into v;
  return v;
end
$$;
