-- incidents_map without JIT (issue 16).
--
-- A city view's count (the cells wholly inside the box and the incidents of the strips along its
-- edges) is costed above jit_above_cost at 3,000,000 incidents, and PostgreSQL compiled it on
-- every call: ~50 ms of a session's first call over Baghdad (~200 ms) and ~10 ms of each one
-- after, for a query that then ran as fast without it. The analysis functions already run without
-- JIT (see the note at baseline_classify). PGlite has no JIT.

alter function public.incidents_map(
  double precision, double precision, double precision, double precision, date, date, text[], text[],
  integer, jsonb, uuid, double precision, double precision, double precision, boolean, text[], text[],
  uuid[], text[], text[], boolean
) set jit = off;
