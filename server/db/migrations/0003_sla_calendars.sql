-- SLA business calendars: an IANA time zone, weekly working intervals and holidays.
-- hours:    [{"day": 1..7 (Monday = 1), "start": "HH:MM", "end": "HH:MM" (24:00 = end of day)}], empty = 24×7
-- holidays: [{"date": "YYYY-MM-DD", "name": "…", "yearly": true|false}]
-- The rules (no overlaps, known zone, no duplicate dates) are checked by the application (common/calendars.ts).

create table calendars (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  name text not null,
  timezone text not null,
  hours jsonb not null default '[]',
  holidays jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (jsonb_typeof(hours) = 'array'),
  check (jsonb_typeof(holidays) = 'array')
);
create unique index calendars_name_key on calendars (lower(name));
create index calendars_name_order on calendars (name, id);

-- Agents read calendars (and ask them for due times); administrators manage them.
update roles set permissions = permissions || array['calendar.read']
  where name = 'Agent' and builtin and not ('calendar.read' = any (permissions));
