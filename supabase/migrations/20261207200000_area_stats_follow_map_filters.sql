-- Issue 13: the map's choropleth and rate shading (/api/v1/stats/areas → incidents_by_area)
-- counted under the dates, types, area and viewport only, while the incident layer beside them
-- also honours the place (geometry=, geometry_id=, lat=&lon=&within_km=, precise=) and the
-- further filters (NGO lens, sub-event type, actor, status, reliability): on the demo data with
-- seven incidents marked "affects us", lens=us gave the points 7 and the per-area counts 7,095
-- (tests/integration/area-stats-filters.test.ts). incidents_by_area now takes
-- the same arguments as incidents_map and counts from public.incidents_refined, the one
-- definition of those filters; the summary answers only when none of them is set.
-- New arguments, so the old signature is dropped rather than overloaded (a call naming only the
-- old arguments would otherwise be ambiguous).

drop function public.incidents_by_area(date, date, text[], text, double precision, double precision,
  double precision, double precision, integer);

create function public.incidents_by_area(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
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
  with counts as (
    select case p_level when 1 then r.admin1_pcode else r.admin2_pcode end as pcode,
           sum(r.incidents) as n, sum(r.fatalities) as fat, min(r.day) as first, max(r.day) as last
    from public.incident_rollup r
    where v_rollup
      and (p_from is null or r.day >= p_from)
      and (p_to is null or r.day <= p_to)
      and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
      and (p_area is null or r.admin1_pcode = p_area or r.admin2_pcode = p_area)
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
    -- p_area itself, the areas inside it and the areas it lies in (by the P-code hierarchy)
    select p_area as pcode
    union select a.pcode from public.areas a where a.parent_pcode = p_area
    union select c.pcode from public.areas c join public.areas a on c.parent_pcode = a.pcode where a.parent_pcode = p_area
    union select a.parent_pcode from public.areas a where a.pcode = p_area
    union select b.parent_pcode from public.areas a join public.areas b on b.pcode = a.parent_pcode where a.pcode = p_area
  ),
  scope as (
    select a.* from public.areas a
    where a.level = p_level and (p_area is null or a.pcode in (select pcode from related))
  )
  select jsonb_build_object(
    'level', p_level,
    'total', coalesce((select sum(n) from counts), 0),
    'fatalities', coalesce((select sum(fat) from counts), 0),
    'first_date', (select min(first) from counts),
    'last_date', (select max(last) from counts),
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
