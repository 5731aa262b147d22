-- One audit entry per import job instead of one per imported row (issue 16). The per-row entries
-- were the largest part of an import commit (the chain digests every field of every row). While
-- import_commit writes, the row trigger notes the written rows' ids in private.audit_bulk_rows, and
-- the commit writes one entry for the job naming them (ids, counts, a digest). Only the import
-- commit functions can open that scope; every other writer stays audited row by row. The why and
-- the guarantees are in supabase/schemas/00_roles_auth.sql ("Imports: one entry per job") and
-- 60_imports.sql (import_audit_open).

create table private.audit_bulk (
  xid    bigint primary key,
  job    uuid not null,
  tables text[] not null,
  at     timestamptz not null default now()
);
revoke all on private.audit_bulk from public;

create table private.audit_bulk_rows (
  xid        bigint not null,
  table_name text not null,
  op         text not null,
  row_id     text
);
create index audit_bulk_rows_xid_idx on private.audit_bulk_rows (xid);
revoke all on private.audit_bulk_rows from public;

-- At commit: a scope still open means a job entry was never written; refuse the commit.
create function private.audit_bulk_closed() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if exists (select 1 from private.audit_bulk b where b.xid = new.xid) then
    raise exception 'audit: an import left its audit scope open; nothing is committed' using errcode = '42501';
  end if;
  return null;
end
$$;
revoke execute on function private.audit_bulk_closed() from public;
create constraint trigger audit_bulk_closed after insert on private.audit_bulk
  deferrable initially deferred
  for each row execute function private.audit_bulk_closed();

create or replace function private.audit_row() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if private.audit_paused() then
    return coalesce(new, old);
  end if;
  if exists (select 1 from private.audit_bulk b where b.xid = txid_current() and tg_table_name = any (b.tables)) then
    insert into private.audit_bulk_rows (xid, table_name, op, row_id)
    values (txid_current(), tg_table_name, lower(tg_op),
            case when tg_op = 'DELETE' then (to_jsonb(old) ->> 'id') else (to_jsonb(new) ->> 'id') end);
    return coalesce(new, old);
  end if;
  insert into public.audit_log (actor_id, action, table_name, row_id, before, after)
  values (
    (select auth.uid()),
    lower(tg_op),
    tg_table_name,
    case when tg_op = 'DELETE' then (to_jsonb(old) ->> 'id') else (to_jsonb(new) ->> 'id') end,
    case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end,
    case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end
  );
  return coalesce(new, old);
end
$$;
revoke execute on function private.audit_row() from public;

create function private.import_audit_caller(p_ctx text) returns boolean
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  -- Line 1 is the checking function itself, line 2 its caller: called by assignment, so no
  -- "SQL statement" line lies between them (such a line quotes the statement's text, which a DO
  -- block's author controls, newlines included; a frame line's function name is printed by
  -- PostgreSQL, schema-qualified unless it is public's and quoted when unusual).
  select split_part(p_ctx, E'\n', 2)
         ~ '^PL/pgSQL function (public\.)?(import_commit\(uuid,boolean\)|import_commit_actors\((public\.)?import_jobs,boolean\)) line [0-9]+ at assignment$'
$$;
revoke execute on function private.import_audit_caller(text) from public;

create function public.import_audit_open(p_job uuid) returns uuid
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare v_ctx text; j public.import_jobs;
begin
  get diagnostics v_ctx = pg_context;
  if not private.import_audit_caller(v_ctx) then
    raise exception 'audit: only an import commit may open its audit scope' using errcode = '42501';
  end if;
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can import' using errcode = '42501';
  end if;
  select * into j from public.import_jobs
   where id = p_job and created_by = auth.uid() and status = 'staging';
  if j.id is null then
    raise exception 'no such import, or not yours' using errcode = 'P0002';
  end if;
  insert into private.audit_bulk (xid, job, tables)
  values (txid_current(), j.id,
          case when j.target = 'incidents' then array['incidents', 'actors'] else array[j.target] end);
  return j.id;
end
$$;
revoke execute on function public.import_audit_open(uuid) from public, anon;
grant execute on function public.import_audit_open(uuid) to authenticated;

-- import_audit_close: the job's one entry — {job, source, file, format, the commit's counts,
-- written: {table: {insert: n, update: n}}, ids: every id written (sorted), ids_sha256: sha256 of
-- "table op id" lines, sorted, joined by newlines} — under the importer's id; the scope is closed.
-- `ids` is the key audit_log_search looks a row id up in, so an incident's import is found.
create function public.import_audit_close(p_job uuid, p_stats jsonb) returns uuid
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare v_ctx text; j public.import_jobs; v_written jsonb; v_ids jsonb; v_digest text;
begin
  get diagnostics v_ctx = pg_context;
  if not private.import_audit_caller(v_ctx) then
    raise exception 'audit: only an import commit may close its audit scope' using errcode = '42501';
  end if;
  if not exists (select 1 from private.audit_bulk b where b.xid = txid_current() and b.job = p_job) then
    raise exception 'audit: this import has no open audit scope' using errcode = '22023';
  end if;
  select * into j from public.import_jobs where id = p_job;
  select coalesce(jsonb_object_agg(t.table_name, t.ops), '{}'::jsonb) into v_written
  from (select o.table_name, jsonb_object_agg(o.op, o.n) as ops
        from (select r.table_name, r.op, count(*) as n from private.audit_bulk_rows r
              where r.xid = txid_current() group by 1, 2) o
        group by 1) t;
  select coalesce(jsonb_agg(distinct r.row_id order by r.row_id), '[]'::jsonb),
         encode(sha256(convert_to(coalesce(string_agg(r.table_name || ' ' || r.op || ' ' || coalesce(r.row_id, ''), E'\n'
                  order by r.table_name, r.op, r.row_id), ''), 'UTF8')), 'hex')
    into v_ids, v_digest
  from private.audit_bulk_rows r where r.xid = txid_current();
  insert into public.audit_log (actor_id, action, table_name, row_id, detail)
  values ((select auth.uid()), 'import', j.target, j.id::text,
          jsonb_build_object('job', j.id, 'source', j.source, 'file', j.file_name, 'format', j.format)
          || coalesce(p_stats, '{}'::jsonb)
          || jsonb_build_object('written', v_written, 'ids', v_ids, 'ids_sha256', v_digest));
  delete from private.audit_bulk_rows where xid = txid_current();
  delete from private.audit_bulk where xid = txid_current();
  return j.id;
end
$$;
revoke execute on function public.import_audit_close(uuid, jsonb) from public, anon;
grant execute on function public.import_audit_close(uuid, jsonb) to authenticated;

create or replace function public.import_commit(p_job uuid, p_valid_only boolean default false) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
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

create or replace function public.import_commit_actors(j public.import_jobs, p_valid_only boolean default false) returns jsonb
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
  v_scope uuid;
begin
  select coalesce(jsonb_agg(s.data order by s.ord), '[]'::jsonb) into v_rows from public.import_staged(j.id) s;
  v_total := jsonb_array_length(v_rows);
  v_problems := public.import_actor_duplicates(v_rows, v_merge);
  v_errors := (select count(*) from jsonb_array_elements(v_problems) p where p ->> 'level' = 'error');
  if v_errors > 0 and not p_valid_only then
    perform public.import_finish(j.id, 'failed', jsonb_build_object('rows', v_total, 'problems', v_problems));
    return jsonb_build_object('committed', false, 'rows', v_total, 'problems', v_problems);
  end if;

  v_scope := public.import_audit_open(j.id); -- one audit entry for the job (import_audit_open)
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
  v_scope := public.import_audit_close(j.id, v_stats - 'problems');
  return v_stats;
end
$$;
