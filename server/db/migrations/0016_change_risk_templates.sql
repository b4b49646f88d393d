-- Change management, part two: categories, standard-change templates, risk, links to incidents and
-- problems, the post-implementation review, risk-level CAB rules and CAB templates.

insert into catalog_items (list, name, position) values
  ('change_category', 'Hardware', 10),
  ('change_category', 'Software', 20),
  ('change_category', 'Network', 30),
  ('change_category', 'Database', 40),
  ('change_category', 'Security', 50),
  ('change_category', 'Facilities', 60);

-- Templates of standard changes: once an administrator approves one, changes made from it need no CAB.
-- Any edit clears the approval.
create table change_templates (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  name text not null,
  title text not null,
  description text not null default '',
  justification text not null default '',
  category_id uuid references catalog_items (id),
  ci_ids uuid[] not null default '{}',
  duration_minutes integer not null check (duration_minutes > 0),
  implementation_plan text not null default '',
  test_plan text not null default '',
  rollback_plan text not null,
  outage jsonb not null default '{"kind": "none"}',
  work_orders jsonb not null default '[]',
  approved_by uuid references users (id),
  approved_at timestamptz,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index change_templates_name on change_templates (lower(name));

alter table changes
  add column category_id uuid references catalog_items (id),
  add column template_id uuid references change_templates (id),
  add column risk_answers jsonb not null default '{}',
  -- The last assessment: {score, level, reasons, unanswered}; risk_level and service_ids repeat it for filters.
  add column risk jsonb not null default '{"score": 0, "level": "low", "reasons": [], "unanswered": []}',
  add column risk_level text not null default 'low' check (risk_level in ('low', 'medium', 'high', 'very_high')),
  add column service_ids uuid[] not null default '{}',
  add column review_outcome text check (review_outcome in ('successful', 'partially_successful', 'failed', 'rolled_back')),
  add column review_notes text not null default '',
  add column reviewed_by uuid references users (id),
  add column reviewed_at timestamptz;
create index changes_services on changes using gin (service_ids);

-- Incidents and problems a change answers or is related to.
create table change_tickets (
  change_id uuid not null references changes (id),
  ticket_id uuid not null references tickets (id),
  primary key (change_id, ticket_id)
);
create index change_tickets_ticket on change_tickets (ticket_id);

-- CAB rules by risk level; a set with change_id belongs to that change alone (added from a CAB template).
alter table change_approver_sets
  add column version integer not null default 1,
  add column risk_levels text[] not null default '{}',
  add column change_id uuid references changes (id);
drop index change_approver_sets_name;
create unique index change_approver_sets_name on change_approver_sets (lower(name)) where change_id is null;
create index change_approver_sets_change on change_approver_sets (change_id) where change_id is not null;

-- Saved boards an owner adds to a change.
create table cab_templates (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  user_ids uuid[] not null default '{}',
  group_ids uuid[] not null default '{}',
  rule text not null check (rule in ('all', 'any', 'majority', 'at_least')),
  at_least integer,
  created_at timestamptz not null default now()
);
create unique index cab_templates_name on cab_templates (lower(name));

insert into settings (key, value) values ('changes.settings', '{
  "version": 1,
  "riskQuestions": [
    {"id": "first_time", "text": "Is this the first time a change like this is made here?", "weight": 15},
    {"id": "untested", "text": "Can it not be tested before it reaches production?", "weight": 15},
    {"id": "rollback_untested", "text": "Is the rollback plan untested?", "weight": 10},
    {"id": "business_hours", "text": "Does the work happen during business hours?", "weight": 10},
    {"id": "many_users", "text": "Will more than 100 users notice it?", "weight": 10},
    {"id": "third_party", "text": "Does it depend on a supplier during the work?", "weight": 5}
  ],
  "riskThresholds": {"medium": 20, "high": 40, "veryHigh": 70},
  "reviewWindowHours": 72
}');
