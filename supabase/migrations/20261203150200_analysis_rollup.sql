-- Aggregations from the incident rollup, and the RLS helpers marked parallel safe.
--
-- has_app_role and current_app_role read a table and the request's claims and change nothing:
-- stable and parallel safe, so a signed-in user's scans may run in parallel as the owner's do
-- (they ran serially: 581 ms against 344 ms at 1M incidents). auth.uid() and auth.jwt() are
-- marked so in bootstrap.sql (Supabase already has its own).
alter function public.current_app_role() parallel safe;

alter function public.has_app_role(variadic text[]) parallel safe;

-- Redefined (from 20261122003006_analysis_speed): bins from the incident rollup when it can
-- answer (20261203150100_incident_rollup), the scan otherwise; same answer.
create or replace function public.incident_stats(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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
  with bins as (
    select date_trunc(p_by, r.day::timestamp)::date as bin,
           coalesce(case p_group when 'type' then r.event_type
                                 when 'area1' then r.admin1_pcode
                                 when 'area2' then r.admin2_pcode
                                 else 'all' end, 'none') as key,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or r.admin1_pcode = p_area or r.admin2_pcode = p_area)
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
    'first_date', (select min(first) from bins),
    'last_date', (select max(last) from bins),
    'groups', coalesce((select jsonb_agg(jsonb_build_object('key', key, 'name_en', name_en, 'name_ar', name_ar,
                          'n', n, 'fatalities', fat) order by n desc, key) from groups), '[]'::jsonb),
    'bins', coalesce((select jsonb_agg(jsonb_build_object('bin', bin, 'key', key, 'n', n, 'fatalities', fat)
                        order by bin, key) from bins), '[]'::jsonb))
  into v;
  return v;
end
$$;

-- Redefined (from 20261122003000_analysis_aggregations): the counts per area in one pass over the
-- matching incidents instead of three, and from the rollup for governorates and districts.
create or replace function public.incidents_by_area(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_level integer default 1
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
as $$
declare
  v jsonb;
  v_rollup boolean;
begin
  if p_level is null or p_level not between 1 and 3 then
    raise exception 'level: must be 1 (governorate), 2 (district) or 3 (sub-district)' using errcode = '22023';
  end if;

  -- One pass over the matching incidents (it read them three times: counts, first and last
  -- date), from the summary when it can answer for this level (governorates and districts).
  v_rollup := p_level <= 2 and public.incident_rollup_usable(p_area, p_west);
  with counts as (
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or r.admin1_pcode = p_area or r.admin2_pcode = p_area)
    group by 1
    union all
    select case p_level when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as pcode,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup
    group by 1
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
    'first_date', (select min(first) from counts),
    'last_date', (select max(last) from counts),
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
