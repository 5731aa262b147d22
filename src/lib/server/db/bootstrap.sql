-- Bootstrap for databases that are not a Supabase project (embedded PGlite, self-hosted PostgreSQL).
-- It recreates the small part of Supabase that our migrations and RLS policies rely on: the
-- roles anon / authenticated / service_role and auth.uid() / auth.jwt() reading the request's
-- claims. It is idempotent and is NOT a migration: `supabase db push` never sees it, because a
-- Supabase project already has all of this.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- After `set_config(..., true)` inside a transaction the setting is '' rather than NULL once the
-- transaction ends, hence nullif. Stable and parallel safe (they only read the request's
-- claims, which parallel workers inherit), so that scans under RLS may run in parallel.
create or replace function auth.jwt() returns jsonb
language sql stable parallel safe
as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable parallel safe
as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;

create or replace function auth.role() returns text
language sql stable parallel safe
as $$
  select coalesce(auth.jwt() ->> 'role', 'anon')
$$;

grant execute on all functions in schema auth to anon, authenticated, service_role;
