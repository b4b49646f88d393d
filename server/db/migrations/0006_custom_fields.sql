-- Admin-defined custom fields per ticket type; values live in tickets.custom_fields.
create table custom_field_defs (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  ticket_type text not null check (ticket_type in ('incident', 'service_request', 'problem')),
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null,
  kind text not null check (kind in ('text', 'number', 'date', 'select', 'multiselect', 'checkbox', 'user')),
  options text[] not null default '{}',
  required boolean not null default false,
  active boolean not null default true,
  position integer not null default 100,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (ticket_type, key)
);

-- Filtering on custom field values: containment on the jsonb document.
create index tickets_custom_fields on tickets using gin (custom_fields jsonb_path_ops);
