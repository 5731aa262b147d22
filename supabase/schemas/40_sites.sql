set check_function_bodies = off;

-- Sites: health facilities, IDP camps, checkpoints and our organisation's own sites.
-- Every signed-in role may read them (staff need them to move safely); analysts and admins
-- maintain them; admins delete. Records with no public source are shipped as samples and carry
-- is_sample = true so the UI can say so.

create table public.health_facilities (
  id             uuid primary key default gen_random_uuid(),
  name           text not null,
  name_ar        text,
  facility_type  text not null default 'hospital'
                 check (facility_type in ('hospital', 'phcc', 'mobile_clinic_stop', 'clinic', 'other')),
  services       text[] not null default '{}',
  supported      boolean not null default false,
  admin1_pcode   text references public.areas (pcode),
  admin2_pcode   text references public.areas (pcode),
  admin3_pcode   text references public.areas (pcode),
  geom           geometry(Point, 4326) not null,
  notes          text not null default '',
  source         text,
  upstream_source text,
  upstream_id    text,
  is_sample      boolean not null default false,
  updated_at     timestamptz not null default now(),
  -- 20261203100000: closed without deleting (the history stays).
  status         text not null default 'open' check (status in ('open', 'closed')),
  constraint health_facilities_upstream_key unique (upstream_source, upstream_id)
);

create table public.idp_camps (
  id             uuid primary key default gen_random_uuid(),
  name           text not null,
  name_ar        text,
  camp_type      text not null default 'idp' check (camp_type in ('idp', 'refugee', 'mixed', 'transit')),
  status         text not null default 'open' check (status in ('open', 'planned', 'under_construction', 'closed')),
  population     integer check (population >= 0),
  households     integer check (households >= 0),
  managing_org   text,
  population_date date,
  admin1_pcode   text references public.areas (pcode),
  admin2_pcode   text references public.areas (pcode),
  admin3_pcode   text references public.areas (pcode),
  geom           geometry(Point, 4326) not null,
  notes          text not null default '',
  source         text,
  upstream_source text,
  upstream_id    text,
  is_sample      boolean not null default false,
  updated_at     timestamptz not null default now(),
  constraint idp_camps_upstream_key unique (upstream_source, upstream_id)
);

create table public.checkpoints (
  id                  uuid primary key default gen_random_uuid(),
  name                text not null,
  name_ar             text,
  controlling_actor_id uuid references public.actors (id),
  controlled_by       text,
  status              text not null default 'open' check (status in ('open', 'restricted', 'closed')),
  last_verified_at    timestamptz,
  road                text,
  admin1_pcode        text references public.areas (pcode),
  admin2_pcode        text references public.areas (pcode),
  admin3_pcode        text references public.areas (pcode),
  geom                geometry(Point, 4326) not null,
  notes               text not null default '',
  source              text,
  upstream_source     text,
  upstream_id         text,
  is_sample           boolean not null default false,
  updated_at          timestamptz not null default now(),
  -- 20261203100000: the status has a reason; opening hours; who verified it last.
  status_reason       text,
  opening_hours       text,
  last_verified_by    uuid references public.app_users (id) on delete set null,
  constraint checkpoints_upstream_key unique (upstream_source, upstream_id)
);

create table public.org_sites (
  id             uuid primary key default gen_random_uuid(),
  name           text not null,
  site_type      text not null check (site_type in (
                   'office', 'base', 'guesthouse', 'warehouse', 'hibernation_site', 'assembly_point')),
  admin1_pcode   text references public.areas (pcode),
  admin2_pcode   text references public.areas (pcode),
  admin3_pcode   text references public.areas (pcode),
  geom           geometry(Point, 4326) not null,
  notes          text not null default '',
  source         text,
  upstream_source text,
  upstream_id    text,
  is_sample      boolean not null default false,
  updated_at     timestamptz not null default now(),
  -- 20261203100000: closed without deleting (the history stays).
  status         text not null default 'open' check (status in ('open', 'closed')),
  constraint org_sites_upstream_key unique (upstream_source, upstream_id)
);

do $$
declare t text;
begin
  foreach t in array array['health_facilities', 'idp_camps', 'checkpoints', 'org_sites'] loop
    execute format('create index %1$s_geom_idx on public.%1$s using gist (geom)', t);
    execute format('create index %1$s_geog_idx on public.%1$s using gist ((geom::geography))', t);
    execute format('alter table public.%s enable row level security', t);
    execute format('create policy "Signed-in users can read %1$s" on public.%1$s for select to authenticated
                    using ((select public.current_app_role()) is not null)', t);
    execute format('create policy "Analysts and admins can add %1$s" on public.%1$s for insert to authenticated
                    with check ((select public.has_app_role(''admin'', ''analyst'')))', t);
    execute format('create policy "Analysts and admins can change %1$s" on public.%1$s for update to authenticated
                    using ((select public.has_app_role(''admin'', ''analyst'')))', t);
    execute format('create policy "Admins can delete %1$s" on public.%1$s for delete to authenticated
                    using ((select public.has_app_role(''admin'')))', t);
    execute format('grant select, insert, update, delete on public.%s to authenticated', t);
    execute format('create trigger %1$s_audit after insert or update or delete on public.%1$s
                    for each row execute function private.audit_row()', t);
  end loop;
end
$$;

-- A site registry as GeoJSON for the map and the API. p_kind is one of the four registries.
create function public.sites_geojson(p_kind text) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare fc jsonb; v_days float8 := (public.app_settings_get() ->> 'checkpoint_stale_days')::float8;
begin
  if p_kind = 'checkpoints' then
    select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', s.id,
             'geometry', st_asgeojson(s.geom, 6)::jsonb,
             'properties', to_jsonb(s) - 'geom' || jsonb_build_object(
               'controlling_actor', a.name,
               'last_verified_by_name', coalesce(nullif(u.display_name, ''), u.email),
               'stale_days', v_days,
               'stale', s.last_verified_at is null or s.last_verified_at < now() - make_interval(secs => v_days * 86400)))
             order by s.name)
      into fc from public.checkpoints s
      left join public.actors a on a.id = s.controlling_actor_id
      left join public.app_users u on u.id = s.last_verified_by;
  elsif public.site_columns(p_kind) is not null then
    execute format('select jsonb_agg(jsonb_build_object(''type'', ''Feature'', ''id'', s.id,
             ''geometry'', st_asgeojson(s.geom, 6)::jsonb, ''properties'', to_jsonb(s) - ''geom'') order by s.name)
             from public.%I s', p_kind) into fc;
  else
    raise exception 'unknown site kind: %', p_kind using errcode = '22023';
  end if;
  return jsonb_build_object('type', 'FeatureCollection', 'features', coalesce(fc, '[]'::jsonb));
end
$$;

-- Registries kept current (issue 9, 20261203100000): settings, displacement locations,
-- population history, site_write / site_delete.
-- ---------------------------------------------------------------------------------------------
-- Settings the admins keep: the operating area, when a checkpoint counts as stale, how far a
-- re-imported site may lie from the one it matches by name, the classification marking printed on
-- documents. One row per key.
create table public.app_settings (
  key        text primary key check (key in ('operating_area', 'checkpoint_stale_days', 'site_match_m', 'document_classification')),
  value      jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by uuid references public.app_users (id) on delete set null
);
alter table public.app_settings enable row level security;
create policy "Signed-in users can read the settings" on public.app_settings for select to authenticated
  using ((select public.current_app_role()) is not null);
create policy "Admins can add settings" on public.app_settings for insert to authenticated
  with check ((select public.has_app_role('admin')));
create policy "Admins can change settings" on public.app_settings for update to authenticated
  using ((select public.has_app_role('admin')));
grant select, insert, update on public.app_settings to authenticated;
create trigger app_settings_audit after insert or update or delete on public.app_settings
  for each row execute function private.audit_row();

-- Every setting with its default when no admin has set it: Iraq (ISO 3166 alpha-3) with a
-- 50 km buffer, checkpoints stale after 14 days, a re-imported site matches within 500 m, and
-- the classification marking of documents ('': the standard "Restricted" in the reader's
-- language; 20261206200100).
create function public.app_settings_get() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'operating_area', '{"countries": ["IRQ"], "buffer_km": 50}'::jsonb,
    'checkpoint_stale_days', 14,
    'site_match_m', 500,
    'document_classification', '')
    || coalesce((select jsonb_object_agg(s.key, s.value) from public.app_settings s), '{}'::jsonb)
$$;

create function public.app_setting_set(p_key text, p_value jsonb) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may change settings' using errcode = '42501';
  end if;
  if p_key = 'operating_area' then
    if jsonb_typeof(p_value -> 'countries') <> 'array' or jsonb_array_length(p_value -> 'countries') = 0
       or exists (select 1 from jsonb_array_elements_text(p_value -> 'countries') c where c !~ '^[A-Z]{3}$') then
      raise exception 'operating_area: countries must be a list of ISO 3166 alpha-3 codes (IRQ, SYR, …)' using errcode = '22023';
    end if;
    if jsonb_typeof(p_value -> 'buffer_km') <> 'number' or (p_value ->> 'buffer_km')::float8 not between 0 and 500 then
      raise exception 'operating_area: buffer_km must be a number from 0 to 500' using errcode = '22023';
    end if;
  elsif p_key = 'checkpoint_stale_days' then
    if jsonb_typeof(p_value) <> 'number' or (p_value #>> '{}')::float8 not between 1 and 365 then
      raise exception 'checkpoint_stale_days: a number of days from 1 to 365' using errcode = '22023';
    end if;
  elsif p_key = 'site_match_m' then
    if jsonb_typeof(p_value) <> 'number' or (p_value #>> '{}')::float8 not between 0 and 20000 then
      raise exception 'site_match_m: a distance in metres from 0 to 20000' using errcode = '22023';
    end if;
  elsif p_key = 'document_classification' then
    -- the marking printed on sitreps, the risk register, assessments and map exports
    -- ("Restricted — ORG"); '' = the standard one
    if jsonb_typeof(p_value) <> 'string' or length(p_value #>> '{}') > 100
       or p_value #>> '{}' <> btrim(p_value #>> '{}') then
      raise exception 'document_classification: a marking of at most 100 characters (empty: the standard one)' using errcode = '22023';
    end if;
  else
    raise exception 'key: no setting named %', p_key using errcode = '22023';
  end if;
  -- Saving what is already in force (the settings page sends every field) writes nothing: no
  -- new updated_at, no audit entry.
  if public.app_settings_get() -> p_key = p_value then
    return public.app_settings_get();
  end if;
  insert into public.app_settings (key, value, updated_by) values (p_key, p_value, (select auth.uid()))
  on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by;
  return public.app_settings_get();
end
$$;
revoke execute on function public.app_setting_set(text, jsonb) from public, anon;
grant execute on function public.app_setting_set(text, jsonb) to authenticated;

-- Several settings at once (the settings page, PATCH /api/v1/settings): all or none, each
-- checked by app_setting_set; keys whose value is unchanged write nothing.
create function public.app_settings_update(p_patch jsonb) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  k text;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may change settings' using errcode = '42501';
  end if;
  if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
    raise exception 'settings: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_patch) order by 1 loop
    perform public.app_setting_set(k, p_patch -> k);
  end loop;
  return public.app_settings_get();
end
$$;
revoke execute on function public.app_settings_update(jsonb) from public, anon;
grant execute on function public.app_settings_update(jsonb) to authenticated;

-- Displacement locations: IDPs living outside camps (host communities, informal settlements,
-- rented or unfinished buildings), as in the DTM master lists, with population by shelter type.
create table public.displacement_locations (
  id              uuid primary key default gen_random_uuid(),
  name            text not null,
  name_ar         text,
  status          text not null default 'open' check (status in ('open', 'closed')),
  population      integer check (population >= 0),
  households      integer check (households >= 0),
  population_date date,
  -- {"host_family": 120, "rented": 300, "informal_settlement": 40, …}: people by shelter type.
  shelter         jsonb not null default '{}' check (jsonb_typeof(shelter) = 'object'),
  admin1_pcode    text references public.areas (pcode),
  admin2_pcode    text references public.areas (pcode),
  admin3_pcode    text references public.areas (pcode),
  geom            geometry(Point, 4326) not null,
  notes           text not null default '',
  source          text,
  upstream_source text,
  upstream_id     text,
  is_sample       boolean not null default false,
  updated_at      timestamptz not null default now(),
  constraint displacement_locations_upstream_key unique (upstream_source, upstream_id)
);
create index displacement_locations_geom_idx on public.displacement_locations using gist (geom);
create index displacement_locations_geog_idx on public.displacement_locations using gist ((geom::geography));
alter table public.displacement_locations enable row level security;
create policy "Signed-in users can read displacement_locations" on public.displacement_locations
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Analysts and admins can add displacement_locations" on public.displacement_locations
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can change displacement_locations" on public.displacement_locations
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Admins can delete displacement_locations" on public.displacement_locations
  for delete to authenticated using ((select public.has_app_role('admin')));
grant select, insert, update, delete on public.displacement_locations to authenticated;
create trigger displacement_locations_audit after insert or update or delete on public.displacement_locations
  for each row execute function private.audit_row();

-- Population over time of camps and displacement locations: one row per change of the figure
-- (written by a trigger, so every path — form, API, import — records it).
create table public.site_population (
  id          uuid primary key default gen_random_uuid(),
  site_kind   text not null check (site_kind in ('idp_camps', 'displacement_locations')),
  site_id     uuid not null,
  population  integer,
  households  integer,
  as_of       date not null,
  recorded_at timestamptz not null default now(),
  recorded_by uuid references public.app_users (id) on delete set null
);
create index site_population_site_idx on public.site_population (site_id, as_of);
alter table public.site_population enable row level security;
create policy "Signed-in users can read population history" on public.site_population
  for select to authenticated using ((select public.current_app_role()) is not null);
grant select on public.site_population to authenticated;

create function private.site_population_record() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if tg_op = 'INSERT' or (new.population, new.households, new.population_date)
       is distinct from (old.population, old.households, old.population_date) then
    if new.population is not null or new.households is not null then
      insert into public.site_population (site_kind, site_id, population, households, as_of, recorded_by)
      values (tg_table_name, new.id, new.population, new.households,
              coalesce(new.population_date, current_date), (select auth.uid()));
    end if;
  end if;
  return new;
end
$$;
create trigger idp_camps_population after insert or update on public.idp_camps
  for each row execute function private.site_population_record();
create trigger displacement_locations_population after insert or update on public.displacement_locations
  for each row execute function private.site_population_record();

-- ---------------------------------------------------------------------------------------------
-- The columns a person (or an import) may set, per registry. Everything else (id, geom, admin
-- areas, upstream_source, last_verified_*) is derived by site_write.
create function public.site_columns(p_kind text) returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select case p_kind
    when 'health_facilities' then array['name', 'name_ar', 'facility_type', 'services', 'supported', 'status', 'notes', 'source', 'upstream_id']
    when 'idp_camps' then array['name', 'name_ar', 'camp_type', 'status', 'population', 'households', 'managing_org',
                                'population_date', 'notes', 'source', 'upstream_id']
    when 'displacement_locations' then array['name', 'name_ar', 'status', 'population', 'households', 'population_date',
                                'shelter', 'notes', 'source', 'upstream_id']
    when 'checkpoints' then array['name', 'name_ar', 'controlling_actor_id', 'controlled_by', 'status', 'status_reason',
                                'opening_hours', 'road', 'last_verified_at', 'notes', 'source', 'upstream_id']
    when 'org_sites' then array['name', 'site_type', 'status', 'notes', 'source', 'upstream_id']
  end
$$;

-- One site as the API shows it: the row without geom, with lon/lat, the controlling actor's
-- name, who verified it and, for checkpoints, whether it is stale.
create function public.site_json(p_kind text, p_id uuid) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
declare v jsonb; v_days float8 := (public.app_settings_get() ->> 'checkpoint_stale_days')::float8;
begin
  if public.site_columns(p_kind) is null then
    raise exception 'kind: unknown site kind %', p_kind using errcode = '22023';
  end if;
  execute format('select to_jsonb(s) - ''geom'' || jsonb_build_object(''kind'', %L, ''lon'', st_x(s.geom), ''lat'', st_y(s.geom))
                  from public.%I s where s.id = $1', p_kind, p_kind) into v using p_id;
  if v is not null and p_kind = 'checkpoints' then
    v := v || jsonb_build_object(
      'controlling_actor', (select a.name from public.actors a where a.id = (v ->> 'controlling_actor_id')::uuid),
      'last_verified_by_name', (select coalesce(nullif(u.display_name, ''), u.email) from public.app_users u
                                where u.id = (v ->> 'last_verified_by')::uuid),
      'stale', (v ->> 'last_verified_at') is null
               or (v ->> 'last_verified_at')::timestamptz < now() - make_interval(secs => v_days * 86400));
  end if;
  return v;
end
$$;

-- Creates (p_id null) or changes a site with the fields in p; lon and lat move it. For a
-- checkpoint, setting the status (or verified_now: true) records a verification now, by the
-- caller. p_source names the upstream source of an import. Answers {id, inserted, changed: [fields]}
-- and writes nothing when nothing changes.
create function public.site_write(p_kind text, p_id uuid, p jsonb, p_source text default null) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_cols text[] := public.site_columns(p_kind);
  v_set text[] := '{}'; v_changed text[] := '{}';
  k text; v_before jsonb; v_after jsonb; v_id uuid := p_id;
  v_lon float8; v_lat float8; a1 text; a2 text; a3 text;
  v_verify boolean := false; v_verify_now boolean := false; v_same boolean; v_con text;
begin
  if v_cols is null then
    raise exception 'kind: unknown site kind %', p_kind using errcode = '22023';
  end if;
  if not (select public.has_app_role('admin', 'analyst')) then
    raise exception 'only analysts and admins can change the registries' using errcode = '42501';
  end if;
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'body: expected an object of fields' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p) loop
    if not (k = any (v_cols) or k in ('lon', 'lat', 'verified_now')) then
      raise exception '%: not a field of %', k, p_kind using errcode = '22023';
    end if;
  end loop;
  if (p ? 'lon') <> (p ? 'lat') then
    raise exception 'lat: give both lon and lat' using errcode = '22023';
  end if;
  if p ? 'name' and length(trim(coalesce(p ->> 'name', ''))) = 0 then
    raise exception 'name: must not be empty' using errcode = '22023';
  end if;
  if p_id is null and not p ? 'name' then
    raise exception 'name: is required' using errcode = '22023';
  end if;
  if p_id is null and not p ? 'lon' then
    raise exception 'lon: a new site needs lon and lat' using errcode = '22023';
  end if;
  if p ? 'lon' then
    begin
      v_lon := (p ->> 'lon')::float8; v_lat := (p ->> 'lat')::float8;
    exception when others then
      raise exception 'lon: lon and lat must be numbers' using errcode = '22023';
    end;
    if v_lon is null or v_lon not between -180 and 180 then
      raise exception 'lon: must be between -180 and 180' using errcode = '22023';
    end if;
    if v_lat is null or v_lat not between -90 and 90 then
      raise exception 'lat: must be between -90 and 90' using errcode = '22023';
    end if;
    select r.admin1_pcode, r.admin2_pcode, r.admin3_pcode into a1, a2, a3 from public.incident_areas(v_lon, v_lat) r;
  end if;
  if p_kind = 'checkpoints' then
    if p ? 'controlling_actor_id' and nullif(p ->> 'controlling_actor_id', '') is not null
       and not exists (select 1 from public.actors a where a.id::text = p ->> 'controlling_actor_id') then
      raise exception 'controlling_actor_id: no such actor' using errcode = '22023';
    end if;
  end if;
  -- Not-null text columns: a blank means the default, not null.
  v_verify_now := coalesce((p ->> 'verified_now')::boolean, false);
  p := p - 'verified_now';
  if p ? 'notes' and jsonb_typeof(p -> 'notes') = 'null' then p := p || '{"notes": ""}'; end if;
  if p ? 'controlling_actor_id' and p ->> 'controlling_actor_id' = '' then p := p || '{"controlling_actor_id": null}'; end if;

  begin
    if p_id is null then
      execute format(
        'insert into public.%1$I (%2$s, geom, admin1_pcode, admin2_pcode, admin3_pcode, upstream_source%3$s)
         select %4$s, st_setsrid(st_makepoint($2, $3), 4326), $4, $5, $6,
                case when r.upstream_id is not null then $7 end%5$s
         from jsonb_populate_record(null::public.%1$I, $1) r returning id',
        p_kind,
        (select string_agg(quote_ident(c), ', ') from unnest(v_cols) c where p ? c),
        case when p_kind = 'checkpoints' and not p ? 'last_verified_at' then ', last_verified_at, last_verified_by' else '' end,
        (select string_agg('r.' || quote_ident(c), ', ') from unnest(v_cols) c where p ? c),
        case when p_kind = 'checkpoints' and not p ? 'last_verified_at' then ', now(), (select auth.uid())' else '' end)
        into v_id using p, v_lon, v_lat, a1, a2, a3, p_source;
      return jsonb_build_object('id', v_id, 'inserted', true, 'changed', to_jsonb(v_cols));
    end if;

    execute format('select to_jsonb(s) from public.%I s where s.id = $1', p_kind) into v_before using p_id;
    if v_before is null then
      raise exception 'no such % record, or not visible to you', p_kind using errcode = 'P0002';
    end if;
    -- What would change: the fields sent whose value differs from the stored one.
    execute format('select to_jsonb(r) from jsonb_populate_record(null::public.%I, $1) r', p_kind) into v_after using p;
    foreach k in array v_cols loop
      if p ? k and (v_after -> k) is distinct from (v_before -> k) then
        v_changed := v_changed || k;
        v_set := v_set || format('%1$I = r.%1$I', k);
      end if;
    end loop;
    if p ? 'lon' then
      execute format('select round(st_x(geom)::numeric, 7) = round($2::numeric, 7) and round(st_y(geom)::numeric, 7) = round($3::numeric, 7)
                      from public.%I where id = $1', p_kind) into v_same using p_id, v_lon, v_lat;
      if not v_same then
        v_changed := v_changed || 'location'::text;
        v_set := v_set || format('geom = st_setsrid(st_makepoint(%s, %s), 4326), admin1_pcode = %L, admin2_pcode = %L, admin3_pcode = %L',
                                 v_lon, v_lat, a1, a2, a3);
      end if;
    end if;
    -- A checkpoint's verification: a time given is kept as given (an import, a note of when it
    -- was seen); otherwise a person setting the status, or pressing "verified now", verifies it
    -- now; an import verifies it now only when its status actually changes.
    if p_kind = 'checkpoints' then
      if 'last_verified_at' = any (v_changed) then
        v_set := v_set || 'last_verified_by = (select auth.uid())'::text;
      elsif not p ? 'last_verified_at' then
        v_verify := case when p_source is null then p ? 'status' or v_verify_now else 'status' = any (v_changed) end;
      end if;
    end if;
    if v_verify then
      v_changed := v_changed || 'last_verified_at'::text;
      v_set := v_set || 'last_verified_at = now()'::text || 'last_verified_by = (select auth.uid())'::text;
    end if;
    if cardinality(v_set) = 0 then
      return jsonb_build_object('id', p_id, 'inserted', false, 'changed', '[]'::jsonb);
    end if;
    execute format('update public.%1$I t set %2$s, updated_at = now() from jsonb_populate_record(null::public.%1$I, $1) r where t.id = $2',
                   p_kind, array_to_string(v_set, ', ')) using p, p_id;
  exception
    when check_violation or not_null_violation then
      get stacked diagnostics v_con = constraint_name, k = column_name;
      raise exception '%: not an allowed value', coalesce(nullif(k, ''),
        nullif(regexp_replace(coalesce(v_con, ''), '^' || p_kind || '_(.*)_check$', '\1'), ''), 'body')
        using errcode = '22023';
    when invalid_text_representation or invalid_datetime_format or numeric_value_out_of_range
         or datatype_mismatch or invalid_parameter_value or foreign_key_violation then
      raise exception 'body: %', sqlerrm using errcode = '22023';
  end;
  return jsonb_build_object('id', p_id, 'inserted', false, 'changed', to_jsonb(v_changed));
end
$$;
revoke execute on function public.site_write(text, uuid, jsonb, text) from public, anon;
grant execute on function public.site_write(text, uuid, jsonb, text) to authenticated;

-- Deletes a site (admins, as the delete policy says). Closing is a status change instead.
create function public.site_delete(p_kind text, p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare n integer;
begin
  if public.site_columns(p_kind) is null then
    raise exception 'kind: unknown site kind %', p_kind using errcode = '22023';
  end if;
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins can delete registry records; close them instead' using errcode = '42501';
  end if;
  if p_kind = 'checkpoints' then
    delete from sensitive.contact_checkpoints where checkpoint_id = p_id;
  end if;
  execute format('delete from public.%I where id = $1', p_kind) using p_id;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'no such % record', p_kind using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;
revoke execute on function public.site_delete(text, uuid) from public, anon;
grant execute on function public.site_delete(text, uuid) to authenticated;

-- A camp's (or displacement location's) population over time, oldest first.
create function public.site_population_history(p_kind text, p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('as_of', h.as_of, 'population', h.population,
           'households', h.households, 'recorded_at', h.recorded_at) order by h.as_of, h.recorded_at), '[]'::jsonb)
  from public.site_population h where h.site_kind = p_kind and h.site_id = p_id
$$;

