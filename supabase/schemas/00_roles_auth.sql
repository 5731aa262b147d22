set check_function_bodies = off;

-- Terrain foundation: who the users are, what role each has, and the audit trail of every write.
--
-- The app role (admin, analyst, field, viewer) lives in public.app_users keyed by the same user id
-- in every database mode: on Supabase it is auth.users.id, elsewhere the id of a local account.
-- Policies never trust a role sent by the client: they look it up here with current_app_role().

create extension if not exists postgis;

create schema if not exists private;

revoke all on schema private from public;

create table public.app_users (
  id            uuid primary key default gen_random_uuid(),
  email         text not null unique check (email = lower(email) and position('@' in email) > 1),
  display_name  text not null default '',
  role          text not null check (role in ('admin', 'analyst', 'field', 'viewer')),
  disabled      boolean not null default false,
  -- Areas (P-codes) a field user works in; need-to-know rules of later features read this.
  assigned_areas text[] not null default '{}',
  created_at    timestamptz not null default now()
);

alter table public.app_users enable row level security;

-- The caller's app role, or NULL for anonymous callers and disabled accounts. Security definer so
-- that policies on other tables can read app_users without granting it to everyone.
-- Stable and parallel safe (20261203150200_analysis_rollup): they read a table and the
-- request's claims and change nothing, so a signed-in user's scans may run in parallel.
create function public.current_app_role() returns text
language sql stable security definer parallel safe
set search_path = public, pg_temp
as $$
  select role from public.app_users where id = (select auth.uid()) and not disabled
$$;

create function public.has_app_role(variadic p_roles text[]) returns boolean
language sql stable security definer parallel safe
set search_path = public, pg_temp
as $$
  select coalesce((select public.current_app_role()) = any (p_roles), false)
$$;

create policy "Users can read their own profile" on public.app_users
  for select to authenticated using (id = (select auth.uid()));

create policy "Admins can read every profile" on public.app_users
  for select to authenticated using ((select public.has_app_role('admin')));

create policy "Admins can add users" on public.app_users
  for insert to authenticated with check ((select public.has_app_role('admin')));

create policy "Admins can change users" on public.app_users
  for update to authenticated using ((select public.has_app_role('admin')))
  with check ((select public.has_app_role('admin')));

grant select, insert, update on public.app_users to authenticated;

-- The audit log: one row per write (written by triggers, never by the app directly) and one per
-- sensitive read or export (written by audit_record). Only admins read it; nobody edits it.
--
-- It is tamper-evident (20261203120000_audit_chain), and no session can silence it:
--
-- 1. Hash chain. Every audit row carries `seq` (1, 2, 3 … with no gaps), `prev_hash` (the hash
--    of entry seq-1; 64 zeros for the first) and `hash`:
--
--      hash = sha256( prev_hash || E'\n' || sha256(canonical(row)) )
--
--    canonical(row) is the jsonb text of {id, at (UTC, microseconds), actor_id, action,
--    table_name, row_id, before, after, detail} where before/after/detail are replaced by the
--    sha256 DIGEST OF EACH TOP-LEVEL FIELD ({"full_name": "3f2a…", "notes": "9b0c…"}), never by
--    the raw values. That is what makes redaction possible without breaking the chain: a
--    redacted field holds the string "[redacted sha256:<digest of the old value>]", whose digest
--    for the chain is the digest it carries, so the row hashes exactly as before (see
--    private.audit_digest, and the contacts' redaction in 50_contacts.sql). jsonb text and
--    sha256() are the same on PostgreSQL 15 and PGlite (PostgreSQL 17), so a log moves between
--    engines and stays verifiable.
--
--    Rows are linked at COMMIT, not at insert: a deferred constraint trigger takes the single
--    chain head (private.audit_chain_head, locked FOR UPDATE) and numbers the transaction's rows.
--    The lock is held only for that final step, so long transactions (imports) do not stall
--    everyone else's writes, and two writers cannot deadlock on it (neither holds it while
--    waiting for a row lock). Rows therefore appear in `seq` in commit order; `id` stays the
--    insertion order. Whatever a writer puts in seq/prev_hash/hash is overwritten.
--
--    public.audit_verify() (and `terrain audit verify`) walks the chain and names the first entry
--    that was changed (hash differs), is missing (a gap in seq, or entries cut off after the
--    last one the chain head remembers) or out of order (its prev_hash is not its predecessor's
--    hash), or was inserted around the triggers (no seq). A superuser can still rewrite the
--    whole chain consistently; to detect that, keep the head hash `verify` prints somewhere else
--    (a ticket, an e-mail) and compare later.
--
-- 2. Only the database writes audit rows: its triggers and SECURITY DEFINER functions. Nobody
--    but the owner has INSERT/UPDATE/DELETE on audit_log; public.audit_note is not executable
--    by app roles; the app's own functions note reads, exports, imports and merges through
--    public.audit_record, a definer function that accepts only a fixed set of actions, writes
--    the caller's own auth.uid() and refuses callers without an enabled account. Refused
--    requests are noted through public.audit_refused (fixed action 'refused'). The row trigger
--    reads no setting (the session switch `set local terrain.audit = 'off'` is gone). The
--    demo-data loaders, which must not copy thousands of public records into the trail, pause
--    the row trigger for their own transaction by a row in private.audit_pause — a table in
--    schema private that app roles cannot even see — and write one summary row; every other
--    writer stays audited.
--    An import commit writes one entry for its job instead of one per row (see "Imports: one
--    entry per job" below): the rows it writes are still each recorded, by id, in that entry.
--
-- 3. Who writes auth events (sign-in, sign-out, password and role changes, tokens): their own
--    definer functions, with a plain
--      insert into public.audit_log (actor_id, action, table_name, row_id, detail) values (...)
--    Nothing else is needed: seq, prev_hash and hash are filled in at commit. Personal data in
--    detail (an e-mail on a failed sign-in) should sit in its own top-level key, so it can be
--    redacted later like any other field.
create table public.audit_log (
  id          bigint generated always as identity primary key,
  at          timestamptz not null default now(),
  actor_id    uuid,
  action      text not null,
  table_name  text,
  row_id      text,
  before      jsonb,
  after       jsonb,
  detail      jsonb,
  -- The hash chain (20261203120000_audit_chain), filled in at commit by private.audit_chain().
  seq         bigint unique,
  prev_hash   text,
  hash        text
);

create index audit_log_at_idx on public.audit_log (at desc);

create index audit_log_row_idx on public.audit_log (table_name, row_id);

-- The rows a committing transaction still has to number.
create index audit_log_unchained_idx on public.audit_log (id) where seq is null;

alter table public.audit_log enable row level security;

create policy "Admins can read the audit log" on public.audit_log
  for select to authenticated using ((select public.has_app_role('admin')));

grant select on public.audit_log to authenticated;

-- Writers: nobody but the owner, whatever the platform's default privileges say (Supabase grants
-- everything in schema public to anon and authenticated by default; RLS already refused writes,
-- this refuses them a second time).
revoke insert, update, delete, truncate on public.audit_log from public, anon, authenticated;

-- Pausing the row trigger for one transaction: the demo-data loaders only. A row here names a
-- transaction id (txid_current() never repeats), so a pause can never leak into another
-- transaction, and leftover rows are inert.
create table private.audit_pause (
  xid bigint primary key,
  at  timestamptz not null default now()
);
revoke all on private.audit_pause from public;

create function private.audit_paused() returns boolean
language sql stable
set search_path = pg_catalog, pg_temp
as $$
  select exists (select 1 from private.audit_pause where xid = txid_current())
$$;

-- Imports: one entry per job (20261205060000_import_audit_per_job). The per-row entries of an
-- import were the largest part of its commit (each row's every field digested for the chain),
-- and they said nothing the job entry cannot: who imported which file, when, and which rows it
-- wrote. While an import commit writes, a row here (keyed by the transaction, like a pause)
-- tells the row trigger to note the written row's table, operation and id in
-- private.audit_bulk_rows instead of the log; the commit then writes ONE audit entry naming the
-- job, its counts, every id it wrote and a digest of them (public.import_audit_close in
-- 60_imports.sql). Why this cannot be used to write unaudited:
--   - app roles cannot see schema private; only public.import_audit_open (security definer)
--     inserts here, and it refuses any caller but the import commit functions themselves (it
--     reads the PL/pgSQL call stack: a DO block, a user's own or temporary function is named
--     differently there), any job not the caller's own and still staging, and any role but
--     analysts and admins; no session setting is read, so `set` and set_config() do nothing;
--   - only the tables the job writes are noted this way (incidents and actors, or the site
--     table, or actors); every other table stays audited row by row;
--   - nothing is silenced even then: every row written under the scope is listed by id in the
--     job's entry, under the importer's id, in the hash chain;
--   - a transaction cannot commit with the scope still open (the deferred check below), so the
--     job entry is always written, and a rolled-back commit (a dry run's trial) leaves nothing.
create table private.audit_bulk (
  xid    bigint primary key,
  job    uuid not null,
  tables text[] not null,
  at     timestamptz not null default now()
);
revoke all on private.audit_bulk from public;

create table private.audit_bulk_rows (
  xid        bigint not null,
  table_name text not null,
  op         text not null,
  row_id     text
);
create index audit_bulk_rows_xid_idx on private.audit_bulk_rows (xid);
revoke all on private.audit_bulk_rows from public;

-- At commit: a scope still open means a job entry was never written; refuse the commit.
create function private.audit_bulk_closed() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if exists (select 1 from private.audit_bulk b where b.xid = new.xid) then
    raise exception 'audit: an import left its audit scope open; nothing is committed' using errcode = '42501';
  end if;
  return null;
end
$$;
revoke execute on function private.audit_bulk_closed() from public;
create constraint trigger audit_bulk_closed after insert on private.audit_bulk
  deferrable initially deferred
  for each row execute function private.audit_bulk_closed();

-- The row trigger for every audited table. Only a pause row written by the owner
-- (private.audit_pause, the demo-data loaders) skips it; no session setting does. An import
-- commit's rows are noted for its job entry instead (private.audit_bulk above).
create function private.audit_row() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if private.audit_paused() then
    return coalesce(new, old);
  end if;
  if exists (select 1 from private.audit_bulk b where b.xid = txid_current() and tg_table_name = any (b.tables)) then
    insert into private.audit_bulk_rows (xid, table_name, op, row_id)
    values (txid_current(), tg_table_name, lower(tg_op),
            case when tg_op = 'DELETE' then (to_jsonb(old) ->> 'id') else (to_jsonb(new) ->> 'id') end);
    return coalesce(new, old);
  end if;
  insert into public.audit_log (actor_id, action, table_name, row_id, before, after)
  values (
    (select auth.uid()),
    lower(tg_op),
    tg_table_name,
    case when tg_op = 'DELETE' then (to_jsonb(old) ->> 'id') else (to_jsonb(new) ->> 'id') end,
    case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end,
    case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end
  );
  return coalesce(new, old);
end
$$;
revoke execute on function private.audit_row() from public;

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

create trigger app_users_audit after insert or update or delete on public.app_users
  for each row execute function private.audit_row();

-- Records a read or an export of sensitive data. Superseded by public.audit_record: no app role
-- may call it any more (20261203120000_audit_chain), only the owner's own definer code.
create function public.audit_note(p_action text, p_table text, p_detail jsonb default '{}')
returns void
language sql volatile security definer
set search_path = public, pg_temp
as $$
  insert into public.audit_log (actor_id, action, table_name, detail)
  values ((select auth.uid()), p_action, p_table, p_detail)
$$;
revoke execute on function public.audit_note(text, text, jsonb) from public, anon, authenticated;

-- The notes the app's own (security invoker) functions write: reads and exports of sensitive
-- data, imports, merges. A definer function so that app roles need no right on audit_log; it
-- cannot be used to forge entries: the action is one of a fixed list, the actor is always the
-- caller (auth.uid() of an enabled account), the table must exist, merges name a real merge,
-- and imports and merges need the roles that may do them.
create function public.audit_record(p_action text, p_table text, p_detail jsonb default '{}')
returns void
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare v_role text := public.current_app_role();
begin
  if v_role is null then
    raise exception 'audit: no signed-in, enabled user' using errcode = '42501';
  end if;
  if p_action is null or p_action not in ('read', 'list', 'nearby', 'export', 'card', 'import', 'merge', 'unmerge') then
    raise exception 'audit: unknown action %', p_action using errcode = '22023';
  end if;
  if p_action in ('import', 'merge', 'unmerge') and v_role not in ('admin', 'analyst') then
    raise exception 'audit: % is for analysts and admins', p_action using errcode = '42501';
  end if;
  if p_table is null or not exists (
       select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'sensitive') and c.relname = p_table and c.relkind in ('r', 'p')) then
    raise exception 'audit: unknown table %', p_table using errcode = '22023';
  end if;
  if p_detail is null or jsonb_typeof(p_detail) <> 'object' or octet_length(p_detail::text) > 262144 then
    raise exception 'audit: detail must be a JSON object under 256 kB' using errcode = '22023';
  end if;
  if p_action in ('merge', 'unmerge') and not exists (
       select 1 from public.incident_merges m where m.id::text = p_detail ->> 'merge_id') then
    raise exception 'audit: no such merge' using errcode = '22023';
  end if;
  insert into public.audit_log (actor_id, action, table_name, detail)
  values ((select auth.uid()), p_action, p_table, p_detail);
end
$$;
revoke execute on function public.audit_record(text, text, jsonb) from public, anon;
grant execute on function public.audit_record(text, text, jsonb) to authenticated;

-- A request the server refused (403) or a page that refused the caller (a viewer on contacts):
-- action 'refused', the caller's own id, the method and path, nothing the caller can shape
-- beyond a path of at most 300 characters. The server calls it in a transaction of its own,
-- since the refused call's transaction was rolled back.
create function public.audit_refused(p_method text, p_path text, p_status integer default 403)
returns void
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
begin
  if (select auth.uid()) is null or public.current_app_role() is null then
    raise exception 'audit: no signed-in, enabled user' using errcode = '42501';
  end if;
  if p_method is null or p_method not in ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') then
    raise exception 'audit: unknown method' using errcode = '22023';
  end if;
  if p_path is null or length(p_path) > 300 or p_path !~ '^/[^[:space:][:cntrl:]]*$' then
    raise exception 'audit: path must start with / and be at most 300 characters' using errcode = '22023';
  end if;
  if p_status is null or p_status not in (401, 403) then
    raise exception 'audit: status must be 401 or 403' using errcode = '22023';
  end if;
  insert into public.audit_log (actor_id, action, table_name, detail)
  values ((select auth.uid()), 'refused',
          case when p_path ~ '^/(api/v1/)?contacts' then 'contacts'
               when p_path ~ '^/(api/v1/)?incidents' then 'incidents'
               when p_path ~ '^/(api/v1/)?(admin|users|tokens)' then 'app_users' end,
          jsonb_build_object('method', p_method, 'path', p_path, 'status', p_status,
                             'role', public.current_app_role()));
end
$$;
revoke execute on function public.audit_refused(text, text, integer) from public, anon;
grant execute on function public.audit_refused(text, text, integer) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The chain's head: the seq and hash of its last entry, one row, locked by whoever links next.
create table private.audit_chain_head (
  only_one boolean primary key default true check (only_one),
  seq      bigint not null,
  hash     text not null
);
revoke all on private.audit_chain_head from public;
insert into private.audit_chain_head (seq, hash) values (0, repeat('0', 64));

-- The digest a field contributes to the chain: sha256 of its jsonb text, or, for a redacted
-- field, the digest the redaction marker carries (the digest of the value it replaced).
-- These three pure functions have no SET search_path on purpose: a SET clause stops PostgreSQL
-- from inlining a SQL function, and they run once per field of every audit row (measured with
-- scripts/bench-audit.ts: 5,000 audited rows took 31 s with SET clauses and a row-by-row UPDATE,
-- 11 s now, against 7.5 s unaudited). Every name in them is schema-qualified instead.
create function private.audit_digest(v jsonb) returns text
language sql immutable
as $$
  select case
    when pg_catalog.jsonb_typeof(v) = 'string'
         and (v operator(pg_catalog.#>>) '{}') operator(pg_catalog.~) '^\[redacted sha256:[0-9a-f]{64}\]$'
      then pg_catalog.substr(v operator(pg_catalog.#>>) '{}', 18, 64)
    else pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(v::pg_catalog.text, 'UTF8')), 'hex')
  end
$$;

-- before/after/detail as the chain sees them: each top-level field by its digest.
create function private.audit_digests(v jsonb) returns jsonb
language sql immutable
as $$
  select case
    when v is null then null
    when pg_catalog.jsonb_typeof(v) = 'object' then
      coalesce((select pg_catalog.jsonb_object_agg(e.key, private.audit_digest(e.value))
                from pg_catalog.jsonb_each(v) e), '{}'::jsonb)
    else pg_catalog.to_jsonb(private.audit_digest(v))
  end
$$;

-- The digest of one row's content (see the header for the canonical form).
create function private.audit_content(l public.audit_log) returns text
language sql stable
as $$
  select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_object(
    'id', l.id,
    'at', pg_catalog.to_char(l.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'actor_id', l.actor_id,
    'action', l.action,
    'table_name', l.table_name,
    'row_id', l.row_id,
    'before', private.audit_digests(l.before),
    'after', private.audit_digests(l.after),
    'detail', private.audit_digests(l.detail))::pg_catalog.text, 'UTF8')), 'hex')
$$;

-- One link: hash = sha256(prev_hash || newline || content digest).
create function private.audit_link(p_prev text, p_content text) returns text
language sql immutable
as $$
  select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_prev || E'\n' || p_content, 'UTF8')), 'hex')
$$;

-- Whatever an inserting function put in the chain columns is discarded: only the commit-time
-- trigger below sets them.
create function private.audit_log_before_insert() returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  new.seq := null;
  new.prev_hash := null;
  new.hash := null;
  return new;
end
$$;
create trigger audit_log_before_insert before insert on public.audit_log
  for each row execute function private.audit_log_before_insert();

-- Numbers and links every row not yet in the chain, in insertion order, after the current head:
-- the content digests in one set-based pass, the (cheap) links in a loop, one UPDATE.
create function private.audit_chain_pending() returns void
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
declare v_seq bigint; v_hash text; v_ids bigint[]; v_content text[]; v_prev text[]; v_hashes text[];
begin
  select h.seq, h.hash into v_seq, v_hash from private.audit_chain_head h for update;
  select array_agg(l.id order by l.id), array_agg(private.audit_content(l) order by l.id)
    into v_ids, v_content
  from public.audit_log l where l.seq is null;
  if v_ids is null then
    return;
  end if;
  v_prev := array_fill(null::text, array[cardinality(v_ids)]);
  v_hashes := v_prev;
  for i in 1 .. cardinality(v_ids) loop
    v_prev[i] := v_hash;
    v_hash := private.audit_link(v_hash, v_content[i]);
    v_hashes[i] := v_hash;
  end loop;
  update public.audit_log l set seq = v_seq + u.n, prev_hash = u.p, hash = u.h
  from unnest(v_ids, v_prev, v_hashes) with ordinality as u(id, p, h, n)
  where l.id = u.id;
  update private.audit_chain_head set seq = v_seq + cardinality(v_ids), hash = v_hash;
end
$$;
revoke execute on function private.audit_chain_pending() from public;

-- At commit. The first firing of a transaction chains all its rows; the others find theirs done.
create function private.audit_chain() returns trigger
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
begin
  if exists (select 1 from public.audit_log where id = new.id and seq is null) then
    perform private.audit_chain_pending();
  end if;
  return null;
end
$$;
revoke execute on function private.audit_chain() from public;
create constraint trigger audit_log_chain after insert on public.audit_log
  deferrable initially deferred
  for each row execute function private.audit_chain();

-- ---------------------------------------------------------------------------------------------
-- Verification. Walks the chain from entry p_after_seq + 1 (whose predecessor's hash is
-- p_prev_hash) for at most p_limit entries (all when NULL), so the command line can check a
-- large log in short calls. The answer:
--   {ok, checked, last_seq, last_hash, done, problem}
-- where problem (the first one found) is {kind: changed|missing|reordered|unchained|truncated,
-- seq, id, at, action, table_name, message}. When the walk reaches the end it also checks that
-- no committed row sits outside the chain and that the chain ends where its head says.
-- Admins and the Terrain server only.
create function public.audit_verify(
  p_after_seq bigint default 0,
  p_prev_hash text default null,
  p_limit integer default null
) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare
  r public.audit_log;
  v_prev text := coalesce(p_prev_hash, repeat('0', 64));
  v_expect bigint := coalesce(p_after_seq, 0) + 1;
  v_checked bigint := 0;
  v_problem jsonb;
  v_head private.audit_chain_head;
  v_done boolean := true;
begin
  if coalesce((select auth.role()), '') <> 'service_role' and not public.has_app_role('admin') then
    raise exception 'only admins may verify the audit log' using errcode = '42501';
  end if;
  if coalesce(p_after_seq, 0) > 0 and p_prev_hash is null then
    raise exception 'prev_hash: give the hash of entry % to continue from it', p_after_seq using errcode = '22023';
  end if;
  for r in select * from public.audit_log l where l.seq >= v_expect order by l.seq loop
    if p_limit is not null and v_checked >= p_limit then
      v_done := false;
      exit;
    end if;
    if r.seq <> v_expect then
      v_problem := jsonb_build_object('kind', 'missing', 'seq', v_expect, 'id', null,
        'message', format('entry %s is missing: the chain jumps from %s to %s (id %s)', v_expect, v_expect - 1, r.seq, r.id));
    elsif r.hash is distinct from private.audit_link(r.prev_hash, private.audit_content(r)) then
      v_problem := jsonb_build_object('kind', 'changed', 'seq', r.seq, 'id', r.id,
        'message', format('entry %s (id %s, %s %s at %s) was changed: its content does not match its hash', r.seq, r.id, r.action, coalesce(r.table_name, '-'), r.at));
    elsif r.prev_hash is distinct from v_prev then
      v_problem := jsonb_build_object('kind', 'reordered', 'seq', r.seq, 'id', r.id,
        'message', format('entry %s (id %s, %s %s at %s) is out of order: it does not follow entry %s', r.seq, r.id, r.action, coalesce(r.table_name, '-'), r.at, r.seq - 1));
    end if;
    exit when v_problem is not null;
    v_checked := v_checked + 1;
    v_prev := r.hash;
    v_expect := v_expect + 1;
  end loop;

  if v_problem is null and v_done then
    select * into v_head from private.audit_chain_head;
    select * into r from public.audit_log l where l.seq is null order by l.id limit 1;
    if r.id is not null then
      v_problem := jsonb_build_object('kind', 'unchained', 'seq', null, 'id', r.id,
        'message', format('entry id %s (%s %s at %s) is not in the chain: it was inserted around the audit triggers', r.id, r.action, coalesce(r.table_name, '-'), r.at));
    elsif v_head.seq > v_expect - 1 then
      v_problem := jsonb_build_object('kind', 'missing', 'seq', v_expect, 'id', null,
        'message', format('entries %s to %s are missing: the chain ends at %s', v_expect, v_head.seq, v_expect - 1));
    elsif v_head.seq < v_expect - 1 or v_head.hash <> v_prev then
      v_problem := jsonb_build_object('kind', 'changed', 'seq', v_expect - 1, 'id', null,
        'message', format('the chain head (entry %s) does not match the last entry %s', v_head.seq, v_expect - 1));
    end if;
  end if;
  return jsonb_build_object('ok', v_problem is null, 'checked', v_checked,
    'last_seq', v_expect - 1, 'last_hash', v_prev, 'done', v_done or v_problem is not null,
    'problem', v_problem);
end
$$;
revoke execute on function public.audit_verify(bigint, text, integer) from public, anon;
grant execute on function public.audit_verify(bigint, text, integer) to authenticated, service_role;

-- The signed-in user's own profile, for the app shell.
create function public.me() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(u) - 'assigned_areas' || jsonb_build_object('assigned_areas', u.assigned_areas)
  from public.app_users u where u.id = (select auth.uid())
$$;

-- Admin screens: list users (RLS shows the whole list to admins only).
create function public.users_list() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(to_jsonb(u) order by u.email), '[]'::jsonb) from public.app_users u
$$;


-- Local accounts, sessions and API tokens for the embedded and self-hosted PostgreSQL modes.
-- (On a Supabase project, Supabase Auth owns sign-in; these tables then stay empty.)
--
-- Secrets are never stored: passwords as scrypt hashes made by the server, session and API tokens
-- as SHA-256 digests of random 256-bit values. Everything here lives in schema `private`, which
-- neither anon nor authenticated can use and PostgREST does not expose. The server calls these
-- functions as the service (claims role = service_role); each checks that before doing anything.

create function private.require_service() returns boolean
language plpgsql stable
as $$
begin
  if coalesce((select auth.role()), 'anon') <> 'service_role' then
    raise exception 'only the Terrain server may call this' using errcode = '42501';
  end if;
  return true;
end
$$;

create table private.credentials (
  user_id        uuid primary key references public.app_users (id) on delete cascade,
  password_hash  text not null,
  changed_at     timestamptz not null default now(),
  -- Passwords that must be changed: the first admin's generated one-time password, and any
  -- password an admin sets for someone else. Until it is changed, the session is good for nothing
  -- but choosing a new password (the server enforces that in hooks.server.ts).
  must_change    boolean not null default false
);

create table private.sessions (
  token_hash   text primary key,
  user_id      uuid not null references public.app_users (id) on delete cascade,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now(),
  revoked_at   timestamptz,
  user_agent   text
);

create index sessions_user_idx on private.sessions (user_id);


create table public.api_tokens (
  id            uuid primary key default gen_random_uuid(),
  user_id       uuid not null references public.app_users (id) on delete cascade,
  name          text not null check (length(name) between 1 and 100),
  -- First characters of the token, shown so a user can tell tokens apart.
  prefix        text not null,
  token_hash    text not null unique,
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  -- Added by 20261203135000_auth_hardening: tokens expire (90 days unless chosen).
  expires_at    timestamptz not null default now() + interval '90 days'
);

alter table public.api_tokens enable row level security;

create policy "Users can read their own tokens" on public.api_tokens
  for select to authenticated using (user_id = (select auth.uid()));

create policy "Admins can read every token" on public.api_tokens
  for select to authenticated using ((select public.has_app_role('admin')));

create policy "Users can create tokens for themselves" on public.api_tokens
  for insert to authenticated with check (user_id = (select auth.uid()) and (select public.current_app_role()) is not null);

create policy "Users can revoke their own tokens" on public.api_tokens
  for update to authenticated using (user_id = (select auth.uid()) or (select public.has_app_role('admin')));

-- The digest column is not readable by users: column privileges, not only row policies.
grant select (id, user_id, name, prefix, created_at, last_used_at, revoked_at) on public.api_tokens to authenticated;

grant insert (user_id, name, prefix, token_hash) on public.api_tokens to authenticated;

grant update (revoked_at) on public.api_tokens to authenticated;

create trigger api_tokens_audit after insert or update or delete on public.api_tokens
  for each row execute function private.audit_row();

-- ---------------------------------------------------------------------------------------------
-- Server-only functions

create function private.account_upsert(p_email text, p_role text, p_display_name text, p_password_hash text)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare u public.app_users;
begin
  perform private.require_service();
  insert into public.app_users (email, role, display_name)
  values (lower(trim(p_email)), p_role, coalesce(p_display_name, ''))
  on conflict (email) do update set role = excluded.role, disabled = false
  returning * into u;
  if p_password_hash is not null then
    insert into private.credentials (user_id, password_hash) values (u.id, p_password_hash)
    on conflict (user_id) do update set password_hash = excluded.password_hash, changed_at = now();
  end if;
  return to_jsonb(u);
end
$$;


create function private.account_credentials(p_email text) returns jsonb
language sql stable
set search_path = public, private, pg_temp
as $$
  select jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'disabled', u.disabled,
                            'password_hash', c.password_hash)
  from public.app_users u
  left join private.credentials c on c.user_id = u.id
  where u.email = lower(trim(p_email)) and (select private.require_service())
$$;

create function private.account_count() returns jsonb
language sql stable
set search_path = public, private, pg_temp
as $$
  select jsonb_build_object('users', count(*), 'admins', count(*) filter (where role = 'admin' and not disabled))
  from public.app_users where (select private.require_service())
$$;








-- ---------------------------------------------------------------------------------------------
-- Functions users call about their own account






create function private.account_require_change(p_email text) returns void
language sql volatile
set search_path = public, private, pg_temp
as $$
  update private.credentials c set must_change = true
  from public.app_users u
  where u.id = c.user_id and u.email = lower(trim(p_email)) and (select private.require_service())
$$;


-- ---------------------------------------------------------------------------------------------
-- The audit log for admins, filtered by time, user, action, table and row, newest first, paged;
-- with the values the filters can take. Non-admins are refused (RLS would show them nothing).
-- Volatile (20261203120100_audit_need_to_know): rows about contacts carry the contacts' personal
-- data, so reading them is a contact read like any other: the call notes ('read', 'contacts',
-- {via: 'audit_log', ids}) for the contacts on the page it returns, and shows their personal
-- fields only to a caller the contacts policies would show the contact to (admins today, as the
-- log itself is admin-only; redacted fields stay redacted).
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

-- The areas a field user works in decide which contacts they see; admins assign them. (The users
-- page and `terrain user add` can call this; until then an admin can call it through the seam.)
create function public.user_set_areas(p_user_id uuid, p_areas text[]) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare v_bad text; r public.app_users;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may assign areas' using errcode = '42501';
  end if;
  select x into v_bad from unnest(coalesce(p_areas, '{}')) x where not exists (select 1 from public.areas a where a.pcode = x) limit 1;
  if v_bad is not null then
    raise exception 'areas: unknown P-code %', v_bad using errcode = '22023';
  end if;
  update public.app_users set assigned_areas = coalesce((select array_agg(distinct x order by x) from unnest(p_areas) x), '{}')
  where id = p_user_id returning * into r;
  if r.id is null then
    raise exception 'user not found' using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', r.id, 'email', r.email, 'assigned_areas', r.assigned_areas);
end
$$;
revoke execute on function public.user_set_areas(uuid, text[]) from public, anon;
grant execute on function public.user_set_areas(uuid, text[]) to authenticated;

-- A field user's areas from the command line (`terrain user add … --areas`, `terrain user areas`),
-- for the Terrain server's service role like the other private.account_* functions. The admin
-- users page and the API use public.user_set_areas (admins only) instead; both refuse an
-- unknown P-code before changing anything, naming it.

-- The areas for a list of P-codes, with their names, or an error naming the first unknown one.
create function private.areas_check(p_areas text[]) returns jsonb
language plpgsql stable
set search_path = public, private, pg_temp
as $$
declare v_bad text;
begin
  perform private.require_service();
  select x into v_bad from unnest(coalesce(p_areas, '{}')) with ordinality as u(x, o)
  where not exists (select 1 from public.areas a where a.pcode = x) order by o limit 1;
  if v_bad is not null then
    raise exception 'areas: unknown P-code %', v_bad using errcode = '22023';
  end if;
  return coalesce((select jsonb_agg(jsonb_build_object('pcode', a.pcode, 'level', a.level, 'name_en', a.name_en,
                                                       'name_ar', a.name_ar) order by a.pcode)
                   from public.areas a where a.pcode = any (p_areas)), '[]'::jsonb);
end
$$;
revoke all on function private.areas_check(text[]) from public;

-- Replaces the areas of the user with this e-mail address (an empty list: none).
create function private.account_set_areas(p_email text, p_areas text[]) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare u public.app_users; v_areas jsonb;
begin
  perform private.require_service();
  v_areas := private.areas_check(p_areas);
  update public.app_users
     set assigned_areas = coalesce((select array_agg(distinct x order by x) from unnest(p_areas) x), '{}')
   where email = lower(trim(p_email))
  returning * into u;
  if u.id is null then
    raise exception 'no user with email %', p_email using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'areas', v_areas);
end
$$;
revoke all on function private.account_set_areas(text, text[]) from public;

-- Idempotency keys. Idempotent creates: a client that did not get an answer (timeout, server restart, offline outbox)
-- sends the same request again with the same Idempotency-Key and gets the first answer back,
-- without a second row. The server's database seam calls idempotency_begin, the create itself and
-- idempotency_finish in ONE transaction: either the create and its remembered answer are both
-- committed, or neither is, so a server killed between commit and reply replays correctly.
-- Keys are per user and kept 24 hours.

create table private.idempotency_keys (
  -- auth.uid() of the caller; the nil uuid for the server's own (service) calls.
  user_id       uuid not null,
  key           text not null check (length(key) between 1 and 200),
  -- sha256 of the function name and its arguments: the same key with another request is refused.
  request_hash  text not null,
  -- The create's result, returned again on a retry. NULL only inside the creating transaction.
  response      jsonb,
  created_at    timestamptz not null default now(),
  primary key (user_id, key)
);
create index idempotency_keys_created_idx on private.idempotency_keys (created_at);
alter table private.idempotency_keys enable row level security;
-- Nobody reads or writes the table directly (schema private is closed to the app roles); the two
-- security-definer functions below do. The policy documents who a row belongs to.
create policy "Users can read their own idempotency records" on private.idempotency_keys
  for select to authenticated using (user_id = (select auth.uid()));

-- NULL when the key is new (the caller goes on to create, then calls idempotency_finish), or
-- {"response": …} with the first answer. The same key with a different request raises P0422
-- (answered 422). On PostgreSQL a concurrent first use of the key waits on the primary key
-- until the first transaction ends, then sees its answer.
create function public.idempotency_begin(p_key text, p_request_hash text) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare
  v_user uuid := coalesce((select auth.uid()), '00000000-0000-0000-0000-000000000000');
  v_row private.idempotency_keys;
begin
  if p_key is null or length(p_key) not between 1 and 200 then
    raise exception 'Idempotency-Key must be 1 to 200 characters' using errcode = '22023';
  end if;
  delete from private.idempotency_keys where created_at < now() - interval '24 hours';
  insert into private.idempotency_keys (user_id, key, request_hash)
  values (v_user, p_key, p_request_hash)
  on conflict (user_id, key) do nothing;
  if found then
    return null;
  end if;
  select * into v_row from private.idempotency_keys where user_id = v_user and key = p_key;
  if v_row.request_hash <> p_request_hash then
    raise exception 'this Idempotency-Key was already used for a different request'
      using errcode = 'P0422';
  end if;
  return jsonb_build_object('response', v_row.response);
end
$$;

create function public.idempotency_finish(p_key text, p_response jsonb) returns void
language sql volatile security definer
set search_path = public, private, pg_temp
as $$
  update private.idempotency_keys set response = coalesce(p_response, 'null'::jsonb)
  where user_id = coalesce((select auth.uid()), '00000000-0000-0000-0000-000000000000')
    and key = p_key
$$;

revoke all on function public.idempotency_begin(text, text) from public;
revoke all on function public.idempotency_finish(text, jsonb) from public;
grant execute on function public.idempotency_begin(text, text) to authenticated;
grant execute on function public.idempotency_finish(text, jsonb) to authenticated;

-- Sign-in and sessions, hardened (issue #7 / 10, point 6).
--
-- * Throttling is a limit kept here, not a sleep in one process: per account and per client
--   address, a window of allowed failures, then a lock-out that doubles each time. The counters
--   are taken under a row lock BEFORE the password is checked, so parallel guesses queue and
--   cannot slip past the limit, and a refused attempt is answered at once (429, Retry-After).
-- * Sessions end after an idle time as well as at their absolute expiry.
-- * API tokens expire, can be revoked all at once, and die with a password change when asked.
-- * Users are added, re-enabled and given a role by separate, explicit calls.
-- * Every one of these events leaves a row in public.audit_log with a fixed action name
--   ('auth.*') and its actor, written only by the functions below (never by a function that
--   lets a caller choose what is written).

-- ---------------------------------------------------------------------------------------------
-- Audit rows for auth events. Private: only these functions (running as the owner) call it.

create function private.auth_audit(p_action text, p_actor uuid, p_row_id uuid, p_detail jsonb)
returns void
language sql volatile
set search_path = public, private, pg_temp
as $$
  insert into public.audit_log (actor_id, action, table_name, row_id, detail)
  values (p_actor, p_action, 'app_users', p_row_id::text, coalesce(p_detail, '{}'::jsonb))
$$;
revoke all on function private.auth_audit(text, uuid, uuid, jsonb) from public;

-- ---------------------------------------------------------------------------------------------
-- Throttling


-- One row per key: 'account:<email>' or 'address:<client address>'. `failures` counts attempts
-- not yet proven good, in-flight ones included: an attempt is counted when it starts, and
-- un-counted only when its password turns out right.
create table private.signin_throttle (
  key           text primary key,
  failures      integer not null default 0,
  window_start  timestamptz not null default now(),
  locked_until  timestamptz,
  -- Lock-outs in a row; each lasts twice the one before. Reset by a good sign-in (accounts) or
  -- after a day without one.
  lockouts      integer not null default 0
);

-- The rules, in one place: failures allowed per window, the window, the first lock and the cap.
create function private.signin_rules(p_key text) returns jsonb
language sql immutable
as $$
  select jsonb_build_object(
    'limit', case when p_key like 'account:%' then 5 else 20 end,
    'window_s', 15 * 60,
    'lock_s', 5 * 60,
    'max_lock_s', 24 * 3600)
$$;

-- Starts a lock-out on a locked row (the caller holds its row lock); returns the seconds to wait.
create function private.signin_lock(p_row private.signin_throttle) returns integer
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare
  rules jsonb := private.signin_rules(p_row.key);
  n integer := case when p_row.locked_until < now() - interval '1 day' then 0 else p_row.lockouts end;
  secs integer := least((rules ->> 'lock_s')::int * power(2, least(n, 20))::bigint,
                        (rules ->> 'max_lock_s')::int);
begin
  update private.signin_throttle
  set locked_until = now() + make_interval(secs => secs), lockouts = n + 1,
      failures = 0, window_start = now()
  where key = p_row.key;
  perform private.auth_audit('auth.sign_in_locked', null, null,
    jsonb_build_object('key', p_row.key, 'seconds', secs, 'lockouts', n + 1));
  return secs;
end
$$;

-- Called before the password is checked. Either counts this attempt against both keys and
-- answers {"ok": true}, or changes no count and answers {"ok": false, "retry_after": seconds}.
create function private.signin_reserve(p_account text, p_address text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare
  keys text[] := array['account:' || lower(trim(p_account)), 'address:' || coalesce(p_address, '')];
  r private.signin_throttle;
  rules jsonb;
  wait_s integer := 0;
begin
  perform private.require_service();
  insert into private.signin_throttle (key) select k from unnest(keys) k order by k
  on conflict (key) do nothing;
  -- Row locks in a fixed order: parallel attempts on the same keys queue here, one at a time.
  for r in select * from private.signin_throttle where key = any (keys) order by key for update loop
    rules := private.signin_rules(r.key);
    if r.locked_until > now() then
      wait_s := greatest(wait_s, ceil(extract(epoch from r.locked_until - now()))::int);
    elsif r.window_start > now() - make_interval(secs => (rules ->> 'window_s')::int)
          and r.failures >= (rules ->> 'limit')::int then
      wait_s := greatest(wait_s, private.signin_lock(r));
    end if;
  end loop;
  if wait_s > 0 then
    return jsonb_build_object('ok', false, 'retry_after', greatest(wait_s, 1));
  end if;
  update private.signin_throttle t
  set failures = case when t.window_start <= now() - make_interval(secs => (private.signin_rules(t.key) ->> 'window_s')::int)
                      then 1 else t.failures + 1 end,
      window_start = case when t.window_start <= now() - make_interval(secs => (private.signin_rules(t.key) ->> 'window_s')::int)
                          then now() else t.window_start end
  where t.key = any (keys);
  return jsonb_build_object('ok', true);
end
$$;

-- Called after the password check. A good sign-in clears its account's counter and un-counts its
-- own attempt on the address (and nothing more: other accounts' failures from that address
-- stay). A failure stays counted, starts a lock-out when it filled the window, and is logged.
create function private.signin_finish(p_account text, p_address text, p_success boolean,
                                      p_user_id uuid)
returns void
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare
  acct text := 'account:' || lower(trim(p_account));
  addr text := 'address:' || coalesce(p_address, '');
  r private.signin_throttle;
begin
  perform private.require_service();
  if p_success then
    update private.signin_throttle set failures = 0, lockouts = 0, locked_until = null
    where key = acct;
    update private.signin_throttle set failures = greatest(failures - 1, 0) where key = addr;
    return;
  end if;
  for r in select * from private.signin_throttle where key in (acct, addr) order by key for update loop
    if r.failures >= (private.signin_rules(r.key) ->> 'limit')::int
       and (r.locked_until is null or r.locked_until <= now()) then
      perform private.signin_lock(r);
    end if;
  end loop;
  perform private.auth_audit('auth.sign_in_failed', null, p_user_id,
    jsonb_build_object('email', lower(trim(p_account)), 'address', p_address));
  -- Old rows are of no use: a day after their window and lock-out.
  delete from private.signin_throttle
  where window_start < now() - interval '2 days' and coalesce(locked_until, '-infinity') < now() - interval '1 day';
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Sessions: absolute and idle expiry, and sign-in / sign-out in the audit log

-- As before (20261122000200), plus the audit row of the sign-in.
create function private.session_create(p_user_id uuid, p_token_hash text, p_ttl_seconds integer,
                                       p_user_agent text, p_address text default null)
returns void
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  insert into private.sessions (token_hash, user_id, expires_at, user_agent)
  values (p_token_hash, p_user_id, now() + make_interval(secs => p_ttl_seconds), left(p_user_agent, 300));
  delete from private.sessions where expires_at < now() - interval '7 days';
  perform private.auth_audit('auth.sign_in', p_user_id, p_user_id,
    jsonb_build_object('address', p_address, 'user_agent', left(p_user_agent, 300)));
end
$$;

-- The user behind a live session, or null. Live = not revoked, before its absolute expiry, and
-- used within the last p_idle_seconds. Activity moves last_seen_at at most once a minute (or
-- once a tenth of the idle time, when that is shorter) to spare writes. Replaces the one-argument
-- version of 20261122000700 (same result, plus the idle rule). Also says until when the answer
-- holds (expires_at, last_seen_at) for the embedded engine's session cache (20261216200000).
create function private.session_user(p_token_hash text, p_idle_seconds integer default 8 * 3600)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare
  r jsonb;
  idle interval := make_interval(secs => p_idle_seconds);
begin
  perform private.require_service();
  update private.sessions s set last_seen_at = now()
  where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > now()
    and s.last_seen_at > now() - idle
    and s.last_seen_at < now() - least(interval '1 minute', idle / 10);
  select jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'display_name', u.display_name,
                            'must_change', coalesce(c.must_change, false),
                            'expires_at', s.expires_at, 'last_seen_at', s.last_seen_at)
    into r
  from private.sessions s
  join public.app_users u on u.id = s.user_id
  left join private.credentials c on c.user_id = u.id
  where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > now()
    and s.last_seen_at > now() - idle and not u.disabled;
  return r;
end
$$;

-- As before (20261122000200), plus the audit row of the sign-out (only for a live session).
create or replace function private.session_revoke(p_token_hash text) returns void
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare uid uuid;
begin
  perform private.require_service();
  update private.sessions set revoked_at = now()
  where token_hash = p_token_hash and revoked_at is null
  returning user_id into uid;
  if uid is not null then
    perform private.auth_audit('auth.sign_out', uid, uid, '{}'::jsonb);
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- API tokens: expiry, bulk revocation, audit

grant select (expires_at) on public.api_tokens to authenticated;

-- The user behind a token that is neither revoked nor expired (20261122000200 + expiry), with its
-- expires_at and last_used_at for the session cache (20261216200000).
create or replace function private.token_user(p_token_hash text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  update public.api_tokens t set last_used_at = now()
  where t.token_hash = p_token_hash and t.revoked_at is null and t.expires_at > now()
    and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');
  select jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'display_name', u.display_name,
                            'token_id', t.id, 'expires_at', t.expires_at, 'last_used_at', t.last_used_at)
    into r
  from public.api_tokens t join public.app_users u on u.id = t.user_id
  where t.token_hash = p_token_hash and t.revoked_at is null and t.expires_at > now() and not u.disabled;
  return r;
end
$$;

create function private.token_expiry(p_days integer) returns timestamptz
language plpgsql stable
as $$
begin
  if p_days is null or p_days < 1 or p_days > 366 then
    raise exception 'expires_in_days: between 1 and 366' using errcode = '22023';
  end if;
  return now() + make_interval(days => p_days);
end
$$;

-- The caller's own tokens, with their expiry (20261122000200 + expires_at).
create or replace function public.tokens_mine() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'prefix', prefix,
           'created_at', created_at, 'last_used_at', last_used_at, 'revoked_at', revoked_at,
           'expires_at', expires_at)
         order by created_at desc), '[]'::jsonb)
  from public.api_tokens where user_id = (select auth.uid())
$$;

-- Creates a token for the caller, valid for p_expires_days. Security definer since it writes the
-- audit row; it only ever creates a token for the caller, who must be an active user.
create function public.token_create(p_name text, p_token_hash text, p_prefix text,
                                    p_expires_days integer default 90)
returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare t public.api_tokens;
begin
  if (select public.current_app_role()) is null then
    raise exception 'only active users can create tokens' using errcode = '42501';
  end if;
  insert into public.api_tokens (user_id, name, prefix, token_hash, expires_at)
  values ((select auth.uid()), p_name, p_prefix, p_token_hash, private.token_expiry(p_expires_days))
  returning * into t;
  perform private.auth_audit('auth.token_create', t.user_id, t.user_id,
    jsonb_build_object('token_id', t.id, 'name', t.name, 'expires_at', t.expires_at));
  return jsonb_build_object('id', t.id, 'name', t.name, 'prefix', t.prefix, 'expires_at', t.expires_at);
end
$$;
revoke execute on function public.token_create(text, text, text, integer) from public, anon;
grant execute on function public.token_create(text, text, text, integer) to authenticated;

-- Revokes one token: the caller's own, or anyone's for an admin (20261122000200 + audit).
create function public.token_revoke(p_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare t public.api_tokens;
begin
  update public.api_tokens set revoked_at = now()
  where id = p_id and revoked_at is null
    and (user_id = (select auth.uid()) and (select public.current_app_role()) is not null
         or (select public.has_app_role('admin')))
  returning * into t;
  if t.id is null then
    raise exception 'token not found or not yours' using errcode = 'P0002';
  end if;
  perform private.auth_audit('auth.token_revoke', (select auth.uid()), t.user_id,
    jsonb_build_object('token_ids', jsonb_build_array(t.id)));
  return jsonb_build_object('id', p_id, 'revoked', true);
end
$$;
revoke execute on function public.token_revoke(uuid) from public, anon;
grant execute on function public.token_revoke(uuid) to authenticated;

-- Revokes every live token of a user (p_actor null: the server itself, e.g. the CLI); returns
-- how many. Shared by the functions below.
create function private.tokens_revoke_all(p_user_id uuid, p_actor uuid, p_detail jsonb)
returns integer
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare ids jsonb;
begin
  with r as (
    update public.api_tokens set revoked_at = now()
    where user_id = p_user_id and revoked_at is null
    returning id
  ) select coalesce(jsonb_agg(id), '[]'::jsonb) into ids from r;
  if jsonb_array_length(ids) > 0 then
    perform private.auth_audit('auth.token_revoke', p_actor, p_user_id,
      coalesce(p_detail, '{}'::jsonb) || jsonb_build_object('token_ids', ids));
  end if;
  return jsonb_array_length(ids);
end
$$;

-- "Revoke all my tokens" (p_user_id null), or an admin revoking all of someone's.
create function public.tokens_revoke_all(p_user_id uuid default null) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  target uuid := coalesce(p_user_id, me);
begin
  if (select public.current_app_role()) is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  if target <> me and not (select public.has_app_role('admin')) then
    raise exception 'only admins can revoke the tokens of other users' using errcode = '42501';
  end if;
  if not exists (select 1 from public.app_users where id = target) then
    raise exception 'user not found' using errcode = 'P0002';
  end if;
  return jsonb_build_object('user_id', target,
    'revoked', private.tokens_revoke_all(target, me, '{"bulk": true}'::jsonb));
end
$$;
revoke execute on function public.tokens_revoke_all(uuid) from public, anon;
grant execute on function public.tokens_revoke_all(uuid) to authenticated;

-- The CLI's `terrain token create` (20261122000200 + expiry + audit naming the local operator).
create function private.token_create_for(p_email text, p_name text, p_token_hash text,
                                         p_prefix text, p_expires_days integer default 90,
                                         p_operator text default null)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare t public.api_tokens; uid uuid;
begin
  perform private.require_service();
  select id into uid from public.app_users where email = lower(trim(p_email)) and not disabled;
  if uid is null then
    raise exception 'no active user with email %', p_email using errcode = 'P0002';
  end if;
  insert into public.api_tokens (user_id, name, prefix, token_hash, expires_at)
  values (uid, p_name, p_prefix, p_token_hash, private.token_expiry(p_expires_days)) returning * into t;
  perform private.auth_audit('auth.token_create', null, uid,
    jsonb_build_object('token_id', t.id, 'name', t.name, 'expires_at', t.expires_at,
                       'operator', p_operator, 'via', 'cli'));
  return to_jsonb(t) - 'token_hash';
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Password change: optionally revokes the user's API tokens; audited as auth.password_change
-- (replaces the three-argument version of 20261122000700, which wrote 'password_change').

create function private.password_change(p_user_id uuid, p_new_hash text, p_keep_session_hash text,
                                        p_revoke_tokens boolean default false)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare n integer := 0;
begin
  perform private.require_service();
  update private.credentials set password_hash = p_new_hash, must_change = false, changed_at = now()
  where user_id = p_user_id;
  if not found then
    raise exception 'no local account for this user' using errcode = 'P0002';
  end if;
  update private.sessions set revoked_at = now()
  where user_id = p_user_id and revoked_at is null and token_hash <> coalesce(p_keep_session_hash, '');
  if p_revoke_tokens then
    n := private.tokens_revoke_all(p_user_id, p_user_id, '{"reason": "password_change"}'::jsonb);
  end if;
  perform private.auth_audit('auth.password_change', p_user_id, p_user_id,
    jsonb_build_object('tokens_revoked', n));
  return jsonb_build_object('tokens_revoked', n);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Users: add (refusing an existing one), enable, disable, change role — from the admin UI/API
-- (actor = the admin) and from the CLI (actor = the local operator, named in detail.operator).

-- `terrain user add`: creates, never updates. 23505 when the email exists.
create function private.account_create(p_email text, p_role text, p_display_name text,
                                       p_password_hash text, p_operator text default null)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare u public.app_users;
begin
  perform private.require_service();
  if exists (select 1 from public.app_users where email = lower(trim(p_email))) then
    raise exception 'a user with email % already exists', lower(trim(p_email)) using errcode = '23505';
  end if;
  insert into public.app_users (email, role, display_name)
  values (lower(trim(p_email)), p_role, coalesce(p_display_name, '')) returning * into u;
  if p_password_hash is not null then
    insert into private.credentials (user_id, password_hash) values (u.id, p_password_hash);
  end if;
  perform private.auth_audit('auth.user_add', null, u.id,
    jsonb_build_object('email', u.email, 'role', u.role, 'operator', p_operator, 'via', 'cli'));
  return to_jsonb(u);
end
$$;

-- The one place that changes a user's role or disabled flag, and logs it. p_actor is the admin
-- (null for the CLI, whose operator goes in p_operator).
create function private.account_change(p_user_id uuid, p_role text, p_disabled boolean,
                                       p_actor uuid, p_operator text)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare
  before_u public.app_users;
  u public.app_users;
  via jsonb := case when p_operator is null then '{}'::jsonb
                    else jsonb_build_object('operator', p_operator, 'via', 'cli') end;
begin
  select * into before_u from public.app_users where id = p_user_id for update;
  if before_u.id is null then
    raise exception 'user not found' using errcode = 'P0002';
  end if;
  if p_role is not null and p_role not in ('admin', 'analyst', 'field', 'viewer') then
    raise exception 'role: one of admin, analyst, field, viewer' using errcode = '22023';
  end if;
  if p_actor is not null and p_actor = p_user_id
     and (p_disabled is true or (p_role is not null and p_role <> before_u.role)) then
    raise exception 'you cannot disable your own account or change your own role' using errcode = '22023';
  end if;
  update public.app_users
  set role = coalesce(p_role, role), disabled = coalesce(p_disabled, disabled)
  where id = p_user_id returning * into u;
  if u.role is distinct from before_u.role then
    perform private.auth_audit('auth.role_change', p_actor, u.id,
      via || jsonb_build_object('email', u.email, 'from', before_u.role, 'to', u.role));
  end if;
  if u.disabled and not before_u.disabled then
    update private.sessions set revoked_at = now() where user_id = u.id and revoked_at is null;
    perform private.tokens_revoke_all(u.id, p_actor, via || '{"reason": "user_disable"}'::jsonb);
    perform private.auth_audit('auth.user_disable', p_actor, u.id, via || jsonb_build_object('email', u.email));
  elsif before_u.disabled and not u.disabled then
    perform private.auth_audit('auth.user_enable', p_actor, u.id, via || jsonb_build_object('email', u.email));
  end if;
  return to_jsonb(u);
end
$$;

-- The CLI's user commands, by email.
create function private.account_update(p_email text, p_role text, p_disabled boolean, p_operator text)
returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare uid uuid;
begin
  perform private.require_service();
  select id into uid from public.app_users where email = lower(trim(p_email));
  if uid is null then
    raise exception 'no user with email %', lower(trim(p_email)) using errcode = 'P0002';
  end if;
  return private.account_change(uid, p_role, p_disabled, null, coalesce(p_operator, 'cli'));
end
$$;

-- `terrain user disable` (20261122000200, now through account_change so it is audited).
create or replace function private.account_disable(p_email text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  return private.account_update(p_email, null, true, null);
end
$$;

-- Admins: PATCH /users/{id} and the admin page. Merge semantics: null leaves a field as it is.
create function public.user_update(p_user_id uuid, p_role text default null, p_disabled boolean default null)
returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins can change users' using errcode = '42501';
  end if;
  return private.account_change(p_user_id, p_role, p_disabled, (select auth.uid()), null);
end
$$;
revoke execute on function public.user_update(uuid, text, boolean) from public, anon;
grant execute on function public.user_update(uuid, text, boolean) to authenticated;

-- user_set_role (20261122000100) and user_disable (20261122000200) go through the same audited
-- path; their signatures and errors stay.
create or replace function public.user_set_role(p_user_id uuid, p_role text) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'user not found or not allowed' using errcode = '42501';
  end if;
  return private.account_change(p_user_id, p_role, null, (select auth.uid()), null);
end
$$;
revoke execute on function public.user_set_role(uuid, text) from public, anon;
grant execute on function public.user_set_role(uuid, text) to authenticated;

create or replace function public.user_disable(p_user_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins can disable users' using errcode = '42501';
  end if;
  if p_user_id = (select auth.uid()) then
    raise exception 'you cannot disable your own account' using errcode = '22023';
  end if;
  return private.account_change(p_user_id, null, true, (select auth.uid()), null);
end
$$;

-- Admins adding a user (20261122000200, plus its audit row with the admin as actor).
create or replace function public.user_add(p_email text, p_role text, p_display_name text, p_password_hash text)
returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare u public.app_users;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins can add users' using errcode = '42501';
  end if;
  insert into public.app_users (email, role, display_name)
  values (lower(trim(p_email)), p_role, coalesce(p_display_name, '')) returning * into u;
  insert into private.credentials (user_id, password_hash) values (u.id, p_password_hash);
  perform private.auth_audit('auth.user_add', (select auth.uid()), u.id,
    jsonb_build_object('email', u.email, 'role', u.role));
  return to_jsonb(u);
end
$$;

-- Grants of user_add and user_disable (20261122000200), kept by their redefinitions above.
revoke execute on function public.user_add(text, text, text, text) from public, anon;
grant execute on function public.user_add(text, text, text, text) to authenticated;
revoke execute on function public.user_disable(uuid) from public, anon;
grant execute on function public.user_disable(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- The embedded engine's session cache (src/lib/server/auth/cache.ts, 20261216200000): the server
-- answers session and token look-ups and me() from memory, and forgets them all when one of these
-- triggers says that something they read has changed (NOTIFY terrain_auth, delivered at commit).

-- Activity the server answered from memory: {"sessions": {token_hash: seen_at, …},
-- "tokens": {token_hash: used_at, …}}. Moves last_seen_at / last_used_at forward only, and only
-- for sessions and tokens that were live at that moment (an idle-expired session is not revived).
create function private.auth_touch(p_seen jsonb, p_idle_seconds integer default 8 * 3600)
returns void
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare idle interval := make_interval(secs => p_idle_seconds);
begin
  perform private.require_service();
  update private.sessions s set last_seen_at = v.at
  from (select key, value::timestamptz as at
        from jsonb_each_text(coalesce(p_seen -> 'sessions', '{}'::jsonb))) v
  where s.token_hash = v.key and s.revoked_at is null and s.expires_at > v.at
    and s.last_seen_at > v.at - idle and s.last_seen_at < v.at;
  update public.api_tokens t set last_used_at = v.at
  from (select key, value::timestamptz as at
        from jsonb_each_text(coalesce(p_seen -> 'tokens', '{}'::jsonb))) v
  where t.token_hash = v.key and t.revoked_at is null and t.expires_at > v.at
    and (t.last_used_at is null or t.last_used_at < v.at);
end
$$;

-- One notification per transaction whatever the number of rows (PostgreSQL folds identical
-- notifications of a transaction into one).
create function private.auth_changed() returns trigger
language plpgsql
set search_path = public, private, pg_temp
as $$
begin
  perform pg_notify('terrain_auth', '');
  return null;
end
$$;

-- What session_user, token_user and me() read. Activity (last_seen_at, last_used_at) and new
-- sessions or tokens change no answer already given, so they notify nobody.
create trigger app_users_auth_changed after update or delete on public.app_users
  for each row execute function private.auth_changed();
create trigger app_users_auth_truncated after truncate on public.app_users
  for each statement execute function private.auth_changed();
create trigger credentials_auth_changed after insert or update or delete on private.credentials
  for each row execute function private.auth_changed();
create trigger credentials_auth_truncated after truncate on private.credentials
  for each statement execute function private.auth_changed();
create trigger sessions_auth_changed
  after update of token_hash, user_id, expires_at, revoked_at or delete on private.sessions
  for each row execute function private.auth_changed();
create trigger sessions_auth_truncated after truncate on private.sessions
  for each statement execute function private.auth_changed();
create trigger api_tokens_auth_changed
  after update of token_hash, user_id, expires_at, revoked_at or delete on public.api_tokens
  for each row execute function private.auth_changed();
create trigger api_tokens_auth_truncated after truncate on public.api_tokens
  for each statement execute function private.auth_changed();
revoke execute on function private.auth_changed() from public;
-- Only the functions are an API (20261231200000). On a Supabase project PostgREST would also
-- answer /incidents, /contacts, … and /graphql/v1 (pg_graphql, /rpc/graphql) for every table a
-- signed-in user may select: the rows the policies show, with every column. A viewer would read
-- a sensitive incident's exact lon/lat there, which the functions never give them (location
-- fuzzing), and a field user could write a table without the functions' checks. Our functions
-- need those grants (they are security invoker, so RLS holds in every mode), so the grants stay
-- and PostgREST runs this before every request (pgrst.db_pre_request): a signed-in or anonymous
-- caller may call a function of public by name (/rpc/<name>) and nothing else. The service role
-- (our server with SUPABASE_SERVICE_ROLE_KEY) passes. Outside PostgREST there is no request.path
-- and nothing to check: our own server calls the functions itself.
create function public.api_request_guard() returns void
language plpgsql stable
set search_path = pg_catalog, pg_temp
as $$
declare
  v_path text := nullif(current_setting('request.path', true), '');
  v_headers jsonb := coalesce(nullif(current_setting('request.headers', true), '')::jsonb, '{}');
begin
  if v_path is null or current_user = 'service_role' then
    return;
  end if;
  if v_path !~ '^/rpc/[A-Za-z0-9_]+$' or v_path = '/rpc/graphql' then
    raise exception 'Terrain''s API is its functions (/rpc/<name>); % is not one of them', v_path
      using errcode = '42501', hint = 'Tables are read through the functions, which apply need-to-know.';
  end if;
  -- a function of another exposed schema (graphql_public.graphql, say) is not ours
  if coalesce(v_headers ->> 'accept-profile', 'public') <> 'public'
     or coalesce(v_headers ->> 'content-profile', 'public') <> 'public' then
    raise exception 'Terrain''s API is the functions of schema public; % asked for schema %', v_path,
      coalesce(nullif(v_headers ->> 'content-profile', 'public'), v_headers ->> 'accept-profile')
      using errcode = '42501';
  end if;
end
$$;

-- Tells PostgREST to run it (its in-database configuration, read from the role it signs in as;
-- Supabase's is authenticator). Where there is no such role (PGlite, a plain PostgreSQL) there
-- is no PostgREST and nothing to set. A role this migration may not alter is named in a warning:
-- set it by hand, or the tables are open to direct reads.
create function private.api_request_guard_install() returns boolean
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    return false;
  end if;
  alter role authenticator set pgrst.db_pre_request = 'public.api_request_guard';
  perform pg_notify('pgrst', 'reload config');
  return true;
exception when insufficient_privilege then
  raise warning 'could not set pgrst.db_pre_request on role authenticator (%): run "alter role authenticator set pgrst.db_pre_request = ''public.api_request_guard''" as its owner', sqlerrm;
  return false;
end
$$;
revoke execute on function private.api_request_guard_install() from public;

select private.api_request_guard_install();
