-- SLA policies (ordered, first match wins) and the clocks of each ticket.

create table sla_policies (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  name text not null,
  calendar_id uuid not null references calendars (id),
  position integer not null,
  match jsonb not null default '{}',
  targets jsonb not null,
  warning_percent integer not null default 80 check (warning_percent between 1 and 99),
  pause_on jsonb not null,
  breach_actions jsonb not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index sla_policies_name_key on sla_policies (lower(name));
create index sla_policies_order on sla_policies (position, id) where active;

alter table tickets add column sla_policy_id uuid references sla_policies (id);

create table ticket_sla_clocks (
  ticket_id uuid not null references tickets (id),
  target text not null check (target in ('first_response', 'resolution', 'next_response')),
  status text not null check (status in ('running', 'paused', 'met', 'breached')),
  due_at timestamptz,
  warning_at timestamptz,
  elapsed_minutes numeric not null,
  remaining_minutes numeric not null,
  warned_at timestamptz,
  breached_at timestamptz,
  computed_at timestamptz not null,
  primary key (ticket_id, target)
);
-- Work lists by SLA: running clocks by due time.
create index ticket_sla_clocks_due on ticket_sla_clocks (due_at) where status = 'running';
create index ticket_sla_clocks_breached on ticket_sla_clocks (status, ticket_id) where status = 'breached';

update roles set permissions = permissions || array['sla.read'] where name = 'Agent' and builtin;
