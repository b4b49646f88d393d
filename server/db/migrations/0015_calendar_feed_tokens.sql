-- One secret feed address per user for calendar programs, which cannot send headers. Stored as SHA-256.
create table calendar_feed_tokens (
  user_id uuid primary key references users (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now()
);
