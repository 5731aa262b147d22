-- incidents_filtered is meant to be inlined into each caller (migration 000400 says so), but a
-- function with a SET clause is never inlined: every caller then copied all matching rows, all
-- columns, before aggregating — 1–2 s per chart or map view at 100k incidents on PGlite.
-- Without the clause, the body resolves st_makeenvelope through the caller's search_path, and
-- every caller pins `public, extensions`.
alter function public.incidents_filtered(date, date, text[], text, double precision, double precision, double precision, double precision)
  reset search_path;
