set check_function_bodies = off;

-- Map overlays (issue 13 item 4): a user's own layers — routes, roads, zones, neighbourhoods —
-- uploaded as KML/KMZ/GeoJSON/GPX, stored as PostGIS features, listed, toggled and styled on the
-- map. Each overlay is either for the organisation (every signed-in user sees it) or private (only
-- the person who added it). Viewers read; field staff, analysts and admins add overlays. The owner
-- changes or deletes an overlay; an admin may also change or delete an organisation overlay (a
-- colleague who left), never read a private one.
--
-- Geometries are checked here, whatever the client checked: valid GeoJSON, longitude/latitude in
-- degrees, valid shapes (self-intersecting rings are refused, not repaired: a repaired zone is not
-- the zone the user drew), and at most 100,000 vertices per overlay and 10,000 per feature (the
-- request caps, api/limits.ts). An error names the feature (its number and its name when it has one).
create table public.overlays (
  id          uuid primary key default gen_random_uuid(),
  name        text not null check (length(btrim(name)) between 1 and 200),
  visibility  text not null default 'private' check (visibility in ('organisation', 'private')),
  -- {"colour": "#rrggbb", "width": 1–12 (pixels), "label_field": a property name or null}
  style       jsonb not null default '{}'::jsonb,
  source_file text check (length(source_file) <= 300),
  created_by  uuid not null default auth.uid() references public.app_users (id) on delete cascade,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
alter table public.overlays enable row level security;

create policy "Users see organisation overlays and their own" on public.overlays
  for select to authenticated
  using ((select public.current_app_role()) is not null
         and (visibility = 'organisation' or created_by = (select auth.uid())));

create policy "Field staff, analysts and admins add their own overlays" on public.overlays
  for insert to authenticated
  with check ((select public.has_app_role('admin', 'analyst', 'field')) and created_by = (select auth.uid()));

create policy "Owners change their overlays, admins organisation ones" on public.overlays
  for update to authenticated
  using (created_by = (select auth.uid())
         or (visibility = 'organisation' and (select public.has_app_role('admin'))))
  with check (created_by = (select auth.uid())
              or (visibility = 'organisation' and (select public.has_app_role('admin'))));

create policy "Owners delete their overlays, admins organisation ones" on public.overlays
  for delete to authenticated
  using (created_by = (select auth.uid())
         or (visibility = 'organisation' and (select public.has_app_role('admin'))));

grant select, insert, update, delete on public.overlays to authenticated;

create trigger overlays_audit after insert or update or delete on public.overlays
  for each row execute function private.audit_row();

create table public.overlay_features (
  overlay_id  uuid not null references public.overlays (id) on delete cascade,
  idx         integer not null,
  geom        geometry(Geometry, 4326) not null,
  properties  jsonb not null default '{}'::jsonb,
  primary key (overlay_id, idx)
);
create index overlay_features_geom_idx on public.overlay_features using gist (geom);
alter table public.overlay_features enable row level security;

-- A feature is as visible as its overlay (the overlays policy decides inside the subquery).
create policy "Users see the features of overlays they see" on public.overlay_features
  for select to authenticated
  using (exists (select 1 from public.overlays o where o.id = overlay_id));

create policy "Owners add features to their overlays" on public.overlay_features
  for insert to authenticated
  with check (exists (select 1 from public.overlays o
                      where o.id = overlay_id and o.created_by = (select auth.uid())));

grant select, insert on public.overlay_features to authenticated;

-- A style as stored: a #rrggbb colour, a line width of 1–12 pixels, a label field (or none).
create function public.overlay_style_clean(p jsonb, p_old jsonb default '{}'::jsonb) returns jsonb
language plpgsql immutable
set search_path = public, pg_temp
as $$
declare
  v jsonb := coalesce(p_old, '{}'::jsonb) || coalesce(p, '{}'::jsonb);
  w numeric;
begin
  if jsonb_typeof(coalesce(p, '{}'::jsonb)) <> 'object' then
    raise exception 'style: expected an object' using errcode = '22023';
  end if;
  if coalesce(v ->> 'colour', '#d9480f') !~ '^#[0-9a-fA-F]{6}$' then
    raise exception 'style: colour must be #rrggbb' using errcode = '22023';
  end if;
  begin
    w := coalesce((v ->> 'width')::numeric, 3);
  exception when others then
    raise exception 'style: width must be a number' using errcode = '22023';
  end;
  if w < 1 or w > 12 then
    raise exception 'style: width must be between 1 and 12 pixels' using errcode = '22023';
  end if;
  if v ? 'label_field' and v -> 'label_field' <> 'null'::jsonb
     and (jsonb_typeof(v -> 'label_field') <> 'string' or length(v ->> 'label_field') > 100) then
    raise exception 'style: label_field must be a property name' using errcode = '22023';
  end if;
  return jsonb_build_object('colour', lower(coalesce(v ->> 'colour', '#d9480f')), 'width', w,
                            'label_field', nullif(v ->> 'label_field', ''));
end
$$;

-- An overlay's description (no geometry): what the list and the answers of a change show.
create function public.overlay_json(o public.overlays) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', o.id, 'name', o.name, 'visibility', o.visibility, 'style', o.style,
    'source_file', o.source_file,
    'mine', o.created_by = (select auth.uid()),
    'created_by', public.app_user_label(o.created_by),
    'created_at', o.created_at, 'updated_at', o.updated_at,
    'features', (select count(*) from public.overlay_features f where f.overlay_id = o.id),
    'geometry_types', coalesce((select jsonb_agg(distinct replace(st_geometrytype(f.geom), 'ST_', ''))
                                from public.overlay_features f where f.overlay_id = o.id), '[]'::jsonb),
    'bbox', (select jsonb_build_array(st_xmin(e), st_ymin(e), st_xmax(e), st_ymax(e))
             from (select st_extent(f.geom)::geometry as e from public.overlay_features f
                   where f.overlay_id = o.id) x where e is not null))
$$;

-- Adds an overlay from GeoJSON features (the server parsed the file). Each feature's geometry is
-- checked; the first bad one refuses the whole file with its number and name.
create function public.overlay_create(
  p_name text, p_visibility text, p_style jsonb, p_features jsonb, p_source_file text default null
) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  v_id uuid;
  f jsonb;
  i integer := 0;
  g geometry;
  v_label text;
  v_total integer := 0;
  o public.overlays;
begin
  if (select public.current_app_role()) is null or not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'overlays: viewers cannot add overlays' using errcode = '42501';
  end if;
  if coalesce(btrim(p_name), '') = '' then
    raise exception 'name: required' using errcode = '22023';
  end if;
  if coalesce(p_visibility, 'private') not in ('organisation', 'private') then
    raise exception 'visibility: must be organisation or private' using errcode = '22023';
  end if;
  if p_features is null or jsonb_typeof(p_features) <> 'array' or jsonb_array_length(p_features) = 0 then
    raise exception 'file: no features with a geometry' using errcode = '22023';
  end if;
  if jsonb_array_length(p_features) > 10000 then
    raise exception 'file: % features; at most 10000', jsonb_array_length(p_features) using errcode = '22023';
  end if;

  insert into public.overlays (name, visibility, style, source_file)
  values (btrim(p_name), coalesce(p_visibility, 'private'), public.overlay_style_clean(p_style), p_source_file)
  returning id into v_id;

  for f in select value from jsonb_array_elements(p_features) loop
    i := i + 1;
    v_label := 'feature ' || i || coalesce(' (' || left(coalesce(f -> 'properties' ->> 'name', f -> 'properties' ->> 'Name'), 80) || ')', '');
    begin
      -- KML and GPX carry altitudes; the map is 2D.
      g := st_force2d(st_setsrid(st_geomfromgeojson((f -> 'geometry')::text), 4326));
    exception when others then
      raise exception 'file: %: not a valid GeoJSON geometry (%)', v_label, sqlerrm using errcode = '22023';
    end;
    if g is null or st_isempty(g) then
      raise exception 'file: %: empty geometry', v_label using errcode = '22023';
    end if;
    if st_npoints(g) > 10000 then
      raise exception 'file: %: % vertices; at most 10000 per feature (simplify it)', v_label, st_npoints(g) using errcode = '22023';
    end if;
    v_total := v_total + st_npoints(g);
    if v_total > 100000 then
      raise exception 'file: more than 100000 vertices in all (at %); simplify the file', v_label using errcode = '22023';
    end if;
    if st_xmin(g) < -180 or st_xmax(g) > 180 or st_ymin(g) < -90 or st_ymax(g) > 90 then
      raise exception 'file: %: coordinates must be longitude, latitude in degrees', v_label using errcode = '22023';
    end if;
    if not st_isvalid(g) then
      raise exception 'file: %: invalid geometry (%)', v_label, st_isvalidreason(g) using errcode = '22023';
    end if;
    insert into public.overlay_features (overlay_id, idx, geom, properties)
    values (v_id, i, g, case when jsonb_typeof(f -> 'properties') = 'object' then f -> 'properties' else '{}'::jsonb end);
  end loop;

  select * into o from public.overlays where id = v_id;
  return public.overlay_json(o);
end
$$;

-- The overlays the caller sees, newest first.
create function public.overlays_list() returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select coalesce(jsonb_agg(public.overlay_json(o) order by o.created_at desc, o.name), '[]'::jsonb)
  from public.overlays o
$$;

-- One overlay as a GeoJSON FeatureCollection (its description in `overlay`); NULL when the caller
-- does not see it (the route answers 404: a private overlay is not known to exist).
create function public.overlay_geojson(p_id uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object(
    'type', 'FeatureCollection',
    'overlay', public.overlay_json(o),
    'features', coalesce((select jsonb_agg(jsonb_build_object(
                   'type', 'Feature', 'id', f.idx, 'properties', f.properties,
                   'geometry', st_asgeojson(f.geom, 6)::jsonb) order by f.idx)
                 from public.overlay_features f where f.overlay_id = o.id), '[]'::jsonb))
  from public.overlays o where o.id = p_id
$$;

-- Changes an overlay's name, visibility or style (merge: what is not given stays).
create function public.overlay_update(p_id uuid, p jsonb) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare o public.overlays; k text;
begin
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'body: expected an object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p) loop
    if k not in ('name', 'visibility', 'style') then
      raise exception '%: not a field of an overlay', k using errcode = '22023';
    end if;
  end loop;
  select * into o from public.overlays where id = p_id;
  if o.id is null then
    raise exception 'overlay: no such overlay' using errcode = 'P0002';
  end if;
  if p ? 'name' and coalesce(btrim(p ->> 'name'), '') = '' then
    raise exception 'name: required' using errcode = '22023';
  end if;
  if p ? 'visibility' and coalesce(p ->> 'visibility', '') not in ('organisation', 'private') then
    raise exception 'visibility: must be organisation or private' using errcode = '22023';
  end if;
  update public.overlays set
    name = case when p ? 'name' then btrim(p ->> 'name') else name end,
    visibility = case when p ? 'visibility' then p ->> 'visibility' else visibility end,
    style = case when p ? 'style' then public.overlay_style_clean(p -> 'style', style) else style end,
    updated_at = now()
  where id = p_id
  returning * into o;
  if o.id is null then
    raise exception 'overlay: only its owner (or an admin, for an organisation overlay) may change it' using errcode = '42501';
  end if;
  return public.overlay_json(o);
end
$$;

create function public.overlay_delete(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v uuid;
begin
  if not exists (select 1 from public.overlays where id = p_id) then
    raise exception 'overlay: no such overlay' using errcode = 'P0002';
  end if;
  delete from public.overlays where id = p_id returning id into v;
  if v is null then
    raise exception 'overlay: only its owner (or an admin, for an organisation overlay) may delete it' using errcode = '42501';
  end if;
  return jsonb_build_object('id', v, 'deleted', true);
end
$$;

-- An overlay used as the map's place filter (issue 13 item 4): one feature (p_idx) or the whole
-- overlay (p_idx NULL) is stored as a filter geometry, through filter_geometry_save (the same
-- checks and the same deduplicated id as a drawn shape), so the URL carries only the id. The
-- server reads the feature under the caller's RLS: a private overlay of someone else is not
-- found (P0002), exactly as if it did not exist; the browser never resends a long road.
-- `kind` says how the map filters by it: 'line' → a corridor, 'polygon' → inside it, 'point' → a
-- circle (with `point` = [lon, lat] for a single point, which the URL carries as lat/lon). A
-- whole overlay that mixes kinds is refused: a corridor width means nothing for a zone. It is
-- stored under p_name, the name the map shows for it (the feature's label, or the overlay's name).
create function public.filter_geometry_from_overlay(
  p_overlay_id uuid, p_idx integer default null, p_name text default null
)
returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare g geometry; v_dims integer[]; v_kind text; v jsonb;
begin
  select array_agg(distinct st_dimension(f.geom)),
         case when count(*) = 1 then (array_agg(f.geom))[1] end
    into v_dims, g
  from public.overlay_features f
  where f.overlay_id = p_overlay_id and (p_idx is null or f.idx = p_idx);
  if v_dims is null then
    raise exception 'overlay: no such overlay or feature' using errcode = 'P0002';
  end if;
  if cardinality(v_dims) > 1 then
    raise exception 'overlay: it mixes points, lines and polygons; filter by one of its features'
      using errcode = '22023';
  end if;
  v_kind := case v_dims[1] when 0 then 'point' when 1 then 'line' else 'polygon' end;
  if g is null then
    -- The whole overlay: polygons are unioned (overlapping zones would make an invalid
    -- multipolygon), points and lines collected.
    select case when v_kind = 'polygon' then st_union(f.geom) else st_collect(f.geom) end
      into g
    from public.overlay_features f where f.overlay_id = p_overlay_id;
  end if;
  v := public.filter_geometry_save(st_asgeojson(g, 9)::jsonb, p_name)
       || jsonb_build_object('kind', v_kind);
  if st_geometrytype(g) = 'ST_Point' then
    v := v || jsonb_build_object('point', jsonb_build_array(st_x(g), st_y(g)));
  end if;
  return v;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Rate shading (issue 13 item 3): the population of each area of one level, where it is known,
-- from the community profiles (82_assessments.sql). An area's own figure; else the sum of its
-- children's figures when every child has one (a district whose sub-districts were all counted).
-- An area with neither is absent: the map shows it as "no data", never as a rate of zero.
create function public.area_populations(p_level integer) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if p_level is null or p_level not between 1 and 3 then
    raise exception 'level: must be 1 (governorate), 2 (district) or 3 (sub-district)' using errcode = '22023';
  end if;
  return coalesce((
    with own as (
      select a.pcode, ac.population, ac.population_date
      from public.areas a join public.area_community ac on ac.pcode = a.pcode
      where a.level = p_level and ac.population is not null
    ),
    children as (
      select a.pcode, sum(ac.population) as population, max(ac.population_date) as population_date,
             count(*) as n, count(ac.population) as known
      from public.areas a
      join public.areas c on c.parent_pcode = a.pcode
      left join public.area_community ac on ac.pcode = c.pcode
      where a.level = p_level and a.pcode not in (select pcode from own)
      group by a.pcode
    )
    select jsonb_agg(jsonb_build_object('pcode', pcode, 'population', population,
                                        'population_date', population_date, 'from_children', fc)
                     order by pcode)
    from (
      select pcode, population, population_date, false as fc from own
      union all
      select pcode, population, population_date, true from children where known = n and n > 0
    ) x), '[]'::jsonb);
end
$$;
