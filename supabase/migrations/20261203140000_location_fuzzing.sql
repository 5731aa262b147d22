-- Location fuzzing (issue #10, point 5): an incident can be marked "sensitive location" — by
-- default every incident that affects our own organisation (an attack on our Mosul office must
-- not be shown to every viewer at the office's door). Viewers, and field staff outside the
-- incident's area, then see it at a coarse point; analysts, admins and the field staff whose area
-- it is see the exact point.
--
-- The coarse point is deterministic and stored: the centre (ST_PointOnSurface) of the most
-- precise admin area the incident is placed in (sub-district, else district), or, where it is in
-- neither, the centre of a grid cell (10 km by default, private.location_fuzzing). A random
-- jitter would differ per query and could be averaged back; a stored point is the same on every
-- path and every call.
--
-- This migration holds the data and the rule; 20261203140100_location_fuzzing_emitters.sql makes
-- every function that emits or filters by an incident's coordinates follow it.

-- ---------------------------------------------------------------------------------------------
-- The grid used where an incident is in no sub-district or district. One row; admins change it
-- with public.location_fuzzing_set (which recomputes the grid-placed coarse points).
create table private.location_fuzzing (
  id       boolean primary key default true check (id),
  grid_km  double precision not null default 10 check (grid_km >= 1 and grid_km <= 200)
);
insert into private.location_fuzzing default values;
alter table private.location_fuzzing enable row level security;
-- No policy and no grant: only the security-definer functions below read or change it.

-- ---------------------------------------------------------------------------------------------
-- The columns.
--   sensitive_location  shown coarsely to readers outside the need-to-know; an insert that does
--                       not state it takes affects_us (the trigger below), and setting
--                       affects_us later turns it on unless the same update states it.
--   geom_coarse         the coarse point of a sensitive incident (NULL when not sensitive), kept
--                       by the trigger below; nobody writes it directly.
--   lon_coarse,         the point a reader without exact-location rights sees: the coarse point of
--   lat_coarse          a sensitive incident, the point itself otherwise. Generated, with their
--                       own btree, for the same reason lon/lat have one (20261122004100: PostGIS
--                       operators are not leakproof, so under RLS only float8 comparisons can use
--                       an index): viewports and proximity filter on these for such readers, so
--                       a tiny bounding box or radius around the exact point finds nothing.
alter table public.incidents
  add column sensitive_location boolean not null default false,
  add column geom_coarse geometry(Point, 4326);
-- No default from now on: NULL means "not stated", which the trigger turns into affects_us
-- (NOT NULL is checked after BEFORE triggers).
alter table public.incidents alter column sensitive_location drop default;
alter table public.incidents
  add column lon_coarse double precision generated always as (st_x(coalesce(geom_coarse, geom))) stored,
  add column lat_coarse double precision generated always as (st_y(coalesce(geom_coarse, geom))) stored;
create index incidents_lat_lon_coarse_idx on public.incidents (lat_coarse, lon_coarse);

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

-- What exists already: every incident that affects us becomes sensitive (the trigger computes
-- its coarse point). The others keep geom_coarse NULL, so this touches only those rows.
update public.incidents set sensitive_location = true where affects_us;

-- ---------------------------------------------------------------------------------------------
-- THE RULE. Every function that emits an incident's coordinates, or filters incidents by them,
-- must go through these two functions (20261203140100 lists the ones that do). How a new emitter
-- (vector tiles, a new export, a report) uses them:
--
--   1. Get the caller's scope ONCE per query: in PL/pgSQL `v_scope := public.caller_location_scope();`
--      in SQL `(select public.caller_location_scope())` (an init plan, evaluated once).
--   2. Emit `public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode,
--      i.admin2_pcode, i.admin3_pcode, v_scope)` instead of i.geom, and never i.geom, i.lon,
--      i.lat (nor to_jsonb(i) without removing them). Say
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
  'emit this instead of geom/lon/lat, with p_scope = public.caller_location_scope() computed once '
  'per query, and filter by place on lon/lat only when the scope is NULL, else on '
  'lon_coarse/lat_coarse. See 20261203140000_location_fuzzing.sql.';

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
