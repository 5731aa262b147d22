-- Dated scans of a box read the box's cells for every reader (issue 16).
--
-- 20261230100000 gave an analyst's dated z9+ tile scan and fine density scan the box's 1/16°
-- cells of incidents_cell_date_idx. Viewers and field staff see a sensitive incident at its
-- coarse point, which that key does not follow, so their scans still read the dates for the
-- whole country. They now read the box's cells too, for the incidents whose exact point is in
-- them, and incidents_coarse_date_idx (the sensitive incidents, by date) for those whose exact
-- point is not but whose coarse point is in the box: together the prefilter's incidents, each
-- once. The partial index holds only sensitive incidents, so other writes do not pay for it.

-- The sensitive incidents, by date (20261231100000): a dated box a viewer or field user looks
-- at holds the incidents whose exact point is in the box's cells (incidents_cell_date_idx) and the
-- sensitive ones whose exact point is elsewhere but whose coarse point is in the box, read here.
-- The predicate is on the btree columns (a coarse point apart from the exact one), not on
-- geom_coarse, so that the scans name no geometry column (incidents-date-covering.test.ts).
-- Few incidents are sensitive, so this index is small and other writes do not pay for it. It
-- carries what those scans and the read policies look at.
create index incidents_coarse_date_idx on public.incidents (event_date)
  include (lat_coarse, lon_coarse, lat, lon, geo_cell, event_type, admin1_pcode, admin2_pcode,
           admin3_pcode, status, confidentiality, reported_by, fatalities, id)
  where (lon_coarse, lat_coarse) is distinct from (lon, lat);

create or replace function public.incidents_density(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision,
  p_cell double precision,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null,
  p_status text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
set jit = off
-- The scan's rows are estimated at 1 (the planner guesses the pixel tests' selectivity), so it
-- sorted the ~200,000 incidents of a dated Baghdad view at k = 15 to group them; hashed, the
-- call took 216–218 ms against 273–411 (0.78–0.80 s against 0.98–1.29 for all time, every status
-- named), alternated at 3,000,000 incidents (20261230100000). Nothing here needs an order.
set enable_sort = off
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
  v_k integer := least(24, greatest(0, round(ln(360 / greatest(p_cell, 1e-6)) / ln(2))))::integer;
  v_size double precision := power(2, v_k);
  -- the rollup's level whose cells nest in the grid's, and the bits from its cell to the grid's
  v_level smallint := case when v_k <= 14 then 8 when v_k <= 17 then 10 when v_k <= 19 then 12 end;
  v_shift integer := case when v_k <= 14 then 14 when v_k <= 17 then 17 else 19 end - v_k;
  v_shared boolean := v_place is null and not coalesce(p_precise_only, false)
     and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
       + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
       + coalesce(cardinality(p_reliability), 0) = 0
     and v_level is not null and public.incident_rollup_usable(p_area);
  v_kind text := case when v_scope is null then 'exact' else 'coarse' end;
  v_cells boolean;  -- from the rollup, not the scan
  v_all boolean;
  b record;
  -- Dated (z8 grid): the whole years, and the whole months around them, [d.m0, d.m1) from the
  -- rollup; the edge days before d.m0 and from d.m1 read (incident_period_bounds).
  d record;
  -- the block in the rollup level's cells
  v_x0 bigint;
  v_x1 bigint;
  v_y0c bigint;
  v_y1c bigint;
  v_geo_cells integer[];  -- the block's cells of incidents_cell_date_idx, for the scan below
begin
  -- no box: the world
  p_west := coalesce(p_west, -180);
  p_south := coalesce(p_south, -90);
  p_east := coalesce(p_east, 180);
  p_north := coalesce(p_north, 90);
  -- Dates that reach past the first or last day the caller may see filter nothing (as incidents_map).
  if v_shared and (p_from is not null or p_to is not null) then
    select * into p_from, p_to from public.incident_dates_that_filter(p_from, p_to, p_types, p_area);
  end if;
  v_all := p_from is null and p_to is null;
  v_cells := v_shared and (v_all or v_level = 8);
  select * into b from public.incident_grid_cover(v_k, p_west, p_south, p_east, p_north);
  v_x0 := b.cx0::bigint << v_shift;
  v_x1 := ((b.cx1::bigint + 1) << v_shift) - 1;
  v_y0c := b.cy0::bigint << v_shift;
  v_y1c := ((b.cy1::bigint + 1) << v_shift) - 1;
  select * into d from public.incident_period_bounds(p_from, p_to);
  -- The scan may read the block's 1/16° cells of the box-and-dates index instead of the dates
  -- nationwide (20261230100000, 20261231100000).
  if not v_cells then
    v_geo_cells := public.incident_geo_cells(b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7);
  end if;

  return (
  with cells as (
    -- all time, or the whole years and the whole months before and after them
    select r.cx::bigint >> v_shift as gx, r.cy::bigint >> v_shift as gy,
           r.incidents as n, r.fatalities as fat, r.fatalities_known as known
    from public.incident_cell_period_rows(v_level, v_all, d.m0, d.m1, d.y0, d.y1,
                                          v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area) r
    where v_cells
  ),
  edges as (
    -- the edge days' incidents in the block's rectangle (a margin of 1e-7° for the rounding of
    -- its edges), then exactly in its cells; none for all time. The rollup's point of this
    -- caller's kind (incident_cells), one per incident: the exact point for 'exact', the coarse
    -- columns (the exact point when there is no coarse one) for 'coarse'.
    select c.gx, c.gy, 1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area,
                          b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)
          union all
          select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area,
                          b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7)) i
    cross join lateral (
      select public.mercator_px24(case when v_kind = 'exact' then i.lon else i.lon_coarse end) >> (24 - v_k) as gx,
             public.mercator_py24(case when v_kind = 'exact' then i.lat else i.lat_coarse end) >> (24 - v_k) as gy) c
    where v_cells and not v_all
      and c.gx between b.cx0 and b.cx1 and c.gy between b.cy0 and b.cy1
  ),
  scan as (
    -- each incident's cell from its point as one expression (mercator_px24/py24), not through
    -- incident_cells' three-row VALUES, which cost ~1.7 s of a 2.1–2.7 s dated density at k = 15
    -- over Baghdad at 3,000,000 incidents (20261229100000)
    -- By the block's cells, as incident_tile_rows reads them: the incidents whose exact point is
    -- in them here, and below the rest of a viewer's or field user's box.
    select c.gx, c.gy, 1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from public.incidents_refined(p_from, p_to, p_types, p_area, b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
    cross join lateral (select public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                 i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt) p
    cross join lateral (select public.mercator_px24(p.pt[0]) >> (24 - v_k) as gx,
                               public.mercator_py24(p.pt[1]) >> (24 - v_k) as gy) c
    where not v_cells
      and (v_geo_cells is null or i.geo_cell = any (v_geo_cells))
      and c.gx between b.cx0 and b.cx1 and c.gy between b.cy0 and b.cy1
  ),
  scan_coarse as (
    -- For everyone but analysts and admins (whose box is on the coarse point), the incidents with
    -- a coarse point of their own whose exact point is outside the block's cells: with the scan,
    -- each of the box's incidents once (see incident_tile_rows). A CTE of its own, not a UNION
    -- inside the scan: an analyst's scan then has no extra node per row (~50 ms of a 280 ms
    -- dated view of Baghdad at 3,000,000 incidents).
    select c.gx, c.gy, 1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from public.incidents_refined(p_from, p_to, p_types, p_area, b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
    cross join lateral (select public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                 i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt) p
    cross join lateral (select public.mercator_px24(p.pt[0]) >> (24 - v_k) as gx,
                               public.mercator_py24(p.pt[1]) >> (24 - v_k) as gy) c
    where not v_cells and v_scope is not null and v_geo_cells is not null
      and (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)
      and not (i.geo_cell = any (v_geo_cells))
      and c.gx between b.cx0 and b.cx1 and c.gy between b.cy0 and b.cy1
  ),
  g as (
    select gx, gy, sum(n) as n, sum(fat) as fat, sum(known) as known
    from (select * from cells union all select * from edges union all select * from scan
          union all select * from scan_coarse) t
    group by gx, gy
    having sum(n) > 0
  )
  select coalesce(jsonb_agg(jsonb_build_array(
           round(((g.gx + 0.5) / v_size * 360 - 180)::numeric, 5),
           round(degrees(atan(sinh(pi() * (1 - 2 * (g.gy + 0.5) / v_size))))::numeric, 5),
           g.n, case when g.known > 0 then g.fat end)), '[]'::jsonb)
  from g
  );
end
$$;

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
    select round(avg(s.px))::integer, round(avg(s.py))::integer, null::text,
           mode() within group (order by s.event_type), sum(s.fatalities)::bigint, count(*)
    from sel s where (select aggregated from mode)
    group by s.px / v_cell, s.py / v_cell;
end
$$;
