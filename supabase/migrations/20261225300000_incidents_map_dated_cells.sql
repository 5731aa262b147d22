-- The map's city views for a range of dates from the cell rollup (issue 16).
--
-- incidents_map answered the whole country from the year and month rollups for whole months only
-- (dates with odd ends scanned: 1.9 s at 3,000,000 incidents); it now reads them for any dates
-- (incident_rollup_range_rows). It answered a view of part of the country from the cell rollup
-- for all time only; dated, it read every incident of the range in the box. It now sums the z8
-- cells inside the box, which the rollup keeps per year and month, for the whole years and
-- months of the range, and reads the incidents of the range's edge days in those cells and, as
-- before, of the strips along the box's edges. A range holding no whole month keeps the scan.
--
--   incident_view_cells (was 20261221100000; p_dated: z8 for dates)
--   incidents_map (was 20261222100000; also its whole view for any dates, from the year, month
--     and day rollups: incident_rollup_range_rows, 20261225100000)

drop function public.incident_view_cells(double precision, double precision, double precision, double precision);

create function public.incident_view_cells(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_dated boolean default false
) returns table (level smallint, shift integer, cx0 integer, cx1 integer, cy0 integer, cy1 integer,
                 w double precision, s double precision, e double precision, n double precision)
language sql immutable parallel safe
as $$
  select g.level, g.shift, b.cx0, b.cx1, b.cy0, b.cy1,
         b.cx0 / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * (b.cy1 + 1) / g.size)))),
         (b.cx1 + 1) / g.size * 360 - 180, degrees(atan(sinh(pi() * (1 - 2 * b.cy0 / g.size))))
  from (select case when p_dated then 8 when p_east - p_west < 0.25 then 12 when p_east - p_west < 4 then 10
                    else 8 end::smallint as level) l
  cross join lateral (select l.level, case l.level when 8 then 10 when 10 then 7 else 5 end as shift,
                             case l.level when 8 then 16384.0 when 10 then 131072.0 else 524288.0 end::double precision as size) g
  cross join lateral (
    select greatest(1, ceil((p_west + 1e-7 + 180) / 360 * g.size))::integer as cx0,
           least(g.size - 2, floor((p_east - 1e-7 + 180) / 360 * g.size) - 1)::integer as cx1,
           greatest(1, ceil((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_north - 1e-7))) / 2)) / pi()) / 2 * g.size))::integer as cy0,
           least(g.size - 2, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_south + 1e-7))) / 2)) / pi()) / 2 * g.size) - 1)::integer as cy1
  ) b
$$;

create or replace function public.incidents_map(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_limit integer default 20000,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null,
  p_status text[] default null,
  p_complete boolean default false
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
-- A city view's count over the cells and the edge strips is costed above jit_above_cost at 3M
-- incidents: JIT took ~50 ms of a session's first call (~200 ms) and ~10 ms of each one after.
-- See also the note at baseline_classify (80_analysis.sql).
set jit = off
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
  v_shared boolean := v_place is null and not coalesce(p_precise_only, false)
     and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
       + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
       + coalesce(cardinality(p_reliability), 0) = 0
     and public.incident_rollup_usable(p_area);
  v_exact boolean := v_scope is null;  -- the caller sees exact points (analysts, admins)
  v_kind text := case when v_scope is null then 'exact' else 'coarse' end;
  b record;
  d record;  -- the periods of the dates (incident_period_bounds)
  v_counts jsonb;
  v_box boolean;
begin
  -- Dates that reach past the first or last day the caller may see of the filter (the analysis
  -- screen's map sends the data's own range) filter nothing: dropped, the paths below can take
  -- the view.
  if v_shared and (p_from is not null or p_to is not null) then
    select * into p_from, p_to from public.incident_dates_that_filter(p_from, p_to, p_types, p_area);
  end if;
  -- The whole view: incident_view_holds_all (31_incident_cells.sql) says the box holds all; the
  -- points then need no viewport test (v_box false), which would steer them off the date index.
  -- Not asked of a box under 4° wide (a city, a district; 60–90 ms at 3,000,000 incidents): the
  -- part-of-the-country path below answers it.
  if v_shared
     and (p_west is null or p_east - p_west >= 4)
     and public.incident_view_holds_all(p_west, p_south, p_east, p_north) then
    with counts as (
      select r.event_type, sum(r.incidents) as n, sum(r.fatalities) as fat
      from public.incident_rollup_range_rows(p_from, p_to, p_types, p_area) r
      group by 1
    )
    select jsonb_build_object(
      'total', coalesce((select sum(n) from counts), 0),
      'fatalities', coalesce((select sum(fat) from counts), 0),
      'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb))
    into v_counts;
    v_box := false;
  end if;

  -- Part of the country: the cells of the cell rollup's level wholly inside the box
  -- (incident_view_cells) summed, and the incidents inside the box but in no such cell — those
  -- lie in the strips between the cells and the box's edges, which the (lat, lon) index of the
  -- point the caller sees reads (one range per strip); incident_cells, which placed every
  -- incident in its cell for the rollup, tells exactly which of them the cells did not count.
  -- Dated (20261225300000; a city view for a range of dates read every incident of the range in
  -- it), on the z8 cells, kept per year and month: the whole years and months of the range from
  -- the rollup, and the incidents of its edge days in the cells read, as the dated tiles do; a
  -- range holding no whole month (a week, a day: the time slider's steps) keeps the scan, which
  -- the date index makes short (16 against 33 ms for a week over Baghdad at 3,000,000).
  select * into d from public.incident_period_bounds(p_from, p_to);
  if v_counts is null and v_shared and p_west is not null and d.m0 < d.m1 then
    select * into b from public.incident_view_cells(p_west, p_south, p_east, p_north, p_from is not null or p_to is not null);
    if b.cx0 <= b.cx1 and b.cy0 <= b.cy1 then
      with cells as (
        select r.event_type, r.incidents as n, r.fatalities as fat
        from public.incident_cell_period_rows(b.level, p_from is null and p_to is null, d.m0, d.m1, d.y0, d.y1,
                                              b.cx0, b.cx1, b.cy0, b.cy1, v_kind, p_types, p_area) r
      ),
      ends as (
        -- dated: the edge days' incidents in the block's rectangle (a margin of 1e-7° for the
        -- rounding of its edges), then exactly in its cells
        select i.event_type, 1 as n, i.fatalities as fat
        from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area,
                              b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)
              union all
              select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area,
                              b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
        where (p_from is not null or p_to is not null) and c.point_kind in ('any', v_kind)
          and (c.px >> b.shift) between b.cx0 and b.cx1 and (c.py >> b.shift) between b.cy0 and b.cy1
      ),
      strips as (
        select i.event_type, 1 as n, i.fatalities as fat
        from public.incidents_filtered(p_from, p_to, p_types, p_area) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
        where c.point_kind in ('any', v_kind)
          and not ((c.px >> b.shift) between b.cx0 and b.cx1 and (c.py >> b.shift) between b.cy0 and b.cy1)
          and ((v_exact and i.lon between p_west and p_east
                and ((i.lat > b.n - 1e-7 and i.lat <= p_north)
                  or (i.lat >= p_south and i.lat < b.s + 1e-7)
                  or (i.lat between p_south and p_north and i.lon < b.w + 1e-7)
                  or (i.lat between p_south and p_north and i.lon > b.e - 1e-7)))
            or (not v_exact and i.lon_coarse between p_west and p_east
                and ((i.lat_coarse > b.n - 1e-7 and i.lat_coarse <= p_north)
                  or (i.lat_coarse >= p_south and i.lat_coarse < b.s + 1e-7)
                  or (i.lat_coarse between p_south and p_north and i.lon_coarse < b.w + 1e-7)
                  or (i.lat_coarse between p_south and p_north and i.lon_coarse > b.e - 1e-7))))
      ),
      counts as (
        select event_type, sum(n) as n, sum(fat) as fat
        from (select * from cells union all select * from ends union all select * from strips) x group by 1
      )
      select jsonb_build_object(
        'total', coalesce((select sum(n) from counts), 0),
        'fatalities', coalesce((select sum(fat) from counts), 0),
        'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb))
      into v_counts;
      v_box := true;
    end if;
  end if;

  if v_counts is not null then
    return v_counts || jsonb_build_object('points', case
      when p_complete and (v_counts ->> 'total')::bigint > p_limit then '[]'::jsonb
      else (select coalesce(jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                     round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)), '[]'::jsonb)
            from (select id, public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode, admin3_pcode, v_scope) as geom,
                         event_type, fatalities, serious, event_date
                  from public.incidents_filtered(p_from, p_to, p_types, p_area,
                         case when v_box then p_west end, case when v_box then p_south end,
                         case when v_box then p_east end, case when v_box then p_north end)
                  order by event_date desc, id limit greatest(p_limit, 0)) pts) end);
  end if;

  return (
  with f as (
    select * from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope)
  ),
  counts as (
    select event_type, count(*) as n, sum(fatalities) as fat from f group by event_type
  ),
  pts as (
    select id, public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode, admin3_pcode, v_scope) as geom,
           event_type, fatalities, serious, event_date
    from f order by event_date desc, id limit greatest(p_limit, 0)
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb),
    'points', case when p_complete and coalesce((select sum(n) from counts), 0) > p_limit then '[]'::jsonb
                   else coalesce((select jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                          round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)) from pts), '[]'::jsonb) end
  )
  );
end
$$;
