-- incident_stats takes the whole months of its dates from incident_period_bounds, the one
-- definition the cell rollup's readers and /stats/sources (20261226100000) use, instead of
-- working them out in its own two variables. The same months: a range with no whole month gives
-- m1 = m0 there where the old formula gave m1 < m0, and both read no month then. No other change.

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
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
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
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
    from public.incident_rollup_month_rows(v_m0, v_m1 - 1, p_types, p_area) r
    where v_months and not v_by_type
    group by 1, 2
    union all
    select date_trunc('month', r.day::timestamp)::date as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
    from public.incident_rollup_end_days(p_from, p_to, p_types, p_area) r
    where v_months
    group by 1, 2
    union all
    select date_trunc(p_by, r.day::timestamp)::date as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
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
