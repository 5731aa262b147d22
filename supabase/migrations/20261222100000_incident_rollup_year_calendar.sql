-- The dashboards' undated calls from a yearly rollup, and the calendar from daily totals
-- (issue 16).
--
-- At 3,000,000 incidents the map's whole-country counts and /incidents/counts (210–240 ms each),
-- /stats/sources (170–310 ms, asked by the map's timeline on every load) and /stats/areas
-- (125–140 ms) summed every row of the month rollup (~220k): the dashboards' default is all time.
-- incident_rollup_year keeps the same totals per year (~32k rows), in the same pass as the
-- others; incident_rollup_span_rows reads the whole years of a range there and its other months
-- from the month rollup, for the readers that need no month: incident_counts, incidents_map's
-- whole view, incidents_by_area and incidents_sources (which then finds its first and last months
-- in the month rollup). incident_stats (monthly bins) keeps the month rollup.
-- The analysis screen's calendar summed ~480k day-rollup rows for its six years (0.45–0.5 s);
-- with no type or area filter, its default, it sums incident_rollup_calendar (day × status ×
-- confidentiality) instead.
--
--   private.incident_rollup_apply, private.incident_rollup_clear (were 20261221200000)
--   incident_counts (was 20261220100000; now planned per call), incidents_map (was
--   20261221100000), incidents_by_area, incidents_sources (were 20261220100000),
--   incidents_calendar (was 20261221200000)

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
  constraint incident_rollup_year_key unique nulls not distinct
    (year, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
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

create or replace function private.incident_rollup_apply() returns trigger
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
      (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents, fatalities)
    select date_trunc('month', event_date)::date, event_type, admin1_pcode, admin2_pcode, status,
           confidentiality, upstream_source, sum(sign), sum(sign * coalesce(fatalities, 0))
    from (%s) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(sign) <> 0 or sum(sign * coalesce(fatalities, 0)) <> 0
    on conflict on constraint incident_rollup_month_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup_month where incidents = 0;
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
  return null;
end
$$;

create or replace function private.incident_rollup_clear() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  delete from public.incident_rollup;
  delete from public.incident_rollup_calendar;
  delete from public.incident_rollup_month;
  delete from public.incident_rollup_year;
  delete from public.incident_rollup_rhythm;
  delete from public.incident_rollup_actor;
  return null;
end
$$;

create or replace function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  v_months boolean := public.incident_rollup_months(p_from, p_to);
begin
  if public.incident_rollup_usable(p_area) then
    return (
      -- Grouped first by what the answer shows (year × type × governorate, ~1,000 rows), then
      -- read four times: the CTE held every rollup row (~220k monthly rows at 3M incidents) for each read.
      with f as (
        select extract(year from x.event_date)::int as y, x.event_type, x.admin1_pcode, sum(x.n) as n, sum(x.fat) as fat
        from (
          select r.day as event_date, r.event_type, r.admin1_pcode, r.incidents as n, r.fatalities as fat
          from public.incident_rollup_span_rows(p_from, p_to, p_types, p_area) r
          where v_months
          union all
          select r.day, r.event_type, r.admin1_pcode, r.incidents, r.fatalities
          from public.incident_rollup r
          where not v_months
            and (p_from is null or r.day >= p_from)
            and (p_to is null or r.day <= p_to)
            and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
            and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
        ) x
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

create or replace function public.incidents_map(
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
  v_counts jsonb;
  v_box boolean;
begin
  -- Dates that reach past the first or last day the caller may see of the filter (the analysis
  -- screen's map sends the data's own range) filter nothing: dropped, the paths below can take
  -- the view (the day rollup's index gives both days).
  if v_shared and p_from is not null and p_from <= public.incident_rollup_edge_day(false, null, null, p_types, p_area) then
    p_from := null;
  end if;
  if v_shared and p_to is not null and p_to >= public.incident_rollup_edge_day(true, null, null, p_types, p_area) then
    p_to := null;
  end if;
  -- The whole view: incident_view_holds_all (31_incident_cells.sql) says the box holds all; the
  -- points then need no viewport test (v_box false), which would steer them off the date index.
  -- Not asked of a box under 4° wide (a city, a district; 60–90 ms at 3,000,000 incidents): the
  -- part-of-the-country path below answers it for all time.
  if v_shared and public.incident_rollup_months(p_from, p_to)
     and (p_west is null or p_east - p_west >= 4 or p_from is not null or p_to is not null)
     and public.incident_view_holds_all(p_west, p_south, p_east, p_north) then
    with counts as (
      select r.event_type, sum(r.incidents) as n, sum(r.fatalities) as fat
      from public.incident_rollup_span_rows(p_from, p_to, p_types, p_area) r
      group by 1
    )
    select jsonb_build_object(
      'total', coalesce((select sum(n) from counts), 0),
      'fatalities', coalesce((select sum(fat) from counts), 0),
      'by_type', coalesce((select jsonb_object_agg(event_type, n) from counts), '{}'::jsonb))
    into v_counts;
    v_box := false;
  end if;

  -- Part of the country, for all time: the cells of the cell rollup's level wholly inside the
  -- box (incident_view_cells) summed, and the incidents inside the box but in no such cell —
  -- those lie in the strips between the cells and the box's edges, which the (lat, lon) index
  -- of the point the caller sees reads (one range per strip); incident_cells, which placed every
  -- incident in its cell for the rollup, tells exactly which of them the cells did not count.
  if v_counts is null and v_shared and p_from is null and p_to is null and p_west is not null then
    select * into b from public.incident_view_cells(p_west, p_south, p_east, p_north);
    if b.cx0 <= b.cx1 and b.cy0 <= b.cy1 then
      with cells as (
        select r.event_type, r.incidents as n, r.fatalities as fat
        from public.incident_cell_rollup r
        where r.level = b.level and r.period = 'all' and r.day is null
          and r.cx between b.cx0 and b.cx1 and r.cy between b.cy0 and b.cy1
          and r.point_kind in ('any', v_kind)
          and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
          and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
      ),
      strips as (
        select i.event_type, 1 as n, i.fatalities as fat
        from public.incidents_filtered(null, null, p_types, p_area) i
        cross join lateral public.incident_cells(i.lon, i.lat, i.lon_coarse, i.lat_coarse, i.geom_coarse is not null) c
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
        from (select * from cells union all select * from strips) x group by 1
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
      else (select coalesce(jsonb_agg(jsonb_build_array(id, round(st_x(geom)::numeric, 5),
                     round(st_y(geom)::numeric, 5), event_type, fatalities, serious, event_date)), '[]'::jsonb)
            from (select id, public.incident_point_for_caller(geom, geom_coarse, admin1_pcode, admin2_pcode, admin3_pcode, v_scope) as geom,
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

create or replace function public.incidents_by_area(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null,
  p_level integer default 1,
  p_geometry jsonb default null, p_geometry_id uuid default null,
  p_lon double precision default null, p_lat double precision default null,
  p_within_km double precision default null, p_precise_only boolean default false,
  p_lens text[] default null, p_sub_types text[] default null, p_actors uuid[] default null,
  p_status text[] default null, p_reliability text[] default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan  -- the unused filters fold away (see incidents_map)
as $$
declare
  v jsonb;
  v_rollup boolean;
  v_months boolean;
  v_scope text[];
  v_place geometry;
begin
  if p_level is null or p_level not between 1 and 3 then
    raise exception 'level: must be 1 (governorate), 2 (district) or 3 (sub-district)' using errcode = '22023';
  end if;
  v_scope := public.caller_location_scope();
  v_place := public.spatial_filter_place(p_geometry, p_geometry_id, p_lon, p_lat, p_within_km);

  -- One pass over the matching incidents (it read them three times: counts, first and last
  -- date), from the summary when it can answer for this level (governorates and districts)
  -- and no place or further filter is set.
  v_rollup := p_level <= 2 and public.incident_rollup_usable(p_area, p_west)
    and v_place is null and not coalesce(p_precise_only, false)
    and coalesce(cardinality(p_lens), 0) + coalesce(cardinality(p_sub_types), 0)
      + coalesce(cardinality(p_actors), 0) + coalesce(cardinality(p_status), 0)
      + coalesce(cardinality(p_reliability), 0) = 0;
  -- Whole months (or no dates): the year and month rollups (incident_rollup_span_rows), the first
  -- and last day from the day rollup's index.
  v_months := v_rollup and public.incident_rollup_months(p_from, p_to);
  with counts as (
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, null::date as first, null::date as last
    from public.incident_rollup_span_rows(p_from, p_to, p_types, p_area) r
    where v_months
    group by 1
    union all
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup and not v_months
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by 1
    union all
    select case p_level when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as pcode,
           count(*) as n, sum(i.fatalities) as fat, min(i.event_date) as first, max(i.event_date) as last
    from public.incidents_refined(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north,
           v_place, p_within_km * 1000, p_precise_only, p_lens, p_sub_types, p_actors, p_status,
           p_reliability, v_scope) i
    where not v_rollup
    group by 1
  ),
  related as (
    -- each area of p_area itself, the areas inside it and the areas it lies in (by the P-code
    -- hierarchy)
    select unnest(p_area) as pcode
    union select a.pcode from public.areas a where a.parent_pcode = any (p_area)
    union select c.pcode from public.areas c join public.areas a on c.parent_pcode = a.pcode where a.parent_pcode = any (p_area)
    union select a.parent_pcode from public.areas a where a.pcode = any (p_area)
    union select b.parent_pcode from public.areas a join public.areas b on b.pcode = a.parent_pcode where a.pcode = any (p_area)
  ),
  scope as (
    select a.* from public.areas a
    where a.level = p_level
      and (p_area is null or cardinality(p_area) = 0 or a.pcode in (select pcode from related))
  )
  select jsonb_build_object(
    'level', p_level,
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'first_date', case when v_months then public.incident_rollup_edge_day(false, p_from, p_to, p_types, p_area)
                       else (select min(first) from counts) end,
    'last_date', case when v_months then public.incident_rollup_edge_day(true, p_from, p_to, p_types, p_area)
                      else (select max(last) from counts) end,
    'areas', coalesce((select jsonb_agg(jsonb_build_object(
                 'pcode', s.pcode, 'name_en', s.name_en, 'name_ar', s.name_ar, 'parent_pcode', s.parent_pcode,
                 'n', coalesce(c.n, 0), 'fatalities', coalesce(c.fat, 0))
               order by coalesce(c.n, 0) desc, s.name_en)
               from scope s left join counts c on c.pcode = s.pcode), '[]'::jsonb),
    'unassigned', jsonb_build_object(
                 'n', coalesce((select n from counts where pcode is null), 0),
                 'fatalities', coalesce((select fat from counts where pcode is null), 0)))
  into v;
  return v;
end
$$;

create or replace function public.incidents_calendar(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan
as $$
declare
  v_rollup boolean := public.incident_rollup_usable(p_area, p_west);
  v_daily boolean := v_rollup and coalesce(cardinality(p_types), 0) = 0 and coalesce(cardinality(p_area), 0) = 0;
begin
  return (
  with days as (
    select r.day as d, sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat
    from public.incident_rollup_calendar r
    where v_daily
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
    group by r.day
    union all
    select r.day as d, sum(r.incidents) as n,
           case when sum(r.fatalities_known) > 0 then sum(r.fatalities) end as fat
    from public.incident_rollup r
    where v_rollup and not v_daily
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or cardinality(p_area) = 0 or r.admin1_pcode = any (p_area) or r.admin2_pcode = any (p_area))
    group by r.day
    union all
    select i.event_date as d, count(*) as n, sum(i.fatalities) as fat
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    where not v_rollup
    group by i.event_date
  )
  select jsonb_build_object(
    'total', coalesce((select sum(n) from days), 0),
    'fatalities', coalesce((select sum(fat) from days), 0),
    'first_date', (select min(d) from days),
    'last_date', (select max(d) from days),
    'days', coalesce((select jsonb_agg(jsonb_build_array(d, n, fat) order by d) from days), '[]'::jsonb)));
end
$$;

create or replace function public.incidents_sources(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text[] default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off  -- see the note at baseline_classify
set plan_cache_mode = force_custom_plan  -- the unused filters fold away (see incidents_map)
as $$
declare
  v_months boolean := public.incident_rollup_usable(p_area, p_west) and public.incident_rollup_months(p_from, p_to);
begin
  -- Whole months (the map's timeline asks with no filter at all): each source's total and the
  -- first and last year or month of its rows from the year and month rollups
  -- (incident_rollup_span_rows), then its first and last month inside those from the month
  -- rollup, then the first and last day inside those months from the incidents (the date index,
  -- read from the month's edge until a row of the source).
  if v_months then
    return (
      select coalesce(jsonb_agg(jsonb_build_object('source', x.s, 'n', x.n, 'first_date', f.d, 'last_date', l.d)
                                order by x.n desc, x.s), '[]'::jsonb)
      from (
        select r.upstream_source as s, sum(r.incidents) as n, min(r.day) as fy, max(r.day) as ly
        from public.incident_rollup_span_rows(p_from, p_to, p_types, p_area) r
        group by 1
      ) x
      -- A year's row stands for its months: the first (last) month of the source is the first
      -- (last) of its monthly rows in the year or month that starts there.
      cross join lateral (
        select min(m.month) as fm, (min(m.month) + interval '1 month')::date as fm_end,
               max(m.month) as lm, (max(m.month) + interval '1 month')::date as lm_end
        from public.incident_rollup_month_rows(p_from, p_to, p_types, p_area) m
        where m.upstream_source is not distinct from x.s
          and ((m.month >= x.fy and m.month < (x.fy + interval '1 year')::date)
            or (m.month >= x.ly and m.month < (x.ly + interval '1 year')::date))
      ) m
      -- The month as bounds of the date index, both plain columns of m (incidents_filtered's
      -- "p_from is null or …" with a column of m was no index condition, nor was an end worked
      -- out here: either read every incident of the source from the far end).
      cross join lateral (
        select min(i.event_date) as d
        from public.incidents_filtered(null, null, p_types, p_area) i
        where i.event_date >= m.fm and i.event_date < m.fm_end
          and i.upstream_source is not distinct from x.s
      ) f
      cross join lateral (
        select max(i.event_date) as d
        from public.incidents_filtered(null, null, p_types, p_area) i
        where i.event_date >= m.lm and i.event_date < m.lm_end
          and i.upstream_source is not distinct from x.s
      ) l);
  end if;
  return (
    select coalesce(jsonb_agg(jsonb_build_object('source', s, 'n', n, 'first_date', f, 'last_date', l) order by n desc, s), '[]'::jsonb)
    from (
      select i.upstream_source as s, count(*) as n, min(i.event_date) as f, max(i.event_date) as l
      from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
      group by i.upstream_source
    ) x);
end
$$;

insert into public.incident_rollup_year
  (year, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source, incidents, fatalities)
select date_trunc('year', month::timestamp)::date, event_type, admin1_pcode, admin2_pcode, status,
       confidentiality, upstream_source, sum(incidents), sum(fatalities)
from public.incident_rollup_month
group by 1, 2, 3, 4, 5, 6, 7;

insert into public.incident_rollup_calendar
  (day, status, confidentiality, incidents, fatalities, fatalities_known)
select day, status, confidentiality, sum(incidents), sum(fatalities), sum(fatalities_known)
from public.incident_rollup
group by 1, 2, 3;

analyze public.incident_rollup_year;
analyze public.incident_rollup_calendar;
