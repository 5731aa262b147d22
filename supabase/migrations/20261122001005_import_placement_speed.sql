-- Speed: placing each imported row ran the areas' row-level policy (a lookup of the caller's
-- role) on every one of its several area queries — 0.7 ms a row, three quarters of a 20,000-row
-- commit. Areas are readable by every signed-in user, so placement now runs as the function's
-- owner after checking once per row that the caller is signed in; anonymous callers cannot
-- execute it at all.
create or replace function public.import_place_row(
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
