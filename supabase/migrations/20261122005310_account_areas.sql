-- A field user's areas from the command line (`terrain user add … --areas`, `terrain user areas`),
-- for the Terrain server's service role like the other private.account_* functions. The admin
-- users page and the API use public.user_set_areas (admins only) instead; both refuse an
-- unknown P-code before changing anything, naming it.

-- The areas for a list of P-codes, with their names, or an error naming the first unknown one.
create function private.areas_check(p_areas text[]) returns jsonb
language plpgsql stable
set search_path = public, private, pg_temp
as $$
declare v_bad text;
begin
  perform private.require_service();
  select x into v_bad from unnest(coalesce(p_areas, '{}')) with ordinality as u(x, o)
  where not exists (select 1 from public.areas a where a.pcode = x) order by o limit 1;
  if v_bad is not null then
    raise exception 'areas: unknown P-code %', v_bad using errcode = '22023';
  end if;
  return coalesce((select jsonb_agg(jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                                                       'name_ar', a.name_ar) order by a.pcode)
                   from public.areas a where a.pcode = any (p_areas)), '[]'::jsonb);
end
$$;

-- Replaces the areas of the user with this e-mail address (an empty list: none).
create function private.account_set_areas(p_email text, p_areas text[]) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare u public.app_users; v_areas jsonb;
begin
  perform private.require_service();
  v_areas := private.areas_check(p_areas);
  update public.app_users
     set assigned_areas = coalesce((select array_agg(distinct x order by x) from unnest(p_areas) x), '{}')
   where email = lower(trim(p_email))
  returning * into u;
  if u.id is null then
    raise exception 'no user with email %', p_email using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'areas', v_areas);
end
$$;

revoke all on function private.areas_check(text[]) from public;
revoke all on function private.account_set_areas(text, text[]) from public;
