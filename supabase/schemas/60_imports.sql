set check_function_bodies = off;

-- Imports: files of incidents or sites (ACLED, UCDP, HXL, CSV/XLSX, GeoJSON, KML) brought in by
-- analysts and admins, all or nothing.
--
-- How a file gets in (src/lib/server/import drives it):
--   1. import_begin        opens a job for the caller: target table, upstream source name;
--   2. import_stage        once per batch of parsed, validated rows (a few thousand), each call its
--                          own short transaction into a staging table, so a 1M-row file never sits
--                          in memory or in one giant request;
--   3. import_commit       ONE transaction: places rows that have no coordinates, checks, and
--                          upserts every staged row into the target table by (upstream_source,
--                          upstream_id) — or, when any row has a problem and the caller did not ask
--                          for "valid rows only", writes nothing and answers the problems;
--   4. import_discard      drops a job's staging rows (a dry run, a cancelled import).
-- import_check answers the SQL-side problems of a batch without staging it (the dry run).
--
-- The writes in import_commit run as the caller (SECURITY INVOKER): the tables' policies decide
-- what lands, and the audit trigger records every inserted and updated row under the caller's id.
-- Staging rows are only reachable through the functions below, which check the job's owner.

create table public.import_jobs (
  id          uuid primary key default gen_random_uuid(),
  created_by  uuid not null default auth.uid() references public.app_users (id),
  target      text not null check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors')),
  source      text not null check (source ~ '^[a-z0-9][a-z0-9._:-]{0,79}$'),
  file_name   text,
  format      text,
  options     jsonb not null default '{}',
  status      text not null default 'staging' check (status in ('staging', 'committed', 'failed', 'discarded')),
  rows_staged integer not null default 0,
  summary     jsonb,
  created_at  timestamptz not null default now(),
  finished_at timestamptz
);

create index import_jobs_owner_idx on public.import_jobs (created_by, created_at desc);

alter table public.import_jobs enable row level security;

create policy "Importers can read their own import jobs" on public.import_jobs
  for select to authenticated using (created_by = (select auth.uid()));

create policy "Admins can read every import job" on public.import_jobs
  for select to authenticated using ((select public.has_app_role('admin')));

grant select on public.import_jobs to authenticated;

create trigger import_jobs_audit after insert or update or delete on public.import_jobs
  for each row execute function private.audit_row();

-- Staging: not data yet, so not audited; no grants, only the functions below touch it.
create table public.import_rows (
  job_id uuid not null references public.import_jobs (id) on delete cascade,
  ord    integer not null,
  data   jsonb not null,
  primary key (job_id, ord)
);

alter table public.import_rows enable row level security;

revoke all on public.import_rows from public, anon, authenticated;

-- Saved column mappings ("use the mapping I made last time"), shared by the analysts.
create table public.import_mappings (
  id         uuid primary key default gen_random_uuid(),
  name       text not null check (length(trim(name)) between 1 and 100),
  target     text not null check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors')),
  format     text,
  mapping    jsonb not null check (jsonb_typeof(mapping) = 'object'),
  created_by uuid default auth.uid(),
  updated_at timestamptz not null default now(),
  unique (target, name)
);

alter table public.import_mappings enable row level security;

create policy "Analysts and admins can read mappings" on public.import_mappings
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can add mappings" on public.import_mappings
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can change mappings" on public.import_mappings
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Analysts and admins can delete mappings" on public.import_mappings
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));

grant select, insert, update, delete on public.import_mappings to authenticated;

create trigger import_mappings_audit after insert or update or delete on public.import_mappings
  for each row execute function private.audit_row();

create function public.import_mapping_save(p_name text, p_target text, p_format text, p_mapping jsonb)
returns jsonb
language sql volatile
set search_path = public, pg_temp
as $$
  insert into public.import_mappings (name, target, format, mapping)
  values (trim(p_name), p_target, p_format, p_mapping)
  on conflict (target, name) do update set format = excluded.format, mapping = excluded.mapping, updated_at = now()
  returning to_jsonb(import_mappings)
$$;

create function public.import_mappings_list(p_target text default null) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(to_jsonb(m) order by m.name), '[]'::jsonb)
  from public.import_mappings m where p_target is null or m.target = p_target
$$;

-- ---------------------------------------------------------------------------------------------
-- An area named in words: the deepest level given (sub-district, district, governorate) whose
-- English or Arabic name matches, within the named parents when given. Only an unambiguous match
-- counts: two districts called "Markaz" in different governorates and no governorate given
-- places nothing.
create function public.area_by_names(p_admin1 text, p_admin2 text, p_admin3 text) returns text
language plpgsql stable
set search_path = public, pg_temp
as $$
declare n1 text := lower(nullif(trim(p_admin1), '')); n2 text := lower(nullif(trim(p_admin2), ''));
        n3 text := lower(nullif(trim(p_admin3), '')); v text[];
begin
  if n3 is not null then
    select array_agg(a3.pcode) into v from public.areas a3
      left join public.areas a2 on a2.pcode = a3.parent_pcode
      left join public.areas a1 on a1.pcode = a2.parent_pcode
     where a3.level = 3 and n3 in (lower(a3.name_en), lower(a3.name_ar))
       and (n2 is null or n2 in (lower(a2.name_en), lower(a2.name_ar)))
       and (n1 is null or n1 in (lower(a1.name_en), lower(a1.name_ar)));
    if cardinality(v) = 1 then return v[1]; end if;
  end if;
  if n2 is not null then
    select array_agg(a2.pcode) into v from public.areas a2
      left join public.areas a1 on a1.pcode = a2.parent_pcode
     where a2.level = 2 and n2 in (lower(a2.name_en), lower(a2.name_ar))
       and (n1 is null or n1 in (lower(a1.name_en), lower(a1.name_ar)));
    if cardinality(v) = 1 then return v[1]; end if;
  end if;
  if n1 is not null then
    select array_agg(a1.pcode) into v from public.areas a1
     where a1.level = 1 and n1 in (lower(a1.name_en), lower(a1.name_ar));
    if cardinality(v) = 1 then return v[1]; end if;
  end if;
  return null;
end
$$;

-- Where one row goes: its own point (placed in the admin areas by point-in-polygon), or, without
-- coordinates, a point inside the area named by P-code or by names (geo_precision 3). A row that
-- cannot be placed gets an error; a point outside every known area a warning.
-- Speed: placing each imported row ran the areas' row-level policy (a lookup of the caller's
-- role) on every one of its several area queries — 0.7 ms a row, three quarters of a 20,000-row
-- commit. Areas are readable by every signed-in user, so placement now runs as the function's
-- owner after checking once per row that the caller is signed in; anonymous callers cannot
-- execute it at all.
create function public.import_place_row(
  p_row integer, p_lon double precision, p_lat double precision, p_prec smallint,
  p_pcode text, p_admin1 text, p_admin2 text, p_admin3 text)
returns table (lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language plpgsql stable security definer
set search_path = public, extensions, pg_temp
as $$
declare v_area text; a record; v_pcode text := nullif(trim(p_pcode), '');
begin
  if public.current_app_role() is null then
    raise exception 'sign in to place points in admin areas' using errcode = '42501';
  end if;
  if p_lon is not null and p_lat is not null then
    select * into a from public.incident_areas(p_lon, p_lat);
    return query select p_lon, p_lat, coalesce(p_prec, 1::smallint), a.admin1_pcode, a.admin2_pcode, a.admin3_pcode,
      case when a.admin1_pcode is null and exists (select 1 from public.areas) then
        jsonb_build_object('row', p_row, 'field', 'lat', 'level', 'warning',
          'reason', format('the point %s, %s (lat, lon) is outside every known admin area; check the coordinates and their order',
                           round(p_lat::numeric, 5), round(p_lon::numeric, 5))) end;
    return;
  end if;
  if v_pcode is not null then
    select pcode into v_area from public.areas where pcode = v_pcode;
    if v_area is null then
      return query select null::float8, null::float8, 3::smallint, null::text, null::text, null::text,
        jsonb_build_object('row', p_row, 'field', 'admin_pcode', 'level', 'error',
          'reason', format('no coordinates, and no area has the P-code %s', v_pcode));
      return;
    end if;
  else
    v_area := public.area_by_names(p_admin1, p_admin2, p_admin3);
    if v_area is null then
      return query select null::float8, null::float8, 3::smallint, null::text, null::text, null::text,
        case when coalesce(nullif(trim(p_admin1), ''), nullif(trim(p_admin2), ''), nullif(trim(p_admin3), '')) is not null then
          jsonb_build_object('row', p_row,
            'field', case when nullif(trim(p_admin3), '') is not null then 'admin3' when nullif(trim(p_admin2), '') is not null then 'admin2' else 'admin1' end,
            'level', 'error',
            'reason', format('no coordinates, and the area name "%s" matches no single area',
                             coalesce(nullif(trim(p_admin3), ''), nullif(trim(p_admin2), ''), trim(p_admin1))))
        else
          jsonb_build_object('row', p_row, 'field', 'lat', 'level', 'error',
            'reason', 'no coordinates, P-code or area name: the row cannot be placed')
        end;
      return;
    end if;
  end if;
  return query select an.lon, an.lat, 3::smallint, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode, null::jsonb
    from public.area_anchor(v_area) an;
end
$$;
revoke execute on function public.import_place_row(integer, double precision, double precision, smallint, text, text, text, text) from public, anon;
grant execute on function public.import_place_row(integer, double precision, double precision, smallint, text, text, text, text) to authenticated;

-- import_place_row for each element of a batch (the elements are staged rows, see import_stage).
create function public.import_place(p_rows jsonb)
returns table (ord integer, lon double precision, lat double precision, geo_precision smallint,
               admin1_pcode text, admin2_pcode text, admin3_pcode text, problem jsonb)
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select (e ->> '_row')::int, p.*
  from jsonb_array_elements(p_rows) e
  cross join lateral public.import_place_row((e ->> '_row')::int, (e ->> 'lon')::float8, (e ->> 'lat')::float8,
    nullif(e ->> 'geo_precision', '')::smallint, e ->> 'admin_pcode', e ->> 'admin1', e ->> 'admin2', e ->> 'admin3') p
$$;

-- The SQL-side problems of a batch (placement; for incidents optionally likely duplicates
-- already in the database), without writing anything: the dry run.
-- Actors have no location to place; their problems are their duplicates (p_merge: the job option
-- merge_duplicates). (That parameter is why 20261122006000 dropped the old signature.)
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

-- ---------------------------------------------------------------------------------------------
create function public.import_begin(p_target text, p_source text, p_file_name text default null,
                                    p_format text default null, p_options jsonb default '{}')
returns uuid
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare v uuid;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins can import' using errcode = '42501';
  end if;
  if p_source is null or p_source !~ '^[a-z0-9][a-z0-9._:-]{0,79}$' then
    raise exception 'source: a short lower-case name such as acled or partner-camps-2024 (got %)', coalesce(p_source, 'nothing')
      using errcode = '22023';
  end if;
  -- Staging left behind by an interrupted import of this user goes after a day.
  delete from public.import_jobs
   where created_by = auth.uid() and status = 'staging' and created_at < now() - interval '1 day';
  insert into public.import_jobs (created_by, target, source, file_name, format, options)
  values (auth.uid(), p_target, p_source, left(p_file_name, 255), p_format, coalesce(p_options, '{}'))
  returning id into v;
  return v;
end
$$;

-- The caller's job, locked, still staging; or an error.
create function public.import_job_for_update(p_job uuid) returns public.import_jobs
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare j public.import_jobs;
begin
  select * into j from public.import_jobs where id = p_job for update;
  if j.id is null or j.created_by is distinct from auth.uid() then
    raise exception 'no such import, or not yours' using errcode = 'P0002';
  end if;
  if j.status <> 'staging' then
    raise exception 'this import is already %', j.status using errcode = '22023';
  end if;
  return j;
end
$$;

create function public.import_stage(p_job uuid, p_rows jsonb) returns integer
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare n integer;
begin
  perform public.import_job_for_update(p_job);
  if jsonb_typeof(p_rows) <> 'array' then
    raise exception 'rows must be a JSON array' using errcode = '22023';
  end if;
  insert into public.import_rows (job_id, ord, data)
  select p_job, (e ->> '_row')::int, e from jsonb_array_elements(p_rows) e;
  get diagnostics n = row_count;
  update public.import_jobs set rows_staged = rows_staged + n where id = p_job;
  return n;
end
$$;

-- The staged rows of the caller's job, for import_commit (which runs as the caller).
create function public.import_staged(p_job uuid) returns table (ord integer, data jsonb)
language plpgsql stable security definer
set search_path = public, pg_temp
as $$
begin
  if not exists (select 1 from public.import_jobs where id = p_job and created_by = auth.uid()) then
    raise exception 'no such import, or not yours' using errcode = 'P0002';
  end if;
  return query select r.ord, r.data from public.import_rows r where r.job_id = p_job order by r.ord;
end
$$;

create function public.import_finish(p_job uuid, p_status text, p_summary jsonb) returns void
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
begin
  perform public.import_job_for_update(p_job);
  delete from public.import_rows where job_id = p_job;
  update public.import_jobs set status = p_status, summary = p_summary, finished_at = now() where id = p_job;
end
$$;

create function public.import_discard(p_job uuid) returns void
language sql volatile
set search_path = public, pg_temp
as $$
  select public.import_finish(p_job, 'discarded', null)
$$;

-- ---------------------------------------------------------------------------------------------
-- The commit: one transaction (this one call). Rows with a placement error make the whole import
-- fail unless p_valid_only, in which case they are skipped and listed.
-- Imports honour a row's admin_depth, as the demo loader does (20261122000600_seed_loaders.sql):
-- an event that UCDP locates only by its governorate or the country, at that unit's centre point,
-- is not assigned to whichever district or sub-district contains the centre point. A row without
-- admin_depth is placed in all three levels, as before.
-- import_commit as in 20261122001003_import_admin_depth.sql, with actors handed to their own
-- commit (no placement: an actor's headquarters is optional and given as a point).
create function public.import_commit(p_job uuid, p_valid_only boolean default false) returns jsonb
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

-- Incidents from pg_temp.import_work. On re-import, what the source says is refreshed and what
-- the team decided (status, confidentiality, NGO lens, grading) is kept — as the seed loader does.
-- Speed: the check that a Terrain export's own incidents are already here compared ids as text,
-- which no index serves and which ran for every row (NULL AND … still evaluates the right side):
-- a 5,000-row import into the demo database took a minute. Now it runs only for rows of source
-- 'terrain' and looks the id up through the primary key.
-- Incidents from pg_temp.import_work. On re-import, what the source says is refreshed and what
-- the team decided (status, confidentiality, NGO lens, grading) is kept — as the seed loader does.
create function public.import_commit_incidents(j public.import_jobs) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb; v_actors integer;
begin
  -- Actors named in the file: added once each (by name key, so "ISIL" and "isil" are one),
  -- unless an actor already has that name, alias or spelling — as the report form does.
  with names as (
    -- the spelling the file uses first
    select distinct on (public.actor_name_key(x.n)) x.n from pg_temp.import_work w,
      unnest(array[trim(w.data ->> 'actor1'), trim(w.data ->> 'actor2')]) with ordinality x(n, side)
    where coalesce(x.n, '') <> '' and public.actor_name_key(x.n) is not null
    order by public.actor_name_key(x.n), w.ord, x.side
  ), ins as (
    insert into public.actors (name, upstream_source)
    select n, j.source from names
    where public.actor_by_name(names.n) is null
    on conflict do nothing returning 1
  ) select count(*) into v_actors from ins;

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
           st_setsrid(st_makepoint(s.lon, s.lat), 4326), s.geo_precision, coalesce(s.fatalities, 0),
           s.injuries, s.abductions, coalesce(s.notes, ''), s.source, s.source_scale,
           coalesce(s.affects_us, false), coalesce(s.affects_ngos, false), coalesce(s.serious, false),
           s.ops_impact, s.source_reliability, s.info_credibility,
           coalesce(s.confidentiality, j.options ->> 'confidentiality', 'internal'),
           coalesce(s.status, j.options ->> 'status', 'reported'), (select auth.uid())
    from src s
    left join lateral (select public.actor_by_name(s.actor1) as id) a1 on true
    left join lateral (select public.actor_by_name(s.actor2) as id) a2 on true
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

-- Sites of one registry from pg_temp.import_work. A re-import refreshes what the source says and
-- keeps what the team maintains (support and services, a checkpoint's status and verification).
create function public.import_commit_sites(j public.import_jobs) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb;
begin
  if j.target = 'health_facilities' then
    with src as (
      select w.*, r.* from pg_temp.import_work w cross join lateral jsonb_to_record(w.data) as r(
        upstream_id text, name text, name_ar text, facility_type text, services text[], supported boolean, notes text, source text)
    ), up as (
      insert into public.health_facilities as t (upstream_source, upstream_id, name, name_ar, facility_type, services,
        supported, admin1_pcode, admin2_pcode, admin3_pcode, geom, notes, source)
      select case when s.upstream_id is not null then j.source end, s.upstream_id, s.name, s.name_ar,
             coalesce(s.facility_type, 'other'), coalesce(s.services, '{}'), coalesce(s.supported, false),
             s.admin1_pcode, s.admin2_pcode, s.admin3_pcode, st_setsrid(st_makepoint(s.lon, s.lat), 4326),
             coalesce(s.notes, ''), s.source
      from src s order by s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, name_ar = excluded.name_ar, facility_type = excluded.facility_type,
            admin1_pcode = excluded.admin1_pcode, admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode,
            geom = excluded.geom, notes = excluded.notes, source = excluded.source, updated_at = now()
        where (t.name, t.name_ar, t.facility_type, t.geom, t.notes, t.source)
              is distinct from (excluded.name, excluded.name_ar, excluded.facility_type, excluded.geom, excluded.notes, excluded.source)
      returning (xmax = 0) as inserted
    ) select jsonb_build_object('inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted)) into v from up;

  elsif j.target = 'idp_camps' then
    with src as (
      select w.*, r.* from pg_temp.import_work w cross join lateral jsonb_to_record(w.data) as r(
        upstream_id text, name text, name_ar text, camp_type text, status text, population integer, households integer,
        managing_org text, population_date date, notes text, source text)
    ), up as (
      insert into public.idp_camps as t (upstream_source, upstream_id, name, name_ar, camp_type, status, population,
        households, managing_org, population_date, admin1_pcode, admin2_pcode, admin3_pcode, geom, notes, source)
      select case when s.upstream_id is not null then j.source end, s.upstream_id, s.name, s.name_ar,
             coalesce(s.camp_type, 'idp'), coalesce(s.status, 'open'), s.population, s.households, s.managing_org,
             s.population_date, s.admin1_pcode, s.admin2_pcode, s.admin3_pcode,
             st_setsrid(st_makepoint(s.lon, s.lat), 4326), coalesce(s.notes, ''), s.source
      from src s order by s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, name_ar = excluded.name_ar, camp_type = excluded.camp_type, status = excluded.status,
            population = excluded.population, households = excluded.households, managing_org = excluded.managing_org,
            population_date = excluded.population_date, admin1_pcode = excluded.admin1_pcode,
            admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode, geom = excluded.geom,
            notes = excluded.notes, source = excluded.source, updated_at = now()
        where (t.name, t.name_ar, t.camp_type, t.status, t.population, t.households, t.managing_org, t.population_date, t.geom, t.notes, t.source)
              is distinct from (excluded.name, excluded.name_ar, excluded.camp_type, excluded.status, excluded.population,
                                excluded.households, excluded.managing_org, excluded.population_date, excluded.geom, excluded.notes, excluded.source)
      returning (xmax = 0) as inserted
    ) select jsonb_build_object('inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted)) into v from up;

  elsif j.target = 'checkpoints' then
    with src as (
      select w.*, r.* from pg_temp.import_work w cross join lateral jsonb_to_record(w.data) as r(
        upstream_id text, name text, name_ar text, controlled_by text, status text, last_verified_at timestamptz,
        road text, notes text, source text)
    ), up as (
      insert into public.checkpoints as t (upstream_source, upstream_id, name, name_ar, controlling_actor_id, controlled_by,
        status, last_verified_at, road, admin1_pcode, admin2_pcode, admin3_pcode, geom, notes, source)
      select case when s.upstream_id is not null then j.source end, s.upstream_id, s.name, s.name_ar, a.id, s.controlled_by,
             coalesce(s.status, 'open'), s.last_verified_at, s.road, s.admin1_pcode, s.admin2_pcode, s.admin3_pcode,
             st_setsrid(st_makepoint(s.lon, s.lat), 4326), coalesce(s.notes, ''), s.source
      from src s left join public.actors a on lower(a.name) = lower(s.controlled_by)
      order by s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, name_ar = excluded.name_ar, controlling_actor_id = excluded.controlling_actor_id,
            controlled_by = excluded.controlled_by, road = excluded.road, admin1_pcode = excluded.admin1_pcode,
            admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode, geom = excluded.geom,
            notes = excluded.notes, source = excluded.source, updated_at = now()
        where (t.name, t.name_ar, t.controlled_by, t.road, t.geom, t.notes, t.source)
              is distinct from (excluded.name, excluded.name_ar, excluded.controlled_by, excluded.road, excluded.geom, excluded.notes, excluded.source)
      returning (xmax = 0) as inserted
    ) select jsonb_build_object('inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted)) into v from up;

  elsif j.target = 'org_sites' then
    with src as (
      select w.*, r.* from pg_temp.import_work w cross join lateral jsonb_to_record(w.data) as r(
        upstream_id text, name text, site_type text, notes text, source text)
    ), up as (
      insert into public.org_sites as t (upstream_source, upstream_id, name, site_type, admin1_pcode, admin2_pcode,
        admin3_pcode, geom, notes, source)
      select case when s.upstream_id is not null then j.source end, s.upstream_id, s.name, coalesce(s.site_type, 'office'),
             s.admin1_pcode, s.admin2_pcode, s.admin3_pcode, st_setsrid(st_makepoint(s.lon, s.lat), 4326),
             coalesce(s.notes, ''), s.source
      from src s order by s.ord
      on conflict (upstream_source, upstream_id) do update
        set name = excluded.name, site_type = excluded.site_type, admin1_pcode = excluded.admin1_pcode,
            admin2_pcode = excluded.admin2_pcode, admin3_pcode = excluded.admin3_pcode, geom = excluded.geom,
            notes = excluded.notes, source = excluded.source, updated_at = now()
        where (t.name, t.site_type, t.geom, t.notes, t.source)
              is distinct from (excluded.name, excluded.site_type, excluded.geom, excluded.notes, excluded.source)
      returning (xmax = 0) as inserted
    ) select jsonb_build_object('inserted', count(*) filter (where inserted), 'updated', count(*) filter (where not inserted)) into v from up;
  end if;
  return v || jsonb_build_object('unchanged', (select count(*) from pg_temp.import_work)
                                   - (v ->> 'inserted')::int - (v ->> 'updated')::int);
end
$$;

-- The caller's recent imports, for the import page.
create function public.import_jobs_list(p_limit integer default 20) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(to_jsonb(j) order by j.created_at desc), '[]'::jsonb)
  from (select * from public.import_jobs where created_by = (select auth.uid())
        order by created_at desc limit least(greatest(p_limit, 1), 100)) j
$$;

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
