-- A dated tile's edge days placed with one expression, not a set-returning step (issue 16).
--
-- incident_tile_cells reads the incidents of the days before the first and after the last whole
-- month of a dated tile (z ≤ 8) and placed each through incident_cells' three-row VALUES,
-- joined per incident, as incidents_density did until 20261229100000. It now takes the point
-- incident_cells gives a reader of the caller's kind (the exact point for 'exact', the coarse
-- columns for 'coarse') and its pixel from mercator_px24/py24 directly: the same cells.

create or replace function public.incident_tile_cells(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns table (px integer, py integer, id text, event_type text, fatalities bigint, count bigint)
language plpgsql stable
set search_path = public, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_level integer := case when p_z <= 8 then 8 when p_z <= 10 then 10 else 12 end;
  v_cell integer := case when p_z <= 8 then 64 else 32 end;
  v_shift integer := v_level - p_z;
  v_span integer := (4096 / v_cell) << v_shift;
  v_drop integer := 12 - v_level;
  v_kind text := case when public.caller_location_scope() is null then 'exact' else 'coarse' end;
  v_all boolean := p_from is null and p_to is null;
  d record;  -- the periods of the dates (incident_period_bounds)
  -- the tile's block of the level's cells
  v_x0 bigint := p_x::bigint * v_span;
  v_x1 bigint := (p_x + 1)::bigint * v_span - 1;
  v_y0c bigint := p_y::bigint * v_span;
  v_y1c bigint := (p_y + 1)::bigint * v_span - 1;
  -- the tile's rectangle in degrees, a margin of 1e-7° for rounding (the rows of the top and
  -- bottom tiles reach the poles: incident_cells clamps latitude into them)
  v_w double precision := p_x::double precision / (1::bigint << p_z) * 360 - 180 - 1e-7;
  v_e double precision := (p_x + 1)::double precision / (1::bigint << p_z) * 360 - 180 + 1e-7;
  v_n double precision := case when p_y = 0 then 90 else
    degrees(atan(sinh(pi() * (1 - 2 * p_y::double precision / (1::bigint << p_z))))) + 1e-7 end;
  v_s double precision := case when p_y + 1 = 1::bigint << p_z then -90 else
    degrees(atan(sinh(pi() * (1 - 2 * (p_y + 1)::double precision / (1::bigint << p_z))))) - 1e-7 end;
begin
  if p_z is null or p_z not between 0 and 12 then
    raise exception 'z: must be between 0 and 12' using errcode = '22023';
  end if;
  if p_x is null or p_x < 0 or p_x >= 1 << p_z or p_y is null or p_y < 0 or p_y >= 1 << p_z then
    raise exception 'x, y: must be between 0 and %', (1 << p_z) - 1 using errcode = '22023';
  end if;
  if p_z > 8 and not v_all then
    raise exception 'from, to: the rollup has z9–z12 cells for all time only' using errcode = '22023';
  end if;
  select * into d from public.incident_period_bounds(p_from, p_to);
  return query
    with kept as (
      -- all time, or the whole years and the whole months before and after them
      select r.cx >> v_shift as gx, r.cy >> v_shift as gy, r.event_type as et,
             r.incidents as n, r.fatalities as fat, r.fatalities_known as known, r.sum_px as sx, r.sum_py as sy
      from public.incident_cell_period_rows(v_level::smallint, v_all, d.m0, d.m1, d.y0, d.y1,
                                            v_x0, v_x1, v_y0c, v_y1c, v_kind, p_types, p_area) r
    ),
    edge as (
      -- the edge days' incidents in the tile's rectangle, on the point the caller sees (v_kind is
      -- known when the call is planned, so the (date, lat, lon) index reads only the tile's:
      -- 20261226400000), then exactly in its cells (t, below). The point is the rollup's of the
      -- caller's kind (incident_cells), one per incident, in one expression (20261229300000): the
      -- exact point for 'exact', the coarse columns for 'coarse'.
      select public.mercator_px24(case when v_kind = 'exact' then i.lon else i.lon_coarse end) >> v_drop as lpx,
             public.mercator_py24(case when v_kind = 'exact' then i.lat else i.lat_coarse end) >> v_drop as lpy,
             i.event_type as et, i.fatalities
      from (select * from public.incidents_filtered(d.lo, least(d.m0, d.hi) - 1, p_types, p_area)
            union all
            select * from public.incidents_filtered(greatest(d.m1, d.lo), d.hi - 1, p_types, p_area)) i
      where not v_all
        and ((v_kind = 'exact' and i.lon between v_w and v_e and i.lat between v_s and v_n)
          or (v_kind = 'coarse' and i.lon_coarse between v_w and v_e and i.lat_coarse between v_s and v_n))
    ),
    t as (
      select k.gx, k.gy, k.et, k.n, k.fat, k.known, k.sx, k.sy from kept k
      union all
      select (e.lpx / v_cell) >> v_shift, (e.lpy / v_cell) >> v_shift, e.et, 1,
             coalesce(e.fatalities, 0), (e.fatalities is not null)::integer, e.lpx, e.lpy
      from edge e
      where (e.lpx / v_cell) >= p_x * v_span and (e.lpx / v_cell) < (p_x + 1) * v_span
        and (e.lpy / v_cell) >= p_y * v_span and (e.lpy / v_cell) < (p_y + 1) * v_span
    ),
    g as (
      select t.gx, t.gy, t.et, sum(t.n) as n, sum(t.fat) as fat, sum(t.known) as known,
             sum(t.sx) as sx, sum(t.sy) as sy
      from t group by 1, 2, 3
    )
    select least(4095, greatest(0, round((sum(g.sx) / sum(g.n) - ((1 << v_shift) - 1) / 2.0) / (1 << v_shift)) - p_x * 4096))::integer,
           least(4095, greatest(0, round((sum(g.sy) / sum(g.n) - ((1 << v_shift) - 1) / 2.0) / (1 << v_shift)) - p_y * 4096))::integer,
           null::text,
           (array_agg(g.et order by g.n desc, g.et))[1],
           (case when sum(g.known) > 0 then sum(g.fat) end)::bigint,
           sum(g.n)::bigint
    from g
    group by g.gx, g.gy
    having sum(g.n) > 0;
end
$$;
