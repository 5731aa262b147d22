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

drop function private.login_attempt(text, boolean);
drop function private.login_succeeded(text);
drop table private.login_failures;

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
drop function private.session_create(uuid, text, integer, text);
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
-- version of 20261122000700 (same result, plus the idle rule).
drop function private.session_user(text);
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
                            'must_change', coalesce(c.must_change, false))
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

alter table public.api_tokens add column expires_at timestamptz;
-- Tokens made before expiry existed get the default lifetime from now, not eternity.
update public.api_tokens set expires_at = now() + interval '90 days' where expires_at is null;
alter table public.api_tokens alter column expires_at set not null;
alter table public.api_tokens alter column expires_at set default now() + interval '90 days';
grant select (expires_at) on public.api_tokens to authenticated;

-- The user behind a token that is neither revoked nor expired (20261122000200 + expiry).
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
                            'token_id', t.id)
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
drop function public.token_create(text, text, text);
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
drop function public.token_revoke(uuid);
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
drop function private.token_create_for(text, text, text, text);
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

drop function private.password_change(uuid, text, text);
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
