-- The companion card is printed and carried in a wallet: a lost card must not name restricted
-- contacts (armed-group interlocutors and the like), whoever printed it. Same card as before,
-- normal contacts only.
create or replace function public.companion_card(p_site_id uuid, p_limit integer default 12) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare s public.org_sites; v jsonb; v_contacts jsonb;
begin
  perform sensitive.require_contact_reader();
  select * into s from public.org_sites where id = p_site_id;
  if s.id is null then
    return null;
  end if;
  -- contacts_nearby writes its own audit note; the card adds which site it was for.
  v := public.contacts_nearby(st_x(s.geom), st_y(s.geom), 50000, 5, 200);
  select coalesce(jsonb_agg(t.c), '[]'::jsonb) into v_contacts from (
    select c from jsonb_array_elements(v -> 'contacts') c
    where c ->> 'sensitivity' = 'normal'
    order by (c ->> 'emergency')::boolean desc, (c ->> 'distance_m')::float8, lower(c ->> 'full_name')
    limit greatest(coalesce(p_limit, 12), 0)) t;
  perform public.audit_note('card', 'contacts', jsonb_build_object('site_id', s.id, 'site', s.name));
  return jsonb_build_object(
    'site', jsonb_build_object('id', s.id, 'name', s.name, 'site_type', s.site_type,
                               'lon', st_x(s.geom), 'lat', st_y(s.geom), 'is_sample', s.is_sample),
    'areas', v -> 'areas',
    'checkpoints', v -> 'checkpoints',
    'contacts', v_contacts,
    'generated_at', now());
end
$$;

-- The areas a field user works in decide which contacts they see; admins assign them. (The users
-- page and `terrain user add` can call this; until then an admin can call it through the seam.)
create function public.user_set_areas(p_user_id uuid, p_areas text[]) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v_bad text; r public.app_users;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may assign areas' using errcode = '42501';
  end if;
  select x into v_bad from unnest(coalesce(p_areas, '{}')) x where not exists (select 1 from public.areas a where a.pcode = x) limit 1;
  if v_bad is not null then
    raise exception 'areas: unknown P-code %', v_bad using errcode = '22023';
  end if;
  update public.app_users set assigned_areas = coalesce((select array_agg(distinct x order by x) from unnest(p_areas) x), '{}')
  where id = p_user_id returning * into r;
  if r.id is null then
    raise exception 'user not found' using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', r.id, 'email', r.email, 'assigned_areas', r.assigned_areas);
end
$$;
revoke execute on function public.user_set_areas(uuid, text[]) from public, anon;
grant execute on function public.user_set_areas(uuid, text[]) to authenticated;
