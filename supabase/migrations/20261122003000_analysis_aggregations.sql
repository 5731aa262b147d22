-- Context analysis: the aggregations behind the analysis screen, the area page and
-- /api/v1/stats. Every one of them starts from public.incidents_filtered — the filter the map,
-- the list and the API share — so a chart never counts differently from the map for the same
-- filters and the same user: they are security invoker, so RLS decides which incidents count
-- (a viewer's charts count only verified, unrestricted incidents, as the viewer's map does).
--
-- They aggregate in SQL and return small jsonb documents: the browser never receives the
-- incidents themselves. Each takes the shared filters (p_from, p_to, p_types, p_area and the
-- optional viewport p_west/p_south/p_east/p_north) plus its own arguments. A bad argument raises
-- SQLSTATE 22023 with a message that starts with the argument's name, which the API turns into
-- a 400.

-- ---------------------------------------------------------------------------------------------
-- Incidents and fatalities over time, stacked.
--   p_by    'day' | 'week' | 'month'. Weeks are ISO weeks (Monday first, date_trunc('week')); a
--           bin is named by its first day.
--   p_group 'type' (event type) | 'area1' (governorate P-code) | 'area2' (district P-code) |
--           'none'. Incidents with no area at that level are grouped under the key 'none'.
-- Bins are sparse (a bin with no incident is absent); the charts fill the gaps.
create function public.incident_stats(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_by text default 'month', p_group text default 'type'
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v jsonb;
begin
  if p_by is null or p_by not in ('day', 'week', 'month') then
    raise exception 'by: unknown value "%"; use day, week or month', p_by using errcode = '22023';
  end if;
  if p_group is null or p_group not in ('type', 'area1', 'area2', 'none') then
    raise exception 'group: unknown value "%"; use type, area1, area2 or none', p_group using errcode = '22023';
  end if;

  with f as (
    select date_trunc(p_by, i.event_date::timestamp)::date as bin,
           coalesce(case p_group when 'type' then i.event_type
                                 when 'area1' then i.admin1_pcode
                                 when 'area2' then i.admin2_pcode
                                 else 'all' end, 'none') as key,
           i.event_date, i.fatalities
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  bins as (
    select bin, key, count(*) as n, sum(fatalities) as fat from f group by bin, key
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
    'first_date', (select min(event_date) from f),
    'last_date', (select max(event_date) from f),
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
-- areas too; with p_area set, only the areas of that level inside it, or it itself, or the one
-- it lies in. Incidents placed in no
-- area of that level are counted apart ('unassigned': country-wide or imprecise locations).
create function public.incidents_by_area(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_level integer default 1
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v jsonb;
begin
  if p_level is null or p_level not between 1 and 3 then
    raise exception 'level: must be 1 (governorate), 2 (district) or 3 (sub-district)' using errcode = '22023';
  end if;

  with f as (
    select case p_level when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as pcode,
           i.event_date, i.fatalities
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  counts as (
    select pcode, count(*) as n, sum(fatalities) as fat from f group by pcode
  ),
  related as (
    -- p_area itself, the areas inside it and the areas it lies in (by the P-code hierarchy)
    select p_area as pcode
    union select a.pcode from public.areas a where a.parent_pcode = p_area
    union select c.pcode from public.areas c join public.areas a on c.parent_pcode = a.pcode where a.parent_pcode = p_area
    union select a.parent_pcode from public.areas a where a.pcode = p_area
    union select b.parent_pcode from public.areas a join public.areas b on b.pcode = a.parent_pcode where a.pcode = p_area
  ),
  scope as (
    select a.* from public.areas a
    where a.level = p_level and (p_area is null or a.pcode in (select pcode from related))
  )
  select jsonb_build_object(
    'level', p_level,
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'first_date', (select min(event_date) from f),
    'last_date', (select max(event_date) from f),
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
-- incident are absent). The date is the event date whatever its precision: an incident known
-- only to the week or month sits on the first day UCDP/ACLED give for it.
create function public.incidents_calendar(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with days as (
    select i.event_date as d, count(*) as n, sum(i.fatalities) as fat
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by i.event_date
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from days), 0),
    'fatalities', coalesce((select sum(fat) from days), 0),
    'first_date', (select min(d) from days),
    'last_date', (select max(d) from days),
    'days', coalesce((select jsonb_agg(jsonb_build_array(d, n, fat) order by d) from days), '[]'::jsonb))
$$;

-- ---------------------------------------------------------------------------------------------
-- When incidents happen: by hour of day and by day of week, counting only what is known.
--   by_hour  24 counts (00–23 h) of incidents with a known time (time_precision 'exact' and an
--            event_time); nothing else says anything about the hour.
--   by_dow   7 counts, Monday first (ISO), of incidents whose day is known (precision 'exact' or
--            'day'); an event dated only to its week or month says nothing about the weekday.
--   dow_hour [dow 1–7, hour, n] for the incidents with a known time.
-- 'with_time' and 'with_day' say how many incidents each chart rests on, out of 'total'.
create function public.incidents_time_pattern(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with f as (
    select i.event_date, i.fatalities,
           case when i.time_precision = 'exact' and i.event_time is not null
                then extract(hour from i.event_time)::int end as hour,
           case when i.time_precision in ('exact', 'day')
                then extract(isodow from i.event_date)::int end as dow
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  hours as (select hour, count(*) as n from f where hour is not null group by hour),
  dows as (select dow, count(*) as n from f where dow is not null group by dow),
  cells as (select dow, hour, count(*) as n from f where hour is not null and dow is not null group by dow, hour)
  select jsonb_build_object(
    'total', (select count(*) from f),
    'with_time', (select count(*) from f where hour is not null),
    'with_day', (select count(*) from f where dow is not null),
    'first_date', (select min(event_date) from f),
    'last_date', (select max(event_date) from f),
    'by_hour', (select jsonb_agg(coalesce(hours.n, 0) order by h) from generate_series(0, 23) h
                left join hours on hours.hour = h),
    'by_dow', (select jsonb_agg(coalesce(dows.n, 0) order by d) from generate_series(1, 7) d
               left join dows on dows.dow = d),
    'dow_hour', coalesce((select jsonb_agg(jsonb_build_array(dow, hour, n) order by dow, hour) from cells), '[]'::jsonb))
$$;

-- ---------------------------------------------------------------------------------------------
-- The actors most often involved: incidents where the actor is either side (an incident with
-- the same actor on both sides counts once), how often as side 1 / side 2, and the fatalities of
-- those incidents. The p_limit most frequent, ties by name.
create function public.incidents_top_actors(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 10
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v jsonb;
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception 'limit: must be between 1 and 100' using errcode = '22023';
  end if;
  with f as (
    select i.id, i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  sides as (
    select f.id, f.actor1_id as actor_id, 1 as side, f.fatalities from f where f.actor1_id is not null
    union all
    select f.id, f.actor2_id, 2, f.fatalities from f where f.actor2_id is not null
  ),
  per_actor as (
    select actor_id, count(distinct id) as n,
           count(*) filter (where side = 1) as as1, count(*) filter (where side = 2) as as2
    from sides group by actor_id
  ),
  fat as (
    -- fatalities once per incident, even when the actor is on both sides
    select actor_id, sum(fatalities) as fat
    from (select distinct id, actor_id, fatalities from sides) s group by actor_id
  ),
  top as (
    select p.*, coalesce(fat.fat, 0) as fat, a.name, a.actor_type
    from per_actor p join public.actors a on a.id = p.actor_id left join fat on fat.actor_id = p.actor_id
    order by p.n desc, a.name
    limit p_limit
  )
  select jsonb_build_object(
    'total', (select count(*) from f),
    'with_actor', (select count(distinct id) from sides),
    'first_date', (select min(event_date) from f),
    'last_date', (select max(event_date) from f),
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', actor_id, 'name', name, 'actor_type', actor_type,
                 'n', n, 'as_actor1', as1, 'as_actor2', as2, 'fatalities', fat) order by n desc, name) from top), '[]'::jsonb))
  into v;
  return v;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The dates the caller's incidents span: the analysis screen's default range and as-of date
-- (the demo data ends in 2018, so "today" would show nothing).
create function public.incidents_date_range() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('first_date', min(event_date), 'last_date', max(event_date), 'total', count(*))
  from public.incidents_filtered()
$$;
