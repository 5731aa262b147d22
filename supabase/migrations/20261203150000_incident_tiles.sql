-- Vector tiles of incidents (GET /api/v1/tiles/incidents/{z}/{x}/{y}.mvt) and the data version
-- their ETags are keyed on.
--
-- One SQL function decides what a tile holds (incident_tile_rows: the features with their
-- coordinates already in tile pixels); PostgreSQL encodes those rows with ST_AsMVT
-- (incident_tile_mvt), and PGlite, whose PostGIS is built without protobuf-c, has the server
-- encode the very same rows with @maplibre/vt-pbf. Both engines therefore send the same features.

-- ---------------------------------------------------------------------------------------------
-- The incidents' data version: one row, bumped by a statement-level trigger on every write to
-- incidents (insert, update, delete, truncate), in the writer's transaction — so a reader never
-- sees a new version with old data, as a sequence (not transactional) would allow. Tiles' ETags
-- are built from it: a tile is re-sent only after incidents changed.
create table public.incident_data_version (
  singleton   boolean primary key default true check (singleton),
  version     bigint not null default 0
);

insert into public.incident_data_version (singleton, version) values (true, 0);

alter table public.incident_data_version enable row level security;

create policy "Signed-in users can read the incident data version" on public.incident_data_version
  for select to authenticated using (true);

grant select on public.incident_data_version to authenticated;

-- Security definer: the writer (a field user reporting) may not write this table itself.
create function private.incident_data_version_bump() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  update public.incident_data_version set version = version + 1;
  return null;
end
$$;

create trigger incidents_data_version after insert or update or delete or truncate on public.incidents
  for each statement execute function private.incident_data_version_bump();

create function public.incident_data_version() returns bigint
language sql stable
set search_path = public, pg_temp
as $$
  select version from public.incident_data_version
$$;

-- ---------------------------------------------------------------------------------------------
-- What one tile holds, for the map's filters, as the caller sees it (security invoker: the
-- incidents policies apply, so a viewer's tile, aggregates included, holds no restricted or
-- unverified incident).
--
-- Selection is by the tile's envelope with no buffer, half-open ([west, east) × [south, north)),
-- so each incident is in exactly one tile per zoom; the outermost tiles take what lies beyond
-- the Web Mercator limits. Coordinates are tile pixels (extent 4096): the ST_AsMVTGeom
-- transform for points, written out so that PGlite computes it too.
--
-- Zoom ≤ 8, and any deeper tile with more than 8,000 incidents, is aggregated: the incidents of
-- each grid cell (64 px at z ≤ 8, 32 px deeper) become one feature at their mean position with
-- `count`, `fatalities` and the most frequent `event_type`. A single incident has `id`,
-- `event_type` and `fatalities`, and no `count`. Every incident is in some feature: no point cap,
-- and the sum of `count` over a zoom's tiles is the filter's count (a tile is all-aggregated or
-- all-single). Aggregated tiles stay under ~100 KB (at most 4,096 cells at z ≤ 8).
--
-- Coordinates: if the location-fuzzing work defines a per-caller coordinate rule (a function like
-- incident_point_for_caller, which shows sensitive incidents coarsely to viewers and field
-- staff), tiles MUST place incidents with it, for both selection and pixels — a tile would
-- otherwise reveal the exact point the other endpoints hide.
create function public.incident_tile_rows(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns table (px integer, py integer, id text, event_type text, fatalities bigint, count bigint)
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  n double precision;
  west double precision; east double precision; north double precision; south double precision;
  v_first_x boolean; v_last_x boolean; v_first_y boolean; v_last_y boolean;
  v_cell integer;
  v_scope text[] := public.caller_location_scope();
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

  v_cell := case when p_z <= 8 then 64 else 32 end;
  -- The selection is read once (a CTE referenced twice is materialised), counted, then sent as
  -- single incidents or as grid cells.
  return query
    -- Location fuzzing (20261203140000, THE RULE): each incident is placed, and selected, by the
    -- point the caller sees (coarse for a sensitive location a viewer is not cleared for), so no
    -- tile, and no aggregate count per tile, tells the exact point. The btree prefilter takes the
    -- exact columns for analysts and admins, and both for everyone else (a field user sees the
    -- exact point of their own areas); the final test is on the caller's point.
    with pts as (
      select i.id, i.event_type, i.fatalities,
             public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, v_scope) as pt
      from public.incidents_filtered(p_from, p_to, p_types, p_area) i
      where ((i.lon >= west or v_first_x) and (i.lon < east or v_last_x)
             and (i.lat >= south or v_last_y) and (i.lat < north or v_first_y))
         or (v_scope is not null
             and (i.lon_coarse >= west or v_first_x) and (i.lon_coarse < east or v_last_x)
             and (i.lat_coarse >= south or v_last_y) and (i.lat_coarse < north or v_first_y))
    ),
    sel as (
      select least(4095, greatest(0, floor((st_x(p.pt) - west) / (east - west) * 4096)))::integer as px,
             least(4095, greatest(0, floor(((1 - ln(tan(pi() / 4 + radians(least(89.9, greatest(-89.9, st_y(p.pt)))) / 2)) / pi()) / 2 * n - p_y) * 4096)))::integer as py,
             p.id, p.event_type, p.fatalities
      from pts p
      where (st_x(p.pt) >= west or v_first_x) and (st_x(p.pt) < east or v_last_x)
        and (st_y(p.pt) >= south or v_last_y) and (st_y(p.pt) < north or v_first_y)
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

-- The same rows as a Mapbox Vector Tile (layer "incidents", extent 4096), base64 so that every
-- adapter (node-postgres, PostgREST) carries it as text. PostgreSQL only: PGlite's PostGIS has
-- no ST_AsMVT, and the server encodes incident_tile_rows there. Null properties are left out,
-- as the JS encoder does.
create function public.incident_tile_mvt(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns text
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select encode(coalesce(st_asmvt(t, 'incidents', 4096, 'geom'), ''::bytea), 'base64')
  from (
    select st_makepoint(r.px, r.py) as geom, r.id, r.event_type, r.fatalities, r.count
    from public.incident_tile_rows(p_z, p_x, p_y, p_from, p_to, p_types, p_area) r
  ) t
$$;

-- The JSON twin for PGlite: [[px, py, id, event_type, fatalities, count], …].
create function public.incident_tile_json(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_array(r.px, r.py, r.id, r.event_type, r.fatalities, r.count)), '[]'::jsonb)
  from public.incident_tile_rows(p_z, p_x, p_y, p_from, p_to, p_types, p_area) r
$$;
