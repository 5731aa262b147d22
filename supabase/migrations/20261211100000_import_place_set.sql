-- Set-based placement for imports (issue 16, point 1): import_commit placed its rows by calling
-- import_place_row once per row (a PL/pgSQL call with its role check, three area_at lookups, and
-- place_by_names again for a row naming its area): 31% of a 30,000-row commit. The rows are now
-- placed in one statement, each distinct point, P-code and set of names looked up once, with the
-- caller's role checked once per call. Same answers as import_place_row (kept, the reference that
-- tests/integration/import-place-set.test.ts compares against). See supabase/schemas/60_imports.sql.

-- Placement of many rows at once (issue 16; 20261211100000_import_place_set): the answers of
-- import_place_row (kept above as the one-row reference; tests/integration/import-place-set.test.ts
-- compares the two), in one statement. Called per row, it was 31% of an import's commit: a
-- PL/pgSQL call with its role check, incident_areas' three area_at calls, and for a row naming
-- its area, place_by_names again, for every row. Here each distinct point is looked up once
-- (sub-district, then the district and governorate above it, a level's own point-in-polygon only
-- where the level below named no parent, as incident_areas does; the same GiST lookups as
-- area_at), each distinct P-code and each distinct set of names once (place_by_names), and the
-- rows join their answers. Its callers check the caller's role once (import_place,
-- import_placed); app roles cannot call it.
-- Each level's look-ups are materialized: inlined, the sub-district's subquery was evaluated again
-- inside each use of its result (three times a point), slower than row by row.
create function private.import_place_set(
  p_ord integer[], p_lon double precision[], p_lat double precision[], p_prec smallint[],
  p_pcode text[], p_admin1 text[], p_admin2 text[], p_admin3 text[])
returns table (ord integer, lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  with r as (
    select u.ord, u.lon, u.lat, u.prec, nullif(trim(u.pcode), '') as pcode,
           coalesce(trim(u.a1), '') as n1, coalesce(trim(u.a2), '') as n2, coalesce(trim(u.a3), '') as n3,
           (u.lon is not null and u.lat is not null) as has_point
    from unnest(p_ord, p_lon, p_lat, p_prec, p_pcode, p_admin1, p_admin2, p_admin3)
           as u(ord, lon, lat, prec, pcode, a1, a2, a3)
  ),
  l3 as materialized (
    select p.lon, p.lat, g.pt,
           coalesce((select a.pcode from public.areas a
                      where a.level = 3 and st_intersects(a.geom, g.pt) limit 1),
                    (select a.pcode from public.areas a
                      where a.level = 3 and st_dwithin(a.geom, g.pt, 0.1)
                      order by a.geom <-> g.pt limit 1)) as a3
    from (select distinct r.lon, r.lat from r where r.has_point) p
    cross join lateral (select st_setsrid(st_point(p.lon, p.lat), 4326) as pt) g
  ),
  l2 as materialized (
    select l.lon, l.lat, l.pt, l.a3,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a3),
                    (select a.pcode from public.areas a
                      where a.level = 2 and st_intersects(a.geom, l.pt) limit 1),
                    (select a.pcode from public.areas a
                      where a.level = 2 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt limit 1)) as a2
    from l3 l
  ),
  pts as materialized (
    select l.lon, l.lat, l.a3, l.a2,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a2),
                    (select a.pcode from public.areas a
                      where a.level = 1 and st_intersects(a.geom, l.pt) limit 1),
                    (select a.pcode from public.areas a
                      where a.level = 1 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt limit 1)) as a1
    from l2 l
  ),
  by_names as materialized (
    select n.n1, n.n2, n.n3, pb.pcode, pb.problem
    from (select distinct r.n1, r.n2, r.n3 from r
           where r.pcode is null and (not r.has_point or r.n1 <> '' or r.n2 <> '' or r.n3 <> '')) n
    cross join lateral public.place_by_names(nullif(n.n1, ''), nullif(n.n2, ''), nullif(n.n3, '')) pb
  ),
  anchors as materialized (
    select t.pcode, an.lon, an.lat, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode
    from (select distinct r.pcode from r where not r.has_point and r.pcode is not null
          union
          select bn.pcode from by_names bn where bn.pcode is not null) t
    cross join lateral public.area_anchor(t.pcode) an
  ),
  placed as (
    select r.*, p.a1, p.a2, p.a3, pa.pcode as given, bn.pcode as by_name, bn.problem as name_problem,
           na.pcode as named, na.name_en as named_name,
           case na.level when 1 then p.a1 when 2 then p.a2 when 3 then p.a3 end as named_in
    from r
    left join pts p on r.has_point and p.lon = r.lon and p.lat = r.lat
    left join public.areas pa on pa.pcode = r.pcode
    left join by_names bn on r.pcode is null and bn.n1 = r.n1 and bn.n2 = r.n2 and bn.n3 = r.n3
    left join public.areas na on r.has_point
                             and na.pcode = case when r.pcode is not null then r.pcode
                                                 when bn.problem is null then bn.pcode end
  )
  select x.ord,
         case when x.has_point then x.lon else an.lon end,
         case when x.has_point then x.lat else an.lat end,
         case when x.has_point then coalesce(x.prec, 1::smallint) else 3::smallint end,
         case when x.has_point then x.a1 else an.admin1_pcode end,
         case when x.has_point then x.a2 else an.admin2_pcode end,
         case when x.has_point then x.a3 else an.admin3_pcode end,
         case
           when x.has_point then
             case
               when x.a1 is null and (select exists (select 1 from public.areas)) then
                 jsonb_build_object('row', x.ord, 'field', 'lat', 'level', 'warning',
                   'reason', format('the point %s, %s (lat, lon) is outside every known admin area; check the coordinates and their order',
                                    round(x.lat::numeric, 5), round(x.lon::numeric, 5)))
               when x.named is not null and x.named_in is distinct from x.named then
                 jsonb_build_object('row', x.ord, 'field', case when x.pcode is not null then 'admin_pcode' else 'lat' end, 'level', 'warning',
                   'reason', format('the point %s, %s (lat, lon) lies in %s, not in %s (%s) that the row names',
                                    round(x.lat::numeric, 5), round(x.lon::numeric, 5),
                                    coalesce((select ar.name_en || ' (' || ar.pcode || ')' from public.areas ar where ar.pcode = x.named_in), 'another area'),
                                    x.named_name, x.named))
             end
           when x.pcode is not null then
             case when x.given is null then
               jsonb_build_object('row', x.ord, 'field', 'admin_pcode', 'level', 'error',
                 'reason', format('no coordinates, and no area has the P-code %s', left(x.pcode, 40)))
             end
           else x.name_problem || jsonb_build_object('row', x.ord)
         end
  from placed x
  left join anchors an on not x.has_point and an.pcode = coalesce(x.given, x.by_name)
$$;
revoke execute on function private.import_place_set(integer[], double precision[], double precision[], smallint[], text[], text[], text[], text[]) from public;

-- The placement of a batch of staged rows (the dry run's check, import_check): the caller's role
-- is checked once, then private.import_place_set places them all.
create or replace function public.import_place(p_rows jsonb)
returns table (ord integer, lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if public.current_app_role() is null then
    raise exception 'sign in to place points in admin areas' using errcode = '42501';
  end if;
  return query
  select p.* from (
    select array_agg((e ->> '_row')::int) as o, array_agg((e ->> 'lon')::float8) as x,
           array_agg((e ->> 'lat')::float8) as y, array_agg(nullif(e ->> 'geo_precision', '')::smallint) as g,
           array_agg(e ->> 'admin_pcode') as c, array_agg(e ->> 'admin1') as a1,
           array_agg(e ->> 'admin2') as a2, array_agg(e ->> 'admin3') as a3
    from jsonb_array_elements(p_rows) e) b
  cross join lateral private.import_place_set(b.o, b.x, b.y, b.g, b.c, b.a1, b.a2, b.a3) p
  where b.o is not null;
end
$$;
revoke execute on function public.import_place(jsonb) from public, anon;
grant execute on function public.import_place(jsonb) to authenticated;

-- The staged rows of the caller's job with their placement, for import_commit (which runs as the
-- caller): the job's owner and role checked once, the rows placed in one statement.
create function public.import_placed(p_job uuid)
returns table (ord integer, data jsonb, lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
begin
  if public.current_app_role() is null then
    raise exception 'sign in to place points in admin areas' using errcode = '42501';
  end if;
  if not exists (select 1 from public.import_jobs where id = p_job and created_by = auth.uid()) then
    raise exception 'no such import, or not yours' using errcode = 'P0002';
  end if;
  return query
  with b as (
    select array_agg(r.ord) as o, array_agg((r.data ->> 'lon')::float8) as x,
           array_agg((r.data ->> 'lat')::float8) as y, array_agg(nullif(r.data ->> 'geo_precision', '')::smallint) as g,
           array_agg(r.data ->> 'admin_pcode') as c, array_agg(r.data ->> 'admin1') as a1,
           array_agg(r.data ->> 'admin2') as a2, array_agg(r.data ->> 'admin3') as a3
    from public.import_rows r where r.job_id = p_job)
  select s.ord, s.data, p.lon, p.lat, p.geo_precision, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode, p.problem
  from b
  cross join lateral private.import_place_set(b.o, b.x, b.y, b.g, b.c, b.a1, b.a2, b.a3) p
  join public.import_rows s on s.job_id = p_job and s.ord = p.ord
  where b.o is not null
  order by s.ord;
end
$$;
revoke execute on function public.import_placed(uuid) from public, anon;
grant execute on function public.import_placed(uuid) to authenticated;

create or replace function public.import_commit(p_job uuid, p_valid_only boolean default false) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  j public.import_jobs;
  v_problems jsonb;
  v_stats jsonb;
  v_total integer;
  v_scope uuid;
begin
  j := public.import_job_for_update(p_job);
  if j.target = 'actors' then
    return public.import_commit_actors(j, p_valid_only);
  end if;

  create temp table if not exists pg_temp.import_work (
    ord integer primary key, data jsonb, lon float8, lat float8, geo_precision smallint,
    admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb) on commit drop;
  truncate pg_temp.import_work;
  insert into pg_temp.import_work
  select p.ord, p.data, p.lon, p.lat, p.geo_precision, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode, p.problem
  from public.import_placed(p_job) p;
  get diagnostics v_total = row_count;
  analyze pg_temp.import_work;

  update pg_temp.import_work
     set admin3_pcode = case when (data ->> 'admin_depth')::int >= 3 then admin3_pcode end,
         admin2_pcode = case when (data ->> 'admin_depth')::int >= 2 then admin2_pcode end,
         admin1_pcode = case when (data ->> 'admin_depth')::int >= 1 then admin1_pcode end
   where data ? 'admin_depth' and data ->> 'lon' is not null;

  -- The same upstream id twice in one file: the last row wins, the earlier ones are problems
  -- (the import pipeline reports them while parsing; this keeps any caller safe).
  update pg_temp.import_work w set problem = jsonb_build_object('row', w.ord, 'field', 'upstream_id', 'level', 'error',
      'reason', format('the id %s appears again on row %s', w.data ->> 'upstream_id', d.last_ord))
  from (select data ->> 'upstream_id' as uid, max(ord) as last_ord from pg_temp.import_work
        where data ->> 'upstream_id' is not null group by 1 having count(*) > 1) d
  where w.data ->> 'upstream_id' = d.uid and w.ord < d.last_ord;

  select coalesce(jsonb_agg(problem order by ord), '[]'::jsonb) into v_problems
  from pg_temp.import_work where problem ->> 'level' = 'error';
  if jsonb_array_length(v_problems) > 0 and not p_valid_only then
    perform public.import_finish(p_job, 'failed', jsonb_build_object('rows', v_total, 'problems', v_problems));
    return jsonb_build_object('committed', false, 'rows', v_total, 'problems', v_problems);
  end if;
  delete from pg_temp.import_work where problem ->> 'level' = 'error';

  -- One audit entry for the job, not one per row (import_audit_open). Called by assignment, not
  -- PERFORM, so that the call stack it checks names this function directly.
  v_scope := public.import_audit_open(p_job);
  if j.target = 'incidents' then
    v_stats := public.import_commit_incidents(j);
  else
    v_stats := public.import_commit_sites(j);
  end if;

  v_stats := v_stats || jsonb_build_object('committed', true, 'rows', v_total,
               'skipped', jsonb_array_length(v_problems), 'problems', v_problems,
               'warnings', (select count(*) from pg_temp.import_work where problem ->> 'level' = 'warning'));
  perform public.import_finish(p_job, 'committed', v_stats - 'problems');
  v_scope := public.import_audit_close(p_job, v_stats - 'problems');
  return v_stats;
end
$$;
