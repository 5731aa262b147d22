set check_function_bodies = off;

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
-- the rule names one, it now has. 20261211300100: a checkpoint created already closed or
-- restricted fires the rules too, as an update to that status does (previous_status null).
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
            left(case when tg_op = 'INSERT'
                   then format('%s: new checkpoint %s is %s', r.name, new.name, new.status)
                   else format('%s: checkpoint %s is now %s (was %s)', r.name, new.name, new.status, old.status)
                 end, 300),
            jsonb_build_object('rule_id', r.id, 'rule_name', r.name, 'listens_to', 'checkpoint_status',
                               'checkpoint_id', new.id, 'checkpoint_name', new.name,
                               'checkpoint_name_ar', new.name_ar, 'status', new.status,
                               'previous_status', case when tg_op = 'UPDATE' then old.status end,
                               'places', to_jsonb(v_places)),
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
create trigger checkpoints_alert_rules_insert after insert on public.checkpoints
  for each row when (new.status in ('closed', 'restricted'))
  execute function private.alert_rules_on_checkpoint();

revoke all on function private.alert_rules_on_level(), private.alert_rules_on_checkpoint()
  from public, anon, authenticated;
