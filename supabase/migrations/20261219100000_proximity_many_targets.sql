-- Proximity around many targets (issue 16, B3). "Every incident within 10 km of our 86 health
-- facilities over a year" took 4.2 s at 807k incidents, over ten years 45 s: every incident of
-- the dates was box-tested against every target (87k × 86), each (target, incident) pair carried
-- the whole row through two sorts that spilled to disk, the caller's point of an incident was
-- worked out once per pair, and each pair's distance twice (ST_DWithin, then ST_Distance).
--
-- Now:
--   * the targets and their boxes are gathered first, so the box around them all is made of
--     constants the planner can weigh: with several targets whose boxes cover at least 2 % of
--     it, one read of the incidents inside it (by the date index or the (lat, lon) btree,
--     whichever narrows it most); else one read per target's box as before (one target, or a few
--     far apart);
--   * each incident's point (and its geography) is worked out once;
--   * an incident meets only the targets of its cell, in a grid whose cells are as large as the
--     largest box (a hash join, at most 2 × 2 cells per target);
--   * a pair's distance is worked out once, and an incident is in when that distance (the one the
--     answer shows) is within the limit;
--   * the pairs are narrow rows, sorted in memory (work_mem 64 MB for this function), and what
--     the answer shows of an incident is read, by id, for the listed ones only (at most p_limit).
-- The answer is byte for byte the same (md5 of the jsonb as an analyst at 807k incidents, for a
-- point, a line, one site, and all health facilities, camps, checkpoints and our sites at 2 to
-- 50 km over 30 days to 30 years); all 86 health facilities at 10 km over a year 4.2 → 2.4 s,
-- over ten years 45 → 13 s.
--
--   incidents_proximity      (was 20261218100000)

create or replace function public.incidents_proximity(
  p_km double precision,
  p_days integer default 30,
  p_as_of date default null,
  p_site_kind text default null,
  p_site_id uuid default null,
  p_geometry jsonb default null,
  p_types text[] default null,
  p_limit integer default 500
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
set plan_cache_mode = force_custom_plan
set work_mem = '64MB'
as $$
declare
  v_to date := coalesce(p_as_of, current_date);
  v_from date;
  v_m double precision;
  v_geom geometry;
  v jsonb;
  v_scope text[] := public.caller_location_scope();
  v_exact boolean := v_scope is null;
  v_field boolean := coalesce(cardinality(v_scope), 0) > 0;
  -- the targets, each with its box (the circle's bounding box), and the box around them all
  t_kind text[]; t_id uuid[]; t_name text[]; t_geom geometry[];
  t_x0 float8[]; t_x1 float8[]; t_y0 float8[]; t_y1 float8[];
  u_x0 float8; u_x1 float8; u_y0 float8; u_y1 float8;
  v_sx float8; v_sy float8;
  v_whole boolean;
begin
  if p_km is null or not (p_km > 0 and p_km <= 200) then
    raise exception 'km: must be more than 0 and at most 200' using errcode = '22023';
  end if;
  if p_days is null or p_days not between 1 and 36600 then
    raise exception 'days: must be between 1 and 36600' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 0 and 10000 then
    raise exception 'limit: must be between 0 and 10000' using errcode = '22023';
  end if;
  if (p_site_kind is null) = (p_geometry is null) then
    raise exception 'site_kind: give either site_kind (with an optional site_id) or geometry' using errcode = '22023';
  end if;
  if p_site_kind is not null and p_site_kind not in ('org_sites', 'health_facilities', 'idp_camps', 'checkpoints') then
    raise exception 'site_kind: unknown value "%"; use org_sites, health_facilities, idp_camps or checkpoints', p_site_kind
      using errcode = '22023';
  end if;
  if p_site_id is not null and p_site_kind is null then
    raise exception 'site_kind: is required with site_id' using errcode = '22023';
  end if;
  v_from := v_to - (p_days - 1);
  v_m := p_km * 1000;
  if p_geometry is not null then
    v_geom := public.proximity_geometry(p_geometry);
  end if;

  if p_site_id is not null and not exists (
       select 1 from public.org_sites where p_site_kind = 'org_sites' and id = p_site_id
       union all select 1 from public.health_facilities where p_site_kind = 'health_facilities' and id = p_site_id
       union all select 1 from public.idp_camps where p_site_kind = 'idp_camps' and id = p_site_id
       union all select 1 from public.checkpoints where p_site_kind = 'checkpoints' and id = p_site_id) then
    raise exception 'site_id: no % with id %', replace(p_site_kind, '_', ' '), p_site_id using errcode = 'P0002';
  end if;

  with raw_targets as (
    select 'geometry'::text as kind, null::uuid as id, null::text as name, v_geom as geom
    where v_geom is not null
    union all
    select 'org_sites', s.id, s.name, s.geom::geometry from public.org_sites s
    where p_site_kind = 'org_sites' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'health_facilities', s.id, s.name, s.geom::geometry from public.health_facilities s
    where p_site_kind = 'health_facilities' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'idp_camps', s.id, s.name, s.geom::geometry from public.idp_camps s
    where p_site_kind = 'idp_camps' and (p_site_id is null or s.id = p_site_id)
    union all
    select 'checkpoints', s.id, s.name, s.geom::geometry from public.checkpoints s
    where p_site_kind = 'checkpoints' and (p_site_id is null or s.id = p_site_id)
  ),
  boxed as (
    select r.kind, r.id, r.name, r.geom,
           -- the target's box grown by the distance: dx in degrees of longitude (shortest at the
           -- box's latitude nearest a pole), dy in degrees of latitude (≥ 110.574 km), +1 %
           st_expand(r.geom,
                     v_m / (111320.0 * greatest(cos(radians(least(89.0, greatest(abs(st_ymin(r.geom)), abs(st_ymax(r.geom))) + v_m / 110574.0))), 0.01)) * 1.01,
                     v_m / 110574.0 * 1.01) as box
    from raw_targets r
  )
  select array_agg(kind), array_agg(id), array_agg(name), array_agg(geom),
         array_agg(st_xmin(box)), array_agg(st_xmax(box)), array_agg(st_ymin(box)), array_agg(st_ymax(box)),
         min(st_xmin(box)), max(st_xmax(box)), min(st_ymin(box)), max(st_ymax(box)),
         max(st_xmax(box) - st_xmin(box)), max(st_ymax(box) - st_ymin(box)),
         -- several targets, whose boxes cover at least 2 % of the box around them all
         count(*) > 1 and sum(st_area(box)) >= 0.02 * st_area(st_extent(box)::geometry)
    into t_kind, t_id, t_name, t_geom, t_x0, t_x1, t_y0, t_y1, u_x0, u_x1, u_y0, u_y1, v_sx, v_sy, v_whole
  from boxed;

  with targets as materialized (
    select t.kind, t.id, t.name, t.geom::geography as geog, t.x0, t.x1, t.y0, t.y1, t.n
    from unnest(t_kind, t_id, t_name, t_geom, t_x0, t_x1, t_y0, t_y1) with ordinality
           t(kind, id, name, geom, x0, x1, y0, y1, n)
  ),
  target_cells as materialized (
    -- Each target's box in a grid of cells at least as large as every box, so on at most 2 × 2
    -- cells (its corners'): an incident meets only the targets of its own cell (a hash join),
    -- instead of every incident being box-tested against every target (87k × 86 for a year
    -- around all health facilities at 807k incidents).
    select distinct t.n, floor(x / v_sx)::bigint as cx, floor(y / v_sy)::bigint as cy
    from targets t, lateral (values (t.x0, t.y0), (t.x0, t.y1), (t.x1, t.y0), (t.x1, t.y1)) c (x, y)
  ),
  inc as materialized (
    -- The incidents that may be near a target, read once through the shared filter (dates,
    -- types, RLS; inlined, so its conditions meet the indexes), with the point the caller sees.
    -- Under RLS the GiST indexes cannot serve ST_DWithin or && (not leakproof); the box tests on
    -- plain float8 columns are leakproof and answered by their btree. Either branch runs (v_whole
    -- is a constant in this custom plan, as are the u_ edges of the box around all targets):
    --   the box around all targets, when there are several and their boxes cover much of it
    --     (sites all over the country: one read, by the date index when dates narrow it most);
    --   each target's own box, its edges read from the targets (one target, or a few far apart).
    --     The planner then estimates the box generically and ANDs the (lat, lon) btree with the
    --     date index; given one small box as constants, it took the box for a handful of rows and
    --     read it for all dates (Basra, a year: 12,792 rows fetched for 1,408).
    select p.*, p.pt::geography as g, floor(st_x(p.pt) / v_sx)::bigint as cx, floor(st_y(p.pt) / v_sy)::bigint as cy
    from (
      select i.id, public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                                    i.admin3_pcode, v_scope) as pt,
             i.event_date, i.fatalities
      from (
        select i.id, i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
               i.event_date, i.fatalities
        from public.incidents_filtered(v_from, v_to, p_types, null) i
        where v_whole
          and ((v_exact and i.lat between u_y0 and u_y1 and i.lon between u_x0 and u_x1)
               or (not v_exact and i.lat_coarse between u_y0 and u_y1 and i.lon_coarse between u_x0 and u_x1)
               or (v_field and i.geom_coarse is not null and i.lat between u_y0 and u_y1 and i.lon between u_x0 and u_x1))
        union all
        select distinct on (i.id) i.id, i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
               i.event_date, i.fatalities
        from targets t
        join public.incidents_filtered(v_from, v_to, p_types, null) i
          on (v_exact and i.lat between t.y0 and t.y1 and i.lon between t.x0 and t.x1)
          or (not v_exact and i.lat_coarse between t.y0 and t.y1 and i.lon_coarse between t.x0 and t.x1)
          or (v_field and i.geom_coarse is not null and i.lat between t.y0 and t.y1 and i.lon between t.x0 and t.x1)
        where not v_whole
      ) i
    ) p
  ),
  counted as materialized (
    -- every (target, incident) within the distance of the point the caller sees, in narrow rows;
    -- the distance is worked out once (OFFSET 0 keeps the planner from computing it again in
    -- the filter), and a pair counts when the distance the answer shows is within the limit
    select * from (
      select t.n, t.id as target_id, c.id as incident_id, c.fatalities, c.event_date,
             st_distance(c.g, t.geog) as d
      from inc c
      join target_cells tc on tc.cx = c.cx and tc.cy = c.cy
      join targets t on t.n = tc.n
      where st_x(c.pt) between t.x0 and t.x1 and st_y(c.pt) between t.y0 and t.y1
      offset 0
    ) p
    where p.d <= v_m
  ),
  nearest as materialized (
    select distinct on (incident_id) * from counted order by incident_id, d, target_id
  ),
  per_target as (
    select t.kind, t.id, t.name, coalesce(c.cnt, 0) as n, coalesce(c.fat, 0) as fat
    from targets t
    left join (select n, count(*) as cnt, sum(fatalities) as fat from counted group by n) c on c.n = t.n
  ),
  listed as (
    -- what the answer shows of the listed incidents (at most p_limit), read again by id: joined
    -- to inc instead, a misestimated inc (a few rows expected, 1,408 found around Basra) made a
    -- nested loop of it, 500 × 1,408 comparisons; by the primary key it is 500 index probes
    select l.d, l.target_id, t.kind, t.name, i.id, i.event_date, i.event_type, i.fatalities,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                            i.admin3_pcode, v_scope) as pt,
           public.incident_place_for_caller(i.location_name, i.geom_coarse, i.admin1_pcode, i.admin2_pcode,
                                            i.admin3_pcode, v_scope) as place
    from (select * from nearest order by d, event_date desc, incident_id limit p_limit) l
    join public.incidents i on i.id = l.incident_id
    join targets t on t.n = l.n
  )
  select jsonb_build_object(
    'km', p_km, 'days', p_days, 'from', v_from, 'to', v_to,
    'total', (select count(*) from nearest),
    'fatalities', coalesce((select sum(fatalities) from nearest), 0),
    'targets', coalesce((select jsonb_agg(jsonb_build_object('kind', kind, 'id', id, 'name', name, 'n', n, 'fatalities', fat)
                           order by n desc, name) from per_target), '[]'::jsonb),
    'incidents', coalesce((select jsonb_agg(jsonb_build_object(
        'id', id, 'event_date', event_date, 'event_type', event_type, 'fatalities', fatalities,
        'location_name', place,
        'lon', round(st_x(pt)::numeric, 5), 'lat', round(st_y(pt)::numeric, 5),
        'distance_m', round(d::numeric), 'nearest_kind', kind, 'nearest_id', target_id, 'nearest_name', name)
      order by d, event_date desc, id) from listed), '[]'::jsonb))
  into v;
  return v;
end
$$;

