-- The map's viewport filter used `geom && envelope`, which the GiST index answers — for the table
-- owner only. Under row-level security PostgreSQL (and PGlite) may use a condition in an index
-- scan only if its operator is leakproof, and PostGIS's are not: every signed-in user's map view,
-- chart and export with a bbox scanned the whole incidents table (1.1 s for a city view at 200k
-- incidents as a viewer on PostgreSQL, against 48 ms for the owner).
--
-- float8 comparisons are leakproof, so the point's coordinates are kept as two plain columns
-- (generated from geom, so they cannot disagree with it) with a btree on (lat, lon), and the
-- viewport test compares those. For points, "lon between west and east and lat between south
-- and north" is exactly what `geom && envelope` meant.
alter table public.incidents
  add column lon double precision generated always as (st_x(geom)) stored,
  add column lat double precision generated always as (st_y(geom)) stored;
create index incidents_lat_lon_idx on public.incidents (lat, lon);

-- Same signature and meaning; still no SET clause, so that it is inlined into its callers (see
-- 20261122004000_inline_incident_filter.sql).
create or replace function public.incidents_filtered(
  p_from date default null,
  p_to date default null,
  p_types text[] default null,
  p_area text default null,
  p_west double precision default null,
  p_south double precision default null,
  p_east double precision default null,
  p_north double precision default null
) returns setof public.incidents
language sql stable
as $$
  select i.* from public.incidents i
  where (p_from is null or i.event_date >= p_from)
    and (p_to is null or i.event_date <= p_to)
    and (p_types is null or cardinality(p_types) = 0 or i.event_type = any (p_types))
    and (p_area is null or i.admin1_pcode = p_area or i.admin2_pcode = p_area or i.admin3_pcode = p_area)
    and (p_west is null or (i.lon between p_west and p_east and i.lat between p_south and p_north))
$$;
