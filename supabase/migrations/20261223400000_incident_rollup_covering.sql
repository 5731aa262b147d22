-- The day rollup's key carries its totals (issue 16).
--
-- A chart whose dates are not whole months (a range brushed on the analysis chart, a week's bins)
-- sums the day rollup over a range of days through incident_rollup_key, then fetched each row
-- from the heap, a page each. At 3,000,000 incidents (1.3M rollup rows) a year by week took
-- 122–128 ms, and four years by month from odd days 228–240 ms; with the totals in the key,
-- read from the index alone, 48–51 and 165–177 ms, the same answers. The key's columns and what
-- it keeps unique are unchanged; ON CONFLICT names it as before.

alter table public.incident_rollup
  drop constraint incident_rollup_key,
  add constraint incident_rollup_key unique nulls not distinct
    (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality)
    include (incidents, fatalities, fatalities_known);
