-- Alerts: what the server tells people (an overdue movement first), and their acknowledgements.
--
-- An alert names the users and the app roles it is for. A movement alert is as sensitive as the
-- movement: it is visible only to those who can read the movement (its RLS, applied to the reader),
-- so a viewer never learns from an alert where or when a team travels. The live feed carries only
-- an alert's id on channel `terrain_live`; each app process reads the alert as the connected user.

create table public.alerts (
  id            uuid primary key default gen_random_uuid(),
  kind          text not null check (kind in ('movement_overdue', 'authorisation_expiring', 'incident_rule', 'other')),
  severity      text not null default 'warning' check (severity in ('info', 'warning', 'critical')),
  title         text not null check (length(btrim(title)) between 1 and 300),
  body          jsonb not null default '{}',
  movement_id   uuid references sensitive.movements (id) on delete cascade,
  target_users  uuid[] not null default '{}',
  target_roles  text[] not null default '{}',
  created_at    timestamptz not null default now()
);
create index alerts_created_idx on public.alerts (created_at desc);
create index alerts_target_users_idx on public.alerts using gin (target_users);

create table public.alert_acks (
  alert_id      uuid not null references public.alerts (id) on delete cascade,
  user_id       uuid not null references public.app_users (id) on delete cascade,
  disposition   text not null check (disposition in ('relevant_no_impact', 'some_impact', 'significant_impact',
                                                     'not_relevant', 'duplicate')),
  note          text not null default '' check (length(note) <= 2000),
  snoozed_until timestamptz,
  acked_at      timestamptz not null default now(),
  primary key (alert_id, user_id)
);

alter table public.alerts enable row level security;
alter table public.alert_acks enable row level security;

create policy "Users can read the alerts addressed to them or their role, if they can read what it is about"
  on public.alerts for select to authenticated using (
    ((select auth.uid()) = any (target_users) or (select public.current_app_role()) = any (target_roles))
    and (movement_id is null or sensitive.movement_visible(movement_id)));
create policy "Users can read their own acknowledgements" on public.alert_acks
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Users can acknowledge, as themselves, the alerts they can read" on public.alert_acks
  for insert to authenticated with check (
    user_id = (select auth.uid()) and exists (select 1 from public.alerts a where a.id = alert_id));
grant select on public.alerts, public.alert_acks to authenticated;
grant insert on public.alert_acks to authenticated;

-- One alert as its reader sees it (null when they cannot see it).
create function public.alert_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object('id', a.id, 'kind', a.kind, 'severity', a.severity, 'title', a.title, 'body', a.body,
           'movement_id', a.movement_id, 'created_at', a.created_at,
           'ack', (select jsonb_build_object('disposition', k.disposition, 'note', k.note,
                                             'snoozed_until', k.snoozed_until, 'acked_at', k.acked_at)
                   from public.alert_acks k where k.alert_id = a.id and k.user_id = (select auth.uid())))
  from public.alerts a where a.id = p_id
$$;

create function public.alert_get(p_id uuid) returns jsonb
language plpgsql stable
set search_path = public, pg_temp
as $$
declare v jsonb := public.alert_json(p_id);
begin
  if v is null then
    raise exception 'no alert with id %', p_id using errcode = 'P0002';
  end if;
  return v;
end
$$;

-- The caller's alerts, newest first; p_unread: only those not acknowledged (or whose snooze ended).
create function public.alerts_list(p_unread boolean default false, p_limit integer default 100) returns jsonb
language plpgsql stable
set search_path = public, pg_temp
as $$
begin
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'limit: must be between 1 and 1000' using errcode = '22023';
  end if;
  return coalesce((
    select jsonb_agg(public.alert_json(x.id) order by x.created_at desc) from (
      select a.id, a.created_at from public.alerts a
      where not coalesce(p_unread, false) or not exists (
        select 1 from public.alert_acks k where k.alert_id = a.id and k.user_id = (select auth.uid())
          and (k.snoozed_until is null or k.snoozed_until > now()))
      order by a.created_at desc limit p_limit) x), '[]');
end
$$;

-- Acknowledge an alert once, with a disposition, a note and optionally a snooze. Security invoker:
-- the insert policy lets a user acknowledge, as themselves, only an alert they can read.
create function public.alert_ack(p_id uuid, p_disposition text, p_note text default '',
                                 p_snoozed_until timestamptz default null) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare me uuid := (select auth.uid());
begin
  if me is null then
    raise exception 'sign in to acknowledge alerts' using errcode = '42501';
  end if;
  if not exists (select 1 from public.alerts a where a.id = p_id) then
    raise exception 'no alert with id %', p_id using errcode = 'P0002';
  end if;
  if p_disposition is null or p_disposition not in ('relevant_no_impact', 'some_impact', 'significant_impact',
                                                    'not_relevant', 'duplicate') then
    raise exception 'disposition: one of relevant_no_impact, some_impact, significant_impact, not_relevant, duplicate'
      using errcode = '22023';
  end if;
  if exists (select 1 from public.alert_acks where alert_id = p_id and user_id = me) then
    raise exception 'alert: you have already acknowledged this alert' using errcode = '23505';
  end if;
  insert into public.alert_acks (alert_id, user_id, disposition, note, snoozed_until)
  values (p_id, me, p_disposition, left(coalesce(p_note, ''), 2000), p_snoozed_until);
  return public.alert_json(p_id);
end
$$;

revoke all on function public.alert_json(uuid), public.alert_get(uuid), public.alerts_list(boolean, integer),
  public.alert_ack(uuid, text, text, timestamptz) from public, anon;
grant execute on function public.alert_json(uuid), public.alert_get(uuid), public.alerts_list(boolean, integer),
  public.alert_ack(uuid, text, text, timestamptz) to authenticated;

-- The computed route risk, stored on a plan when it is submitted (what the approver saw).
create function public.movement_risk_store(p_id uuid, p_risk jsonb) returns void
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  m sensitive.movements;
begin
  select * into m from sensitive.movements where id = p_id for update;
  if m.id is null or not (public.has_app_role('admin', 'analyst') or m.created_by = me) then
    raise exception 'no movement with id % that you can change', p_id using errcode = 'P0002';
  end if;
  if m.status not in ('draft', 'refused', 'submitted') then
    raise exception 'status: the risk of a % plan is fixed', m.status using errcode = '22023';
  end if;
  if p_risk is null or jsonb_typeof(p_risk) <> 'object' or not p_risk ? 'recommendation' then
    raise exception 'risk: expected the route risk object' using errcode = '22023';
  end if;
  update sensitive.movements set risk = p_risk, updated_at = now() where id = p_id;
end
$$;
revoke all on function public.movement_risk_store(uuid, jsonb) from public, anon;
grant execute on function public.movement_risk_store(uuid, jsonb) to authenticated;

-- Redefined (first in 20261203170100_movements.sql): an overdue movement now also raises an alert
-- to its author, its approver and the analysts/admins, and the live feed carries the alert's id.
create or replace function private.movements_overdue_sweep() returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  g integer := (select grace_minutes from public.movement_settings where id = 1);
  v jsonb;
  a record;
begin
  with late as (
    update sensitive.movements m set status = 'overdue', overdue_at = now(), updated_at = now()
    where m.status = 'under_way' and m.return_at + make_interval(mins => g) < now()
    returning m.id, m.purpose, m.created_by, m.decided_by, m.return_at
  ), ev as (
    insert into sensitive.movement_events (movement_id, from_status, to_status, reason, by_user)
    select id, 'under_way', 'overdue', format('not checked in %s min after the expected return', g), null from late
  )
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'purpose', purpose, 'created_by', created_by,
                                               'decided_by', decided_by, 'return_at', return_at)), '[]')
    into v from late;
  for a in
    insert into public.alerts (kind, severity, title, body, movement_id, target_users, target_roles)
    select 'movement_overdue', 'critical', 'Movement overdue: ' || (x ->> 'purpose'),
           jsonb_build_object('movement_id', x -> 'id', 'return_at', x -> 'return_at', 'grace_minutes', g),
           (x ->> 'id')::uuid,
           array_remove(array[(x ->> 'created_by')::uuid, (x ->> 'decided_by')::uuid], null),
           array['analyst', 'admin']
    from jsonb_array_elements(v) x
    returning id, movement_id
  loop
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', a.id)::text);
  end loop;
  if jsonb_array_length(v) > 0 then
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'movements_overdue', 'ids',
                      (select jsonb_agg(x -> 'id') from jsonb_array_elements(v) x))::text);
  end if;
  return v;
end
$$;
revoke all on function private.movements_overdue_sweep() from public, anon, authenticated;

-- Redefined (first in 20261203170000_route_risk.sql): the settings 20261203170100_movements.sql
-- added (call_level, call_max_age_hours, grace_minutes) can now be changed by admins too.
create or replace function public.movement_settings_update(p_patch jsonb) returns jsonb
language plpgsql
set search_path = public, pg_temp
as $$
declare
  k text;
  allowed text[] := array['corridor_km', 'stop_km', 'days', 'checkpoint_stale_days', 'conditions_level',
                          'no_go_level', 'conditions_incidents', 'no_go_incidents', 'conditions_serious',
                          'call_level', 'call_max_age_hours', 'grace_minutes'];
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
