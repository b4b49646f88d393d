-- Foundation: identity, sessions, API tokens, audit, outbox.
create extension if not exists pg_trgm;

create table organizations (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  name text not null,
  domains text[] not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index organizations_name_key on organizations (lower(name));
create index organizations_name_order on organizations (name, id);
create index organizations_name_trgm on organizations using gin (name gin_trgm_ops);

create table users (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  email text not null,
  name text not null,
  kind text not null check (kind in ('agent', 'customer')),
  admin boolean not null default false,
  active boolean not null default true,
  organization_id uuid references organizations (id),
  password_hash text,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (email = lower(email)),
  check (not (admin and kind = 'customer'))
);
create unique index users_email_key on users (email);
create index users_name_order on users (name, id);
create index users_organization on users (organization_id, name, id);
create index users_search_trgm on users using gin ((name || ' ' || email) gin_trgm_ops);

create table roles (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  description text not null default '',
  permissions text[] not null default '{}',
  builtin boolean not null default false,
  created_at timestamptz not null default now()
);

create table groups (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  name text not null,
  description text not null default '',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index groups_name_key on groups (lower(name));
create index groups_name_order on groups (name, id);

create table group_members (
  group_id uuid not null references groups (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (group_id, user_id)
);
create index group_members_user on group_members (user_id);

create table group_roles (
  group_id uuid not null references groups (id) on delete cascade,
  role_id uuid not null references roles (id) on delete cascade,
  primary key (group_id, role_id)
);

create table user_roles (
  user_id uuid not null references users (id) on delete cascade,
  role_id uuid not null references roles (id) on delete cascade,
  primary key (user_id, role_id)
);

create table sessions (
  id text primary key, -- sha-256 of the cookie value
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now(),
  ip text,
  user_agent text
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  prefix text not null,
  token_hash text not null unique, -- sha-256 of the secret
  scopes text[],
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz not null default now()
);
create index api_tokens_user on api_tokens (user_id, created_at);

create table login_failures (
  id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  at timestamptz not null default now()
);
create index login_failures_email on login_failures (email, at);
create index login_failures_ip on login_failures (ip, at);
create index login_failures_at on login_failures (at);

-- Append-only audit trail: one row per mutation, written in the mutation's transaction.
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  changes jsonb not null default '{}',
  request_id text,
  source text not null
);
create index audit_log_entity on audit_log (entity_type, entity_id, id);
create index audit_log_actor on audit_log (actor_id, id);
create index audit_log_type on audit_log (entity_type, id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = 'P0001';
end
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

-- Transactional outbox: events written with the change, dispatched to consumers after commit.
create table outbox (
  id bigint generated always as identity primary key,
  type text not null,
  entity_type text not null,
  entity_id text not null,
  payload jsonb not null default '{}',
  actor_id uuid,
  request_id text,
  source text not null,
  created_at timestamptz not null default now(),
  dispatched_at timestamptz
);
create index outbox_pending on outbox (id) where dispatched_at is null;

-- A consumer's effect and its delivery mark commit together: an event is handled once per consumer.
create table event_deliveries (
  event_id bigint not null references outbox (id),
  consumer text not null,
  processed_at timestamptz not null default now(),
  primary key (event_id, consumer)
);

insert into roles (name, description, permissions, builtin) values
  ('Agent', 'Works the service desk: reads the directory of users, organizations and groups.',
   array['user.read', 'organization.read', 'group.read', 'role.read'], true),
  ('User manager', 'Creates and edits users, organizations and groups.',
   array['user.read', 'user.create', 'user.update', 'organization.read', 'organization.create',
         'organization.update', 'group.read', 'group.create', 'group.update', 'role.read'], true),
  ('Auditor', 'Reads the audit trail.', array['audit.read'], true);
