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
create function public.current_app_role() returns text
language sql stable security definer
set search_path = public, pg_temp
as $$
  select role from public.app_users where id = (select auth.uid()) and not disabled
$$;

create function public.has_app_role(variadic p_roles text[]) returns boolean
language sql stable security definer
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
-- sensitive read or export (written by audit_note). Only admins read it; nobody edits it.
create table public.audit_log (
  id          bigint generated always as identity primary key,
  at          timestamptz not null default now(),
  actor_id    uuid,
  action      text not null,
  table_name  text,
  row_id      text,
  before      jsonb,
  after       jsonb,
  detail      jsonb
);
create index audit_log_at_idx on public.audit_log (at desc);
create index audit_log_row_idx on public.audit_log (table_name, row_id);
alter table public.audit_log enable row level security;
create policy "Admins can read the audit log" on public.audit_log
  for select to authenticated using ((select public.has_app_role('admin')));
grant select on public.audit_log to authenticated;

-- Row trigger for every audited table. Bulk loads of public demo data may switch it off for their
-- own transaction (set local terrain.audit = 'off') and write one summary row instead.
create function private.audit_row() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  if coalesce(current_setting('terrain.audit', true), '') = 'off' then
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

create trigger app_users_audit after insert or update or delete on public.app_users
  for each row execute function private.audit_row();

-- Records a read or an export of sensitive data (called by the functions that serve it).
create function public.audit_note(p_action text, p_table text, p_detail jsonb default '{}')
returns void
language sql volatile security definer
set search_path = public, pg_temp
as $$
  insert into public.audit_log (actor_id, action, table_name, detail)
  values ((select auth.uid()), p_action, p_table, p_detail)
$$;
revoke execute on function public.audit_note(text, text, jsonb) from public, anon;
grant execute on function public.audit_note(text, text, jsonb) to authenticated;

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

create function public.user_set_role(p_user_id uuid, p_role text) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare r public.app_users;
begin
  update public.app_users set role = p_role where id = p_user_id returning * into r;
  if r.id is null then
    raise exception 'user not found or not allowed' using errcode = '42501';
  end if;
  return to_jsonb(r);
end
$$;
