-- Issue 13 point 4: a filter geometry made from an overlay's feature keeps that feature's name, so
-- the map names the filter in force after a reload and in a colleague's browser ("within 5 km of
-- “Mosul – Dohuk road”", not "of a drawn line"); before, the name lived only in the tab that chose it.
-- The name is no more private than the shape stored beside it: whoever has the link reads both.
-- The same shape under another name is another row (the hash covers the name), so a name never
-- changes under a link that already carries the id; an unnamed shape hashes as before.
alter table public.filter_geometries add column name text
  check (name is null or char_length(name) between 1 and 200);

drop function public.filter_geometry_save(jsonb);
-- Stores a filter geometry (with its name, if any) and returns its id (same shape and name, same id).
create function public.filter_geometry_save(p_geometry jsonb, p_name text default null) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare
  g geometry := public.filter_geometry_parse(p_geometry);
  v_name text := nullif(left(btrim(coalesce(p_name, '')), 200), '');
  h text;
  v uuid;
begin
  h := md5(st_asewkb(g) || convert_to(coalesce(v_name, ''), 'UTF8'));
  insert into public.filter_geometries (geom, geom_hash, name) values (g, h, v_name)
  on conflict (geom_hash) do nothing returning id into v;
  if v is null then
    select id into v from public.filter_geometries where geom_hash = h;
  end if;
  return jsonb_build_object('id', v, 'type', st_geometrytype(g), 'points', st_npoints(g),
                            'bbox', jsonb_build_array(st_xmin(g), st_ymin(g), st_xmax(g), st_ymax(g)),
                            'name', v_name);
end
$$;

-- A stored filter geometry as GeoJSON, with its name (null for a drawn shape).
create or replace function public.filter_geometry_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, extensions, pg_temp
as $$
  select jsonb_build_object('id', id, 'geometry', st_asgeojson(geom, 6)::jsonb, 'name', name)
  from public.filter_geometries where id = p_id
$$;

drop function public.filter_geometry_from_overlay(uuid, integer);
-- An overlay used as the map's place filter (issue 13 item 4), now stored under the name the map
-- shows for it (p_name: the feature's label, or the overlay's name for the whole overlay).
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
