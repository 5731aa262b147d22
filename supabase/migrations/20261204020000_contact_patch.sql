-- Contacts: PATCH with merge semantics (issue 9, "every API resource that can be updated has
-- PATCH"), and a save that changes nothing writes nothing.

-- contact_save (20261122002002_contacts.sql) updated the contact row on every call, so saving
-- the form unchanged bumped updated_at and left an audit row; it now writes only a change.
create or replace function public.contact_save(
  p_full_name text,
  p_id uuid default null,
  p_name_ar text default null,
  p_role_title text default '',
  p_actor_id uuid default null,
  p_call_sign text default null,
  p_messaging jsonb default '[]',
  p_languages text[] default '{}',
  p_sensitivity text default 'normal',
  p_emergency boolean default false,
  p_notes text default '',
  p_phones jsonb default null,
  p_areas text[] default null,
  p_checkpoint_ids uuid[] default null,
  p_verified boolean default false
) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  v_id uuid := coalesce(p_id, gen_random_uuid());
  v_bad text;
  i integer;
begin
  perform sensitive.require_contact_reader();
  p_phones := sensitive.json_arg(p_phones);
  p_messaging := sensitive.json_arg(p_messaging);
  if coalesce(trim(p_full_name), '') = '' then
    raise exception 'full_name: must not be empty' using errcode = '22023';
  end if;
  if p_sensitivity is null or p_sensitivity not in ('normal', 'restricted') then
    raise exception 'sensitivity: use normal or restricted' using errcode = '22023';
  end if;
  if not sensitive.valid_messaging(coalesce(p_messaging, '[]')) then
    raise exception 'messaging: each handle needs a service (whatsapp, signal, telegram, viber, thuraya, email, other) and a handle' using errcode = '22023';
  end if;
  select l into v_bad from unnest(coalesce(p_languages, '{}')) l where not sensitive.valid_languages(array[l]) limit 1;
  if v_bad is not null then
    raise exception 'languages: "%" is not a language code such as en, ar or ckb', v_bad using errcode = '22023';
  end if;
  if p_phones is not null then
    if jsonb_typeof(p_phones) <> 'array' then
      raise exception 'phones: expected a list' using errcode = '22023';
    end if;
    for i in 0 .. jsonb_array_length(p_phones) - 1 loop
      if coalesce(p_phones -> i ->> 'number', '') !~ '^\+[1-9][0-9]{6,14}$' then
        raise exception 'phones[%].number: "%" is not a phone number in international form (+964…)', i,
          coalesce(p_phones -> i ->> 'number', '') using errcode = '22023';
      end if;
      if coalesce(p_phones -> i ->> 'phone_type', 'mobile') not in ('mobile', 'landline', 'satellite', 'office', 'home', 'other') then
        raise exception 'phones[%].phone_type: use mobile, landline, satellite, office, home or other', i using errcode = '22023';
      end if;
    end loop;
    if (select count(distinct e ->> 'number') <> count(*) from jsonb_array_elements(p_phones) e) then
      raise exception 'phones: the same number is listed twice' using errcode = '22023';
    end if;
  end if;
  select x into v_bad from unnest(coalesce(p_areas, '{}')) x where not exists (select 1 from public.areas a where a.pcode = x) limit 1;
  if v_bad is not null then
    raise exception 'areas: unknown P-code %', v_bad using errcode = '22023';
  end if;
  if p_actor_id is not null and not exists (select 1 from public.actors where id = p_actor_id) then
    raise exception 'actor_id: no such actor' using errcode = '22023';
  end if;

  if p_id is null then
    insert into sensitive.contacts (id, full_name, name_ar, role_title, actor_id, call_sign, messaging,
                                    languages, sensitivity, emergency, notes, last_verified_at)
    values (v_id, p_full_name, p_name_ar, coalesce(p_role_title, ''), p_actor_id, p_call_sign,
            coalesce(p_messaging, '[]'), coalesce(p_languages, '{}'), p_sensitivity,
            coalesce(p_emergency, false), coalesce(p_notes, ''), case when p_verified then now() end);
  else
    -- Only when something changes: saving a contact as it is writes nothing (no updated_at, no
    -- audit row). The values compared are those the before-write trigger would store.
    update sensitive.contacts set full_name = p_full_name, name_ar = p_name_ar,
           role_title = coalesce(p_role_title, ''), actor_id = p_actor_id, call_sign = p_call_sign,
           messaging = coalesce(p_messaging, '[]'), languages = coalesce(p_languages, '{}'),
           sensitivity = p_sensitivity, emergency = coalesce(p_emergency, false), notes = coalesce(p_notes, ''),
           last_verified_at = case when p_verified then now() else last_verified_at end
    where id = p_id
      and (p_verified
           or (full_name, name_ar, role_title, actor_id, call_sign, messaging, languages, sensitivity,
               emergency, notes)
              is distinct from
              (trim(p_full_name), nullif(trim(coalesce(p_name_ar, '')), ''), coalesce(p_role_title, ''),
               p_actor_id, nullif(trim(coalesce(p_call_sign, '')), ''), coalesce(p_messaging, '[]'),
               coalesce(p_languages, '{}'), p_sensitivity, coalesce(p_emergency, false),
               coalesce(p_notes, '')));
    if not found and not exists (select 1 from sensitive.contacts c where c.id = p_id) then
      raise exception 'contact not found or not allowed' using errcode = '42501';
    end if;
  end if;

  if p_phones is not null then
    delete from sensitive.contact_phones p where p.contact_id = v_id
      and p.number not in (select e ->> 'number' from jsonb_array_elements(p_phones) e);
    insert into sensitive.contact_phones (contact_id, number, phone_type, label, position)
    select v_id, e ->> 'number', coalesce(e ->> 'phone_type', 'mobile'), coalesce(e ->> 'label', ''), (o - 1)::smallint
    from jsonb_array_elements(p_phones) with ordinality as x(e, o)
    on conflict (contact_id, number) do update
      set phone_type = excluded.phone_type, label = excluded.label, position = excluded.position
      where (contact_phones.phone_type, contact_phones.label, contact_phones.position)
            is distinct from (excluded.phone_type, excluded.label, excluded.position);
  end if;
  if p_areas is not null then
    delete from sensitive.contact_areas where contact_id = v_id and pcode <> all (p_areas);
    insert into sensitive.contact_areas (contact_id, pcode)
    select v_id, x from unnest(p_areas) x on conflict do nothing;
  end if;
  if p_checkpoint_ids is not null then
    delete from sensitive.contact_checkpoints where contact_id = v_id and checkpoint_id <> all (p_checkpoint_ids);
    insert into sensitive.contact_checkpoints (contact_id, checkpoint_id)
    select v_id, x from unnest(p_checkpoint_ids) x on conflict do nothing;
  end if;

  return (select sensitive.contact_json(c) from sensitive.contacts c where c.id = v_id);
exception
  when foreign_key_violation then
    raise exception 'checkpoint_ids: no such checkpoint' using errcode = '22023';
end
$$;

-- What a PATCH compares: a contact's editable fields, its phones in order, its areas and
-- checkpoints as sorted lists — as the caller sees them (RLS).
create function sensitive.contact_snapshot(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select jsonb_build_object(
    'full_name', c.full_name, 'name_ar', c.name_ar, 'role_title', c.role_title,
    'actor_id', c.actor_id, 'call_sign', c.call_sign, 'messaging', c.messaging,
    'languages', to_jsonb(c.languages), 'sensitivity', c.sensitivity, 'emergency', c.emergency,
    'notes', c.notes, 'verified', c.last_verified_at,
    'phones', coalesce((select jsonb_agg(jsonb_build_object('number', p.number, 'phone_type', p.phone_type,
                 'label', p.label) order by p.position, p.number)
               from sensitive.contact_phones p where p.contact_id = c.id), '[]'::jsonb),
    'areas', coalesce((select jsonb_agg(a.pcode order by a.pcode)
               from sensitive.contact_areas a where a.contact_id = c.id), '[]'::jsonb),
    'checkpoint_ids', coalesce((select jsonb_agg(k.checkpoint_id order by k.checkpoint_id)
               from sensitive.contact_checkpoints k where k.contact_id = c.id), '[]'::jsonb))
  from sensitive.contacts c where c.id = p_id
$$;
revoke all on function sensitive.contact_snapshot(uuid) from public;
grant execute on function sensitive.contact_snapshot(uuid) to authenticated;

-- PATCH with merge semantics: the fields sent change, every other stays as stored. The stored
-- contact is read under the caller's RLS (one they may not see is "not found", as for a read),
-- merged with the patch and saved through contact_save (the same checks and need-to-know).
-- Field staff keep to what the form lets them change: a contact's areas, checkpoints and
-- sensitivity are for analysts and admins. Answers {id, changed, contact}; a patch that changes
-- nothing writes nothing, so it leaves no audit row.
create function public.contact_patch(p_id uuid, p_patch jsonb) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  p jsonb := sensitive.json_arg(p_patch);
  c sensitive.contacts;
  v_before jsonb;
  v_after jsonb;
  v_contact jsonb;
  v_areas jsonb;
  v_cps jsonb;
  v_changed text[] := '{}';
  k text;
  v_fields constant text[] := array['full_name', 'name_ar', 'role_title', 'actor_id', 'call_sign',
    'messaging', 'languages', 'sensitivity', 'emergency', 'notes', 'phones', 'areas',
    'checkpoint_ids', 'verified'];
begin
  perform sensitive.require_contact_reader();
  if p is null or jsonb_typeof(p) <> 'object' then
    raise exception 'body: expected an object with the fields to change' using errcode = '22023';
  end if;
  select x into k from jsonb_object_keys(p) x where x <> all (v_fields) order by x limit 1;
  if k is not null then
    raise exception '%: is not a field that can be changed', k using errcode = '22023';
  end if;
  select * into c from sensitive.contacts where id = p_id;
  if not found then
    raise exception 'no such contact, or not visible to you' using errcode = 'P0002';
  end if;
  v_before := sensitive.contact_snapshot(p_id);
  -- The lists as the snapshot has them (sorted, no repeats): a list sent unchanged is no change,
  -- and is not written (field staff may send back the areas they were given).
  if p ? 'areas' then
    v_areas := (select coalesce(jsonb_agg(distinct e #>> '{}' order by e #>> '{}'), '[]')
                from jsonb_array_elements(p -> 'areas') e);
    if v_areas = v_before -> 'areas' then p := p - 'areas'; end if;
  end if;
  if p ? 'checkpoint_ids' then
    v_cps := (select coalesce(jsonb_agg(distinct (e #>> '{}')::uuid order by (e #>> '{}')::uuid), '[]')
              from jsonb_array_elements(p -> 'checkpoint_ids') e);
    if v_cps = v_before -> 'checkpoint_ids' then p := p - 'checkpoint_ids'; end if;
  end if;
  if not (select public.has_app_role('admin', 'analyst')) then
    foreach k in array array['areas', 'checkpoint_ids', 'sensitivity'] loop
      if p ? k and (p -> k) is distinct from (v_before -> k) then
        raise exception '%: only analysts and admins can change this', k using errcode = '42501';
      end if;
    end loop;
  end if;
  begin
    v_contact := public.contact_save(
      p_id => p_id,
      p_full_name => case when p ? 'full_name' then p ->> 'full_name' else c.full_name end,
      p_name_ar => case when p ? 'name_ar' then p ->> 'name_ar' else c.name_ar end,
      p_role_title => case when p ? 'role_title' then coalesce(p ->> 'role_title', '') else c.role_title end,
      p_actor_id => case when p ? 'actor_id' then nullif(p ->> 'actor_id', '')::uuid else c.actor_id end,
      p_call_sign => case when p ? 'call_sign' then p ->> 'call_sign' else c.call_sign end,
      p_messaging => case when p ? 'messaging' then p -> 'messaging' else c.messaging end,
      p_languages => case when p ? 'languages'
                          then array(select jsonb_array_elements_text(p -> 'languages')) else c.languages end,
      p_sensitivity => case when p ? 'sensitivity' then p ->> 'sensitivity' else c.sensitivity end,
      p_emergency => case when p ? 'emergency' then (p ->> 'emergency')::boolean else c.emergency end,
      p_notes => case when p ? 'notes' then coalesce(p ->> 'notes', '') else c.notes end,
      p_phones => case when p ? 'phones' then p -> 'phones' end,
      p_areas => case when p ? 'areas' then array(select jsonb_array_elements_text(p -> 'areas')) end,
      p_checkpoint_ids => case when p ? 'checkpoint_ids'
                               then array(select jsonb_array_elements_text(p -> 'checkpoint_ids'))::uuid[] end,
      p_verified => coalesce((p ->> 'verified')::boolean, false));
  exception
    when invalid_text_representation then
      raise exception 'body: a value has the wrong type (ids are UUIDs, emergency and verified true or false)'
        using errcode = '22023';
  end;
  v_after := sensitive.contact_snapshot(p_id);
  foreach k in array v_fields loop
    if (v_after -> k) is distinct from (v_before -> k) then
      v_changed := v_changed || k;
    end if;
  end loop;
  return jsonb_build_object('id', p_id, 'changed', to_jsonb(v_changed), 'contact', v_contact);
end
$$;

revoke execute on function public.contact_patch(uuid, jsonb) from public, anon;
grant execute on function public.contact_patch(uuid, jsonb) to authenticated;
