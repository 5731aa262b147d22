-- Actors named by an alias: an incident imported or reported with actor "Daesh", "ISIL" or
-- "داعش" belongs to the actor registered as "IS" (aliases, Arabic name, spelling variants —
-- actor_name_key, 20261122002000_actor_profiles.sql), not to a new duplicate actor named
-- "Daesh". Until now the import and the report form matched the exact name only
-- (case-insensitively), so every import in another spelling split an actor's incidents in two.
-- A name that matches several actors' keys takes the one whose own name it is, else the oldest.

-- The actor a name stands for, by its key (null when no actor has it).
create function public.actor_by_name(p_name text) returns uuid
language sql stable
set search_path = public, pg_temp
as $$
  select a.id from public.actors a
  where a.name_keys @> array[public.actor_name_key(p_name)]
  order by (lower(a.name) = lower(trim(p_name))) desc, a.created_at, a.id
  limit 1
$$;

create or replace function public.incident_actor(p_id text, p_name text) returns uuid
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v uuid; n text := nullif(trim(coalesce(p_name, '')), '');
begin
  if nullif(p_id, '') is not null then
    select id into v from public.actors where id = p_id::uuid;
    if v is null then
      raise exception 'actor: no actor with id %', p_id using errcode = '22023';
    end if;
    return v;
  end if;
  if n is null then return null; end if;
  if length(n) > 200 then
    raise exception 'actor: a name has at most 200 characters' using errcode = '22023';
  end if;
  v := public.actor_by_name(n);
  if v is null then
    insert into public.actors (name) values (n) on conflict do nothing returning id into v;
    if v is null then v := public.actor_by_name(n); end if;
  end if;
  return v;
end
$$;

create or replace function public.import_commit_incidents(j public.import_jobs) returns jsonb
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
