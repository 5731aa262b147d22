-- A tamper-evident audit log that no session can silence and no app role can write to directly.
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
--    private.audit_digest and section 4). jsonb text and sha256() are the same on PostgreSQL 15
--    and PGlite (PostgreSQL 17), so a log moves between engines and stays verifiable.
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
--    but the owner has INSERT/UPDATE/DELETE on audit_log; public.audit_note is no longer
--    executable by app roles; the app's own functions note reads, exports, imports and merges
--    through public.audit_record, a definer function that accepts only a fixed set of actions,
--    writes the caller's own auth.uid() and refuses callers without an enabled account.
--    Refused requests are noted through public.audit_refused (fixed action 'refused').
--    The session switch `set local terrain.audit = 'off'` is gone: the row trigger no longer
--    reads any setting. The demo-data loaders, which must not copy thousands of public records
--    into the trail, pause the row trigger for their own transaction by a row in
--    private.audit_pause — a table in schema private that app roles cannot even see — and write
--    one summary row; every other writer stays audited.
--
-- 3. Who writes auth events (sign-in, sign-out, password and role changes, tokens): their own
--    definer functions, with a plain
--      insert into public.audit_log (actor_id, action, table_name, row_id, detail) values (...)
--    Nothing else is needed: seq, prev_hash and hash are filled in at commit. Personal data in
--    detail (an e-mail on a failed sign-in) should sit in its own top-level key, so it can be
--    redacted later like any other field.
--
-- 4. Redaction (data responsibility). Deleting a contact keeps the fact of the deletion (action,
--    table, row id, who, when) but replaces its personal fields in every earlier audit row —
--    the contact's own rows and its phones' rows — with "[redacted sha256:<digest>]". The chain
--    stays verifiable because the hash covered the digests all along.

-- ---------------------------------------------------------------------------------------------
-- Writers: nobody but the owner, whatever the platform's default privileges say (Supabase grants
-- everything in schema public to anon and authenticated by default; RLS already refused writes,
-- this refuses them a second time).
revoke insert, update, delete, truncate on public.audit_log from public, anon, authenticated;
revoke execute on function public.audit_note(text, text, jsonb) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
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

-- The row trigger for every audited table, as in 20261122000100 but without the session switch:
-- only a pause row written by the owner (private.audit_pause) skips it.
create or replace function private.audit_row() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if private.audit_paused() then
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

-- The seed loaders' begin/end (20261122000600) with the pause row instead of the setting. The
-- returned text is what seed_end needs to restore: 'paused' when this call paused auditing,
-- '' when the transaction was already paused by an enclosing loader.
create or replace function private.seed_begin(p_rows jsonb, p_source text) returns text
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception 'rows must be a JSON array' using errcode = '22023';
  end if;
  if p_source is null or p_source !~ '^[a-z0-9][a-z0-9._-]*$' then
    raise exception 'source must be a short lower-case name such as ucdp-ged (got %)', p_source
      using errcode = '22023';
  end if;
  if private.audit_paused() then
    return '';
  end if;
  insert into private.audit_pause (xid) values (txid_current());
  return 'paused';
end
$$;

create or replace function private.seed_end(p_prev text, p_table text, p_source text, p_stats jsonb) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  if p_prev = 'paused' then
    delete from private.audit_pause where xid = txid_current();
  end if;
  insert into public.audit_log (actor_id, action, table_name, detail)
  values ((select auth.uid()), 'seed', p_table,
          jsonb_build_object('rows', p_stats -> 'rows', 'source', p_source) || p_stats);
  return p_stats || jsonb_build_object('table', p_table, 'source', p_source);
end
$$;

-- ---------------------------------------------------------------------------------------------
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

-- Every security-invoker function that called audit_note (contacts reads and exports, incident
-- and site exports, imports, merges — 11 functions in 20261122001000…2005) now calls
-- audit_record instead, with the same arguments: their bodies are taken from the catalogue and
-- re-created with that one name changed, so nothing else in them can drift from the migrations
-- that defined them. Functions that later migrations define must call audit_record themselves.
do $$
declare f record; v_def text; n int := 0;
begin
  for f in
    select p.oid from pg_catalog.pg_proc p join pg_catalog.pg_namespace s on s.oid = p.pronamespace
    where s.nspname in ('public', 'sensitive', 'private') and not p.prosecdef
      and p.prosrc like '%public.audit_note(%'
  loop
    v_def := replace(pg_catalog.pg_get_functiondef(f.oid), 'public.audit_note(', 'public.audit_record(');
    execute v_def;
    n := n + 1;
  end loop;
  if n < 11 then
    raise exception 'expected at least 11 callers of audit_note to move to audit_record, found %', n;
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The chain.
alter table public.audit_log
  add column seq bigint unique,
  add column prev_hash text,
  add column hash text;
-- The rows a committing transaction still has to number.
create index audit_log_unchained_idx on public.audit_log (id) where seq is null;

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

-- The rows written before this migration join the chain now, in insertion order.
select private.audit_chain_pending();

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

-- ---------------------------------------------------------------------------------------------
-- Redaction when a contact is deleted: its personal fields leave every earlier audit row (its
-- own insert/update/delete rows and those of its phones), replaced by their digest marker, so
-- the fact and time of each change stay on record and the chain still verifies. A deferred
-- trigger, so it runs at commit, after the deletion's own audit rows and those of the phones the
-- delete cascades to: they are redacted too. (Whether the chain trigger numbered those rows
-- before or after makes no difference: a marker hashes as the value it replaced.)
create function private.audit_redact(v jsonb, p_keys text[]) returns jsonb
language sql immutable
set search_path = pg_catalog, private, pg_temp
as $$
  select case when v is null or jsonb_typeof(v) <> 'object' then v else
    coalesce((select jsonb_object_agg(e.key,
                case when e.key = any (p_keys) and jsonb_typeof(e.value) <> 'null'
                     then to_jsonb('[redacted sha256:' || private.audit_digest(e.value) || ']')
                     else e.value end)
              from jsonb_each(v) e), '{}'::jsonb) end
$$;

create function private.contact_redact_audit() returns trigger
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
declare
  c_keys constant text[] := array['full_name', 'name_ar', 'role_title', 'call_sign', 'messaging', 'notes'];
  p_keys constant text[] := array['number', 'label'];
begin
  update public.audit_log l
     set before = private.audit_redact(l.before, c_keys), after = private.audit_redact(l.after, c_keys)
   where l.table_name = 'contacts' and l.row_id = old.id::text;
  update public.audit_log l
     set before = private.audit_redact(l.before, p_keys), after = private.audit_redact(l.after, p_keys)
   where l.table_name = 'contact_phones'
     and (l.before ->> 'contact_id' = old.id::text or l.after ->> 'contact_id' = old.id::text);
  return old;
end
$$;
revoke execute on function private.contact_redact_audit() from public;
create constraint trigger contacts_redact_audit after delete on sensitive.contacts
  deferrable initially deferred
  for each row execute function private.contact_redact_audit();
