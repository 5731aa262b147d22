-- Dated reads of a box test lat and lon in the index (issue 16).
--
-- The date index held event_date alone, so a dated read of a box — a city view's or a tile's
-- edge days, the strips along a city view's edges, a dated z9-z12 tile — fetched every incident
-- of those days in the country and kept the few inside: for Baghdad and March 2016 at 3,000,000
-- incidents, 28,151 fetched to keep 38. The index now holds (event_date, lat, lon): the same
-- ranges and order of dates, and the box tested on the index entries. Measured at 3,000,000 as
-- an analyst in psql (the index built in a transaction then rolled back, same answers): a
-- city view for one month 176-201 -> 11-12 ms, a dated z12 tile 44-110 -> 11, a dated z10 tile
-- with odd ends 1.6 -> 1.2 s.
--
-- incidents_map's dated city view read its edge days through incidents_filtered's viewport test,
-- which asks caller_location_scope() when the call runs and so is no index condition; it now
-- tests the point the caller sees, as its strips do (v_exact is known when the call is planned).

drop index public.incidents_date_idx;
create index incidents_date_lat_lon_idx on public.incidents (event_date, lat, lon);

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
        -- rounding of its edges), then exactly in its cells. The rectangle is tested on the point
        -- the caller sees, as the strips do (v_exact is known when the call is planned), so that
        -- the (date, lat, lon) index reads each end's days in it (20261226300000); through
        -- incidents_filtered's viewport test, which asks caller_location_scope() at run time,
        -- the date index returned the ends' incidents of the whole country.
        select i.event_type, 1 as n, i.fatalities as fat
        from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area)
              union all
              select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area)) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
        where (p_from is not null or p_to is not null) and c.point_kind in ('any', v_kind)
          and ((v_exact and i.lon between b.w - 1e-7 and b.e + 1e-7 and i.lat between b.s - 1e-7 and b.n + 1e-7)
            or (not v_exact and i.lon_coarse between b.w - 1e-7 and b.e + 1e-7
                and i.lat_coarse between b.s - 1e-7 and b.n + 1e-7))
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
