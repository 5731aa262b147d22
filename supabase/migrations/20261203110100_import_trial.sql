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
