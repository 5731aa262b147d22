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
-- what lands, and the audit log gets one entry per job under the caller's id, listing every row
-- the job inserted or updated (20261205060000_import_audit_per_job; import_audit_open below).
-- Staging rows are only reachable through the functions below, which check the job's owner.

create table public.import_jobs (
  id          uuid primary key default gen_random_uuid(),
  created_by  uuid not null default auth.uid() references public.app_users (id),
  target      text not null check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors', 'displacement_locations')),
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
  target     text not null check (target in ('incidents', 'health_facilities', 'idp_camps', 'checkpoints', 'org_sites', 'actors', 'displacement_locations')),
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
language sql stable
set search_path = public, pg_temp
as $$
  select pcode from public.place_by_names(p_admin1, p_admin2, p_admin3) where problem is null or problem ->> 'level' = 'warning'
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
declare v_area text; a record; v_pcode text := nullif(trim(p_pcode), ''); v_named text; v_named_level smallint; v_named_name text; v_in text; v_problem jsonb;
begin
  if public.current_app_role() is null then
    raise exception 'sign in to place points in admin areas' using errcode = '42501';
  end if;
  if p_lon is not null and p_lat is not null then
    select * into a from public.incident_areas(p_lon, p_lat);
    if a.admin1_pcode is null and exists (select 1 from public.areas) then
      return query select p_lon, p_lat, coalesce(p_prec, 1::smallint), a.admin1_pcode, a.admin2_pcode, a.admin3_pcode,
        jsonb_build_object('row', p_row, 'field', 'lat', 'level', 'warning',
          'reason', format('the point %s, %s (lat, lon) is outside every known admin area; check the coordinates and their order',
                           round(p_lat::numeric, 5), round(p_lon::numeric, 5)));
      return;
    end if;
    -- The area the row names, when it names one unambiguously: the point should lie in it.
    if v_pcode is not null then
      select ar.pcode, ar.level, ar.name_en into v_named, v_named_level, v_named_name from public.areas ar where ar.pcode = v_pcode;
    elsif coalesce(nullif(trim(p_admin1), ''), nullif(trim(p_admin2), ''), nullif(trim(p_admin3), '')) is not null then
      select ar.pcode, ar.level, ar.name_en into v_named, v_named_level, v_named_name
        from public.place_by_names(p_admin1, p_admin2, p_admin3) pb join public.areas ar on ar.pcode = pb.pcode
       where pb.problem is null;
    end if;
    if v_named is not null then
      v_in := case v_named_level when 1 then a.admin1_pcode when 2 then a.admin2_pcode when 3 then a.admin3_pcode end;
    end if;
    return query select p_lon, p_lat, coalesce(p_prec, 1::smallint), a.admin1_pcode, a.admin2_pcode, a.admin3_pcode,
      case when v_named is not null and v_in is distinct from v_named then
        jsonb_build_object('row', p_row, 'field', case when v_pcode is not null then 'admin_pcode' else 'lat' end, 'level', 'warning',
          'reason', format('the point %s, %s (lat, lon) lies in %s, not in %s (%s) that the row names',
                           round(p_lat::numeric, 5), round(p_lon::numeric, 5),
                           coalesce((select ar.name_en || ' (' || ar.pcode || ')' from public.areas ar where ar.pcode = v_in), 'another area'),
                           v_named_name, v_named)) end;
    return;
  end if;
  if v_pcode is not null then
    select ar.pcode into v_area from public.areas ar where ar.pcode = v_pcode;
    if v_area is null then
      return query select null::float8, null::float8, 3::smallint, null::text, null::text, null::text,
        jsonb_build_object('row', p_row, 'field', 'admin_pcode', 'level', 'error',
          'reason', format('no coordinates, and no area has the P-code %s', left(v_pcode, 40)));
      return;
    end if;
    return query select an.lon, an.lat, 3::smallint, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode, null::jsonb
      from public.area_anchor(v_area) an;
    return;
  end if;
  select pb.pcode, pb.problem into v_area, v_problem from public.place_by_names(p_admin1, p_admin2, p_admin3) pb;
  if v_area is null then
    return query select null::float8, null::float8, 3::smallint, null::text, null::text, null::text,
      v_problem || jsonb_build_object('row', p_row);
    return;
  end if;
  return query select an.lon, an.lat, 3::smallint, an.admin1_pcode, an.admin2_pcode, an.admin3_pcode,
    case when v_problem is not null then v_problem || jsonb_build_object('row', p_row) end
    from public.area_anchor(v_area) an;
end
$$;
revoke execute on function public.import_place_row(integer, double precision, double precision, smallint, text, text, text, text) from public, anon;
grant execute on function public.import_place_row(integer, double precision, double precision, smallint, text, text, text, text) to authenticated;

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
-- Each level's look-ups are materialized (20261211100000): inlined, the sub-district's subquery
-- was evaluated again inside each use of its result (three times a point), slower than row by row.
-- The look-ups read area_pieces, with area_at's tie rule (lower P-code) (20261213100000).
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
           coalesce((select a.pcode from public.area_pieces a
                      where a.level = 3 and st_intersects(a.geom, g.pt) order by a.pcode limit 1),
                    (select a.pcode from public.area_pieces a
                      where a.level = 3 and st_dwithin(a.geom, g.pt, 0.1)
                      order by a.geom <-> g.pt, a.pcode limit 1)) as a3
    from (select distinct r.lon, r.lat from r where r.has_point) p
    cross join lateral (select st_setsrid(st_point(p.lon, p.lat), 4326) as pt) g
  ),
  l2 as materialized (
    select l.lon, l.lat, l.pt, l.a3,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a3),
                    (select a.pcode from public.area_pieces a
                      where a.level = 2 and st_intersects(a.geom, l.pt) order by a.pcode limit 1),
                    (select a.pcode from public.area_pieces a
                      where a.level = 2 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt, a.pcode limit 1)) as a2
    from l3 l
  ),
  pts as materialized (
    select l.lon, l.lat, l.a3, l.a2,
           coalesce((select a.parent_pcode from public.areas a where a.pcode = l.a2),
                    (select a.pcode from public.area_pieces a
                      where a.level = 1 and st_intersects(a.geom, l.pt) order by a.pcode limit 1),
                    (select a.pcode from public.area_pieces a
                      where a.level = 1 and st_dwithin(a.geom, l.pt, 0.1)
                      order by a.geom <-> l.pt, a.pcode limit 1)) as a1
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
create function public.import_place(p_rows jsonb)
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
-- One audit entry per import job (20261205060000_import_audit_per_job; the why, and why it cannot
-- be used to write unaudited, is beside private.audit_bulk in 00_roles_auth.sql).
--
-- import_audit_open: from here until import_audit_close, in this transaction, the row trigger notes
-- the job's tables' written rows by id instead of logging each. Only the import commit functions
-- may call it: the caller's frame of the PL/pgSQL call stack must be import_commit(uuid,boolean)
-- or import_commit_actors(import_jobs,boolean) — a DO block shows as inline_code_block, a user's
-- temporary function as pg_temp_N.name, and app roles cannot create or replace functions in
-- public named so. The job must be the caller's own, still staging, and the caller an analyst or
-- admin (as import_begin requires).
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

-- ---------------------------------------------------------------------------------------------
-- The commit: one transaction (this one call). Rows with a placement error make the whole import
-- fail unless p_valid_only, in which case they are skipped and listed.
-- Imports honour a row's admin_depth, as the demo loader does (20261122000600_seed_loaders.sql):
-- an event that UCDP locates only by its governorate or the country, at that unit's centre point,
-- is not assigned to whichever district or sub-district contains the centre point. A row without
-- admin_depth is placed in all three levels, as before.
-- import_commit as in 20261122001003_import_admin_depth.sql, with actors handed to their own
-- commit (no placement: an actor's headquarters is optional and given as a point).
-- Speed (20261206300000_import_commit_plans): the work tables are ANALYZEd once filled. Created
-- in this transaction, they had no statistics, so the planner guessed a few hundred rows and chose
-- a nested loop that scanned every actor id for every row (rows × actors: 25M row visits for
-- 5,000 rows naming 5,000 actors) and, from the resulting cost, spent 2.7 s compiling it with
-- JIT. JIT is off for the commit: its statements are inserts whose time is in triggers and
-- indexes, which JIT does not speed up.
-- 20261211100000_import_place_set: the rows are placed in one statement (import_placed), not by
-- import_place_row per row.
create function public.import_commit(p_job uuid, p_valid_only boolean default false) returns jsonb
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

-- Incidents from pg_temp.import_work. On re-import, what the source says is refreshed and what
-- the team decided (status, confidentiality, NGO lens, grading) is kept — as the seed loader does.
-- Speed: the check that a Terrain export's own incidents are already here compared ids as text,
-- which no index serves and which ran for every row (NULL AND … still evaluates the right side):
-- a 5,000-row import into the demo database took a minute. Now it runs only for rows of source
-- 'terrain' and looks the id up through the primary key.
-- Incidents from pg_temp.import_work. On re-import, what the source says is refreshed and what
-- the team decided (status, confidentiality, NGO lens, grading) is kept — as the seed loader does.
-- Speed (20261204090000): actors are resolved set-based. actor_by_name() per row could not be
-- inlined and scanned every actor running actor_name_key() on each: 500 rows naming 500 actors
-- made 503,019 actor_name_key calls and took 25 of the commit's 28 s. Now each spelling's key is
-- computed once and joined to the actors' unnested name keys (a hash join); the choice among
-- several matching actors is actor_by_name's: the one whose own name it is, else the oldest.
-- 20261206300000: the file's keys are looked up through the GIN index on actors.name_keys (name,
-- Arabic name and aliases, kept by actors_before_write), so only the actors the file names are
-- unnested, and the work tables are ANALYZEd so that the insert joins them by hash (see
-- import_commit).
create function public.import_commit_incidents(j public.import_jobs) returns jsonb
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

-- Sites of one registry from pg_temp.import_work. A re-import refreshes what the source says and
-- keeps what the team maintains (support and services, a checkpoint's status and verification).
create function public.import_commit_sites(j public.import_jobs) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  w record; p jsonb; v_id uuid; v_by text; r jsonb;
  v_cols text[] := public.site_columns(j.target);
  v_m float8 := (public.app_settings_get() ->> 'site_match_m')::float8;
  n_ins integer := 0; n_upd integer := 0; n_same integer := 0;
  v_changes jsonb := '[]'::jsonb;
begin
  for w in select * from pg_temp.import_work order by ord loop
    -- The fields the file maps; a blank cell in a column that cannot be empty keeps the value.
    select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) into p
    from jsonb_each(w.data) e
    where e.key = any (v_cols)
      and not (jsonb_typeof(e.value) = 'null'
               and e.key in ('name', 'status', 'camp_type', 'facility_type', 'site_type', 'notes', 'services',
                             'supported', 'shelter', 'upstream_id'));
    if j.target = 'checkpoints' and p ? 'controlled_by' then
      p := p || jsonb_build_object('controlling_actor_id',
        (select a.id from public.actors a where lower(a.name) = lower(p ->> 'controlled_by') order by a.created_at limit 1));
    end if;
    p := p || jsonb_build_object('lon', w.lon, 'lat', w.lat);

    v_id := null; v_by := null;
    if p ->> 'upstream_id' is not null then
      execute format('select id from public.%I where upstream_source = $1 and upstream_id = $2', j.target)
        into v_id using j.source, p ->> 'upstream_id';
      if v_id is not null then v_by := 'upstream_id'; end if;
    end if;
    if v_id is null and p ? 'name' then
      execute format('select s.id from public.%I s
                      where lower(trim(s.name)) = lower(trim($1))
                        and st_dwithin(s.geom::geography, st_setsrid(st_makepoint($2, $3), 4326)::geography, $4)
                      order by s.geom::geography <-> st_setsrid(st_makepoint($2, $3), 4326)::geography limit 1', j.target)
        into v_id using p ->> 'name', w.lon, w.lat, v_m;
      if v_id is not null then v_by := 'name_and_distance'; end if;
    end if;

    r := public.site_write(j.target, v_id, p, j.source);
    -- A site first matched by name takes the file's id, so the next import matches it by id.
    if v_by = 'name_and_distance' and p ->> 'upstream_id' is not null then
      execute format('update public.%I set upstream_source = $1 where id = $2 and upstream_source is distinct from $1', j.target)
        using j.source, v_id;
    end if;
    if (r ->> 'inserted')::boolean then
      n_ins := n_ins + 1;
    elsif jsonb_array_length(r -> 'changed') > 0 then
      n_upd := n_upd + 1;
    else
      n_same := n_same + 1;
    end if;
    if jsonb_array_length(r -> 'changed') > 0 and jsonb_array_length(v_changes) < 500 then
      v_changes := v_changes || jsonb_build_object('row', w.ord, 'id', r ->> 'id', 'name', p ->> 'name',
        'action', case when (r ->> 'inserted')::boolean then 'inserted' else 'updated' end,
        'matched_by', v_by, 'fields', case when (r ->> 'inserted')::boolean then '[]'::jsonb else r -> 'changed' end);
    end if;
  end loop;
  return jsonb_build_object('inserted', n_ins, 'updated', n_upd, 'unchanged', n_same, 'changes', v_changes);
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

-- ---------------------------------------------------------------------------------------------
-- The gazetteer: every name an admin area goes by — COD-AB's English and Arabic names (kept in
-- step with the areas table by a trigger), common variants and former names (seeded from
-- supabase/seed/gazetteer.csv, with their sources), and what admins add (gazetteer_add).
-- Names are matched by two keys, so that transliteration and diacritics do not matter:
--   place_key       lower case, no diacritics, no article ("Al-", "ال"), no spaces or dashes
--                   ("Al-Basrah" = "al basrah" = "ALBASRAH"; "الأنبار" = "انبار")
--   place_skeleton  place_key without vowels, doubled letters and the letters transliterations
--                   disagree on (th/dh, q/k, g/j/ch, p/b, a final h): "Basra" = "Basrah",
--                   "Nassriya" = "Nasiriyah", "Hawija" = "Al-Hawiga", "Thi-Qar" = "Dhi Qar".
-- The first key is tried first; the skeleton only when no name has the first key.

create function public.place_key(p text) returns text
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  select nullif(replace(
    -- articles as words of their own: "al", "el", and the sun-letter forms ("ad-Din", "ash-Shuyukh")
    regexp_replace(
      regexp_replace(
        ' ' || regexp_replace(
          -- Arabic: no short vowels, no tatweel
          regexp_replace(
            translate(lower(p),
              'áàâäãåāăąçćčéèêëēėęíìîïīįñńóòôöõōøúùûüūůýÿşšţžğıḥṣṭḍẓ' || 'أإآٱىةؤئ' || 'ʿʾ''’`‘',
              'aaaaaaaaaccceeeeeeeiiiiiinnooooooouuuuuuyysstzgihstdz' || 'اااايهوي'),
            '[\u064B-\u065F\u0670\u0640]', '', 'g'),
          '[^a-z0-9\u0621-\u064A\u0660-\u0669\u06A9\u06AF\u06C0-\u06D5]+', ' ', 'g') || ' ',
        ' (al|el|ad|ar|as|ash|at|az|adh|an) ', ' ', 'g'),
      ' ال', ' ', 'g'),
    ' ', ''), '')
$$;

create function public.place_skeleton(p text) returns text
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$
  with k as (select public.place_key(p) as k)
  select case
    when k.k is null then null
    -- Arabic script: long vowels and a final ه are where spellings differ
    when k.k ~ '[\u0621-\u06D5]' then
      coalesce(nullif(left(k.k, 1) || regexp_replace(regexp_replace(substr(k.k, 2), '[اوي]', '', 'g'), 'ه$', ''), ''), k.k)
    else coalesce(nullif(
      regexp_replace(
        regexp_replace(
          regexp_replace(
            translate(
              regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                k.k, 'ch', 'j', 'g'), '(dh|th)', 'd', 'g'), 'kh', 'k', 'g'), 'gh', 'g', 'g'), 'ph', 'f', 'g'),
              'qgpcv', 'kjbkf'),
            '([aeiouy])h$', '\1'),
          '(.)[aeiouy]+|^[aeiou]+', '\1', 'g'),
        '(.)\1+', '\1', 'g'), ''), k.k)
  end
  from k
$$;

create table public.gazetteer (
  id          uuid primary key default gen_random_uuid(),
  -- No foreign key: the seeded names exist before the areas are loaded (terrain areas / demo data).
  pcode       text not null check (pcode ~ '^[A-Z]{2,3}[A-Z0-9]+$'),
  name        text not null check (length(trim(name)) between 1 and 200),
  kind        text not null default 'variant' check (kind in ('official', 'variant', 'former')),
  source      text not null check (length(trim(source)) between 1 and 300),
  name_key    text generated always as (public.place_key(name)) stored,
  name_skel   text generated always as (public.place_skeleton(name)) stored,
  created_by  uuid references public.app_users (id) default auth.uid(),
  created_at  timestamptz not null default now(),
  unique (pcode, name)
);
create index gazetteer_key_idx on public.gazetteer (name_key);
create index gazetteer_skel_idx on public.gazetteer (name_skel);
create index gazetteer_pcode_idx on public.gazetteer (pcode);
alter table public.gazetteer enable row level security;
create policy "Signed-in users can read the gazetteer" on public.gazetteer
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Admins can add names to the gazetteer" on public.gazetteer
  for insert to authenticated with check ((select public.has_app_role('admin')) and kind <> 'official');
create policy "Admins can remove names they or the seed added" on public.gazetteer
  for delete to authenticated using ((select public.has_app_role('admin')) and kind <> 'official');
create policy "Admins can change the names they or the seed added" on public.gazetteer
  for update to authenticated using ((select public.has_app_role('admin')) and kind <> 'official')
  with check ((select public.has_app_role('admin')) and kind <> 'official');
grant select, insert, update, delete on public.gazetteer to authenticated;

-- COD-AB's own names follow the areas table.
create function public.gazetteer_from_areas() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    delete from public.gazetteer where pcode = old.pcode and kind = 'official';
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.gazetteer (pcode, name, kind, source, created_by)
    select new.pcode, n, 'official', 'COD-AB (areas table)', null
    from unnest(array[new.name_en, new.name_ar]) n
    where nullif(trim(n), '') is not null
    on conflict (pcode, name) do update set kind = 'official', source = excluded.source;
  end if;
  return null;
end
$$;
create trigger areas_gazetteer after insert or update of name_en, name_ar, pcode or delete on public.areas
  for each row execute function public.gazetteer_from_areas();

insert into public.gazetteer (pcode, name, kind, source, created_by)
select a.pcode, n, 'official', 'COD-AB (areas table)', null
from public.areas a cross join lateral unnest(array[a.name_en, a.name_ar]) n
where nullif(trim(n), '') is not null
on conflict do nothing;

-- The areas of one level a name can mean, with the tier that matched (1 key, 2 skeleton) and
-- only the best tier's matches.
create function public.place_candidates(p_name text, p_level smallint)
returns table (pcode text, name_en text, parent_pcode text, parent_name text, tier integer)
language sql stable
set search_path = public, pg_temp
as $$
  with k as (select public.place_key(p_name) as k, public.place_skeleton(p_name) as s),
  hits as (
    select g.pcode, 1 as tier from public.gazetteer g, k where g.name_key = k.k
    union all
    select g.pcode, 2 from public.gazetteer g, k where g.name_skel = k.s
  ),
  best as (
    select h.pcode, min(h.tier) as tier from hits h
    join public.areas a on a.pcode = h.pcode and a.level = p_level
    group by h.pcode
  )
  select a.pcode, a.name_en, a.parent_pcode, p.name_en, b.tier
  from best b join public.areas a on a.pcode = b.pcode
  left join public.areas p on p.pcode = a.parent_pcode
  where b.tier = (select min(tier) from best)
$$;

-- An area named in words. Each name is matched at its own level only (a governorate column's
-- "Kirkuk" is the governorate, not the district), the deeper ones within the shallower ones.
-- Returns the deepest area named, or a problem: an error when nothing can be placed or a name is
-- ambiguous (with the candidates), a warning when a deeper name is not found and the row is
-- placed at a shallower level (precision is never lost silently).
create function public.place_by_names(p_admin1 text, p_admin2 text, p_admin3 text)
returns table (pcode text, problem jsonb)
language plpgsql stable
set search_path = public, pg_temp
as $$
declare
  names text[] := array[nullif(trim(p_admin1), ''), nullif(trim(p_admin2), ''), nullif(trim(p_admin3), '')];
  words text[] := array['governorate', 'district', 'sub-district'];
  fields text[] := array['admin1', 'admin2', 'admin3'];
  found text; missed integer; hits text[]; list text; lvl integer;
begin
  for lvl in 1..3 loop
    continue when names[lvl] is null;
    select array_agg(x.pcode order by x.pcode),
           string_agg(format('%s (%s%s)', x.name_en, coalesce(x.parent_name || ', ', ''), x.pcode), '; ' order by x.pcode)
      into hits, list
      from public.place_candidates(names[lvl], lvl::smallint) x
     where found is null or x.parent_pcode = found
        or exists (select 1 from public.areas pa where pa.pcode = x.parent_pcode and pa.parent_pcode = found);
    if cardinality(hits) = 1 then
      found := hits[1];
    elsif cardinality(hits) > 1 then
      return query select null::text, jsonb_build_object('field', fields[lvl], 'level', 'error',
        'reason', format('the %s name "%s" is ambiguous: it can be %s; name the %s too, or give a P-code',
                         words[lvl], left(names[lvl], 60), left(list, 600),
                         case when lvl = 1 then 'district' else 'governorate' end));
      return;
    elsif missed is null then
      missed := lvl;
    end if;
  end loop;
  if found is null then
    return query select null::text, case when missed is not null then
      jsonb_build_object('field', fields[missed], 'level', 'error',
        'reason', format('no coordinates, and the %s name "%s" matches no %s', words[missed], left(names[missed], 60), words[missed]))
    else jsonb_build_object('field', 'lat', 'level', 'error',
        'reason', 'no coordinates, P-code or area name: the row cannot be placed') end;
  elsif missed is not null then
    -- Placed, but less precisely than the row says (a deeper name not found), or a name that
    -- means nothing next to ones that placed it: said, never silent.
    return query select found, jsonb_build_object('field', fields[missed], 'level', 'warning',
      'reason', format('the %s name "%s" was not found%s: placed in %s (%s)', words[missed], left(names[missed], 60),
                       case when missed > (select a.level from public.areas a where a.pcode = found)
                            then ' there' else '' end,
                       (select a.name_en from public.areas a where a.pcode = found), found));
  else
    return query select found, null::jsonb;
  end if;
end
$$;


-- The admins' verbs.
create function public.gazetteer_add(p_pcode text, p_name text, p_kind text, p_source text) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin') then
    raise exception 'only admins can add names to the gazetteer' using errcode = '42501';
  end if;
  if not exists (select 1 from public.areas where pcode = upper(trim(p_pcode))) then
    raise exception 'pcode: no admin area has the P-code %', left(p_pcode, 40) using errcode = '22023';
  end if;
  insert into public.gazetteer (pcode, name, kind, source)
  values (upper(trim(p_pcode)), trim(p_name), coalesce(nullif(p_kind, ''), 'variant'), trim(p_source))
  on conflict (pcode, name) do update set kind = excluded.kind, source = excluded.source
    where gazetteer.kind <> 'official'
  returning jsonb_build_object('id', id, 'pcode', pcode, 'name', name, 'kind', kind, 'source', source,
                               'name_key', name_key, 'name_skel', name_skel) into v;
  if v is null then
    raise exception 'name: "%" is already COD-AB''s own name of %', left(p_name, 60), p_pcode using errcode = '23505';
  end if;
  return v;
end
$$;

-- What a name means: the areas it matches at each level (the import's answer, for people).
create function public.gazetteer_lookup(p_name text) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('pcode', c.pcode, 'level', l, 'name_en', c.name_en,
                                               'parent', c.parent_name, 'match', case c.tier when 1 then 'key' else 'skeleton' end)
                            order by l, c.pcode), '[]'::jsonb)
  from generate_series(1, 3) l cross join lateral public.place_candidates(p_name, l::smallint) c
$$;

create function public.gazetteer_list(p_pcode text default null) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'pcode', g.pcode, 'name', g.name, 'kind', g.kind,
                                               'source', g.source) order by g.pcode, g.kind, g.name), '[]'::jsonb)
  from public.gazetteer g where p_pcode is null or g.pcode = upper(p_pcode)
$$;

-- The gazetteer's seeded names: exactly the rows of supabase/seed/gazetteer.csv (a unit test,
-- src/lib/server/gazetteer/seed.test.ts, keeps the two equal). New names go in a new migration
-- and in the CSV, or are added by an admin (POST /api/v1/gazetteer, terrain gazetteer add).
-- Fixed ids and times: every database holds the same reference rows.
insert into public.gazetteer (id, pcode, name, kind, source, created_by, created_at)
select md5(v.pcode || '/' || v.name)::uuid, v.pcode, v.name, v.kind, v.source, null::uuid,
       timestamptz '2026-12-03 00:00:00+00' from (values
  ('IQG01', 'Anbar', 'variant', 'common English spelling (ACLED admin1; OCHA/HDX datasets)'),
  ('IQG01', 'Dulaim', 'former', 'former name of the province (Liwa al-Dulaim until 1962)'),
  ('IQG02', 'Basra', 'variant', 'common English spelling (ACLED admin1; UCDP GED adm_1)'),
  ('IQG02', 'Basrah', 'variant', 'common English spelling (IOM DTM Iraq)'),
  ('IQG03', 'Muthanna', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG04', 'Najaf', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG05', 'Qadisiyah', 'variant', 'common English spelling (IOM DTM Iraq)'),
  ('IQG05', 'Al-Qadisiyyah', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG05', 'Diwaniya', 'former', 'former name of the province (Liwa al-Diwaniya until 1976)'),
  ('IQG06', 'Sulaymaniyah', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG06', 'Slemani', 'variant', 'Kurdish spelling (KRG usage)'),
  ('IQG06', 'Sulaimani', 'variant', 'Kurdish-English spelling (KRG usage)'),
  ('IQG07', 'Babylon', 'variant', 'English name (ACLED admin1 uses Babil)'),
  ('IQG07', 'Hilla', 'former', 'former name of the province (Liwa al-Hilla until 1971)'),
  ('IQG09', 'Dohuk', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG09', 'Dahuk', 'variant', 'common English spelling (UN and NGO reports)'),
  ('IQG11', 'Arbil', 'variant', 'common English spelling (UCDP GED adm_1)'),
  ('IQG11', 'Irbil', 'variant', 'common English spelling (older reports)'),
  ('IQG11', 'Hawler', 'variant', 'Kurdish name (KRG usage)'),
  ('IQG11', 'Hewler', 'variant', 'Kurdish name (KRG usage)'),
  ('IQG11', 'هەولێر', 'variant', 'Kurdish name in Arabic script (KRG usage)'),
  ('IQG12', 'Karbala', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG13', 'Tameem', 'former', 'former name of Kirkuk governorate (al-Ta''mim 1976-2006)'),
  ('IQG13', 'Al-Tameem', 'former', 'former name of Kirkuk governorate (al-Ta''mim 1976-2006)'),
  ('IQG13', 'Ta''mim', 'former', 'former name of Kirkuk governorate (al-Ta''mim 1976-2006)'),
  ('IQG13', 'At-Ta''mim', 'former', 'former name of Kirkuk governorate (al-Ta''mim 1976-2006)'),
  ('IQG13', 'التأميم', 'former', 'former name of Kirkuk governorate (al-Ta''mim 1976-2006)'),
  ('IQG14', 'Missan', 'variant', 'common English spelling (IOM DTM Iraq)'),
  ('IQG14', 'Amara', 'former', 'former name of the province (Liwa al-Amara until 1976)'),
  ('IQG15', 'Nineveh', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG15', 'Ninawa', 'variant', 'common English spelling (UCDP GED adm_1)'),
  ('IQG15', 'Mosul', 'former', 'former name of the province (Liwa al-Mosul until 1976)'),
  ('IQG16', 'Salahuddin', 'variant', 'common English spelling (UN and NGO reports)'),
  ('IQG16', 'Saladin', 'variant', 'English name (older reports)'),
  ('IQG16', 'Salah ad Din', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG17', 'Dhi Qar', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG17', 'Thi-Qar', 'variant', 'common English spelling (IOM DTM Iraq)'),
  ('IQG17', 'Muntafiq', 'former', 'former name of the province (Liwa al-Muntafiq until 1976)'),
  ('IQG17', 'Nasiriyah', 'former', 'former name of the province (Liwa al-Nasiriya)'),
  ('IQG18', 'Wasit', 'variant', 'common English spelling (ACLED admin1)'),
  ('IQG18', 'Kut', 'former', 'former name of the province (Liwa al-Kut until 1976)'),
  ('IQG01Q01', 'Fallujah', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG01Q02', 'Al-Qaim', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG01Q07', 'Hit', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG04Q02', 'Manadhira', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG08Q01', 'Azamiyah', 'variant', 'common English spelling (press)'),
  ('IQG08Q02', 'Kazimiyah', 'variant', 'common English spelling (press)'),
  ('IQG08Q04', 'Salman Pak', 'former', 'former name of the district''s centre (al-Mada''in)'),
  ('IQG08Q07', 'Sadr City', 'variant', 'common name of al-Thawra district'),
  ('IQG08Q07', 'Madinat al-Sadr', 'variant', 'common name of al-Thawra district'),
  ('IQG09Q01', 'Amedi', 'variant', 'Kurdish name (KRG usage)'),
  ('IQG11Q05', 'Soran', 'variant', 'Kurdish name of Rawanduz district (KRG usage)'),
  ('IQG11Q03', 'Koya', 'variant', 'Kurdish name of Koysinjaq district (KRG usage)'),
  ('IQG15Q04', 'Al-Hadar', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG15Q09', 'Tel Keppe', 'variant', 'Syriac-English spelling (press)'),
  ('IQG16Q01', 'Al-Dawr', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG16Q03', 'Baiji', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG13Q01', 'Hawija', 'variant', 'common English spelling (ACLED admin2)'),
  ('IQG17Q04', 'Nassriya', 'variant', 'spelling in the Iraq casualty dataset of issue 6')
) v(pcode, name, kind, source)
on conflict (pcode, name) do nothing;

-- The dry run tells exactly what the commit will do, because it IS the commit, rolled back:
-- import_trial runs import_commit (valid rows only) inside a subtransaction and undoes it.
-- Its counts (inserted, updated, unchanged, skipped) and the placement of the rows (how many by
-- their own point, how many at the sub-district, district or governorate named) are the numbers
-- the real commit then gives; a commit that would fail says why in the dry run.

create function public.import_placement() returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
begin
  -- pg_temp.import_work holds the rows import_commit is writing (created there, dropped at commit;
  -- plpgsql, because the table exists only while an import commits).
  return (select jsonb_build_object(
    'point', count(*) filter (where w.data ->> 'lon' is not null),
    'admin3', count(*) filter (where w.data ->> 'lon' is null and w.admin3_pcode is not null),
    'admin2', count(*) filter (where w.data ->> 'lon' is null and w.admin3_pcode is null and w.admin2_pcode is not null),
    'admin1', count(*) filter (where w.data ->> 'lon' is null and w.admin2_pcode is null and w.admin1_pcode is not null),
    'points', count(distinct (w.lon, w.lat)))
  from pg_temp.import_work w);
end
$$;

-- The commit, with the placement of what it wrote (incidents and sites; actors have no place).
create function public.import_commit_placed(p_job uuid, p_valid_only boolean default false) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb; v_target text;
begin
  select target into v_target from public.import_jobs where id = p_job;
  v := public.import_commit(p_job, p_valid_only);
  if v_target <> 'actors' and (v ->> 'committed')::boolean then
    v := v || jsonb_build_object('placement', public.import_placement());
  end if;
  return v;
end
$$;

create function public.import_trial(p_job uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb;
begin
  begin
    v := public.import_commit_placed(p_job, true);
    raise exception 'import trial: roll back' using errcode = 'TRIAL';
  exception
    when sqlstate 'TRIAL' then null; -- v keeps what the commit said; everything it wrote is undone
    when others then
      v := jsonb_build_object('committed', false, 'error', sqlerrm);
  end;
  return v;
end
$$;

-- A file that looks like one imported before: the same bytes (SHA-256, kept in the job's
-- options), or upstream ids already in Terrain under another source name.
create function public.import_seen_before(p_target text, p_sha256 text, p_source text, p_ids text[])
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'same_file', (select jsonb_build_object('job', j.id, 'file_name', j.file_name, 'source', j.source,
                                            'created_at', j.created_at)
                  from public.import_jobs j
                  where j.target = p_target and j.status = 'committed' and j.options ->> 'sha256' = p_sha256
                  order by j.created_at desc limit 1),
    'other_sources', case when p_target = 'incidents' then (
      select coalesce(jsonb_agg(jsonb_build_object('source', s.upstream_source, 'ids', s.n) order by s.n desc), '[]'::jsonb)
      from (select i.upstream_source, count(*)::int as n from public.incidents i
            where i.upstream_id = any (p_ids) and i.upstream_source is distinct from p_source
            group by 1 order by 2 desc limit 3) s) else '[]'::jsonb end)
$$;

-- The values of a file's column mapped to our codes (an "IED" in a weapons column is an
-- explosion/remote violence with sub-type "Remote explosive/landmine/IED"), remembered per
-- user for the next file with a column of that name.
create table public.import_value_maps (
  owner       uuid not null default auth.uid() references public.app_users (id) on delete cascade,
  target      text not null,
  column_key  text not null check (length(column_key) between 1 and 200),
  field       text not null check (field in ('event_type')),
  value_key   text not null check (length(value_key) between 1 and 200),
  value       text not null,
  maps_to     text not null check (length(maps_to) between 1 and 200),
  updated_at  timestamptz not null default now(),
  primary key (owner, target, column_key, field, value_key)
);
alter table public.import_value_maps enable row level security;
create policy "Importers read their own value mappings" on public.import_value_maps
  for select to authenticated using (owner = (select auth.uid()));
create policy "Importers add their own value mappings" on public.import_value_maps
  for insert to authenticated with check (owner = (select auth.uid()) and (select public.has_app_role('admin', 'analyst')));
create policy "Importers change their own value mappings" on public.import_value_maps
  for update to authenticated using (owner = (select auth.uid())) with check (owner = (select auth.uid()));
create policy "Importers delete their own value mappings" on public.import_value_maps
  for delete to authenticated using (owner = (select auth.uid()));
grant select, insert, update, delete on public.import_value_maps to authenticated;

create function public.import_value_key(p text) returns text
language sql immutable parallel safe
set search_path = pg_catalog, pg_temp
as $$ select left(regexp_replace(lower(trim(p)), '\s+', ' ', 'g'), 200) $$;

-- {"value": "maps_to", …} saved for one column of the caller's files.
create function public.import_value_maps_get(p_target text, p_column text, p_field text default 'event_type')
returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_object_agg(m.value, m.maps_to order by m.value), '{}'::jsonb)
  from public.import_value_maps m
  where m.owner = (select auth.uid()) and m.target = p_target and m.field = p_field
    and m.column_key = public.import_value_key(p_column)
$$;

create function public.import_value_maps_save(p_target text, p_column text, p_field text, p_values jsonb)
returns integer
language sql volatile
set search_path = public, pg_temp
as $$
  with up as (
    insert into public.import_value_maps as m (target, column_key, field, value_key, value, maps_to)
    select p_target, public.import_value_key(p_column), p_field, public.import_value_key(e.key), left(trim(e.key), 200), e.value
    from jsonb_each_text(p_values) e
    where nullif(trim(e.key), '') is not null and nullif(trim(e.value), '') is not null
    on conflict (owner, target, column_key, field, value_key) do update
      set maps_to = excluded.maps_to, value = excluded.value, updated_at = now()
      where m.maps_to is distinct from excluded.maps_to
    returning 1
  ) select count(*)::int from up
$$;
