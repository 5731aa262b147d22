-- Idempotent creates: a client that did not get an answer (timeout, server restart, offline outbox)
-- sends the same request again with the same Idempotency-Key and gets the first answer back,
-- without a second row. The server's database seam calls idempotency_begin, the create itself and
-- idempotency_finish in ONE transaction: either the create and its remembered answer are both
-- committed, or neither is, so a server killed between commit and reply replays correctly.
-- Keys are per user and kept 24 hours.

create table private.idempotency_keys (
  -- auth.uid() of the caller; the nil uuid for the server's own (service) calls.
  user_id       uuid not null,
  key           text not null check (length(key) between 1 and 200),
  -- sha256 of the function name and its arguments: the same key with another request is refused.
  request_hash  text not null,
  -- The create's result, returned again on a retry. NULL only inside the creating transaction.
  response      jsonb,
  created_at    timestamptz not null default now(),
  primary key (user_id, key)
);
create index idempotency_keys_created_idx on private.idempotency_keys (created_at);
alter table private.idempotency_keys enable row level security;
-- Nobody reads or writes the table directly (schema private is closed to the app roles); the two
-- security-definer functions below do. The policy documents who a row belongs to.
create policy "Users can read their own idempotency records" on private.idempotency_keys
  for select to authenticated using (user_id = (select auth.uid()));

-- NULL when the key is new (the caller goes on to create, then calls idempotency_finish), or
-- {"response": …} with the first answer. The same key with a different request raises P0422
-- (answered 422). On PostgreSQL a concurrent first use of the key waits on the primary key
-- until the first transaction ends, then sees its answer.
create function public.idempotency_begin(p_key text, p_request_hash text) returns jsonb
language plpgsql volatile security definer
set search_path = public, private, pg_temp
as $$
declare
  v_user uuid := coalesce((select auth.uid()), '00000000-0000-0000-0000-000000000000');
  v_row private.idempotency_keys;
begin
  if p_key is null or length(p_key) not between 1 and 200 then
    raise exception 'Idempotency-Key must be 1 to 200 characters' using errcode = '22023';
  end if;
  delete from private.idempotency_keys where created_at < now() - interval '24 hours';
  insert into private.idempotency_keys (user_id, key, request_hash)
  values (v_user, p_key, p_request_hash)
  on conflict (user_id, key) do nothing;
  if found then
    return null;
  end if;
  select * into v_row from private.idempotency_keys where user_id = v_user and key = p_key;
  if v_row.request_hash <> p_request_hash then
    raise exception 'this Idempotency-Key was already used for a different request'
      using errcode = 'P0422';
  end if;
  return jsonb_build_object('response', v_row.response);
end
$$;

create function public.idempotency_finish(p_key text, p_response jsonb) returns void
language sql volatile security definer
set search_path = public, private, pg_temp
as $$
  update private.idempotency_keys set response = coalesce(p_response, 'null'::jsonb)
  where user_id = coalesce((select auth.uid()), '00000000-0000-0000-0000-000000000000')
    and key = p_key
$$;

revoke all on function public.idempotency_begin(text, text) from public;
revoke all on function public.idempotency_finish(text, jsonb) from public;
grant execute on function public.idempotency_begin(text, text) to authenticated;
grant execute on function public.idempotency_finish(text, jsonb) to authenticated;
