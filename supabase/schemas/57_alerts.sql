set check_function_bodies = off;

-- Migration 20261203171000.
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
