-- The map's whole-country view without reading the extent of every z8 cell (issue 16).
--
-- incidents_map asks incident_view_holds_all whether the box holds every incident the caller may
-- see before it answers from the rollups; it took the min and max of x and y over all ~130k z8
-- cells for all time (60–90 ms of the map's first call at 3,000,000 incidents). Each edge is now
-- the first row of an index on x or y that the caller's policies show (3–8 ms).
--
--   incident_view_holds_all (was 20261220200000)

create index incident_cell_rollup_z8_all_x_idx on public.incident_cell_rollup_z8_all (cx);

create index incident_cell_rollup_z8_all_y_idx on public.incident_cell_rollup_z8_all (cy);

create or replace function public.incident_view_holds_all(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns boolean
language sql stable
set search_path = public, pg_temp
as $$
  select p_west is null or coalesce((
    select p_west <= e.x0 / 16384.0 * 360 - 180 - 1e-9
       and p_east >= (e.x1 + 1) / 16384.0 * 360 - 180 + 1e-9
       -- the outermost rows of cells also hold what lies beyond the Web Mercator limits
       and p_north >= case when e.y0 = 0 then 90
                           else degrees(atan(sinh(pi() * (1 - 2 * e.y0 / 16384.0)))) + 1e-9 end
       and p_south <= case when e.y1 = 16383 then -90
                           else degrees(atan(sinh(pi() * (1 - 2 * (e.y1 + 1) / 16384.0)))) - 1e-9 end
    from (select
            (select min(r.cx) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as x0,
            (select max(r.cx) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as x1,
            (select min(r.cy) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as y0,
            (select max(r.cy) from public.incident_cell_rollup r where r.level = 8 and r.period = 'all' and r.day is null) as y1) e
    where e.x0 is not null), true)
$$;