set check_function_bodies = off;

-- Migrations 20261203171000 and 20261204080000.
-- Alerts: what the server tells people (an overdue movement first), and their acknowledgements.
--
-- An alert names the users and the app roles it is for. A movement alert is as sensitive as the
-- movement: it is visible only to those who can read the movement (its RLS, applied to the reader),
-- so a viewer never learns from an alert where or when a team travels. The live feed carries only
-- an alert's id on channel `terrain_live`; each app process reads the alert as the connected user.

-- Alert rules (20261204080000): a user's subscription to incidents. A rule is incident categories
-- × seriousness or minimum fatalities × a radius around our sites, the route of an active movement,
-- or areas. Rules are evaluated in the database, by a statement trigger on incidents, when an
-- incident is reported, verified or imported: each rule raises one alert per statement (and one per
-- transaction, so a whole import gives one grouped alert), and an incident fires a rule once.
--
-- Need-to-know: a rule sees only what its owner could read. It matches incidents the owner may read
-- (the incidents' policies, mirrored by private.incident_readable_by and proven equal by a test),
-- placed at the point the owner would see (location fuzzing), and movements the owner plans or
-- travels in (analysts and admins: every movement). The alert then shows each reader only the
-- incidents their own RLS lets them read.
create table public.alert_rules (
  id              uuid primary key default gen_random_uuid(),
  owner_id        uuid not null default auth.uid() references public.app_users (id) on delete cascade,
  name            text not null check (length(btrim(name)) between 1 and 200),
  enabled         boolean not null default true,
  -- empty: every category
  event_types     text[] not null default '{}' check (event_types <@ array[
                    'battles', 'violence_against_civilians', 'explosions_remote_violence',
                    'riots', 'protests', 'strategic_developments']),
  -- any; ngo = serious, affecting NGOs or affecting us; serious = death, injury or abduction of aid workers
  seriousness     text not null default 'any' check (seriousness in ('any', 'ngo', 'serious')),
  min_fatalities  integer not null default 0 check (min_fatalities between 0 and 100000),
  target          text not null check (target in ('sites', 'movements', 'areas')),
  radius_km       double precision not null default 10 check (radius_km > 0 and radius_km <= 200),
  -- sites: empty = every open organisation site
  site_ids        uuid[] not null default '{}',
  -- areas: the P-codes (any admin level) whose incidents count
  pcodes          text[] not null default '{}',
  -- incidents older than this (event date) never fire: importing history raises nothing
  max_age_days    integer not null default 7 check (max_age_days between 0 and 3660),
  email           boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  -- What the rule listens to (20261210200000): incidents (above), an area's security level changing
  -- (areas by P-code, a governorate's level reaching its districts and a district's its governorate;
  -- optionally only at min_level or higher), or a checkpoint's status changing (checkpoints within
  -- radius_km of our sites, or in the areas; optionally only to checkpoint_status).
  listens_to        text not null default 'incidents'
                      check (listens_to in ('incidents', 'area_level', 'checkpoint_status')),
  min_level         smallint check (min_level between 1 and 5),
  checkpoint_status text check (checkpoint_status in ('open', 'restricted', 'closed')),
  constraint alert_rules_areas check (target <> 'areas' or cardinality(pcodes) > 0),
  constraint alert_rules_listens check (case listens_to when 'area_level' then target = 'areas'
                                                        when 'checkpoint_status' then target in ('sites', 'areas')
                                                        else true end)
);
create index alert_rules_owner_idx on public.alert_rules (owner_id);
alter table public.alert_rules enable row level security;
create policy "Users can read their own alert rules" on public.alert_rules
  for select to authenticated using (owner_id = (select auth.uid()) and (select public.current_app_role()) is not null);
create policy "Admins can read every alert rule" on public.alert_rules
  for select to authenticated using ((select public.has_app_role('admin')));
create policy "Users can make alert rules for themselves" on public.alert_rules
  for insert to authenticated with check (owner_id = (select auth.uid()) and (select public.current_app_role()) is not null);
create policy "Users can change their own alert rules" on public.alert_rules
  for update to authenticated using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()) and (select public.current_app_role()) is not null);
create policy "Users can remove their own alert rules" on public.alert_rules
  for delete to authenticated using (owner_id = (select auth.uid()));
grant select, insert, update, delete on public.alert_rules to authenticated;
create trigger alert_rules_audit after insert or update or delete on public.alert_rules
  for each row execute function private.audit_row();

-- Which incidents have fired which rule: an incident fires a rule once (re-imports, edits and the
-- verification of an incident already alerted raise nothing new). Written only by the trigger.
create table private.alert_rule_hits (
  rule_id      uuid not null references public.alert_rules (id) on delete cascade,
  incident_id  uuid not null references public.incidents (id) on delete cascade,
  alert_id     uuid,
  primary key (rule_id, incident_id)
);
create index alert_rule_hits_incident_idx on private.alert_rule_hits (incident_id);
alter table private.alert_rule_hits enable row level security;

create table public.alerts (
  id            uuid primary key default gen_random_uuid(),
  kind          text not null check (kind in ('movement_overdue', 'authorisation_expiring', 'incident_rule', 'headcount',
                                              'contingency_trigger', 'other', 'area_level_rule',
                                              'checkpoint_rule')),
  severity      text not null default 'warning' check (severity in ('info', 'warning', 'critical')),
  title         text not null check (length(btrim(title)) between 1 and 300),
  body          jsonb not null default '{}',
  movement_id   uuid references sensitive.movements (id) on delete cascade,
  target_users  uuid[] not null default '{}',
  target_roles  text[] not null default '{}',
  created_at    timestamptz not null default now(),
  -- raised by a rule (20261204080000): the rule, the incidents (each reader sees those their RLS
  -- lets them read), and the transaction that raised it (an import's batches join one alert)
  rule_id       uuid references public.alert_rules (id) on delete set null,
  incident_ids  uuid[] not null default '{}',
  group_txid    bigint
);
create index alerts_created_idx on public.alerts (created_at desc);
create index alerts_target_users_idx on public.alerts using gin (target_users);
create index alerts_rule_txid_idx on public.alerts (rule_id, group_txid) where rule_id is not null;

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
    and (movement_id is null or sensitive.movement_visible(movement_id))
    and (cardinality(incident_ids) = 0 or exists (select 1 from public.incidents i where i.id = any (incident_ids))));
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
           'movement_id', a.movement_id, 'created_at', a.created_at, 'rule_id', a.rule_id,
           -- the incidents of a rule's alert that THIS reader may read (their RLS), newest first
           'incidents', case when cardinality(a.incident_ids) = 0 then null else (
             select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'event_date', i.event_date,
                                                          'event_type', i.event_type, 'fatalities', i.fatalities,
                                                          'serious', i.serious, 'affects_ngos', i.affects_ngos,
                                                          'affects_us', i.affects_us, 'status', i.status)
                                       order by i.event_date desc, i.id), '[]')
             from (select * from public.incidents i where i.id = any (a.incident_ids)
                   order by i.event_date desc, i.id limit 100) i) end,
           'incident_count', case when cardinality(a.incident_ids) = 0 then null else (
             select count(*) from public.incidents i where i.id = any (a.incident_ids)) end,
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

-- The incidents' select policies (30_incidents.sql), as a function of a given user: the rule
-- trigger runs as the table owner and must see with its rule owner's eyes. A test compares it with
-- what RLS returns for each role; change both together.
create function private.incident_readable_by(p_role text, p_uid uuid, p_status text, p_confidentiality text,
                                             p_reported_by uuid) returns boolean
language sql immutable
as $$
  select case
    when p_role in ('admin', 'analyst') then true
    when p_role in ('field', 'viewer') then
      (p_status = 'verified' and p_confidentiality <> 'restricted')
      or (p_role = 'field' and p_reported_by = p_uid)
    else false
  end
$$;

-- public.caller_location_scope() for a given user (NULL = exact points everywhere).
create function private.location_scope_of(p_role text, p_assigned text[]) returns text[]
language sql immutable
as $$
  select case when p_role in ('admin', 'analyst') then null
              when p_role = 'field' then coalesce(p_assigned, '{}')
              else '{}'::text[] end
$$;

-- The statement trigger on incidents (insert and update): every enabled rule of an enabled user,
-- against the rows this statement wrote.
create function private.alert_rules_evaluate() returns trigger
language plpgsql security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  r record;
  g record;
  v_tx bigint := txid_current();
  v_alert uuid;
  v_new boolean;
begin
  if not exists (select 1 from public.alert_rules where enabled) then
    return null;
  end if;
  for r in
    select ar.*, u.role as owner_role, private.location_scope_of(u.role, u.assigned_areas) as scope
    from public.alert_rules ar
    join public.app_users u on u.id = ar.owner_id and not u.disabled
    where ar.enabled and ar.listens_to = 'incidents'
  loop
    for g in
      with cand as (
        select n.id, n.admin1_pcode, n.admin2_pcode, n.admin3_pcode, n.serious, n.affects_us, n.fatalities,
               public.incident_point_for_caller(n.geom, n.geom_coarse, n.admin1_pcode, n.admin2_pcode,
                                                n.admin3_pcode, r.scope) as pt
        from new_rows n
        where n.event_date >= current_date - r.max_age_days
          and n.status in ('reported', 'verified') and n.merged_into is null
          and (cardinality(r.event_types) = 0 or n.event_type = any (r.event_types))
          and coalesce(n.fatalities, 0) >= r.min_fatalities
          and (r.seriousness = 'any' or n.serious
               or (r.seriousness = 'ngo' and (n.affects_ngos or n.affects_us)))
          and private.incident_readable_by(r.owner_role, r.owner_id, n.status, n.confidentiality, n.reported_by)
          and not exists (select 1 from private.alert_rule_hits h where h.rule_id = r.id and h.incident_id = n.id)
      ),
      matched as (
        select c.id, null::uuid as movement_id, s.name as place
        from cand c
        join public.org_sites s
          on r.target = 'sites' and s.status = 'open'
         and (cardinality(r.site_ids) = 0 or s.id = any (r.site_ids))
         and st_dwithin(c.pt::geography, s.geom::geography, r.radius_km * 1000)
        union all
        select c.id, null::uuid, a.name_en
        from cand c
        join public.areas a
          on r.target = 'areas' and a.pcode = any (r.pcodes)
         and a.pcode in (c.admin1_pcode, c.admin2_pcode, c.admin3_pcode)
        union all
        select c.id, m.id, null
        from cand c
        join sensitive.movements m
          on r.target = 'movements' and m.route is not null
         and m.status in ('approved', 'approved_conditions', 'under_way', 'overdue')
         and (r.owner_role in ('admin', 'analyst') or m.created_by = r.owner_id
              or exists (select 1 from sensitive.movement_team t where t.movement_id = m.id and t.user_id = r.owner_id))
         and st_dwithin(c.pt::geography, m.route::geography, r.radius_km * 1000)
      )
      select mt.movement_id, array_agg(distinct mt.id) as ids,
             coalesce(array_agg(distinct mt.place) filter (where mt.place is not null), '{}') as places,
             bool_or(c.serious or c.affects_us or coalesce(c.fatalities, 0) > 0) as grave
      from matched mt join cand c on c.id = mt.id
      group by mt.movement_id
    loop
      -- one alert per rule (and movement) per transaction: an import's batches join the first one
      select a.id into v_alert from public.alerts a
      where a.rule_id = r.id and a.group_txid = v_tx and a.movement_id is not distinct from g.movement_id;
      v_new := v_alert is null;
      if v_new then
        insert into public.alerts (kind, severity, title, body, movement_id, target_users, target_roles,
                                   rule_id, incident_ids, group_txid)
        values ('incident_rule', case when g.grave then 'critical' else 'warning' end, r.name,
                jsonb_build_object('rule_id', r.id, 'target', r.target, 'radius_km', r.radius_km,
                                   'places', to_jsonb(g.places)),
                g.movement_id, array[r.owner_id], '{}', r.id, g.ids, v_tx)
        returning id into v_alert;
      else
        update public.alerts a set
          incident_ids = (select array_agg(distinct x) from unnest(a.incident_ids || g.ids) x),
          severity = case when g.grave then 'critical' else a.severity end,
          body = jsonb_set(a.body, '{places}', to_jsonb((
                   select coalesce(array_agg(distinct p), '{}') from
                     (select jsonb_array_elements_text(a.body -> 'places') as p union select unnest(g.places)) pl)))
        where a.id = v_alert;
      end if;
      insert into private.alert_rule_hits (rule_id, incident_id, alert_id)
      select r.id, x, v_alert from unnest(g.ids) x
      on conflict do nothing;
      if v_new then
        perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
      end if;
    end loop;
  end loop;
  return null;
end
$$;
revoke all on function private.alert_rules_evaluate() from public, anon, authenticated;

create trigger incidents_alert_rules_insert after insert on public.incidents
  referencing new table as new_rows
  for each statement execute function private.alert_rules_evaluate();
create trigger incidents_alert_rules_update after update on public.incidents
  referencing new table as new_rows
  for each statement execute function private.alert_rules_evaluate();

-- A rule as the API answers it.
create function public.alert_rule_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(r) - 'owner_id' || jsonb_build_object('owner_id', r.owner_id)
  from public.alert_rules r where r.id = p_id
$$;

-- The caller's rules (admins: their own too; every rule is under RLS).
create function public.alert_rules_list() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(public.alert_rule_json(r.id) order by r.created_at, r.id), '[]')
  from public.alert_rules r where r.owner_id = (select auth.uid())
$$;

-- Create (p_id null) or change one of the caller's rules. Merge semantics: keys not given stay.
-- Everything is checked, with the field named, before anything is written.
create function public.alert_rule_save(p_id uuid, p_rule jsonb) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  r public.alert_rules;
  k text;
  allowed text[] := array['name', 'enabled', 'event_types', 'seriousness', 'min_fatalities', 'target',
                          'radius_km', 'site_ids', 'pcodes', 'max_age_days', 'email', 'listens_to',
                          'min_level', 'checkpoint_status'];
  bad text;
begin
  if me is null or public.current_app_role() is null then
    raise exception 'sign in to keep alert rules' using errcode = '42501';
  end if;
  if p_rule is null or jsonb_typeof(p_rule) <> 'object' then
    raise exception 'rule: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_rule) loop
    if not k = any (allowed) then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  if p_id is null then
    r.id := gen_random_uuid();
    r.owner_id := me;
    r.enabled := true;
    r.event_types := '{}';
    r.seriousness := 'any';
    r.min_fatalities := 0;
    r.radius_km := 10;
    r.site_ids := '{}';
    r.pcodes := '{}';
    r.max_age_days := 7;
    r.email := true;
    r.listens_to := 'incidents';
    r.created_at := now();
  else
    select * into r from public.alert_rules where id = p_id and owner_id = me for update;
    if r.id is null then
      raise exception 'no alert rule with id % of yours', p_id using errcode = 'P0002';
    end if;
  end if;
  if p_rule ? 'name' then r.name := btrim(coalesce(p_rule ->> 'name', '')); end if;
  if coalesce(r.name, '') = '' or length(r.name) > 200 then
    raise exception 'name: is required (at most 200 characters)' using errcode = '22023';
  end if;
  if p_rule ? 'enabled' then
    if jsonb_typeof(p_rule -> 'enabled') <> 'boolean' then
      raise exception 'enabled: must be true or false' using errcode = '22023';
    end if;
    r.enabled := (p_rule ->> 'enabled')::boolean;
  end if;
  if p_rule ? 'email' then
    if jsonb_typeof(p_rule -> 'email') <> 'boolean' then
      raise exception 'email: must be true or false' using errcode = '22023';
    end if;
    r.email := (p_rule ->> 'email')::boolean;
  end if;
  if p_rule ? 'event_types' then
    if jsonb_typeof(p_rule -> 'event_types') <> 'array' then
      raise exception 'event_types: expected a list' using errcode = '22023';
    end if;
    select string_agg(x, ', ') into bad from jsonb_array_elements_text(p_rule -> 'event_types') x
    where x not in ('battles', 'violence_against_civilians', 'explosions_remote_violence', 'riots', 'protests',
                    'strategic_developments');
    if bad is not null then
      raise exception 'event_types: unknown category %', bad using errcode = '22023';
    end if;
    r.event_types := array(select distinct x from jsonb_array_elements_text(p_rule -> 'event_types') x order by 1);
  end if;
  if p_rule ? 'seriousness' then r.seriousness := p_rule ->> 'seriousness'; end if;
  if r.seriousness is null or r.seriousness not in ('any', 'ngo', 'serious') then
    raise exception 'seriousness: one of any, ngo, serious' using errcode = '22023';
  end if;
  if p_rule ? 'listens_to' then r.listens_to := p_rule ->> 'listens_to'; end if;
  if r.listens_to is null or r.listens_to not in ('incidents', 'area_level', 'checkpoint_status') then
    raise exception 'listens_to: one of incidents, area_level, checkpoint_status' using errcode = '22023';
  end if;
  if p_rule ? 'target' then r.target := p_rule ->> 'target'; end if;
  if r.target is null or r.target not in ('sites', 'movements', 'areas') then
    raise exception 'target: one of sites, movements, areas' using errcode = '22023';
  end if;
  if r.listens_to = 'area_level' and r.target <> 'areas' then
    raise exception 'target: a rule on level changes watches areas' using errcode = '22023';
  end if;
  if r.listens_to = 'checkpoint_status' and r.target not in ('sites', 'areas') then
    raise exception 'target: a rule on checkpoints watches sites or areas' using errcode = '22023';
  end if;
  begin
    if p_rule ? 'min_level' then r.min_level := (p_rule ->> 'min_level')::smallint; end if;
  exception when others then
    raise exception 'min_level: must be a whole number from 1 to 5' using errcode = '22023';
  end;
  if r.min_level is not null and r.min_level not between 1 and 5 then
    raise exception 'min_level: must be a whole number from 1 to 5' using errcode = '22023';
  end if;
  if p_rule ? 'checkpoint_status' then r.checkpoint_status := nullif(p_rule ->> 'checkpoint_status', ''); end if;
  if r.checkpoint_status is not null and r.checkpoint_status not in ('open', 'restricted', 'closed') then
    raise exception 'checkpoint_status: one of open, restricted, closed (or none: any change)' using errcode = '22023';
  end if;
  begin
    if p_rule ? 'min_fatalities' then r.min_fatalities := coalesce((p_rule ->> 'min_fatalities')::int, 0); end if;
  exception when others then
    raise exception 'min_fatalities: must be a whole number' using errcode = '22023';
  end;
  if r.min_fatalities not between 0 and 100000 then
    raise exception 'min_fatalities: must be between 0 and 100000' using errcode = '22023';
  end if;
  begin
    if p_rule ? 'radius_km' then r.radius_km := (p_rule ->> 'radius_km')::float8; end if;
  exception when others then
    raise exception 'radius_km: must be a number' using errcode = '22023';
  end;
  if r.radius_km is null or not (r.radius_km > 0 and r.radius_km <= 200) then
    raise exception 'radius_km: must be more than 0 and at most 200' using errcode = '22023';
  end if;
  begin
    if p_rule ? 'max_age_days' then r.max_age_days := (p_rule ->> 'max_age_days')::int; end if;
  exception when others then
    raise exception 'max_age_days: must be a whole number' using errcode = '22023';
  end;
  if r.max_age_days is null or r.max_age_days not between 0 and 3660 then
    raise exception 'max_age_days: must be between 0 and 3660' using errcode = '22023';
  end if;
  if p_rule ? 'site_ids' then
    if jsonb_typeof(p_rule -> 'site_ids') <> 'array' then
      raise exception 'site_ids: expected a list' using errcode = '22023';
    end if;
    begin
      r.site_ids := array(select distinct x::uuid from jsonb_array_elements_text(p_rule -> 'site_ids') x);
    exception when others then
      raise exception 'site_ids: not a list of ids' using errcode = '22023';
    end;
    select string_agg(x::text, ', ') into bad from unnest(r.site_ids) x
    where not exists (select 1 from public.org_sites s where s.id = x);
    if bad is not null then
      raise exception 'site_ids: no site %', bad using errcode = '22023';
    end if;
  end if;
  if p_rule ? 'pcodes' then
    if jsonb_typeof(p_rule -> 'pcodes') <> 'array' then
      raise exception 'pcodes: expected a list' using errcode = '22023';
    end if;
    r.pcodes := array(select distinct btrim(x) from jsonb_array_elements_text(p_rule -> 'pcodes') x
                      where btrim(x) <> '' order by 1);
    select string_agg(x, ', ') into bad from unnest(r.pcodes) x
    where not exists (select 1 from public.areas a where a.pcode = x);
    if bad is not null then
      raise exception 'pcodes: no area %', bad using errcode = '22023';
    end if;
  end if;
  if r.target = 'areas' and cardinality(r.pcodes) = 0 then
    raise exception 'pcodes: a rule on areas needs at least one P-code' using errcode = '22023';
  end if;
  r.updated_at := now();
  if p_id is null then
    insert into public.alert_rules values (r.*);
  else
    update public.alert_rules set name = r.name, enabled = r.enabled, event_types = r.event_types,
      seriousness = r.seriousness, min_fatalities = r.min_fatalities, target = r.target, radius_km = r.radius_km,
      site_ids = r.site_ids, pcodes = r.pcodes, max_age_days = r.max_age_days, email = r.email,
      listens_to = r.listens_to, min_level = r.min_level, checkpoint_status = r.checkpoint_status,
      updated_at = r.updated_at
    where id = r.id;
  end if;
  return public.alert_rule_json(r.id);
end
$$;

create function public.alert_rule_delete(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare n integer;
begin
  delete from public.alert_rules where id = p_id and owner_id = (select auth.uid());
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'no alert rule with id % of yours', p_id using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;

revoke all on function public.alert_rule_json(uuid), public.alert_rules_list(), public.alert_rule_save(uuid, jsonb),
  public.alert_rule_delete(uuid) from public, anon;
grant execute on function public.alert_rule_json(uuid), public.alert_rules_list(), public.alert_rule_save(uuid, jsonb),
  public.alert_rule_delete(uuid) to authenticated;

-- E-mail (20261204080000). Each new alert queues one delivery per addressee who has an e-mail
-- address (users named, and every enabled user of the roles named; a rule's owner only when the
-- rule says e-mail). The server sends them through the SMTP server the operator configures
-- (src/lib/server/mail): it reads each alert AS ITS RECIPIENT, so RLS decides whether they may see
-- it at all (no e-mail if not), and what the e-mail may say. Failed sends are retried with a
-- growing delay, then given up. Without an SMTP server nothing is sent: alerts stay in the app.
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

create table private.alert_deliveries (
  id               bigserial primary key,
  alert_id         uuid not null references public.alerts (id) on delete cascade,
  user_id          uuid not null references public.app_users (id) on delete cascade,
  email            text not null,
  status           text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'not_visible', 'failed')),
  attempts         integer not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_error       text,
  sent_at          timestamptz,
  created_at       timestamptz not null default now(),
  unique (alert_id, user_id)
);
create index alert_deliveries_due_idx on private.alert_deliveries (next_attempt_at) where status in ('pending', 'sending');
alter table private.alert_deliveries enable row level security;

create function private.alert_deliveries_enqueue() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  insert into private.alert_deliveries (alert_id, user_id, email)
  select new.id, u.id, u.email
  from public.app_users u
  where not u.disabled and coalesce(btrim(u.email), '') <> ''
    and (u.id = any (new.target_users) or u.role = any (new.target_roles))
    and (new.rule_id is null or exists (select 1 from public.alert_rules r where r.id = new.rule_id and r.email))
  on conflict do nothing;
  return null;
end
$$;
create trigger alerts_deliveries after insert on public.alerts
  for each row execute function private.alert_deliveries_enqueue();

-- The sender takes due deliveries (and ones whose sender died mid-send: a lease of p_lease_seconds),
-- several processes side by side (skip locked).
create function private.alert_deliveries_claim(p_limit integer default 20, p_lease_seconds integer default 300)
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

-- p_outcome: sent | not_visible (the recipient may not read it: nothing is sent) | retry | failed
create function private.alert_delivery_finish(p_id bigint, p_outcome text, p_error text default null,
                                              p_retry_seconds integer default 60)
returns void
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
begin
  if p_outcome not in ('sent', 'not_visible', 'retry', 'failed') then
    raise exception 'outcome: one of sent, not_visible, retry, failed' using errcode = '22023';
  end if;
  update private.alert_deliveries set
    status = case when p_outcome = 'retry' then 'pending' else p_outcome end,
    last_error = left(p_error, 1000),
    sent_at = case when p_outcome = 'sent' then now() end,
    next_attempt_at = case when p_outcome = 'retry' then now() + make_interval(secs => greatest(p_retry_seconds, 0))
                           else next_attempt_at end
  where id = p_id;
end
$$;
revoke all on function private.alert_deliveries_enqueue(), private.alert_deliveries_claim(integer, integer),
  private.alert_delivery_finish(bigint, text, text, integer) from public, anon, authenticated;

-- For the admin page: how e-mail delivery is going (admins only; no addresses, only counts).
create function public.alert_delivery_stats() returns jsonb
language plpgsql stable security definer
set search_path = public, pg_temp
as $$
begin
  if not public.has_app_role('admin') then
    raise exception 'only admins see e-mail delivery' using errcode = '42501';
  end if;
  return jsonb_build_object(
    'by_status', coalesce((select jsonb_object_agg(status, n) from
                            (select status, count(*) as n from private.alert_deliveries group by status) s), '{}'),
    'last_error', (select last_error from private.alert_deliveries where last_error is not null
                   order by next_attempt_at desc, id desc limit 1),
    'last_sent_at', (select max(sent_at) from private.alert_deliveries));
end
$$;
revoke all on function public.alert_delivery_stats() from public, anon;
grant execute on function public.alert_delivery_stats() to authenticated;
