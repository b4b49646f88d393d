-- Work orders: the ordered tasks of a change, each with its own state and times.
create table change_work_orders (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  change_id uuid not null references changes (id),
  position integer not null,
  kind text not null check (kind in ('implementation', 'test', 'rollback', 'review')),
  title text not null,
  instructions text not null default '',
  state text not null default 'created' check (state in ('created', 'ready', 'in_progress', 'done', 'failed', 'canceled')),
  assignee_id uuid references users (id),
  planned_start timestamptz,
  planned_end timestamptz,
  actual_start timestamptz,
  actual_end timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (planned_start is null or planned_end is null or planned_start < planned_end)
);
create index change_work_orders_change on change_work_orders (change_id, position);
create index change_work_orders_assignee on change_work_orders (assignee_id, state) where state in ('created', 'ready', 'in_progress');
