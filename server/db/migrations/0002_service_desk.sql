-- Service desk: tickets (incident, service request, problem), their timeline, watchers and links.

alter table organizations add column tickets_shared boolean not null default false;

create table categories (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  parent_id uuid references categories (id),
  name text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index categories_name_key on categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));

create table priority_matrix (
  impact smallint not null check (impact between 1 and 3),
  urgency smallint not null check (urgency between 1 and 3),
  priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
  primary key (impact, urgency)
);
insert into priority_matrix (impact, urgency, priority) values
  (1, 1, 'P1'), (1, 2, 'P2'), (2, 1, 'P2'), (1, 3, 'P3'), (2, 2, 'P3'), (3, 1, 'P3'),
  (2, 3, 'P4'), (3, 2, 'P4'), (3, 3, 'P4');

create sequence ticket_number_incident;
create sequence ticket_number_service_request;
create sequence ticket_number_problem;

create table tickets (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  type text not null check (type in ('incident', 'service_request', 'problem')),
  number integer not null,
  title text not null,
  description text not null default '',
  description_text text not null default '',
  state text not null,
  state_type text not null check (state_type in ('new', 'open', 'pending', 'resolved', 'closed')),
  hold_reason text,
  impact smallint not null check (impact between 1 and 3),
  urgency smallint not null check (urgency between 1 and 3),
  priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
  category_id uuid references categories (id),
  requester_id uuid references users (id),
  organization_id uuid references organizations (id),
  group_id uuid references groups (id),
  assignee_id uuid references users (id),
  problem_id uuid references tickets (id),
  merged_into_id uuid references tickets (id),
  custom_fields jsonb not null default '{}',
  tags text[] not null default '{}',
  resolution_code text,
  resolution text,
  root_cause text,
  workaround text,
  first_response_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  escalation_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description_text), 'B')
  ) stored,
  unique (type, number)
);
-- Work lists: open work first by state type, newest first; keyset on (created_at, id).
create index tickets_created on tickets (created_at desc, id desc);
create index tickets_group_open on tickets (group_id, state_type, created_at desc, id desc);
create index tickets_assignee_open on tickets (assignee_id, state_type, created_at desc, id desc);
create index tickets_requester on tickets (requester_id, created_at desc, id desc);
create index tickets_organization on tickets (organization_id, created_at desc, id desc);
create index tickets_state_type on tickets (state_type, created_at desc, id desc);
-- The open work (a few percent of a big table), newest first: what agents' lists read.
create index tickets_open_created on tickets (created_at desc, id desc) where state_type in ('new', 'open', 'pending');
create index tickets_resolved_at on tickets (resolved_at) where state_type = 'resolved';
create index tickets_escalation on tickets (escalation_at) where escalation_at is not null;
create index tickets_problem on tickets (problem_id) where problem_id is not null;
create index tickets_search on tickets using gin (search);
create index tickets_title_trgm on tickets using gin (title gin_trgm_ops);

create table ticket_watchers (
  ticket_id uuid not null references tickets (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (ticket_id, user_id)
);
create index ticket_watchers_user on ticket_watchers (user_id, ticket_id);

create table ticket_articles (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  kind text not null check (kind in ('reply', 'note', 'system')),
  author_id uuid references users (id),
  body text not null default '',
  body_text text not null default '',
  event jsonb,
  time_spent_minutes integer check (time_spent_minutes between 0 and 100000),
  source text not null,
  created_at timestamptz not null default now(),
  search tsvector generated always as (to_tsvector('simple', body_text)) stored
);
create index ticket_articles_ticket on ticket_articles (ticket_id, created_at, id);
create index ticket_articles_search on ticket_articles using gin (search);

create table ticket_links (
  source_id uuid not null references tickets (id),
  target_id uuid not null references tickets (id),
  kind text not null check (kind in ('parent', 'related', 'duplicate')),
  created_at timestamptz not null default now(),
  primary key (source_id, target_id, kind),
  check (source_id <> target_id)
);
create index ticket_links_target on ticket_links (target_id);

-- Agents work tickets; the built-in roles learn the new permissions.
update roles set permissions = permissions || array['ticket.read', 'ticket.create', 'ticket.reply', 'ticket.update', 'category.read']
  where name = 'Agent' and builtin;

insert into groups (name, description) values ('Service Desk', 'First line: new tickets without a group land here.');

-- Settings an administrator changes at run time.
create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
insert into settings (key, value)
  select 'tickets.defaultGroupId', to_jsonb(id::text) from groups where name = 'Service Desk';
insert into settings (key, value) values ('tickets.autoCloseDays', '7');
