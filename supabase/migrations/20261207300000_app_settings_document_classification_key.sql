-- The classification marking (20261206200100) could never be saved: app_settings.key's check
-- still allowed only the first three settings, so PATCH /api/v1/settings
-- {"document_classification": "Confidential"} failed with a check violation (23514) and every
-- document kept the standard marking. Saving '' passed only because it equals the default and
-- writes nothing. The check now names the fourth setting too.
alter table public.app_settings drop constraint app_settings_key_check;
alter table public.app_settings add constraint app_settings_key_check
  check (key in ('operating_area', 'checkpoint_stale_days', 'site_match_m', 'document_classification'));
