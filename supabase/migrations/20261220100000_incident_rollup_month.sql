-- Monthly totals for the dashboards' undated calls (issue 16).
--
-- At 3,000,000 synthetic incidents the day rollup (incident_rollup, 20261203150100) holds ~2.4M
-- rows: a day × district × type × status × confidentiality key is rarely met twice. Summing it
-- was no better than reading the incidents: as an analyst, /incidents/counts took 1.2 s,
-- /stats/incidents by month 0.5 s, /stats/areas 0.3 s, and /stats/sources (a scan; the map's
-- timeline asks it on every load) 2.0 s. Per month (and per upstream source, for /stats/sources)
-- the same totals are ~220k rows.
--
-- incident_rollup_month is kept by the day rollup's trigger function, in the same statement-level
-- pass. The readers take it when the dates are whole months or none (incident_rollup_months),
-- the day rollup otherwise, under the same rule as before (incident_rollup_usable); the first and
-- last day come from the day rollup's index (incident_rollup_edge_day), and /stats/sources reads
-- each source's edge days from the incidents of its first and last month.
--
--   private.incident_rollup_apply, private.incident_rollup_clear (were 20261203150100)
--   incident_counts (was 20261209300000)
--   incident_stats, incidents_by_area, incidents_sources (were 20261209300000)

create table public.incident_rollup_month (
  month            date not null,
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  upstream_source  text,
  incidents        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_month_key unique nulls not distinct
    (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
);

create index incident_rollup_month_empty_idx on public.incident_rollup_month (month) where incidents = 0;

alter table public.incident_rollup_month enable row level security;

create policy "Analysts and admins can read every monthly total" on public.incident_rollup_month
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the monthly totals of verified unrestricted incidents" on public.incident_rollup_month
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_month to authenticated;

create function public.incident_rollup_months(p_from date, p_to date) returns boolean
language sql immutable parallel safe
as $$
  select (p_from is null or p_from = date_trunc('month', p_from)::date)
     and (p_to is null or p_to + 1 = date_trunc('month', p_to + 1)::date)
$$;

-- The month rollup's rows for the shared filters, as the caller may read them; its readers
-- check first that the dates are whole months (incident_rollup_months). SQL without a SET
-- clause, so that it inlines into them like incidents_filtered.
create function public.incident_rollup_month_rows(
  p_from date, p_to date, p_types text[], p_area text[]
) returns setof public.incident_rollup_month
language sql stable
as $$
  select r.* from public.incident_rollup_month r
  where (p_from is null or r.month >= p_from)
    and (p_to is null or r.month <= p_to)
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
$$;

create function public.incident_rollup_edge_day(
  p_last boolean, p_from date, p_to date, p_types text[], p_area text[]
) returns date
language plpgsql stable
set search_path = public, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  if p_last then
    return (select max(r.day) from public.incident_rollup r
            where (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
              and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
              and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area)));
  end if;
  return (select min(r.day) from public.incident_rollup r
          where (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
            and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
            and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area)));
end
$$;

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
      (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, fatalities)
    select event_date, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0))
    from (%s) d
    group by 1, 2, 3, 4, 5, 6
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
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
  return null;
end
$$;

create or replace function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare
  v_months boolean := public.incident_rollup_months(p_from, p_to);
begin
  if public.incident_rollup_usable(p_area) then
    return (
      -- Grouped first by what the answer shows (year × type × governorate, ~1,000 rows), then
      -- read four times: the CTE held every rollup row (~220k at 3M incidents) for each read.
      with f as (
        select extract(year from x.event_date)::int as y, x.event_type, x.admin1_pcode, sum(x.n) as n, sum(x.fat) as fat
        from (
          select r.month as event_date, r.event_type, r.admin1_pcode, r.incidents as n, r.fatalities as fat
          from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
          where v_months
          union all
          select r.day, r.event_type, r.admin1_pcode, r.incidents, r.fatalities
          from public.incident_rollup r
          where not v_months
            and (p_from is null or r.day >= p_from)
            and (p_to is null or r.day <= p_to)
            and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
            and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
        ) x
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
  -- Monthly bins of whole months: from the month rollup (~6× fewer rows at scale), the first and
  -- last day from the day rollup's index (its key starts with the day).
  v_months := v_rollup and p_by = 'month' and public.incident_rollup_months(p_from, p_to);
  with bins as (
    select r.month as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
    from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
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
  v_months boolean;
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
  -- Whole months (or no dates): the month rollup, the first and last day from the day rollup's index.
  v_months := v_rollup and public.incident_rollup_months(p_from, p_to);
  with counts as (
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
    from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
    where v_months
    group by 1
    union all
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup and not v_months
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
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
    'first_date', case when v_months then public.incident_rollup_edge_day(false, p_from, p_to, p_types, p_area)
                       else (select min(first) from counts) end,
    'last_date', case when v_months then public.incident_rollup_edge_day(true, p_from, p_to, p_types, p_area)
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

create or replace function public.incidents_sources(
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
  v_months boolean := public.incident_rollup_usable(p_area, p_west) and public.incident_rollup_months(p_from, p_to);
begin
  -- Whole months (the map's timeline asks with no filter at all): each source's total and its
  -- first and last month from the month rollup, then the first and last day inside those months
  -- from the incidents (the date index, read from the month's edge until a row of the source).
  if v_months then
    return (
      select coalesce(jsonb_agg(jsonb_build_object('source', x.s, 'n', x.n, 'first_date', f.d, 'last_date', l.d)
                                order by x.n desc, x.s), '[]'::jsonb)
      from (
        select r.upstream_source as s, sum(r.incidents) as n,
               min(r.month) as fm, (min(r.month) + interval '1 month')::date as fm_end,
               max(r.month) as lm, (max(r.month) + interval '1 month')::date as lm_end
        from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
        group by 1
      ) x
      -- The month as bounds of the date index, both plain columns of x (incidents_filtered's
      -- "p_from is null or …" with a column of x was no index condition, nor was an end worked
      -- out here: either read every incident of the source from the far end).
      cross join lateral (
        select min(i.event_date) as d
        from public.incidents_filtered(null, null, p_types, p_area) i
        where i.event_date >= x.fm and i.event_date < x.fm_end
          and i.upstream_source is not distinct from x.s
      ) f
      cross join lateral (
        select max(i.event_date) as d
        from public.incidents_filtered(null, null, p_types, p_area) i
        where i.event_date >= x.lm and i.event_date < x.lm_end
          and i.upstream_source is not distinct from x.s
      ) l);
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


-- Fill the month rollup from the incidents there are.
insert into public.incident_rollup_month
  (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents, fatalities)
select date_trunc('month', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
       confidentiality, upstream_source, count(*), coalesce(sum(fatalities), 0)
from public.incidents
group by 1, 2, 3, 4, 5, 6, 7;

analyze public.incident_rollup_month;
