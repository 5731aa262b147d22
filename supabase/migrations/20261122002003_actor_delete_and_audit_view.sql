-- Deleting an actor without orphaning anything, and the admins' view of the audit log.
--
-- An actor is referenced by relationships, contacts (their organisation), incidents (actor1/2),
-- checkpoints (controlling actor) and presence. The foreign keys refuse a plain delete while any
-- of these exist; actor_delete says what happens to them:
--   reassign  everything moves to another actor (a merge: the deleted actor's name and aliases
--             become aliases of the kept one; a relationship that would join the kept actor to
--             itself is dropped; an incident whose two sides become one keeps one side);
--   detach    relationships and presence go (an edge needs both ends); contacts, incidents and
--             checkpoints stay, with no actor;
--   delete    relationships, presence and the contacts of that organisation go; incidents and
--             checkpoints stay with no actor (incidents are evidence and are never deleted here).
-- Only admins delete actors (the foundation's policy); actor_dependents tells the form what there
-- is to decide about.

-- How many contacts name an actor as their organisation, restricted ones included, for analysts
-- and admins (null for anyone else). Only the count leaves this function.
create function sensitive.actor_contact_count(p_id uuid) returns bigint
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select count(*) from sensitive.contacts c
  where c.actor_id = p_id and (select public.has_app_role('admin', 'analyst'))
$$;
revoke all on function sensitive.actor_contact_count(uuid) from public;
grant execute on function sensitive.actor_contact_count(uuid) to authenticated;

create function public.actor_dependents(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select jsonb_build_object(
    'id', p_id,
    'relationships', (select count(*) from public.relationships r where p_id in (r.source_actor_id, r.target_actor_id)),
    'contacts', case when (select public.has_app_role('admin', 'analyst')) then sensitive.actor_contact_count(p_id) end,
    'incidents', (select count(*) from public.incidents i where p_id in (i.actor1_id, i.actor2_id)),
    'checkpoints', (select count(*) from public.checkpoints k where k.controlling_actor_id = p_id),
    'presence', (select count(*) from public.actor_presence p where p.actor_id = p_id))
  where exists (select 1 from public.actors where id = p_id)
$$;

create function public.actor_delete(p_id uuid, p_mode text default null, p_target_id uuid default null)
returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare
  a public.actors;
  dep jsonb;
  n_rel bigint := 0; n_self bigint := 0; n_con bigint := 0; n_inc bigint := 0; n_cp bigint := 0; n_pre bigint := 0;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may delete actors' using errcode = '42501';
  end if;
  select * into a from public.actors where id = p_id;
  if a.id is null then
    raise exception 'actor not found' using errcode = 'P0002';
  end if;
  if p_mode is not null and p_mode not in ('reassign', 'detach', 'delete') then
    raise exception 'mode: use reassign, detach or delete' using errcode = '22023';
  end if;
  dep := public.actor_dependents(p_id);
  if p_mode is null and ((dep ->> 'relationships')::int + (dep ->> 'contacts')::int + (dep ->> 'incidents')::int
                         + (dep ->> 'checkpoints')::int + (dep ->> 'presence')::int) > 0 then
    raise exception 'mode: "%" has % relationships, % contacts, % incidents, % checkpoints and % presence areas; say whether to reassign, detach or delete them',
      a.name, dep ->> 'relationships', dep ->> 'contacts', dep ->> 'incidents', dep ->> 'checkpoints', dep ->> 'presence'
      using errcode = '23503', detail = dep::text;
  end if;

  if p_mode = 'reassign' then
    if p_target_id is null then
      raise exception 'target_id: reassign needs the actor to move everything to' using errcode = '22023';
    end if;
    if p_target_id = p_id then
      raise exception 'target_id: cannot reassign an actor to itself' using errcode = '22023';
    end if;
    if not exists (select 1 from public.actors where id = p_target_id) then
      raise exception 'target_id: no such actor' using errcode = '22023';
    end if;
    delete from public.relationships
    where (source_actor_id = p_id and target_actor_id = p_target_id)
       or (source_actor_id = p_target_id and target_actor_id = p_id);
    get diagnostics n_self = row_count;
    update public.relationships set source_actor_id = p_target_id where source_actor_id = p_id;
    get diagnostics n_rel = row_count;
    update public.relationships set target_actor_id = p_target_id where target_actor_id = p_id;
    get diagnostics n_inc = row_count;
    n_rel := n_rel + n_inc;
    update sensitive.contacts set actor_id = p_target_id where actor_id = p_id;
    get diagnostics n_con = row_count;
    update public.incidents set
      actor1_id = case when actor1_id = p_id then p_target_id else actor1_id end,
      actor2_id = case when actor2_id = p_id then (case when actor1_id = p_target_id then null else p_target_id end)
                       when actor2_id = p_target_id and actor1_id = p_id then null
                       else actor2_id end
    where p_id in (actor1_id, actor2_id);
    get diagnostics n_inc = row_count;
    update public.checkpoints set controlling_actor_id = p_target_id where controlling_actor_id = p_id;
    get diagnostics n_cp = row_count;
    update public.actor_presence set actor_id = p_target_id where actor_id = p_id;
    get diagnostics n_pre = row_count;
    update public.actors t set aliases = t.aliases || array[a.name] || a.aliases
    where t.id = p_target_id;
  elsif p_mode in ('detach', 'delete') then
    delete from public.relationships where p_id in (source_actor_id, target_actor_id);
    get diagnostics n_rel = row_count;
    if p_mode = 'detach' then
      update sensitive.contacts set actor_id = null where actor_id = p_id;
    else
      delete from sensitive.contacts where actor_id = p_id;
    end if;
    get diagnostics n_con = row_count;
    update public.incidents set
      actor1_id = case when actor1_id = p_id then null else actor1_id end,
      actor2_id = case when actor2_id = p_id then null else actor2_id end
    where p_id in (actor1_id, actor2_id);
    get diagnostics n_inc = row_count;
    update public.checkpoints set controlling_actor_id = null where controlling_actor_id = p_id;
    get diagnostics n_cp = row_count;
    delete from public.actor_presence where actor_id = p_id;
    get diagnostics n_pre = row_count;
  end if;

  delete from public.actors where id = p_id;
  return jsonb_build_object('id', p_id, 'name', a.name, 'deleted', true, 'mode', p_mode, 'target_id', p_target_id,
    'relationships', n_rel, 'relationships_dropped', n_self, 'contacts', n_con, 'incidents', n_inc,
    'checkpoints', n_cp, 'presence', n_pre);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The audit log for admins, filtered by time, user, action, table and row, newest first, paged;
-- with the values the filters can take. Non-admins are refused (RLS would show them nothing).
create function public.audit_log_search(
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
language plpgsql stable
set search_path = public, pg_temp
as $$
declare v jsonb;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may read the audit log' using errcode = '42501';
  end if;
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
           limit least(greatest(coalesce(p_limit, 100), 0), 1000) offset greatest(coalesce(p_offset, 0), 0))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'rows', coalesce((select jsonb_agg(to_jsonb(p) || jsonb_build_object('user_email', u.email, 'user_name', u.display_name)
               order by p.at desc, p.id desc)
             from page p left join public.app_users u on u.id = p.actor_id), '[]'::jsonb),
    'facets', jsonb_build_object(
      'actions', coalesce((select jsonb_agg(distinct action order by action) from public.audit_log), '[]'::jsonb),
      'tables', coalesce((select jsonb_agg(distinct table_name order by table_name) from public.audit_log where table_name is not null), '[]'::jsonb),
      'users', coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'email', u.email) order by u.email)
               from public.app_users u where u.id in (select distinct actor_id from public.audit_log)), '[]'::jsonb)))
  into v;
  return v;
end
$$;
