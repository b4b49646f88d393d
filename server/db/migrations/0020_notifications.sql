-- Notifications: what each person wants to hear about and how (e-mail, in-app), the in-app
-- notification centre, the admins' templates, and single-use password-reset tokens.

create table notification_prefs (
  user_id uuid not null references users (id) on delete cascade,
  rule text not null,
  email boolean not null,
  in_app boolean not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, rule)
);

create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  rule text not null,
  -- One notification per person per event: a redelivered event adds nothing.
  dedupe_key text not null,
  title text not null,
  body text not null,
  link text,
  entity_type text,
  entity_id uuid,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, dedupe_key)
);
create index notifications_user_created on notifications (user_id, created_at desc, id desc);
create index notifications_user_unread on notifications (user_id) where read_at is null;

create table notification_templates (
  rule text primary key,
  version integer not null default 1,
  subject text not null,
  body text not null,
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);

-- Every request is recorded, for an unknown address too (user_id null, nothing sent), so the rate
-- limits count them all and the answer is the same either way.
create table password_resets (
  token_hash text primary key,
  user_id uuid references users (id) on delete cascade,
  ip text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index password_resets_user on password_resets (user_id, created_at desc);
create index password_resets_ip on password_resets (ip, created_at desc);

-- Change reminders: one per change and planned start.
alter table changes add column start_reminded_at timestamptz;
