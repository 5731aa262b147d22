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
  from public.incidents_filtered(v_d - 363, v_d, v_types, p_area) i
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
create function public.risk_save(p_id uuid, p jsonb, p_version integer default null) returns jsonb
language plpgsql volatile
set search_path = public, pg_temp
as $$
declare
  r public.risks;
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
    insert into public.risk_history (risk_id, version, content, changed_by)
    values (r.id, r.version, public.risk_get(r.id) - 'history', auth.uid());
    r := jsonb_populate_record(r, p - 'id' - 'created_by' - 'created_at' - 'version' - 'accepted_by' - 'accepted_at');
    r.version := r.version + 1;
  end if;
  if r.scope is null or r.scope not in ('base', 'area', 'programme') then
    raise exception 'scope: base, area or programme' using errcode = '22023';
  end if;
  if r.scope = 'base' and r.base_id is not null and r.area_pcode is null then
    r.area_pcode := (select coalesce(s.admin2_pcode, s.admin1_pcode) from public.org_sites s where s.id = r.base_id);
  end if;
  -- the suggestion, when there is one, is stored with the likelihood chosen against it
  if r.area_pcode is not null and r.threat_category is not null then
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
