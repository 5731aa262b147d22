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
declare fc jsonb;
begin
  if p_kind = 'health_facilities' then
    select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', s.id,
             'geometry', st_asgeojson(s.geom, 6)::jsonb, 'properties', to_jsonb(s) - 'geom') order by s.name)
      into fc from public.health_facilities s;
  elsif p_kind = 'idp_camps' then
    select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', s.id,
             'geometry', st_asgeojson(s.geom, 6)::jsonb, 'properties', to_jsonb(s) - 'geom') order by s.name)
      into fc from public.idp_camps s;
  elsif p_kind = 'checkpoints' then
    select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', s.id,
             'geometry', st_asgeojson(s.geom, 6)::jsonb,
             'properties', to_jsonb(s) - 'geom' || jsonb_build_object('controlling_actor', a.name)) order by s.name)
      into fc from public.checkpoints s left join public.actors a on a.id = s.controlling_actor_id;
  elsif p_kind = 'org_sites' then
    select jsonb_agg(jsonb_build_object('type', 'Feature', 'id', s.id,
             'geometry', st_asgeojson(s.geom, 6)::jsonb, 'properties', to_jsonb(s) - 'geom') order by s.name)
      into fc from public.org_sites s;
  else
    raise exception 'unknown site kind: %', p_kind using errcode = '22023';
  end if;
  return jsonb_build_object('type', 'FeatureCollection', 'features', coalesce(fc, '[]'::jsonb));
end
$$;
