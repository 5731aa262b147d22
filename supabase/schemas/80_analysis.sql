set check_function_bodies = off;

-- Context analysis: the aggregations behind the analysis screen, the area page and
-- /api/v1/stats. Every one of them starts from public.incidents_filtered — the filter the map,
-- the list and the API share (incidents_by_area from incidents_refined, which adds the map's
-- place and further filters to it) — so a chart never counts differently from the map for the same
-- filters and the same user: they are security invoker, so RLS decides which incidents count
-- (a viewer's charts count only verified, unrestricted incidents, as the viewer's map does).
--
-- They aggregate in SQL and return small jsonb documents: the browser never receives the
-- incidents themselves. Each takes the shared filters (p_from, p_to, p_types, p_area and the
-- optional viewport p_west/p_south/p_east/p_north) plus its own arguments. A bad argument raises
-- SQLSTATE 22023 with a message that starts with the argument's name, which the API turns into
-- a 400.

-- The first (p_last false) or last day with an incident the caller may count, for the dates,
-- types and area, from the day rollup: its key starts with the day, so this walks the index from
-- one end and stops at the first row that passes the filters and the policies. For the readers
-- that sum the month rollup, whose rows only know their month. PL/pgSQL planned for each call's
-- values: in a generic plan (an SQL function's) the dates were no index condition and the walk
-- started at the far end of the index (1.15M rows for a year of 2018 at 3M incidents).
-- An area: each P-code's first (last) day from the (area, day) indexes (20261231800000), as a
-- governorate or as a district. The walk along the days read the whole rollup for an area with
-- no incident (a quiet district: 0.3–0.7 s per call at 2M incidents, and the analysis screen
-- asks several times); now it reads at most the area's own rows.
create function public.incident_rollup_edge_day(
  p_last boolean, p_from date, p_to date, p_types text[], p_area text[]
) returns date
language plpgsql stable
set search_path = public, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  if p_area is not null and cardinality(p_area) > 0 then
    if p_last then
      return (select max(e.day) from unnest(p_area) a(pcode), lateral (
        select (select max(r.day) from public.incident_rollup r
                where r.admin1_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                  and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))) as day
        union all
        select (select max(r.day) from public.incident_rollup r
                where r.admin2_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                  and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)))) e);
    end if;
    return (select min(e.day) from unnest(p_area) a(pcode), lateral (
      select (select min(r.day) from public.incident_rollup r
              where r.admin1_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))) as day
      union all
      select (select min(r.day) from public.incident_rollup r
              where r.admin2_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)))) e);
  end if;
  if p_last then
    return (select max(r.day) from public.incident_rollup r
            where (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
              and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)));
  end if;
  return (select min(r.day) from public.incident_rollup r
          where (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
            and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)));
end
$$;

-- The dates as they filter (20261225100000): a from on or before the first day the caller may
-- count of the types and area (a to on or after the last) filters nothing and comes back null,
-- so that a reader takes its undated path (the analysis screen's map sends the data's own range).
-- For incidents_map and incidents_density, with only the shared filters.
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

-- ---------------------------------------------------------------------------------------------
-- Incidents and fatalities over time, stacked.
--   p_by    'day' | 'week' | 'month'. Weeks are ISO weeks (Monday first, date_trunc('week')); a
--           bin is named by its first day.
--   p_group 'type' (event type) | 'area1' (governorate P-code) | 'area2' (district P-code) |
--           'none'. Incidents with no area at that level are grouped under the key 'none'.
-- Bins are sparse (a bin with no incident is absent); the charts fill the gaps.
-- A bin or group none of whose incidents has a known fatality count has fatalities null, from
-- the scan (a sum of nulls) and from the rollups alike (their fatalities_known, 20261231700000).
create function public.incident_stats(
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

-- ---------------------------------------------------------------------------------------------
-- Incidents and fatalities per area of one level (1 governorate, 2 district, 3 sub-district).
-- Every area of the level is listed, with zeros, so a bar chart or a choropleth shows the quiet
-- areas too; with p_area set (one or more P-codes), only the areas of that level inside one of
-- them, or one itself, or the one it lies in. Incidents placed in no
-- area of that level are counted apart ('unassigned': country-wide or imprecise locations).
-- The incidents counted are the incident layer's: public.incidents_refined with the place
-- (p_geometry / p_geometry_id / p_lon, p_lat / p_within_km, p_precise_only, checked by
-- spatial_filter_place) and the further filters (lens, sub-event type, actor, status,
-- reliability), so the map's choropleth and rate shading count what its points show (issue 13).
-- The summary (incident_rollup) knows none of those: it answers only when none is set.
create function public.incidents_by_area(
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

-- ---------------------------------------------------------------------------------------------
-- The calendar: incidents and fatalities per day, as [date, n, fatalities] rows (days with no
-- incident are absent; a day none of whose incidents has a known fatality count has null). The
-- date is the event date whatever its precision: an incident known only to the week or month
-- sits on the first day UCDP/ACLED give for it. From the day rollup when the summary can answer
-- (incident_rollup_usable; its fatalities_known tells a day of unknown fatalities from a day of
-- none), or from its daily totals when no type or area is asked (incident_rollup_calendar, ~35×
-- fewer rows), else from the incidents.
create function public.incidents_calendar(
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
  v_daily boolean := v_rollup and coalesce(cardinality(p_types), 0) = 0 and coalesce(cardinality(p_area), 0) = 0;
begin
  return (
  with days as (
    select r.day as d, sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat
    from public.incident_rollup_calendar r
    where v_daily
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
    group by r.day
    union all
    select r.day as d, sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat
    from public.incident_rollup r
    where v_rollup and not v_daily
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

-- ---------------------------------------------------------------------------------------------
-- When incidents happen: by hour of day and by day of week, counting only what is known.
--   by_hour  24 counts (00–23 h) of incidents with a known time (time_precision 'exact' and an
--            event_time); nothing else says anything about the hour.
--   by_dow   7 counts, Monday first (ISO), of incidents whose day is known (precision 'exact' or
--            'day'); an event dated only to its week or month says nothing about the weekday.
--   dow_hour [dow 1–7, hour, n] for the incidents with a known time.
-- 'with_time' and 'with_day' say how many incidents each chart rests on, out of 'total'.
-- Undated, from incident_rollup_rhythm when the summary can answer (incident_rollup_usable), the
-- first and last days from the day rollup's index. Dated with no area, the whole months from
-- incident_rollup_rhythm_month and the days before and after them from the incidents
-- (20261231400000); else from the incidents.
create function public.incidents_time_pattern(
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

-- ---------------------------------------------------------------------------------------------
-- The actors most often involved: incidents where the actor is either side (an incident with
-- the same actor on both sides counts once), how often as side 1 / side 2, and the fatalities of
-- those incidents. The p_limit most frequent, ties by name. Undated, from incident_rollup_actor
-- when the summary can answer (the total from incident_rollup_rhythm, which holds each incident
-- once; the first and last days from the day rollup's index). Dated with no area, the whole
-- months from incident_rollup_actor_month (the total from incident_rollup_rhythm_month) and the
-- days before and after them from the incidents (20261231500000). Else from the incidents.
create function public.incidents_top_actors(
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

-- ---------------------------------------------------------------------------------------------
-- The dates the caller's incidents span: the analysis screen's default range and as-of date
-- (the demo data ends in 2018, so "today" would show nothing). Every analysis, area and report
-- page asks it first; when the summary can answer (incident_rollup_usable), the first and last
-- days come from the day rollup's index and the total from the rhythm rollup (each incident
-- once, the smallest), instead of reading every incident (20261221200000).
create function public.incidents_date_range() returns jsonb
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

-- Change against a baseline, for every area and for the whole country, as of any date.
--
-- The rule (src/lib/domain/baseline.ts applies exactly the same one; the integration tests check
-- that the two agree and that both agree with counts made by hand from fixture rows):
--
--   windows, in whole days ending on the as-of date D (inclusive):
--     last week      D-6   … D
--     last 4 weeks   D-27  … D
--     baseline       D-391 … D-28   (the 52 weeks before the 4-week window; both windows are
--                                    compared with it, so a surge in the last weeks does not
--                                    raise the yardstick of the last week)
--   expected = baseline count × weeks / 52
--   rising  when observed ≥ 1.25 × expected, falling when observed ≤ 0.75 × expected,
--   stable  otherwise, and whenever the low-count guard holds:
--   low-count guard: a change is called only when observed or expected is at least 5 incidents
--   (1 → 2 is "+100 %" and means nothing).
--   The comparisons are made in integers (observed·208 against 5·weeks·baseline) so no float
--   rounding moves an area across a band edge.
--
-- Counts come from public.incidents_filtered (RLS applies: each role sees the baseline of the
-- incidents it may see) with the event-type filter; incidents with no area at a level count for
-- the country but for no area of that level.

-- One window's verdict. Immutable and public: the API, reports and tests may call it directly.
-- Making the analysis functions fast enough for 100k–1M incidents (scripts/bench-analysis.ts).
-- Same answers as before (the integration tests did not change); what changed and why:
--
--  * baseline_classify and baseline_row lose their pinned search_path. They name only
--    built-in functions (pg_catalog is always searched first), and a SET clause stops
--    PostgreSQL from inlining a SQL function: called once per area, the GUC save/restore cost
--    ~0.7 ms a row — 0.3 s of the 0.33 s the baseline table took for 414 areas.
--  * The aggregations read the filtered incidents once: counts, dates covered and fatalities come
--    out of one grouping instead of a scan per figure (top actors took 0.8 s at 100k).
--  * Proximity takes its candidates from the date index and screens them with a box test before
--    the geodesic distance. Under row-level security PostgreSQL does not use the GiST indexes
--    for ST_DWithin or && (not leakproof: they must run after the policies), so the plan
--    "spatial index first" is not available to a signed-in caller; see the comment in the
--    function.
--  * jit = off for these functions: PostgreSQL's JIT compiles plans whose estimated cost is high
--    (the policies' OR-ed quals and ST_DWithin estimates make it so) and the compilation took
--    longer than the query — proximity at 100k incidents: 2.1 s with JIT, 0.23 s without. No
--    effect on PGlite, which has no JIT.

create function public.baseline_classify(p_observed bigint, p_baseline bigint, p_weeks integer)
returns jsonb
language sql immutable
as $$
  select jsonb_build_object(
    'observed', p_observed,
    'expected', round(p_baseline * p_weeks / 52.0, 3),
    'change_pct', case when p_baseline * p_weeks = 0 then null
                       else round(((p_observed * 52 - p_baseline * p_weeks) * 100.0) / (p_baseline * p_weeks), 1) end,
    'trend', case when p_observed < 5 and p_baseline * p_weeks < 5 * 52 then 'stable'
                  when p_observed * 208 >= 5 * p_weeks * p_baseline then 'rising'
                  when p_observed * 208 <= 3 * p_weeks * p_baseline then 'falling'
                  else 'stable' end,
    'low_count', p_observed < 5 and p_baseline * p_weeks < 5 * 52)
$$;

-- The windows of an as-of date, for the answers to carry (so a reader sees what was compared).
create function public.baseline_windows(p_as_of date) returns jsonb
language sql immutable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'as_of', p_as_of,
    'week', jsonb_build_object('from', p_as_of - 6, 'to', p_as_of),
    'four_weeks', jsonb_build_object('from', p_as_of - 27, 'to', p_as_of),
    'baseline', jsonb_build_object('from', p_as_of - 391, 'to', p_as_of - 28),
    'rule', jsonb_build_object('baseline_weeks', 52, 'band_pct', 25, 'min_count', 5))
$$;

-- A flat row for one area (or the country: pcode null, level 0) from its three counts.
-- Kept for callers of the old name (same answer), built the new way.
create function public.baseline_row(
  p_pcode text, p_level integer, p_name_en text, p_name_ar text, p_parent text,
  p_week bigint, p_four bigint, p_base bigint
) returns jsonb
language sql immutable
as $$
  select public.baseline_json(p_pcode, p_level, p_name_en, p_name_ar, p_parent, p_week, p_four, p_base,
                              public.baseline_classify(p_week, p_base, 1), public.baseline_classify(p_four, p_base, 4))
$$;

-- Every area (optionally one level, or one area and the areas directly inside it) and the whole
-- country (level 0, pcode null; left out when a level ≥ 1 or a parent is asked for), as of a
-- date (default today). Sorted by level, then by the last week's change, largest rise first.
create function public.baseline_table(
  p_as_of date default null, p_types text[] default null,
  p_level integer default null, p_parent text default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_d date := coalesce(p_as_of, current_date);
  v jsonb;
begin
  if p_level is not null and p_level not between 0 and 3 then
    raise exception 'level: must be 0 (country), 1, 2 or 3' using errcode = '22023';
  end if;
  if p_parent is not null and not exists (select 1 from public.areas where pcode = p_parent) then
    raise exception 'parent: no area with P-code %', p_parent using errcode = 'P0002';
  end if;

  with f as (
    select i.admin1_pcode as a1, i.admin2_pcode as a2, i.admin3_pcode as a3, v_d - i.event_date as age
    from public.incidents_filtered(v_d - 391, v_d, p_types, null) i
  ),
  c as (
    -- grouping(a1, a2, a3): 3 = per governorate, 5 = per district, 6 = per sub-district, 7 = all
    select coalesce(a1, a2, a3) as pcode, grouping(a1, a2, a3) as g,
           count(*) filter (where age < 7) as w1,
           count(*) filter (where age < 28) as w4,
           count(*) filter (where age >= 28) as base
    from f
    group by grouping sets ((a1), (a2), (a3), ())
  ),
  counts as (
    select null::text as pcode, 0 as level, null::text as name_en, null::text as name_ar, null::text as parent_pcode,
           coalesce(c.w1, 0) as w1, coalesce(c.w4, 0) as w4, coalesce(c.base, 0) as base
    from (select 1) one left join c on c.g = 7
    where coalesce(p_level, 0) = 0 and p_parent is null
    union all
    select a.pcode, a.level, a.name_en, a.name_ar, a.parent_pcode,
           coalesce(c.w1, 0), coalesce(c.w4, 0), coalesce(c.base, 0)
    from public.areas a
    left join c on c.pcode = a.pcode and c.g = case a.level when 1 then 3 when 2 then 5 when 3 then 6 end
    where a.level between 1 and 3
      and (p_level is null or a.level = p_level)
      and (p_parent is null or a.pcode = p_parent or a.parent_pcode = p_parent)
  )
  select public.baseline_windows(v_d) || jsonb_build_object(
    'rows', coalesce(jsonb_agg(
       public.baseline_json(x.pcode, x.level, x.name_en, x.name_ar, x.parent_pcode, x.w1, x.w4, x.base, k.w, k.f)
       order by x.level, x.w1 desc, x.w4 desc, x.name_en), '[]'::jsonb))
  into v
  from counts x
  cross join lateral (select public.baseline_classify(x.w1, x.base, 1) as w, public.baseline_classify(x.w4, x.base, 4) as f) k;
  return v;
end
$$;

-- One area (or the country when p_pcode is null): its row of the baseline table and the 56
-- rolling weeks behind it (oldest first; week k ends on D − 7k), for a sparkline.
create function public.area_baseline(p_pcode text default null, p_as_of date default null, p_types text[] default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_d date := coalesce(p_as_of, current_date);
  a public.areas;
  v jsonb;
begin
  if p_pcode is not null then
    select * into a from public.areas where pcode = p_pcode;
    if a.pcode is null then
      raise exception 'pcode: no area with P-code %', p_pcode using errcode = 'P0002';
    end if;
  end if;

  with weeks as (
    -- week k ends on D − 7k; weeks 0–3 are the 4-week window, 4–55 the baseline
    select k, count(i.event_date) as n
    from generate_series(0, 55) k
    left join public.incidents_filtered(v_d - 391, v_d, p_types, array_remove(array[p_pcode], null)) i on (v_d - i.event_date) / 7 = k
    group by k
  ),
  sums as (
    select coalesce(sum(n) filter (where k = 0), 0)::bigint as w1,
           coalesce(sum(n) filter (where k < 4), 0)::bigint as w4,
           coalesce(sum(n) filter (where k >= 4), 0)::bigint as base
    from weeks
  )
  select public.baseline_windows(v_d) || jsonb_build_object(
    'row', public.baseline_json(a.pcode, coalesce(a.level::int, 0), a.name_en, a.name_ar, a.parent_pcode, s.w1, s.w4, s.base,
                                public.baseline_classify(s.w1, s.base, 1), public.baseline_classify(s.w4, s.base, 4)),
    'weeks', (select jsonb_agg(jsonb_build_object('from', v_d - 7 * k - 6, 'to', v_d - 7 * k, 'n', n) order by k desc) from weeks))
  into v
  from sums s;
  return v;
end
$$;

-- Proximity: the incidents within X km of our sites, a facility, a camp, a checkpoint, or a
-- point/line/polygon drawn on the map, in the last N days up to a date.
--
-- Distances are on the spheroid (geography). The candidates are found with ST_DWithin on
-- incidents.geom::geography, which the GiST index incidents_geog_idx serves; the shared filter
-- (public.incidents_filtered: dates, event types, RLS) then decides which of them count, so the
-- list agrees with the map for the same user and dates.

-- The GeoJSON a client sends (a geometry, or a Feature holding one) as a checked geometry.
create function public.proximity_geometry(p_geojson jsonb) returns geometry
language sql immutable
set search_path = public, extensions, pg_temp
as $$
  select public.geojson_geometry(p_geojson)
$$;

-- p_km       the distance, 0 < km ≤ 200
-- p_days     how many days back, counting p_as_of itself (1 = that day only), 1 … 36 600
-- p_as_of    the last day (default today)
-- p_site_kind 'org_sites' | 'health_facilities' | 'idp_camps' | 'checkpoints': all sites of that
--            registry, or only p_site_id; or p_geometry (GeoJSON) instead of sites.
-- Answer: the targets with their counts, and the incidents (nearest first; at most p_limit, the
-- totals are exact) each with its distance in metres to the nearest target.
-- Proximity asks the index, under RLS too: the candidates within a target's box are now found
-- through the (lat, lon) btree of 20261122004100 (float8 comparisons are leakproof, so the
-- planner may use them in an index scan for a signed-in caller), instead of every incident of
-- the date range being box-tested. The box edges are plain columns of the materialised targets:
-- a non-leakproof function (st_xmin …) in the join condition would forbid the index again.
-- The incidents are read once (20261218100000): the candidates come through incidents_filtered
-- and carry what the answer shows, where they used to be looked up again by id (18k index
-- probes for Baghdad at 807k incidents), and the place name the caller may see is worked out for
-- the listed incidents only. Many targets (20261219100000): the incidents are read once for all
-- of them, by the box around them all when the targets' boxes cover much of it, each incident's
-- point and distance is worked out once, and an incident meets only the targets of its grid cell.
-- Otherwise the function is the one of 20261122003006_analysis_speed.sql.
create function public.incidents_proximity(
  p_km double precision,
  p_days integer default 30,
  p_as_of date default null,
  p_site_kind text default null,
  p_site_id uuid default null,
  p_geometry jsonb default null,
  p_types text[] default null,
  p_limit integer default 500
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
set plan_cache_mode = force_custom_plan
set work_mem = '64MB'
as $$
declare
  v_to date := coalesce(p_as_of, current_date);
  v_from date;
  v_m double precision;
  v_geom geometry;
  v jsonb;
  v_scope text[] := public.caller_location_scope();
  v_exact boolean := v_scope is null;
  v_field boolean := coalesce(cardinality(v_scope), 0) > 0;
  -- the targets, each with its box (the circle's bounding box), and the box around them all
  t_kind text[]; t_id uuid[]; t_name text[]; t_geom geometry[];
  t_x0 float8[]; t_x1 float8[]; t_y0 float8[]; t_y1 float8[];
  u_x0 float8; u_x1 float8; u_y0 float8; u_y1 float8;
  v_sx float8; v_sy float8;
  v_whole boolean;
begin
  if p_km is null or not (p_km > 0 and p_km <= 200) then
    raise exception 'km: must be more than 0 and at most 200' using errcode = '22023';
  end if;
  if p_days is null or p_days not between 1 and 36600 then
    raise exception 'days: must be between 1 and 36600' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 0 and 10000 then
    raise exception 'limit: must be between 0 and 10000' using errcode = '22023';
  end if;
  if (p_site_kind is null) = (p_geometry is null) then
    raise exception 'site_kind: give either site_kind (with an optional site_id) or geometry' using errcode = '22023';
  end if;
  if p_site_kind is not null and p_site_kind not in ('org_sites', 'health_facilities', 'idp_camps', 'checkpoints') then
    raise exception 'site_kind: unknown value "%"; use org_sites, health_facilities, idp_camps or checkpoints', p_site_kind
      using errcode = '22023';
  end if;
  if p_site_id is not null and p_site_kind is null then
    raise exception 'site_kind: is required with site_id' using errcode = '22023';
  end if;
  v_from := v_to - (p_days - 1);
  v_m := p_km * 1000;
  if p_geometry is not null then
    v_geom := public.proximity_geometry(p_geometry);
  end if;

  if p_site_id is not null and not exists (
       select 1 from public.org_sites where p_site_kind = 'org_sites' and id = p_site_id
       union all select 1 from public.health_facilities where p_site_kind = 'health_facilities' and id = p_site_id
       union all select 1 from public.idp_camps where p_site_kind = 'idp_camps' and id = p_site_id
       union all select 1 from public.checkpoints where p_site_kind = 'checkpoints' and id = p_site_id) then
    raise exception 'site_id: no % with id %', replace(p_site_kind, '_', ' '), p_site_id using errcode = 'P0002';
  end if;

  with raw_targets as (
    select 'geometry'::text as kind, null::uuid as id, null::text as name, v_geom as geom
    where v_geom is not null
    union all
    select 'org_sites', s.id, s.name, s.geom::geometry from public.org_sites s
    where p_site_kind = 'org_sites' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'health_facilities', s.id, s.name, s.geom::geometry from public.health_facilities s
    where p_site_kind = 'health_facilities' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'idp_camps', s.id, s.name, s.geom::geometry from public.idp_camps s
    where p_site_kind = 'idp_camps' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'checkpoints', s.id, s.name, s.geom::geometry from public.checkpoints s
    where p_site_kind = 'checkpoints' and (p_site_id is null or s.id = p_site_id)
  ),
  boxed as (
    select r.kind, r.id, r.name, r.geom,
           -- the target's box grown by the distance: dx in degrees of longitude (shortest at the
           -- box's latitude nearest a pole), dy in degrees of latitude (≥ 110.574 km), +1 %
           st_expand(r.geom,
                     v_m / (111320.0 * greatest(cos(radians(least(89.0, greatest(abs(st_ymin(r.geom)), abs(st_ymax(r.geom))) + v_m / 110574.0))), 0.01)) * 1.01,
                     v_m / 110574.0 * 1.01) as box
    from raw_targets r
  )
  select array_agg(kind), array_agg(id), array_agg(name), array_agg(geom),
         array_agg(st_xmin(box)), array_agg(st_xmax(box)), array_agg(st_ymin(box)), array_agg(st_ymax(box)),
         min(st_xmin(box)), max(st_xmax(box)), min(st_ymin(box)), max(st_ymax(box)),
         max(st_xmax(box) - st_xmin(box)), max(st_ymax(box) - st_ymin(box)),
         -- several targets, whose boxes cover at least 2 % of the box around them all
         count(*) > 1 and sum(st_area(box)) >= 0.02 * st_area(st_extent(box)::geometry)
    into t_kind, t_id, t_name, t_geom, t_x0, t_x1, t_y0, t_y1, u_x0, u_x1, u_y0, u_y1, v_sx, v_sy, v_whole
  from boxed;

  with targets as materialized (
    select t.kind, t.id, t.name, t.geom::geography as geog, t.x0, t.x1, t.y0, t.y1, t.n
    from unnest(t_kind, t_id, t_name, t_geom, t_x0, t_x1, t_y0, t_y1) with ordinality
           t(kind, id, name, geom, x0, x1, y0, y1, n)
  ),
  target_cells as materialized (
    -- Each target's box in a grid of cells at least as large as every box, so on at most 2 × 2
    -- cells (its corners'): an incident meets only the targets of its own cell (a hash join),
    -- instead of every incident being box-tested against every target (87k × 86 for a year
    -- around all health facilities at 807k incidents).
    select distinct t.n, floor(x / v_sx)::bigint as cx, floor(y / v_sy)::bigint as cy
    from targets t, lateral (values (t.x0, t.y0), (t.x0, t.y1), (t.x1, t.y0), (t.x1, t.y1)) c (x, y)
  ),
  inc as materialized (
    -- The incidents that may be near a target, read once through the shared filter (dates,
    -- types, RLS; inlined, so its conditions meet the indexes), with the point the caller sees.
    -- Under RLS the GiST indexes cannot serve ST_DWithin or && (not leakproof); the box tests on
    -- plain float8 columns are leakproof and answered by their btree. Either branch runs (v_whole
    -- is a constant in this custom plan, as are the u_ edges of the box around all targets):
    --   the box around all targets, when there are several and their boxes cover much of it
    --     (sites all over the country: one read, by the date index when dates narrow it most);
    --   each target's own box, its edges read from the targets (one target, or a few far apart).
    --     The planner then estimates the box generically and ANDs the (lat, lon) btree with the
    --     date index; given one small box as constants, it took the box for a handful of rows and
    --     read it for all dates (Basra, a year: 12,792 rows fetched for 1,408).
    select p.*, p.pt::geography as g, floor(st_x(p.pt) / v_sx)::bigint as cx, floor(st_y(p.pt) / v_sy)::bigint as cy
    from (
      select i.id, public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                                    i.admin3_pcode, v_scope) as pt,
             i.event_date, i.fatalities
      from (
        select i.id, i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
               i.event_date, i.fatalities
        from public.incidents_filtered(v_from, v_to, p_types, null) i
        where v_whole
          and ((v_exact and i.lat between u_y0 and u_y1 and i.lon between u_x0 and u_x1)
               or (not v_exact and i.lat_coarse between u_y0 and u_y1 and i.lon_coarse between u_x0 and u_x1)
               or (v_field and i.geom_coarse is not null and i.lat between u_y0 and u_y1 and i.lon between u_x0 and u_x1))
        union all
        select distinct on (i.id) i.id, i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
               i.event_date, i.fatalities
        from targets t
        join public.incidents_filtered(v_from, v_to, p_types, null) i
          on (v_exact and i.lat between t.y0 and t.y1 and i.lon between t.x0 and t.x1)
          or (not v_exact and i.lat_coarse between t.y0 and t.y1 and i.lon_coarse between t.x0 and t.x1)
          or (v_field and i.geom_coarse is not null and i.lat between t.y0 and t.y1 and i.lon between t.x0 and t.x1)
        where not v_whole
      ) i
    ) p
  ),
  counted as materialized (
    -- every (target, incident) within the distance of the point the caller sees, in narrow rows;
    -- the distance is worked out once (OFFSET 0 keeps the planner from computing it again in
    -- the filter), and a pair counts when the distance the answer shows is within the limit
    select * from (
      select t.n, t.id as target_id, c.id as incident_id, c.fatalities, c.event_date,
             st_distance(c.g, t.geog) as d
      from inc c
      join target_cells tc on tc.cx = c.cx and tc.cy = c.cy
      join targets t on t.n = tc.n
      where st_x(c.pt) between t.x0 and t.x1 and st_y(c.pt) between t.y0 and t.y1
      offset 0
    ) p
    where p.d <= v_m
  ),
  nearest as materialized (
    select distinct on (incident_id) * from counted order by incident_id, d, target_id
  ),
  per_target as (
    select t.kind, t.id, t.name, coalesce(c.cnt, 0) as n, coalesce(c.fat, 0) as fat
    from targets t
    left join (select n, count(*) as cnt, sum(fatalities) as fat from counted group by n) c on c.n = t.n
  ),
  listed as (
    -- what the answer shows of the listed incidents (at most p_limit), read again by id: joined
    -- to inc instead, a misestimated inc (a few rows expected, 1,408 found around Basra) made a
    -- nested loop of it, 500 × 1,408 comparisons; by the primary key it is 500 index probes
    select l.d, l.target_id, t.kind, t.name, i.id, i.event_date, i.event_type, i.fatalities,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                            i.admin3_pcode, v_scope) as pt,
           public.incident_place_for_caller(i.location_name, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                            i.admin3_pcode, v_scope) as place
    from (select * from nearest order by d, event_date desc, incident_id limit p_limit) l
    join public.incidents i on i.id = l.incident_id
    join targets t on t.n = l.n
  )
  select jsonb_build_object(
    'km', p_km, 'days', p_days, 'from', v_from, 'to', v_to,
    'total', (select count(*) from nearest),
    'fatalities', coalesce((select sum(fatalities) from nearest), 0),
    'targets', coalesce((select jsonb_agg(jsonb_build_object('kind', kind, 'id', id, 'name', name, 'n', n, 'fatalities', fat)
                           order by n desc, name) from per_target), '[]'::jsonb),
    'incidents', coalesce((select jsonb_agg(jsonb_build_object(
        'id', id, 'event_date', event_date, 'event_type', event_type, 'fatalities', fatalities,
        'location_name', place,
        'lon', round(st_x(pt)::numeric, 5), 'lat', round(st_y(pt)::numeric, 5),
        'distance_m', round(d::numeric), 'nearest_kind', kind, 'nearest_id', target_id, 'nearest_name', name)
      order by d, event_date desc, id) from listed), '[]'::jsonb))
  into v;
  return v;
end
$$;

-- The area page: one administrative area with everything known about it that is not an
-- incident chart (those come from the aggregation functions with p_area): where it sits in the
-- hierarchy, the areas inside it, its sites, camps and checkpoints, and its level in force.

-- Sites are found by location (the point inside the area's polygon, GiST index on geom), not by
-- their stored P-codes, so a site added later without P-codes still shows up.
create function public.area_profile(p_pcode text) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  a public.areas;
  v jsonb;
begin
  select * into a from public.areas where pcode = p_pcode;
  if a.pcode is null then
    raise exception 'pcode: no area with P-code %', coalesce(p_pcode, '(none)') using errcode = 'P0002';
  end if;

  select jsonb_build_object(
    'pcode', a.pcode, 'level', a.level, 'name_en', a.name_en, 'name_ar', a.name_ar, 'parent_pcode', a.parent_pcode,
    'bbox', jsonb_build_array(round(st_xmin(a.geom)::numeric, 4), round(st_ymin(a.geom)::numeric, 4),
                              round(st_xmax(a.geom)::numeric, 4), round(st_ymax(a.geom)::numeric, 4)),
    'area_km2', round((st_area(a.geom::geography) / 1e6)::numeric),
    'ancestors', coalesce((
        select jsonb_agg(jsonb_build_object('pcode', x.pcode, 'level', x.level, 'name_en', x.name_en, 'name_ar', x.name_ar)
                         order by x.level)
        from public.areas x
        where x.pcode = a.parent_pcode
           or x.pcode = (select p.parent_pcode from public.areas p where p.pcode = a.parent_pcode)), '[]'::jsonb),
    'children', coalesce((
        select jsonb_agg(jsonb_build_object('pcode', c.pcode, 'level', c.level, 'name_en', c.name_en, 'name_ar', c.name_ar)
                         order by c.name_en)
        from public.areas c where c.parent_pcode = a.pcode), '[]'::jsonb),
    'health_facilities', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'name_ar', s.name_ar, 'facility_type', s.facility_type,
                 'supported', s.supported, 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.health_facilities s where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'idp_camps', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'name_ar', s.name_ar, 'status', s.status,
                 'population', s.population, 'population_date', s.population_date, 'managing_org', s.managing_org,
                 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.idp_camps s where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'checkpoints', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'name_ar', s.name_ar, 'status', s.status,
                 'controlled_by', coalesce(ac.name, s.controlled_by), 'road', s.road, 'last_verified_at', s.last_verified_at,
                 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.checkpoints s left join public.actors ac on ac.id = s.controlling_actor_id
        where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'org_sites', coalesce((
        select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type, 'is_sample', s.is_sample,
                 'lon', round(st_x(s.geom)::numeric, 5), 'lat', round(st_y(s.geom)::numeric, 5)) order by s.name)
        from public.org_sites s where st_intersects(s.geom, a.geom)), '[]'::jsonb),
    'current_level', (
        select c from jsonb_array_elements(public.area_levels_current(null, a.level)) c
        where c ->> 'pcode' = a.pcode)
  ) into v;
  return v;
end
$$;

-- Where the counted incidents come from, for the source line every chart carries (ACLED and UCDP
-- ask that charts made from their data say so, with the dates covered): the matching incidents
-- per upstream source ('ucdp-ged', 'synthetic', an import's source; null = reported in Terrain)
-- with the first and last date of each.
create function public.incidents_sources(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan  -- the unused filters fold away (see incidents_map)
as $$
declare
  v_m0 date;  -- the range's whole months are [v_m0, v_m1) (incident_period_bounds)
  v_m1 date;
  v_wf date;  -- the same as a from–to for the month and year rollups (null: no bound)
  v_wt date;
begin
  select b.m0, b.m1 into v_m0, v_m1 from public.incident_period_bounds(p_from, p_to) b;
  v_wf := case when p_from is not null then v_m0 end;
  v_wt := case when p_to is not null then v_m1 - 1 end;
  -- The range holds a whole month (the map's timeline asks with no filter at all): its whole
  -- months from the rollups, its odd ends (20261226100000: at most the days of two months) from
  -- the incidents through the date index. The day rollup has no source, so odd dates scanned the
  -- whole range: 1.0-1.6 s for a range of years at 3,000,000 incidents. The parts' dates do not
  -- overlap and come in order, so a source's first (last) day is the least (greatest) of its parts'.
  if public.incident_rollup_usable(p_area, p_west) and v_m0 < v_m1 then
    return (
      select coalesce(jsonb_agg(jsonb_build_object('source', p.s, 'n', p.n, 'first_date', p.f, 'last_date', p.l)
                                order by p.n desc, p.s), '[]'::jsonb)
      from (
        select parts.s, sum(parts.n) as n, min(parts.f) as f, max(parts.l) as l
        from (
          -- The whole months: each source's total and the first and last year or month of its
          -- rows from the year and month rollups (incident_rollup_span_rows), then its first and
          -- last month inside those from the month rollup, then the first and last day inside
          -- those months from the incidents (the date index, read from the month's edge until a
          -- row of the source).
          select x.s, x.n, f.d as f, l.d as l
          from (
            select r.upstream_source as s, sum(r.incidents) as n, min(r.day) as fy, max(r.day) as ly
            from public.incident_rollup_span_rows(v_wf, v_wt, p_types, p_area) r
            group by 1
          ) x
          -- A year's row stands for its months: the first (last) month of the source is the first
          -- (last) of its monthly rows in the year or month that starts there.
          cross join lateral (
            select min(m.month) as fm, (min(m.month) + interval '1 month')::date as fm_end,
                   max(m.month) as lm, (max(m.month) + interval '1 month')::date as lm_end
            from public.incident_rollup_month_rows(v_wf, v_wt, p_types, p_area) m
            where m.upstream_source is not distinct from x.s
              and ((m.month >= x.fy and m.month < (x.fy + interval '1 year')::date)
                or (m.month >= x.ly and m.month < (x.ly + interval '1 year')::date))
          ) m
          -- The month as bounds of the date index, both plain columns of m (incidents_filtered's
          -- "p_from is null or …" with a column of m was no index condition, nor was an end
          -- worked out here: either read every incident of the source from the far end).
          cross join lateral (
            select min(i.event_date) as d
            from public.incidents_filtered(null, null, p_types, p_area) i
            where i.event_date >= m.fm and i.event_date < m.fm_end
              and i.upstream_source is not distinct from x.s
          ) f
          cross join lateral (
            select max(i.event_date) as d
            from public.incidents_filtered(null, null, p_types, p_area) i
            where i.event_date >= m.lm and i.event_date < m.lm_end
              and i.upstream_source is not distinct from x.s
          ) l
          union all
          -- The days before the first whole month, [from, m0), and from the month holding
          -- to + 1 on, [m1, to]: each one range of the date index, or dropped.
          select i.upstream_source, count(*), min(i.event_date), max(i.event_date)
          from public.incidents_filtered(p_from, v_m0 - 1, p_types, p_area) i
          where p_from < v_m0
          group by 1
          union all
          select i.upstream_source, count(*), min(i.event_date), max(i.event_date)
          from public.incidents_filtered(v_m1, p_to, p_types, p_area) i
          where v_m1 <= p_to
          group by 1
        ) parts
        group by parts.s
      ) p);
  end if;
  return (
    select coalesce(jsonb_agg(jsonb_build_object('source', s, 'n', n, 'first_date', f, 'last_date', l) order by n desc, s), '[]'::jsonb)
    from (
      select i.upstream_source as s, count(*) as n, min(i.event_date) as f, max(i.event_date) as l
      from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
      group by i.upstream_source
    ) x);
end
$$;

-- The baseline rows without a nested SQL function per row. baseline_row called
-- baseline_classify eight times from inside a SQL function that PostgreSQL would not inline, and
-- each row cost ~0.5 ms: 0.2–0.3 s of the baseline table's 0.3 s for 414 areas, against 23 ms
-- for the counting itself (scripts/bench-analysis.ts, 100k incidents). The classification is
-- now taken once per window in a lateral subquery and the row built in place; same answers.

create function public.baseline_json(
  p_pcode text, p_level integer, p_name_en text, p_name_ar text, p_parent text,
  p_week bigint, p_four bigint, p_base bigint, w jsonb, f jsonb
) returns jsonb
language sql immutable
as $$
  select jsonb_build_object(
    'pcode', p_pcode, 'level', p_level, 'name_en', p_name_en, 'name_ar', p_name_ar, 'parent_pcode', p_parent,
    'baseline_n', p_base, 'weekly_average', round(p_base / 52.0, 3),
    'week_n', p_week, 'week_expected', w -> 'expected', 'week_change_pct', w -> 'change_pct',
    'week_trend', w ->> 'trend', 'week_low_count', w -> 'low_count',
    'four_weeks_n', p_four, 'four_weeks_expected', f -> 'expected', 'four_weeks_change_pct', f -> 'change_pct',
    'four_weeks_trend', f ->> 'trend', 'four_weeks_low_count', f -> 'low_count')
$$;

-- The incidents behind one bar of an analysis chart, for the map to pick them out: the shared
-- filters (incidents_filtered) narrowed by what a bar can stand for and the shared filters cannot
-- express — an hour of day, a day of week, an actor (either side), or a stack group of areas
-- (one area, "no area at this level", or "every area but these" for the chart's "other" group).
-- The hour and weekday rules are incidents_time_pattern's, so a bar's count and the highlight's
-- total agree: the hour only where the time is exact, the weekday only where the day is known.
-- Same answer shape as incidents_map; the bbox is optional (a chart bar counts the whole country).
create function public.incidents_highlight(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_hour integer default null,
  p_dow integer default null,
  p_actor uuid default null,
  p_admin_level integer default null,
  p_admin_in text[] default null,
  p_admin_out text[] default null,
  p_limit integer default 5000
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare v_scope text[] := public.caller_location_scope();
begin
  return (
  with f as (
    select i.id, public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                                  i.admin3_pcode, v_scope) as geom,
           i.event_type, i.event_date, i.fatalities
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    -- 'none' stands for "placed in no area of that level", as the charts' group keys say
    cross join lateral (select coalesce(case p_admin_level when 1 then i.admin1_pcode
                                                          when 2 then i.admin2_pcode
                                                          else i.admin3_pcode end, 'none') as k) a
    where (p_hour is null or (i.time_precision = 'exact' and i.event_time is not null
                              and extract(hour from i.event_time)::int = p_hour))
      and (p_dow is null or (i.time_precision in ('exact', 'day') and extract(isodow from i.event_date)::int = p_dow))
      and (p_actor is null or i.actor1_id = p_actor or i.actor2_id = p_actor)
      and (p_admin_level is null or p_admin_in is null or a.k = any (p_admin_in))
      and (p_admin_level is null or p_admin_out is null or a.k <> all (p_admin_out))
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
  );
end
$$;
