-- Imports of actor registries: a stakeholder-mapping spreadsheet becomes actors, all or nothing,
-- through the same import jobs as incidents and sites (src/lib/server/import; `terrain import
-- FILE --into actors`).
--
-- A row is a duplicate when its name, Arabic name or any alias has the name key (actor_name_key,
-- 20261122002000_actor_profiles.sql) of an actor already in Terrain — by that actor's name, Arabic
-- name or alias — or of an earlier row of the same file. A duplicate is a problem of its row that
-- names what it duplicates ("'Daesh' is already the actor 'IS' (alias)"); like any bad row it
-- stops the whole import unless the importer asked for the valid rows only, and it is never
-- created. The writes run as the caller: the actors table's policies decide what lands, and the
-- audit trigger records every new actor under the caller's id.
--
-- With the job option merge_duplicates (`--merge-duplicates`), a row that duplicates an actor
-- already in Terrain is not a problem but a warning: the spellings it brings that the actor does
-- not have yet (its name, Arabic name and aliases) are added to that actor's aliases. A duplicate
-- of an earlier row of the file stays an error (which of the two is right is the importer's call).

alter table public.import_jobs drop constraint import_jobs_target_check;
alter table public.import_jobs add constraint import_jobs_target_check
  check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors'));
alter table public.import_mappings drop constraint import_mappings_target_check;
alter table public.import_mappings add constraint import_mappings_target_check
  check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors'));

-- The duplicate problems of a batch of actor rows (as import_stage takes them: _row, name,
-- name_ar, aliases …), one per row at most: an actor already in Terrain first, else the earliest
-- earlier row; the row's name before its Arabic name before its aliases. With p_merge, a duplicate
-- of an actor in Terrain is a warning carrying that actor's id (merged by import_commit_actors).
create function public.import_actor_duplicates(p_rows jsonb, p_merge boolean default false) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  with r as (
    select (e ->> '_row')::int as ord, e ->> 'name' as name, e ->> 'name_ar' as name_ar,
           case when jsonb_typeof(e -> 'aliases') = 'array'
                then array(select jsonb_array_elements_text(e -> 'aliases')) else '{}'::text[] end as aliases
    from jsonb_array_elements(p_rows) e
  ), said as (
    select r.ord, n.field, n.pos, n.v as said, public.actor_name_key(n.v) as k
    from r cross join lateral (
      select 'name' as field, 0::bigint as pos, r.name as v
      union all select 'name_ar', 1, r.name_ar
      union all select 'aliases', 1 + x.i, x.a from unnest(r.aliases) with ordinality as x(a, i)
    ) n
    where public.actor_name_key(n.v) is not null
  ), hit as (
    select s.ord, s.field, s.pos, 0 as pri, 0 as other_row, a.id as actor_id,
           format('''%s'' is already the actor ''%s'' (%s)%s', s.said, a.name,
             case when public.actor_name_key(a.name) = s.k then 'name'
                  when public.actor_name_key(a.name_ar) = s.k then 'Arabic name'
                  else 'alias' end,
             case when p_merge then ': the row''s other names are added to its aliases' else '' end) as reason
    from said s join public.actors a on a.name_keys @> array[s.k]
    union all
    select s.ord, s.field, s.pos, 1, e.ord, null::uuid,
           format('''%s'' is already on row %s (''%s'')', s.said, e.ord, r.name)
    from said s join said e on e.k = s.k and e.ord < s.ord
    join r on r.ord = e.ord
  )
  select coalesce(jsonb_agg(jsonb_build_object('row', h.ord, 'field', h.field, 'reason', h.reason,
                              'level', case when p_merge and h.pri = 0 then 'warning' else 'error' end)
                            || case when p_merge and h.pri = 0 then jsonb_build_object('actor_id', h.actor_id) else '{}'::jsonb end
                            order by h.ord), '[]'::jsonb)
  from (select distinct on (ord) * from hit order by ord, pri, pos, other_row, reason) h
$$;

-- The dry run: actors have no location to place; their problems are their duplicates (p_merge:
-- the job option merge_duplicates). A new parameter, so the old signature goes.
drop function public.import_check(text, jsonb, boolean, double precision, integer, text);
create function public.import_check(p_target text, p_rows jsonb, p_duplicates boolean default false,
                                    p_dup_km double precision default 5, p_dup_days integer default 1,
                                    p_source text default null, p_merge boolean default false)
returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select case when p_target = 'actors' then
    jsonb_build_object('problems', public.import_actor_duplicates(p_rows, coalesce(p_merge, false)), 'duplicates', '[]'::jsonb)
  else jsonb_build_object(
    'problems', coalesce((select jsonb_agg(problem order by ord) from public.import_place(p_rows) where problem is not null), '[]'::jsonb),
    'duplicates', case when p_duplicates and p_target = 'incidents' then coalesce((
      select jsonb_agg(jsonb_build_object('row', (e ->> '_row')::int, 'of', d) order by (e ->> '_row')::int)
      from jsonb_array_elements(p_rows) e
      cross join lateral public.incident_duplicates_near(e ->> 'event_type', (e ->> 'lon')::float8, (e ->> 'lat')::float8,
                                                          (e ->> 'event_date')::date, p_dup_km, p_dup_days, 3) d
      where e ->> 'lon' is not null and jsonb_array_length(d) > 0
        -- the row's own earlier import is not a duplicate of it
        and not exists (select 1 from jsonb_array_elements(d) x
                        join public.incidents i on i.id = (x ->> 'id')::uuid
                        where i.upstream_id = e ->> 'upstream_id' and e ->> 'upstream_id' is not null
                          and i.upstream_source = coalesce(e ->> 'upstream_source', p_source))
    ), '[]'::jsonb) else '[]'::jsonb end)
  end
$$;

-- Actors from the caller's staged job, in one transaction (the import_commit call). A duplicate
-- is never created; it changes the actor it duplicates only when the job merges duplicates.
create function public.import_commit_actors(j public.import_jobs, p_valid_only boolean default false) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_rows jsonb;
  v_problems jsonb;
  v_total integer;
  v_inserted integer;
  v_merged integer := 0;
  v_errors integer;
  v_merge boolean := coalesce((j.options ->> 'merge_duplicates')::boolean, false);
  v_stats jsonb;
begin
  select coalesce(jsonb_agg(s.data order by s.ord), '[]'::jsonb) into v_rows from public.import_staged(j.id) s;
  v_total := jsonb_array_length(v_rows);
  v_problems := public.import_actor_duplicates(v_rows, v_merge);
  v_errors := (select count(*) from jsonb_array_elements(v_problems) p where p ->> 'level' = 'error');
  if v_errors > 0 and not p_valid_only then
    perform public.import_finish(j.id, 'failed', jsonb_build_object('rows', v_total, 'problems', v_problems));
    return jsonb_build_object('committed', false, 'rows', v_total, 'problems', v_problems);
  end if;

  with src as (
    select r.* from jsonb_array_elements(v_rows) e
    cross join lateral jsonb_to_record(e) as r(
      _row integer, name text, name_ar text, actor_type text, aliases text[], stance text,
      influence smallint, interest smallint, hq_lat double precision, hq_lon double precision,
      notes text, sources text[])
  ), ins as (
    insert into public.actors (name, name_ar, actor_type, aliases, stance, influence, interest, hq, notes, sources)
    select s.name, s.name_ar, coalesce(s.actor_type, 'unknown'), coalesce(s.aliases, '{}'), coalesce(s.stance, 'unknown'),
           s.influence, s.interest,
           case when s.hq_lon is not null and s.hq_lat is not null then st_setsrid(st_makepoint(s.hq_lon, s.hq_lat), 4326) end,
           coalesce(s.notes, ''), coalesce(s.sources, '{}')
    from src s
    where not exists (select 1 from jsonb_array_elements(v_problems) p where (p ->> 'row')::int = s._row)
    order by s._row
    returning 1
  ) select count(*) into v_inserted from ins;

  if v_merge then
    with merging as (
      select (p ->> 'actor_id')::uuid as actor_id, n.v
      from jsonb_array_elements(v_problems) p
      join jsonb_array_elements(v_rows) e on (e ->> '_row')::int = (p ->> 'row')::int
      cross join lateral (
        select e ->> 'name' as v union all select e ->> 'name_ar'
        union all select x from jsonb_array_elements_text(case when jsonb_typeof(e -> 'aliases') = 'array' then e -> 'aliases' else '[]'::jsonb end) x
      ) n
      where p ->> 'level' = 'warning' and p ? 'actor_id' and public.actor_name_key(n.v) is not null
    ), upd as (
      update public.actors a
         set aliases = a.aliases || m.names
        from (select mg.actor_id, array_agg(distinct trim(mg.v)) as names
              from merging mg join public.actors x on x.id = mg.actor_id
              where not x.name_keys @> array[public.actor_name_key(mg.v)]
              group by mg.actor_id) m
       where a.id = m.actor_id
      returning 1
    ) select count(*) into v_merged from upd;
  end if;

  v_stats := jsonb_build_object('inserted', v_inserted, 'updated', v_merged, 'unchanged', 0, 'committed', true,
               'rows', v_total, 'skipped', v_errors, 'problems', v_problems,
               'warnings', jsonb_array_length(v_problems) - v_errors);
  perform public.import_finish(j.id, 'committed', v_stats - 'problems');
  perform public.audit_note('import', j.target, jsonb_build_object('job', j.id, 'source', j.source,
    'file', j.file_name, 'format', j.format) || (v_stats - 'problems'));
  return v_stats;
end
$$;

-- import_commit as in 20261122001003_import_admin_depth.sql, with actors handed to their own
-- commit (no placement: an actor's headquarters is optional and given as a point).
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
  if j.target = 'actors' then
    return public.import_commit_actors(j, p_valid_only);
  end if;

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
