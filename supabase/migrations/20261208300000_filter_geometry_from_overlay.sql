-- Issue 13 item 4: an overlay's line, polygon or point (or the whole overlay) becomes the map's
-- place filter, built on the server from the stored feature under the caller's RLS.

-- An overlay used as the map's place filter (issue 13 item 4): one feature (p_idx) or the whole
-- overlay (p_idx NULL) is stored as a filter geometry, through filter_geometry_save (the same
-- checks and the same deduplicated id as a drawn shape), so the URL carries only the id. The
-- server reads the feature under the caller's RLS: a private overlay of someone else is not
-- found (P0002), exactly as if it did not exist; the browser never resends a long road.
-- `kind` says how the map filters by it: 'line' → a corridor, 'polygon' → inside it, 'point' → a
-- circle (with `point` = [lon, lat] for a single point, which the URL carries as lat/lon). A
-- whole overlay that mixes kinds is refused: a corridor width means nothing for a zone.
create function public.filter_geometry_from_overlay(p_overlay_id uuid, p_idx integer default null)
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
  v := public.filter_geometry_save(st_asgeojson(g, 9)::jsonb)
       || jsonb_build_object('kind', v_kind);
  if st_geometrytype(g) = 'ST_Point' then
    v := v || jsonb_build_object('point', jsonb_build_array(st_x(g), st_y(g)));
  end if;
  return v;
end
$$;
