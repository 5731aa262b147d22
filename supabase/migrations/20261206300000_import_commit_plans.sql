-- Import commit speed (issue 16). The work tables import_commit fills in its transaction
-- (pg_temp.import_work, import_actor_names, import_actor_ids) had no statistics: the planner
-- guessed a few hundred rows and joined the file's rows to the resolved actor ids with a nested
-- loop that scanned every actor id for every row (rows × actors; 25M row visits for 5,000 rows
-- naming 5,000 actors, 11 of the commit's 17 s), then spent 2.7 s JIT-compiling that plan. They
-- are now ANALYZEd once filled, JIT is off for the commit, and the file's actor name keys are
-- looked up through the GIN index on actors.name_keys instead of unnesting every actor's keys.

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
  select s.ord, s.data, p.lon, p.lat, p.geo_precision, p.admin1_pcode, p.admin2_pcode, p.admin3_pcode, p.problem
  from public.import_staged(p_job) s
  cross join lateral public.import_place_row(s.ord, (s.data ->> 'lon')::float8, (s.data ->> 'lat')::float8,
    nullif(s.data ->> 'geo_precision', '')::smallint, s.data ->> 'admin_pcode', s.data ->> 'admin1',
    s.data ->> 'admin2', s.data ->> 'admin3') p;
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

create or replace function public.import_commit_incidents(j public.import_jobs) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb; v_actors integer; v_keys text[];
begin
  drop table if exists pg_temp.import_actor_names;
  create temp table import_actor_names on commit drop as
    select x.n, public.actor_name_key(x.n) as k, min(w.ord * 2 + x.side) as first_at
    from pg_temp.import_work w,
      unnest(array[trim(w.data ->> 'actor1'), trim(w.data ->> 'actor2')]) with ordinality x(n, side)
    where coalesce(x.n, '') <> ''
    group by x.n;
  delete from pg_temp.import_actor_names where k is null;
  analyze pg_temp.import_actor_names;
  select coalesce(array_agg(distinct k), '{}') into v_keys from pg_temp.import_actor_names;

  -- Actors named in the file: added once each (by name key, so "ISIL" and "isil" are one), in the
  -- spelling the file uses first, unless an actor already has that name, alias or spelling — as
  -- the report form does.
  with known as (
    select distinct ak.k from public.actors a cross join lateral unnest(a.name_keys) ak(k)
    where a.name_keys && v_keys
  ), ins as (
    insert into public.actors (name, upstream_source)
    select f.n, j.source
    from (select distinct on (k) n, k, first_at from pg_temp.import_actor_names order by k, first_at) f
    where not exists (select 1 from known where known.k = f.k)
    order by f.first_at
    on conflict do nothing returning 1
  ) select count(*) into v_actors from ins;

  drop table if exists pg_temp.import_actor_ids;
  create temp table import_actor_ids on commit drop as
    select distinct on (s.n) s.n, a.id
    from pg_temp.import_actor_names s
    join (select a.id, a.name, a.created_at, ak.k
          from public.actors a cross join lateral unnest(a.name_keys) ak(k)
          where a.name_keys && v_keys) a on a.k = s.k
    order by s.n, (lower(a.name) = lower(s.n)) desc, a.created_at, a.id;
  analyze pg_temp.import_actor_ids;

  with src as (
    select w.ord, w.lon, w.lat, w.geo_precision, w.admin1_pcode, w.admin2_pcode, w.admin3_pcode, r.*
    from pg_temp.import_work w
    cross join lateral jsonb_to_record(w.data) as r(
      upstream_source text, upstream_id text, event_date date, event_time time, time_precision text, event_type text,
      sub_event_type text, actor1 text, actor2 text, location_name text, fatalities integer,
      injuries integer, abductions integer, notes text, source text, source_scale text,
      affects_us boolean, affects_ngos boolean, serious boolean, ops_impact text,
      source_reliability text, info_credibility smallint, confidentiality text, status text)
  ),
  up as (
    insert into public.incidents as i (
      upstream_source, upstream_id, event_date, event_time, time_precision, event_type,
      sub_event_type, actor1_id, actor2_id, admin1_pcode, admin2_pcode, admin3_pcode,
      location_name, geom, geo_precision, fatalities, injuries, abductions, notes, source,
      source_scale, affects_us, affects_ngos, serious, ops_impact, source_reliability,
      info_credibility, confidentiality, status, reported_by)
    select case when s.upstream_id is not null then coalesce(nullif(s.upstream_source, ''), j.source) end,
           s.upstream_id, s.event_date, s.event_time,
           coalesce(s.time_precision, 'day'), s.event_type, s.sub_event_type, a1.id, a2.id,
           s.admin1_pcode, s.admin2_pcode, s.admin3_pcode, s.location_name,
           st_setsrid(st_makepoint(s.lon, s.lat), 4326), s.geo_precision, s.fatalities,
           s.injuries, s.abductions, coalesce(s.notes, ''), s.source, s.source_scale,
           coalesce(s.affects_us, false), coalesce(s.affects_ngos, false), coalesce(s.serious, false),
           s.ops_impact, s.source_reliability, s.info_credibility,
           coalesce(s.confidentiality, j.options ->> 'confidentiality', 'internal'),
           coalesce(s.status, j.options ->> 'status', 'reported'), (select auth.uid())
    from src s
    left join pg_temp.import_actor_ids a1 on a1.n = trim(s.actor1)
    left join pg_temp.import_actor_ids a2 on a2.n = trim(s.actor2)
    -- A Terrain export names incidents that had no upstream by their own id (source 'terrain');
    -- brought back into the database they came from, they are already there.
    where case when s.upstream_source = 'terrain'
                     and s.upstream_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
               then not exists (select 1 from public.incidents x where x.id = s.upstream_id::uuid)
               else true end
    order by s.ord
    on conflict (upstream_source, upstream_id) do update
      set event_date = excluded.event_date, event_time = excluded.event_time,
          time_precision = excluded.time_precision, event_type = excluded.event_type,
          sub_event_type = excluded.sub_event_type, actor1_id = excluded.actor1_id,
          actor2_id = excluded.actor2_id, admin1_pcode = excluded.admin1_pcode,
          admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode,
          location_name = excluded.location_name, geom = excluded.geom,
          geo_precision = excluded.geo_precision, fatalities = excluded.fatalities,
          injuries = excluded.injuries, abductions = excluded.abductions, notes = excluded.notes,
          source = excluded.source, source_scale = excluded.source_scale, updated_at = now()
      where (i.event_date, i.event_time, i.time_precision, i.event_type, i.sub_event_type,
             i.actor1_id, i.actor2_id, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
             i.location_name, i.geom, i.geo_precision, i.fatalities, i.injuries, i.abductions,
             i.notes, i.source, i.source_scale)
            is distinct from
            (excluded.event_date, excluded.event_time, excluded.time_precision, excluded.event_type,
             excluded.sub_event_type, excluded.actor1_id, excluded.actor2_id, excluded.admin1_pcode,
             excluded.admin2_pcode, excluded.admin3_pcode, excluded.location_name, excluded.geom,
             excluded.geo_precision, excluded.fatalities, excluded.injuries, excluded.abductions,
             excluded.notes, excluded.source, excluded.source_scale)
    returning (xmax = 0) as inserted
  )
  select jsonb_build_object('inserted', count(*) filter (where inserted),
                            'updated', count(*) filter (where not inserted),
                            'unchanged', (select count(*) from pg_temp.import_work) - count(*),
                            'actors_added', v_actors)
    into v from up;
  return v;
end
$$;
