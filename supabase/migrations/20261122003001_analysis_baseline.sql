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
create function public.baseline_classify(p_observed bigint, p_baseline bigint, p_weeks integer)
returns jsonb
language sql immutable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'observed', p_observed,
    'expected', round(p_baseline * p_weeks / 52.0, 3),
    'change_pct', case when p_baseline * p_weeks = 0 then null
                       else round(((p_observed * 52 - p_baseline * p_weeks) * 100.0) / (p_baseline * p_weeks), 1) end,
    'trend', case when low then 'stable'
                  when p_observed * 208 >= 5 * p_weeks * p_baseline then 'rising'
                  when p_observed * 208 <= 3 * p_weeks * p_baseline then 'falling'
                  else 'stable' end,
    'low_count', low)
  from (select p_observed < 5 and p_baseline * p_weeks < 5 * 52 as low) g
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
create function public.baseline_row(
  p_pcode text, p_level integer, p_name_en text, p_name_ar text, p_parent text,
  p_week bigint, p_four bigint, p_base bigint
) returns jsonb
language sql immutable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'pcode', p_pcode, 'level', p_level, 'name_en', p_name_en, 'name_ar', p_name_ar, 'parent_pcode', p_parent,
    'baseline_n', p_base, 'weekly_average', round(p_base / 52.0, 3),
    'week_n', p_week, 'week_expected', w -> 'expected', 'week_change_pct', w -> 'change_pct',
    'week_trend', w ->> 'trend', 'week_low_count', w -> 'low_count',
    'four_weeks_n', p_four, 'four_weeks_expected', f -> 'expected', 'four_weeks_change_pct', f -> 'change_pct',
    'four_weeks_trend', f ->> 'trend', 'four_weeks_low_count', f -> 'low_count')
  from (select public.baseline_classify(p_week, p_base, 1) as w, public.baseline_classify(p_four, p_base, 4) as f) c
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
  rows as (
    select 0 as level, null::text as sort_name,
           public.baseline_row(null, 0, null, null, null, coalesce(c.w1, 0), coalesce(c.w4, 0), coalesce(c.base, 0)) as r
    from (select 1) one left join c on c.g = 7
    where coalesce(p_level, 0) = 0 and p_parent is null
    union all
    select a.level, a.name_en,
           public.baseline_row(a.pcode, a.level, a.name_en, a.name_ar, a.parent_pcode,
                                coalesce(c.w1, 0), coalesce(c.w4, 0), coalesce(c.base, 0))
    from public.areas a
    left join c on c.pcode = a.pcode and c.g = case a.level when 1 then 3 when 2 then 5 when 3 then 6 end
    where a.level between 1 and 3
      and (p_level is null or a.level = p_level)
      and (p_parent is null or a.pcode = p_parent or a.parent_pcode = p_parent)
  )
  select public.baseline_windows(v_d) || jsonb_build_object(
    'rows', coalesce(jsonb_agg(r order by level, (r ->> 'week_n')::int desc, (r ->> 'four_weeks_n')::int desc, sort_name), '[]'::jsonb))
  into v
  from rows;
  return v;
end
$$;

-- One area (or the country when p_pcode is null): its row of the baseline table and the 56
-- rolling weeks behind it (oldest first; week k ends on D − 7k), for a sparkline.
create function public.area_baseline(p_pcode text default null, p_as_of date default null, p_types text[] default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
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

  with f as (
    select v_d - i.event_date as age from public.incidents_filtered(v_d - 391, v_d, p_types, p_pcode) i
  ),
  weeks as (
    select k, count(f.age) as n
    from generate_series(0, 55) k left join f on f.age / 7 = k
    group by k
  )
  select public.baseline_windows(v_d) || jsonb_build_object(
    'row', public.baseline_row(a.pcode, coalesce(a.level::int, 0), a.name_en, a.name_ar, a.parent_pcode,
             (select count(*) from f where age < 7), (select count(*) from f where age < 28),
             (select count(*) from f where age >= 28)),
    'weeks', (select jsonb_agg(jsonb_build_object('from', v_d - 7 * k - 6, 'to', v_d - 7 * k, 'n', n) order by k desc) from weeks))
  into v;
  return v;
end
$$;
