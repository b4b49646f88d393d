-- Attachments: content stored once per SHA-256 digest; each attachment names its ticket and file.
create table attachment_blobs (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size integer not null,
  data bytea not null,
  created_at timestamptz not null default now()
);

create table attachments (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  sha256 text not null references attachment_blobs (sha256),
  filename text not null,
  content_type text not null,
  size integer not null,
  internal boolean not null default false,
  uploaded_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index attachments_ticket on attachments (ticket_id, created_at);
