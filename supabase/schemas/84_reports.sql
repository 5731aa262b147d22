set check_function_bodies = off;

-- Migration 20261204050000.
-- Reports: the sitrep (periodic report) of a period, for all areas or one area (or one base's
-- governorate), and saved reports with the analyst's Markdown sections, versions and a status.
--
-- A sitrep's figures are never stored: a saved report keeps its period, its scope and the
-- analyst's sections, and the figures are computed again for whoever reads it, under the
-- reader's RLS (a viewer sharing a link sees the counts of verified, unrestricted incidents, an
-- analyst sees all). Incident positions leave only through incident_point_for_caller (location
-- fuzzing, 20261203140000).

-- The change of a count against its 52-week baseline, scaled to the period's length:
-- expected = baseline × days / 364. Rising at ≥ 125 % of expected, falling at ≤ 75 %, and too few
-- to judge (low_count, trend 'stable') when both are under 5 — the rule of baseline_classify.
create function public.sitrep_change(p_observed bigint, p_baseline bigint, p_days integer)
returns jsonb
language sql immutable
as $$
  select jsonb_build_object(
    'observed', p_observed,
    'baseline', p_baseline,
    'expected', round(p_baseline * p_days / 364.0, 2),
    'change_pct', case when p_baseline = 0 then null
                       else round(((p_observed * 364 - p_baseline * p_days) * 100.0) / (p_baseline * p_days), 1) end,
    'trend', case when p_observed < 5 and p_baseline * p_days < 5 * 364 then 'stable'
                  when p_observed * 364 * 4 >= 5 * p_baseline * p_days then 'rising'
                  when p_observed * 364 * 4 <= 3 * p_baseline * p_days then 'falling'
                  else 'stable' end,
    'low_count', p_observed < 5 and p_baseline * p_days < 5 * 364)
$$;

-- The sitrep of [p_from, p_to] (both inclusive), for all areas, one area (P-code, any level) or
-- one base (org site: its governorate). Headline figures, the time chart, incidents by area and
-- type, the change against the baseline per area, level changes and checkpoint updates in the
-- period, serious and NGO-affecting incidents, and the points for the map. A period with no
-- incident is an honest empty report (total 0, empty lists), not an error.
create function public.sitrep(p_from date, p_to date, p_area text default null, p_base uuid default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_days integer;
  v_area public.areas;
  v_base public.org_sites;
  v_group integer;
  v_bin text;
  v_scope text[] := public.caller_location_scope();
  v_lineage text[];
  v jsonb;
begin
  if p_from is null then
    raise exception 'from: the first day of the period is required' using errcode = '22023';
  end if;
  if p_to is null then
    raise exception 'to: the last day of the period is required' using errcode = '22023';
  end if;
  if p_to < p_from then
    raise exception 'to: the period ends before it starts' using errcode = '22023';
  end if;
  v_days := p_to - p_from + 1;
  if v_days > 3660 then
    raise exception 'to: a period of at most ten years' using errcode = '22023';
  end if;
  if p_base is not null then
    select * into v_base from public.org_sites where id = p_base;
    if v_base.id is null then
      raise exception 'base: no site with this id' using errcode = '22023';
    end if;
    p_area := coalesce(p_area, v_base.admin1_pcode, public.area_at(st_x(v_base.geom), st_y(v_base.geom), 1));
  end if;
  if p_area is not null then
    select * into v_area from public.areas where pcode = p_area;
    if v_area.pcode is null then
      raise exception 'area: no area with P-code %', p_area using errcode = '22023';
    end if;
    v_lineage := public.area_lineage(array[p_area]);
  end if;
  -- Incidents are grouped one level below the scope (governorates for the whole country).
  v_group := least(coalesce(v_area.level + 1, 1), 3);
  v_bin := case when v_days <= 62 then 'day' when v_days <= 731 then 'week' else 'month' end;

  with f as materialized (
    select i.id, i.event_date, i.event_type, i.sub_event_type, i.location_name, i.fatalities, i.injuries,
           i.abductions, i.serious, i.affects_ngos, i.affects_us, i.notes, i.admin1_pcode, i.admin2_pcode,
           i.admin3_pcode,
           case v_group when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as gkey,
           public.incident_point_for_caller(i.geom, i.geom_coarse, i.admin1_pcode, i.admin2_pcode, i.admin3_pcode,
                                            v_scope) as pt
    from public.incidents_filtered(p_from, p_to, null, array_remove(array[p_area], null)) i
  ),
  base as materialized (
    select case v_group when 1 then i.admin1_pcode when 2 then i.admin2_pcode else i.admin3_pcode end as gkey,
           count(*) as n
    from public.incidents_filtered(p_from - 364, p_from - 1, null, array_remove(array[p_area], null)) i
    group by 1
  ),
  groups as (
    select a.pcode, a.name_en, a.name_ar,
           (select count(*) from f where f.gkey = a.pcode) as n,
           (select coalesce(sum(f.fatalities), 0) from f where f.gkey = a.pcode) as fat,
           coalesce((select b.n from base b where b.gkey = a.pcode), 0) as b
    from public.areas a
    where a.level = v_group and (p_area is null or a.pcode = p_area or a.parent_pcode = p_area)
  )
  select jsonb_build_object(
    'period', jsonb_build_object('from', p_from, 'to', p_to, 'days', v_days, 'bin', v_bin),
    'area', case when v_area.pcode is null then null
                 else jsonb_build_object('pcode', v_area.pcode, 'level', v_area.level, 'name_en', v_area.name_en,
                                         'name_ar', v_area.name_ar) end,
    'base', case when v_base.id is null then null
                 else jsonb_build_object('id', v_base.id, 'name', v_base.name, 'site_type', v_base.site_type) end,
    'group_level', v_group,
    'headline', (select jsonb_build_object(
        'total', count(*),
        'fatalities', coalesce(sum(fatalities), 0),
        'injuries', coalesce(sum(injuries), 0),
        'abductions', coalesce(sum(abductions), 0),
        'serious', count(*) filter (where serious),
        'affecting_ngos', count(*) filter (where affects_ngos or affects_us),
        'affecting_us', count(*) filter (where affects_us),
        'areas_affected', count(distinct gkey),
        'previous_total', (select count(*) from public.incidents_filtered(p_from - v_days, p_from - 1, null, array_remove(array[p_area], null))))
      from f),
    'baseline', jsonb_build_object('from', p_from - 364, 'to', p_from - 1,
        'all', public.sitrep_change((select count(*) from f), coalesce((select sum(n) from base), 0)::bigint, v_days)),
    'by_type', coalesce((select jsonb_agg(jsonb_build_object('key', t.event_type, 'n', t.n, 'fatalities', t.fat)
                                          order by t.n desc, t.event_type)
                         from (select event_type, count(*) as n, coalesce(sum(fatalities), 0) as fat from f
                               group by event_type) t), '[]'::jsonb),
    'by_area', coalesce((select jsonb_agg(jsonb_build_object(
                           'pcode', g.pcode, 'name_en', g.name_en, 'name_ar', g.name_ar, 'n', g.n,
                           'fatalities', g.fat,
                           'by_type', coalesce((select jsonb_object_agg(x.event_type, x.n)
                                                from (select event_type, count(*) as n from f where f.gkey = g.pcode
                                                      group by event_type) x), '{}'::jsonb),
                           'change', public.sitrep_change(g.n, g.b, v_days))
                         order by g.n desc, g.b desc, g.name_en)
                         from groups g where g.n > 0 or g.b > 0), '[]'::jsonb),
    'unassigned', (select count(*) from f where f.gkey is null),
    'bins', coalesce((select jsonb_agg(jsonb_build_object('bin', b.bin, 'n', b.n, 'fatalities', b.fat) order by b.bin)
                      from (select date_trunc(v_bin, event_date::timestamp)::date as bin, count(*) as n,
                                   coalesce(sum(fatalities), 0) as fat
                            from f group by 1) b), '[]'::jsonb),
    'level_changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'pcode', l.pcode, 'name_en', a.name_en, 'name_ar', a.name_ar, 'level', l.level,
                           'level_name', s.name, 'colour', s.colour, 'effective_date', l.effective_date,
                           'note', l.note,
                           'previous', (select p.level from public.area_security_levels p
                                        where p.pcode = l.pcode
                                          and (p.effective_date, p.recorded_at) < (l.effective_date, l.recorded_at)
                                        order by p.effective_date desc, p.recorded_at desc limit 1))
                         order by l.effective_date, a.name_en)
                         from public.area_security_levels l
                         join public.areas a on a.pcode = l.pcode
                         join public.security_level_scale s on s.level = l.level
                         where l.effective_date between p_from and p_to
                           and (p_area is null or l.pcode = any (v_lineage))), '[]'::jsonb),
    'checkpoint_changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'id', k.id, 'name', k.name, 'name_ar', k.name_ar, 'status', k.status,
                           'status_reason', k.status_reason, 'controlled_by', coalesce(ac.name, k.controlled_by),
                           'last_verified_at', k.last_verified_at, 'updated_at', k.updated_at)
                         order by greatest(k.updated_at, k.last_verified_at) desc nulls last, k.name)
                         from public.checkpoints k
                         left join public.actors ac on ac.id = k.controlling_actor_id
                         where ((k.updated_at >= p_from and k.updated_at < p_to + 1)
                                or (k.last_verified_at >= p_from and k.last_verified_at < p_to + 1))
                           and (p_area is null or p_area in (k.admin1_pcode, k.admin2_pcode, k.admin3_pcode))),
                         '[]'::jsonb),
    'notable', coalesce((select jsonb_agg(jsonb_build_object(
                           'id', n.id, 'event_date', n.event_date, 'event_type', n.event_type,
                           'sub_event_type', n.sub_event_type, 'location_name', n.location_name,
                           'admin1_name', a1.name_en, 'admin2_name', a2.name_en, 'admin1_name_ar', a1.name_ar,
                           'admin2_name_ar', a2.name_ar, 'fatalities', n.fatalities, 'injuries', n.injuries,
                           'abductions', n.abductions, 'serious', n.serious, 'affects_ngos', n.affects_ngos,
                           'affects_us', n.affects_us, 'notes', left(n.notes, 400))
                         order by n.event_date, n.id)
                         from (select * from f where serious or affects_ngos or affects_us
                               order by event_date desc, id limit 200) n
                         left join public.areas a1 on a1.pcode = n.admin1_pcode
                         left join public.areas a2 on a2.pcode = n.admin2_pcode), '[]'::jsonb),
    'points', coalesce((select jsonb_agg(jsonb_build_array(round(st_x(p.pt)::numeric, 5), round(st_y(p.pt)::numeric, 5),
                                                           p.event_type))
                        from (select pt, event_type from f order by event_date desc, id limit 5000) p), '[]'::jsonb),
    'generated_at', now())
  into v;
  return v;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Saved reports: a sitrep's period and scope with the analyst's sections, draft → final.
-- Versions: every save keeps the previous content in report_versions (who, when, what).
-- Who reads what: analysts and admins every report; the author their own; everyone else only
-- final reports in their scope (a field user's assigned areas, up and down the hierarchy; a
-- report of all areas is in everyone's scope).
create table public.reports (
  id            uuid primary key default gen_random_uuid(),
  kind          text not null default 'sitrep' check (kind in ('sitrep')),
  title         text not null check (length(btrim(title)) between 1 and 300),
  period_from   date not null,
  period_to     date not null,
  area_pcode    text references public.areas (pcode),
  base_id       uuid references public.org_sites (id) on delete set null,
  status        text not null default 'draft' check (status in ('draft', 'final')),
  sections      jsonb not null default '[]' check (jsonb_typeof(sections) = 'array'),
  classification text not null default 'Restricted' check (length(classification) between 1 and 100),
  version       integer not null default 1,
  created_by    uuid not null default auth.uid() references public.app_users (id),
  created_at    timestamptz not null default now(),
  updated_by    uuid references public.app_users (id),
  updated_at    timestamptz not null default now(),
  finalised_at  timestamptz,
  constraint reports_period check (period_to >= period_from and period_to - period_from < 3660)
);
create index reports_created_idx on public.reports (created_at desc);

create table public.report_versions (
  report_id     uuid not null references public.reports (id) on delete cascade,
  version       integer not null,
  content       jsonb not null,
  saved_by      uuid references public.app_users (id),
  saved_at      timestamptz not null default now(),
  primary key (report_id, version)
);

alter table public.reports enable row level security;
alter table public.report_versions enable row level security;

-- A report's scope against the caller's assigned areas (field users; others have none and see
-- every final report). Security definer: app_users is not readable beyond one's own row.
create function public.report_in_scope(p_area text) returns boolean
language sql stable security definer
set search_path = public, pg_temp
as $$
  select p_area is null
      or coalesce((select cardinality(u.assigned_areas) = 0 or p_area = any (public.area_lineage(u.assigned_areas))
                   from public.app_users u where u.id = (select auth.uid()) and u.role = 'field'), true)
$$;
revoke execute on function public.report_in_scope(text) from public, anon;
grant execute on function public.report_in_scope(text) to authenticated;

create policy "Analysts and admins can read every report" on public.reports
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Authors can read their own reports" on public.reports
  for select to authenticated using (created_by = (select auth.uid()));
create policy "Signed-in users can read final reports in their scope" on public.reports
  for select to authenticated using (
    status = 'final' and (select public.current_app_role()) is not null and public.report_in_scope(area_pcode));
create policy "Analysts and admins can write reports in their own name" on public.reports
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and created_by = (select auth.uid()));
create policy "Analysts and admins can change reports" on public.reports
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Admins can delete reports" on public.reports
  for delete to authenticated using ((select public.has_app_role('admin')));

create policy "Analysts and admins can read report versions" on public.report_versions
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can keep report versions" on public.report_versions
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and saved_by = (select auth.uid()));

grant select, insert, update, delete on public.reports to authenticated;
grant select, insert on public.report_versions to authenticated;

create trigger reports_audit after insert or update or delete on public.reports
  for each row execute function private.audit_row();

-- A report as the API shows it (null when the caller cannot read it).
create function public.report_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select jsonb_build_object(
    'id', r.id, 'kind', r.kind, 'title', r.title, 'period_from', r.period_from, 'period_to', r.period_to,
    'area_pcode', r.area_pcode, 'base_id', r.base_id, 'status', r.status, 'sections', r.sections,
    'classification', r.classification, 'version', r.version, 'created_by', r.created_by,
    'author', public.app_user_label(r.created_by), 'created_at', r.created_at, 'updated_at', r.updated_at,
    'finalised_at', r.finalised_at,
    'versions', coalesce((select jsonb_agg(jsonb_build_object('version', v.version, 'saved_at', v.saved_at,
                                                              'saved_by', public.app_user_label(v.saved_by))
                                           order by v.version desc)
                          from public.report_versions v where v.report_id = r.id), '[]'::jsonb))
  from public.reports r where r.id = p_id
$$;

create function public.reports_list(p_limit integer default 200) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(x.j order by x.updated_at desc), '[]'::jsonb)
  from (select jsonb_build_object('id', r.id, 'kind', r.kind, 'title', r.title, 'period_from', r.period_from,
                                  'period_to', r.period_to, 'area_pcode', r.area_pcode, 'status', r.status,
                                  'version', r.version, 'author', public.app_user_label(r.created_by),
                                  'updated_at', r.updated_at) as j, r.updated_at
        from public.reports r order by r.updated_at desc limit least(greatest(coalesce(p_limit, 200), 1), 1000)) x
$$;

-- Create (p_id null) or change a report. A change keeps the previous content as a version, and
-- needs the version it was based on (p_version): a stale one is refused (409) rather than lost.
-- p: {title, period_from, period_to, area_pcode, base_id, status, sections: [{heading, markdown}],
-- classification}; a change merges the keys sent.
create function public.report_save(p_id uuid, p jsonb, p_version integer default null) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  r public.reports;
  v_sections jsonb := p -> 'sections';
  s jsonb;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'reports are written by analysts and admins' using errcode = '42501';
  end if;
  if v_sections is not null then
    if jsonb_typeof(v_sections) <> 'array' or jsonb_array_length(v_sections) > 50 then
      raise exception 'sections: a list of at most 50 sections' using errcode = '22023';
    end if;
    for s in select * from jsonb_array_elements(v_sections) loop
      if jsonb_typeof(s) <> 'object' or jsonb_typeof(s -> 'heading') is distinct from 'string'
         or jsonb_typeof(s -> 'markdown') is distinct from 'string'
         or length(s ->> 'heading') > 300 or length(s ->> 'markdown') > 50000 then
        raise exception 'sections: each is {heading (≤ 300 characters), markdown (≤ 50000)}' using errcode = '22023';
      end if;
    end loop;
  end if;
  if p ? 'status' and (p ->> 'status') not in ('draft', 'final') then
    raise exception 'status: draft or final' using errcode = '22023';
  end if;
  if p ? 'area_pcode' and p ->> 'area_pcode' is not null
     and not exists (select 1 from public.areas where pcode = p ->> 'area_pcode') then
    raise exception 'area_pcode: no area with P-code %', p ->> 'area_pcode' using errcode = '22023';
  end if;
  if p_id is null then
    if coalesce(btrim(p ->> 'title'), '') = '' then
      raise exception 'title: required' using errcode = '22023';
    end if;
    if (p ->> 'period_from') is null or (p ->> 'period_to') is null then
      raise exception 'period_from: the period (period_from, period_to) is required' using errcode = '22023';
    end if;
    if (p ->> 'period_to')::date < (p ->> 'period_from')::date then
      raise exception 'period_to: the period ends before it starts' using errcode = '22023';
    end if;
    insert into public.reports (title, period_from, period_to, area_pcode, base_id, status, sections, classification,
                                finalised_at)
    values (btrim(p ->> 'title'), (p ->> 'period_from')::date, (p ->> 'period_to')::date, p ->> 'area_pcode',
            (p ->> 'base_id')::uuid, coalesce(p ->> 'status', 'draft'), coalesce(v_sections, '[]'),
            coalesce(nullif(btrim(p ->> 'classification'), ''), 'Restricted'),
            case when p ->> 'status' = 'final' then now() end)
    returning * into r;
    return public.report_get(r.id);
  end if;
  select * into r from public.reports where id = p_id for update;
  if r.id is null then
    raise exception 'report: not found' using errcode = 'P0002';
  end if;
  if p_version is not null and p_version <> r.version then
    raise exception 'version: this report was changed meanwhile (now version %)', r.version using errcode = '23505';
  end if;
  insert into public.report_versions (report_id, version, content, saved_by)
  values (r.id, r.version, jsonb_build_object('title', r.title, 'period_from', r.period_from, 'period_to', r.period_to,
          'area_pcode', r.area_pcode, 'base_id', r.base_id, 'status', r.status, 'sections', r.sections,
          'classification', r.classification), auth.uid());
  update public.reports set
    title = coalesce(nullif(btrim(p ->> 'title'), ''), title),
    period_from = coalesce((p ->> 'period_from')::date, period_from),
    period_to = coalesce((p ->> 'period_to')::date, period_to),
    area_pcode = case when p ? 'area_pcode' then p ->> 'area_pcode' else area_pcode end,
    base_id = case when p ? 'base_id' then (p ->> 'base_id')::uuid else base_id end,
    status = coalesce(p ->> 'status', status),
    sections = coalesce(v_sections, sections),
    classification = coalesce(nullif(btrim(p ->> 'classification'), ''), classification),
    finalised_at = case when coalesce(p ->> 'status', status) = 'final' then coalesce(finalised_at, now()) end,
    version = version + 1,
    updated_by = auth.uid(),
    updated_at = now()
  where id = r.id;
  return public.report_get(r.id);
end
$$;

-- One earlier version's content (analysts and admins: RLS on report_versions).
create function public.report_version(p_id uuid, p_version integer) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select v.content || jsonb_build_object('version', v.version, 'saved_at', v.saved_at,
                                         'saved_by', public.app_user_label(v.saved_by))
  from public.report_versions v where v.report_id = p_id and v.version = p_version
$$;

-- ---------------------------------------------------------------------------------------------
-- Migration 20261204050100.
-- The risk register, per base, area or programme: threat category and vulnerability,
-- likelihood × impact on the 5 × 5 matrix, mitigations with owner and due date, residual
-- likelihood and impact, acceptance (who, when), a review date with reminders, and every change
-- kept in risk_history. Likelihood is suggested from the incidents of the area and category
-- (public.risk_suggest); the analyst may override it, with a reason.

-- The incident types a threat category counts (ACLED taxonomy). Categories with no incident
-- counterpart (road safety, health, natural hazard, other) get no suggestion, and say so.
create function public.risk_category_filter(p_category text) returns jsonb
language sql immutable
as $$
  select case p_category
    when 'armed_conflict' then '{"types": ["battles"]}'::jsonb
    when 'ied_terrorism' then '{"types": ["explosions_remote_violence"]}'::jsonb
    when 'civil_unrest' then '{"types": ["riots", "protests"]}'::jsonb
    when 'crime' then '{"types": ["violence_against_civilians"], "abductions": false}'::jsonb
    when 'kidnapping' then '{"types": ["violence_against_civilians"], "abductions": true}'::jsonb
    else null end
$$;

-- The suggested likelihood for an area and a threat category, as of a date (default today),
-- from the incidents the caller can see:
--   n      = matching incidents in the 52 weeks (364 days) up to the date
--   rate   = n / 52 per week
--   λ      = n × 30 / 364, the expected number in the next 30 days (a Poisson process at the
--            52-week rate)
--   P      = P(at least one in 30 days) = 1 − exp(−λ)
--   level  = 1 if P < 5 %, 2 if < 20 %, 3 if < 50 %, 4 if < 80 %, else 5
--   trend  = the last 13 weeks' rate against the 39 weeks before (rising ≥ +25 %, falling ≤ −25 %;
--            stable when both counts are under 5)
-- Kidnapping counts violence against civilians with abductions or the ACLED sub-event
-- "Abduction/forced disappearance"; crime the rest of violence against civilians.
create function public.risk_suggest(p_area text, p_category text, p_as_of date default null)
returns jsonb
language plpgsql stable
set search_path = public, extensions, pg_temp
set jit = off
as $$
declare
  v_d date := coalesce(p_as_of, current_date);
  v_f jsonb := public.risk_category_filter(p_category);
  v_types text[];
  n52 bigint;
  n13 bigint;
  v_lambda numeric;
  v_p numeric;
begin
  if p_category is null or p_category not in ('armed_conflict', 'ied_terrorism', 'crime', 'civil_unrest', 'kidnapping',
                                             'road_safety', 'health', 'natural_hazard', 'other') then
    raise exception 'threat_category: unknown value "%"', p_category using errcode = '22023';
  end if;
  if p_area is null or not exists (select 1 from public.areas where pcode = p_area) then
    raise exception 'area_pcode: no area with P-code %', p_area using errcode = '22023';
  end if;
  if v_f is null then
    return jsonb_build_object('category', p_category, 'area', p_area, 'available', false, 'suggested', null,
                              'reason', 'no incident category matches this threat');
  end if;
  v_types := array(select jsonb_array_elements_text(v_f -> 'types'));
  select count(*), count(*) filter (where i.event_date > v_d - 91)
    into n52, n13
  from public.incidents_filtered(v_d - 363, v_d, v_types, array[p_area]) i
  where v_f -> 'abductions' is null
     or ((coalesce(i.abductions, 0) > 0 or i.sub_event_type = 'Abduction/forced disappearance')
         = (v_f ->> 'abductions')::boolean);
  v_lambda := n52 * 30 / 364.0;
  v_p := 1 - exp(-v_lambda);
  return jsonb_build_object(
    'category', p_category, 'area', p_area, 'available', true, 'types', to_jsonb(v_types),
    'abductions', v_f -> 'abductions',
    'window', jsonb_build_object('from', v_d - 363, 'to', v_d, 'weeks', 52),
    'n_52w', n52, 'n_13w', n13, 'n_prior_39w', n52 - n13,
    'rate_per_week', round(n52 / 52.0, 4),
    'lambda_30d', round(v_lambda, 4),
    'p_30d', round(v_p, 4),
    'trend', case when n13 < 5 and n52 - n13 < 5 then 'stable'
                  when n13 * 39 * 4 >= 5 * 13 * (n52 - n13) then 'rising'
                  when n13 * 39 * 4 <= 3 * 13 * (n52 - n13) then 'falling'
                  else 'stable' end,
    'suggested', case when v_p < 0.05 then 1 when v_p < 0.20 then 2 when v_p < 0.50 then 3
                      when v_p < 0.80 then 4 else 5 end,
    'formula', 'P(≥1 in 30 days) = 1 − exp(−n × 30 / 364)');
end
$$;

create table public.risks (
  id                uuid primary key default gen_random_uuid(),
  title             text not null check (length(btrim(title)) between 1 and 300),
  scope             text not null check (scope in ('base', 'area', 'programme')),
  base_id           uuid references public.org_sites (id) on delete set null,
  area_pcode        text references public.areas (pcode),
  programme         text check (length(programme) <= 200),
  threat_category   text not null check (threat_category in ('armed_conflict', 'ied_terrorism', 'crime',
                      'civil_unrest', 'kidnapping', 'road_safety', 'health', 'natural_hazard', 'other')),
  vulnerability     text not null default '' check (length(vulnerability) <= 5000),
  likelihood        smallint not null check (likelihood between 1 and 5),
  impact            smallint not null check (impact between 1 and 5),
  likelihood_suggested smallint check (likelihood_suggested between 1 and 5),
  likelihood_reason text check (length(likelihood_reason) <= 2000),
  suggestion        jsonb,
  residual_likelihood smallint check (residual_likelihood between 1 and 5),
  residual_impact   smallint check (residual_impact between 1 and 5),
  accepted_by       uuid references public.app_users (id),
  accepted_at       timestamptz,
  review_date       date,
  reminded_for      date,
  version           integer not null default 1,
  created_by        uuid not null default auth.uid() references public.app_users (id),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  constraint risks_scope_target check (
    (scope = 'base' and base_id is not null) or (scope = 'area' and area_pcode is not null)
    or (scope = 'programme' and length(btrim(coalesce(programme, ''))) > 0)),
  -- an override of the suggestion says why
  constraint risks_override_reason check (
    likelihood_suggested is null or likelihood = likelihood_suggested
    or length(btrim(coalesce(likelihood_reason, ''))) > 0)
);

create table public.risk_mitigations (
  id          uuid primary key default gen_random_uuid(),
  risk_id     uuid not null references public.risks (id) on delete cascade,
  action      text not null check (length(btrim(action)) between 1 and 2000),
  owner       text not null default '' check (length(owner) <= 200),
  due_date    date,
  done        boolean not null default false,
  position    integer not null default 0
);
create index risk_mitigations_risk_idx on public.risk_mitigations (risk_id, position);

create table public.risk_history (
  risk_id     uuid not null references public.risks (id) on delete cascade,
  version     integer not null,
  content     jsonb not null,
  changed_by  uuid references public.app_users (id),
  changed_at  timestamptz not null default now(),
  primary key (risk_id, version)
);

alter table public.risks enable row level security;
alter table public.risk_mitigations enable row level security;
alter table public.risk_history enable row level security;

-- Everyone signed in reads the register (it is how staff learn the risks they work under);
-- analysts and admins write it. The history is for analysts and admins.
create policy "Signed-in users can read the risk register" on public.risks
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Analysts and admins can add risks in their own name" on public.risks
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and created_by = (select auth.uid()));
create policy "Analysts and admins can change risks" on public.risks
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')))
  with check ((select public.has_app_role('admin', 'analyst')));
create policy "Admins can delete risks" on public.risks
  for delete to authenticated using ((select public.has_app_role('admin')));
create policy "Signed-in users can read mitigations" on public.risk_mitigations
  for select to authenticated using ((select public.current_app_role()) is not null);
create policy "Analysts and admins can add mitigations" on public.risk_mitigations
  for insert to authenticated with check ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can change mitigations" on public.risk_mitigations
  for update to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can remove mitigations" on public.risk_mitigations
  for delete to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can read risk history" on public.risk_history
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Analysts and admins can keep risk history" on public.risk_history
  for insert to authenticated with check (
    (select public.has_app_role('admin', 'analyst')) and changed_by = (select auth.uid()));

grant select, insert, update, delete on public.risks, public.risk_mitigations to authenticated;
grant select, insert on public.risk_history to authenticated;

create trigger risks_audit after insert or update or delete on public.risks
  for each row execute function private.audit_row();

create function public.risk_get(p_id uuid) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select to_jsonb(r) - 'reminded_for' || jsonb_build_object(
    'score', r.likelihood * r.impact,
    'residual_score', r.residual_likelihood * r.residual_impact,
    'author', public.app_user_label(r.created_by),
    'accepted_by_name', public.app_user_label(r.accepted_by),
    'base_name', (select s.name from public.org_sites s where s.id = r.base_id),
    'area_name_en', (select a.name_en from public.areas a where a.pcode = r.area_pcode),
    'area_name_ar', (select a.name_ar from public.areas a where a.pcode = r.area_pcode),
    'mitigations', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'action', m.action, 'owner', m.owner,
                                                                 'due_date', m.due_date, 'done', m.done)
                                              order by m.position, m.id)
                             from public.risk_mitigations m where m.risk_id = r.id), '[]'::jsonb),
    'history', coalesce((select jsonb_agg(jsonb_build_object('version', h.version, 'changed_at', h.changed_at,
                                                             'changed_by', public.app_user_label(h.changed_by),
                                                             'content', h.content) order by h.version desc)
                         from public.risk_history h where h.risk_id = r.id), '[]'::jsonb))
  from public.risks r where r.id = p_id
$$;

create function public.risks_list(p_scope text default null, p_key text default null) returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(public.risk_get(r.id) - 'history'
                            order by r.likelihood * r.impact desc, r.title), '[]'::jsonb)
  from public.risks r
  where (p_scope is null or r.scope = p_scope)
    and (p_key is null or r.area_pcode = p_key or r.base_id::text = p_key or r.programme = p_key)
$$;

-- Create (p_id null) or change a risk (merge), with its mitigations when sent (the list sent
-- replaces them). A likelihood or impact outside 1–5 is refused with the field's name; when
-- the risk has an area and a category with incident data, the suggestion is stored beside the
-- chosen likelihood, and a different likelihood needs a reason (p.as_of: the suggestion's date,
-- default today, for a register kept against past data). Each change keeps the previous
-- content in risk_history; a stale p_version is refused (409).
-- A change that changes nothing (a form saved as it was) writes nothing: no version, no history
-- row, no new updated_at (20261206200000). For that, a change that names neither the area, the
-- category nor as_of keeps the stored suggestion: recomputing it "as of today" would silently
-- replace a suggestion dated to the incident data with another one (and could then refuse the
-- likelihood the analyst had justified against the first).
create function public.risk_save(p_id uuid, p jsonb, p_version integer default null) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  r public.risks;
  v_old public.risks;
  f text;
  v_sugg jsonb;
  m jsonb;
  i integer := 0;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'the risk register is kept by analysts and admins' using errcode = '42501';
  end if;
  foreach f in array array['likelihood', 'impact', 'residual_likelihood', 'residual_impact'] loop
    if p ? f and p ->> f is not null and (jsonb_typeof(p -> f) <> 'number' or (p ->> f)::numeric not in (1, 2, 3, 4, 5)) then
      raise exception '%: must be a whole number from 1 to 5', f using errcode = '22023';
    end if;
  end loop;
  if p_id is null then
    if p ->> 'likelihood' is null then
      raise exception 'likelihood: required (1 to 5)' using errcode = '22023';
    end if;
    if p ->> 'impact' is null then
      raise exception 'impact: required (1 to 5)' using errcode = '22023';
    end if;
    r := jsonb_populate_record(null::public.risks, p);
    r.id := gen_random_uuid();
    r.version := 1;
    r.vulnerability := coalesce(r.vulnerability, '');
  else
    select * into r from public.risks where id = p_id for update;
    if r.id is null then
      raise exception 'risk: not found' using errcode = 'P0002';
    end if;
    if p_version is not null and p_version <> r.version then
      raise exception 'version: this risk was changed meanwhile (now version %)', r.version using errcode = '23505';
    end if;
    v_old := r;
    r := jsonb_populate_record(r, p - 'id' - 'created_by' - 'created_at' - 'version' - 'accepted_by' - 'accepted_at');
  end if;
  if r.scope is null or r.scope not in ('base', 'area', 'programme') then
    raise exception 'scope: base, area or programme' using errcode = '22023';
  end if;
  if r.scope = 'base' and r.base_id is not null and r.area_pcode is null then
    r.area_pcode := (select coalesce(s.admin2_pcode, s.admin1_pcode) from public.org_sites s where s.id = r.base_id);
  end if;
  -- the suggestion, when there is one, is stored with the likelihood chosen against it
  if r.area_pcode is not null and r.threat_category is not null
     and (p_id is null or p ? 'as_of'
          or (r.area_pcode, r.threat_category) is distinct from (v_old.area_pcode, v_old.threat_category)) then
    v_sugg := public.risk_suggest(r.area_pcode, r.threat_category, (p ->> 'as_of')::date);
    if (v_sugg ->> 'available')::boolean then
      r.suggestion := v_sugg;
      r.likelihood_suggested := (v_sugg ->> 'suggested')::smallint;
    else
      r.suggestion := null;
      r.likelihood_suggested := null;
    end if;
  end if;
  if r.likelihood_suggested is not null and r.likelihood <> r.likelihood_suggested
     and length(btrim(coalesce(r.likelihood_reason, ''))) = 0 then
    raise exception 'likelihood_reason: the likelihood differs from the suggested % — say why', r.likelihood_suggested
      using errcode = '22023';
  end if;
  if p_id is not null then
    -- nothing changed: the row as it was, and the mitigations sent (if any) as they are stored
    if r is not distinct from v_old
       and (not p ? 'mitigations'
            or (jsonb_typeof(p -> 'mitigations') = 'array'
                and (select coalesce(jsonb_agg(jsonb_build_object('action', btrim(x ->> 'action'),
                               'owner', coalesce(x ->> 'owner', ''), 'due_date', x ->> 'due_date',
                               'done', coalesce((x ->> 'done')::boolean, false)) order by n), '[]'::jsonb)
                     from jsonb_array_elements(p -> 'mitigations') with ordinality as e(x, n))
                    = (select coalesce(jsonb_agg(jsonb_build_object('action', rm.action, 'owner', rm.owner,
                               'due_date', rm.due_date::text, 'done', rm.done) order by rm.position), '[]'::jsonb)
                       from public.risk_mitigations rm where rm.risk_id = r.id))) then
      return public.risk_get(r.id);
    end if;
    insert into public.risk_history (risk_id, version, content, changed_by)
    values (r.id, v_old.version, public.risk_get(r.id) - 'history', auth.uid());
    r.version := v_old.version + 1;
  end if;
  r.updated_at := now();
  if p_id is null then
    r.created_by := auth.uid();
    r.created_at := now();
    r.accepted_by := null;
    r.accepted_at := null;
    insert into public.risks select r.*;
  else
    update public.risks set
      title = r.title, scope = r.scope, base_id = r.base_id, area_pcode = r.area_pcode, programme = r.programme,
      threat_category = r.threat_category, vulnerability = r.vulnerability, likelihood = r.likelihood,
      impact = r.impact, likelihood_suggested = r.likelihood_suggested, likelihood_reason = r.likelihood_reason,
      suggestion = r.suggestion, residual_likelihood = r.residual_likelihood, residual_impact = r.residual_impact,
      review_date = r.review_date, version = r.version, updated_at = r.updated_at
    where id = r.id;
  end if;
  if p ? 'mitigations' then
    if jsonb_typeof(p -> 'mitigations') <> 'array' or jsonb_array_length(p -> 'mitigations') > 50 then
      raise exception 'mitigations: a list of at most 50' using errcode = '22023';
    end if;
    delete from public.risk_mitigations where risk_id = r.id;
    for m in select * from jsonb_array_elements(p -> 'mitigations') loop
      if coalesce(btrim(m ->> 'action'), '') = '' then
        raise exception 'mitigations.%.action: required', i using errcode = '22023';
      end if;
      insert into public.risk_mitigations (risk_id, action, owner, due_date, done, position)
      values (r.id, btrim(m ->> 'action'), coalesce(m ->> 'owner', ''), (m ->> 'due_date')::date,
              coalesce((m ->> 'done')::boolean, false), i);
      i := i + 1;
    end loop;
  end if;
  return public.risk_get(r.id);
end
$$;

-- Acceptance: the caller accepts the risk as it stands (who and when), kept in the history.
create function public.risk_accept(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare r public.risks;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'risks are accepted by analysts and admins' using errcode = '42501';
  end if;
  select * into r from public.risks where id = p_id for update;
  if r.id is null then
    raise exception 'risk: not found' using errcode = 'P0002';
  end if;
  insert into public.risk_history (risk_id, version, content, changed_by)
  values (r.id, r.version, public.risk_get(r.id) - 'history', auth.uid());
  update public.risks set accepted_by = auth.uid(), accepted_at = now(), version = version + 1, updated_at = now()
  where id = p_id;
  return public.risk_get(p_id);
end
$$;

-- Review reminders: a risk whose review date is within 7 days (or past) raises one alert, to
-- its author and to analysts and admins, once per review date. Run by the server's timer (the
-- movements' overdue sweeper) as the service role.
create function private.risks_review_sweep() returns jsonb
language plpgsql volatile security definer
set search_path = public, pg_temp
as $$
declare v jsonb;
begin
  with due as (
    update public.risks r set reminded_for = r.review_date
    where r.review_date is not null and r.review_date <= current_date + 7
      and r.reminded_for is distinct from r.review_date
    returning r.id, r.title, r.review_date, r.created_by
  ), raised as (
    insert into public.alerts (kind, severity, title, body, target_users, target_roles)
    select 'other', 'info', left('Risk review due ' || d.review_date || ': ' || d.title, 300),
           jsonb_build_object('risk_id', d.id, 'review_date', d.review_date, 'href', '/risks/' || d.id),
           array[d.created_by], array['admin', 'analyst']
    from due d
    returning id
  )
  select coalesce(jsonb_agg(id), '[]'::jsonb) into v from raised;
  return v;
end
$$;
revoke execute on function private.risks_review_sweep() from public, anon, authenticated;
