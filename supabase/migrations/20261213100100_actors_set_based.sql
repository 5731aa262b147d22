-- New actors set-based (issue 16, B1): an import's 5,000 new actors cost 28% of its commit, in
-- actors_before_write (per row: its name's key three times, actor_name_keys and two subqueries,
-- each a SQL function or query planned anew per row) and in the per-row audit trigger.
--
-- actors_before_write now computes the name's key once and skips the work an empty array or a
-- missing Arabic name makes pointless; a row comes out exactly as before (NULL aliases or sources
-- become '{}', as the subqueries made them). The actors are audited per statement with
-- private.audit_statement (20261211100100), as the incidents are: a hand edit leaves the same
-- entries (one per row, before and after), and inside an import commit's audit scope the new
-- actors' ids are noted in one insert.

drop trigger actors_audit on public.actors;

-- Audited per statement (private.audit_statement, as the incidents are; 20261213100100): a hand
-- edit still leaves one entry per row with its before and after, and an import commit's new
-- actors are noted for the job's entry in one insert rather than by a trigger call per actor.
create trigger actors_audit_insert after insert on public.actors
  referencing new table as audit_new
  for each statement execute function private.audit_statement();

create trigger actors_audit_update after update on public.actors
  referencing old table as audit_old new table as audit_new
  for each statement execute function private.audit_statement();

create trigger actors_audit_delete after delete on public.actors
  referencing old table as audit_old
  for each statement execute function private.audit_statement();

create or replace function private.actors_before_write() returns trigger
language plpgsql security definer
set search_path = public, private, pg_temp
as $$
declare h private.actor_alias_hints; k text;
begin
  new.name := trim(new.name);
  new.name_ar := nullif(trim(coalesce(new.name_ar, '')), '');
  k := public.actor_name_key(new.name);
  if tg_op = 'INSERT' and cardinality(new.aliases) = 0 then
    select * into h from private.actor_alias_hints where name_key = k;
    if found then
      new.aliases := h.aliases;
      new.name_ar := coalesce(new.name_ar, h.name_ar);
    end if;
  end if;
  if cardinality(new.aliases) > 0 then
    new.aliases := coalesce((
      select array_agg(a order by ord) from (
        select distinct on (lower(trim(a))) trim(a) as a, ord
        from unnest(new.aliases) with ordinality as x(a, ord)
        where trim(a) <> '' and lower(trim(a)) <> lower(new.name)
        order by lower(trim(a)), ord) d), '{}');
  else
    new.aliases := '{}';
  end if;
  if cardinality(new.sources) > 0 then
    new.sources := coalesce((select array_agg(trim(s)) from unnest(new.sources) s where trim(s) <> ''), '{}');
  else
    new.sources := '{}';
  end if;
  -- actor_name_keys(name, name_ar, aliases), which for the name alone is its key.
  if new.name_ar is null and cardinality(new.aliases) = 0 then
    new.name_keys := case when k is null then '{}'::text[] else array[k] end;
  else
    new.name_keys := public.actor_name_keys(new.name, new.name_ar, new.aliases);
  end if;
  if tg_op = 'INSERT' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
  else
    new.updated_at := now();
  end if;
  return new;
end
$$;
