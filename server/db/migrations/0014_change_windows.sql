-- Maintenance windows (one-off or recurring, on CIs and services) and blackout windows (global or per
-- service), and the owner's override of a change's conflicts (for one plan revision).
create table maintenance_windows (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  ci_ids uuid[] not null default '{}',
  service_ids uuid[] not null default '{}',
  starts_at timestamptz,
  ends_at timestamptz,
  rrule text,
  dtstart text,
  duration_minutes integer,
  timezone text,
  created_at timestamptz not null default now(),
  check (
    (rrule is null and starts_at is not null and ends_at is not null and starts_at < ends_at)
    or (rrule is not null and dtstart is not null and duration_minutes > 0 and timezone is not null)
  )
);

create table blackout_windows (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  service_ids uuid[] not null default '{}',
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  created_at timestamptz not null default now(),
  check (starts_at < ends_at)
);
create index blackout_windows_range on blackout_windows (starts_at, ends_at);

alter table changes add column conflict_override text;
alter table changes add column conflict_override_revision integer;
alter table changes add column conflict_override_by uuid references users (id);
