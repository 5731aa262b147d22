-- The admin settings screen (issue 9): saving settings that did not change writes nothing (no
-- new updated_at, no audit row), and several settings are saved at once, all or none.
--   app_setting_set: unchanged value → no write (redefined; body otherwise as in 20261203100000)
--   app_settings_update(p_patch): new, the verb of the settings page and PATCH /api/v1/settings

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
revoke execute on function public.app_setting_set(text, jsonb) from public, anon;
grant execute on function public.app_setting_set(text, jsonb) to authenticated;

-- Several settings at once (the settings page, PATCH /api/v1/settings): all or none, each
-- checked by app_setting_set; keys whose value is unchanged write nothing.
create function public.app_settings_update(p_patch jsonb) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  k text;
begin
  if not (select public.has_app_role('admin')) then
    raise exception 'only admins may change settings' using errcode = '42501';
  end if;
  if p_patch is null or jsonb_typeof(p_patch) <> 'object' then
    raise exception 'settings: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_patch) order by 1 loop
    perform public.app_setting_set(k, p_patch -> k);
  end loop;
  return public.app_settings_get();
end
$$;
revoke execute on function public.app_settings_update(jsonb) from public, anon;
grant execute on function public.app_settings_update(jsonb) to authenticated;
