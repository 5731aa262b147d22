set check_function_bodies = off;

-- Incidents: the table every view reads, its policies, and the functions that report, edit,
-- verify, search and merge them. Who may see what is described in 20_actors.sql's note.

-- The cell of a point in a grid of 1/16° (~7 km) squares, as one integer: the key of the
-- incidents' box-and-dates index (geo_cell, incidents_cell_date_idx, 20261230100000).
-- floor(x · 16) is exact in binary floating point, so a box's cells (incident_geo_cells) are
-- exactly those whose points can lie in it.
create function public.incident_geo_cell(p_lon double precision, p_lat double precision) returns integer
language sql immutable parallel safe
as $$
  select ((floor(p_lon * 16) + 2880) * 4096 + floor(p_lat * 16) + 1440)::integer
$$;

-- Every cell a box touches (west ≤ lon ≤ east, south ≤ lat ≤ north), or null when there are
-- more than 4,096 (a box over 4° a side, where reading by the box gains little over reading by
-- the dates): a caller then does not filter on cells. Immutable, so that in a plan made with the
-- box's values (force_custom_plan) it is one constant array and the index reads one range of
-- dates per cell.
create function public.incident_geo_cells(
  p_west double precision, p_south double precision, p_east double precision, p_north double precision
) returns integer[]
language sql immutable parallel safe
as $$
  select case when (floor(least(p_east, 180) * 16) - floor(greatest(p_west, -180) * 16) + 1)
                 * (floor(least(p_north, 90) * 16) - floor(greatest(p_south, -90) * 16) + 1) <= 4096
         then array(select public.incident_geo_cell(x / 16.0, y / 16.0)
                    from generate_series(floor(greatest(p_west, -180) * 16)::integer,
                                         floor(least(p_east, 180) * 16)::integer) x,
                         generate_series(floor(greatest(p_south, -90) * 16)::integer,
                                         floor(least(p_north, 90) * 16)::integer) y)
         end
$$;

create table public.incidents (
  id               uuid primary key default gen_random_uuid(),
  event_date       date not null,
  event_time       time,
  time_precision   text not null default 'day'
                   check (time_precision in ('exact', 'day', 'week', 'month', 'year')),
  event_type       text not null check (event_type in (
                     'battles', 'violence_against_civilians', 'explosions_remote_violence',
                     'riots', 'protests', 'strategic_developments')),
  sub_event_type   text,
  actor1_id        uuid references public.actors (id),
  actor2_id        uuid references public.actors (id),
  admin1_pcode     text references public.areas (pcode),
  admin2_pcode     text references public.areas (pcode),
  admin3_pcode     text references public.areas (pcode),
  location_name    text,
  geom             geometry(Point, 4326) not null,
  -- 1 = exact point, 2 = near a named place, 3 = placed at an area's centre
  geo_precision    smallint not null default 1 check (geo_precision between 1 and 3),
  fatalities       integer check (fatalities >= 0),  -- NULL: not known (20261203100100)
  injuries         integer check (injuries >= 0),
  abductions       integer check (abductions >= 0),
  notes            text not null default '',
  source           text,
  source_scale     text,
  affects_us       boolean not null default false,
  affects_ngos     boolean not null default false,
  serious          boolean not null default false,
  source_reliability char(1) check (source_reliability in ('A', 'B', 'C', 'D', 'E', 'F')),
  info_credibility smallint check (info_credibility between 1 and 6),
  confidentiality  text not null default 'internal' check (confidentiality in ('public', 'internal', 'restricted')),
  status           text not null default 'reported' check (status in ('reported', 'verified', 'rejected', 'archived')),
  reported_by      uuid references public.app_users (id),
  upstream_source  text,
  upstream_id      text,
  is_sample        boolean not null default false,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  -- The verification workflow (20261122001000_incident_workflow):
  --   status_reason  why it was rejected (required then) or archived, or what it was merged into;
  --   ops_impact     the NGO lens: how much it affects our own operations;
  --   merged_into    set on the duplicate that a merge archived; the kept incident carries both
  --                  sources. A merge is undone from incident_merges (below).
  status_reason    text,
  ops_impact       text check (ops_impact in ('none', 'low', 'medium', 'high', 'critical')),
  merged_into      uuid references public.incidents (id),
  -- The map's viewport filter used `geom && envelope`, which the GiST index answers — for the
  -- table owner only. Under row-level security PostgreSQL (and PGlite) may use a condition in an
  -- index scan only if its operator is leakproof, and PostGIS's are not: every signed-in user's
  -- map view, chart and export with a bbox scanned the whole incidents table (1.1 s for a city
  -- view at 200k incidents as a viewer on PostgreSQL, against 48 ms for the owner).
  --
  -- float8 comparisons are leakproof, so the point's coordinates are kept as two plain columns
  -- (generated from geom, so they cannot disagree with it) with a btree on (lat, lon), and the
  -- viewport test compares those. For points, "lon between west and east and lat between south
  -- and north" is exactly what `geom && envelope` meant. (20261122004100_viewport_index_under_rls)
  lon              double precision generated always as (st_x(geom)) stored,
  lat              double precision generated always as (st_y(geom)) stored,
  -- Location fuzzing (20261203140000_location_fuzzing): shown coarsely to readers outside the
  -- need-to-know. sensitive_location has no default: an insert that does not state it takes
  -- affects_us (the trigger below). geom_coarse is the coarse point of a sensitive incident
  -- (NULL otherwise), kept by the trigger; lon_coarse/lat_coarse are the point a reader without
  -- exact-location rights sees, with their own btree (see incidents_lat_lon_idx for why).
  sensitive_location boolean not null,
  geom_coarse      geometry(Point, 4326),
  lon_coarse       double precision generated always as (st_x(coalesce(geom_coarse, geom))) stored,
  lat_coarse       double precision generated always as (st_y(coalesce(geom_coarse, geom))) stored,
  -- The exact point's 1/16° cell (incident_geo_cell), the leading key of incidents_cell_date_idx.
  -- A column, not an index on the expression: under row-level security an index condition must
  -- be leakproof, and the arithmetic that makes the cell is not (an integer's = is), as for lon
  -- and lat above. Derived like them, and left out of what the API sends wherever they are.
  geo_cell         integer generated always as (public.incident_geo_cell(st_x(geom), st_y(geom))) stored,
  constraint incidents_upstream_key unique (upstream_source, upstream_id),
  constraint incidents_point_on_earth check (
    st_x(geom) between -180 and 180 and st_y(geom) between -90 and 90)
);

-- The map selects by viewport (geometry &&) and the proximity features by distance in metres
-- (geography): each gets the index of the type it queries.
create index incidents_geom_idx on public.incidents using gist (geom);

create index incidents_geog_idx on public.incidents using gist ((geom::geography));

-- Dates first, then the exact point (20261226300000): a dated read of a box (a tile's or a city
-- view's edge days, the strips along a view's edges) tests lat and lon in the index and fetches
-- only the incidents inside; on event_date alone it fetched every incident of those days in the
-- country. It serves what the date index did (ranges and order of event_date).
create index incidents_date_lat_lon_idx on public.incidents (event_date, lat, lon);

-- The same dates, carrying every column that incidents_filtered, the read policies and the dated
-- readers no rollup answers look at (20261227100000): the analysis screen's rhythm and top actors
-- for any dates, stats/sources' odd ends, the map's scan and points, the tiles' and the density's
-- scans (id and serious for single incidents, 20261228100000). Those reads are then index-only scans,
-- where they fetched one table page per incident (incidents do not lie in date order on disk). It
-- is a second index, not the one above widened: with its entries four times as wide, a dated
-- read of a small box (a z12 tile) no longer chose it and got slower. A column a dated reader
-- needs belongs here too, or its reads go back to the table.
create index incidents_date_covering_idx on public.incidents (event_date)
  include (event_type, admin1_pcode, admin2_pcode, admin3_pcode, lat, lon, lat_coarse, lon_coarse,
           status, confidentiality, reported_by, fatalities, time_precision, event_time,
           actor1_id, actor2_id, upstream_source, id, serious);
-- An index-only scan still reads the table page of every entry whose page changed since the last
-- vacuum, and autovacuum's default waits for inserts of a fifth of the table (600,000 at
-- 3,000,000): an import's rows would be read through the table until then. 2 % (60,000).
alter table public.incidents set (autovacuum_vacuum_insert_scale_factor = 0.02);

-- The exact point's cell, then the dates (20261230100000): a dated read of a box an analyst
-- sees exact points in (a dated z9–z12 tile's scan, a dated density finer than the rollup's
-- grid) reads one range of dates per 1/16° cell of the box (incident_geo_cells), where the
-- covering date index read every incident of those dates in the country (~80 % of them outside
-- a Baghdad tile, 0.3–0.4 s for 2.6 years at 3,000,000 incidents). It carries what those scans
-- and the read policies look at, so they stay index-only. Other readers see a sensitive incident
-- at its coarse point (THE RULE), which this key does not follow: their scans read it for every
-- incident whose exact point is in the box, and the index below for the sensitive rest
-- (20261231100000).
create index incidents_cell_date_idx on public.incidents (geo_cell, event_date)
  include (lat, lon, lat_coarse, lon_coarse, event_type, admin1_pcode, admin2_pcode, admin3_pcode,
           status, confidentiality, reported_by, fatalities, id);

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

create index incidents_type_date_idx on public.incidents (event_type, event_date);

create index incidents_admin1_idx on public.incidents (admin1_pcode);

create index incidents_admin2_idx on public.incidents (admin2_pcode);

create index incidents_merged_into_idx on public.incidents (merged_into) where merged_into is not null;

create index incidents_created_idx on public.incidents (created_at);

-- Lookups the actor pages make often: the incidents naming an actor (counts in the registry, the
-- actor page, the derived confrontations) use these indexes instead of scanning every incident;
-- and pickers (relationship target, merge target, a contact's organisation) need only names.
create index incidents_actor1_idx on public.incidents (actor1_id) where actor1_id is not null;

create index incidents_actor2_idx on public.incidents (actor2_id) where actor2_id is not null;

-- The viewport test on the generated lat/lon (see the columns above).
create index incidents_lat_lon_idx on public.incidents (lat, lon);
-- The viewport and proximity screens of readers shown coarse points (20261203140000).
create index incidents_lat_lon_coarse_idx on public.incidents (lat_coarse, lon_coarse);

alter table public.incidents enable row level security;

create policy "Analysts and admins can read every incident" on public.incidents
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read verified unrestricted incidents" on public.incidents
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

create policy "Field staff can read what they reported" on public.incidents
  for select to authenticated using (
    reported_by = (select auth.uid()) and (select public.has_app_role('field')));

create policy "Field staff, analysts and admins can report incidents" on public.incidents
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst', 'field'))
    and reported_by = (select auth.uid())
    and (status = 'reported' or (select public.has_app_role('admin', 'analyst'))));

create policy "Analysts and admins can change incidents" on public.incidents
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Admins can delete incidents" on public.incidents
  for delete to authenticated using ((select public.has_app_role('admin')));

grant select, insert, update, delete on public.incidents to authenticated;

-- Audited per statement (private.audit_statement, 20261211100100_audit_statement): one entry per
-- row as before, written set-based; an import's rows noted for its job entry in one insert.
create trigger incidents_audit_insert after insert on public.incidents
  referencing new table as audit_new
  for each statement execute function private.audit_statement();

create trigger incidents_audit_update after update on public.incidents
  referencing old table as audit_old new table as audit_new
  for each statement execute function private.audit_statement();

create trigger incidents_audit_delete after delete on public.incidents
  referencing old table as audit_old
  for each statement execute function private.audit_statement();

-- ---------------------------------------------------------------------------------------------
-- Location fuzzing (20261203140000_location_fuzzing.sql): the grid setting, the coarse point kept
-- by a trigger, and THE RULE every emitter of incident coordinates follows.
create table private.location_fuzzing (
  id       boolean primary key default true check (id),
  grid_km  double precision not null default 10 check (grid_km >= 1 and grid_km <= 200)
);
insert into private.location_fuzzing default values;
alter table private.location_fuzzing enable row level security;
-- No policy and no grant: only the security-definer functions below read or change it.

-- The coarse point of an incident placed at (p_geom) in the given areas. Security definer: the
-- trigger runs as whoever writes (a field user, the import, the seed) and must read the areas and
-- the grid setting alike.
create function private.incident_coarse_point(
  p_geom geometry, p_admin2 text, p_admin3 text
) returns geometry
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare
  v_area geometry;
  v_km double precision;
  dlat double precision; dlon double precision; y double precision; x double precision;
begin
  -- The most precise area known: sub-district, else district. A governorate's centre can be
  -- 100 km away, in a desert; the grid is then both safer to show and more useful.
  select st_pointonsurface(a.geom) into v_area
  from public.areas a where a.pcode = coalesce(p_admin3, p_admin2);
  if v_area is not null then
    return st_setsrid(v_area, 4326);
  end if;
  select grid_km into v_km from private.location_fuzzing;
  v_km := coalesce(v_km, 10);
  -- Cells of v_km × v_km: rows of latitude, then columns of longitude as wide in km at the row's
  -- centre. The point goes to its cell's centre, so it is off by at most half a cell.
  dlat := v_km / 110.574;
  y := least(89.9, greatest(-89.9, (floor(st_y(p_geom) / dlat) + 0.5) * dlat));
  dlon := least(360.0, v_km / (111.320 * greatest(cos(radians(y)), 0.01)));
  x := least(180.0, greatest(-180.0, (floor(st_x(p_geom) / dlon) + 0.5) * dlon));
  return st_setsrid(st_makepoint(round(x::numeric, 6)::float8, round(y::numeric, 6)::float8), 4326);
end
$$;
revoke all on function private.incident_coarse_point(geometry, text, text) from public;

-- Security definer: it runs for whoever writes, and calls private.incident_coarse_point (the
-- private schema is not usable by the app roles).
create function private.incidents_location_before_write() returns trigger
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    new.sensitive_location := coalesce(new.sensitive_location, new.affects_us, false);
  else
    if new.affects_us and not old.affects_us
       and new.sensitive_location is not distinct from old.sensitive_location then
      new.sensitive_location := true;
    end if;
    new.sensitive_location := coalesce(new.sensitive_location, old.sensitive_location);
    if (new.geom, new.admin2_pcode, new.admin3_pcode, new.sensitive_location, new.geom_coarse)
       is not distinct from (old.geom, old.admin2_pcode, old.admin3_pcode, old.sensitive_location, old.geom_coarse) then
      return new;
    end if;
  end if;
  new.geom_coarse := case when new.sensitive_location
                          then private.incident_coarse_point(new.geom, new.admin2_pcode, new.admin3_pcode) end;
  return new;
end
$$;
create trigger incidents_location_before_write before insert or update on public.incidents
  for each row execute function private.incidents_location_before_write();

-- ---------------------------------------------------------------------------------------------
-- THE RULE. Every function that emits an incident's coordinates, or filters incidents by them,
-- must go through these two functions (20261203140100 lists the ones that do). How a new emitter
-- (vector tiles, a new export, a report) uses them:
--
--   1. Get the caller's scope ONCE per query: in PL/pgSQL `v_scope := public.caller_location_scope();`
--      in SQL `(select public.caller_location_scope())` (an init plan, evaluated once).
--   2. Emit `public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode,
--      i.admin2_pcode, i.admin3_pcode, v_scope)` instead of i.geom, and never i.geom, i.lon,
--      i.lat (nor to_jsonb(i) without removing them); or its twin from the btree columns,
--      `public.incident_xy_for_caller(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.admin1_pcode,
--      i.admin2_pcode, i.admin3_pcode, v_scope)`, where a scan should read the indexes alone. Say
--      `public.incident_location_fuzzed(i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
--      i.admin3_pcode, v_scope)` as `location_fuzzed`, and geo_precision 3 when it is true.
--   3. Filter by place (bbox, tile, radius) on what the caller sees: when v_scope is NULL
--      (analysts, admins) on lon/lat/geom, otherwise on lon_coarse/lat_coarse (btree) and
--      coalesce(geom_coarse, geom). A filter on the exact point lets a reader narrow a box or a
--      radius until the incident drops out, which reveals the exact point.
--   4. Aggregates (density cells, counts per tile) snap the caller's point, not geom.
-- ---------------------------------------------------------------------------------------------

-- The caller's exact-location scope: NULL = sees every exact point (analysts, admins); otherwise
-- the P-codes of the areas where the caller sees exact points (a field user's assigned areas,
-- at any admin level), '{}' for everyone else. Security definer: app_users is not readable by
-- viewers beyond their own row, and a disabled account has no scope at all.
create function public.caller_location_scope() returns text[]
language sql stable security definer
set search_path = public, pg_temp
as $$
  select case
    when public.has_app_role('admin', 'analyst') then null
    else coalesce((select u.assigned_areas from public.app_users u
                   where u.id = (select auth.uid()) and u.role = 'field' and not u.disabled), '{}')
  end
$$;

-- Whether the caller sees this incident at its coarse point. SQL, no SET clause and p_scope used
-- once, so the planner inlines it (and incident_point_for_caller) into each emitter's query:
-- no per-row function call. It references its objects schema-qualified.
create function public.incident_location_fuzzed(
  p_geom_coarse geometry, p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[]
) returns boolean
language sql stable
as $$
  select p_geom_coarse is not null
     and not coalesce(array[p_admin1, p_admin2, p_admin3] && p_scope, true)
$$;

-- The point the caller may see of an incident: the exact point, or the coarse one.
create function public.incident_point_for_caller(
  p_geom geometry, p_geom_coarse geometry, p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[]
) returns geometry
language sql stable
as $$
  select case when public.incident_location_fuzzed(p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope)
              then p_geom_coarse else p_geom end
$$;

comment on function public.incident_point_for_caller(geometry, geometry, text, text, text, text[]) is
  'Location fuzzing: the point of an incident the caller may see. Every emitter of incident '
  'coordinates (map, density, GeoJSON, exports, proximity, highlight, detail, list, tiles) must '
  'emit this (or its twin from the btree columns, incident_xy_for_caller) instead of '
  'geom/lon/lat, with p_scope = public.caller_location_scope() computed once '
  'per query, and filter by place on lon/lat only when the scope is NULL, else on '
  'lon_coarse/lat_coarse. See 20261203140000_location_fuzzing.sql.';

-- The same point from the btree columns, as a point (x = longitude, y = latitude): lon_coarse and
-- lat_coarse are the coarse point of a sensitive incident and the exact point of any other
-- (generated columns), so the caller's point needs no geom nor geom_coarse. For a scan that the
-- indexes can answer alone — the date index carries these columns (incidents_date_covering_idx),
-- geometries are in no btree — where a geometry column would fetch each incident's table page:
-- the tiles' and the density's scans (20261228100000). Inlined like incident_point_for_caller.
create function public.incident_xy_for_caller(
  p_lon double precision, p_lat double precision, p_lon_coarse double precision, p_lat_coarse double precision,
  p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[]
) returns point
language sql stable
as $$
  select case when coalesce(array[p_admin1, p_admin2, p_admin3] && p_scope, true)
              then point(p_lon, p_lat) else point(p_lon_coarse, p_lat_coarse) end
$$;

-- The place name the caller may read of an incident: its location_name, or — when the caller
-- sees the incident at its coarse point (incident_location_fuzzed) — the name of the area that
-- point stands for (sub-district, else district, else governorate). "Our Mosul office" would
-- otherwise give back the exact place the coordinates hide. SQL, no SET clause, so it is inlined
-- like incident_point_for_caller; objects schema-qualified.
create function public.incident_place_for_caller(
  p_location_name text, p_geom_coarse geometry, p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[]
) returns text
language sql stable
as $$
  select case when public.incident_location_fuzzed(p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope)
              then (select a.name_en from public.areas a where a.pcode = coalesce(p_admin3, p_admin2, p_admin1))
              else p_location_name end
$$;

-- A search must not find a fuzzed incident by the place name its reader is not shown: a viewer
-- searching "office" would otherwise learn which coarse points are our own office. For those
-- incidents the reader's search matches the name they see (the area's), not the stored one. An
-- extra condition beside the indexed match, so the full-text index still serves the search.
create function public.incident_search_visible(
  p_notes text, p_location_name text, p_source text, p_sub_event_type text,
  p_geom_coarse geometry, p_admin1 text, p_admin2 text, p_admin3 text, p_scope text[], p_q tsquery
) returns boolean
language sql stable
as $$
  select p_q is null or p_scope is null
      or not public.incident_location_fuzzed(p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope)
      or public.incident_document(p_notes,
           public.incident_place_for_caller(p_location_name, p_geom_coarse, p_admin1, p_admin2, p_admin3, p_scope),
           p_source, p_sub_event_type) @@ p_q
$$;

-- Restricted incidents read through a list (the incidents list, the GeoJSON API) are on record
-- like the detail page's reads (incident_get), as ONE audit row per call naming the ids, not one
-- row per incident: a list page of 50 restricted incidents is one read. Rows are the list's jsonb
-- (objects with id and confidentiality, or GeoJSON features with them in properties).
create function public.incidents_note_restricted_read(p_rows jsonb, p_via text) returns void
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v_ids jsonb;
begin
  select jsonb_agg(coalesce(r -> 'properties', r) -> 'id' order by ord) into v_ids
  from jsonb_array_elements(coalesce(p_rows, '[]'::jsonb)) with ordinality as e(r, ord)
  where coalesce(r -> 'properties', r) ->> 'confidentiality' = 'restricted';
  if v_ids is not null then
    perform public.audit_record('list', 'incidents',
      jsonb_build_object('via', p_via, 'restricted', jsonb_array_length(v_ids), 'ids', v_ids));
  end if;
end
$$;
revoke execute on function public.incidents_note_restricted_read(jsonb, text) from public, anon;
grant execute on function public.incidents_note_restricted_read(jsonb, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Analysts and admins mark an incident sensitive or not (the report and edit forms, the API).
-- A separate verb rather than a field of incident_create/incident_update, whose bodies other
-- work is changing: the server calls it right after them when the field was sent.
create function public.incident_set_sensitive_location(p_id uuid, p_value boolean) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare n integer;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'sensitive_location: only analysts and admins can change it' using errcode = '42501';
  end if;
  if p_value is null then
    raise exception 'sensitive_location: must be true or false' using errcode = '22023';
  end if;
  update public.incidents set sensitive_location = p_value, updated_at = now()
   where id = p_id and sensitive_location is distinct from p_value;
  get diagnostics n = row_count;
  if n = 0 and not exists (select 1 from public.incidents where id = p_id) then
    raise exception 'no such incident, or not visible to you' using errcode = 'P0002';
  end if;
  return public.incident_get(p_id);
end
$$;

-- The grid size for incidents in no district (admins). Recomputes the coarse points placed on it.
create function public.location_fuzzing_set(p_grid_km double precision) returns jsonb
language plpgsql volatile security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if not public.has_app_role('admin') then
    raise exception 'grid_km: only admins can change the location grid' using errcode = '42501';
  end if;
  if p_grid_km is null or not (p_grid_km >= 1 and p_grid_km <= 200) then
    raise exception 'grid_km: must be between 1 and 200' using errcode = '22023';
  end if;
  update private.location_fuzzing set grid_km = p_grid_km;
  update public.incidents
     set geom_coarse = private.incident_coarse_point(geom, admin2_pcode, admin3_pcode)
   where sensitive_location and admin2_pcode is null and admin3_pcode is null;
  perform public.audit_note('location_fuzzing', 'incidents', jsonb_build_object('grid_km', p_grid_km));
  return jsonb_build_object('grid_km', p_grid_km);
end
$$;
revoke execute on function public.location_fuzzing_set(double precision) from public, anon;
grant execute on function public.location_fuzzing_set(double precision) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The one filter every incident view shares (map, list, API, exports). Security invoker and
-- plain SQL, so RLS applies and the planner inlines it into each caller.
-- No SET clause, not even search_path: a function with a SET clause is never inlined, and every
-- caller then copied all matching rows, all columns, before aggregating — 1–2 s per chart or map
-- view at 100k incidents on PGlite (20261122004000_inline_incident_filter). Without the clause
-- the body resolves names through the caller's search_path, and every caller pins
-- `public, extensions`. The viewport test uses the generated lat/lon columns, whose btree works
-- under RLS (see the incidents table).
create function public.incidents_filtered(
  p_from date default null,
  p_to date default null,
  p_types text[] default null,
  p_area text[] default null,
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
    -- Any of the areas (their P-codes at any level, mixed): an incident is in when one of its
    -- admin1–3 codes is one of them, so a parent and its child count each incident once.
    and (p_area is null or cardinality(p_area) = 0 or i.admin1_pcode = any (p_area)
         or i.admin2_pcode = any (p_area) or i.admin3_pcode = any (p_area))
    and (p_west is null
         or ((select public.caller_location_scope()) is null
             and i.lon between p_west and p_east and i.lat between p_south and p_north)
         or ((select public.caller_location_scope()) is not null
             and i.lon_coarse between p_west and p_east and i.lat_coarse between p_south and p_north))
$$;

-- What the map draws: the matching incidents in the viewport as compact rows
-- [id, lon, lat, event_type, fatalities, serious, event_date] (at most p_limit, the most recent
-- first; serious and the date colour points by seriousness or recency, issue 13), and the exact
-- counts in the viewport and by type, so the shown numbers stay true when points are capped.
-- With p_complete the points come only when all of them fit under p_limit (else none: the map
-- then draws the view from the vector tiles and would never draw them), and are not looked for.
-- Map views, density and the GeoJSON API used their indexes only on paper: an SQL-language
-- function that cannot be inlined (these build one JSON answer with CTEs) is planned once per
-- call with its arguments as unknown parameters, and a generic plan cannot use an index for
-- "p_from is null or event_date >= p_from" or the viewport test — every call scanned every
-- incident (≈100 ms for a 79-incident view at 207k incidents on PostgreSQL, 1–2 s on PGlite).
-- As PL/pgSQL with plan_cache_mode = force_custom_plan, each call is planned with its actual
-- values: the unused filters fold away and the (lat, lon) and date indexes serve the rest.
-- Three ways to the same answer (supabase/tests/map-whole-view.test.ts and
-- map-part-view.test.ts compare each with the scan):
--  * the whole view (20261220200000): a box that holds every incident the caller may see, with
--    only the shared filters — counts from the year and month rollups, and for odd dates the
--    day rollup's ends (incident_rollup_range_rows, 20261225100000: the country over a range of
--    years with odd ends scanned, 1.9 s at 3,000,000 incidents);
--  * part of the country (20261221100000): the counts of the cells inside the box from the cell
--    rollup, plus the incidents of the strips along its edges — a city view read every incident
--    in it (1.7–1.9 s for Baghdad at 3,000,000 incidents); dated (20261225300000) on the z8
--    cells, with the incidents of the range's edge days;
--  * otherwise the scan.
create function public.incidents_map(
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
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                             (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)) c
        where (p_from is not null or p_to is not null) and c.point_kind in ('any', v_kind)
          and ((v_exact and i.lon between b.w - 1e-7 and b.e + 1e-7 and i.lat between b.s - 1e-7 and b.n + 1e-7)
            or (not v_exact and i.lon_coarse between b.w - 1e-7 and b.e + 1e-7
                and i.lat_coarse between b.s - 1e-7 and b.n + 1e-7))
          and (c.px >> b.shift) between b.cx0 and b.cx1 and (c.py >> b.shift) between b.cy0 and b.cy1
      ),
      strips as (
        select i.event_type, 1 as n, i.fatalities as fat
        from public.incidents_filtered(p_from, p_to, p_types, p_area) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse,
                                             (i.lon_coarse, i.lat_coarse) is distinct from (i.lon, i.lat)) c
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
      -- the caller's point from the btree columns, so that a dated view's points are read from
      -- the date index alone (20261228100000)
      else (select coalesce(jsonb_agg(jsonb_build_array(id, round(pt[0]::numeric, 5),
                     round(pt[1]::numeric, 5), event_type, fatalities, serious, event_date)), '[]'::jsonb)
            from (select id, public.incident_xy_for_caller(lon, lat, lon_coarse, lat_coarse, admin1_pcode,
                                                           admin2_pcode, admin3_pcode, v_scope) as pt,
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

-- Density for the map's density mode: the matching incidents, by the point the caller sees,
-- counted per cell of a Web Mercator grid of 2^k cells a side, the grid whose cells are nearest
-- p_cell degrees of longitude wide (k = round(log2(360 / p_cell)); the map asks for 360 / 2^k
-- exactly): every cell the box touches that holds any, whole (a cell at the box's edge counts
-- its incidents beyond the edge too, so that panning never changes a cell's count), as
-- [lon, lat, count, fatalities] at the cell's centre, fatalities null when none is known.
-- The grid is the cell rollup's (20261224100000): a cell of 2^k a side is a block of the rollup's
-- z8 (2^14), z10 (2^17) or z12 (2^19) cells, and it is square on the map at every latitude. So
-- with only the shared filters and a caller the rollup can answer for (incident_rollup_usable),
-- the cells are sums of the rollup's: for all time (the map's default) at any grid, and dated on
-- the z8 level's grid (k ≤ 14, a region's or the country's zoom), whose cells are kept per year
-- and month — the whole years and months of the range from the rollup and the incidents of the
-- edge days read, as incident_tile_cells does. The snapped scan this replaced read every
-- incident in view (4.3–5.2 s over Baghdad at 3,000,000 incidents). Otherwise the scan, over
-- the same cells. supabase/tests/incident-density.test.ts compares both ways.
create function public.incidents_density(
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

-- One incident with its actors and area names, for the details panel. Every read of a RESTRICTED
-- incident is noted ('read', 'incidents', {id}); plpgsql and volatile for that
-- (20261203120100_audit_need_to_know). Coordinates are the caller's point: coarse for a reader
-- a sensitive location is fuzzed for (20261203140000_location_fuzzing).
create function public.incident_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb;
begin
  select to_jsonb(i) - 'geom' - 'lon' - 'lat' - 'geom_coarse' - 'lon_coarse' - 'lat_coarse' - 'geo_cell' || jsonb_build_object(
    'lon', st_x(f.pt), 'lat', st_y(f.pt),
    'geo_precision', case when f.fuzzed then 3 else i.geo_precision end,
    'location_fuzzed', f.fuzzed,
    'location_name', public.incident_place_for_caller(i.location_name, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope),
    'actor1', a1.name, 'actor2', a2.name,
    'admin1_name', r1.name_en, 'admin1_name_ar', r1.name_ar,
    'admin2_name', r2.name_en, 'admin2_name_ar', r2.name_ar,
    'admin3_name', r3.name_en, 'admin3_name_ar', r3.name_ar)
    into v
  from public.incidents i
  cross join lateral (select public.caller_location_scope() as scope) s
  cross join lateral (
    select public.incident_location_fuzzed(i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope) as fuzzed,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope) as pt
  ) f
  left join public.actors a1 on a1.id = i.actor1_id
  left join public.actors a2 on a2.id = i.actor2_id
  left join public.areas r1 on r1.pcode = i.admin1_pcode
  left join public.areas r2 on r2.pcode = i.admin2_pcode
  left join public.areas r3 on r3.pcode = i.admin3_pcode
  where i.id = p_id;
  -- every read of a restricted incident is on record (20261203120100)
  if v ->> 'confidentiality' = 'restricted' then
    perform public.audit_record('read', 'incidents', jsonb_build_object('id', p_id));
  end if;
  return v;
end
$$;

-- Incidents as a GeoJSON FeatureCollection for the API, ordered newest first, paged.
create function public.incidents_geojson(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 1000, p_offset integer default 0,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null,
  p_status text[] default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
  v jsonb;
begin
  select (
  with f as (
    select * from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope)
  ),
  page as (
    select f.*,
           public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as fuzzed,
           public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope) as pt
    from f order by event_date desc, id limit least(greatest(p_limit, 0), 10000) offset greatest(p_offset, 0)
  )
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'total', (select count(*) from f),
    'limit', p_limit, 'offset', p_offset,
    'features', coalesce((select jsonb_agg(jsonb_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', st_asgeojson(p.pt, 6)::jsonb,
        'properties', to_jsonb(p) - 'geom' - 'lon' - 'lat' - 'geom_coarse' - 'lon_coarse' - 'lat_coarse' - 'geo_cell'
                      - 'pt' - 'fuzzed'
                      || jsonb_build_object('actor1', a1.name, 'actor2', a2.name,
                                            'location_fuzzed', p.fuzzed,
                                            'location_name', public.incident_place_for_caller(p.location_name, p.geom_coarse, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode, v_scope),
                                            'geo_precision', case when p.fuzzed then 3 else p.geo_precision end)
      ) order by p.event_date desc, p.id)
      from page p
      left join public.actors a1 on a1.id = p.actor1_id
      left join public.actors a2 on a2.id = p.actor2_id), '[]'::jsonb))
  ) into v;
  -- Restricted rows read through a list are on record: one row per request, not one per incident.
  perform public.incidents_note_restricted_read(v -> 'features', 'incidents_geojson');
  return v;
end
$$;

-- Counts per year and per governorate for the filters, used by the API and the checks against
-- the raw sources. From the incident rollups (below) when they can answer (incident_rollup_usable):
-- the whole years and months of any dates from the yearly and monthly rows, the odd ends' days
-- from the day rollup (incident_rollup_range_rows); from the shared filter otherwise: the same
-- answer either way.
-- Planned per call, so that the span's dates are constants and the unused filters fold away.
create function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  if public.incident_rollup_usable(p_area) then
    return (
      -- Grouped first by what the answer shows (year × type × governorate, ~1,000 rows), then
      -- read four times: the CTE held every rollup row (~220k monthly rows at 3M incidents) for each read.
      -- Any dates: whole years, months and the odd ends' days (incident_rollup_range_rows).
      with f as (
        select extract(year from r.day)::int as y, r.event_type, r.admin1_pcode, sum(r.incidents) as n, sum(r.fatalities) as fat
        from public.incident_rollup_range_rows(p_from, p_to, p_types, p_area) r
        group by 1, 2, 3
      )
      select jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from f),
        'fatalities', (select coalesce(sum(fat), 0) from f),
        'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                     (select y, sum(n) as n from f group by 1) t),
        'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                     (select admin1_pcode as k, sum(n) as n from f group by 1) t),
        'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                     (select event_type, sum(n) as n from f group by 1) t)));
  end if;
  return (
  with f as (select * from public.incidents_filtered(p_from, p_to, p_types, p_area))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'fatalities', (select coalesce(sum(fatalities), 0) from f),
    'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                 (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t),
    'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                 (select admin1_pcode as k, count(*) as n from f group by 1) t),
    'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                 (select event_type, count(*) as n from f group by 1) t)));
end
$$;

-- =============================================================================================
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
-- all-single). Aggregated tiles stay under ~100 KB (at most 4,096 cells at z ≤ 8). At z ≤ 8 the
-- cells come from the cell rollup (incident_tile_cells) when incident_rollup_usable says it can
-- answer: no viewport, no sub-district area, a caller who is not field staff; else the scan.
--
-- Coordinates: if the location-fuzzing work defines a per-caller coordinate rule (a function like
-- incident_point_for_caller, which shows sensitive incidents coarsely to viewers and field
-- staff), tiles MUST place incidents with it, for both selection and pixels — a tile would
-- otherwise reveal the exact point the other endpoints hide.
create function public.incident_tile_rows(
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

-- The same rows as a Mapbox Vector Tile (layer "incidents", extent 4096), base64 so that every
-- adapter (node-postgres, PostgREST) carries it as text. PostgreSQL only: PGlite's PostGIS has
-- no ST_AsMVT, and the server encodes incident_tile_rows there. Null properties are left out,
-- as the JS encoder does.
create function public.incident_tile_mvt(
  p_z integer, p_x integer, p_y integer,
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
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
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_array(r.px, r.py, r.id, r.event_type, r.fatalities, r.count)), '[]'::jsonb)
  from public.incident_tile_rows(p_z, p_x, p_y, p_from, p_to, p_types, p_area) r
$$;

-- =============================================================================================
-- Rollups kept current on write: incidents and fatalities per day × event type × governorate ×
-- district × status × confidentiality, maintained by statement-level triggers with transition
-- tables (one pass per statement, so an import of 100k rows costs one grouped upsert, not 100k).
-- Counts and stats read it instead of scanning every incident whenever the filter allows: no
-- viewport, no sub-district area, and a caller whose read rule the summary can express.
--
-- Status and confidentiality are kept as dimensions so that the incidents' read rule can be
-- applied to the summary by its own policies: analysts and admins read every row, viewers (and
-- field staff) the verified, unrestricted ones. Field staff also read the incidents they reported
-- themselves, which the summary cannot tell, so the functions give field staff the scan.

create table public.incident_rollup (
  day              date not null,
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  fatalities       bigint not null,
  -- The key carries the totals (20261223400000), so that a range of days is read from the index
  -- alone: the dated charts that are not whole months sum it (a year by week at 3M: 125 -> 50 ms).
  constraint incident_rollup_key unique nulls not distinct
    (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality)
    include (incidents, fatalities, fatalities_known),
  -- how many of the incidents have a known fatality count (20261221200000): the calendar's day
  -- with none known shows no figure, as the scan did, rather than 0
  fatalities_known bigint not null
);

-- By area, then day (20261231800000): an area's first and last day (incident_rollup_edge_day)
-- is the first or last entry of its range, even for an area with no incident.
create index incident_rollup_admin2_day_idx on public.incident_rollup (admin2_pcode, day);

create index incident_rollup_admin1_day_idx on public.incident_rollup (admin1_pcode, day);

-- Rows whose last incident left are deleted right after each statement.
create index incident_rollup_empty_idx on public.incident_rollup (day) where incidents = 0;

alter table public.incident_rollup enable row level security;

create policy "Analysts and admins can read every incident total" on public.incident_rollup
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the totals of verified unrestricted incidents" on public.incident_rollup
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup to authenticated;

-- The same totals per month, and per upstream source (issue 16, 20261220100000): at 3,000,000
-- synthetic incidents the day rollup holds ~2.4M rows (a day × district × type key is rarely hit
-- twice), so summing it for the dashboard's undated calls took 0.3–2 s, no better than a scan.
-- Per month it is ~220k rows. Readers take the whole months of any dates from it (or from the
-- yearly rows), and only the days before the first and after the last whole month from the day
-- rollup (incident_rollup_end_days) or, for the sources, from the incidents.
-- The source is kept for /stats/sources (which file the incidents came from), which the
-- timeline asks on every map load.
create table public.incident_rollup_month (
  month            date not null,
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  upstream_source  text,
  incidents        bigint not null,
  fatalities       bigint not null,
  -- The key carries the totals (20261225400000), so that its readers (counts, areas, stats,
  -- sources, the map's whole view) sum a range of months from the index alone.
  constraint incident_rollup_month_key unique nulls not distinct
    (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
    include (incidents, fatalities, fatalities_known),
  -- how many of the incidents have a known fatality count (20261231700000), as the day
  -- rollup's: a monthly bin none of whose incidents has a figure is null, as the scan gives it
  fatalities_known bigint not null
);

create index incident_rollup_month_empty_idx on public.incident_rollup_month (month) where incidents = 0;

alter table public.incident_rollup_month enable row level security;

create policy "Analysts and admins can read every monthly total" on public.incident_rollup_month
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the monthly totals of verified unrestricted incidents" on public.incident_rollup_month
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_month to authenticated;

-- The same totals per year (issue 16, 20261222100000): the dashboards' default is all time, and
-- their undated calls summed every monthly row (~220k at 3,000,000 incidents: 210–240 ms for
-- /incidents/counts and for the whole country on the map, 170–310 ms for /stats/sources). Per
-- year a key is hit ~7× more often. incident_rollup_span_rows reads the whole years of a range
-- here and its other months above.
create table public.incident_rollup_year (
  year             date not null,  -- the year's first day
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  upstream_source  text,
  incidents        bigint not null,
  fatalities       bigint not null,
  -- the totals in the key, as the month rollup's (20261225400000)
  constraint incident_rollup_year_key unique nulls not distinct
    (year, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
    include (incidents, fatalities)
);

create index incident_rollup_year_empty_idx on public.incident_rollup_year (year) where incidents = 0;

alter table public.incident_rollup_year enable row level security;

create policy "Analysts and admins can read every yearly total" on public.incident_rollup_year
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the yearly totals of verified unrestricted incidents" on public.incident_rollup_year
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_year to authenticated;

-- Two more totals for all time, for the analysis screen's undated charts (issue 16,
-- 20261221200000): its rhythm chart (hour of day, day of week) and its top actors read every
-- incident of the filter, 1–3 s each at 3,000,000 incidents. Neither has a date: the screen's
-- default is all time, and a dated chart reads the incidents of its dates as before.
--   incident_rollup_rhythm  per ISO weekday (when the day is known: time_precision 'exact' or
--                           'day') and hour (when the time is: 'exact' with an event_time),
--                           each null otherwise — incidents_time_pattern's two groupings;
--   incident_rollup_actor   per actor named on either side (an incident with the same actor on
--                           both sides counts once for it, as incidents_top_actors counts), how
--                           often as side 1 and side 2, and the fatalities; actor_id null for the
--                           incidents that name none, so that "with an actor" is the rest.
-- Kept by incident_rollup_apply in the same pass as the others; RLS as the day rollup's.
create table public.incident_rollup_rhythm (
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  dow              smallint,
  hour             smallint,
  incidents        bigint not null,
  constraint incident_rollup_rhythm_key unique nulls not distinct
    (event_type, admin1_pcode, admin2_pcode, status, confidentiality, dow, hour)
);

create index incident_rollup_rhythm_empty_idx on public.incident_rollup_rhythm (event_type) where incidents = 0;

alter table public.incident_rollup_rhythm enable row level security;

create policy "Analysts and admins can read every rhythm total" on public.incident_rollup_rhythm
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the rhythm totals of verified unrestricted incidents" on public.incident_rollup_rhythm
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_rhythm to authenticated;

create table public.incident_rollup_actor (
  actor_id         uuid,
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  as_actor1        bigint not null,
  as_actor2        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_actor_key unique nulls not distinct
    (actor_id, event_type, admin1_pcode, admin2_pcode, status, confidentiality)
);

create index incident_rollup_actor_empty_idx on public.incident_rollup_actor (event_type) where incidents = 0;

alter table public.incident_rollup_actor enable row level security;

create policy "Analysts and admins can read every actor total" on public.incident_rollup_actor
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the actor totals of verified unrestricted incidents" on public.incident_rollup_actor
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_actor to authenticated;

-- The day rollup without the event type and the areas (issue 16, 20261222100000), for the
-- analysis screen's calendar with no type or area filter, its default: six years of the day
-- rollup are ~480k rows at 3,000,000 incidents (0.45–0.5 s), of these ~13k.
create table public.incident_rollup_calendar (
  day              date not null,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  fatalities       bigint not null,
  fatalities_known bigint not null,
  constraint incident_rollup_calendar_key unique (day, status, confidentiality)
);

create index incident_rollup_calendar_empty_idx on public.incident_rollup_calendar (day) where incidents = 0;

alter table public.incident_rollup_calendar enable row level security;

create policy "Analysts and admins can read every daily total" on public.incident_rollup_calendar
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the daily totals of verified unrestricted incidents" on public.incident_rollup_calendar
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_calendar to authenticated;

-- The month rollup without the areas and the source (issue 16, 20261223100000), for monthly
-- charts stacked by type, or not stacked, with no area filter: the analysis screen's first chart
-- as it opens. Summing the month rollup's ~220k rows for it took 100–270 ms at 3,000,000
-- incidents; a month × type key here gathers the ~50 governorates, districts and sources.
create table public.incident_rollup_month_type (
  month            date not null,
  event_type       text not null,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_month_type_key unique (month, event_type, status, confidentiality),
  fatalities_known bigint not null  -- as the month rollup's (20261231700000)
);

create index incident_rollup_month_type_empty_idx on public.incident_rollup_month_type (month) where incidents = 0;

alter table public.incident_rollup_month_type enable row level security;

create policy "Analysts and admins can read every monthly total by type" on public.incident_rollup_month_type
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the monthly totals by type of verified unrestricted incidents" on public.incident_rollup_month_type
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_month_type to authenticated;

-- The rhythm per month, without the areas (issue 16, 20261231400000): the analysis screen's
-- time-of-day chart for a range of dates with no area filter. It read every incident of the
-- dates: 0.5–0.7 s for 2.6 years at 3,000,000 incidents. The whole months of the range come from
-- here, the days at its ends from the incidents. dow and hour as incident_rollup_rhythm's.
create table public.incident_rollup_rhythm_month (
  month            date not null,
  event_type       text not null,
  status           text not null,
  confidentiality  text not null,
  dow              smallint,
  hour             smallint,
  incidents        bigint not null,
  constraint incident_rollup_rhythm_month_key unique nulls not distinct
    (month, event_type, status, confidentiality, dow, hour)
);

create index incident_rollup_rhythm_month_empty_idx on public.incident_rollup_rhythm_month (month) where incidents = 0;

alter table public.incident_rollup_rhythm_month enable row level security;

create policy "Analysts and admins can read every monthly rhythm total" on public.incident_rollup_rhythm_month
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Viewers and field staff: verified unrestricted monthly rhythm" on public.incident_rollup_rhythm_month
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_rhythm_month to authenticated;

-- The actor totals per month, without the areas (issue 16, 20261231500000): the top actors for
-- a range of dates with no area filter, 0.8–0.9 s for 2.6 years at 3,000,000 incidents when it
-- read every incident of the dates. As incident_rollup_actor, per month; the whole months of the
-- range come from here, the days at its ends from the incidents.
create table public.incident_rollup_actor_month (
  month            date not null,
  actor_id         uuid,
  event_type       text not null,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  as_actor1        bigint not null,
  as_actor2        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_actor_month_key unique nulls not distinct
    (month, actor_id, event_type, status, confidentiality)
);

create index incident_rollup_actor_month_empty_idx on public.incident_rollup_actor_month (month) where incidents = 0;

alter table public.incident_rollup_actor_month enable row level security;

create policy "Analysts and admins can read every monthly actor total" on public.incident_rollup_actor_month
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Viewers and field staff: verified unrestricted monthly actors" on public.incident_rollup_actor_month
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup_actor_month to authenticated;

-- The month rollup's rows for the shared filters, as the caller may read them; its readers pass
-- whole months (each computes them from its dates). SQL without a SET clause, so that it inlines
-- into them like incidents_filtered.
create function public.incident_rollup_month_rows(
  p_from date, p_to date, p_types text[], p_area text[]
) returns setof public.incident_rollup_month
language sql stable
as $$
  select r.* from public.incident_rollup_month r
  where (p_from is null or r.month >= p_from)
    and (p_to is null or r.month <= p_to)
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
$$;

-- The same totals for readers that need no month (counts by year, by type, by area, by source):
-- the whole years of from–to from the year rollup, its other months from the month rollup, each
-- incident once; day is the first day of the row's year or month. Whole years are [y0, y1): y0 the first
-- 1 January on or after from, y1 the 1 January after the last whole year (none when y0 >= y1,
-- and then every month is outside them); no from (to) reaches back (on) for ever. Its readers
-- pass whole months (incident_rollup_range_rows, below, reads the odd ends' days). SQL without a
-- SET clause: it inlines, and with the dates known the months' branch is one index range.
create function public.incident_rollup_span_rows(
  p_from date, p_to date, p_types text[], p_area text[]
) returns table (day date, event_type text, admin1_pcode text, admin2_pcode text, status text,
                 confidentiality text, upstream_source text, incidents bigint, fatalities bigint)
language sql stable
as $$
  select r.year, r.event_type, r.admin1_pcode, r.admin2_pcode, r.status, r.confidentiality, r.upstream_source,
         r.incidents, r.fatalities
  from public.incident_rollup_year r
  where r.year >= coalesce(date_trunc('year', p_from - 1 + interval '1 year')::date, '-infinity')
    and r.year < coalesce(date_trunc('year', (p_to + 1)::timestamp)::date, 'infinity')
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
  union all
  select r.month, r.event_type, r.admin1_pcode, r.admin2_pcode, r.status, r.confidentiality, r.upstream_source,
         r.incidents, r.fatalities
  from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) r
  where r.month < coalesce(date_trunc('year', p_from - 1 + interval '1 year')::date, '-infinity')
     or r.month >= coalesce(date_trunc('year', (p_to + 1)::timestamp)::date, 'infinity')
$$;

-- The day rollup's rows of the odd ends of from–to (20261225100000): the days before the first
-- whole month, [from, m0), and from the 1st of the month holding to + 1 on, [m1, to]; m0 is the
-- first 1st of a month on or after from. With no whole month between (m0 >= m1) the two arms
-- are [from, m0) and [m0, to]: the whole range, each day once. Its readers take the whole
-- months [m0, m1) from the month (and year) rollups. SQL without a SET clause: it inlines, and
-- with the dates known each arm is one range of the key or is dropped.
create function public.incident_rollup_end_days(
  p_from date, p_to date, p_types text[], p_area text[]
) returns setof public.incident_rollup
language sql stable
as $$
  select r.* from public.incident_rollup r
  where p_from is not null
    and r.day >= p_from
    and r.day < least(date_trunc('month', p_from - 1 + interval '1 month')::date, p_to + 1)
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
  union all
  select r.* from public.incident_rollup r
  where p_to is not null
    and r.day >= greatest(date_trunc('month', p_from - 1 + interval '1 month')::date,
                          date_trunc('month', (p_to + 1)::timestamp)::date)
    and r.day <= p_to
    and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
    and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
$$;

-- The same totals as incident_rollup_span_rows for any dates (20261225100000), for the readers
-- that need neither the source nor a day inside a month (counts by year, by type, by area; the
-- map's whole view): the whole months of from–to, [m0, m1), from the year and month rollups,
-- and the odd ends' days from the day rollup (incident_rollup_end_days); day is the row's first
-- day. The day rollup alone holds ~600 rows a day at 3,000,000 incidents, so a range of years
-- with odd ends summed ~600k rows; here the days are at most the two ends' months.
create function public.incident_rollup_range_rows(
  p_from date, p_to date, p_types text[], p_area text[]
) returns table (day date, event_type text, admin1_pcode text, admin2_pcode text, status text,
                 confidentiality text, incidents bigint, fatalities bigint)
language sql stable
as $$
  select r.day, r.event_type, r.admin1_pcode, r.admin2_pcode, r.status, r.confidentiality, r.incidents, r.fatalities
  from public.incident_rollup_span_rows(date_trunc('month', p_from - 1 + interval '1 month')::date,
                                        (date_trunc('month', (p_to + 1)::timestamp) - interval '1 day')::date,
                                        p_types, p_area) r
  union all
  select r.day, r.event_type, r.admin1_pcode, r.admin2_pcode, r.status, r.confidentiality, r.incidents, r.fatalities
  from public.incident_rollup_end_days(p_from, p_to, p_types, p_area) r
$$;

-- The triggers' one body: the statement's rows grouped by key, +1 per new row and −1 per old
-- row, added to the summary. An edit that moves nothing between keys changes nothing here.
-- Dynamic SQL because a transition table exists only for the events that define it.
create function private.incident_rollup_apply() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
declare
  src text := case tg_op
    when 'INSERT' then 'select *, 1 as sign from new_rows'
    when 'DELETE' then 'select *, -1 as sign from old_rows'
    else 'select *, 1 as sign from new_rows union all select *, -1 as sign from old_rows' end;
begin
  execute format($q$
    insert into public.incident_rollup as r
      (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, fatalities, fatalities_known)
    select event_date, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0)), sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_calendar as r
      (day, status, confidentiality, incidents, fatalities, fatalities_known)
    select event_date, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0)), sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_calendar_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup_calendar where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_month as r
      (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents,
       fatalities, fatalities_known)
    select date_trunc('month', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
           confidentiality, upstream_source, sum(sign), sum(sign * coalesce(fatalities, 0)),
           sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_month_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup_month where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_month_type as r
      (month, event_type, status, confidentiality, incidents, fatalities, fatalities_known)
    select date_trunc('month', event_date)::date, event_type, status, confidentiality,
           sum(sign), sum(sign * coalesce(fatalities, 0)), sum(sign * (fatalities is not null)::integer)
    from (%s) d
    group by 1, 2, 3, 4
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
        or sum(sign * (fatalities is not null)::integer) <> 0
    on conflict on constraint incident_rollup_month_type_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities,
          fatalities_known = r.fatalities_known + excluded.fatalities_known
  $q$, src);
  delete from public.incident_rollup_month_type where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_year as r
      (year, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents, fatalities)
    select date_trunc('year', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
           confidentiality, upstream_source, sum(sign), sum(sign * coalesce(fatalities, 0))
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_year_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_year where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_rhythm as r
      (event_type, admin1_pcode, admin2_pcode, status, confidentiality, dow, hour, incidents)
    select event_type, admin1_pcode, admin2_pcode, status, confidentiality,
           case when time_precision in ('exact', 'day') then extract(isodow from event_date)::smallint end,
           case when time_precision = 'exact' and event_time is not null then extract(hour from event_time)::smallint end,
           sum(sign)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0
    on conflict on constraint incident_rollup_rhythm_key do update
      set incidents = r.incidents + excluded.incidents
  $q$, src);
  delete from public.incident_rollup_rhythm where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_rhythm_month as r
      (month, event_type, status, confidentiality, dow, hour, incidents)
    select date_trunc('month', event_date)::date, event_type, status, confidentiality,
           case when time_precision in ('exact', 'day') then extract(isodow from event_date)::smallint end,
           case when time_precision = 'exact' and event_time is not null then extract(hour from event_time)::smallint end,
           sum(sign)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6
    having sum(sign) <> 0
    on conflict on constraint incident_rollup_rhythm_month_key do update
      set incidents = r.incidents + excluded.incidents
  $q$, src);
  delete from public.incident_rollup_rhythm_month where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_actor as r
      (actor_id, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, as_actor1, as_actor2, fatalities)
    select a.actor_id, d.event_type, d.admin1_pcode, d.admin2_pcode, d.status, d.confidentiality,
           sum(d.sign), sum(d.sign * a.as1), sum(d.sign * a.as2), sum(d.sign * coalesce(d.fatalities, 0))
    from (%s) d
    cross join lateral (values
      (d.actor1_id, 1, case when d.actor2_id = d.actor1_id then 1 else 0 end, d.actor1_id is not null),
      (d.actor2_id, 0, 1, d.actor2_id is not null and d.actor2_id is distinct from d.actor1_id),
      (null::uuid, 0, 0, d.actor1_id is null and d.actor2_id is null)) a (actor_id, as1, as2, keep)
    where a.keep
    group by 1, 2, 3, 4, 5, 6
    having sum(d.sign) <> 0 or sum(d.sign * a.as1) <> 0 or sum(d.sign * a.as2) <> 0
        or sum(d.sign * coalesce(d.fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_actor_key do update
      set incidents = r.incidents + excluded.incidents, as_actor1 = r.as_actor1 + excluded.as_actor1,
          as_actor2 = r.as_actor2 + excluded.as_actor2, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_actor where incidents = 0;
  execute format($q$
    insert into public.incident_rollup_actor_month as r
      (month, actor_id, event_type, status, confidentiality, incidents, as_actor1, as_actor2, fatalities)
    select date_trunc('month', d.event_date)::date, a.actor_id, d.event_type, d.status, d.confidentiality,
           sum(d.sign), sum(d.sign * a.as1), sum(d.sign * a.as2), sum(d.sign * coalesce(d.fatalities, 0))
    from (%s) d
    cross join lateral (values
      (d.actor1_id, 1, case when d.actor2_id = d.actor1_id then 1 else 0 end, d.actor1_id is not null),
      (d.actor2_id, 0, 1, d.actor2_id is not null and d.actor2_id is distinct from d.actor1_id),
      (null::uuid, 0, 0, d.actor1_id is null and d.actor2_id is null)) a (actor_id, as1, as2, keep)
    where a.keep
    group by 1, 2, 3, 4, 5
    having sum(d.sign) <> 0 or sum(d.sign * a.as1) <> 0 or sum(d.sign * a.as2) <> 0
        or sum(d.sign * coalesce(d.fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_actor_month_key do update
      set incidents = r.incidents + excluded.incidents, as_actor1 = r.as_actor1 + excluded.as_actor1,
          as_actor2 = r.as_actor2 + excluded.as_actor2, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_actor_month where incidents = 0;
  return null;
end
$$;

create function private.incident_rollup_clear() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  delete from public.incident_rollup;
  delete from public.incident_rollup_calendar;
  delete from public.incident_rollup_month;
  delete from public.incident_rollup_month_type;
  delete from public.incident_rollup_year;
  delete from public.incident_rollup_rhythm;
  delete from public.incident_rollup_rhythm_month;
  delete from public.incident_rollup_actor;
  delete from public.incident_rollup_actor_month;
  return null;
end
$$;

create trigger incidents_rollup_insert after insert on public.incidents
  referencing new table as new_rows
  for each statement execute function private.incident_rollup_apply();

create trigger incidents_rollup_update after update on public.incidents
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.incident_rollup_apply();

create trigger incidents_rollup_delete after delete on public.incidents
  referencing old table as old_rows
  for each statement execute function private.incident_rollup_apply();

create trigger incidents_rollup_truncate after truncate on public.incidents
  for each statement execute function private.incident_rollup_clear();

-- Whether the summary can answer for this caller and filter: no viewport, an area that is a
-- governorate or district (sub-districts are not kept), and a caller who is not field staff
-- (their own unverified reports are not in what the summary's policies let them read).
create function public.incident_rollup_usable(p_area text[], p_west double precision default null)
returns boolean
language sql stable
set search_path = public, pg_temp
as $$
  select p_west is null
     and not coalesce((select public.has_app_role('field')), false)
     and (p_area is null or not exists (select 1 from public.areas a where a.pcode = any (p_area) and a.level >= 3))
$$;

-- Incident reporting: report, edit, verify, review, search, find duplicates and merge them.
--
-- Every function here is SECURITY INVOKER unless it says otherwise: it runs as the caller, so
-- the incidents policies of 20261122000400 decide what each role may read and write, and the
-- audit trigger records every change with the caller's id. The functions add what a policy
-- cannot express: validation with messages that name the field, the verification workflow's
-- allowed transitions, and placement in the admin areas.

-- ---------------------------------------------------------------------------------------------
-- Full-text search of what people write about an incident: the description, the place, the
-- source and the sub-event type. 'english' stems English words (attacks → attack) and keeps
-- Arabic and Kurdish words whole, which still finds them by exact word.
--
-- Why an expression index and not a stored generated column: every existing incident function
-- serialises the row with to_jsonb(i), so a tsvector column would be sent to every API client
-- and map popup. The index on the same immutable expression is used by the planner exactly as a
-- column's would be (incidents_list and the tests go through incident_document()).
create function public.incident_document(
  p_notes text, p_location text, p_source text, p_sub_event text
) returns tsvector
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select setweight(to_tsvector('english'::regconfig, coalesce(p_location, '') || ' ' || coalesce(p_sub_event, '')), 'A')
      || setweight(to_tsvector('english'::regconfig, coalesce(p_notes, '')), 'B')
      || setweight(to_tsvector('english'::regconfig, coalesce(p_source, '')), 'C')
$$;

create index incidents_search_idx on public.incidents
  using gin (public.incident_document(notes, location_name, source, sub_event_type));
-- No statistics on it: gathering them computed every sampled incident's document, half of an
-- ANALYZE, and the planner's fixed guess for a match planned searches as well or better
-- (20261231600000_search_index_statistics).
alter index public.incidents_search_idx alter column 1 set statistics 0;

-- ---------------------------------------------------------------------------------------------
-- Placement: the admin areas (governorate, district, sub-district) that contain a point. The
-- sub-district is looked up with area_at and the upper levels follow its parents, so the three
-- stay consistent; where no sub-district is near, each level is looked up on its own.
create function public.incident_areas(p_lon double precision, p_lat double precision)
returns table (admin1_pcode text, admin2_pcode text, admin3_pcode text)
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare a3 text; a2 text; a1 text;
begin
  a3 := public.area_at(p_lon, p_lat, 3);
  if a3 is not null then
    select parent_pcode into a2 from public.areas where pcode = a3;
  end if;
  if a2 is null then a2 := public.area_at(p_lon, p_lat, 2); end if;
  if a2 is not null then
    select parent_pcode into a1 from public.areas where pcode = a2;
  end if;
  if a1 is null then a1 := public.area_at(p_lon, p_lat, 1); end if;
  return query select a1, a2, a3;
end
$$;

-- An area named by P-code: where to put an incident that has no coordinates (a point inside the
-- area, not its centroid, which can fall outside a crescent-shaped district) and its P-codes.
create function public.area_anchor(p_pcode text)
returns table (lon double precision, lat double precision, level smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select st_x(st_pointonsurface(a.geom)), st_y(st_pointonsurface(a.geom)), a.level,
         case a.level when 1 then a.pcode when 2 then a.parent_pcode when 3 then p.parent_pcode end,
         case a.level when 2 then a.pcode when 3 then a.parent_pcode end,
         case a.level when 3 then a.pcode end
  from public.areas a
  left join public.areas p on p.pcode = a.parent_pcode
  where a.pcode = p_pcode
$$;

-- An actor by id, or by name (case-insensitive), added when it does not exist yet: the report
-- form lets field staff "pick existing or add". RLS decides who may add (field, analyst, admin).
create function public.incident_actor(p_id text, p_name text) returns uuid
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v uuid; n text := nullif(trim(coalesce(p_name, '')), '');
begin
  if nullif(p_id, '') is not null then
    select id into v from public.actors where id = p_id::uuid;
    if v is null then
      raise exception 'actor: no actor with id %', p_id using errcode = '22023';
    end if;
    return v;
  end if;
  if n is null then return null; end if;
  if length(n) > 200 then
    raise exception 'actor: a name has at most 200 characters' using errcode = '22023';
  end if;
  v := public.actor_by_name(n);
  if v is null then
    insert into public.actors (name) values (n) on conflict do nothing returning id into v;
    if v is null then v := public.actor_by_name(n); end if;
  end if;
  return v;
end
$$;

-- Actors for the report form's picker.
create function public.incident_actor_options(p_q text default null, p_limit integer default 20)
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'actor_type', actor_type) order by name), '[]'::jsonb)
  from (select id, name, actor_type from public.actors
        where p_q is null or p_q = '' or name ilike '%' || replace(replace(p_q, '%', '\%'), '_', '\_') || '%'
        order by name limit least(greatest(p_limit, 1), 100)) a
$$;

-- ---------------------------------------------------------------------------------------------
-- Validation shared by create and update. The client and the API validate with the same rules
-- first (src/lib/domain/incident-schema.ts) and show errors next to each field; this is the
-- last word for any caller, and each message starts with the field's name.
create function public.incident_check(p jsonb, p_partial boolean) returns void
language plpgsql immutable
set search_path = public, pg_temp
as $$
declare
  k text;
  allowed text[] := array['event_date', 'event_time', 'time_precision', 'event_type', 'sub_event_type',
    'actor1_id', 'actor1', 'actor2_id', 'actor2', 'lon', 'lat', 'admin_pcode', 'geo_precision',
    'location_name', 'fatalities', 'injuries', 'abductions', 'notes', 'source', 'source_scale',
    'affects_us', 'affects_ngos', 'serious', 'ops_impact', 'source_reliability', 'info_credibility',
    'confidentiality', 'status'];
begin
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'incident: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p) loop
    if not k = any (allowed) then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  if not p_partial then
    if nullif(p ->> 'event_date', '') is null then
      raise exception 'event_date: is required' using errcode = '22023';
    end if;
    if nullif(p ->> 'event_type', '') is null then
      raise exception 'event_type: is required' using errcode = '22023';
    end if;
    if (p ->> 'lon') is null and (p ->> 'lat') is null and nullif(p ->> 'admin_pcode', '') is null then
      raise exception 'location: give coordinates (lon, lat) or an admin area P-code' using errcode = '22023';
    end if;
  end if;
  if p ? 'event_date' then
    if coalesce(p ->> 'event_date', '') !~ '^\d{4}-\d{2}-\d{2}$' then
      raise exception 'event_date: expected YYYY-MM-DD' using errcode = '22023';
    end if;
    if (p ->> 'event_date')::date > current_date + 1 then
      raise exception 'event_date: must not be in the future' using errcode = '22023';
    end if;
    if (p ->> 'event_date')::date < date '1900-01-01' then
      raise exception 'event_date: must be after 1900' using errcode = '22023';
    end if;
  end if;
  if p ? 'event_type' and not coalesce(p ->> 'event_type', '') = any (array['battles',
      'violence_against_civilians', 'explosions_remote_violence', 'riots', 'protests', 'strategic_developments']) then
    raise exception 'event_type: unknown event type "%"', p ->> 'event_type' using errcode = '22023';
  end if;
  if (p ? 'lon') <> (p ? 'lat') then
    raise exception 'location: give both lon and lat' using errcode = '22023';
  end if;
  if p ? 'lon' and (jsonb_typeof(p -> 'lon') <> 'number' or (p ->> 'lon')::float8 not between -180 and 180) then
    raise exception 'lon: must be a number between -180 and 180' using errcode = '22023';
  end if;
  if p ? 'lat' and (jsonb_typeof(p -> 'lat') <> 'number' or (p ->> 'lat')::float8 not between -90 and 90) then
    raise exception 'lat: must be a number between -90 and 90' using errcode = '22023';
  end if;
  foreach k in array array['fatalities', 'injuries', 'abductions'] loop
    if p ? k and jsonb_typeof(p -> k) <> 'null'
       and (jsonb_typeof(p -> k) <> 'number' or (p ->> k)::numeric < 0 or (p ->> k)::numeric <> trunc((p ->> k)::numeric)
            or (p ->> k)::numeric > 1000000) then
      raise exception '%: must be a whole number, 0 or more', k using errcode = '22023';
    end if;
  end loop;
  if length(coalesce(p ->> 'notes', '')) > 20000 then
    raise exception 'notes: at most 20000 characters' using errcode = '22023';
  end if;
  if p ? 'status' and not coalesce(p ->> 'status', '') = any (array['reported', 'verified']) then
    raise exception 'status: a new incident is reported or verified; use the verification workflow for the rest'
      using errcode = '22023';
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Reporting an incident. p is the form's JSON (see incident_check for the fields). The reporter
-- is the caller; field staff always report with status 'reported', analysts and admins may
-- record an incident as verified directly. Without coordinates, an admin area's P-code places
-- the incident inside that area with geo_precision 3 (area precision).
-- Answer: {incident: incident_get(...), duplicates: incident_duplicates(...)} so the form can
-- say at once "this looks like incident X".
create function public.incident_create(
  p jsonb,
  p_dup_km double precision default 5,
  p_dup_days integer default 1
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_role text := public.current_app_role();
  v_id uuid;
  v_lon float8; v_lat float8; v_prec smallint;
  a1 text; a2 text; a3 text;
  anchor record;
begin
  if v_role is null or v_role not in ('admin', 'analyst', 'field') then
    raise exception 'only field staff, analysts and admins can report incidents' using errcode = '42501';
  end if;
  perform public.incident_check(p, false);
  if coalesce(p ->> 'status', 'reported') = 'verified' and v_role = 'field' then
    raise exception 'status: field reports start as reported; an analyst verifies them' using errcode = '42501';
  end if;

  v_prec := coalesce((p ->> 'geo_precision')::smallint, 1);
  if p ? 'lon' then
    v_lon := (p ->> 'lon')::float8;
    v_lat := (p ->> 'lat')::float8;
    select r.admin1_pcode, r.admin2_pcode, r.admin3_pcode into a1, a2, a3 from public.incident_areas(v_lon, v_lat) r;
  else
    select * into anchor from public.area_anchor(p ->> 'admin_pcode');
    if anchor.lon is null then
      raise exception 'admin_pcode: no area with P-code %', p ->> 'admin_pcode' using errcode = '22023';
    end if;
    v_lon := anchor.lon; v_lat := anchor.lat; v_prec := 3;
    a1 := anchor.admin1_pcode; a2 := anchor.admin2_pcode; a3 := anchor.admin3_pcode;
  end if;

  insert into public.incidents (
    event_date, event_time, time_precision, event_type, sub_event_type, actor1_id, actor2_id,
    admin1_pcode, admin2_pcode, admin3_pcode, location_name, geom, geo_precision, fatalities,
    injuries, abductions, notes, source, source_scale, affects_us, affects_ngos, serious,
    ops_impact, source_reliability, info_credibility, confidentiality, status, reported_by)
  values (
    (p ->> 'event_date')::date,
    nullif(p ->> 'event_time', '')::time,
    coalesce(nullif(p ->> 'time_precision', ''), case when nullif(p ->> 'event_time', '') is not null then 'exact' else 'day' end),
    p ->> 'event_type',
    nullif(trim(coalesce(p ->> 'sub_event_type', '')), ''),
    public.incident_actor(p ->> 'actor1_id', p ->> 'actor1'),
    public.incident_actor(p ->> 'actor2_id', p ->> 'actor2'),
    a1, a2, a3,
    nullif(trim(coalesce(p ->> 'location_name', '')), ''),
    st_setsrid(st_makepoint(v_lon, v_lat), 4326),
    v_prec,
    (p ->> 'fatalities')::int,  -- unknown stays NULL
    (p ->> 'injuries')::int,
    (p ->> 'abductions')::int,
    coalesce(p ->> 'notes', ''),
    nullif(trim(coalesce(p ->> 'source', '')), ''),
    nullif(trim(coalesce(p ->> 'source_scale', '')), ''),
    coalesce((p ->> 'affects_us')::boolean, false),
    coalesce((p ->> 'affects_ngos')::boolean, false),
    coalesce((p ->> 'serious')::boolean, false),
    nullif(p ->> 'ops_impact', ''),
    nullif(p ->> 'source_reliability', ''),
    (p ->> 'info_credibility')::smallint,
    coalesce(nullif(p ->> 'confidentiality', ''), 'internal'),
    coalesce(nullif(p ->> 'status', ''), 'reported'),
    (select auth.uid()))
  returning id into v_id;

  return jsonb_build_object(
    'incident', public.incident_get(v_id),
    'duplicates', public.incident_duplicates(v_id, p_dup_km, p_dup_days));
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Editing an incident (analysts and admins, as the update policy says). Only the fields present
-- in p change; moving the point re-places it in the admin areas. Status changes go through
-- incident_transition, so each one is a deliberate, recorded decision.
create function public.incident_update(p_id uuid, p jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  cur public.incidents;
  v_lon float8; v_lat float8; v_prec smallint;
  a1 text; a2 text; a3 text;
  anchor record;
  n integer;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can edit incidents' using errcode = '42501';
  end if;
  perform public.incident_check(p, true);
  if p ? 'status' then
    raise exception 'status: change it with incident_transition (verify, reject, archive)' using errcode = '22023';
  end if;
  select * into cur from public.incidents where id = p_id;
  if cur.id is null then
    raise exception 'no such incident, or not visible to you' using errcode = 'P0002';
  end if;

  v_lon := st_x(cur.geom); v_lat := st_y(cur.geom); v_prec := cur.geo_precision;
  a1 := cur.admin1_pcode; a2 := cur.admin2_pcode; a3 := cur.admin3_pcode;
  if p ? 'lon' then
    v_lon := (p ->> 'lon')::float8; v_lat := (p ->> 'lat')::float8;
    v_prec := coalesce((p ->> 'geo_precision')::smallint, 1);
    select r.admin1_pcode, r.admin2_pcode, r.admin3_pcode into a1, a2, a3 from public.incident_areas(v_lon, v_lat) r;
  elsif nullif(p ->> 'admin_pcode', '') is not null then
    select * into anchor from public.area_anchor(p ->> 'admin_pcode');
    if anchor.lon is null then
      raise exception 'admin_pcode: no area with P-code %', p ->> 'admin_pcode' using errcode = '22023';
    end if;
    v_lon := anchor.lon; v_lat := anchor.lat; v_prec := 3;
    a1 := anchor.admin1_pcode; a2 := anchor.admin2_pcode; a3 := anchor.admin3_pcode;
  elsif p ? 'geo_precision' then
    v_prec := (p ->> 'geo_precision')::smallint;
  end if;

  update public.incidents i set
    event_date = case when p ? 'event_date' then (p ->> 'event_date')::date else i.event_date end,
    event_time = case when p ? 'event_time' then nullif(p ->> 'event_time', '')::time else i.event_time end,
    time_precision = case when p ? 'time_precision' then coalesce(nullif(p ->> 'time_precision', ''), 'day') else i.time_precision end,
    event_type = case when p ? 'event_type' then p ->> 'event_type' else i.event_type end,
    sub_event_type = case when p ? 'sub_event_type' then nullif(trim(coalesce(p ->> 'sub_event_type', '')), '') else i.sub_event_type end,
    actor1_id = case when p ? 'actor1_id' or p ? 'actor1' then public.incident_actor(p ->> 'actor1_id', p ->> 'actor1') else i.actor1_id end,
    actor2_id = case when p ? 'actor2_id' or p ? 'actor2' then public.incident_actor(p ->> 'actor2_id', p ->> 'actor2') else i.actor2_id end,
    admin1_pcode = a1, admin2_pcode = a2, admin3_pcode = a3,
    geom = case when v_lon = st_x(i.geom) and v_lat = st_y(i.geom) then i.geom else st_setsrid(st_makepoint(v_lon, v_lat), 4326) end,
    geo_precision = v_prec,
    location_name = case when p ? 'location_name' then nullif(trim(coalesce(p ->> 'location_name', '')), '') else i.location_name end,
    fatalities = case when p ? 'fatalities' then (p ->> 'fatalities')::int else i.fatalities end,  -- unknown stays NULL
    injuries = case when p ? 'injuries' then (p ->> 'injuries')::int else i.injuries end,
    abductions = case when p ? 'abductions' then (p ->> 'abductions')::int else i.abductions end,
    notes = case when p ? 'notes' then coalesce(p ->> 'notes', '') else i.notes end,
    source = case when p ? 'source' then nullif(trim(coalesce(p ->> 'source', '')), '') else i.source end,
    source_scale = case when p ? 'source_scale' then nullif(trim(coalesce(p ->> 'source_scale', '')), '') else i.source_scale end,
    affects_us = case when p ? 'affects_us' then coalesce((p ->> 'affects_us')::boolean, false) else i.affects_us end,
    affects_ngos = case when p ? 'affects_ngos' then coalesce((p ->> 'affects_ngos')::boolean, false) else i.affects_ngos end,
    serious = case when p ? 'serious' then coalesce((p ->> 'serious')::boolean, false) else i.serious end,
    ops_impact = case when p ? 'ops_impact' then nullif(p ->> 'ops_impact', '') else i.ops_impact end,
    source_reliability = case when p ? 'source_reliability' then nullif(p ->> 'source_reliability', '') else i.source_reliability end,
    info_credibility = case when p ? 'info_credibility' then (p ->> 'info_credibility')::smallint else i.info_credibility end,
    confidentiality = case when p ? 'confidentiality' then coalesce(nullif(p ->> 'confidentiality', ''), 'internal') else i.confidentiality end,
    updated_at = now()
  where i.id = p_id;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'no such incident, or not yours to edit' using errcode = '42501';
  end if;
  return public.incident_get(p_id);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The verification workflow: reported → verified | rejected (a reason is required) → archived.
-- Analysts and admins only. The audit trigger records who moved it, when, from what to what.
create function public.incident_transition(p_id uuid, p_to text, p_reason text default null)
returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v_from text; v_reason text := nullif(trim(coalesce(p_reason, '')), '');
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can verify, reject or archive incidents' using errcode = '42501';
  end if;
  select status into v_from from public.incidents where id = p_id;
  if v_from is null then
    raise exception 'no such incident, or not visible to you' using errcode = 'P0002';
  end if;
  if not (v_from, p_to) in (('reported', 'verified'), ('reported', 'rejected'),
                             ('verified', 'archived'), ('rejected', 'archived')) then
    raise exception 'status: an incident that is % cannot become %', v_from, coalesce(p_to, 'nothing')
      using errcode = '22023';
  end if;
  if p_to = 'rejected' and v_reason is null then
    raise exception 'reason: say why the report is rejected' using errcode = '22023';
  end if;
  if length(coalesce(v_reason, '')) > 2000 then
    raise exception 'reason: at most 2000 characters' using errcode = '22023';
  end if;
  update public.incidents
     set status = p_to,
         status_reason = case when v_reason is not null then v_reason
                              when p_to = 'verified' then null else status_reason end,
         updated_at = now()
   where id = p_id;
  return public.incident_get(p_id);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Likely duplicates of an incident: same event type, within p_km kilometres and p_days days,
-- not itself, not already merged away. Distances on the spheroid through the geography index.
-- Only what the caller may see is compared (security invoker).
create function public.incident_duplicates(
  p_id uuid, p_km double precision default 5, p_days integer default 1, p_limit integer default 20
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with s as materialized (select public.caller_location_scope() as scope),
  x as (
    select i.id, i.event_type, i.event_date,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode, s.scope)::geography as g
    from public.incidents i, s where i.id = p_id
  ),
  o as (
    select o.*, public.incident_point_for_caller(o.geom, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope)::geography as g
    from public.incidents o, s, x
    where o.id <> x.id
      and o.event_type = x.event_type
      and o.merged_into is null
      and o.event_date between x.event_date - greatest(p_days, 0) and x.event_date + greatest(p_days, 0)
  )
  select coalesce(jsonb_agg(d order by d ->> 'distance_km', d ->> 'id'), '[]'::jsonb)
  from (
    select jsonb_build_object(
             'id', o.id, 'event_date', o.event_date, 'event_type', o.event_type,
             'status', o.status,
             'location_name', public.incident_place_for_caller(o.location_name, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope), 'source', o.source,
             'fatalities', o.fatalities, 'notes', left(o.notes, 200),
             'upstream_source', o.upstream_source,
             'distance_km', round((st_distance(o.g, x.g) / 1000)::numeric, 2),
             'days_apart', abs(o.event_date - x.event_date)) as d
    from x join o on st_dwithin(o.g, x.g, greatest(p_km, 0) * 1000) cross join s
    order by st_distance(o.g, x.g), o.id
    limit least(greatest(p_limit, 1), 100)
  ) t
$$;

-- The same check for an incident that is not stored yet (the import preview, the form before
-- it is sent).
create function public.incident_duplicates_near(
  p_event_type text, p_lon double precision, p_lat double precision, p_date date,
  p_km double precision default 5, p_days integer default 1, p_limit integer default 5
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with s as materialized (select public.caller_location_scope() as scope),
  o as (
    select o.*, public.incident_point_for_caller(o.geom, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope)::geography as g
    from public.incidents o, s
    where o.event_type = p_event_type and o.merged_into is null
      and o.event_date between p_date - greatest(p_days, 0) and p_date + greatest(p_days, 0)
  )
  select coalesce(jsonb_agg(d order by (d ->> 'distance_km')::numeric), '[]'::jsonb)
  from (
    select jsonb_build_object(
             'id', o.id, 'event_date', o.event_date, 'event_type', o.event_type, 'status', o.status,
             'location_name', public.incident_place_for_caller(o.location_name, o.geom_coarse, o.admin1_pcode, o.admin2_pcode, o.admin3_pcode, s.scope), 'source', o.source,
             'distance_km', round((st_distance(o.g, q.g) / 1000)::numeric, 2),
             'days_apart', abs(o.event_date - p_date)) as d
    from s, o, (select st_setsrid(st_makepoint(p_lon, p_lat), 4326)::geography as g) q
    where st_dwithin(o.g, q.g, greatest(p_km, 0) * 1000)
    order by st_distance(o.g, q.g)
    limit least(greatest(p_limit, 1), 50)
  ) t
$$;

-- ---------------------------------------------------------------------------------------------
-- Merging duplicates. The kept incident takes the other's sources and description (so both
-- sources stay on record); the other is archived with merged_into pointing at the kept one.
-- Before-images of both are kept here so an analyst can undo the merge (audit_log is readable by
-- admins only). Every change also goes through the audit trigger.
create table public.incident_merges (
  id            uuid primary key default gen_random_uuid(),
  kept_id       uuid not null references public.incidents (id),
  merged_id     uuid not null references public.incidents (id),
  kept_before   jsonb not null,
  merged_before jsonb not null,
  reason        text,
  merged_by     uuid default auth.uid(),
  merged_at     timestamptz not null default now(),
  undone_by     uuid,
  undone_at     timestamptz,
  check (kept_id <> merged_id)
);

create index incident_merges_kept_idx on public.incident_merges (kept_id);

create index incident_merges_merged_idx on public.incident_merges (merged_id);

alter table public.incident_merges enable row level security;

create policy "Analysts and admins can read merges" on public.incident_merges
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can merge" on public.incident_merges
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can undo merges" on public.incident_merges
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));

grant select, insert, update on public.incident_merges to authenticated;

create trigger incident_merges_audit after insert or update or delete on public.incident_merges
  for each row execute function private.audit_row();

create function public.incident_merge(p_keep uuid, p_merge uuid, p_reason text default null)
returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare k public.incidents; m public.incidents; v_merge uuid;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can merge incidents' using errcode = '42501';
  end if;
  if p_keep = p_merge then
    raise exception 'merge: an incident cannot be merged with itself' using errcode = '22023';
  end if;
  select * into k from public.incidents where id = p_keep for update;
  select * into m from public.incidents where id = p_merge for update;
  if k.id is null or m.id is null then
    raise exception 'no such incident, or not visible to you' using errcode = 'P0002';
  end if;
  if k.merged_into is not null or m.merged_into is not null then
    raise exception 'merge: one of these incidents was already merged into another' using errcode = '22023';
  end if;

  insert into public.incident_merges (kept_id, merged_id, kept_before, merged_before, reason)
  values (k.id, m.id,
          jsonb_build_object('source', k.source, 'notes', k.notes),
          jsonb_build_object('status', m.status, 'status_reason', m.status_reason, 'merged_into', m.merged_into),
          nullif(trim(coalesce(p_reason, '')), ''))
  returning id into v_merge;

  update public.incidents set
    source = case when m.source is null or m.source = k.source then k.source
                  when k.source is null then m.source
                  else k.source || '; ' || m.source end,
    notes = case when coalesce(m.notes, '') = '' or m.notes = k.notes then k.notes
                 else k.notes || E'\n\n— merged from ' || m.id || coalesce(' (' || m.source || ')', '') || E':\n' || m.notes end,
    updated_at = now()
  where id = k.id;
  update public.incidents set
    status = 'archived', merged_into = k.id,
    status_reason = 'merged into ' || k.id || coalesce(': ' || nullif(trim(coalesce(p_reason, '')), ''), ''),
    updated_at = now()
  where id = m.id;

  perform public.audit_record('merge', 'incidents',
    jsonb_build_object('merge_id', v_merge, 'kept_id', k.id, 'merged_id', m.id, 'reason', p_reason));
  return jsonb_build_object('merge_id', v_merge, 'incident', public.incident_get(k.id));
end
$$;

-- Undoing a merge puts back the kept incident's sources and description and the other's status,
-- provided neither was changed in those fields since (otherwise later work would be lost; the
-- analyst then edits by hand).
create function public.incident_unmerge(p_merge_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare g public.incident_merges; k public.incidents; m public.incidents;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can undo a merge' using errcode = '42501';
  end if;
  select * into g from public.incident_merges where id = p_merge_id for update;
  if g.id is null then
    raise exception 'no such merge' using errcode = 'P0002';
  end if;
  if g.undone_at is not null then
    raise exception 'merge: this merge was already undone' using errcode = '22023';
  end if;
  select * into k from public.incidents where id = g.kept_id for update;
  select * into m from public.incidents where id = g.merged_id for update;
  if m.merged_into is distinct from g.kept_id then
    raise exception 'merge: the merged incident was changed since; edit it by hand' using errcode = '22023';
  end if;

  update public.incidents set source = g.kept_before ->> 'source', notes = g.kept_before ->> 'notes', updated_at = now()
  where id = k.id;
  update public.incidents set
    status = g.merged_before ->> 'status', status_reason = g.merged_before ->> 'status_reason',
    merged_into = null, updated_at = now()
  where id = m.id;
  update public.incident_merges set undone_at = now(), undone_by = (select auth.uid()) where id = g.id;

  perform public.audit_record('unmerge', 'incidents',
    jsonb_build_object('merge_id', g.id, 'kept_id', g.kept_id, 'merged_id', g.merged_id));
  return jsonb_build_object('kept', public.incident_get(k.id), 'restored', public.incident_get(m.id));
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Which fields of an incident version a viewer or field user may see the values of, and which
-- are free text shown only while still current. Anything else is named, not shown.
create function private.history_plain_fields() returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select array['event_date', 'event_time', 'time_precision', 'event_type', 'sub_event_type',
               'fatalities', 'injuries', 'abductions', 'status', 'confidentiality', 'affects_us',
               'affects_ngos', 'serious', 'source_reliability', 'info_credibility', 'source_scale',
               'admin1_pcode', 'admin2_pcode', 'admin3_pcode', 'actor1_id', 'actor2_id']
$$;
create function private.history_text_fields() returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select array['notes', 'source', 'location_name', 'status_reason']
$$;
-- Bookkeeping columns that are not part of what an incident says.
create function private.history_internal_fields() returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select array['id', 'updated_at', 'created_at', 'reported_by', 'merged_into', 'upstream_source',
               'upstream_id', 'is_sample']
$$;

-- An incident's history from the audit log: who, when, what changed (before → after), including
-- transitions and merges. The audit log is readable by admins only, so this is SECURITY DEFINER
-- and first checks that the caller may see the incident. Inside a definer function RLS no longer
-- filters for the caller, so the check repeats the incidents read policies of 20261122000400
-- (tests/integration/incidents-workflow.test.ts proves history is visible exactly when
-- incident_get is, for every role).
--
-- Need-to-know (20261203120100_audit_need_to_know): analysts and admins see every earlier value
-- of every field with the editor's name and e-mail. Viewers and field staff see only the
-- versions they could read at the time (verified and not restricted; a field user also their
-- own edits), editors as their role (no id, name or e-mail), and values only for plain
-- structured fields; free text (notes, source, location name, reasons) only where it is still
-- the incident's current text, so text an analyst replaced never comes back through history;
-- the location never (its exact point is not theirs to see). Other fields are named with their
-- values withheld ("hidden": true).
create function public.incident_history(p_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, private, pg_temp
as $$
declare v_ok boolean; v_full boolean; v_own boolean; v_now jsonb; r jsonb;
begin
  select public.has_app_role('admin', 'analyst')
      or (i.status = 'verified' and i.confidentiality <> 'restricted' and public.has_app_role('field', 'viewer'))
      or (i.reported_by = auth.uid() and public.has_app_role('field')),
         to_jsonb(i)
    into v_ok, v_now
  from public.incidents i where i.id = p_id;
  if not coalesce(v_ok, false) then
    return null;
  end if;
  v_full := public.has_app_role('admin', 'analyst');
  v_own := public.has_app_role('field');

  if v_full then
    -- Analysts and admins: every version, every value, editors by name and e-mail (as before).
    with entries as (
      select l.id, l.at, l.action, l.actor_id, l.before, l.after, l.detail
      from public.audit_log l
      where l.table_name = 'incidents'
        and ((l.row_id = p_id::text and l.action in ('insert', 'update', 'delete'))
             or (l.action in ('merge', 'unmerge')
                 and (l.detail ->> 'kept_id' = p_id::text or l.detail ->> 'merged_id' = p_id::text)))
    ),
    shaped as (
      select e.id, e.at, e.action,
             jsonb_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name, 'role', u.role) as actor,
             e.detail,
             case when e.action = 'update' then (
               select coalesce(jsonb_agg(jsonb_build_object('field', k, 'before', e.before -> k, 'after', e.after -> k) order by k), '[]'::jsonb)
               from jsonb_object_keys(e.after) k
               where k not in ('updated_at', 'geo_cell') and (e.before -> k) is distinct from (e.after -> k))
             when e.action = 'insert' then (
               select coalesce(jsonb_agg(jsonb_build_object('field', k, 'before', null, 'after', e.after -> k) order by k), '[]'::jsonb)
               from jsonb_object_keys(e.after) k
               where k in ('status', 'event_type', 'event_date', 'confidentiality', 'upstream_source', 'upstream_id')
                 and jsonb_typeof(e.after -> k) <> 'null')
             else '[]'::jsonb end as changes
      from entries e
      left join public.app_users u on u.id = e.actor_id
    )
    select coalesce(jsonb_agg(jsonb_build_object(
             'id', s.id, 'at', s.at, 'action',
             case when s.action = 'update' and exists (select 1 from jsonb_array_elements(s.changes) c where c ->> 'field' = 'status')
                  then 'transition' else s.action end,
             'actor', s.actor, 'changes', s.changes, 'detail', s.detail) order by s.at, s.id), '[]'::jsonb)
      into r
    from shaped s
    where not (s.action = 'update' and s.changes = '[]'::jsonb);
    return r;
  end if;

  -- Viewers and field staff: only versions that were verified and not restricted, i.e. that they
  -- could read at the time, and a field user's own edits (their report as they wrote it);
  -- merges show through the row changes they made.
  with entries as (
    select l.id, l.at, l.action, l.actor_id, l.before, l.after,
           (l.before ->> 'status' = 'verified' and l.before ->> 'confidentiality' <> 'restricted') as before_ok
    from public.audit_log l
    where l.table_name = 'incidents' and l.row_id = p_id::text and l.action in ('insert', 'update')
      and ((l.after ->> 'status' = 'verified' and l.after ->> 'confidentiality' <> 'restricted')
           or (v_own and l.actor_id = (select auth.uid())))
  ),
  -- One value as this reader may see it: plain fields as they were, free text only while it is
  -- still the current text, nothing else.
  fields as (
    select e.id, k,
           (e.before -> k) is distinct from (e.after -> k) as changed,
           case when e.action = 'update' and e.before_ok
                     and (k = any (private.history_plain_fields())
                          or (k = any (private.history_text_fields()) and (e.before -> k) = (v_now -> k)))
                then e.before -> k end as before_v,
           case when k = any (private.history_plain_fields())
                     or (k = any (private.history_text_fields()) and (e.after -> k) = (v_now -> k))
                then e.after -> k end as after_v,
           not (k = any (private.history_plain_fields()) or k = any (private.history_text_fields())
                or k = 'geom') as internal_or_unknown
    from entries e, jsonb_object_keys(e.after) k
  ),
  shaped as (
    select e.id, e.at, e.action,
           jsonb_build_object('role', u.role) as actor,
           case when e.action = 'update' then (
             select coalesce(jsonb_agg(jsonb_build_object('field', f.k, 'before', f.before_v, 'after', f.after_v)
                      || case when (f.before_v is null and e.before -> f.k is not null and jsonb_typeof(e.before -> f.k) <> 'null')
                                or (f.after_v is null and e.after -> f.k is not null and jsonb_typeof(e.after -> f.k) <> 'null')
                              then '{"hidden": true}'::jsonb else '{}'::jsonb end
                      order by f.k), '[]'::jsonb)
             from fields f
             where f.id = e.id and f.changed and not f.internal_or_unknown)
           else (
             select coalesce(jsonb_agg(jsonb_build_object('field', f.k, 'before', null, 'after', f.after_v) order by f.k), '[]'::jsonb)
             from fields f
             where f.id = e.id and f.k in ('status', 'event_type', 'event_date') and f.after_v is not null
               and jsonb_typeof(f.after_v) <> 'null')
           end as changes
    from entries e
    left join public.app_users u on u.id = e.actor_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id, 'at', s.at, 'action',
           case when s.action = 'update' and exists (select 1 from jsonb_array_elements(s.changes) c where c ->> 'field' = 'status')
                then 'transition' else s.action end,
           'actor', s.actor, 'changes', s.changes, 'detail', null) order by s.at, s.id), '[]'::jsonb)
    into r
  from shaped s
  where not (s.action = 'update' and s.changes = '[]'::jsonb);
  return r;
end
$$;
revoke execute on function public.incident_history(uuid) from public, anon;
grant execute on function public.incident_history(uuid) to authenticated;

-- Merges an incident took part in, for the history panel's "undo merge" button.
create function public.incident_merges_of(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(to_jsonb(g) - 'kept_before' - 'merged_before' order by g.merged_at), '[]'::jsonb)
  from public.incident_merges g where g.kept_id = p_id or g.merged_id = p_id
$$;

-- ---------------------------------------------------------------------------------------------
-- The incident list: the map's filters (incidents_filtered), plus status and full-text search,
-- sorted by a whitelisted column, paged. Answer: {total, limit, offset, rows: [...]}.
-- p_q is a web-search style query ("car bomb" -police OR checkpoint).
create function public.incidents_list(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_q text default null, p_status text[] default null,
  p_sort text default 'event_date', p_dir text default 'desc',
  p_limit integer default 50, p_offset integer default 0,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_reliability text[] default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_q tsquery := case when nullif(trim(coalesce(p_q, '')), '') is not null
                      then websearch_to_tsquery('english'::regconfig, p_q) end;
  v_order text;
  v_total bigint;
  v_rows jsonb;
  v_dir text := case when lower(coalesce(p_dir, 'desc')) = 'asc' then 'asc' else 'desc' end;
  v_scope text[] := public.caller_location_scope();
  v_place geometry := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);
begin
  v_order := case coalesce(p_sort, 'event_date')
    when 'event_date' then format('f.event_date %s, f.id %s', v_dir, v_dir)
    when 'event_type' then format('f.event_type %s, f.event_date desc, f.id', v_dir)
    when 'fatalities' then format('f.fatalities %s, f.event_date desc, f.id', v_dir)
    when 'status' then format('f.status %s, f.event_date desc, f.id', v_dir)
    when 'location' then format('f.place %s nulls last, f.event_date desc, f.id', v_dir)
    when 'admin1' then format('r1.name_en %s nulls last, f.event_date desc, f.id', v_dir)
    when 'created_at' then format('f.created_at %s, f.id', v_dir)
    when 'updated_at' then format('f.updated_at %s, f.id', v_dir)
    when 'relevance' then format('rank %s, f.event_date desc, f.id', v_dir)
  end;
  if v_order is null then
    raise exception 'sort: unknown column "%"', p_sort using errcode = '22023';
  end if;
  if p_sort = 'relevance' and v_q is null then
    v_order := format('f.event_date %s, f.id %s', v_dir, v_dir);
  end if;

  select count(*) into v_total
  from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
         v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status, p_reliability, v_scope) f
  where (v_q is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ v_q)
    and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
          f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, v_scope, v_q);

  execute format($q$
    select coalesce(jsonb_agg(t.j order by t.n), '[]'::jsonb) from (
      select row_number() over (order by %1$s) as n, jsonb_build_object(
        'id', f.id, 'event_date', f.event_date, 'event_time', f.event_time,
        'time_precision', f.time_precision, 'event_type', f.event_type,
        'sub_event_type', f.sub_event_type, 'status', f.status, 'confidentiality', f.confidentiality,
        'location_name', f.place, 'admin1_pcode', f.admin1_pcode, 'admin1_name', r1.name_en,
        'admin1_name_ar', r1.name_ar, 'admin2_pcode', f.admin2_pcode, 'admin2_name', r2.name_en,
        'fatalities', f.fatalities, 'injuries', f.injuries, 'abductions', f.abductions,
        'serious', f.serious, 'affects_us', f.affects_us, 'affects_ngos', f.affects_ngos,
        'source', f.source, 'merged_into', f.merged_into,
        'lon', round(st_x(f.pt)::numeric, 6), 'lat', round(st_y(f.pt)::numeric, 6),
        'geo_precision', case when f.fuzzed then 3 else f.geo_precision end,
        'location_fuzzed', f.fuzzed, 'sensitive_location', f.sensitive_location,
        'actor1', a1.name, 'actor2', a2.name,
        'snippet', case when $9 is not null
                        then ts_headline('english', f.notes, $9, 'MaxWords=30, MinWords=10, StartSel=«, StopSel=»')
                        else left(f.notes, 200) end,
        'updated_at', f.updated_at) as j
      from (
        select f.*, case when $9 is not null
                         then ts_rank(public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type), $9)
                         else 0 end as rank,
               public.incident_location_fuzzed(f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as fuzzed,
               public.incident_point_for_caller(f.geom, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as pt,
               public.incident_place_for_caller(f.location_name, f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13) as place
        from public.incidents_refined($1, $2, $3, $4, $5, $6, $7, $8, $14, $15, $16,
               $17, $18, $19, $10, $20, $13) f
        where ($9 is null or public.incident_document(f.notes, f.location_name, f.source, f.sub_event_type) @@ $9)
          and public.incident_search_visible(f.notes, f.location_name, f.source, f.sub_event_type,
                f.geom_coarse, f.admin1_pcode, f.admin2_pcode, f.admin3_pcode, $13, $9)
      ) f
      left join public.areas r1 on r1.pcode = f.admin1_pcode
      left join public.areas r2 on r2.pcode = f.admin2_pcode
      left join public.actors a1 on a1.id = f.actor1_id
      left join public.actors a2 on a2.id = f.actor2_id
      order by %1$s
      limit $11 offset $12
    ) t$q$, v_order)
    into v_rows
    using p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north, v_q, p_status,
          least(greatest(coalesce(p_limit, 50), 1), 1000), greatest(coalesce(p_offset, 0), 0), v_scope,
          v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_reliability;

  -- Restricted rows read through a list are on record: one row per request, not one per incident.
  perform public.incidents_note_restricted_read(v_rows, 'incidents_list');

  return jsonb_build_object('total', v_total, 'limit', least(greatest(coalesce(p_limit, 50), 1), 1000),
                            'offset', greatest(coalesce(p_offset, 0), 0), 'rows', v_rows);
end
$$;

