-- Checkpoint rules fire for a checkpoint created already closed or restricted (issue 11, point 6):
-- until now only an update of status did, so a checkpoint recorded closed raised nothing. The
-- function words an insert as "new checkpoint X is closed" (previous_status null) and a second
-- trigger calls it after insert. See supabase/schemas/57_alerts_events.sql.

-- A checkpoint's status set: each rule whose checkpoints it is (within radius_km of one of the
-- rule's sites, every open site when none is named; or in one of its areas) and whose status, if
-- the rule names one, it now has. 20261211300100: a checkpoint created already closed or
-- restricted fires the rules too, as an update to that status does (previous_status null).
create or replace function private.alert_rules_on_checkpoint() returns trigger
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
create trigger checkpoints_alert_rules_insert after insert on public.checkpoints
  for each row when (new.status in ('closed', 'restricted'))
  execute function private.alert_rules_on_checkpoint();
