-- The e-mail channel: mailboxes routed to groups, every message seen or sent (threading and
-- exactly-once intake), a quarantine that keeps what could not be processed, and outgoing mail
-- queued with its state.

create table mailboxes (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  kind text not null check (kind in ('imap', 'smtp')),
  name text not null,
  address text not null check (address = lower(address) and address like '%_@_%'),
  group_id uuid not null references groups (id),
  ticket_type text not null check (ticket_type in ('incident', 'service_request', 'problem')),
  category_id uuid references categories (id),
  unknown_senders text not null default 'create' check (unknown_senders in ('create', 'reject')),
  acknowledge boolean not null default false,
  -- A reply to a closed ticket: a new ticket linked to the old one, or the old one reopened.
  closed_replies text not null default 'new_ticket' check (closed_replies in ('new_ticket', 'reopen')),
  -- IMAP: {host, port, secure: 'tls'|'starttls'|'plain', user, folder, moveTo}; the password apart, encrypted.
  imap jsonb,
  imap_password text,
  active boolean not null default true,
  last_checked_at timestamptz,
  last_error text,
  -- One node at a time watches an IMAP mailbox: it holds this lease and renews it.
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'imap') = (imap is not null))
);
create unique index mailboxes_address on mailboxes (address);

-- Every message received or sent, by Message-ID: the same Message-ID never makes two articles,
-- and replies find their ticket through In-Reply-To / References.
create table mail_messages (
  id uuid primary key default gen_random_uuid(),
  message_id text not null,
  direction text not null check (direction in ('in', 'out')),
  mailbox_id uuid references mailboxes (id),
  ticket_id uuid references tickets (id),
  article_id uuid references ticket_articles (id),
  outcome text not null,
  sender text,
  subject text,
  raw_sha256 text references attachment_blobs (sha256),
  created_at timestamptz not null default now()
);
create unique index mail_messages_message_id on mail_messages (message_id);
create index mail_messages_ticket on mail_messages (ticket_id, created_at);

-- What could not be processed, with its raw source: admins retry or discard it.
create table mail_quarantine (
  id uuid primary key default gen_random_uuid(),
  mailbox_id uuid references mailboxes (id),
  raw_sha256 text not null references attachment_blobs (sha256),
  size integer not null,
  message_id text,
  sender text,
  subject text,
  reason text not null,
  state text not null default 'held' check (state in ('held', 'processed', 'discarded')),
  attempts integer not null default 1,
  ticket_id uuid references tickets (id),
  resolved_by uuid references users (id),
  received_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index mail_quarantine_state on mail_quarantine (state, received_at desc, id desc);

-- Outgoing mail: one row per mail, keyed so that one event never sends a mail twice.
create table mail_outbound (
  id uuid primary key default gen_random_uuid(),
  dedupe_key text not null unique,
  kind text not null check (kind in ('reply', 'acknowledgement', 'notification', 'password_reset')),
  automatic boolean not null,
  ticket_id uuid references tickets (id),
  article_id uuid references ticket_articles (id),
  recipients text[] not null,
  message_id text not null,
  subject text not null,
  -- The rendered message: from, to, cc, headers, text, html, attachment ids.
  message jsonb not null,
  -- sending: handed to the SMTP server; a crash there leaves it visible rather than sending it twice.
  state text not null default 'queued' check (state in ('queued', 'sending', 'sent', 'failed', 'suppressed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz
);
create index mail_outbound_ticket on mail_outbound (ticket_id, created_at);
create index mail_outbound_pending on mail_outbound (next_attempt_at) where state in ('queued', 'sending');
create index mail_outbound_state on mail_outbound (state, created_at desc, id desc);
create index mail_outbound_created on mail_outbound (created_at desc, id desc);
-- A bounce names the Message-ID of the mail that failed.
create unique index mail_outbound_message_id on mail_outbound (message_id);

-- Automatic mail per recipient, for the caps that stop a loop (per ticket per 10 minutes, per day).
create table mail_auto_log (
  address text not null,
  ticket_id uuid,
  created_at timestamptz not null default now()
);
create index mail_auto_log_address on mail_auto_log (address, created_at);

-- E-mail articles: the channel, and the envelope a person sees (from, to, cc, subject, Message-ID).
alter table ticket_articles
  add column channel text not null default 'web' check (channel in ('web', 'email')),
  add column mail jsonb;

-- Attachments that came with (or went out with) an article; inline images by Content-ID.
alter table attachments
  add column article_id uuid references ticket_articles (id),
  add column content_id text,
  add column inline boolean not null default false;
create index attachments_article on attachments (article_id) where article_id is not null;

alter table groups add column signature text not null default '';

insert into settings (key, value) values
  ('mail.smtp', '{"host": "", "port": 587, "secure": "starttls", "user": null, "password": null, "from": "", "version": 1}'),
  ('mail.limits', '{"maxBytes": 26214400, "maxParts": 500, "maxDepth": 20, "maxHeaderBytes": 65536, "timeoutMs": 20000, "perTicketPer10Min": 10, "perAddressPerDay": 40}');
