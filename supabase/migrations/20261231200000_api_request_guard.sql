-- Only the functions are an API on a Supabase project: PostgREST answers /rpc/<name> of schema
-- public and refuses direct table reads and writes (and pg_graphql), which would have shown a
-- viewer a sensitive incident's exact point and let writes skip the functions' checks.

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
