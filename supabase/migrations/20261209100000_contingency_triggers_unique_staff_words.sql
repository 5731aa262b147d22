-- Contingency triggers, the remaining gaps of issue 11 (supabase/schemas/59_contingency_triggers.sql):
-- one trigger of a kind and parameters per plan (a second is refused, 409, the field named); the
-- base's field staff receive the alert with the analysts and admins; the alert's body carries the
-- base's name and the trigger's facts, so that pages word it in the reader's language.
set check_function_bodies = off;

-- Identical triggers already on a plan would only raise the same alert twice: keep the oldest.
delete from sensitive.contingency_triggers t
using sensitive.contingency_triggers o
where o.plan_id = t.plan_id and o.kind = t.kind
  and o.pcode is not distinct from t.pcode and o.level is not distinct from t.level
  and o.min_incidents is not distinct from t.min_incidents
  and o.radius_km is not distinct from t.radius_km and o.days is not distinct from t.days
  and st_x(o.centre) is not distinct from st_x(t.centre) and st_y(o.centre) is not distinct from st_y(t.centre)
  and o.checkpoint_id is not distinct from t.checkpoint_id
  and (o.created_at, o.id) < (t.created_at, t.id);

create unique index contingency_triggers_same_idx on sensitive.contingency_triggers
  (plan_id, kind, pcode, level, min_incidents, radius_km, days, st_x(centre), st_y(centre), checkpoint_id)
  nulls not distinct;

create function private.contingency_base_staff(p_base_site_id uuid) returns uuid[]
language sql stable security definer
set search_path = public, pg_temp
as $$
  select coalesce(array_agg(u.id order by u.id), '{}')
  from public.org_sites s, public.app_users u
  where s.id = p_base_site_id and u.role = 'field' and not u.disabled
    and array_remove(array[s.admin1_pcode, s.admin2_pcode, s.admin3_pcode], null)
        && public.area_lineage(u.assigned_areas)
$$;
revoke all on function private.contingency_base_staff(uuid) from public, anon, authenticated;

create or replace function private.contingency_triggers_evaluate(p_ids uuid[]) returns integer
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  r record;
  v_met boolean;
  v_alert uuid;
  n integer := 0;
begin
  for r in
    select t.id, t.met, p.kind as plan_kind, p.base_site_id, s.name as base_name
    from sensitive.contingency_triggers t
    join sensitive.contingency_plans p on p.id = t.plan_id
    join public.org_sites s on s.id = p.base_site_id
    where t.id = any (p_ids)
    order by t.id
  loop
    v_met := private.contingency_trigger_met(r.id);
    if v_met and not r.met then
      update sensitive.contingency_triggers set met = true, met_since = now() where id = r.id and not met;
      if found then
        insert into public.alerts (kind, severity, title, body, target_users, target_roles)
        values ('contingency_trigger', 'critical',
                left(format('%s %s plan trigger met: %s', r.base_name, r.plan_kind,
                            private.contingency_trigger_words(r.id)), 300),
                jsonb_build_object('trigger_id', r.id, 'base_site_id', r.base_site_id, 'plan_kind', r.plan_kind,
                                   'base_name', r.base_name,
                                   'trigger', public.contingency_trigger_json(r.id)
                                              - array['id', 'plan_id', 'met', 'met_since', 'last_alert_id',
                                                      'created_at', 'created_by_name'],
                                   'href', format('/contingency/%s/%s', r.base_site_id, r.plan_kind)),
                private.contingency_base_staff(r.base_site_id), array['admin', 'analyst'])
        returning id into v_alert;
        update sensitive.contingency_triggers set last_alert_id = v_alert where id = r.id;
        perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
        n := n + 1;
      end if;
    elsif not v_met and r.met then
      update sensitive.contingency_triggers set met = false, met_since = null where id = r.id and met;
    end if;
  end loop;
  return n;
end
$$;

create or replace function public.contingency_trigger_add(p_plan_id uuid, p_trigger jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  t sensitive.contingency_triggers;
  k text;
  v_base geometry;
  allowed text[];
begin
  if me is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins set contingency triggers' using errcode = '42501';
  end if;
  select s.geom into v_base from sensitive.contingency_plans p join public.org_sites s on s.id = p.base_site_id
  where p.id = p_plan_id;
  if not found then
    raise exception 'no contingency plan with id %', p_plan_id using errcode = 'P0002';
  end if;
  if p_trigger is null or jsonb_typeof(p_trigger) <> 'object' then
    raise exception 'trigger: expected a JSON object' using errcode = '22023';
  end if;
  t.kind := p_trigger ->> 'kind';
  allowed := case t.kind when 'area_level' then array['kind', 'pcode', 'level']
                         when 'incidents_near' then array['kind', 'min_incidents', 'radius_km', 'days', 'lon', 'lat']
                         when 'checkpoint_closed' then array['kind', 'checkpoint_id'] end;
  if allowed is null then
    raise exception 'kind: one of area_level, incidents_near, checkpoint_closed' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_trigger) loop
    if not k = any (allowed) then
      raise exception '%: not a field of a % trigger', k, t.kind using errcode = '22023';
    end if;
  end loop;
  if t.kind = 'area_level' then
    t.pcode := btrim(coalesce(p_trigger ->> 'pcode', ''));
    if not exists (select 1 from public.areas a where a.pcode = t.pcode) then
      raise exception 'pcode: no area with P-code %', coalesce(nullif(t.pcode, ''), '(none)') using errcode = '22023';
    end if;
    if jsonb_typeof(p_trigger -> 'level') is distinct from 'number'
       or (p_trigger ->> 'level')::numeric not in (1, 2, 3, 4, 5) then
      raise exception 'level: a whole number from 1 to 5' using errcode = '22023';
    end if;
    t.level := (p_trigger ->> 'level')::numeric;
  elsif t.kind = 'incidents_near' then
    if jsonb_typeof(p_trigger -> 'min_incidents') is distinct from 'number'
       or (p_trigger ->> 'min_incidents')::numeric not between 1 and 10000
       or (p_trigger ->> 'min_incidents')::numeric <> trunc((p_trigger ->> 'min_incidents')::numeric) then
      raise exception 'min_incidents: a whole number, at least 1' using errcode = '22023';
    end if;
    if jsonb_typeof(p_trigger -> 'radius_km') is distinct from 'number'
       or not ((p_trigger ->> 'radius_km')::numeric > 0 and (p_trigger ->> 'radius_km')::numeric <= 200) then
      raise exception 'radius_km: more than 0 and at most 200' using errcode = '22023';
    end if;
    if jsonb_typeof(p_trigger -> 'days') is distinct from 'number'
       or (p_trigger ->> 'days')::numeric not between 1 and 3660
       or (p_trigger ->> 'days')::numeric <> trunc((p_trigger ->> 'days')::numeric) then
      raise exception 'days: a whole number of days, 1 to 3660' using errcode = '22023';
    end if;
    -- (coalesce: a key not given is as JSON null, and a comparison with SQL null would let it by)
    if coalesce(jsonb_typeof(p_trigger -> 'lon'), 'null') <> coalesce(jsonb_typeof(p_trigger -> 'lat'), 'null')
       or coalesce(jsonb_typeof(p_trigger -> 'lon'), 'null') not in ('number', 'null')
       or (jsonb_typeof(p_trigger -> 'lon') = 'number'
           and ((p_trigger ->> 'lon')::float8 not between -180 and 180
                or (p_trigger ->> 'lat')::float8 not between -90 and 90)) then
      raise exception 'lon: give lon and lat in degrees, or neither (the base)' using errcode = '22023';
    end if;
    t.min_incidents := (p_trigger ->> 'min_incidents')::numeric;
    t.radius_km := (p_trigger ->> 'radius_km')::float8;
    t.days := (p_trigger ->> 'days')::numeric;
    t.centre := case when jsonb_typeof(p_trigger -> 'lon') = 'number'
                     then st_setsrid(st_makepoint((p_trigger ->> 'lon')::float8, (p_trigger ->> 'lat')::float8), 4326)
                     else v_base end;
  else
    begin
      t.checkpoint_id := (p_trigger ->> 'checkpoint_id')::uuid;
    exception when others then
      raise exception 'checkpoint_id: not an id' using errcode = '22023';
    end;
    if t.checkpoint_id is null or not exists (select 1 from public.checkpoints c where c.id = t.checkpoint_id) then
      raise exception 'checkpoint_id: no checkpoint with id %', coalesce(t.checkpoint_id::text, '(none)')
        using errcode = '22023';
    end if;
  end if;
  -- the same condition already on this plan: named by the field that would make it another one
  if exists (select 1 from sensitive.contingency_triggers x
             where x.plan_id = p_plan_id and x.kind = t.kind
               and x.pcode is not distinct from t.pcode and x.level is not distinct from t.level
               and x.min_incidents is not distinct from t.min_incidents
               and x.radius_km is not distinct from t.radius_km and x.days is not distinct from t.days
               and st_x(x.centre) is not distinct from st_x(t.centre)
               and st_y(x.centre) is not distinct from st_y(t.centre)
               and x.checkpoint_id is not distinct from t.checkpoint_id) then
    raise exception '%: this plan already has this trigger', case t.kind when 'area_level' then 'pcode'
      when 'incidents_near' then 'radius_km' else 'checkpoint_id' end using errcode = '23505';
  end if;
  t.id := gen_random_uuid();
  t.plan_id := p_plan_id;
  t.met := false;
  t.created_by := me;
  t.created_at := now();
  insert into sensitive.contingency_triggers values (t.*);
  perform private.contingency_triggers_evaluate(array[t.id]);
  return public.contingency_trigger_json(t.id);
end
$$;
