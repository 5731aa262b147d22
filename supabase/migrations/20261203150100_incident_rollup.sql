-- Rollups kept current on write: incidents and fatalities per day × event type × governorate ×
-- district × status × confidentiality, maintained by statement-level triggers with transition
-- tables (one pass per statement, so an import of 100k rows costs one grouped upsert, not 100k).
-- Counts and stats read it instead of scanning every incident whenever the filter allows: no
-- viewport, no sub-district area, and a caller whose read rule the summary can express.
--
-- Status and confidentiality are kept as dimensions so that the incidents' read rule can be
-- applied to the summary by its own policies: analysts and admins read every row, viewers (and
-- field staff) the verified, unrestricted ones. Field staff also read the incidents they reported
-- themselves, which the summary cannot tell, so the functions give field staff the scan.

create table public.incident_rollup (
  day              date not null,
  event_type       text not null,
  admin1_pcode     text,
  admin2_pcode     text,
  status           text not null,
  confidentiality  text not null,
  incidents        bigint not null,
  fatalities       bigint not null,
  constraint incident_rollup_key unique nulls not distinct
    (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality)
);

create index incident_rollup_admin2_idx on public.incident_rollup (admin2_pcode);

create index incident_rollup_admin1_idx on public.incident_rollup (admin1_pcode);

-- Rows whose last incident left are deleted right after each statement.
create index incident_rollup_empty_idx on public.incident_rollup (day) where incidents = 0;

alter table public.incident_rollup enable row level security;

create policy "Analysts and admins can read every incident total" on public.incident_rollup
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));

create policy "Field staff and viewers can read the totals of verified unrestricted incidents" on public.incident_rollup
  for select to authenticated using (
    status = 'verified' and confidentiality <> 'restricted'
    and (select public.has_app_role('field', 'viewer')));

grant select on public.incident_rollup to authenticated;

-- The triggers' one body: the statement's rows grouped by key, +1 per new row and −1 per old
-- row, added to the summary. An edit that moves nothing between keys changes nothing here.
-- Dynamic SQL because a transition table exists only for the events that define it.
create function private.incident_rollup_apply() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
declare
  src text := case tg_op
    when 'INSERT' then 'select *, 1 as sign from new_rows'
    when 'DELETE' then 'select *, -1 as sign from old_rows'
    else 'select *, 1 as sign from new_rows union all select *, -1 as sign from old_rows' end;
begin
  execute format($q$
    insert into public.incident_rollup as r
      (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, fatalities)
    select event_date, event_type, admin1_pcode, admin2_pcode, status, confidentiality,
           sum(sign), sum(sign * fatalities)
    from (%s) d
    group by 1, 2, 3, 4, 5, 6
    having sum(sign) <> 0 or sum(sign * fatalities) <> 0
    on conflict on constraint incident_rollup_key do update
      set incidents = r.incidents + excluded.incidents, fatalities = r.fatalities + excluded.fatalities
  $q$, src);
  delete from public.incident_rollup where incidents = 0;
  return null;
end
$$;

create function private.incident_rollup_clear() returns trigger
language plpgsql security definer
set search_path = public, pg_temp
as $$
begin
  delete from public.incident_rollup;
  return null;
end
$$;

create trigger incidents_rollup_insert after insert on public.incidents
  referencing new table as new_rows
  for each statement execute function private.incident_rollup_apply();

create trigger incidents_rollup_update after update on public.incidents
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.incident_rollup_apply();

create trigger incidents_rollup_delete after delete on public.incidents
  referencing old table as old_rows
  for each statement execute function private.incident_rollup_apply();

create trigger incidents_rollup_truncate after truncate on public.incidents
  for each statement execute function private.incident_rollup_clear();

insert into public.incident_rollup
  (day, event_type, admin1_pcode, admin2_pcode, status, confidentiality, incidents, fatalities)
select event_date, event_type, admin1_pcode, admin2_pcode, status, confidentiality, count(*), sum(fatalities)
from public.incidents
group by 1, 2, 3, 4, 5, 6;

-- Whether the summary can answer for this caller and filter: no viewport, an area that is a
-- governorate or district (sub-districts are not kept), and a caller who is not field staff
-- (their own unverified reports are not in what the summary's policies let them read).
create function public.incident_rollup_usable(p_area text, p_west double precision default null)
returns boolean
language sql stable
set search_path = public, pg_temp
as $$
  select p_west is null
     and not coalesce((select public.has_app_role('field')), false)
     and (p_area is null or not exists (select 1 from public.areas a where a.pcode = p_area and a.level >= 3))
$$;

-- Redefined (from 20261122000400_actors_incidents): read the summary when it can answer
-- (incident_rollup_usable), the shared filter otherwise. Same answer either way.
create or replace function public.incident_counts(
  p_from date default null, p_to date default null, p_types text[] default null, p_area text default null
) returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
as $$
begin
  if public.incident_rollup_usable(p_area) then
    return (
      with f as (
        select r.day as event_date, r.event_type, r.admin1_pcode, r.incidents as n, r.fatalities as fat
        from public.incident_rollup r
        where (p_from is null or r.day >= p_from)
          and (p_to is null or r.day <= p_to)
          and (p_types is null or cardinality(p_types) = 0 or r.event_type = any (p_types))
          and (p_area is null or r.admin1_pcode = p_area or r.admin2_pcode = p_area)
      )
      select jsonb_build_object(
        'total', (select coalesce(sum(n), 0) from f),
        'fatalities', (select coalesce(sum(fat), 0) from f),
        'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                     (select extract(year from event_date)::int as y, sum(n) as n from f group by 1) t),
        'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                     (select admin1_pcode as k, sum(n) as n from f group by 1) t),
        'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                     (select event_type, sum(n) as n from f group by 1) t)));
  end if;
  return (
  with f as (select * from public.incidents_filtered(p_from, p_to, p_types, p_area))
  select jsonb_build_object(
    'total', (select count(*) from f),
    'fatalities', (select coalesce(sum(fatalities), 0) from f),
    'by_year', (select coalesce(jsonb_object_agg(y, n), '{}'::jsonb) from
                 (select extract(year from event_date)::int as y, count(*) as n from f group by 1) t),
    'by_admin1', (select coalesce(jsonb_object_agg(coalesce(k, 'none'), n), '{}'::jsonb) from
                 (select admin1_pcode as k, count(*) as n from f group by 1) t),
    'by_type', (select coalesce(jsonb_object_agg(event_type, n), '{}'::jsonb) from
                 (select event_type, count(*) as n from f group by 1) t)));
end
$$;
