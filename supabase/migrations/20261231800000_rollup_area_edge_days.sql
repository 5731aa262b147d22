-- An area's first and last day from (area, day) indexes (issue 16).
--
-- incident_rollup_edge_day walked the day rollup's key from one end and stopped at the first row
-- of the filter; for an area with no incident (a quiet district, or one with none of the chosen
-- types) it read the whole rollup: 0.7 s for the first day and 0.3 s for the last at 2M
-- incidents, and the analysis screen asks it in most of its calls (incident_stats for such a
-- district took 377–385 ms, 74 ms after). The single-column area indexes become (area, day), and
-- with an area the function takes each P-code's first (last) day from them.
--
--   public.incident_rollup_edge_day (was 20261220100000)

drop index public.incident_rollup_admin2_idx;
drop index public.incident_rollup_admin1_idx;

create index incident_rollup_admin2_day_idx on public.incident_rollup (admin2_pcode, day);

create index incident_rollup_admin1_day_idx on public.incident_rollup (admin1_pcode, day);

create or replace function public.incident_rollup_edge_day(
  p_last boolean, p_from date, p_to date, p_types text[], p_area text[]
) returns date
language plpgsql stable
set search_path = public, pg_temp
set plan_cache_mode = force_custom_plan
as $$
begin
  if p_area is not null and cardinality(p_area) > 0 then
    if p_last then
      return (select max(e.day) from unnest(p_area) a(pcode), lateral (
        select (select max(r.day) from public.incident_rollup r
                where r.admin1_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                  and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))) as day
        union all
        select (select max(r.day) from public.incident_rollup r
                where r.admin2_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                  and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)))) e);
    end if;
    return (select min(e.day) from unnest(p_area) a(pcode), lateral (
      select (select min(r.day) from public.incident_rollup r
              where r.admin1_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))) as day
      union all
      select (select min(r.day) from public.incident_rollup r
              where r.admin2_pcode = a.pcode and (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
                and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)))) e);
  end if;
  if p_last then
    return (select max(r.day) from public.incident_rollup r
            where (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
              and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)));
  end if;
  return (select min(r.day) from public.incident_rollup r
          where (p_from is null or r.day >= p_from) and (p_to is null or r.day <= p_to)
            and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types)));
end
$$;
