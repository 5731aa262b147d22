-- Dated reads that no rollup answers read the date index alone (issue 16).
--
-- The analysis screen's rhythm and top actors for any dates, stats/sources' odd ends and the
-- map's scan of a range found their incidents by the date index and then fetched each from the
-- table: one page read per incident, since incidents do not lie in date order on disk (the
-- bench's 3,000,000 not at all). This index carries every column those readers,
-- incidents_filtered and the read policies look at, so that PostgreSQL reads them from the index
-- entries (an index-only scan; pages changed since the last vacuum are still checked in the
-- table). It is a second index: widening (event_date, lat, lon) with the same columns made its
-- entries four times as wide, and a dated z12 tile (a small box) then chose a bitmap of two other
-- indexes and went from 0.19 to 0.5 s. Figures in the README's Performance section.

create index incidents_date_covering_idx on public.incidents (event_date)
  include (event_type, admin1_pcode, admin2_pcode, admin3_pcode, lat, lon, lat_coarse, lon_coarse,
           status, confidentiality, reported_by, fatalities, time_precision, event_time,
           actor1_id, actor2_id, upstream_source);
-- An index-only scan still reads the table page of every entry whose page changed since the last
-- vacuum, and autovacuum's default waits for inserts of a fifth of the table (600,000 at
-- 3,000,000): an import's rows would be read through the table until then. 2 % (60,000).
alter table public.incidents set (autovacuum_vacuum_insert_scale_factor = 0.02);
