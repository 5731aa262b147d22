-- Unknown fatalities stay unknown through imports too (20261203100100 made incidents.fatalities
-- nullable and the forms keep an empty field NULL): import_commit_incidents wrote
-- coalesce(s.fatalities, 0), so an export of an incident with unknown fatalities came back as 0.
-- Only that expression changes; the body is taken from the catalogue so nothing else can drift.
do $$
declare v_def text;
begin
  select pg_catalog.pg_get_functiondef(p.oid) into v_def
  from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.proname = 'import_commit_incidents';
  if v_def is null or position('coalesce(s.fatalities, 0)' in v_def) = 0 then
    raise exception 'import_commit_incidents: expected coalesce(s.fatalities, 0) in its body';
  end if;
  execute replace(v_def, 'coalesce(s.fatalities, 0)', 's.fatalities');
end
$$;
