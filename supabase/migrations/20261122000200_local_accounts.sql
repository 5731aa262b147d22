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
  changed_at     timestamptz not null default now()
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

-- Failed sign-ins per key (email and client address), to slow down guessing.
create table private.login_failures (
  key  text not null,
  at   timestamptz not null default now()
);
create index login_failures_key_idx on private.login_failures (key, at);

create table public.api_tokens (
  id            uuid primary key default gen_random_uuid(),
  user_id       uuid not null references public.app_users (id) on delete cascade,
  name          text not null check (length(name) between 1 and 100),
  -- First characters of the token, shown so a user can tell tokens apart.
  prefix        text not null,
  token_hash    text not null unique,
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
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

create function private.account_disable(p_email text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare u public.app_users;
begin
  perform private.require_service();
  update public.app_users set disabled = true where email = lower(trim(p_email)) returning * into u;
  if u.id is null then
    raise exception 'no user with email %', p_email using errcode = 'P0002';
  end if;
  update private.sessions set revoked_at = now() where user_id = u.id and revoked_at is null;
  update public.api_tokens set revoked_at = now() where user_id = u.id and revoked_at is null;
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

create function private.session_create(p_user_id uuid, p_token_hash text, p_ttl_seconds integer, p_user_agent text)
returns void
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  insert into private.sessions (token_hash, user_id, expires_at, user_agent)
  values (p_token_hash, p_user_id, now() + make_interval(secs => p_ttl_seconds), left(p_user_agent, 300));
  -- Sessions expired for a week are of no use to anyone.
  delete from private.sessions where expires_at < now() - interval '7 days';
end
$$;

-- The user behind a live session, or null. Disabled users have no live sessions.
create function private.session_user(p_token_hash text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  update private.sessions s set last_seen_at = now()
  where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > now()
    and s.last_seen_at < now() - interval '1 minute';
  select jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'display_name', u.display_name)
    into r
  from private.sessions s join public.app_users u on u.id = s.user_id
  where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > now() and not u.disabled;
  return r;
end
$$;

create function private.session_revoke(p_token_hash text) returns void
language sql volatile
set search_path = public, private, pg_temp
as $$
  update private.sessions set revoked_at = now()
  where token_hash = p_token_hash and revoked_at is null and (select private.require_service())
$$;

create function private.token_user(p_token_hash text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  update public.api_tokens t set last_used_at = now()
  where t.token_hash = p_token_hash and t.revoked_at is null
    and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');
  select jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'display_name', u.display_name,
                            'token_id', t.id)
    into r
  from public.api_tokens t join public.app_users u on u.id = t.user_id
  where t.token_hash = p_token_hash and t.revoked_at is null and not u.disabled;
  return r;
end
$$;

create function private.token_create_for(p_email text, p_name text, p_token_hash text, p_prefix text)
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
  insert into public.api_tokens (user_id, name, prefix, token_hash)
  values (uid, p_name, p_prefix, p_token_hash) returning * into t;
  return to_jsonb(t) - 'token_hash';
end
$$;

-- Number of recent failures for a key, after recording one more when p_failed.
create function private.login_attempt(p_key text, p_failed boolean) returns integer
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare n integer;
begin
  perform private.require_service();
  if p_failed then
    insert into private.login_failures (key) values (p_key);
  end if;
  delete from private.login_failures where at < now() - interval '1 hour';
  select count(*) into n from private.login_failures where key = p_key and at > now() - interval '15 minutes';
  return n;
end
$$;

create function private.login_succeeded(p_key text) returns void
language sql volatile
set search_path = public, private, pg_temp
as $$
  delete from private.login_failures where key = p_key and (select private.require_service())
$$;

-- ---------------------------------------------------------------------------------------------
-- Functions users call about their own account

create function public.tokens_mine() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'prefix', prefix,
           'created_at', created_at, 'last_used_at', last_used_at, 'revoked_at', revoked_at)
         order by created_at desc), '[]'::jsonb)
  from public.api_tokens where user_id = (select auth.uid())
$$;

create function public.token_create(p_name text, p_token_hash text, p_prefix text) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare t_id uuid;
begin
  insert into public.api_tokens (user_id, name, prefix, token_hash)
  values ((select auth.uid()), p_name, p_prefix, p_token_hash) returning id into t_id;
  return jsonb_build_object('id', t_id, 'name', p_name, 'prefix', p_prefix);
end
$$;

create function public.token_revoke(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare n integer;
begin
  update public.api_tokens set revoked_at = now() where id = p_id and revoked_at is null;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'token not found or not yours' using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'revoked', true);
end
$$;

-- Admins add users from the UI. Security definer because the password digest goes to a table
-- no user can write; the role check below is what guards it.
create function public.user_add(p_email text, p_role text, p_display_name text, p_password_hash text)
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
  return to_jsonb(u);
end
$$;

-- Disabling a user also ends their sessions and tokens.
create function public.user_disable(p_user_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare u public.app_users;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins can disable users' using errcode = '42501';
  end if;
  if p_user_id = (select auth.uid()) then
    raise exception 'you cannot disable your own account' using errcode = '22023';
  end if;
  update public.app_users set disabled = true where id = p_user_id returning * into u;
  if u.id is null then
    raise exception 'user not found' using errcode = 'P0002';
  end if;
  update private.sessions set revoked_at = now() where user_id = u.id and revoked_at is null;
  update public.api_tokens set revoked_at = now() where user_id = u.id and revoked_at is null;
  return to_jsonb(u);
end
$$;
revoke execute on function public.user_add(text, text, text, text) from public, anon;
revoke execute on function public.user_disable(uuid) from public, anon;
grant execute on function public.user_add(text, text, text, text) to authenticated;
grant execute on function public.user_disable(uuid) to authenticated;

