-- No planner statistics on the full-text index's expression (issue 16). ANALYZE computed the
-- document of every sampled incident for them: half of an incidents ANALYZE on PostgreSQL (2.4 →
-- 1.2 s at 50,000 incidents), most of it on the embedded engine (1.2 → 0.2 s on the demo data),
-- whose upkeep holds every other call meanwhile (src/lib/server/db/upkeep.ts). Without them the
-- planner takes its fixed guess for a text match, which chose the better plan where it mattered:
-- at 50,000 incidents a word in every description listed in 0.21 s against 1.5 s with the
-- statistics; a rare word 19–38 ms against 8–11. Statistics already gathered stay until the
-- database is rebuilt (ANALYZE leaves a column it skips alone).
alter index public.incidents_search_idx alter column 1 set statistics 0;
