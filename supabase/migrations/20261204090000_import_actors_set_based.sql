-- Imports resolve the actors a file names set-based (see supabase/schemas/60_imports.sql):
-- actor_by_name() per row scanned every actor, 25 of 28 s of a 500-row, 500-actor commit.
create or replace function public.import_commit_incidents(j public.import_jobs) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb; v_actors integer;
begin
  drop table if exists pg_temp.import_actor_names;
  create temp table import_actor_names on commit drop as
    select x.n, public.actor_name_key(x.n) as k, min(w.ord * 2 + x.side) as first_at
    from pg_temp.import_work w,
      unnest(array[trim(w.data ->> 'actor1'), trim(w.data ->> 'actor2')]) with ordinality x(n, side)
    where coalesce(x.n, '') <> ''
    group by x.n;
  delete from pg_temp.import_actor_names where k is null;

  -- Actors named in the file: added once each (by name key, so "ISIL" and "isil" are one), in the
  -- spelling the file uses first, unless an actor already has that name, alias or spelling — as
  -- the report form does.
  with known as (
    select distinct ak.k from public.actors a cross join lateral unnest(a.name_keys) ak(k)
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
          from public.actors a cross join lateral unnest(a.name_keys) ak(k)) a on a.k = s.k
    order by s.n, (lower(a.name) = lower(s.n)) desc, a.created_at, a.id;

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
