-- Change management: requests for change, their affected CIs, CAB approver sets and approvals.
create sequence change_number;

create table changes (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  number integer not null default nextval('change_number') unique,
  type text not null check (type in ('standard', 'normal', 'emergency')),
  state text not null default 'draft',
  title text not null,
  description text not null default '',
  justification text not null default '',
  requested_by uuid references users (id),
  owner_id uuid references users (id),
  assignee_id uuid references users (id),
  group_id uuid references groups (id),
  planned_start timestamptz,
  planned_end timestamptz,
  actual_start timestamptz,
  actual_end timestamptz,
  implementation_plan text not null default '',
  test_plan text not null default '',
  rollback_plan text not null default '',
  outage jsonb not null default '{"kind": "none"}',
  -- Bumped when the plan, the window or the CIs change: approvals are for one revision.
  plan_revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (planned_start is null or planned_end is null or planned_start < planned_end)
);
create index changes_state on changes (state, planned_start);
create index changes_window on changes (planned_start, planned_end) where state not in ('closed', 'rejected', 'canceled');
create index changes_created on changes (created_at desc, id desc);

create table change_cis (
  change_id uuid not null references changes (id),
  ci_id uuid not null references cis (id),
  primary key (change_id, ci_id)
);
create index change_cis_ci on change_cis (ci_id, change_id);

-- CAB rules: which approvers a change needs, by type and affected services, and how many of them.
create table change_approver_sets (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  types text[] not null default '{}',
  service_ids uuid[] not null default '{}',
  user_ids uuid[] not null default '{}',
  group_ids uuid[] not null default '{}',
  rule text not null check (rule in ('all', 'any', 'majority', 'at_least')),
  at_least integer,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index change_approver_sets_name on change_approver_sets (lower(name));

create table change_approvals (
  id uuid primary key default gen_random_uuid(),
  change_id uuid not null references changes (id),
  approver_id uuid not null references users (id),
  decision text not null check (decision in ('approve', 'reject')),
  comment text not null,
  plan_revision integer not null,
  change_version integer not null,
  withdrawn_at timestamptz,
  created_at timestamptz not null default now()
);
create index change_approvals_change on change_approvals (change_id, plan_revision);
create unique index change_approvals_once on change_approvals (change_id, approver_id, plan_revision);

update roles set permissions = permissions || array['change.read', 'change.create', 'change.update'] where name = 'Agent' and builtin;
