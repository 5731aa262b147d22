set check_function_bodies = off;

-- Seed loaders: how the public demo data (COD-AB areas, UCDP GED incidents, OpenStreetMap
-- hospitals, UNHCR camps), the hand-made samples and synthetic load-test incidents get into the
-- tables. supabase/seed/README.md says where each file comes from and how UCDP maps to incidents.
--
-- The TypeScript side (src/lib/server/seed) only parses files and maps each upstream record to a
-- row; everything that touches the tables happens here:
--   * rows arrive as one jsonb array per call (at most a few thousand) and are expanded with
--     jsonb_array_elements / jsonb_to_record, so a batch is one INSERT, not a round trip per row;
--   * the admin areas (admin1–3 P-codes) of every incident and site are found here by
--     point-in-polygon against the COD-AB polygons, never taken from an upstream's own place
--     names: UCDP spells governorates differently from COD-AB and leaves adm_1 empty for ~400
--     events;
--   * rows carry their upstream id and (upstream_source, upstream_id) is unique, so loading the
--     same file twice updates what changed instead of duplicating;
--   * the row audit trigger is off for the loader's own work — thousands of audit rows, each a
--     copy of a public record, would drown the real trail — and one summary row (action 'seed')
--     per call records what was loaded, from which source, by whom.
-- Only the Terrain server (claims role service_role) may call them.

-- ---------------------------------------------------------------------------------------------
-- Placement: which sub-district (and so district and governorate) each point of a batch lies in.
--
-- p_rows is the loader's own jsonb array; each element needs lon, lat and may say admin_depth, the
-- deepest level its location supports (3 = exact enough for a sub-district, 1 = only the
-- governorate is known, 0 = no governorate: a country-wide or "northern Iraq" location that an
-- upstream put at some centre point). Areas deeper than that stay NULL, so an event located only
-- as "Iraq" is not counted in whichever governorate holds the country's centroid.
--
-- Set-based: one statement joins all points of the batch to the level-3 polygons (GiST index on
-- areas.geom). Only the sub-district is looked up; district and governorate follow its parent
-- P-codes, which keeps the three levels consistent even on a border simplified differently at
-- each level. A point in no polygon — a river or border simplified away, a camp just across a
-- line — takes the nearest sub-district within 10 km (measured on the spheroid) and is counted as
-- 'nearest'; farther than that it stays unplaced ('outside'). Points of depth 0 are not looked up
-- at all ('imprecise').
create function private.place_points(p_rows jsonb)
returns table (ord bigint, admin1_pcode text, admin2_pcode text, admin3_pcode text, placed_by text)
language sql stable
set search_path = public, private, extensions, pg_temp
as $$
  with pts as (
    select e.ord,
           st_setsrid(st_makepoint((e.v ->> 'lon')::float8, (e.v ->> 'lat')::float8), 4326) as g,
           coalesce((e.v ->> 'admin_depth')::int, 3) as depth
    from jsonb_array_elements(p_rows) with ordinality as e(v, ord)
    where (select private.require_service())
  ),
  hit as (
    select p.ord, p.depth,
           coalesce(inside.pcode, near.pcode) as a3,
           case when p.depth < 1 then 'imprecise'
                when inside.pcode is not null then 'inside'
                when near.pcode is not null then 'nearest'
                else 'outside' end as placed_by
    from pts p
    left join lateral (
      select a.pcode from public.areas a
      where p.depth >= 1 and a.level = 3 and st_intersects(a.geom, p.g)
      order by a.pcode limit 1            -- a point on a shared edge: pick one, deterministically
    ) inside on true
    left join lateral (
      -- The degree box (0.2° ≥ 17 km at Iraq's latitudes) lets the GiST index find candidates;
      -- the geography distance then applies the real 10 km limit.
      select a.pcode from public.areas a
      where inside.pcode is null and p.depth >= 1 and a.level = 3
        and st_dwithin(a.geom, p.g, 0.2)
        and st_dwithin(a.geom::geography, p.g::geography, 10000)
      order by st_distance(a.geom::geography, p.g::geography), a.pcode
      limit 1
    ) near on true
  )
  select h.ord,
         case when h.depth >= 1 then r1.pcode end,
         case when h.depth >= 2 then r2.pcode end,
         case when h.depth >= 3 then r3.pcode end,
         h.placed_by
  from hit h
  left join public.areas r3 on r3.pcode = h.a3
  left join public.areas r2 on r2.pcode = r3.parent_pcode
  left join public.areas r1 on r1.pcode = r2.parent_pcode
$$;

-- What a batch's placement looked like, for the loader's answer and its audit row.
create function private.placement_summary(p_rows jsonb) returns jsonb
language sql stable
set search_path = public, private, extensions, pg_temp
as $$
  select jsonb_build_object(
    'placed_inside', count(*) filter (where placed_by = 'inside'),
    'placed_nearest', count(*) filter (where placed_by = 'nearest'),
    'outside', count(*) filter (where placed_by = 'outside'),
    'imprecise', count(*) filter (where placed_by = 'imprecise'),
    'without_admin1', count(*) filter (where admin1_pcode is null))
  from private.place_points(p_rows)
  where (select private.require_service())
$$;

-- Shared by every loader: the batch is a jsonb array, the source a plain name; the audit row
-- trigger pauses for this transaction (seed_begin writes a row in private.audit_pause, which app
-- roles cannot see) and seed_end lifts the pause and writes one summary row
-- (20261203120000_audit_chain). The returned text is what seed_end needs to restore: 'paused'
-- when this call paused auditing, '' when the transaction was already paused by an enclosing
-- loader.
create function private.seed_begin(p_rows jsonb, p_source text) returns text
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception 'rows must be a JSON array' using errcode = '22023';
  end if;
  if p_source is null or p_source !~ '^[a-z0-9][a-z0-9._-]*$' then
    raise exception 'source must be a short lower-case name such as ucdp-ged (got %)', p_source
      using errcode = '22023';
  end if;
  if private.audit_paused() then
    return '';
  end if;
  insert into private.audit_pause (xid) values (txid_current());
  return 'paused';
end
$$;

create function private.seed_end(p_prev text, p_table text, p_source text, p_stats jsonb) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  if p_prev = 'paused' then
    delete from private.audit_pause where xid = txid_current();
  end if;
  insert into public.audit_log (actor_id, action, table_name, detail)
  values ((select auth.uid()), 'seed', p_table,
          jsonb_build_object('rows', p_stats -> 'rows', 'source', p_source) || p_stats);
  return p_stats || jsonb_build_object('table', p_table, 'source', p_source);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Areas: COD-AB units. Each element: {pcode, level, name_en, name_ar, parent_pcode, geometry}
-- where geometry is a GeoJSON Polygon or MultiPolygon. Parents may come in the same batch (the
-- foreign key is checked at the end of the statement). The 2019 COD-AB polygons are all valid;
-- a future edition that is not gets ST_MakeValid, so point-in-polygon answers on every engine.
create function private.load_areas(p_rows jsonb, p_source text default 'cod-ab')
returns jsonb
language plpgsql volatile
set search_path = public, private, extensions, pg_temp
as $$
declare v_prev text; v_stats jsonb;
begin
  perform private.require_service();
  v_prev := private.seed_begin(p_rows, p_source);

  with src as (
    select r.pcode, r.level, r.name_en, nullif(r.name_ar, '') as name_ar,
           nullif(r.parent_pcode, '') as parent_pcode,
           st_setsrid(st_geomfromgeojson(r.geometry::text), 4326) as g
    from jsonb_to_recordset(p_rows) as r(pcode text, level smallint, name_en text, name_ar text,
                                         parent_pcode text, geometry jsonb)
  ),
  up as (
    insert into public.areas as a (pcode, level, name_en, name_ar, parent_pcode, geom)
    select pcode, level, name_en, name_ar, parent_pcode,
           st_multi(st_collectionextract(case when st_isvalid(g) then g else st_makevalid(g) end, 3))
    from src
    on conflict (pcode) do update
      set level = excluded.level, name_en = excluded.name_en, name_ar = excluded.name_ar,
          parent_pcode = excluded.parent_pcode, geom = excluded.geom
      where (a.level, a.name_en, a.name_ar, a.parent_pcode, a.geom)
            is distinct from (excluded.level, excluded.name_en, excluded.name_ar, excluded.parent_pcode, excluded.geom)
    returning (xmax = 0) as inserted
  )
  select jsonb_build_object('rows', jsonb_array_length(p_rows),
                            'inserted', count(*) filter (where inserted),
                            'updated', count(*) filter (where not inserted))
    into v_stats from up;

  return private.seed_end(v_prev, 'areas', p_source, v_stats);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Actors named by upstream data. Each element: {name, actor_type, notes?}. Names are unique
-- case-insensitively; an actor that already exists is left as it is, because the team may have
-- typed or annotated it since.
create function private.load_actors(p_rows jsonb, p_source text)
returns jsonb
language plpgsql volatile
set search_path = public, private, extensions, pg_temp
as $$
declare v_prev text; v_stats jsonb;
begin
  perform private.require_service();
  v_prev := private.seed_begin(p_rows, p_source);

  with src as (
    select distinct on (lower(trim(r.name))) trim(r.name) as name,
           coalesce(r.actor_type, 'unknown') as actor_type, coalesce(r.notes, '') as notes
    from jsonb_to_recordset(p_rows) as r(name text, actor_type text, notes text)
    where trim(coalesce(r.name, '')) <> ''
    order by lower(trim(r.name))
  ),
  ins as (
    insert into public.actors (name, actor_type, notes, upstream_source)
    select name, actor_type, notes, p_source from src
    on conflict ((lower(name))) do nothing
    returning 1
  )
  select jsonb_build_object('rows', jsonb_array_length(p_rows), 'inserted', count(*),
                            'existing', (select count(*) from src) - count(*))
    into v_stats from ins;

  return private.seed_end(v_prev, 'actors', p_source, v_stats);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Incidents. Each element: {upstream_id, event_date, time_precision, event_type, sub_event_type,
-- actor1, actor2 (names, resolved against actors case-insensitively — load the actors first),
-- lon, lat, geo_precision, admin_depth, location_name, fatalities, notes, source, status,
-- confidentiality, is_sample, …} — see the column list below.
--
-- On a re-load, what the source says (date, type, actors, place, fatalities, notes) is refreshed;
-- what the team decided (verification status, confidentiality, the NGO lens, source grading) is
-- kept. Rows whose source facts did not change are not touched, so updated_at keeps meaning
-- "last changed".
create function private.load_incidents(p_rows jsonb, p_source text)
returns jsonb
language plpgsql volatile
set search_path = public, private, extensions, pg_temp
as $$
declare v_prev text; v_stats jsonb; v_unresolved bigint;
begin
  perform private.require_service();
  v_prev := private.seed_begin(p_rows, p_source);

  -- An actor name that matches nothing would silently drop the link; say so instead.
  select count(*) into v_unresolved
  from jsonb_array_elements(p_rows) as e(v), unnest(array[e.v ->> 'actor1', e.v ->> 'actor2']) as n(name)
  where coalesce(n.name, '') <> ''
    and not exists (select 1 from public.actors a where lower(a.name) = lower(n.name));
  if v_unresolved > 0 then
    raise exception '% actor name(s) in this batch are not in actors; load them first with private.load_actors', v_unresolved
      using errcode = '23503';
  end if;

  with src as (
    select e.ord, r.*
    from jsonb_array_elements(p_rows) with ordinality as e(v, ord)
    cross join lateral jsonb_to_record(e.v) as r(
      upstream_id text, event_date date, event_time time, time_precision text, event_type text,
      sub_event_type text, actor1 text, actor2 text, lon float8, lat float8, geo_precision smallint,
      location_name text, fatalities integer, injuries integer, abductions integer, notes text,
      source text, source_scale text, affects_us boolean, affects_ngos boolean, serious boolean,
      source_reliability text, info_credibility smallint, confidentiality text, status text,
      is_sample boolean)
  ),
  placed as materialized (select * from private.place_points(p_rows)),
  up as (
    insert into public.incidents as i (
      upstream_source, upstream_id, event_date, event_time, time_precision, event_type,
      sub_event_type, actor1_id, actor2_id, admin1_pcode, admin2_pcode, admin3_pcode,
      location_name, geom, geo_precision, fatalities, injuries, abductions, notes, source,
      source_scale, affects_us, affects_ngos, serious, source_reliability, info_credibility,
      confidentiality, status, is_sample)
    select p_source, s.upstream_id, s.event_date, s.event_time, coalesce(s.time_precision, 'day'),
           s.event_type, s.sub_event_type, a1.id, a2.id, p.admin1_pcode, p.admin2_pcode,
           p.admin3_pcode, s.location_name, st_setsrid(st_makepoint(s.lon, s.lat), 4326),
           coalesce(s.geo_precision, 1), coalesce(s.fatalities, 0), s.injuries, s.abductions,
           coalesce(s.notes, ''), s.source, s.source_scale, coalesce(s.affects_us, false),
           coalesce(s.affects_ngos, false), coalesce(s.serious, false), s.source_reliability,
           s.info_credibility, coalesce(s.confidentiality, 'internal'),
           coalesce(s.status, 'reported'), coalesce(s.is_sample, false)
    from src s
    join placed p on p.ord = s.ord
    left join public.actors a1 on lower(a1.name) = lower(s.actor1)
    left join public.actors a2 on lower(a2.name) = lower(s.actor2)
    on conflict (upstream_source, upstream_id) do update
      set event_date = excluded.event_date, event_time = excluded.event_time,
          time_precision = excluded.time_precision, event_type = excluded.event_type,
          sub_event_type = excluded.sub_event_type, actor1_id = excluded.actor1_id,
          actor2_id = excluded.actor2_id, admin1_pcode = excluded.admin1_pcode,
          admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode,
          location_name = excluded.location_name, geom = excluded.geom,
          geo_precision = excluded.geo_precision, fatalities = excluded.fatalities,
          injuries = excluded.injuries, abductions = excluded.abductions, notes = excluded.notes,
          source = excluded.source, source_scale = excluded.source_scale,
          is_sample = excluded.is_sample, updated_at = now()
      where (i.event_date, i.event_time, i.time_precision, i.event_type, i.sub_event_type,
             i.actor1_id, i.actor2_id, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
             i.location_name, i.geom, i.geo_precision, i.fatalities, i.injuries, i.abductions,
             i.notes, i.source, i.source_scale, i.is_sample)
            is distinct from
            (excluded.event_date, excluded.event_time, excluded.time_precision, excluded.event_type,
             excluded.sub_event_type, excluded.actor1_id, excluded.actor2_id, excluded.admin1_pcode,
             excluded.admin2_pcode, excluded.admin3_pcode, excluded.location_name, excluded.geom,
             excluded.geo_precision, excluded.fatalities, excluded.injuries, excluded.abductions,
             excluded.notes, excluded.source, excluded.source_scale, excluded.is_sample)
    returning (xmax = 0) as inserted
  )
  select jsonb_build_object(
           'rows', jsonb_array_length(p_rows),
           'inserted', count(*) filter (where inserted),
           'updated', count(*) filter (where not inserted),
           'unchanged', jsonb_array_length(p_rows) - count(*),
           'placed_inside', (select count(*) from placed where placed_by = 'inside'),
           'placed_nearest', (select count(*) from placed where placed_by = 'nearest'),
           'outside', (select count(*) from placed where placed_by = 'outside'),
           'imprecise', (select count(*) from placed where placed_by = 'imprecise'),
           'without_admin1', (select count(*) from placed where admin1_pcode is null))
    into v_stats from up;

  return private.seed_end(v_prev, 'incidents', p_source, v_stats);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Sites of one registry (p_kind: health_facilities, idp_camps, checkpoints, org_sites). Each
-- element: {upstream_id, name, lon, lat, notes, source, is_sample, …} plus the registry's own
-- fields (see each column list). One static INSERT per registry rather than dynamic SQL: the
-- registries differ in columns and the planner and reader both see plain statements.
--
-- As for incidents, a re-load refreshes what the source says and keeps what the team maintains:
-- whether we support a facility and its services, a checkpoint's status and last verification.
create function private.load_sites(p_kind text, p_rows jsonb, p_source text)
returns jsonb
language plpgsql volatile
set search_path = public, private, extensions, pg_temp
as $$
declare v_prev text; v_stats jsonb;
begin
  perform private.require_service();
  v_prev := private.seed_begin(p_rows, p_source);

  if p_kind = 'health_facilities' then
    with src as (
      select e.ord, r.* from jsonb_array_elements(p_rows) with ordinality as e(v, ord)
      cross join lateral jsonb_to_record(e.v) as r(upstream_id text, name text, name_ar text,
        facility_type text, services text[], supported boolean, lon float8, lat float8,
        notes text, source text, is_sample boolean)
    ),
    placed as materialized (select * from private.place_points(p_rows)),
    up as (
      insert into public.health_facilities as t (upstream_source, upstream_id, name, name_ar,
        facility_type, services, supported, admin1_pcode, admin2_pcode, admin3_pcode, geom, notes,
        source, is_sample)
      select p_source, s.upstream_id, s.name, s.name_ar, coalesce(s.facility_type, 'hospital'),
             coalesce(s.services, '{}'), coalesce(s.supported, false), p.admin1_pcode,
             p.admin2_pcode, p.admin3_pcode, st_setsrid(st_makepoint(s.lon, s.lat), 4326),
             coalesce(s.notes, ''), s.source, coalesce(s.is_sample, false)
      from src s join placed p on p.ord = s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, name_ar = excluded.name_ar, facility_type = excluded.facility_type,
            admin1_pcode = excluded.admin1_pcode, admin2_pcode = excluded.admin2_pcode,
            admin3_pcode = excluded.admin3_pcode, geom = excluded.geom, notes = excluded.notes,
            source = excluded.source, is_sample = excluded.is_sample, updated_at = now()
        where (t.name, t.name_ar, t.facility_type, t.admin1_pcode, t.admin2_pcode, t.admin3_pcode,
               t.geom, t.notes, t.source, t.is_sample)
              is distinct from
              (excluded.name, excluded.name_ar, excluded.facility_type, excluded.admin1_pcode,
               excluded.admin2_pcode, excluded.admin3_pcode, excluded.geom, excluded.notes,
               excluded.source, excluded.is_sample)
      returning (xmax = 0) as inserted
    )
    select jsonb_build_object('rows', jsonb_array_length(p_rows),
             'inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted),
             'unchanged', jsonb_array_length(p_rows) - count(*))
      into v_stats from up;

  elsif p_kind = 'idp_camps' then
    with src as (
      select e.ord, r.* from jsonb_array_elements(p_rows) with ordinality as e(v, ord)
      cross join lateral jsonb_to_record(e.v) as r(upstream_id text, name text, name_ar text,
        camp_type text, status text, population integer, households integer, managing_org text,
        population_date date, lon float8, lat float8, notes text, source text, is_sample boolean)
    ),
    placed as materialized (select * from private.place_points(p_rows)),
    up as (
      insert into public.idp_camps as t (upstream_source, upstream_id, name, name_ar, camp_type,
        status, population, households, managing_org, population_date, admin1_pcode, admin2_pcode,
        admin3_pcode, geom, notes, source, is_sample)
      select p_source, s.upstream_id, s.name, s.name_ar, coalesce(s.camp_type, 'idp'),
             coalesce(s.status, 'open'), s.population, s.households, s.managing_org,
             s.population_date, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode,
             st_setsrid(st_makepoint(s.lon, s.lat), 4326), coalesce(s.notes, ''), s.source,
             coalesce(s.is_sample, false)
      from src s join placed p on p.ord = s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, name_ar = excluded.name_ar, camp_type = excluded.camp_type,
            status = excluded.status, population = excluded.population,
            households = excluded.households, managing_org = excluded.managing_org,
            population_date = excluded.population_date, admin1_pcode = excluded.admin1_pcode,
            admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode,
            geom = excluded.geom, notes = excluded.notes, source = excluded.source,
            is_sample = excluded.is_sample, updated_at = now()
        where (t.name, t.name_ar, t.camp_type, t.status, t.population, t.households, t.managing_org,
               t.population_date, t.admin1_pcode, t.admin2_pcode, t.admin3_pcode, t.geom, t.notes,
               t.source, t.is_sample)
              is distinct from
              (excluded.name, excluded.name_ar, excluded.camp_type, excluded.status,
               excluded.population, excluded.households, excluded.managing_org,
               excluded.population_date, excluded.admin1_pcode, excluded.admin2_pcode,
               excluded.admin3_pcode, excluded.geom, excluded.notes, excluded.source,
               excluded.is_sample)
      returning (xmax = 0) as inserted
    )
    select jsonb_build_object('rows', jsonb_array_length(p_rows),
             'inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted),
             'unchanged', jsonb_array_length(p_rows) - count(*))
      into v_stats from up;

  elsif p_kind = 'checkpoints' then
    with src as (
      select e.ord, r.* from jsonb_array_elements(p_rows) with ordinality as e(v, ord)
      cross join lateral jsonb_to_record(e.v) as r(upstream_id text, name text, name_ar text,
        controlled_by text, status text, last_verified_at timestamptz, road text, lon float8,
        lat float8, notes text, source text, is_sample boolean)
    ),
    placed as materialized (select * from private.place_points(p_rows)),
    up as (
      insert into public.checkpoints as t (upstream_source, upstream_id, name, name_ar,
        controlling_actor_id, controlled_by, status, last_verified_at, road, admin1_pcode,
        admin2_pcode, admin3_pcode, geom, notes, source, is_sample)
      select p_source, s.upstream_id, s.name, s.name_ar, a.id, s.controlled_by,
             coalesce(s.status, 'open'), s.last_verified_at, s.road, p.admin1_pcode,
             p.admin2_pcode, p.admin3_pcode, st_setsrid(st_makepoint(s.lon, s.lat), 4326),
             coalesce(s.notes, ''), s.source, coalesce(s.is_sample, false)
      from src s join placed p on p.ord = s.ord
      -- The controlling force becomes a link when an actor of that name exists.
      left join public.actors a on lower(a.name) = lower(s.controlled_by)
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, name_ar = excluded.name_ar,
            controlling_actor_id = excluded.controlling_actor_id,
            controlled_by = excluded.controlled_by, road = excluded.road,
            admin1_pcode = excluded.admin1_pcode, admin2_pcode = excluded.admin2_pcode,
            admin3_pcode = excluded.admin3_pcode, geom = excluded.geom, notes = excluded.notes,
            source = excluded.source, is_sample = excluded.is_sample, updated_at = now()
        where (t.name, t.name_ar, t.controlling_actor_id, t.controlled_by, t.road, t.admin1_pcode,
               t.admin2_pcode, t.admin3_pcode, t.geom, t.notes, t.source, t.is_sample)
              is distinct from
              (excluded.name, excluded.name_ar, excluded.controlling_actor_id,
               excluded.controlled_by, excluded.road, excluded.admin1_pcode,
               excluded.admin2_pcode, excluded.admin3_pcode, excluded.geom, excluded.notes,
               excluded.source, excluded.is_sample)
      returning (xmax = 0) as inserted
    )
    select jsonb_build_object('rows', jsonb_array_length(p_rows),
             'inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted),
             'unchanged', jsonb_array_length(p_rows) - count(*))
      into v_stats from up;

  elsif p_kind = 'org_sites' then
    with src as (
      select e.ord, r.* from jsonb_array_elements(p_rows) with ordinality as e(v, ord)
      cross join lateral jsonb_to_record(e.v) as r(upstream_id text, name text, site_type text,
        lon float8, lat float8, notes text, source text, is_sample boolean)
    ),
    placed as materialized (select * from private.place_points(p_rows)),
    up as (
      insert into public.org_sites as t (upstream_source, upstream_id, name, site_type,
        admin1_pcode, admin2_pcode, admin3_pcode, geom, notes, source, is_sample)
      select p_source, s.upstream_id, s.name, s.site_type, p.admin1_pcode, p.admin2_pcode,
             p.admin3_pcode, st_setsrid(st_makepoint(s.lon, s.lat), 4326),
             coalesce(s.notes, ''), s.source, coalesce(s.is_sample, false)
      from src s join placed p on p.ord = s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, site_type = excluded.site_type,
            admin1_pcode = excluded.admin1_pcode, admin2_pcode = excluded.admin2_pcode,
            admin3_pcode = excluded.admin3_pcode, geom = excluded.geom, notes = excluded.notes,
            source = excluded.source, is_sample = excluded.is_sample, updated_at = now()
        where (t.name, t.site_type, t.admin1_pcode, t.admin2_pcode, t.admin3_pcode, t.geom,
               t.notes, t.source, t.is_sample)
              is distinct from
              (excluded.name, excluded.site_type, excluded.admin1_pcode, excluded.admin2_pcode,
               excluded.admin3_pcode, excluded.geom, excluded.notes, excluded.source,
               excluded.is_sample)
      returning (xmax = 0) as inserted
    )
    select jsonb_build_object('rows', jsonb_array_length(p_rows),
             'inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted),
             'unchanged', jsonb_array_length(p_rows) - count(*))
      into v_stats from up;

  else
    raise exception 'unknown site kind: % (expected health_facilities, idp_camps, checkpoints or org_sites)', p_kind
      using errcode = '22023';
  end if;

  return private.seed_end(v_prev, p_kind, p_source, v_stats || private.placement_summary(p_rows));
end
$$;

-- ---------------------------------------------------------------------------------------------
-- What is loaded, per table and per upstream source, so the CLI can tell whether the demo data
-- is there (and a partly finished load can be completed by running it again).
create function private.seed_status() returns jsonb
language plpgsql stable
set search_path = public, private, extensions, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  select jsonb_build_object(
    'areas', jsonb_build_object(
      'total', (select count(*) from public.areas),
      'by_level', (select coalesce(jsonb_object_agg(level, n), '{}'::jsonb)
                   from (select level, count(*) as n from public.areas group by level) t)),
    'actors', private.seed_counts('actors'),
    'incidents', private.seed_counts('incidents'),
    'health_facilities', private.seed_counts('health_facilities'),
    'idp_camps', private.seed_counts('idp_camps'),
    'checkpoints', private.seed_counts('checkpoints'),
    'org_sites', private.seed_counts('org_sites'))
  into r;
  return r;
end
$$;

-- {total, by_source} of one table that has an upstream_source column. The table name comes from
-- the fixed list in seed_status only; format %I quotes it regardless.
create function private.seed_counts(p_table text) returns jsonb
language plpgsql stable
set search_path = public, private, extensions, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  execute format(
    $q$select jsonb_build_object('total', coalesce(sum(n), 0),
                                 'by_source', coalesce(jsonb_object_agg(src, n), '{}'::jsonb))
       from (select coalesce(upstream_source, 'local') as src, count(*) as n
             from public.%I group by 1) t$q$, p_table)
    into r;
  return r;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Where synthetic incidents are put: the distinct exact locations of the loaded UCDP events with
-- how many events each had (so synthetic density follows real density), or, before any UCDP
-- data is loaded, a point inside each sub-district. Answer: [[lon, lat, weight], …].
create function private.seed_anchors() returns jsonb
language plpgsql stable
set search_path = public, private, extensions, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  select jsonb_agg(jsonb_build_array(round(st_x(g)::numeric, 5), round(st_y(g)::numeric, 5), n) order by n desc, st_x(g), st_y(g))
    into r
  from (select geom as g, count(*) as n from public.incidents
        where upstream_source = 'ucdp-ged' and geo_precision = 1 and admin1_pcode is not null
        group by geom) t;
  if r is null then
    select jsonb_agg(jsonb_build_array(round(st_x(g)::numeric, 5), round(st_y(g)::numeric, 5), 1) order by pcode)
      into r
    from (select pcode, st_pointonsurface(geom) as g from public.areas where level = 3) t;
  end if;
  if r is null then
    raise exception 'no areas loaded: run the demo seed first' using errcode = 'P0002';
  end if;
  return r;
end
$$;
