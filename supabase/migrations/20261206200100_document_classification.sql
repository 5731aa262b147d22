-- A classification setting for documents (issue 12): the marking at the top of every printed
-- sitrep, risk register, assessment and map export was always "Restricted"; admins now set it
-- on the settings page (PATCH /api/v1/settings {"document_classification": "Confidential"}).
-- '' (the default) keeps the standard marking in the reader's language.

create or replace function public.app_settings_get() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'operating_area', '{"countries": ["IRQ"], "buffer_km": 50}'::jsonb,
    'checkpoint_stale_days', 14,
    'site_match_m', 500,
    'document_classification', '')
    || coalesce((select jsonb_object_agg(s.key, s.value) from public.app_settings s), '{}'::jsonb)
$$;


create or replace function public.app_setting_set(p_key text, p_value jsonb) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may change settings' using errcode = '42501';
  end if;
  if p_key = 'operating_area' then
    if jsonb_typeof(p_value -> 'countries') <> 'array' or jsonb_array_length(p_value -> 'countries') = 0
       or exists (select 1 from jsonb_array_elements_text(p_value -> 'countries') c where c !~ '^[A-Z]{3}$') then
      raise exception 'operating_area: countries must be a list of ISO 3166 alpha-3 codes (IRQ, SYR, …)' using errcode = '22023';
    end if;
    if jsonb_typeof(p_value -> 'buffer_km') <> 'number' or (p_value ->> 'buffer_km')::float8 not between 0 and 500 then
      raise exception 'operating_area: buffer_km must be a number from 0 to 500' using errcode = '22023';
    end if;
  elsif p_key = 'checkpoint_stale_days' then
    if jsonb_typeof(p_value) <> 'number' or (p_value #>> '{}')::float8 not between 1 and 365 then
      raise exception 'checkpoint_stale_days: a number of days from 1 to 365' using errcode = '22023';
    end if;
  elsif p_key = 'site_match_m' then
    if jsonb_typeof(p_value) <> 'number' or (p_value #>> '{}')::float8 not between 0 and 20000 then
      raise exception 'site_match_m: a distance in metres from 0 to 20000' using errcode = '22023';
    end if;
  elsif p_key = 'document_classification' then
    -- the marking printed on sitreps, the risk register, assessments and map exports
    -- ("Restricted — ORG"); '' = the standard one
    if jsonb_typeof(p_value) <> 'string' or length(p_value #>> '{}') > 100
       or p_value #>> '{}' <> btrim(p_value #>> '{}') then
      raise exception 'document_classification: a marking of at most 100 characters (empty: the standard one)' using errcode = '22023';
    end if;
  else
    raise exception 'key: no setting named %', p_key using errcode = '22023';
  end if;
  -- Saving what is already in force (the settings page sends every field) writes nothing: no
  -- new updated_at, no audit entry.
  if public.app_settings_get() -> p_key = p_value then
    return public.app_settings_get();
  end if;
  insert into public.app_settings (key, value, updated_by) values (p_key, p_value, (select auth.uid()))
  on conflict (key) do update set value = excluded.value, updated_at = now(), updated_by = excluded.updated_by;
  return public.app_settings_get();
end
$$;

