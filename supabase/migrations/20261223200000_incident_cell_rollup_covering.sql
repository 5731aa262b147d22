-- The aggregated tiles as index-only scans (issue 16).
--
-- A tile reads its cells' rollup rows through incident_cell_rollup_key, a range of (cx, cy) per
-- period, and then fetched each row from the heap, where the rows of one tile lie on as many
-- pages as there are rows: they were written cell by cell as imports and edits came. At 1.3M
-- incidents a z10 tile over Baghdad (10k rows) read ~12k heap pages. The key now carries the
-- totals a tile sums (INCLUDE), so the rows come from the index alone, side by side: ~2.3k
-- index pages for the same tile, and no heap page once VACUUM has marked them all-visible.
-- The key's columns and what it keeps unique are unchanged; ON CONFLICT names it as before.

alter table public.incident_cell_rollup
  drop constraint incident_cell_rollup_key,
  add constraint incident_cell_rollup_key unique nulls not distinct
    (level, period, day, cx, cy, event_type, admin1_pcode, admin2_pcode, status, confidentiality, point_kind)
    include (incidents, fatalities, fatalities_known, sum_px, sum_py);
