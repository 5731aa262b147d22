-- A risk saved without a change (the residual form sent back as it was) wrote a new version, a
-- history row and a new updated_at, and recomputed the likelihood suggestion "as of today",
-- replacing the one dated to the incident data it was chosen against. Now a change that names
-- neither the area, the category nor as_of keeps the stored suggestion, and a change that
-- changes nothing writes nothing. (tests/e2e/reports-risks.test.ts)
create or replace function public.risk_save(p_id uuid, p jsonb, p_version integer default null) returns jsonb
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
