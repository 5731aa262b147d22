set check_function_bodies = off;

-- Contingency-plan triggers bound to live data (issue 11, point 8). Migrations 20261208400000 and
-- 20261209100000 (one trigger of a kind and parameters per plan; the base's field staff alerted too;
-- the alert carries the trigger's facts so that each reader sees it in their own language).
--
-- A trigger is a condition on live data under which a plan should be put into effect: an area's
-- security level reaching N; K serious incidents within R km of a point (the base by default) in
-- the last D days; a checkpoint closing. The database evaluates the triggers whenever that data
-- changes (a level recorded, an incident reported, verified or imported, a checkpoint's status
-- set) and once a minute from the server's sweeper (incidents age out of the D days; a level may
-- be recorded with a later effective date). A trigger that becomes met raises one alert through
-- public.alerts (so the live feed and e-mail carry it), and not again while it stays met; once it
-- has stopped being met it may fire again. Like the plans, triggers tell where people will shelter
-- and when they will leave: they live in `sensitive`, are read under the plans' RLS and written
-- only by the SECURITY DEFINER functions below (analysts and admins), and every change is audited.
create table sensitive.contingency_triggers (
  id             uuid primary key default gen_random_uuid(),
  plan_id        uuid not null references sensitive.contingency_plans (id) on delete cascade,
  kind           text not null check (kind in ('area_level', 'incidents_near', 'checkpoint_closed')),
  -- area_level: the area (any admin level; with no level of its own it takes its parent's) and N
  pcode          text references public.areas (pcode),
  level          smallint check (level between 1 and 5),
  -- incidents_near: K serious incidents within R km of centre in the last D days. The centre is the
  -- point given, or the base's position when the trigger was added (kept, so that the condition
  -- does not move under an existing trigger).
  min_incidents  integer check (min_incidents between 1 and 10000),
  radius_km      double precision check (radius_km > 0 and radius_km <= 200),
  days           integer check (days between 1 and 3660),
  centre         geometry(Point, 4326),
  checkpoint_id  uuid references public.checkpoints (id) on delete cascade,
  -- the state the last evaluation found; met_since: when it last became met
  met            boolean not null default false,
  met_since      timestamptz,
  last_alert_id  uuid references public.alerts (id) on delete set null,
  created_by     uuid references public.app_users (id) on delete set null,
  created_at     timestamptz not null default now(),
  constraint contingency_triggers_fields check (case kind
    when 'area_level' then pcode is not null and level is not null
    when 'incidents_near' then min_incidents is not null and radius_km is not null and days is not null
                               and centre is not null
    else checkpoint_id is not null end)
);
create index contingency_triggers_plan_idx on sensitive.contingency_triggers (plan_id);
create index contingency_triggers_checkpoint_idx on sensitive.contingency_triggers (checkpoint_id)
  where checkpoint_id is not null;
-- The same condition twice on one plan would only raise the same alert twice (20261209100000).
-- The add function names the field first; this index holds against a concurrent add. A centre is
-- compared by its coordinates (geometry equality on a btree is not what people mean by "the same").
create unique index contingency_triggers_same_idx on sensitive.contingency_triggers
  (plan_id, kind, pcode, level, min_incidents, radius_km, days, st_x(centre), st_y(centre), checkpoint_id)
  nulls not distinct;

alter table sensitive.contingency_triggers enable row level security;
create policy "Users can read the triggers of plans they can read" on sensitive.contingency_triggers
  for select to authenticated using (exists (select 1 from sensitive.contingency_plans p where p.id = plan_id));
grant select on sensitive.contingency_triggers to authenticated;
create trigger contingency_triggers_audit after insert or update or delete on sensitive.contingency_triggers
  for each row execute function private.audit_row();

-- Whether a trigger's condition holds now. The one place each kind's condition is written.
create function private.contingency_trigger_met(p_id uuid) returns boolean
language plpgsql stable security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare t sensitive.contingency_triggers;
begin
  select * into t from sensitive.contingency_triggers where id = p_id;
  if t.kind = 'area_level' then
    -- the level in force today, the area's own or else its nearest ancestor's (as on the map)
    return coalesce((
      with recursive up (pcode, depth) as (
        select t.pcode, 0
        union all
        select a.parent_pcode, up.depth + 1 from up join public.areas a on a.pcode = up.pcode
        where a.parent_pcode is not null and up.depth < 3)
      select l.level >= t.level
      from up cross join lateral (
        select x.level from public.area_security_levels x
        where x.pcode = up.pcode and x.effective_date <= (now() at time zone 'Etc/GMT-14')::date
        order by x.effective_date desc, x.recorded_at desc limit 1) l
      order by up.depth limit 1), false);
  elsif t.kind = 'incidents_near' then
    -- every serious incident counts, whatever its confidentiality: the trigger guards our staff
    -- (the alert carries the count, not the incidents)
    return (select count(*) >= t.min_incidents from public.incidents i
            where i.serious and i.status in ('reported', 'verified') and i.merged_into is null
              and i.event_date >= current_date - t.days
              and st_dwithin(i.geom::geography, t.centre::geography, t.radius_km * 1000));
  elsif t.kind = 'checkpoint_closed' then
    return exists (select 1 from public.checkpoints c where c.id = t.checkpoint_id and c.status = 'closed');
  end if;
  return false;
end
$$;

-- A trigger in words, for the alert's title (alert titles are stored text, as the other alerts').
create function private.contingency_trigger_words(p_id uuid) returns text
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select case t.kind
    when 'area_level' then format('security level of %s reached %s', coalesce(a.name_en, t.pcode), t.level)
    when 'incidents_near' then format('%s serious incidents within %s km in %s days', t.min_incidents,
                                      t.radius_km, t.days)
    else format('checkpoint %s closed', c.name) end
  from sensitive.contingency_triggers t
  left join public.areas a on a.pcode = t.pcode
  left join public.checkpoints c on c.id = t.checkpoint_id
  where t.id = p_id
$$;

-- The base's field staff (20261209100000): the active field users who may read the base's plans,
-- by the rule of sensitive.my_base_ids (the base lies in the lineage of their assigned areas), so
-- that the alert reaches exactly the people who already know the plan.
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

-- Evaluate triggers and record what changed. A trigger that becomes met raises one alert to the
-- analysts, the admins and the base's field staff (critical: a plan may have to be put into
-- effect) and tells the live feed. The title is English for mail clients and the API; the body
-- carries the base, the plan and the trigger's facts, from which each page words it in the
-- reader's language (src/lib/domain/alert-title.ts);
-- one that is no longer met is reset, so that it may fire again. The conditional update (`and not
-- met`) is what makes the alert single when two transactions find the condition at once: the
-- second waits on the row lock, then finds it met and does nothing. Returns the alerts raised.
create function private.contingency_triggers_evaluate(p_ids uuid[]) returns integer
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

-- What sets them off: a security level recorded (any area: a governorate's level reaches its
-- districts), a checkpoint's status changed, incidents written near a trigger's centre (before or
-- after the change: an incident moved away or rejected may end a trigger).
create function private.contingency_triggers_on_level() returns trigger
language plpgsql security definer
set search_path = public, sensitive, pg_temp
as $$
begin
  perform private.contingency_triggers_evaluate(
    array(select id from sensitive.contingency_triggers where kind = 'area_level'));
  return null;
end
$$;
create trigger area_security_levels_contingency after insert on public.area_security_levels
  for each statement execute function private.contingency_triggers_on_level();

create function private.contingency_triggers_on_checkpoint() returns trigger
language plpgsql security definer
set search_path = public, sensitive, pg_temp
as $$
begin
  perform private.contingency_triggers_evaluate(
    array(select id from sensitive.contingency_triggers where checkpoint_id = new.id));
  return null;
end
$$;
create trigger checkpoints_contingency after update of status on public.checkpoints
  for each row when (old.status is distinct from new.status)
  execute function private.contingency_triggers_on_checkpoint();

create function private.contingency_triggers_on_incidents() returns trigger
language plpgsql security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
begin
  if not exists (select 1 from sensitive.contingency_triggers where kind = 'incidents_near') then
    return null;
  end if;
  -- (two queries: an insert has no old_rows to name)
  if tg_op = 'UPDATE' then
    perform private.contingency_triggers_evaluate(array(
      select t.id from sensitive.contingency_triggers t
      where t.kind = 'incidents_near'
        and exists (select 1 from (select geom from new_rows union all select geom from old_rows) n
                    where st_dwithin(n.geom::geography, t.centre::geography, t.radius_km * 1000))));
  else
    perform private.contingency_triggers_evaluate(array(
      select t.id from sensitive.contingency_triggers t
      where t.kind = 'incidents_near'
        and exists (select 1 from new_rows n
                    where st_dwithin(n.geom::geography, t.centre::geography, t.radius_km * 1000))));
  end if;
  return null;
end
$$;
create trigger incidents_contingency_insert after insert on public.incidents
  referencing new table as new_rows
  for each statement execute function private.contingency_triggers_on_incidents();
create trigger incidents_contingency_update after update on public.incidents
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.contingency_triggers_on_incidents();

-- The sweeper's pass (src/lib/server/movements/sweeper.ts): every trigger, for what time alone
-- changes (incidents leaving the D days, a level whose effective date arrives).
create function private.contingency_triggers_sweep() returns integer
language sql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
  select private.contingency_triggers_evaluate(array(select id from sensitive.contingency_triggers))
$$;
revoke all on function private.contingency_trigger_met(uuid), private.contingency_trigger_words(uuid),
  private.contingency_base_staff(uuid),
  private.contingency_triggers_evaluate(uuid[]), private.contingency_triggers_on_level(),
  private.contingency_triggers_on_checkpoint(), private.contingency_triggers_on_incidents(),
  private.contingency_triggers_sweep() from public, anon, authenticated;

-- A trigger as the API answers it (under the reader's RLS: null when they may not read its plan).
create function public.contingency_trigger_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', t.id, 'plan_id', t.plan_id, 'kind', t.kind,
    'pcode', t.pcode, 'area_name', a.name_en, 'area_name_ar', a.name_ar, 'level', t.level,
    'min_incidents', t.min_incidents, 'radius_km', t.radius_km, 'days', t.days,
    'lon', st_x(t.centre), 'lat', st_y(t.centre),
    'at_base', exists (select 1 from sensitive.contingency_plans p join public.org_sites s on s.id = p.base_site_id
                       where p.id = t.plan_id and st_equals(s.geom, t.centre)),
    'checkpoint_id', t.checkpoint_id, 'checkpoint_name', c.name,
    'met', t.met, 'met_since', t.met_since, 'last_alert_id', t.last_alert_id,
    'created_at', t.created_at, 'created_by_name', sensitive.user_label(t.created_by))
  from sensitive.contingency_triggers t
  left join public.areas a on a.pcode = t.pcode
  left join public.checkpoints c on c.id = t.checkpoint_id
  where t.id = p_id
$$;

-- A plan's triggers, oldest first (no plan the caller may read: not found).
create function public.contingency_triggers_list(p_plan_id uuid) returns jsonb
language plpgsql stable
set search_path = public, sensitive, pg_temp
as $$
begin
  if not exists (select 1 from sensitive.contingency_plans p where p.id = p_plan_id) then
    raise exception 'no contingency plan with id %', p_plan_id using errcode = 'P0002';
  end if;
  return coalesce((select jsonb_agg(public.contingency_trigger_json(t.id) order by t.created_at, t.id)
                   from sensitive.contingency_triggers t where t.plan_id = p_plan_id), '[]');
end
$$;

-- Add a trigger to a plan (analysts and admins). Each field is checked, named in the message,
-- before anything is written; the trigger is evaluated at once, so one added while its condition
-- already holds is met from the start and raises its alert.
create function public.contingency_trigger_add(p_plan_id uuid, p_trigger jsonb) returns jsonb
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

-- Remove a trigger from a plan (analysts and admins). Its past alerts stay.
create function public.contingency_trigger_remove(p_plan_id uuid, p_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
begin
  if (select auth.uid()) is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins set contingency triggers' using errcode = '42501';
  end if;
  delete from sensitive.contingency_triggers where id = p_id and plan_id = p_plan_id;
  if not found then
    raise exception 'no trigger with id % on plan %', p_id, p_plan_id using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;

revoke all on function public.contingency_trigger_json(uuid), public.contingency_triggers_list(uuid),
  public.contingency_trigger_add(uuid, jsonb), public.contingency_trigger_remove(uuid, uuid) from public, anon;
grant execute on function public.contingency_trigger_json(uuid), public.contingency_triggers_list(uuid),
  public.contingency_trigger_add(uuid, jsonb), public.contingency_trigger_remove(uuid, uuid) to authenticated;
