-- Need-to-know on the paths that read the audit log, and reads of restricted records on record.
--
-- * incident_get (20261122000400) now notes every read of a RESTRICTED incident ('read',
--   'incidents', {id}); it becomes plpgsql and volatile for that, its answer is unchanged.
-- * incident_history (20261122001000) showed anyone who may see an incident now every earlier
--   value of every field with the editor's e-mail — including notes an analyst replaced and what
--   the incident said while it was restricted. Analysts and admins keep that full history.
--   Viewers and field staff now see only the versions they could read at the time (verified and
--   not restricted; a field user also their own edits), editors as their role (no id, name or e-mail), and values only for plain
--   structured fields; free text (notes, source, location name, reasons) only where it is still
--   the incident's current text, so text an analyst replaced never comes back through history;
--   the location never (its exact point is not theirs to see). Other fields are named with
--   their values withheld ("hidden": true).
-- * audit_log_search (20261122002003): the admins' audit view. Rows about contacts carry the
--   contacts' personal data, so reading them is a contact read like any other: the call notes
--   ('read', 'contacts', {via: 'audit_log', ids}) for the contacts on the page it returns, and
--   shows their personal fields only to a caller the contacts policies would show the contact
--   to (admins today, as the log itself is admin-only; redacted fields stay redacted).

create or replace function public.incident_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, extensions, pg_temp
as $$
declare v jsonb;
begin
  select to_jsonb(i) - 'geom' || jsonb_build_object(
    'lon', st_x(i.geom), 'lat', st_y(i.geom),
    'actor1', a1.name, 'actor2', a2.name,
    'admin1_name', r1.name_en, 'admin1_name_ar', r1.name_ar,
    'admin2_name', r2.name_en, 'admin2_name_ar', r2.name_ar,
    'admin3_name', r3.name_en, 'admin3_name_ar', r3.name_ar)
    into v
  from public.incidents i
  left join public.actors a1 on a1.id = i.actor1_id
  left join public.actors a2 on a2.id = i.actor2_id
  left join public.areas r1 on r1.pcode = i.admin1_pcode
  left join public.areas r2 on r2.pcode = i.admin2_pcode
  left join public.areas r3 on r3.pcode = i.admin3_pcode
  where i.id = p_id;
  if v ->> 'confidentiality' = 'restricted' then
    perform public.audit_record('read', 'incidents', jsonb_build_object('id', p_id));
  end if;
  return v;
end
$$;

-- Which fields of an incident version a viewer or field user may see the values of, and which
-- are free text shown only while still current. Anything else is named, not shown.
create function private.history_plain_fields() returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select array['event_date', 'event_time', 'time_precision', 'event_type', 'sub_event_type',
               'fatalities', 'injuries', 'abductions', 'status', 'confidentiality', 'affects_us',
               'affects_ngos', 'serious', 'source_reliability', 'info_credibility', 'source_scale',
               'admin1_pcode', 'admin2_pcode', 'admin3_pcode', 'actor1_id', 'actor2_id']
$$;
create function private.history_text_fields() returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select array['notes', 'source', 'location_name', 'status_reason']
$$;
-- Bookkeeping columns that are not part of what an incident says.
create function private.history_internal_fields() returns text[]
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select array['id', 'updated_at', 'created_at', 'reported_by', 'merged_into', 'upstream_source',
               'upstream_id', 'is_sample']
$$;

create or replace function public.incident_history(p_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = public, private, pg_temp
as $$
declare v_ok boolean; v_full boolean; v_own boolean; v_now jsonb; r jsonb;
begin
  select public.has_app_role('admin', 'analyst')
      or (i.status = 'verified' and i.confidentiality <> 'restricted' and public.has_app_role('field', 'viewer'))
      or (i.reported_by = auth.uid() and public.has_app_role('field')),
         to_jsonb(i)
    into v_ok, v_now
  from public.incidents i where i.id = p_id;
  if not coalesce(v_ok, false) then
    return null;
  end if;
  v_full := public.has_app_role('admin', 'analyst');
  v_own := public.has_app_role('field');

  if v_full then
    -- Analysts and admins: every version, every value, editors by name and e-mail (as before).
    with entries as (
      select l.id, l.at, l.action, l.actor_id, l.before, l.after, l.detail
      from public.audit_log l
      where l.table_name = 'incidents'
        and ((l.row_id = p_id::text and l.action in ('insert', 'update', 'delete'))
             or (l.action in ('merge', 'unmerge')
                 and (l.detail ->> 'kept_id' = p_id::text or l.detail ->> 'merged_id' = p_id::text)))
    ),
    shaped as (
      select e.id, e.at, e.action,
             jsonb_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name, 'role', u.role) as actor,
             e.detail,
             case when e.action = 'update' then (
               select coalesce(jsonb_agg(jsonb_build_object('field', k, 'before', e.before -> k, 'after', e.after -> k) order by k), '[]'::jsonb)
               from jsonb_object_keys(e.after) k
               where k not in ('updated_at') and (e.before -> k) is distinct from (e.after -> k))
             when e.action = 'insert' then (
               select coalesce(jsonb_agg(jsonb_build_object('field', k, 'before', null, 'after', e.after -> k) order by k), '[]'::jsonb)
               from jsonb_object_keys(e.after) k
               where k in ('status', 'event_type', 'event_date', 'confidentiality', 'upstream_source', 'upstream_id')
                 and jsonb_typeof(e.after -> k) <> 'null')
             else '[]'::jsonb end as changes
      from entries e
      left join public.app_users u on u.id = e.actor_id
    )
    select coalesce(jsonb_agg(jsonb_build_object(
             'id', s.id, 'at', s.at, 'action',
             case when s.action = 'update' and exists (select 1 from jsonb_array_elements(s.changes) c where c ->> 'field' = 'status')
                  then 'transition' else s.action end,
             'actor', s.actor, 'changes', s.changes, 'detail', s.detail) order by s.at, s.id), '[]'::jsonb)
      into r
    from shaped s
    where not (s.action = 'update' and s.changes = '[]'::jsonb);
    return r;
  end if;

  -- Viewers and field staff: only versions that were verified and not restricted, i.e. that they
  -- could read at the time, and a field user's own edits (their report as they wrote it);
  -- merges show through the row changes they made.
  with entries as (
    select l.id, l.at, l.action, l.actor_id, l.before, l.after,
           (l.before ->> 'status' = 'verified' and l.before ->> 'confidentiality' <> 'restricted') as before_ok
    from public.audit_log l
    where l.table_name = 'incidents' and l.row_id = p_id::text and l.action in ('insert', 'update')
      and ((l.after ->> 'status' = 'verified' and l.after ->> 'confidentiality' <> 'restricted')
           or (v_own and l.actor_id = (select auth.uid())))
  ),
  -- One value as this reader may see it: plain fields as they were, free text only while it is
  -- still the current text, nothing else.
  fields as (
    select e.id, k,
           (e.before -> k) is distinct from (e.after -> k) as changed,
           case when e.action = 'update' and e.before_ok
                     and (k = any (private.history_plain_fields())
                          or (k = any (private.history_text_fields()) and (e.before -> k) = (v_now -> k)))
                then e.before -> k end as before_v,
           case when k = any (private.history_plain_fields())
                     or (k = any (private.history_text_fields()) and (e.after -> k) = (v_now -> k))
                then e.after -> k end as after_v,
           not (k = any (private.history_plain_fields()) or k = any (private.history_text_fields())
                or k = 'geom') as internal_or_unknown
    from entries e, jsonb_object_keys(e.after) k
  ),
  shaped as (
    select e.id, e.at, e.action,
           jsonb_build_object('role', u.role) as actor,
           case when e.action = 'update' then (
             select coalesce(jsonb_agg(jsonb_build_object('field', f.k, 'before', f.before_v, 'after', f.after_v)
                      || case when (f.before_v is null and e.before -> f.k is not null and jsonb_typeof(e.before -> f.k) <> 'null')
                                or (f.after_v is null and e.after -> f.k is not null and jsonb_typeof(e.after -> f.k) <> 'null')
                              then '{"hidden": true}'::jsonb else '{}'::jsonb end
                      order by f.k), '[]'::jsonb)
             from fields f
             where f.id = e.id and f.changed and not f.internal_or_unknown)
           else (
             select coalesce(jsonb_agg(jsonb_build_object('field', f.k, 'before', null, 'after', f.after_v) order by f.k), '[]'::jsonb)
             from fields f
             where f.id = e.id and f.k in ('status', 'event_type', 'event_date') and f.after_v is not null
               and jsonb_typeof(f.after_v) <> 'null')
           end as changes
    from entries e
    left join public.app_users u on u.id = e.actor_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id, 'at', s.at, 'action',
           case when s.action = 'update' and exists (select 1 from jsonb_array_elements(s.changes) c where c ->> 'field' = 'status')
                then 'transition' else s.action end,
           'actor', s.actor, 'changes', s.changes, 'detail', null) order by s.at, s.id), '[]'::jsonb)
    into r
  from shaped s
  where not (s.action = 'update' and s.changes = '[]'::jsonb);
  return r;
end
$$;
revoke execute on function public.incident_history(uuid) from public, anon;
grant execute on function public.incident_history(uuid) to authenticated;

-- The admins' audit view, as in 20261122002003, now volatile: reading rows about contacts is a
-- contact read, noted like any other, and personal fields follow the contacts' need-to-know.
create or replace function public.audit_log_search(
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_user_id uuid default null,
  p_action text default null,
  p_table text default null,
  p_row_id text default null,
  p_q text default null,
  p_limit integer default 100,
  p_offset integer default 0
) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare v jsonb; v_ids jsonb; v_contacts boolean;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may read the audit log' using errcode = '42501';
  end if;
  -- The contacts policies' rule for reading every contact, normal and restricted.
  v_contacts := public.has_app_role('admin', 'analyst');
  with f as (
    select l.* from public.audit_log l
    where (p_from is null or l.at >= p_from)
      and (p_to is null or l.at <= p_to)
      and (p_user_id is null or l.actor_id = p_user_id)
      and (p_action is null or l.action = p_action)
      and (p_table is null or l.table_name = p_table)
      and (p_row_id is null or l.row_id = p_row_id or l.detail ->> 'id' = p_row_id
           or (l.detail -> 'ids') ? p_row_id)
      and (p_q is null or trim(p_q) = '' or concat_ws(' ', l.detail::text, l.after::text, l.before::text) ilike '%' || trim(p_q) || '%')
  ),
  page as (select * from f order by f.at desc, f.id desc
           limit least(greatest(coalesce(p_limit, 100), 0), 1000) offset greatest(coalesce(p_offset, 0), 0)),
  shown as (
    select p.*,
           case when p.table_name = 'contacts' then p.row_id
                when p.table_name in ('contact_phones', 'contact_areas', 'contact_checkpoints')
                  then coalesce(p.after ->> 'contact_id', p.before ->> 'contact_id') end as contact_id
    from page p
  )
  select jsonb_build_object(
    'total', (select count(*) from f),
    'rows', coalesce((select jsonb_agg(
               (case when s.contact_id is not null and not v_contacts
                     then to_jsonb(s) - 'contact_id' - 'before' - 'after'
                          || jsonb_build_object('before', null, 'after', null, 'withheld', true)
                     else to_jsonb(s) - 'contact_id' end)
               || jsonb_build_object('user_email', u.email, 'user_name', u.display_name)
               order by s.at desc, s.id desc)
             from shown s left join public.app_users u on u.id = s.actor_id), '[]'::jsonb),
    'facets', jsonb_build_object(
      'actions', coalesce((select jsonb_agg(distinct action order by action) from public.audit_log), '[]'::jsonb),
      'tables', coalesce((select jsonb_agg(distinct table_name order by table_name) from public.audit_log where table_name is not null), '[]'::jsonb),
      'users', coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'email', u.email) order by u.email)
               from public.app_users u where u.id in (select distinct actor_id from public.audit_log)), '[]'::jsonb))),
    (select jsonb_agg(distinct s.contact_id) from shown s where s.contact_id is not null)
  into v, v_ids;
  if v_ids is not null and v_contacts then
    perform public.audit_record('read', 'contacts', jsonb_build_object(
      'via', 'audit_log', 'count', jsonb_array_length(v_ids), 'ids', v_ids));
  end if;
  return v;
end
$$;
