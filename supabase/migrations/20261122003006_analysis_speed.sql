-- Making the analysis functions fast enough for 100k–1M incidents (scripts/bench-analysis.ts).
-- Same answers as before (the integration tests did not change); what changed and why:
--
--  * baseline_classify and baseline_row lose their pinned search_path. They name only
--    built-in functions (pg_catalog is always searched first), and a SET clause stops
--    PostgreSQL from inlining a SQL function: called once per area, the GUC save/restore cost
--    ~0.7 ms a row — 0.3 s of the 0.33 s the baseline table took for 414 areas.
--  * The aggregations read the filtered incidents once: counts, dates covered and fatalities come
--    out of one grouping instead of a scan per figure (top actors took 0.8 s at 100k).
--  * Proximity takes its candidates from the date index and screens them with a box test before
--    the geodesic distance. Under row-level security PostgreSQL does not use the GiST indexes
--    for ST_DWithin or && (not leakproof: they must run after the policies), so the plan
--    "spatial index first" is not available to a signed-in caller; see the comment in the
--    function.
--  * jit = off for these functions: PostgreSQL's JIT compiles plans whose estimated cost is high
--    (the policies' OR-ed quals and ST_DWithin estimates make it so) and the compilation took
--    longer than the query — proximity at 100k incidents: 2.1 s with JIT, 0.23 s without. No
--    effect on PGlite, which has no JIT.

create or replace function public.baseline_classify(p_observed bigint, p_baseline bigint, p_weeks integer)
returns jsonb
language sql immutable
as $$
  select jsonb_build_object(
    'observed', p_observed,
    'expected', round(p_baseline * p_weeks / 52.0, 3),
    'change_pct', case when p_baseline * p_weeks = 0 then null
                       else round(((p_observed * 52 - p_baseline * p_weeks) * 100.0) / (p_baseline * p_weeks), 1) end,
    'trend', case when p_observed < 5 and p_baseline * p_weeks < 5 * 52 then 'stable'
                  when p_observed * 208 >= 5 * p_weeks * p_baseline then 'rising'
                  when p_observed * 208 <= 3 * p_weeks * p_baseline then 'falling'
                  else 'stable' end,
    'low_count', p_observed < 5 and p_baseline * p_weeks < 5 * 52)
$$;

create or replace function public.baseline_row(
  p_pcode text, p_level integer, p_name_en text, p_name_ar text, p_parent text,
  p_week bigint, p_four bigint, p_base bigint
) returns jsonb
language sql immutable
as $$
  select jsonb_build_object(
    'pcode', p_pcode, 'level', p_level, 'name_en', p_name_en, 'name_ar', p_name_ar, 'parent_pcode', p_parent,
    'baseline_n', p_base, 'weekly_average', round(p_base / 52.0, 3),
    'week_n', p_week, 'week_expected', public.baseline_classify(p_week, p_base, 1) -> 'expected',
    'week_change_pct', public.baseline_classify(p_week, p_base, 1) -> 'change_pct',
    'week_trend', public.baseline_classify(p_week, p_base, 1) ->> 'trend',
    'week_low_count', public.baseline_classify(p_week, p_base, 1) -> 'low_count',
    'four_weeks_n', p_four, 'four_weeks_expected', public.baseline_classify(p_four, p_base, 4) -> 'expected',
    'four_weeks_change_pct', public.baseline_classify(p_four, p_base, 4) -> 'change_pct',
    'four_weeks_trend', public.baseline_classify(p_four, p_base, 4) ->> 'trend',
    'four_weeks_low_count', public.baseline_classify(p_four, p_base, 4) -> 'low_count')
$$;

create or replace function public.incident_stats(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_by text default 'month', p_group text default 'type'
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v jsonb;
begin
  if p_by is null or p_by not in ('day', 'week', 'month') then
    raise exception 'by: unknown value "%"; use day, week or month', p_by using errcode = '22023';
  end if;
  if p_group is null or p_group not in ('type', 'area1', 'area2', 'none') then
    raise exception 'group: unknown value "%"; use type, area1, area2 or none', p_group using errcode = '22023';
  end if;

  with bins as (
    select date_trunc(p_by, i.event_date::timestamp)::date as bin,
           coalesce(case p_group when 'type' then i.event_type
                                 when 'area1' then i.admin1_pcode
                                 when 'area2' then i.admin2_pcode
                                 else 'all' end, 'none') as key,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by 1, 2
  ),
  groups as (
    select b.key, sum(b.n) as n, sum(b.fat) as fat, a.name_en, a.name_ar
    from bins b left join public.areas a on p_group in ('area1', 'area2') and a.pcode = b.key
    group by b.key, a.name_en, a.name_ar
  )
  select jsonb_build_object(
    'by', p_by,
    'group', p_group,
    'total', coalesce((select sum(n) from groups), 0),
    'fatalities', coalesce((select sum(fat) from groups), 0),
    'first_date', (select min(first) from bins),
    'last_date', (select max(last) from bins),
    'groups', coalesce((select jsonb_agg(jsonb_build_object('key', key, 'name_en', name_en, 'name_ar', name_ar,
                          'n', n, 'fatalities', fat) order by n desc, key) from groups), '[]'::jsonb),
    'bins', coalesce((select jsonb_agg(jsonb_build_object('bin', bin, 'key', key, 'n', n, 'fatalities', fat)
                        order by bin, key) from bins), '[]'::jsonb))
  into v;
  return v;
end
$$;

create or replace function public.incidents_time_pattern(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
  with cells as (
    -- one grouping of everything: (known weekday?, known hour?) per cell, with the date span
    select case when i.time_precision in ('exact', 'day') then extract(isodow from i.event_date)::int end as dow,
           case when i.time_precision = 'exact' and i.event_time is not null
                then extract(hour from i.event_time)::int end as hour,
           count(*) as n, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by 1, 2
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from cells), 0),
    'with_time', coalesce((select sum(n) from cells where hour is not null), 0),
    'with_day', coalesce((select sum(n) from cells where dow is not null), 0),
    'first_date', (select min(first) from cells),
    'last_date', (select max(last) from cells),
    'by_hour', (select jsonb_agg(coalesce((select sum(n) from cells c where c.hour = h), 0) order by h) from generate_series(0, 23) h),
    'by_dow', (select jsonb_agg(coalesce((select sum(n) from cells c where c.dow = d), 0) order by d) from generate_series(1, 7) d),
    'dow_hour', coalesce((select jsonb_agg(jsonb_build_array(dow, hour, n) order by dow, hour)
                          from cells where hour is not null and dow is not null), '[]'::jsonb))
$$;

create or replace function public.incidents_top_actors(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_limit integer default 10
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v jsonb;
begin
  if p_limit is null or p_limit not between 1 and 100 then
    raise exception 'limit: must be between 1 and 100' using errcode = '22023';
  end if;
  with f as materialized (
    select i.actor1_id, i.actor2_id, i.fatalities, i.event_date
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
  ),
  sides as (
    -- an incident with the same actor on both sides counts once for it (repeat = true on side 2)
    select actor1_id as actor_id, 1 as side, fatalities, false as repeat from f where actor1_id is not null
    union all
    select actor2_id, 2, fatalities, coalesce(actor2_id = actor1_id, false) from f where actor2_id is not null
  ),
  per_actor as (
    select actor_id,
           count(*) filter (where not repeat) as n,
           count(*) filter (where side = 1) as as1,
           count(*) filter (where side = 2) as as2,
           coalesce(sum(fatalities) filter (where not repeat), 0) as fat
    from sides group by actor_id
  ),
  top as (
    select p.*, a.name, a.actor_type
    from per_actor p join public.actors a on a.id = p.actor_id
    order by p.n desc, a.name
    limit p_limit
  ),
  totals as (
    select count(*) as total, count(*) filter (where actor1_id is not null or actor2_id is not null) as with_actor,
           min(event_date) as first, max(event_date) as last
    from f
  )
  select jsonb_build_object(
    'total', t.total,
    'with_actor', t.with_actor,
    'first_date', t.first,
    'last_date', t.last,
    'actors', coalesce((select jsonb_agg(jsonb_build_object('id', actor_id, 'name', name, 'actor_type', actor_type,
                 'n', n, 'as_actor1', as1, 'as_actor2', as2, 'fatalities', fat) order by n desc, name) from top), '[]'::jsonb))
  into v
  from totals t;
  return v;
end
$$;

-- The other aggregations keep their queries; JIT off for the same reason.
alter function public.incidents_by_area(date, date, text[], text, double precision, double precision, double precision, double precision, integer) set jit = off;
alter function public.incidents_calendar(date, date, text[], text, double precision, double precision, double precision, double precision) set jit = off;
alter function public.incidents_sources(date, date, text[], text, double precision, double precision, double precision, double precision) set jit = off;
alter function public.baseline_table(date, text[], integer, text) set jit = off;
alter function public.area_baseline(text, date, text[]) set jit = off;

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
as $$
declare
  v_to date := coalesce(p_as_of, current_date);
  v_from date;
  v_m double precision;
  v_geom geometry;
  v jsonb;
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
  targets as materialized (
    select r.kind, r.id, r.name, r.geom::geography as geog,
           -- the target's box grown by the distance: dx in degrees of longitude (shortest at the
           -- box's latitude nearest a pole), dy in degrees of latitude (≥ 110.574 km), +1 %
           st_expand(r.geom,
                     v_m / (111320.0 * greatest(cos(radians(least(89.0, greatest(abs(st_ymin(r.geom)), abs(st_ymax(r.geom))) + v_m / 110574.0))), 0.01)) * 1.01,
                     v_m / 110574.0 * 1.01) as box
    from raw_targets r
  ),
  pairs as materialized (
    -- Every (target, incident) within the distance. Under row-level security PostgreSQL may
    -- not use the GiST indexes for ST_DWithin or && (those operators are not leakproof, so they
    -- must run after the policies), so the candidates come from the date index (leakproof) and
    -- a box test in degrees (cheap) screens them before the geodesic distance (costly).
    select t.kind, t.id as target_id, t.name, i.id as incident_id,
           st_distance(i.geom::geography, t.geog) as d
    from targets t
    join public.incidents i
      on i.geom && t.box
     and st_dwithin(i.geom::geography, t.geog, v_m)
    where i.event_date between v_from and v_to
  ),
  counted as (
    select p.*, f.event_date, f.event_type, f.fatalities, f.geom, f.location_name
    from pairs p join public.incidents_filtered(v_from, v_to, p_types, null) f on f.id = p.incident_id
  ),
  nearest as (
    select distinct on (incident_id) * from counted order by incident_id, d, target_id
  ),
  per_target as (
    select t.kind, t.id, t.name, coalesce(c.n, 0) as n, coalesce(c.fat, 0) as fat
    from targets t
    left join (select target_id, count(*) as n, sum(fatalities) as fat from counted group by target_id) c
      on c.target_id is not distinct from t.id
  ),
  listed as (
    select * from nearest order by d, event_date desc, incident_id limit p_limit
  )
  select jsonb_build_object(
    'km', p_km, 'days', p_days, 'from', v_from, 'to', v_to,
    'total', (select count(*) from nearest),
    'fatalities', coalesce((select sum(fatalities) from nearest), 0),
    'targets', coalesce((select jsonb_agg(jsonb_build_object('kind', kind, 'id', id, 'name', name, 'n', n, 'fatalities', fat)
                           order by n desc, name) from per_target), '[]'::jsonb),
    'incidents', coalesce((select jsonb_agg(jsonb_build_object(
        'id', incident_id, 'event_date', event_date, 'event_type', event_type, 'fatalities', fatalities,
        'location_name', location_name,
        'lon', round(st_x(geom)::numeric, 5), 'lat', round(st_y(geom)::numeric, 5),
        'distance_m', round(d::numeric), 'nearest_kind', kind, 'nearest_id', target_id, 'nearest_name', name)
      order by d, event_date desc, incident_id) from listed), '[]'::jsonb))
  into v;
  return v;
end
$$;
