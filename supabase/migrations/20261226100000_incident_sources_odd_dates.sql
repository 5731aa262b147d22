-- /stats/sources for any dates from the rollups (issue 16). The day rollup has no source, so a
-- range with odd ends (typed into the filters, or brushed on a chart) scanned every incident of
-- the range: 1.0-1.6 s for a range of years at 3,000,000 incidents. Now the range's whole months
-- come from the year and month rollups, as whole months did already, and only its odd ends
-- (at most the days of two months) from the incidents, through the date index. A range holding
-- no whole month keeps the scan, which the date index makes short.

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
