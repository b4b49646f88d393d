-- Work-list sorts beyond creation time, each served by a keyset index.
-- sla_due_at: the earliest due time of the ticket's clocks still counting (running or breached, not stopped);
-- null when none counts. Sorted as 'infinity' so tickets without a clock come last.
alter table tickets add column sla_due_at timestamptz;
update tickets t set sla_due_at = (
  select min(c.due_at) from ticket_sla_clocks c
  where c.ticket_id = t.id and c.status in ('running', 'breached')
) where t.state_type in ('new', 'open', 'pending') and t.merged_into_id is null;

create index tickets_updated on tickets (updated_at desc, id desc);
create index tickets_open_updated on tickets (updated_at desc, id desc) where state_type in ('new', 'open', 'pending');
create index tickets_open_priority on tickets (priority, created_at, id) where state_type in ('new', 'open', 'pending');
create index tickets_open_sla_due on tickets ((coalesce(sla_due_at, 'infinity'::timestamptz)), id)
  where state_type in ('new', 'open', 'pending');

-- Each person's own order of the saved views in their sidebar (shared and personal alike).
create table saved_view_order (
  user_id uuid not null references users (id) on delete cascade,
  view_id uuid not null references saved_views (id) on delete cascade,
  position integer not null,
  primary key (user_id, view_id)
);
create index saved_view_order_view on saved_view_order (view_id);

-- The priority matrix carries one version for optimistic concurrency.
insert into settings (key, value) values ('tickets.priorityMatrixVersion', '1') on conflict (key) do nothing;
