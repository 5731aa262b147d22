-- The month and year rollups' keys carry their totals (issue 16), as the day rollup's and the
-- cell rollup's do (20261223400000, 20261223200000).
--
-- Their readers (incident_counts, incidents_by_area, incident_stats by area, incidents_sources,
-- the map's whole view) sum a range of months or years through the key, then fetched each row
-- from the heap: a year and 19 months with odd ends at 3,000,000 incidents read 40,000 month rows
-- from 8,700 heap pages. With the totals in the key, read from the index alone, as an analyst in
-- psql: /stats/sources for whole months 40–215 -> 27–93 ms, /incidents/counts with odd dates
-- 39–60 -> 25–33 ms, undated 39–56 -> 15–24 ms, /stats/areas 31–80 -> 18–20 ms; the same
-- answers. The keys' columns and what they keep unique are unchanged; ON CONFLICT names them as
-- before.

alter table public.incident_rollup_month
  drop constraint incident_rollup_month_key,
  add constraint incident_rollup_month_key unique nulls not distinct
    (month, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
    include (incidents, fatalities);

alter table public.incident_rollup_year
  drop constraint incident_rollup_year_key,
  add constraint incident_rollup_year_key unique nulls not distinct
    (year, event_type, admin1_pcode, admin2_pcode, status, confidentiality, upstream_source)
    include (incidents, fatalities);
