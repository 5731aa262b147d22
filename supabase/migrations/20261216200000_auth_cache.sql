-- The embedded engine's session cache (issue 16 point 5; src/lib/server/auth/cache.ts).
--
-- PGlite runs one call at a time, so a request's session look-up and /me's own call waited
-- behind the map call that was running. The server now keeps what these calls answered and
-- answers from memory, which is only correct if it hears of every change that could alter the
-- answer before the change's own call returns. These triggers NOTIFY terrain_auth on every such
-- change (PostgreSQL delivers it when the transaction commits; PGlite, to its only session, in
-- the same reply); the server then forgets everything it kept.
--
-- session_user and token_user also say until when their answer holds without the database
-- (absolute expiry, last activity), so the server applies the same expiry and idle rules itself,
-- and auth_touch writes the activity it saw in batches, as the two functions' own throttled
-- updates did.

create or replace function private.session_user(p_token_hash text, p_idle_seconds integer default 8 * 3600)
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
