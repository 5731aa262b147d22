set check_function_bodies = off;

-- Headcounts and contingency plans (issue 11). Migration 20261205040100.
--
-- Both are about where people are and how they get out: as sensitive as a movement plan. So the
-- tables live in the `sensitive` schema, reads go through RLS (security-invoker functions, audited)
-- and every write through the SECURITY DEFINER functions below, which check who may do what.

-- Headcount: a roll call of staff. An admin or analyst starts one for everyone, a base (the people
-- assigned to its district, its governorate or an area inside it) or an area; each person answers
-- "safe" or "need help" (optionally with a position and a note) from any screen. Who has not
-- answered after escalate_after_minutes is escalated to the person who started it and to the
-- analysts and admins (an alert); a "need help" answer alerts them at once.
create table sensitive.headcounts (
  id                      uuid primary key default gen_random_uuid(),
  scope                   text not null check (scope in ('everyone', 'base', 'area')),
  base_site_id            uuid references public.org_sites (id) on delete set null,
  -- the area the people were taken from (a base: its district)
  pcode                   text references public.areas (pcode),
  message                 text not null default '' check (length(message) <= 2000),
  escalate_after_minutes  integer not null default 60 check (escalate_after_minutes between 1 and 10080),
  started_by              uuid references public.app_users (id) on delete set null,
  started_at              timestamptz not null default now(),
  closed_at               timestamptz,
  closed_by               uuid references public.app_users (id) on delete set null,
  constraint headcounts_scope check (scope = 'everyone' or pcode is not null)
);
create index headcounts_open_idx on sensitive.headcounts (started_at) where closed_at is null;

create table sensitive.headcount_people (
  headcount_id  uuid not null references sensitive.headcounts (id) on delete cascade,
  user_id       uuid not null references public.app_users (id) on delete cascade,
  answer        text check (answer in ('safe', 'need_help')),
  answered_at   timestamptz,
  position      geometry(Point, 4326),
  note          text not null default '' check (length(note) <= 2000),
  escalated_at  timestamptz,
  primary key (headcount_id, user_id)
);
create index headcount_people_user_idx on sensitive.headcount_people (user_id);

-- The headcounts the caller is counted in, read past RLS (a policy on headcounts that queried
-- headcount_people under RLS would recurse).
create function sensitive.my_headcount_ids() returns uuid[]
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select coalesce(array_agg(headcount_id), '{}') from sensitive.headcount_people where user_id = (select auth.uid())
$$;
revoke all on function sensitive.my_headcount_ids() from public;
grant execute on function sensitive.my_headcount_ids() to authenticated;

alter table sensitive.headcounts enable row level security;
alter table sensitive.headcount_people enable row level security;
create policy "Analysts and admins can read every headcount" on sensitive.headcounts
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Users can read the headcounts they are counted in" on sensitive.headcounts
  for select to authenticated using (
    (select public.current_app_role()) is not null and id = any (coalesce((select sensitive.my_headcount_ids()), '{}')));
create policy "Analysts and admins can read every answer" on sensitive.headcount_people
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Users can read their own answer" on sensitive.headcount_people
  for select to authenticated using (user_id = (select auth.uid()) and (select public.current_app_role()) is not null);
grant select on sensitive.headcounts, sensitive.headcount_people to authenticated;
create trigger headcounts_audit after insert or update or delete on sensitive.headcounts
  for each row execute function private.audit_row();
create trigger headcount_people_audit after update on sensitive.headcount_people
  for each row execute function private.audit_row();

-- A headcount as the caller may read it: analysts and admins every person; anyone else their own.
create function public.headcount_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, extensions, pg_temp
as $$
  select jsonb_build_object(
    'id', h.id, 'scope', h.scope, 'base_site_id', h.base_site_id,
    'base_name', (select s.name from public.org_sites s where s.id = h.base_site_id),
    'pcode', h.pcode, 'area_name', (select a.name_en from public.areas a where a.pcode = h.pcode),
    'message', h.message, 'escalate_after_minutes', h.escalate_after_minutes,
    'started_by', h.started_by, 'started_by_name', sensitive.user_label(h.started_by), 'started_at', h.started_at,
    'escalate_at', h.started_at + make_interval(mins => h.escalate_after_minutes),
    'closed_at', h.closed_at,
    'counts', (select jsonb_build_object(
                 'people', count(*), 'safe', count(*) filter (where p.answer = 'safe'),
                 'need_help', count(*) filter (where p.answer = 'need_help'),
                 'no_answer', count(*) filter (where p.answer is null),
                 'escalated', count(*) filter (where p.answer is null and p.escalated_at is not null))
               from sensitive.headcount_people p where p.headcount_id = h.id),
    'people', coalesce((select jsonb_agg(jsonb_build_object(
        'user_id', p.user_id, 'name', sensitive.user_label(p.user_id), 'answer', p.answer,
        'answered_at', p.answered_at, 'note', p.note, 'escalated', p.escalated_at is not null,
        'lon', st_x(p.position), 'lat', st_y(p.position))
        order by (p.answer = 'need_help') desc nulls first, p.answer nulls first, sensitive.user_label(p.user_id))
      from sensitive.headcount_people p where p.headcount_id = h.id), '[]'),
    'mine', (select jsonb_build_object('answer', p.answer, 'answered_at', p.answered_at, 'note', p.note)
             from sensitive.headcount_people p where p.headcount_id = h.id and p.user_id = (select auth.uid())))
  from sensitive.headcounts h where h.id = p_id
$$;

-- One headcount (the read is audited: it holds people's positions).
create function public.headcount_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb := public.headcount_json(p_id);
begin
  perform public.audit_record('read', 'headcounts', jsonb_build_object('id', p_id, 'found', v is not null));
  if v is null then
    raise exception 'no headcount with id %', p_id using errcode = 'P0002';
  end if;
  return v;
end
$$;

-- The headcounts the caller may see, open ones first, without the people (their counts only).
create function public.headcounts_list(p_limit integer default 50) returns jsonb
language plpgsql stable
set search_path = public, sensitive, pg_temp
as $$
begin
  if p_limit is null or p_limit not between 1 and 500 then
    raise exception 'limit: must be between 1 and 500' using errcode = '22023';
  end if;
  return coalesce((select jsonb_agg(public.headcount_json(h.id) - 'people' order by h.closed_at is not null, h.started_at desc)
                   from (select * from sensitive.headcounts order by closed_at is not null, started_at desc limit p_limit) h), '[]');
end
$$;

-- The open headcounts the caller has not answered (the banner on every screen).
create function public.my_headcounts_pending() returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', h.id, 'message', h.message, 'started_at', h.started_at)
                            order by h.started_at), '[]')
  from sensitive.headcounts h
  join sensitive.headcount_people p on p.headcount_id = h.id and p.user_id = (select auth.uid())
  where h.closed_at is null and p.answer is null
$$;

-- Start a headcount (admins and analysts). Everything is checked before anything is written.
create function public.headcount_start(p_scope text, p_pcode text default null, p_base_site_id uuid default null,
                                       p_message text default '', p_escalate_after_minutes integer default 60)
returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  v_id uuid := gen_random_uuid();
  v_pcode text := nullif(btrim(coalesce(p_pcode, '')), '');
  v_people uuid[];
  v_alert uuid;
begin
  if me is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins start a headcount' using errcode = '42501';
  end if;
  if p_scope is null or p_scope not in ('everyone', 'base', 'area') then
    raise exception 'scope: one of everyone, base, area' using errcode = '22023';
  end if;
  if p_escalate_after_minutes is null or p_escalate_after_minutes not between 1 and 10080 then
    raise exception 'escalate_after_minutes: between 1 and 10080' using errcode = '22023';
  end if;
  if length(coalesce(p_message, '')) > 2000 then
    raise exception 'message: at most 2000 characters' using errcode = '22023';
  end if;
  if p_scope = 'base' then
    select coalesce(s.admin2_pcode, s.admin1_pcode) into v_pcode
    from public.org_sites s where s.id = p_base_site_id and s.site_type = 'base';
    if not found then
      raise exception 'base_site_id: no base with id %', p_base_site_id using errcode = '22023';
    end if;
    if v_pcode is null then
      raise exception 'base_site_id: the base has no area to take its people from' using errcode = '22023';
    end if;
  elsif p_scope = 'area' then
    if v_pcode is null then
      raise exception 'pcode: say which area' using errcode = '22023';
    end if;
    if not exists (select 1 from public.areas a where a.pcode = v_pcode) then
      raise exception 'pcode: no area %', v_pcode using errcode = '22023';
    end if;
  else
    v_pcode := null;
  end if;
  select coalesce(array_agg(u.id order by u.email), '{}') into v_people
  from public.app_users u
  where not u.disabled
    and (v_pcode is null or u.assigned_areas && public.area_lineage(array[v_pcode]));
  if cardinality(v_people) = 0 then
    raise exception '%: nobody is assigned there', case when p_scope = 'base' then 'base_site_id' else 'pcode' end
      using errcode = '22023';
  end if;
  insert into sensitive.headcounts (id, scope, base_site_id, pcode, message, escalate_after_minutes, started_by)
  values (v_id, p_scope, case when p_scope = 'base' then p_base_site_id end, v_pcode, coalesce(p_message, ''),
          p_escalate_after_minutes, me);
  insert into sensitive.headcount_people (headcount_id, user_id) select v_id, x from unnest(v_people) x;
  -- everyone counted is told (in the app, and by e-mail in their language); the alert names no place
  insert into public.alerts (kind, severity, title, body, target_users)
  values ('headcount', 'critical', 'Headcount: are you safe?', jsonb_build_object('headcount_id', v_id), v_people)
  returning id into v_alert;
  perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
  perform pg_notify('terrain_live', jsonb_build_object('kind', 'headcount', 'id', v_id)::text);
  return public.headcount_json(v_id);
end
$$;

-- A person's answer: safe or need help, optionally where and a note. The latest answer counts
-- (someone safe may need help later). Only one's own answer, while the headcount is open.
create function public.headcount_answer(p_id uuid, p_answer text, p_lon double precision default null,
                                        p_lat double precision default null, p_note text default '')
returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  h sensitive.headcounts;
  v_pos geometry;
  v_alert uuid;
begin
  if me is null or public.current_app_role() is null then
    raise exception 'sign in to answer a headcount' using errcode = '42501';
  end if;
  select * into h from sensitive.headcounts where id = p_id;
  if h.id is null or not exists (select 1 from sensitive.headcount_people where headcount_id = p_id and user_id = me) then
    raise exception 'no headcount with id % that counts you', p_id using errcode = 'P0002';
  end if;
  if h.closed_at is not null then
    raise exception 'status: this headcount was closed at %', h.closed_at using errcode = '22023';
  end if;
  if p_answer is null or p_answer not in ('safe', 'need_help') then
    raise exception 'answer: safe or need_help' using errcode = '22023';
  end if;
  if (p_lon is null) <> (p_lat is null) or p_lon not between -180 and 180 or p_lat not between -90 and 90 then
    raise exception 'lon: give lon and lat in degrees, or neither' using errcode = '22023';
  end if;
  if length(coalesce(p_note, '')) > 2000 then
    raise exception 'note: at most 2000 characters' using errcode = '22023';
  end if;
  if p_lon is not null then
    v_pos := st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  end if;
  update sensitive.headcount_people set answer = p_answer, answered_at = now(), position = v_pos,
    note = coalesce(p_note, '')
  where headcount_id = p_id and user_id = me;
  if p_answer = 'need_help' then
    insert into public.alerts (kind, severity, title, body, target_users, target_roles)
    values ('headcount', 'critical', 'Headcount: someone needs help',
            jsonb_build_object('headcount_id', p_id, 'need_help', 1),
            array_remove(array[h.started_by], null), array['analyst', 'admin'])
    returning id into v_alert;
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
  end if;
  perform pg_notify('terrain_live', jsonb_build_object('kind', 'headcount', 'id', p_id)::text);
  return jsonb_build_object('id', p_id, 'answer', p_answer, 'answered_at', now(),
                            'lon', p_lon, 'lat', p_lat, 'note', coalesce(p_note, ''));
end
$$;

create function public.headcount_close(p_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare n integer;
begin
  if not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins close a headcount' using errcode = '42501';
  end if;
  update sensitive.headcounts set closed_at = now(), closed_by = (select auth.uid())
  where id = p_id and closed_at is null;
  get diagnostics n = row_count;
  if n = 0 then
    raise exception 'no open headcount with id %', p_id using errcode = 'P0002';
  end if;
  perform pg_notify('terrain_live', jsonb_build_object('kind', 'headcount', 'id', p_id)::text);
  return public.headcount_json(p_id);
end
$$;

-- People who have not answered an open headcount in time are escalated once: one alert per
-- headcount and round, to whoever started it and to the analysts and admins. The server's timer.
create function private.headcounts_escalate_sweep() returns integer
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  r record;
  v_alert uuid;
  n integer := 0;
begin
  for r in
    with late as (
      update sensitive.headcount_people p set escalated_at = now()
      from sensitive.headcounts h
      where h.id = p.headcount_id and h.closed_at is null and p.answer is null and p.escalated_at is null
        and h.started_at + make_interval(mins => h.escalate_after_minutes) <= now()
      returning p.headcount_id
    )
    select l.headcount_id, count(*)::int as people, h.started_by
    from late l join sensitive.headcounts h on h.id = l.headcount_id
    group by l.headcount_id, h.started_by
  loop
    insert into public.alerts (kind, severity, title, body, target_users, target_roles)
    values ('headcount', 'critical', format('Headcount: %s people have not answered', r.people),
            jsonb_build_object('headcount_id', r.headcount_id, 'not_answered', r.people),
            array_remove(array[r.started_by], null), array['analyst', 'admin'])
    returning id into v_alert;
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'alert', 'id', v_alert)::text);
    perform pg_notify('terrain_live', jsonb_build_object('kind', 'headcount', 'id', r.headcount_id)::text);
    n := n + r.people;
  end loop;
  return n;
end
$$;
revoke all on function private.headcounts_escalate_sweep() from public, anon, authenticated;

revoke all on function public.headcount_json(uuid), public.headcount_get(uuid), public.headcounts_list(integer),
  public.my_headcounts_pending(), public.headcount_start(text, text, uuid, text, integer),
  public.headcount_answer(uuid, text, double precision, double precision, text), public.headcount_close(uuid)
  from public, anon;
grant execute on function public.headcount_json(uuid), public.headcount_get(uuid), public.headcounts_list(integer),
  public.my_headcounts_pending(), public.headcount_start(text, text, uuid, text, integer),
  public.headcount_answer(uuid, text, double precision, double precision, text), public.headcount_close(uuid)
  to authenticated;

-- Contingency plans: for each base, a hibernation, a relocation and an evacuation plan, each with
-- its text (Markdown), its sites (hibernation sites, assembly points, safe havens, each with
-- capacity, stocks and means of communication), routes and responsible staff. Every save keeps a
-- numbered version (who, when, why), so the history can be read back and compared.
--   admin, analyst  read and write every plan
--   field           read the plans of bases in their assigned areas (need-to-know)
--   viewer, anon    nothing
create table sensitive.contingency_plans (
  id            uuid primary key default gen_random_uuid(),
  base_site_id  uuid not null references public.org_sites (id) on delete cascade,
  kind          text not null check (kind in ('hibernation', 'relocation', 'evacuation')),
  summary       text not null default '' check (length(summary) <= 20000),
  sites         jsonb not null default '[]' check (jsonb_typeof(sites) = 'array'),
  routes        text not null default '' check (length(routes) <= 10000),
  responsible   text not null default '' check (length(responsible) <= 4000),
  version       integer not null default 1,
  created_by    uuid references public.app_users (id) on delete set null,
  created_at    timestamptz not null default now(),
  updated_by    uuid references public.app_users (id) on delete set null,
  updated_at    timestamptz not null default now(),
  constraint contingency_plans_one_per_kind unique (base_site_id, kind)
);

create table sensitive.contingency_plan_versions (
  plan_id     uuid not null references sensitive.contingency_plans (id) on delete cascade,
  version     integer not null,
  snapshot    jsonb not null,
  note        text not null default '',
  changed_by  uuid references public.app_users (id) on delete set null,
  changed_at  timestamptz not null default now(),
  primary key (plan_id, version)
);

-- The bases a field user may read the plans of: those placed in their assigned areas.
create function sensitive.my_base_ids() returns uuid[]
language sql stable security definer
set search_path = public, sensitive, pg_temp
as $$
  select coalesce(array_agg(s.id), '{}') from public.org_sites s
  where s.site_type = 'base'
    and array_remove(array[s.admin1_pcode, s.admin2_pcode, s.admin3_pcode], null) && sensitive.my_area_scope()
$$;
revoke all on function sensitive.my_base_ids() from public;
grant execute on function sensitive.my_base_ids() to authenticated;

alter table sensitive.contingency_plans enable row level security;
alter table sensitive.contingency_plan_versions enable row level security;
create policy "Analysts and admins can read every contingency plan" on sensitive.contingency_plans
  for select to authenticated using ((select public.has_app_role('admin', 'analyst')));
create policy "Field staff can read the contingency plans of their bases" on sensitive.contingency_plans
  for select to authenticated using (
    (select public.has_app_role('field')) and base_site_id = any (coalesce((select sensitive.my_base_ids()), '{}')));
create policy "Users can read the versions of plans they can read" on sensitive.contingency_plan_versions
  for select to authenticated using (exists (select 1 from sensitive.contingency_plans p where p.id = plan_id));
grant select on sensitive.contingency_plans, sensitive.contingency_plan_versions to authenticated;
create trigger contingency_plans_audit after insert or update or delete on sensitive.contingency_plans
  for each row execute function private.audit_row();

-- The contingency page: every base the caller may see the plans of, with its three plans (or null
-- where none is written yet).
create function public.contingency_overview() returns jsonb
language sql stable
set search_path = public, sensitive, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'base_site_id', s.id, 'base_name', s.name, 'pcode', coalesce(s.admin2_pcode, s.admin1_pcode),
      'plans', (select jsonb_object_agg(k.kind, (
                  select jsonb_build_object('id', p.id, 'version', p.version, 'updated_at', p.updated_at,
                                            'updated_by_name', sensitive.user_label(p.updated_by))
                  from sensitive.contingency_plans p where p.base_site_id = s.id and p.kind = k.kind))
                from unnest(array['hibernation', 'relocation', 'evacuation']) k(kind)))
    order by s.name), '[]')
  from public.org_sites s
  where s.site_type = 'base' and s.status = 'open'
    and (public.has_app_role('admin', 'analyst') or (public.has_app_role('field') and s.id = any (sensitive.my_base_ids())))
$$;

-- One plan with its versions (newest first), as the caller may read it; the read is audited.
create function public.contingency_plan_get(p_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, pg_temp
as $$
declare v jsonb;
begin
  select jsonb_build_object(
      'id', p.id, 'base_site_id', p.base_site_id, 'base_name', s.name, 'kind', p.kind, 'summary', p.summary,
      'sites', p.sites, 'routes', p.routes, 'responsible', p.responsible, 'version', p.version,
      'created_at', p.created_at, 'updated_at', p.updated_at, 'updated_by_name', sensitive.user_label(p.updated_by),
      'versions', coalesce((select jsonb_agg(jsonb_build_object('version', x.version, 'note', x.note,
                                                                'changed_by_name', sensitive.user_label(x.changed_by),
                                                                'changed_at', x.changed_at, 'snapshot', x.snapshot)
                                             order by x.version desc)
                            from sensitive.contingency_plan_versions x where x.plan_id = p.id), '[]'))
    into v
  from sensitive.contingency_plans p join public.org_sites s on s.id = p.base_site_id
  where p.id = p_id;
  perform public.audit_record('read', 'contingency_plans', jsonb_build_object('id', p_id, 'found', v is not null));
  if v is null then
    raise exception 'no contingency plan with id %', p_id using errcode = 'P0002';
  end if;
  return v;
end
$$;

-- Write a base's plan of a kind (created on first save). Merge semantics: keys not given stay as
-- they are; `sites` given replaces the list. Each save is a new version with its note. Analysts and
-- admins only; everything is checked, with the field named, before anything is written.
create function public.contingency_plan_save(p_base_site_id uuid, p_kind text, p_fields jsonb, p_note text default '')
returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  p sensitive.contingency_plans;
  k text;
  e jsonb;
  n integer;
begin
  if me is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins write contingency plans' using errcode = '42501';
  end if;
  if not exists (select 1 from public.org_sites s where s.id = p_base_site_id and s.site_type = 'base') then
    raise exception 'base_site_id: no base with id %', p_base_site_id using errcode = '22023';
  end if;
  if p_kind is null or p_kind not in ('hibernation', 'relocation', 'evacuation') then
    raise exception 'kind: one of hibernation, relocation, evacuation' using errcode = '22023';
  end if;
  if p_fields is null or jsonb_typeof(p_fields) <> 'object' then
    raise exception 'plan: expected a JSON object' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_fields) loop
    if k not in ('summary', 'sites', 'routes', 'responsible') then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  select * into p from sensitive.contingency_plans where base_site_id = p_base_site_id and kind = p_kind for update;
  if p.id is null then
    p.id := gen_random_uuid();
    p.base_site_id := p_base_site_id;
    p.kind := p_kind;
    p.summary := '';
    p.sites := '[]';
    p.routes := '';
    p.responsible := '';
    p.version := 0;
    p.created_by := me;
    p.created_at := now();
  end if;
  if p_fields ? 'summary' then p.summary := coalesce(p_fields ->> 'summary', ''); end if;
  if length(p.summary) > 20000 then
    raise exception 'summary: at most 20000 characters' using errcode = '22023';
  end if;
  if p_fields ? 'routes' then p.routes := coalesce(p_fields ->> 'routes', ''); end if;
  if length(p.routes) > 10000 then
    raise exception 'routes: at most 10000 characters' using errcode = '22023';
  end if;
  if p_fields ? 'responsible' then p.responsible := coalesce(p_fields ->> 'responsible', ''); end if;
  if length(p.responsible) > 4000 then
    raise exception 'responsible: at most 4000 characters' using errcode = '22023';
  end if;
  if p_fields ? 'sites' then
    if jsonb_typeof(p_fields -> 'sites') <> 'array' or jsonb_array_length(p_fields -> 'sites') > 100 then
      raise exception 'sites: expected a list of at most 100 sites' using errcode = '22023';
    end if;
    for e, n in select x, o from jsonb_array_elements(p_fields -> 'sites') with ordinality t(x, o) loop
      if jsonb_typeof(e) <> 'object' or length(btrim(coalesce(e ->> 'name', ''))) = 0 then
        raise exception 'sites.%.name: is required', n - 1 using errcode = '22023';
      end if;
      if coalesce(e ->> 'role', '') not in ('hibernation_site', 'assembly_point', 'safe_haven') then
        raise exception 'sites.%.role: one of hibernation_site, assembly_point, safe_haven', n - 1 using errcode = '22023';
      end if;
      if e ? 'capacity' and jsonb_typeof(e -> 'capacity') <> 'null'
         and (jsonb_typeof(e -> 'capacity') <> 'number' or (e ->> 'capacity')::numeric < 0
              or (e ->> 'capacity')::numeric <> trunc((e ->> 'capacity')::numeric)) then
        raise exception 'sites.%.capacity: a whole number of people, 0 or more', n - 1 using errcode = '22023';
      end if;
      if (jsonb_typeof(e -> 'lon') = 'number') <> (jsonb_typeof(e -> 'lat') = 'number')
         or (jsonb_typeof(e -> 'lon') = 'number' and ((e ->> 'lon')::float8 not between -180 and 180
                                                     or (e ->> 'lat')::float8 not between -90 and 90)) then
        raise exception 'sites.%.lon: give lon and lat in degrees, or neither', n - 1 using errcode = '22023';
      end if;
    end loop;
    p.sites := (select coalesce(jsonb_agg(jsonb_build_object(
                   'name', btrim(x ->> 'name'), 'role', x ->> 'role',
                   'capacity', case when jsonb_typeof(x -> 'capacity') = 'number' then (x ->> 'capacity')::int end,
                   'stocks', coalesce(x ->> 'stocks', ''), 'comms', coalesce(x ->> 'comms', ''),
                   'lon', case when jsonb_typeof(x -> 'lon') = 'number' then (x ->> 'lon')::float8 end,
                   'lat', case when jsonb_typeof(x -> 'lat') = 'number' then (x ->> 'lat')::float8 end)
                 order by o), '[]')
                from jsonb_array_elements(p_fields -> 'sites') with ordinality t(x, o));
  end if;
  if length(coalesce(p_note, '')) > 2000 then
    raise exception 'note: at most 2000 characters' using errcode = '22023';
  end if;
  p.version := p.version + 1;
  p.updated_by := me;
  p.updated_at := now();
  insert into sensitive.contingency_plans values (p.*)
  on conflict (id) do update set summary = excluded.summary, sites = excluded.sites, routes = excluded.routes,
    responsible = excluded.responsible, version = excluded.version, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at;
  insert into sensitive.contingency_plan_versions (plan_id, version, snapshot, note, changed_by)
  values (p.id, p.version, jsonb_build_object('summary', p.summary, 'sites', p.sites, 'routes', p.routes,
                                              'responsible', p.responsible),
          coalesce(p_note, ''), me);
  return jsonb_build_object('id', p.id, 'base_site_id', p.base_site_id, 'kind', p.kind, 'version', p.version,
                            'summary', p.summary, 'sites', p.sites, 'routes', p.routes, 'responsible', p.responsible,
                            'updated_at', p.updated_at);
end
$$;

revoke all on function public.contingency_overview(), public.contingency_plan_get(uuid),
  public.contingency_plan_save(uuid, text, jsonb, text) from public, anon;
grant execute on function public.contingency_overview(), public.contingency_plan_get(uuid),
  public.contingency_plan_save(uuid, text, jsonb, text) to authenticated;

-- Drawn routes of a contingency plan (20261211300000): the roads out, each a line drawn on the map
-- or read from a KML/KMZ/GPX/GeoJSON file (the movement plans' route-file reader), named, linked
-- to its plan and optionally to the plan site it leads to (by the site's name in the plan). They
-- are as sensitive as a movement's route: read under the plans' RLS (a viewer or a field user of
-- another base sees none), written only by the SECURITY DEFINER functions below (analysts and
-- admins), every change and every read audited. The nearest-site finder measures along them.
create table sensitive.contingency_plan_routes (
  id          uuid primary key default gen_random_uuid(),
  plan_id     uuid not null references sensitive.contingency_plans (id) on delete cascade,
  name        text not null check (length(btrim(name)) between 1 and 200),
  -- the plan site it leads to (its name among the plan's sites); null: it serves every site that
  -- lies within 1 km of it
  to_site     text check (length(to_site) <= 200),
  -- one continuous line: distance along it is measured with ST_LineLocatePoint
  geom        geometry(LineString, 4326) not null,
  source      text not null default 'drawn' check (length(source) <= 300),
  created_by  uuid references public.app_users (id) on delete set null,
  created_at  timestamptz not null default now()
);
create index contingency_plan_routes_plan_idx on sensitive.contingency_plan_routes (plan_id);

alter table sensitive.contingency_plan_routes enable row level security;
create policy "Users can read the routes of plans they can read" on sensitive.contingency_plan_routes
  for select to authenticated using (exists (select 1 from sensitive.contingency_plans p where p.id = plan_id));
grant select on sensitive.contingency_plan_routes to authenticated;
create trigger contingency_plan_routes_audit after insert or update or delete on sensitive.contingency_plan_routes
  for each row execute function private.audit_row();

-- One route as the API answers it (security invoker: RLS decides whether it is found).
create function public.contingency_route_json(p_id uuid) returns jsonb
language sql stable
set search_path = public, sensitive, extensions, pg_temp
as $$
  select jsonb_build_object('id', r.id, 'plan_id', r.plan_id, 'name', r.name, 'to_site', r.to_site,
                            'source', r.source,
                            'length_km', round((st_length(r.geom::geography) / 1000)::numeric, 3),
                            'route', st_asgeojson(r.geom, 6)::jsonb, 'created_at', r.created_at,
                            'created_by_name', public.app_user_label(r.created_by))
  from sensitive.contingency_plan_routes r where r.id = p_id
$$;

-- A plan's drawn routes, by name; the read is audited (it tells which roads people will take).
create function public.contingency_routes_list(p_plan_id uuid) returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare v jsonb;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'contingency plans are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if not exists (select 1 from sensitive.contingency_plans p where p.id = p_plan_id) then
    raise exception 'no contingency plan with id %', p_plan_id using errcode = 'P0002';
  end if;
  select coalesce(jsonb_agg(public.contingency_route_json(r.id) order by r.name, r.created_at), '[]') into v
  from sensitive.contingency_plan_routes r where r.plan_id = p_plan_id;
  perform public.audit_record('read', 'contingency_plan_routes',
                              jsonb_build_object('plan_id', p_plan_id, 'n', jsonb_array_length(v)));
  return v;
end
$$;

-- Add a route to a plan: {name, route (GeoJSON LineString, or a MultiLineString that joins into
-- one line), to_site?, source?}. Analysts and admins; each field checked, and named, before
-- anything is written.
create function public.contingency_route_add(p_plan_id uuid, p_route jsonb) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  me uuid := (select auth.uid());
  v_plan sensitive.contingency_plans;
  k text;
  g geometry;
  v_name text;
  v_to text;
  v_id uuid;
begin
  if me is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins write contingency plans' using errcode = '42501';
  end if;
  select * into v_plan from sensitive.contingency_plans where id = p_plan_id;
  if v_plan.id is null then
    raise exception 'plan_id: no contingency plan with id %', p_plan_id using errcode = 'P0002';
  end if;
  if p_route is null or jsonb_typeof(p_route) <> 'object' then
    raise exception 'route: expected a JSON object {name, route, to_site}' using errcode = '22023';
  end if;
  for k in select jsonb_object_keys(p_route) loop
    if k not in ('name', 'route', 'to_site', 'source') then
      raise exception '%: unknown field', k using errcode = '22023';
    end if;
  end loop;
  v_name := btrim(coalesce(p_route ->> 'name', ''));
  if length(v_name) = 0 then
    raise exception 'name: is required' using errcode = '22023';
  end if;
  if length(v_name) > 200 then
    raise exception 'name: at most 200 characters' using errcode = '22023';
  end if;
  g := public.route_geometry(p_route -> 'route');
  g := st_linemerge(g);
  if geometrytype(g) <> 'LINESTRING' then
    raise exception 'route: must be one continuous line; its % parts do not join end to end', st_numgeometries(g)
      using errcode = '22023';
  end if;
  v_to := nullif(btrim(coalesce(p_route ->> 'to_site', '')), '');
  if v_to is not null and not exists (select 1 from jsonb_array_elements(v_plan.sites) s where s ->> 'name' = v_to) then
    raise exception 'to_site: no site named "%" in this plan', v_to using errcode = '22023';
  end if;
  if length(coalesce(p_route ->> 'source', '')) > 300 then
    raise exception 'source: at most 300 characters' using errcode = '22023';
  end if;
  insert into sensitive.contingency_plan_routes (plan_id, name, to_site, geom, source, created_by)
  values (p_plan_id, v_name, v_to, st_setsrid(g, 4326), coalesce(nullif(p_route ->> 'source', ''), 'drawn'), me)
  returning id into v_id;
  return public.contingency_route_json(v_id);
end
$$;

-- Remove a route from a plan (analysts and admins).
create function public.contingency_route_remove(p_plan_id uuid, p_id uuid) returns jsonb
language plpgsql volatile security definer
set search_path = public, sensitive, pg_temp
as $$
begin
  if (select auth.uid()) is null or not public.has_app_role('admin', 'analyst') then
    raise exception 'only analysts and admins write contingency plans' using errcode = '42501';
  end if;
  delete from sensitive.contingency_plan_routes where id = p_id and plan_id = p_plan_id;
  if not found then
    raise exception 'no route with id % in this plan', p_id using errcode = 'P0002';
  end if;
  return jsonb_build_object('id', p_id, 'deleted', true);
end
$$;

revoke all on function public.contingency_route_json(uuid), public.contingency_routes_list(uuid),
  public.contingency_route_add(uuid, jsonb), public.contingency_route_remove(uuid, uuid) from public, anon;
grant execute on function public.contingency_route_json(uuid), public.contingency_routes_list(uuid),
  public.contingency_route_add(uuid, jsonb), public.contingency_route_remove(uuid, uuid) to authenticated;

-- The nearest hibernation sites, assembly points and safe havens to a point, from the contingency
-- plans the caller may read (security invoker: RLS keeps a field user to the plans of their bases)
-- and the open hibernation sites and assembly points of our sites registry (plan_id null), by
-- straight-line distance on the spheroid. Sites without a position are left out. The read is
-- audited like a plan's (it tells where people will shelter).
--
-- 20261211300000: where a drawn route of a readable plan leads to a site (its to_site, or any site
-- within 1 km of it), each site also carries `route`, the shortest way along one: `approach_km`
-- from the point to the route's nearest point, `along_km` on the line (ST_LineLocatePoint of both,
-- ST_LineSubstring between, length on geography) to the site's projection, `leave_km` from there
-- to the site, and `total_km`, their sum.
-- 20261212200000: the way along routes is measured for every site, not only for the first `limit`
-- by straight line, so the nearest along a route is found wherever it ranks in a straight line.
-- The answer is the `limit` nearest in a straight line together with the `limit` nearest along a
-- route (so it may hold up to 2 × `limit` sites), in straight-line order; each site says its
-- `straight_rank` (1 = nearest in a straight line, among all the sites found) and `route_rank`
-- (1 = the shortest way along a route; null when no route leads there).
create function public.contingency_nearest_sites(p_lon double precision, p_lat double precision,
                                                 p_roles text[] default null, p_limit integer default 5)
returns jsonb
language plpgsql volatile
set search_path = public, sensitive, extensions, pg_temp
as $$
declare
  v jsonb;
  q geometry;
begin
  if not public.has_app_role('admin', 'analyst', 'field') then
    raise exception 'contingency plans are for field staff, analysts and admins' using errcode = '42501';
  end if;
  if p_lon is null or p_lon not between -180 and 180 then
    raise exception 'lon: a longitude in degrees, -180 to 180' using errcode = '22023';
  end if;
  if p_lat is null or p_lat not between -90 and 90 then
    raise exception 'lat: a latitude in degrees, -90 to 90' using errcode = '22023';
  end if;
  if p_roles is not null and not (p_roles <@ array['hibernation_site', 'assembly_point', 'safe_haven']) then
    raise exception 'role: one of hibernation_site, assembly_point, safe_haven' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 1 and 50 then
    raise exception 'limit: must be between 1 and 50' using errcode = '22023';
  end if;
  q := st_setsrid(st_makepoint(p_lon, p_lat), 4326);
  with site as (
    select e, p.id as plan_id, p.kind as plan_kind, p.base_site_id, s.name as base_name,
           st_setsrid(st_makepoint((e ->> 'lon')::float8, (e ->> 'lat')::float8), 4326) as pt
    from sensitive.contingency_plans p
    join public.org_sites s on s.id = p.base_site_id
    cross join lateral jsonb_array_elements(p.sites) e
    where jsonb_typeof(e -> 'lon') = 'number' and jsonb_typeof(e -> 'lat') = 'number'
      and (p_roles is null or e ->> 'role' = any (p_roles))
    union all
    -- our own sites registered as hibernation sites or assembly points (the sites registry)
    select jsonb_build_object('name', o.name, 'role', o.site_type, 'capacity', null, 'stocks', '', 'comms', '',
                              'lon', st_x(o.geom), 'lat', st_y(o.geom)),
           null, null, null, null, o.geom
    from public.org_sites o
    where o.site_type in ('hibernation_site', 'assembly_point') and o.status = 'open'
      and (p_roles is null or o.site_type = any (p_roles))
  ), way as (
    -- every site, with the shortest way to it along a drawn route that leads there (RLS: readable
    -- plans' routes only), not only the first few by straight line
    select t.*, st_distance(t.pt::geography, q::geography) as metres, rt.metres as route_metres, rt.route
    from site t
    left join lateral (
      select d.approach + d.along + d.leave as metres,
             jsonb_build_object('id', r.id, 'name', r.name, 'plan_id', r.plan_id,
                                'approach_km', round((d.approach / 1000)::numeric, 3),
                                'along_km', round((d.along / 1000)::numeric, 3),
                                'leave_km', round((d.leave / 1000)::numeric, 3),
                                'total_km', round(((d.approach + d.along + d.leave) / 1000)::numeric, 3)) as route
      from sensitive.contingency_plan_routes r
      cross join lateral (select st_linelocatepoint(r.geom, q) as a, st_linelocatepoint(r.geom, t.pt) as b) f
      cross join lateral (
        select st_distance(q::geography, r.geom::geography) as approach,
               st_length(st_linesubstring(r.geom, least(f.a, f.b), greatest(f.a, f.b))::geography) as along,
               st_distance(t.pt::geography, r.geom::geography) as leave) d
      where (r.to_site is not null and r.plan_id = t.plan_id and r.to_site = t.e ->> 'name')
         or (r.to_site is null and st_dwithin(r.geom::geography, t.pt::geography, 1000))
      order by d.approach + d.along + d.leave
      limit 1) rt on true
  ), ranked as (
    select w.*,
           row_number() over (order by w.metres, w.e ->> 'name', w.plan_id) as straight_rank,
           case when w.route_metres is not null
                then row_number() over (order by w.route_metres nulls last, w.metres, w.e ->> 'name', w.plan_id)
           end as route_rank
    from way w
  )
  select coalesce(jsonb_agg(jsonb_build_object(
             'name', e ->> 'name', 'role', e ->> 'role', 'capacity', e -> 'capacity', 'stocks', e ->> 'stocks',
             'comms', e ->> 'comms', 'lon', (e ->> 'lon')::float8, 'lat', (e ->> 'lat')::float8,
             'plan_id', plan_id, 'plan_kind', plan_kind, 'base_site_id', base_site_id, 'base_name', base_name,
             'distance_km', round((metres / 1000)::numeric, 3), 'route', route,
             'straight_rank', straight_rank, 'route_rank', route_rank) order by straight_rank), '[]')
    into v
  from ranked
  where straight_rank <= p_limit or route_rank <= p_limit;
  perform public.audit_record('read', 'contingency_plans',
                              jsonb_build_object('nearest', true, 'n', jsonb_array_length(v)));
  return v;
end
$$;
revoke all on function public.contingency_nearest_sites(double precision, double precision, text[], integer)
  from public, anon;
grant execute on function public.contingency_nearest_sites(double precision, double precision, text[], integer)
  to authenticated;
