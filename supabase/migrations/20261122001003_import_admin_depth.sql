-- Imports honour a row's admin_depth, as the demo loader does (20261122000600_seed_loaders.sql):
-- an event that UCDP locates only by its governorate or the country, at that unit's centre point,
-- is not assigned to whichever district or sub-district contains the centre point. A row without
-- admin_depth is placed in all three levels, as before.
create or replace function public.import_commit(p_job uuid, p_valid_only boolean default false) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  j public.import_jobs;
  v_problems jsonb;
  v_stats jsonb;
  v_total integer;
begin
  j := public.import_job_for_update(p_job);

  create temp table if not exists pg_temp.import_work (
    ord integer primary key, data jsonb, lon float8, lat float8, geo_precision smallint,
    admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb) on commit drop;
  truncate pg_temp.import_work;
  insert into pg_temp.import_work
  select s.ord, s.data, p.lon, p.lat, p.geo_precision, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode, p.problem
  from public.import_staged(p_job) s
  cross join lateral public.import_place_row(s.ord, (s.data ->> 'lon')::float8, (s.data ->> 'lat')::float8,
    nullif(s.data ->> 'geo_precision', '')::smallint, s.data ->> 'admin_pcode', s.data ->> 'admin1',
    s.data ->> 'admin2', s.data ->> 'admin3') p;
  get diagnostics v_total = row_count;

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

  if j.target = 'incidents' then
    v_stats := public.import_commit_incidents(j);
  else
    v_stats := public.import_commit_sites(j);
  end if;

  v_stats := v_stats || jsonb_build_object('committed', true, 'rows', v_total,
               'skipped', jsonb_array_length(v_problems), 'problems', v_problems,
               'warnings', (select count(*) from pg_temp.import_work where problem ->> 'level' = 'warning'));
  perform public.import_finish(p_job, 'committed', v_stats - 'problems');
  perform public.audit_note('import', j.target, jsonb_build_object('job', j.id, 'source', j.source,
    'file', j.file_name, 'format', j.format) || (v_stats - 'problems'));
  return v_stats;
end
$$;
