-- A density scan places each incident with one expression, not a set-returning step (issue 16).
--
-- incidents_density's scan (a dated grid finer than z8's, or a filter the rollup cannot answer)
-- put each incident in its cell through incident_cells, a three-row VALUES joined laterally per
-- incident: at k = 15 over Baghdad for 2014-03-17 – 2016-11-05 at 3,000,000 incidents it read
-- 198,502 incidents from the date index in 0.68 s and spent ~1.7 s more placing them. The z24
-- pixel formula is now two inlinable functions, mercator_px24 and mercator_py24, which
-- incident_cells uses too (the formula written once), and the density's scan and edge days take
-- each incident's cell from them directly: the same cells (the edge days' point is the one
-- incident_cells gives a reader of that kind of point; see its comment).

create function public.mercator_px24(p_lon double precision) returns bigint
language sql immutable parallel safe
as $$
  select least(16777215, greatest(0, floor((p_lon + 180) / 360 * 16777216)))::bigint
$$;

create function public.mercator_py24(p_lat double precision) returns bigint
language sql immutable parallel safe
as $$
  select least(16777215, greatest(0, floor((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, p_lat))) / 2)) / pi()) / 2 * 16777216)))::bigint
$$;

create or replace function public.incident_cells(
  p_lon double precision, p_lat double precision,
  p_lon_coarse double precision, p_lat_coarse double precision, p_sensitive boolean
) returns table (point_kind text, px bigint, py bigint)
language sql immutable parallel safe
as $$
  select k.kind, public.mercator_px24(k.lon), public.mercator_py24(k.lat)
  from (values ('any', p_lon, p_lat, not p_sensitive),
               ('exact', p_lon, p_lat, p_sensitive),
               ('coarse', p_lon_coarse, p_lat_coarse, p_sensitive)) k (kind, lon, lat, keep)
  where k.keep
$$;

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
    select c.gx, c.gy, 1 as n, coalesce(i.fatalities, 0) as fat, (i.fatalities is not null)::integer as known
    from public.incidents_refined(p_from, p_to, p_types, p_area, b.w - 1e-7, b.s - 1e-7, b.e + 1e-7, b.n + 1e-7,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) i
    cross join lateral (select public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                 i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt) p
    cross join lateral (select public.mercator_px24(p.pt[0]) >> (24 - v_k) as gx,
                               public.mercator_py24(p.pt[1]) >> (24 - v_k) as gy) c
    where not v_cells
      and c.gx between b.cx0 and b.cx1 and c.gy between b.cy0 and b.cy1
  ),
  g as (
    select gx, gy, sum(n) as n, sum(fat) as fat, sum(known) as known
    from (select * from cells union all select * from edges union all select * from scan) t
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
