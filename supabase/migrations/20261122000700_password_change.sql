-- Passwords that must be changed: the first admin's generated one-time password, and any
-- password an admin sets for someone else. Until it is changed, the session is good for nothing
-- but choosing a new password (the server enforces that in hooks.server.ts).

alter table private.credentials add column must_change boolean not null default false;

create function private.account_require_change(p_email text) returns void
language sql volatile
set search_path = public, private, pg_temp
as $$
  update private.credentials c set must_change = true
  from public.app_users u
  where u.id = c.user_id and u.email = lower(trim(p_email)) and (select private.require_service())
$$;

-- Sets a new password chosen by the user; ends every other session of theirs.
create function private.password_change(p_user_id uuid, p_new_hash text, p_keep_session_hash text)
returns void
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
begin
  perform private.require_service();
  update private.credentials set password_hash = p_new_hash, must_change = false, changed_at = now()
  where user_id = p_user_id;
  if not found then
    raise exception 'no local account for this user' using errcode = 'P0002';
  end if;
  update private.sessions set revoked_at = now()
  where user_id = p_user_id and revoked_at is null and token_hash <> coalesce(p_keep_session_hash, '');
  insert into public.audit_log (actor_id, action, table_name, row_id)
  values (p_user_id, 'password_change', 'credentials', p_user_id::text);
end
$$;

-- As before, plus must_change so the server can hold the user at the password page.
create or replace function private.session_user(p_token_hash text) returns jsonb
language plpgsql volatile
set search_path = public, private, pg_temp
as $$
declare r jsonb;
begin
  perform private.require_service();
  update private.sessions s set last_seen_at = now()
  where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > now()
    and s.last_seen_at < now() - interval '1 minute';
  select jsonb_build_object('id', u.id, 'email', u.email, 'role', u.role, 'display_name', u.display_name,
                            'must_change', coalesce(c.must_change, false))
    into r
  from private.sessions s
  join public.app_users u on u.id = s.user_id
  left join private.credentials c on c.user_id = u.id
  where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > now() and not u.disabled;
  return r;
end
$$;
