-- Issue 11, the parts still missing (session 10, engineer `move`):
--  * access authorisations: the register gets its write policies and functions (list, read, save),
--    movement_settings says which districts need one (authorisation_level, authorisation_pcodes)
--    and when expiry is alerted (authorisation_expiry_days); a movement's risk
--    (public.movement_risk) lists what its team needs and whether each is valid for the trip, and a
--    plain approval is refused while one is missing (approval with conditions is still possible);
--  * e-mails in the recipient's language: public.user_preferences keeps the language a user last
--    chose, and the delivery claim hands it to the sender.

alter table public.movement_settings
  add column authorisation_level smallint not null default 4 check (authorisation_level between 1 and 5),
  add column authorisation_pcodes text[] not null default '{}',
  add column authorisation_expiry_days integer not null default 14 check (authorisation_expiry_days between 1 and 365);

alter table sensitive.access_authorisations
  add column expiry_alerted_at timestamptz,
  add column updated_at timestamptz not null default now();

create policy "Analysts and admins can record access authorisations" on sensitive.access_authorisations
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can change access authorisations" on sensitive.access_authorisations
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can remove access authorisations" on sensitive.access_authorisations
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));
grant insert, update, delete on sensitive.access_authorisations to authenticated;

create or replace function public.movement_settings_update(p_patch jsonb) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  k text;
  allowed text[] := array['corridor_km', 'stop_km', 'days', 'checkpoint_stale_days', 'conditions_level',
                          'no_go_level', 'conditions_incidents', 'no_go_incidents', 'conditions_serious',
                          'call_level', 'call_max_age_hours', 'grace_minutes', 'authorisation_level',
                          'authorisation_pcodes', 'authorisation_expiry_days'];
  n integer;
begin
  if not public.has_app_role('admin') then
    raise exception 'only admins can change the movement rules' using errcode = '42501';
  end if;
  if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
    raise exception 'settings: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_patch) loop
    if not k = any (allowed) then
      raise exception '%: unknown setting', k using errcode = '22023';
    end if;
  end loop;
  if p_patch ? 'authorisation_pcodes' then
    if jsonb_typeof(p_patch -> 'authorisation_pcodes') <> 'array' then
      raise exception 'authorisation_pcodes: expected a list of P-codes' using errcode = '22023';
    end if;
    select x into k from jsonb_array_elements_text(p_patch -> 'authorisation_pcodes') x
    where not exists (select 1 from public.areas a where a.pcode = x) limit 1;
    if k is not null then
      raise exception 'authorisation_pcodes: no area %', k using errcode = '22023';
    end if;
  end if;
  update public.movement_settings s set
    corridor_km = coalesce((p_patch ->> 'corridor_km')::float8, s.corridor_km),
    stop_km = coalesce((p_patch ->> 'stop_km')::float8, s.stop_km),
    days = coalesce((p_patch ->> 'days')::int, s.days),
    checkpoint_stale_days = coalesce((p_patch ->> 'checkpoint_stale_days')::int, s.checkpoint_stale_days),
    conditions_level = coalesce((p_patch ->> 'conditions_level')::smallint, s.conditions_level),
    no_go_level = coalesce((p_patch ->> 'no_go_level')::smallint, s.no_go_level),
    conditions_incidents = coalesce((p_patch ->> 'conditions_incidents')::int, s.conditions_incidents),
    no_go_incidents = coalesce((p_patch ->> 'no_go_incidents')::int, s.no_go_incidents),
    conditions_serious = coalesce((p_patch ->> 'conditions_serious')::int, s.conditions_serious),
    call_level = coalesce((p_patch ->> 'call_level')::smallint, s.call_level),
    call_max_age_hours = coalesce((p_patch ->> 'call_max_age_hours')::int, s.call_max_age_hours),
    grace_minutes = coalesce((p_patch ->> 'grace_minutes')::int, s.grace_minutes),
    authorisation_level = coalesce((p_patch ->> 'authorisation_level')::smallint, s.authorisation_level),
    authorisation_pcodes = case when p_patch ? 'authorisation_pcodes' then coalesce(
      (select array_agg(distinct x order by x) from jsonb_array_elements_text(p_patch -> 'authorisation_pcodes') x),
      '{}') else s.authorisation_pcodes end,
    authorisation_expiry_days = coalesce((p_patch ->> 'authorisation_expiry_days')::int, s.authorisation_expiry_days),
    updated_at = now()
  where s.id = 1;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'only admins can change the movement rules' using errcode = '42501';
  end if;
  return public.movement_settings_get();
exception
  when check_violation then
    raise exception 'settings: %', sqlerrm using errcode = '22023';
  when invalid_text_representation then
    raise exception 'settings: %', sqlerrm using errcode = '22023';
end
$$;


create or replace function public.movement_transition(p_id uuid, p_to text, p_reason text default '',
                                           p_conditions text default null,
                                           p_lon double precision default null, p_lat double precision default null)
returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
  s public.movement_settings;
  is_staff boolean := public.has_app_role('admin', 'analyst');
  in_team boolean;
  missing text;
  v_pos geometry;
begin
  if me is null or not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_id for update;
  if m.id is null or not (is_staff or m.created_by = me or p_id = any (sensitive.my_movement_ids())
                          or m.areas && sensitive.my_area_scope()) then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  in_team := m.created_by = me or p_id = any (sensitive.my_movement_ids());
  select * into s from public.movement_settings where id = 1;
  p_reason := btrim(coalesce(p_reason, ''));
  if p_lon is not null and p_lat is not null then
    v_pos := st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  end if;

  if not (
       (m.status = 'draft' and p_to in ('submitted', 'cancelled'))
    or (m.status = 'submitted' and p_to in ('approved', 'approved_conditions', 'refused', 'cancelled'))
    or (m.status in ('approved', 'approved_conditions') and p_to in ('under_way', 'cancelled'))
    or (m.status in ('under_way', 'overdue') and p_to = 'completed')
    or (m.status in ('completed', 'refused', 'cancelled') and p_to = 'closed')
    or (m.status = 'refused' and p_to = 'draft')) then
    raise exception 'status: a % movement cannot become %', m.status, p_to using errcode = '22023';
  end if;

  if p_to in ('submitted', 'cancelled', 'draft') and not (is_staff or m.created_by = me) then
    raise exception 'only the author or an analyst can % this plan', p_to using errcode = '42501';
  end if;
  if p_to in ('approved', 'approved_conditions', 'refused') then
    if not is_staff then
      raise exception 'only analysts and admins approve or refuse movements' using errcode = '42501';
    end if;
    if m.created_by = me then
      raise exception 'approval: the author of a plan cannot approve or refuse it (four eyes)' using errcode = '42501';
    end if;
    if p_to = 'refused' and p_reason = '' then
      raise exception 'reason: say why the plan is refused' using errcode = '22023';
    end if;
    if p_to = 'approved_conditions' and btrim(coalesce(p_conditions, '')) = '' then
      raise exception 'conditions: say which conditions apply' using errcode = '22023';
    end if;
  end if;
  if p_to in ('approved', 'approved_conditions') then
    -- every district the movement touches at the call level or above needs a recent confirmation
    -- (a call about the district, its governorate or one of its sub-districts), and the latest
    -- call about it must not advise against going
    select string_agg(d.name_en || ' (' || d.pcode || ', level ' || d.level || ')', ', ' order by d.name_en)
      into missing
    from (
      select a.pcode, a.name_en, a.parent_pcode, (l ->> 'level')::int as level
      from public.areas a
      join jsonb_array_elements(public.area_levels_current(m.departure_at::date, 2)) l on l ->> 'pcode' = a.pcode
      where a.level = 2 and a.pcode = any (m.areas) and (l ->> 'level')::int >= s.call_level
    ) d
    where not exists (
      select 1 from sensitive.safe_access_calls c
      join public.areas ca on ca.pcode = c.pcode
      where c.movement_id = m.id
        and (c.pcode = d.pcode or c.pcode = d.parent_pcode or ca.parent_pcode = d.pcode)
        and c.called_at >= now() - make_interval(hours => s.call_max_age_hours)
        and c.outcome in ('confirmed', 'conditions')
        and not exists (
          select 1 from sensitive.safe_access_calls c2 join public.areas ca2 on ca2.pcode = c2.pcode
          where c2.movement_id = m.id and c2.called_at > c.called_at and c2.outcome = 'advised_against'
            and (c2.pcode = d.pcode or c2.pcode = d.parent_pcode or ca2.parent_pcode = d.pcode)));
    if missing is not null then
      raise exception 'calls: no recent safe-access confirmation (last % h) for %', s.call_max_age_hours, missing
        using errcode = '22023';
    end if;
  end if;
  -- 20261205040000: a plain approval needs every access authorisation the trip needs; the approver
  -- may still approve with conditions (the route risk lists what is missing)
  if p_to = 'approved' then
    select string_agg(distinct (i ->> 'holder') || ' in ' || (i ->> 'name_en') || ' (' || replace(i ->> 'status', '_', ' ') || ')', ', ')
      into missing
    from jsonb_array_elements(private.movement_authorisation_check(m.id) -> 'items') i
    where i ->> 'status' <> 'valid';
    if missing is not null then
      raise exception 'authorisations: no valid access authorisation for the trip: %; record them, or approve with conditions', missing
        using errcode = '22023';
    end if;
  end if;
  if p_to in ('under_way', 'completed') and not (is_staff or in_team) then
    raise exception 'only the team, the author or an analyst checks a movement out or in' using errcode = '42501';
  end if;
  if p_to = 'closed' and not is_staff then
    raise exception 'only analysts and admins close movements' using errcode = '42501';
  end if;

  update sensitive.movements set
    status = p_to,
    updated_at = now(),
    decided_by = case when p_to in ('approved', 'approved_conditions', 'refused') then me else decided_by end,
    decided_at = case when p_to in ('approved', 'approved_conditions', 'refused') then now() else decided_at end,
    conditions = case when p_to = 'approved_conditions' then btrim(p_conditions) else conditions end,
    checked_out_at = case when p_to = 'under_way' then now() else checked_out_at end,
    checked_in_at = case when p_to = 'completed' then now() else checked_in_at end,
    last_position = coalesce(v_pos, last_position),
    last_position_at = case when v_pos is not null then now() else last_position_at end
  where id = m.id;
  insert into sensitive.movement_events (movement_id, from_status, to_status, reason, by_user, position)
  values (m.id, m.status, p_to, p_reason, me, v_pos);
  perform pg_notify('terrain_live', jsonb_build_object('kind', 'movement', 'id', m.id, 'status', p_to)::text);
  return sensitive.movement_json(m.id);
end
$$;


-- Access authorisations (20261205040000): the register of letters and permits, and the check of a
-- movement against it.
--
-- An authorisation covers a holder — the whole organisation, a staff member (an account or a
-- name), a vehicle (its plate) or equipment — in an area (a governorate or district P-code; none:
-- everywhere), from valid_from to valid_to. A movement NEEDS one for every team member and vehicle
-- in each district its route or stops touch whose level on the departure day is at least
-- movement_settings.authorisation_level, or which (or whose governorate) is listed in
-- authorisation_pcodes. It is valid when it covers the whole trip, departure day to return day.

-- One authorisation as the API answers it.
create function public.access_authorisation_json(a sensitive.access_authorisations) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select jsonb_build_object(
    'id', a.id, 'kind', a.kind, 'holder_type', a.holder_type, 'user_id', a.user_id,
    'holder_name', a.holder_name, 'plate', a.plate, 'pcode', a.pcode,
    'area_name', (select ar.name_en from public.areas ar where ar.pcode = a.pcode),
    'issued_by', a.issued_by, 'issued_by_name', coalesce((select x.name from public.actors x where x.id = a.issued_by), a.issued_by_name),
    'valid_from', a.valid_from, 'valid_to', a.valid_to, 'reference', a.reference, 'notes', a.notes,
    'status', case when a.valid_to < current_date then 'expired'
                   when a.valid_from > current_date then 'not_yet_valid'
                   when a.valid_to < current_date + (select s.authorisation_expiry_days from public.movement_settings s where s.id = 1)
                     then 'expiring'
                   else 'valid' end,
    'created_by', a.created_by, 'created_at', a.created_at, 'updated_at', a.updated_at)
$$;

-- The register as the caller may read it (analysts and admins: all; field staff: their own), soonest
-- expiry first. Every list is audited: who holds which permit where is need-to-know.
create function public.access_authorisations_list(p_pcode text default null, p_limit integer default 500) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'access authorisations are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if p_limit is null or p_limit not between 1 and 5000 then
    raise exception 'limit: must be between 1 and 5000' using errcode = '22023';
  end if;
  select coalesce(jsonb_agg(public.access_authorisation_json(a) order by a.valid_to, a.id), '[]') into v
  from (select * from sensitive.access_authorisations a
        where p_pcode is null or a.pcode is null or a.pcode = any (public.area_lineage_up(array[p_pcode]))
        order by a.valid_to, a.id limit p_limit) a;
  perform public.audit_record('list', 'access_authorisations', jsonb_build_object('n', jsonb_array_length(v)));
  return v;
end
$$;

create function public.access_authorisation_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'access authorisations are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select public.access_authorisation_json(a) into v from sensitive.access_authorisations a where a.id = p_id;
  perform public.audit_record('read', 'access_authorisations', jsonb_build_object('id', p_id, 'found', v is not null));
  if v is null then
    raise exception 'no access authorisation with id %', p_id using errcode = 'P0002';
  end if;
  return v;
end
$$;

-- Create (p_id null) or change an authorisation. Merge semantics: keys not given stay as they are.
-- Security invoker: RLS lets analysts and admins write; everything is checked, with the field
-- named, before anything is written; the row trigger audits the change.
create function public.access_authorisation_save(p_id uuid, p_fields jsonb) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare
  a sensitive.access_authorisations;
  k text;
  allowed text[] := array['kind', 'holder_type', 'user_id', 'holder_name', 'plate', 'pcode', 'issued_by',
                          'issued_by_name', 'valid_from', 'valid_to', 'reference', 'notes'];
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins keep the access authorisations' using errcode = '42501';
  end if;
  if p_fields is null or jsonb_typeof(p_fields) <> 'object' then
    raise exception 'authorisation: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_fields) loop
    if not k = any (allowed) then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  if p_id is null then
    a.id := gen_random_uuid();
    a.kind := 'letter';
    a.holder_name := '';
    a.issued_by_name := '';
    a.reference := '';
    a.notes := '';
    a.created_by := (select auth.uid());
    a.created_at := now();
  else
    select * into a from sensitive.access_authorisations where id = p_id for update;
    if a.id is null then
      raise exception 'no access authorisation with id %', p_id using errcode = 'P0002';
    end if;
  end if;
  if p_fields ? 'kind' then a.kind := p_fields ->> 'kind'; end if;
  if a.kind is null or a.kind not in ('letter', 'permit', 'badge', 'other') then
    raise exception 'kind: one of letter, permit, badge, other' using errcode = '22023';
  end if;
  if p_fields ? 'holder_type' then a.holder_type := p_fields ->> 'holder_type'; end if;
  if a.holder_type is null or a.holder_type not in ('organisation', 'staff', 'vehicle', 'equipment') then
    raise exception 'holder_type: one of organisation, staff, vehicle, equipment' using errcode = '22023';
  end if;
  begin
    if p_fields ? 'user_id' then a.user_id := nullif(p_fields ->> 'user_id', '')::uuid; end if;
  exception when invalid_text_representation then
    raise exception 'user_id: not a UUID' using errcode = '22023';
  end;
  if a.user_id is not null and not exists (select 1 from public.app_users u where u.id = a.user_id) then
    raise exception 'user_id: no user with id %', a.user_id using errcode = '22023';
  end if;
  if p_fields ? 'holder_name' then a.holder_name := btrim(coalesce(p_fields ->> 'holder_name', '')); end if;
  if p_fields ? 'plate' then a.plate := nullif(btrim(coalesce(p_fields ->> 'plate', '')), ''); end if;
  if a.holder_type = 'staff' and a.user_id is null and a.holder_name = '' then
    raise exception 'holder_name: a staff authorisation names its holder (or picks a user)' using errcode = '22023';
  end if;
  if a.holder_type = 'vehicle' and a.plate is null then
    raise exception 'plate: a vehicle authorisation needs the plate' using errcode = '22023';
  end if;
  if a.holder_type = 'equipment' and a.holder_name = '' then
    raise exception 'holder_name: say which equipment' using errcode = '22023';
  end if;
  if length(a.holder_name) > 200 then
    raise exception 'holder_name: at most 200 characters' using errcode = '22023';
  end if;
  if p_fields ? 'pcode' then a.pcode := nullif(btrim(coalesce(p_fields ->> 'pcode', '')), ''); end if;
  if a.pcode is not null and not exists (select 1 from public.areas ar where ar.pcode = a.pcode) then
    raise exception 'pcode: no area %', a.pcode using errcode = '22023';
  end if;
  begin
    if p_fields ? 'issued_by' then a.issued_by := nullif(p_fields ->> 'issued_by', '')::uuid; end if;
  exception when invalid_text_representation then
    raise exception 'issued_by: not a UUID' using errcode = '22023';
  end;
  if a.issued_by is not null and not exists (select 1 from public.actors x where x.id = a.issued_by) then
    raise exception 'issued_by: no actor with id %', a.issued_by using errcode = '22023';
  end if;
  if p_fields ? 'issued_by_name' then a.issued_by_name := btrim(coalesce(p_fields ->> 'issued_by_name', '')); end if;
  if a.issued_by is null and a.issued_by_name = '' then
    raise exception 'issued_by: say which authority issued it (an actor or a name)' using errcode = '22023';
  end if;
  begin
    if p_fields ? 'valid_from' then a.valid_from := (p_fields ->> 'valid_from')::date; end if;
  exception when others then
    raise exception 'valid_from: not a date (YYYY-MM-DD)' using errcode = '22023';
  end;
  begin
    if p_fields ? 'valid_to' then a.valid_to := (p_fields ->> 'valid_to')::date; end if;
  exception when others then
    raise exception 'valid_to: not a date (YYYY-MM-DD)' using errcode = '22023';
  end;
  if a.valid_from is null then
    raise exception 'valid_from: is required' using errcode = '22023';
  end if;
  if a.valid_to is null then
    raise exception 'valid_to: is required' using errcode = '22023';
  end if;
  if a.valid_to < a.valid_from then
    raise exception 'valid_to: % is before valid_from %', a.valid_to, a.valid_from using errcode = '22023';
  end if;
  if p_fields ? 'reference' then a.reference := btrim(coalesce(p_fields ->> 'reference', '')); end if;
  if length(a.reference) > 200 then
    raise exception 'reference: at most 200 characters' using errcode = '22023';
  end if;
  if p_fields ? 'notes' then a.notes := coalesce(p_fields ->> 'notes', ''); end if;
  a.updated_at := now();
  if p_id is null then
    insert into sensitive.access_authorisations values (a.*);
  else
    update sensitive.access_authorisations set
      kind = a.kind, holder_type = a.holder_type, user_id = a.user_id, holder_name = a.holder_name, plate = a.plate,
      pcode = a.pcode, issued_by = a.issued_by, issued_by_name = a.issued_by_name, valid_from = a.valid_from,
      valid_to = a.valid_to, reference = a.reference, notes = a.notes, updated_at = a.updated_at,
      -- a new end date may expire again: alert again then
      expiry_alerted_at = case when valid_to is distinct from a.valid_to then null else expiry_alerted_at end
    where id = a.id;
  end if;
  return public.access_authorisation_json(a);
end
$$;

-- What a movement needs and what covers it. Runs as its definer's caller (the owner): callers are
-- the two definer functions below, which first check the movement is one the user may read.
create function private.movement_authorisation_check(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  with s as (select * from public.movement_settings where id = 1),
  mv as (
    select m.id, m.areas, (m.departure_at at time zone 'UTC')::date as d0, (m.return_at at time zone 'UTC')::date as d1
    from sensitive.movements m where m.id = p_id
  ),
  lv as (
    select e ->> 'pcode' as pcode, (e ->> 'level')::int as level
    from mv, jsonb_array_elements(public.area_levels_current(mv.d0, 2)) e
  ),
  needed as (
    select a.pcode, a.name_en, a.name_ar, a.parent_pcode, lv.level
    from mv cross join s
    join public.areas a on a.level = 2 and a.pcode = any (mv.areas)
    left join lv on lv.pcode = a.pcode
    where coalesce(lv.level, 0) >= s.authorisation_level
       or a.pcode = any (s.authorisation_pcodes) or a.parent_pcode = any (s.authorisation_pcodes)
  ),
  holders as (
    select 'staff' as holder_type, t.position as pos, t.user_id, t.name as holder, null::text as plate
    from sensitive.movement_team t where t.movement_id = p_id
    union all
    select 'vehicle', 1000 + v.position, null, v.plate, v.plate
    from sensitive.movement_vehicles v where v.movement_id = p_id
    union all
    -- no team and no vehicle listed: the organisation itself must hold one
    select 'organisation', -1, null, 'the organisation', null
    where not exists (select 1 from sensitive.movement_team t where t.movement_id = p_id)
      and not exists (select 1 from sensitive.movement_vehicles v where v.movement_id = p_id)
  ),
  items as (
    select n.pcode, n.name_en, n.name_ar, n.level, h.holder_type, h.pos, h.user_id, h.holder, b.*,
           case when b.auth_id is null then 'missing'
                when b.valid_from > mv.d0 then 'not_yet_valid'
                when b.valid_to < mv.d0 then 'expired'
                when b.valid_to < mv.d1 then 'expires_during'
                else 'valid' end as status
    from mv cross join needed n cross join holders h
    left join lateral (
      select a.id as auth_id, a.kind, a.reference, a.valid_from, a.valid_to, a.holder_type as covered_as,
             coalesce(x.name, a.issued_by_name) as issued_by
      from sensitive.access_authorisations a
      left join public.actors x on x.id = a.issued_by
      where (a.pcode is null or a.pcode = n.pcode or a.pcode = n.parent_pcode)
        and (a.holder_type = 'organisation'
             or (h.holder_type = 'staff' and a.holder_type = 'staff'
                 and ((h.user_id is not null and a.user_id = h.user_id)
                      or (a.holder_name <> '' and lower(btrim(a.holder_name)) = lower(btrim(h.holder)))))
             or (h.holder_type = 'vehicle' and a.holder_type = 'vehicle'
                 and upper(regexp_replace(a.plate, '\s', '', 'g')) = upper(regexp_replace(h.plate, '\s', '', 'g'))))
      -- the one covering the whole trip first, then the one ending last
      order by (a.valid_from <= mv.d0 and a.valid_to >= mv.d1) desc, a.valid_to desc, a.id
      limit 1
    ) b on true
  )
  select jsonb_build_object(
    'from', (select d0 from mv), 'to', (select d1 from mv),
    'level', (select authorisation_level from s),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('pcode', n.pcode, 'name_en', n.name_en, 'name_ar', n.name_ar,
                                                           'level', n.level) order by n.pcode) from needed n), '[]'),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
        'pcode', i.pcode, 'name_en', i.name_en, 'name_ar', i.name_ar, 'level', i.level,
        'holder_type', i.holder_type, 'holder', i.holder, 'status', i.status,
        'authorisation', case when i.auth_id is null then null else jsonb_build_object(
          'id', i.auth_id, 'kind', i.kind, 'reference', i.reference, 'issued_by', i.issued_by,
          'valid_from', i.valid_from, 'valid_to', i.valid_to, 'covered_as', i.covered_as) end)
        order by i.pcode, i.pos) from items i), '[]'),
    'missing', (select count(*) from items where status <> 'valid'))
$$;
revoke all on function private.movement_authorisation_check(uuid) from public, anon, authenticated;

-- The authorisations a movement's team needs, and whether each is valid for the trip.
create function public.movement_authorisations(p_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
begin
  if me is null or not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_id;
  if m.id is null or not (public.has_app_role('admin', 'analyst') or m.created_by = me
                          or p_id = any (sensitive.my_movement_ids()) or m.areas && sensitive.my_area_scope()) then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  return private.movement_authorisation_check(p_id);
end
$$;

-- A saved plan's route risk: public.route_risk over its route, corridor, stops and day of travel,
-- plus the authorisation check, which adds its own rule (authorisation_missing: conditions). The
-- read of the route is audited, as every movement read is. Security invoker: RLS decides.
create function public.movement_risk(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  m sensitive.movements;
  v jsonb;
  a jsonb;
  n integer;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'movements are for field staff, analysts and admins' using errcode = '42501';
  end if;
  select * into m from sensitive.movements where id = p_id;
  perform public.audit_record('read', 'movements', jsonb_build_object('id', p_id, 'found', m.id is not null, 'what', 'risk'));
  if m.id is null then
    raise exception 'no movement with id %', p_id using errcode = 'P0002';
  end if;
  if m.route is null then
    return null;
  end if;
  v := public.route_risk(
    st_asgeojson(m.route, 7)::jsonb, m.corridor_km, null, null,
    (select jsonb_agg(jsonb_build_object('lon', st_x(s.geom), 'lat', st_y(s.geom), 'name', s.name) order by s.position)
     from sensitive.movement_stops s where s.movement_id = p_id),
    null, 200, (m.departure_at at time zone 'UTC')::date);
  a := public.movement_authorisations(p_id);
  n := (a ->> 'missing')::int;
  if n > 0 then
    v := jsonb_set(v, '{reasons}', (v -> 'reasons') || jsonb_build_array(jsonb_build_object(
      'rule', 'authorisation_missing', 'severity', 'conditions',
      'message', format('%s access authorisation(s) missing or not valid from %s to %s: %s', n, a ->> 'from', a ->> 'to',
                        (select string_agg(distinct (i ->> 'holder') || ' in ' || (i ->> 'name_en'), ', ')
                         from jsonb_array_elements(a -> 'items') i where i ->> 'status' <> 'valid')))));
    if v ->> 'recommendation' = 'go' then
      v := jsonb_set(v, '{recommendation}', '"conditions"');
    end if;
  end if;
  return v || jsonb_build_object('authorisations', a);
end
$$;

-- Authorisations ending within the settings' authorisation_expiry_days raise one alert each (to
-- analysts and admins, and to the holder when it is an account), once per end date. Run by the
-- server's timer with the overdue sweep. The alert names no holder, area or reference: e-mail
-- leaves Terrain; the reader opens the register, where RLS applies.
create function private.authorisations_expiring_sweep() returns integer
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  d integer := (select authorisation_expiry_days from public.movement_settings where id = 1);
  n integer := 0;
  r record;
  v_alert uuid;
begin
  for r in
    update sensitive.access_authorisations a set expiry_alerted_at = now()
    where a.expiry_alerted_at is null and a.valid_to >= current_date and a.valid_to < current_date + d
    returning a.id, a.valid_to, a.user_id
  loop
    insert into public.alerts (kind, severity, title, body, target_users, target_roles)
    values ('authorisation_expiring', 'warning', format('An access authorisation expires on %s', r.valid_to),
            jsonb_build_object('authorisation_id', r.id, 'valid_to', r.valid_to),
            array_remove(array[r.user_id], null), array['analyst', 'admin'])
    returning id into v_alert;
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
    n := n + 1;
  end loop;
  return n;
end
$$;
revoke all on function private.authorisations_expiring_sweep() from public, anon, authenticated;

revoke all on function public.access_authorisation_json(sensitive.access_authorisations),
  public.access_authorisations_list(text, integer), public.access_authorisation_get(uuid),
  public.access_authorisation_save(uuid, jsonb), public.movement_authorisations(uuid),
  public.movement_risk(uuid) from public, anon;
grant execute on function public.access_authorisation_json(sensitive.access_authorisations),
  public.access_authorisations_list(text, integer), public.access_authorisation_get(uuid),
  public.access_authorisation_save(uuid, jsonb), public.movement_authorisations(uuid),
  public.movement_risk(uuid) to authenticated;

-- A user's language for what Terrain sends them (20261205040000): the language they last chose in
-- the app's switcher (src/routes/lang), kept so that e-mails sent while they are away are in it.
create table public.user_preferences (
  user_id     uuid primary key references public.app_users (id) on delete cascade,
  locale      text not null default 'en' check (locale in ('en', 'ar', 'ku', 'fr')),
  updated_at  timestamptz not null default now()
);
alter table public.user_preferences enable row level security;
create policy "Users can read their own preferences" on public.user_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Users can set their own preferences" on public.user_preferences
  for insert to authenticated with check (user_id = (select auth.uid()) and (select public.current_app_role()) is not null);
create policy "Users can change their own preferences" on public.user_preferences
  for update to authenticated using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (select public.current_app_role()) is not null);
grant select, insert, update on public.user_preferences to authenticated;

create function public.my_locale_set(p_locale text) returns text
language plpgsql volatile
set search_path = public, pg_temp
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'sign in to keep a language' using errcode = '42501';
  end if;
  if p_locale is null or p_locale not in ('en', 'ar', 'ku', 'fr') then
    raise exception 'locale: one of en, ar, ku, fr' using errcode = '22023';
  end if;
  insert into public.user_preferences (user_id, locale) values ((select auth.uid()), p_locale)
  on conflict (user_id) do update set locale = excluded.locale, updated_at = now()
    where user_preferences.locale is distinct from excluded.locale;
  return p_locale;
end
$$;
revoke all on function public.my_locale_set(text) from public, anon;
grant execute on function public.my_locale_set(text) to authenticated;

create or replace function private.alert_deliveries_claim(p_limit integer default 20, p_lease_seconds integer default 300)
returns jsonb
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare v jsonb;
begin
  with due as (
    select d.id from private.alert_deliveries d
    where d.status in ('pending', 'sending') and d.next_attempt_at <= now()
    order by d.next_attempt_at, d.id
    limit greatest(1, least(p_limit, 500))
    for update skip locked
  ), taken as (
    update private.alert_deliveries d set status = 'sending', attempts = d.attempts + 1,
      next_attempt_at = now() + make_interval(secs => p_lease_seconds)
    from due where d.id = due.id
    returning d.id, d.alert_id, d.user_id, d.email, d.attempts
  )
  -- the recipient's language (20261205040000): the one they last chose in the app, else English
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'alert_id', t.alert_id, 'email', t.email,
                                               'attempts', t.attempts, 'user_id', t.user_id, 'role', u.role,
                                               'display_name', u.display_name,
                                               'locale', coalesce(p.locale, 'en')) order by t.id), '[]')
    into v
  from taken t join public.app_users u on u.id = t.user_id
  left join public.user_preferences p on p.user_id = t.user_id;
  return v;
end
$$;

