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

-- Kept for callers of the old name (same answer), built the new way.
create or replace function public.baseline_row(
  p_pcode text, p_level integer, p_name_en text, p_name_ar text, p_parent text,
  p_week bigint, p_four bigint, p_base bigint
) returns jsonb
language sql immutable
as $$
  select public.baseline_json(p_pcode, p_level, p_name_en, p_name_ar, p_parent, p_week, p_four, p_base,
                              public.baseline_classify(p_week, p_base, 1), public.baseline_classify(p_four, p_base, 4))
$$;

create or replace function public.baseline_table(
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

create or replace function public.area_baseline(p_pcode text default null, p_as_of date default null, p_types text[] default null)
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
    left join public.incidents_filtered(v_d - 391, v_d, p_types, p_pcode) i on (v_d - i.event_date) / 7 = k
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
