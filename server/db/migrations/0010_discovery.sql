-- Discovery: keys inventory agents authenticate with, what each agent last reported, and a log of every run.
create table inventory_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  key_hash text not null unique,
  prefix text not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create unique index inventory_keys_name_key on inventory_keys (lower(name)) where revoked_at is null;

-- One row per agent (its device id): the CI it feeds and its last full inventory, which partial ones merge into.
create table ci_discovery (
  device_id text primary key,
  protocol text not null check (protocol in ('fusion', 'ocs', 'glpi')),
  ci_id uuid references cis (id),
  inventory jsonb not null default '{}',
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
create index ci_discovery_ci on ci_discovery (ci_id);

create table ci_discovery_log (
  id uuid primary key default gen_random_uuid(),
  at timestamptz not null default now(),
  device_id text not null,
  protocol text not null,
  key_id uuid references inventory_keys (id),
  outcome text not null check (outcome in ('created', 'updated', 'unchanged', 'conflict', 'rejected')),
  ci_id uuid references cis (id),
  detail text not null default '',
  candidate_ids uuid[] not null default '{}'
);
create index ci_discovery_log_at on ci_discovery_log (at desc, id desc);
create index ci_discovery_log_conflicts on ci_discovery_log (at desc) where outcome = 'conflict';
