-- Where the counted incidents come from, for the source line every chart carries (ACLED and UCDP
-- ask that charts made from their data say so, with the dates covered): the matching incidents
-- per upstream source ('ucdp-ged', 'synthetic', an import's source; null = reported in Terrain)
-- with the first and last date of each.
create function public.incidents_sources(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null,
  p_west double precision default null, p_south double precision default null,
  p_east double precision default null, p_north double precision default null
) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('source', s, 'n', n, 'first_date', f, 'last_date', l) order by n desc, s), '[]'::jsonb)
  from (
    select i.upstream_source as s, count(*) as n, min(i.event_date) as f, max(i.event_date) as l
    from public.incidents_filtered(p_from, p_to, p_types, p_area, p_west, p_south, p_east, p_north) i
    group by i.upstream_source
  ) x
$$;
