-- Saved work-list views: personal (owner_id set) or shared with every agent (owner_id null).
create table saved_views (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  owner_id uuid references users (id) on delete cascade,
  name text not null,
  filters jsonb not null default '{}',
  position integer not null default 100,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_views_owner on saved_views (owner_id, position, name);

insert into saved_views (owner_id, name, filters, position) values
  (null, 'My open tickets', '{"assigneeId": "me", "stateType": ["new", "open", "pending"]}', 10),
  (null, 'Unassigned in my groups', '{"assigneeId": "none", "stateType": ["new", "open"]}', 20),
  (null, 'SLA at risk', '{"sla": "at_risk"}', 30),
  (null, 'SLA breached', '{"sla": "breached", "stateType": ["new", "open", "pending"]}', 40);
