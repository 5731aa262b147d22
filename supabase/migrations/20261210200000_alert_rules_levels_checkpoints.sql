-- Alert rules on area level changes and checkpoint status changes (issue 11, point 6). See
-- supabase/schemas/57_alerts.sql (the columns, the incident evaluator skipping other rules, the
-- save function's new fields) and 57_alerts_events.sql (the two evaluators and their triggers).
alter table public.alert_rules
  add column listens_to text not null default 'incidents'
    check (listens_to in ('incidents', 'area_level', 'checkpoint_status')),
  add column min_level smallint check (min_level between 1 and 5),
  add column checkpoint_status text check (checkpoint_status in ('open', 'restricted', 'closed')),
  add constraint alert_rules_listens check (case listens_to when 'area_level' then target = 'areas'
                                                        when 'checkpoint_status' then target in ('sites', 'areas')
                                                        else true end);
alter table public.alerts drop constraint alerts_kind_check;
alter table public.alerts add constraint alerts_kind_check check (kind in ('movement_overdue', 'authorisation_expiring', 'incident_rule', 'headcount',
                                              'contingency_trigger', 'other', 'area_level_rule',
                                              'checkpoint_rule'));

create or replace function private.alert_rules_evaluate() returns trigger
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

create or replace function public.alert_rule_save(p_id uuid, p_rule jsonb) returns jsonb
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

-- Migration 20261210200000. Alert rules that listen to something other than incidents (issue 11,
-- point 6: "rules can also fire on area level changes, checkpoint status changes"): the database
-- evaluates them when a security level is recorded or a checkpoint's status is set, and raises
-- the alert through public.alerts, so the live feed (pg_notify) and e-mail carry it as they carry
-- an incident rule's. Levels and checkpoints are read by every signed-in role, so such an alert
-- tells its owner nothing they could not read; it is addressed to the rule's owner only.
--
-- The stored title is English (mail clients, the API); the body carries the facts, from which each
-- page words the title in its reader's language (src/lib/domain/contingency-words.ts alertTitle).

-- A level recorded (one statement: one alert per rule, listing the areas that changed). A level
-- counts when it differs from the one the area had before (a re-assessment at the same level is
-- not a change), reaches the rule's min_level if it has one, and is effective within the rule's
-- max_age_days (recording history raises nothing).
create function private.alert_rules_on_level() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
declare
  r record;
  v_alert uuid;
  v_changes jsonb;
  v_top smallint;
begin
  if not exists (select 1 from public.alert_rules where enabled and listens_to = 'area_level') then
    return null;
  end if;
  for r in
    select ar.* from public.alert_rules ar
    join public.app_users u on u.id = ar.owner_id and not u.disabled
    where ar.enabled and ar.listens_to = 'area_level'
  loop
    select jsonb_agg(jsonb_build_object('pcode', c.pcode, 'area_name', c.name_en, 'area_name_ar', c.name_ar,
                                        'level', c.level, 'previous_level', c.previous)
                     order by c.level desc, c.pcode),
           max(c.level)
      into v_changes, v_top
    from (
      select n.pcode, a.name_en, a.name_ar, n.level,
             (select x.level from public.area_security_levels x
              where x.pcode = n.pcode and x.id <> n.id
                and (x.effective_date, x.recorded_at) < (n.effective_date, n.recorded_at)
              order by x.effective_date desc, x.recorded_at desc limit 1) as previous
      from new_rows n join public.areas a on a.pcode = n.pcode
      where n.pcode = any (public.area_lineage(r.pcodes))
        and n.effective_date >= current_date - r.max_age_days
        and (r.min_level is null or n.level >= r.min_level)
    ) c
    where c.previous is distinct from c.level;
    continue when v_changes is null;
    insert into public.alerts (kind, severity, title, body, target_users, target_roles, rule_id)
    values ('area_level_rule', case when v_top >= 4 then 'critical' else 'warning' end,
            left(case when jsonb_array_length(v_changes) = 1
                   then format('%s: security level of %s (%s) is now %s', r.name, v_changes -> 0 ->> 'area_name',
                               v_changes -> 0 ->> 'pcode', v_changes -> 0 ->> 'level')
                   else format('%s: security level changed in %s areas', r.name, jsonb_array_length(v_changes))
                 end, 300),
            jsonb_build_object('rule_id', r.id, 'rule_name', r.name, 'listens_to', 'area_level',
                               'changes', v_changes),
            array[r.owner_id], '{}', r.id)
    returning id into v_alert;
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
  end loop;
  return null;
end
$$;
create trigger area_security_levels_alert_rules after insert on public.area_security_levels
  referencing new table as new_rows
  for each statement execute function private.alert_rules_on_level();

-- A checkpoint's status set: each rule whose checkpoints it is (within radius_km of one of the
-- rule's sites, every open site when none is named; or in one of its areas) and whose status, if
-- the rule names one, it now has.
create function private.alert_rules_on_checkpoint() returns trigger
language plpgsql security definer
set search_path = public, extensions, pg_temp
as $$
declare
  r record;
  v_places text[];
  v_alert uuid;
begin
  for r in
    select ar.* from public.alert_rules ar
    join public.app_users u on u.id = ar.owner_id and not u.disabled
    where ar.enabled and ar.listens_to = 'checkpoint_status'
      and (ar.checkpoint_status is null or ar.checkpoint_status = new.status)
  loop
    if r.target = 'sites' then
      select array_agg(s.name order by s.name) into v_places from public.org_sites s
      where s.status = 'open' and (cardinality(r.site_ids) = 0 or s.id = any (r.site_ids))
        and st_dwithin(new.geom::geography, s.geom::geography, r.radius_km * 1000);
    else
      select array_agg(a.name_en order by a.pcode) into v_places from public.areas a
      where a.pcode = any (r.pcodes) and a.pcode in (new.admin1_pcode, new.admin2_pcode, new.admin3_pcode);
    end if;
    continue when v_places is null;
    insert into public.alerts (kind, severity, title, body, target_users, target_roles, rule_id)
    values ('checkpoint_rule', case new.status when 'closed' then 'critical' when 'restricted' then 'warning'
                                               else 'info' end,
            left(format('%s: checkpoint %s is now %s (was %s)', r.name, new.name, new.status, old.status), 300),
            jsonb_build_object('rule_id', r.id, 'rule_name', r.name, 'listens_to', 'checkpoint_status',
                               'checkpoint_id', new.id, 'checkpoint_name', new.name,
                               'checkpoint_name_ar', new.name_ar, 'status', new.status,
                               'previous_status', old.status, 'places', to_jsonb(v_places)),
            array[r.owner_id], '{}', r.id)
    returning id into v_alert;
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
  end loop;
  return null;
end
$$;
create trigger checkpoints_alert_rules after update of status on public.checkpoints
  for each row when (old.status is distinct from new.status)
  execute function private.alert_rules_on_checkpoint();

revoke all on function private.alert_rules_on_level(), private.alert_rules_on_checkpoint()
  from public, anon, authenticated;
