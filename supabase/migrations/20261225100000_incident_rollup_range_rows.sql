-- Counts and monthly charts for any dates from the year, month and day rollups (issue 16).
--
-- The readers that answer from the year and month rollups did so only for whole months; dates
-- with odd ends (a range typed into the filters or brushed on a chart, 2014-03-17 – 2016-11-05)
-- summed the day rollup over the whole range (~600 rows a day at 3,000,000 incidents). They now
-- read the whole years and months of any range from the year and month rollups and only the odd
-- ends' days from the day rollup. (The map's whole view, which scanned for such dates, 1.9 s for
-- the country, does the same from 20261225300000, which redefines incidents_map.)
--
--   incident_rollup_end_days (new): the day rollup's rows of the odd ends
--   incident_rollup_range_rows (new): the year and month rollups' whole months, and those days
--   incident_dates_that_filter (new): dates that filter nothing as null (incidents_map's, shared)
--   incident_counts (was 20261222100000)
--   incidents_by_area (was 20261222100000)
--   incident_stats (was 20261223100000; monthly bins for any dates)

create function public.incident_rollup_end_days(
  p_from date, p_to date, p_types text[], p_area text[]
) returns setof public.incident_rollup
language sql stable
as $$
  select r.* from public.incident_rollup r
  where p_from is not null
    and r.day >= p_from
    and r.day < least(date_trunc('month', p_from - 1 + interval '1 month')::date, p_to + 1)
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
  union all
  select r.* from public.incident_rollup r
  where p_to is not null
    and r.day >= greatest(date_trunc('month', p_from - 1 + interval '1 month')::date,
                          date_trunc('month', (p_to + 1)::timestamp)::date)
    and r.day <= p_to
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
$$;

create function public.incident_rollup_range_rows(
  p_from date, p_to date, p_types text[], p_area text[]
) returns table (day date, event_type text, admin1_pcode text, admin2_pcode text, status text,
                 confidentiality text, incidents bigint, fatalities bigint)
language sql stable
as $$
  select r.day, r.event_type, r.admin1_pcode, r.admin2_pcode, r.status, r.confidentiality, r.incidents, r.fatalities
  from public.incident_rollup_span_rows(date_trunc('month', p_from - 1 + interval '1 month')::date,
                                        (date_trunc('month', (p_to + 1)::timestamp) - interval '1 day')::date,
                                        p_types, p_area) r
  union all
  select r.day, r.event_type, r.admin1_pcode, r.admin2_pcode, r.status, r.confidentiality, r.incidents, r.fatalities
  from public.incident_rollup_end_days(p_from, p_to, p_types, p_area) r
$$;

create function public.incident_dates_that_filter(
  p_from date, p_to date, p_types text[], p_area text[]
) returns table (from_day date, to_day date)
language sql stable
as $$
  select case when p_from is null or p_from <= public.incident_rollup_edge_day(false, null, null, p_types, p_area)
              then null else p_from end,
         case when p_to is null or p_to >= public.incident_rollup_edge_day(true, null, null, p_types, p_area)
              then null else p_to end
$$;

create or replace function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  if public.incident_rollup_usable(p_area) then
    return (
      -- Grouped first by what the answer shows (year × type × governorate, ~1,000 rows), then
      -- read four times: the CTE held every rollup row (~220k monthly rows at 3M incidents) for each read.
      -- Any dates: whole years, months and the odd ends' days (incident_rollup_range_rows).
      with f as (
        select extract(year from r.day)::int as y, r.event_type, r.admin1_pcode, sum(r.incidents) as n, sum(r.fatalities) as fat
        from public.incident_rollup_range_rows(p_from, p_to, p_types, p_area) r
        group by 1, 2, 3
      )
      select jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from f),
        'fatalities', (select coalesce(sum(fat), 0) from f),
        'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                     (select y, sum(n) as n from f group by 1) t),
        'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                     (select admin1_pcode as k, sum(n) as n from f group by 1) t),
        'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                     (select event_type, sum(n) as n from f group by 1) t)));
  end if;
  return (
  with f as (select * from public.incidents_filtered(p_from, p_to, p_types, p_area))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'fatalities', (select coalesce(sum(fatalities), 0) from f),
    'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                 (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t),
    'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                 (select admin1_pcode as k, count(*) as n from f group by 1) t),
    'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                 (select event_type, count(*) as n from f group by 1) t)));
end
$$;

create or replace function public.incidents_by_area(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_level integer default 1,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_status text[] default null, p_reliability text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan  -- the unused filters fold away (see incidents_map)
as $$
declare
  v jsonb;
  v_rollup boolean;
  v_scope text[];
  v_place geometry;
begin
  if p_level is null or p_level not between 1 and 3 then
    raise exception 'level: must be 1 (governorate), 2 (district) or 3 (sub-district)' using errcode = '22023';
  end if;
  v_scope := public.caller_location_scope();
  v_place := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);

  -- One pass over the matching incidents (it read them three times: counts, first and last
  -- date), from the summary when it can answer for this level (governorates and districts)
  -- and no place or further filter is set.
  v_rollup := p_level <= 2 and public.incident_rollup_usable(p_area, p_west)
    and v_place is null and not coalesce(p_precise_only, false)
    and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
      + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
      + coalesce(cardinality(p_reliability), 0) = 0;
  -- Any dates: the whole years and months from the year and month rollups, the odd ends' days
  -- from the day rollup (incident_rollup_range_rows, 20261225100000; odd dates summed the day
  -- rollup over the whole range), the first and last day from the day rollup's index.
  with counts as (
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
    from public.incident_rollup_range_rows(p_from, p_to, p_types, p_area) r
    where v_rollup
    group by 1
    union all
    select case p_level when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as pcode,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status,
           p_reliability, v_scope) i
    where not v_rollup
    group by 1
  ),
  related as (
    -- each area of p_area itself, the areas inside it and the areas it lies in (by the P-code
    -- hierarchy)
    select unnest(p_area) as pcode
    union select a.pcode from public.areas a where a.parent_pcode = any (p_area)
    union select c.pcode from public.areas c join public.areas a on c.parent_pcode = a.pcode where a.parent_pcode = any (p_area)
    union select a.parent_pcode from public.areas a where a.pcode = any (p_area)
    union select b.parent_pcode from public.areas a join public.areas b on b.pcode = a.parent_pcode where a.pcode = any (p_area)
  ),
  scope as (
    select a.* from public.areas a
    where a.level = p_level
      and (p_area is null or cardinality(p_area) = 0 or a.pcode in (select pcode from related))
  )
  select jsonb_build_object(
    'level', p_level,
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'first_date', case when v_rollup then public.incident_rollup_edge_day(false, p_from, p_to, p_types, p_area)
                       else (select min(first) from counts) end,
    'last_date', case when v_rollup then public.incident_rollup_edge_day(true, p_from, p_to, p_types, p_area)
                      else (select max(last) from counts) end,
    'areas', coalesce((select jsonb_agg(jsonb_build_object(
                 'pcode', s.pcode, 'name_en', s.name_en, 'name_ar', s.name_ar, 'parent_pcode', s.parent_pcode,
                 'n', coalesce(c.n, 0), 'fatalities', coalesce(c.fat, 0))
               order by coalesce(c.n, 0) desc, s.name_en)
               from scope s left join counts c on c.pcode = s.pcode), '[]'::jsonb),
    'unassigned', jsonb_build_object(
                 'n', coalesce((select n from counts where pcode is null), 0),
                 'fatalities', coalesce((select fat from counts where pcode is null), 0)))
  into v;
  return v;
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
  -- the whole months of the dates, [v_m0, v_m1) (null: no bound), as incident_rollup_end_days
  v_m0 date := date_trunc('month', p_from - 1 + interval '1 month')::date;
  v_m1 date := date_trunc('month', (p_to + 1)::timestamp)::date;
begin
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
