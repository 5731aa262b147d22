-- Aggregated scanned tiles hashed (issue 16): a z9+ tile of more than 8,000 incidents that the
-- cell rollup cannot answer (a dated one) sends a feature per 32 px cell with the most frequent
-- type. mode() within group needed the tile's incidents sorted by cell; the cell's per-type
-- totals are now hashed and only they are sorted. The same features.

create or replace function public.incident_tile_rows(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns table (px integer, py integer, id text, event_type text, fatalities bigint, count bigint)
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
-- The scan's second read (sensitive incidents, incidents_coarse_date_idx) is costed high enough
-- to pass jit_above_cost, even where it is not run (an analyst's tile): compiling took ~40 ms
-- of a 10 ms z14 tile at 3,000,000 incidents (20261231100000).
set jit = off
-- on here so that the scan below can turn it off for itself alone (a SET LOCAL inside a function
-- with a SET clause for the same setting ends with the function); the rollup's branch keeps it
set enable_sort = on
as $$
declare
  n double precision;
  west double precision; east double precision; north double precision; south double precision;
  v_first_x boolean; v_last_x boolean; v_first_y boolean; v_last_y boolean;
  v_cell integer;
  v_scope text[] := public.caller_location_scope();
  v_geo_cells integer[];  -- the box's cells of incidents_cell_date_idx, for the scan below
begin
  if p_z is null or p_z not between 0 and 24 then
    raise exception 'z: must be between 0 and 24' using errcode = '22023';
  end if;
  n := 2.0 ^ p_z;
  if p_x is null or p_x < 0 or p_x >= n then
    raise exception 'x: must be between 0 and %', n - 1 using errcode = '22023';
  end if;
  if p_y is null or p_y < 0 or p_y >= n then
    raise exception 'y: must be between 0 and %', n - 1 using errcode = '22023';
  end if;
  west := p_x / n * 360 - 180;
  east := (p_x + 1) / n * 360 - 180;
  north := degrees(atan(sinh(pi() * (1 - 2 * p_y / n))));
  south := degrees(atan(sinh(pi() * (1 - 2 * (p_y + 1) / n))));
  v_first_x := p_x = 0; v_last_x := p_x = n - 1; v_first_y := p_y = 0; v_last_y := p_y = n - 1;

  -- Aggregated zooms from the cell rollup (31_incident_cells.sql) whenever it can answer for this
  -- caller and filter — the same cells without reading the incidents (issue 16). z ≤ 8 is always
  -- aggregated; a z9–z12 tile (all time only) beyond 8,000 incidents, as the scan below decides,
  -- so its rollup cells are sent when they add up to more, and otherwise the scan sends them.
  if (p_z <= 8 or (p_z <= 12 and p_from is null and p_to is null))
     and public.incident_rollup_usable(p_area) then
    return query
      with c as materialized (
        select * from public.incident_tile_cells(p_z, p_x, p_y, p_from, p_to, p_types, p_area)
      )
      select * from c where p_z <= 8 or (select sum(c2.count) from c c2) > 8000;
    if p_z <= 8 or found then
      return;
    end if;
  end if;

  v_cell := case when p_z <= 8 then 64 else 32 end;
  -- The scan may read the tile's 1/16° cells of the box-and-dates index instead of the dates
  -- nationwide (20261230100000, 20261231100000); the first and last rows of tiles take what
  -- lies beyond ±85.05°.
  v_geo_cells := public.incident_geo_cells(west, case when v_last_y then -90 else south end,
                                           east, case when v_first_y then 90 else north end);
  -- The scan's rows are estimated at 1–2 (the planner guesses the pixel tests' selectivity), so
  -- it sorted the ~180,000 incidents of a dated z10 tile over Baghdad (on disk) to group them by
  -- cell; hashed, as incidents_density groups them (20261231300000). Nothing here needs an order.
  perform set_config('enable_sort', 'off', true);
  -- The selection is read once (a CTE referenced twice is materialised), counted, then sent as
  -- single incidents or as grid cells.
  return query
    -- Location fuzzing (20261203140000, THE RULE): each incident is placed, and selected, by the
    -- point the caller sees (coarse for a sensitive location a viewer is not cleared for), so no
    -- tile, and no aggregate count per tile, tells the exact point. The btree prefilter takes the
    -- exact columns for analysts and admins, and both for everyone else (a field user sees the
    -- exact point of their own areas); the final test is on the caller's point.
    -- The point is taken from the btree columns (incident_xy_for_caller), not the geometries, so
    -- that a dated scan reads the date index alone (20261228100000).
    -- By the box's cells: the incidents whose exact point is in them, and (for everyone but
    -- analysts and admins) those with a coarse point of their own (sensitive) whose exact point
    -- is not in them but whose coarse point is in the box. An incident of the prefilter whose
    -- exact point is outside the cells is outside the box, so its coarse point is in the box and
    -- differs from the exact one: the two reads are the prefilter's incidents, each once.
    with pts as (
      select i.id, i.event_type, i.fatalities,
             public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                           i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt
      from public.incidents_filtered(p_from, p_to, p_types, p_area) i
      where (((i.lon >= west or v_first_x) and (i.lon < east or v_last_x)
              and (i.lat >= south or v_last_y) and (i.lat < north or v_first_y))
             or (v_scope is not null
                 and (i.lon_coarse >= west or v_first_x) and (i.lon_coarse < east or v_last_x)
                 and (i.lat_coarse >= south or v_last_y) and (i.lat_coarse < north or v_first_y)))
        and (v_geo_cells is null or i.geo_cell = any (v_geo_cells))
      union all
      select i.id, i.event_type, i.fatalities,
             public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                           i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt
      from public.incidents_filtered(p_from, p_to, p_types, p_area) i
      where v_scope is not null and v_geo_cells is not null
        and (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)
        and not (i.geo_cell = any (v_geo_cells))
        and (i.lon_coarse >= west or v_first_x) and (i.lon_coarse < east or v_last_x)
        and (i.lat_coarse >= south or v_last_y) and (i.lat_coarse < north or v_first_y)
    ),
    sel as (
      select least(4095, greatest(0, floor((p.pt[0] - west) / (east - west) * 4096)))::integer as px,
             least(4095, greatest(0, floor(((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p.pt[1]))) / 2)) / pi()) / 2 * n - p_y) * 4096)))::integer as py,
             p.id, p.event_type, p.fatalities
      from pts p
      where (p.pt[0] >= west or v_first_x) and (p.pt[0] < east or v_last_x)
        and (p.pt[1] >= south or v_last_y) and (p.pt[1] < north or v_first_y)
    ),
    mode as (
      select p_z <= 8 or (select count(*) from sel) > 8000 as aggregated
    )
    select s.px, s.py, s.id::text, s.event_type, s.fatalities::bigint, null::bigint
    from sel s where not (select aggregated from mode)
    union all
    -- Per cell: the mean pixel, the most frequent type (ties: the first by name, as mode()
    -- within group would give) and the sums, from its per-type totals (20261231300000). mode()
    -- needed the incidents sorted by cell (~130–180k for a dated tile over Baghdad at 3,000,000);
    -- the totals are hashed, and only they are sorted. avg(int) is sum::numeric / count, so the
    -- means are the same numbers.
    select round(sum(t.sx)::numeric / sum(t.n))::integer, round(sum(t.sy)::numeric / sum(t.n))::integer,
           null::text, (array_agg(t.event_type order by t.n desc, t.event_type))[1],
           sum(t.fat)::bigint, sum(t.n)::bigint
    from (
      select s.px / v_cell as cx, s.py / v_cell as cy, s.event_type,
             count(*) as n, sum(s.px) as sx, sum(s.py) as sy, sum(s.fatalities) as fat
      from sel s where (select aggregated from mode)
      group by 1, 2, 3
    ) t
    group by t.cx, t.cy;
end
$$;
