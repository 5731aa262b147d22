-- Lookups the actor pages make often: the incidents naming an actor (counts in the registry, the
-- actor page, the derived confrontations) use these indexes instead of scanning every incident;
-- and pickers (relationship target, merge target, a contact's organisation) need only names.
create index incidents_actor1_idx on public.incidents (actor1_id) where actor1_id is not null;
create index incidents_actor2_idx on public.incidents (actor2_id) where actor2_id is not null;

create function public.actor_names() returns jsonb
language sql stable
set search_path = public, pg_temp
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'actor_type', a.actor_type)
           order by lower(a.name), a.id), '[]'::jsonb)
  from public.actors a
$$;
