-- Statement-level audit of incidents (issue 16, point 1): the row trigger audit_row ran once per
-- incident written, and during an import (one entry per job, 20261205060000) each call looked up
-- the pause and the job's scope and inserted one noted id: 21% of a 30,000-row commit. The three
-- statement triggers below write the same entries, one per row with its before and after, from
-- the statement's transition tables in one insert; during an import commit they note the ids in
-- one insert. No session setting is read (as audit_row). See supabase/schemas/00_roles_auth.sql
-- and 30_incidents.sql.

-- The statement-level form of audit_row (issue 16; 20261211100100_audit_statement), for the
-- incidents (30_incidents.sql): the same entries, one per row written, with the same before and
-- after, from the statement's transition tables in one insert; and while an import commit's scope
-- is open for the table (private.audit_bulk above), the written rows' ids noted for the job's
-- entry in one insert. Row by row, an import's 30,000 incidents cost 30,000 trigger calls, each
-- with two look-ups and an insert: 21% of the commit. The rules are audit_row's: only a pause
-- written by the owner skips it, only an import scope opened by the commit notes ids instead of
-- logging, and no session setting is read. An update's before and after are paired by id, in the
-- order the rows were written.
create function private.audit_statement() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if private.audit_paused() then
    return null;
  end if;
  if exists (select 1 from private.audit_bulk b where b.xid = txid_current() and tg_table_name = any (b.tables)) then
    if tg_op = 'DELETE' then
      insert into private.audit_bulk_rows (xid, table_name, op, row_id)
      select txid_current(), tg_table_name, 'delete', o.id::text from audit_old o;
    else
      insert into private.audit_bulk_rows (xid, table_name, op, row_id)
      select txid_current(), tg_table_name, lower(tg_op), n.id::text from audit_new n;
    end if;
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after)
    select (select auth.uid()), 'insert', tg_table_name, n.id::text, null, to_jsonb(n) from audit_new n;
  elsif tg_op = 'UPDATE' then
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after)
    select (select auth.uid()), 'update', tg_table_name, coalesce(b.id, a.id)::text, a.j, b.j
    from (select row_number() over () as k, n.id, to_jsonb(n) as j from audit_new n) b
    full join (select row_number() over () as k, o.id, to_jsonb(o) as j from audit_old o) a on a.id = b.id
    order by coalesce(b.k, a.k);
  else
    insert into public.audit_log (actor_id, action, table_name, row_id, before, after)
    select (select auth.uid()), 'delete', tg_table_name, o.id::text, to_jsonb(o), null from audit_old o;
  end if;
  return null;
end
$$;
revoke execute on function private.audit_statement() from public;

drop trigger incidents_audit on public.incidents;

-- Audited per statement (private.audit_statement, 20261211100100_audit_statement): one entry per
-- row as before, written set-based; an import's rows noted for its job entry in one insert.
create trigger incidents_audit_insert after insert on public.incidents
  referencing new table as audit_new
  for each statement execute function private.audit_statement();

create trigger incidents_audit_update after update on public.incidents
  referencing old table as audit_old new table as audit_new
  for each statement execute function private.audit_statement();

create trigger incidents_audit_delete after delete on public.incidents
  referencing old table as audit_old
  for each statement execute function private.audit_statement();
