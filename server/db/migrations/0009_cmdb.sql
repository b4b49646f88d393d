-- CMDB: the general catalog, CI classes (each definition kept per version), configuration items with an
-- append-only version history, typed relations and redundancy groups.

-- General catalog: admin-managed value lists. `properties` carries per-list extras, e.g. the group of a
-- deployment state (preproductive, productive, postproductive) or of an incident state.
create table catalog_items (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  list text not null check (list ~ '^[a-z][a-z0-9_]{0,39}$'),
  name text not null,
  properties jsonb not null default '{}',
  position integer not null default 100,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index catalog_items_name_key on catalog_items (list, lower(name));
create index catalog_items_list on catalog_items (list, position, name);

insert into catalog_items (list, name, properties, position) values
  ('deployment_state', 'Planned', '{"group": "preproductive"}', 10),
  ('deployment_state', 'Test', '{"group": "preproductive"}', 20),
  ('deployment_state', 'Pilot', '{"group": "productive"}', 30),
  ('deployment_state', 'Production', '{"group": "productive"}', 40),
  ('deployment_state', 'Maintenance', '{"group": "productive"}', 50),
  ('deployment_state', 'Repair', '{"group": "productive"}', 60),
  ('deployment_state', 'Retired', '{"group": "postproductive"}', 70),
  ('deployment_state', 'Inactive', '{"group": "postproductive"}', 80),
  ('incident_state', 'Operational', '{"group": "operational"}', 10),
  ('incident_state', 'Warning', '{"group": "warning"}', 20),
  ('incident_state', 'Incident', '{"group": "incident"}', 30),
  ('criticality', 'Very high', '{"level": 1}', 10),
  ('criticality', 'High', '{"level": 2}', 20),
  ('criticality', 'Medium', '{"level": 3}', 30),
  ('criticality', 'Low', '{"level": 4}', 40),
  ('criticality', 'Very low', '{"level": 5}', 50);

-- CI classes. `attributes` is the current definition; every change of it is kept in ci_class_versions so a
-- CI version always names the definition it was written with.
create table ci_classes (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  name text not null,
  description text not null default '',
  code text unique check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  attributes jsonb not null default '[]',
  group_ids uuid[] not null default '{}',
  builtin boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index ci_classes_name_key on ci_classes (lower(name));

create table ci_class_versions (
  class_id uuid not null references ci_classes (id),
  version integer not null,
  attributes jsonb not null,
  created_at timestamptz not null default now(),
  primary key (class_id, version)
);

-- The classes every CMDB starts with. `code` lets the server find the ones it needs (discovery writes
-- Computer and Software CIs) whatever an administrator renames them to.
insert into catalog_items (list, name, position) values
  ('manufacturer', 'Dell', 10), ('manufacturer', 'HP', 20), ('manufacturer', 'Lenovo', 30),
  ('manufacturer', 'Cisco', 40), ('manufacturer', 'Microsoft', 50), ('manufacturer', 'Oracle', 60);

insert into ci_classes (code, name, description, attributes, builtin) values
  ('computer', 'Computer', 'Desktops and laptops', '[
    {"key": "hostname", "label": "Host name", "type": "text", "searchable": true},
    {"key": "serial", "label": "Serial number", "type": "text", "searchable": true},
    {"key": "uuid", "label": "System UUID", "type": "text"},
    {"key": "manufacturer", "label": "Manufacturer", "type": "text", "searchable": true},
    {"key": "model", "label": "Model", "type": "text"},
    {"key": "os", "label": "Operating system", "type": "text", "searchable": true},
    {"key": "osVersion", "label": "OS version", "type": "text"},
    {"key": "cpu", "label": "Processors", "type": "text", "multiple": true},
    {"key": "memoryMb", "label": "Memory (MB)", "type": "number"},
    {"key": "disks", "label": "Disks", "type": "text", "multiple": true},
    {"key": "macAddresses", "label": "MAC addresses", "type": "text", "multiple": true, "searchable": true},
    {"key": "ipAddresses", "label": "IP addresses", "type": "text", "multiple": true, "searchable": true},
    {"key": "owner", "label": "Used by", "type": "user"}
  ]', true),
  ('server', 'Server', 'Physical servers', '[
    {"key": "hostname", "label": "Host name", "type": "text", "searchable": true},
    {"key": "serial", "label": "Serial number", "type": "text", "searchable": true},
    {"key": "manufacturer", "label": "Manufacturer", "type": "catalog", "catalog": "manufacturer"},
    {"key": "model", "label": "Model", "type": "text"},
    {"key": "os", "label": "Operating system", "type": "text", "searchable": true},
    {"key": "cpuCores", "label": "CPU cores", "type": "number"},
    {"key": "memoryMb", "label": "Memory (MB)", "type": "number"},
    {"key": "ipAddresses", "label": "IP addresses", "type": "text", "multiple": true, "searchable": true},
    {"key": "warrantyEnd", "label": "Warranty ends", "type": "date"}
  ]', true),
  ('virtual_machine', 'Virtual machine', 'Virtual machines and containers hosts', '[
    {"key": "hostname", "label": "Host name", "type": "text", "searchable": true},
    {"key": "os", "label": "Operating system", "type": "text", "searchable": true},
    {"key": "vcpus", "label": "Virtual CPUs", "type": "number"},
    {"key": "memoryMb", "label": "Memory (MB)", "type": "number"},
    {"key": "ipAddresses", "label": "IP addresses", "type": "text", "multiple": true, "searchable": true}
  ]', true),
  ('network_device', 'Network device', 'Switches, routers, firewalls, access points', '[
    {"key": "hostname", "label": "Host name", "type": "text", "searchable": true},
    {"key": "serial", "label": "Serial number", "type": "text", "searchable": true},
    {"key": "manufacturer", "label": "Manufacturer", "type": "catalog", "catalog": "manufacturer"},
    {"key": "model", "label": "Model", "type": "text"},
    {"key": "managementIp", "label": "Management IP", "type": "text", "searchable": true},
    {"key": "ports", "label": "Ports", "type": "number"},
    {"key": "firmware", "label": "Firmware", "type": "text"}
  ]', true),
  ('software', 'Software', 'Installed software packages', '[
    {"key": "publisher", "label": "Publisher", "type": "text", "searchable": true},
    {"key": "version", "label": "Version", "type": "text"},
    {"key": "license", "label": "Licence", "type": "text"}
  ]', true),
  ('application', 'Application', 'Applications the business uses', '[
    {"key": "version", "label": "Version", "type": "text"},
    {"key": "url", "label": "Address", "type": "text"},
    {"key": "owner", "label": "Application owner", "type": "user"}
  ]', true),
  ('database', 'Database', 'Database instances', '[
    {"key": "engine", "label": "Engine", "type": "text", "searchable": true},
    {"key": "version", "label": "Version", "type": "text"},
    {"key": "sizeGb", "label": "Size (GB)", "type": "number"}
  ]', true),
  ('business_service', 'Business service', 'What customers use and subscribe to', '[
    {"key": "criticality", "label": "Criticality", "type": "catalog", "catalog": "criticality", "required": true},
    {"key": "serviceOwner", "label": "Service owner", "type": "user"},
    {"key": "details", "label": "Description", "type": "longtext"}
  ]', true),
  ('location', 'Location', 'Sites, buildings, rooms, racks', '[
    {"key": "address", "label": "Address", "type": "longtext"},
    {"key": "city", "label": "City", "type": "text", "searchable": true},
    {"key": "country", "label": "Country", "type": "text"}
  ]', true);
insert into ci_class_versions (class_id, version, attributes) select id, version, attributes from ci_classes;

create sequence ci_number;

create table cis (
  id uuid primary key default gen_random_uuid(),
  version integer not null default 1,
  number integer not null default nextval('ci_number') unique,
  class_id uuid not null references ci_classes (id),
  class_version integer not null,
  name text not null,
  deployment_state_id uuid not null references catalog_items (id),
  -- operational | warning | incident: `incident_manual` is what a person or a linked incident set; `incident_state`
  -- adds what propagation derived (warning) and is what lists and graphs show.
  incident_state text not null default 'operational' check (incident_state in ('operational', 'warning', 'incident')),
  incident_manual boolean not null default false,
  organization_id uuid references organizations (id),
  group_id uuid references groups (id),
  location_id uuid references cis (id),
  attributes jsonb not null default '{}',
  locks text[] not null default '{}',
  search text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (class_id, class_version) references ci_class_versions (class_id, version)
);
create index cis_class_name on cis (class_id, name, id);
create index cis_name on cis (name, id);
create index cis_organization on cis (organization_id, name, id);
create index cis_incident on cis (incident_state) where incident_state <> 'operational';
create index cis_search_trgm on cis using gin (search gin_trgm_ops);
create index cis_attributes on cis using gin (attributes jsonb_path_ops);

-- Every edit is a version: the full snapshot and the diff the history shows. Never updated, never deleted.
create table ci_versions (
  ci_id uuid not null references cis (id),
  version integer not null,
  class_version integer not null,
  snapshot jsonb not null,
  diff jsonb not null default '{}',
  actor_id uuid references users (id),
  source text not null check (source in ('web', 'api', 'import', 'discovery', 'system')),
  created_at timestamptz not null default now(),
  primary key (ci_id, version)
);

create function ci_versions_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'CI versions are append-only';
end $$;
create trigger ci_versions_no_update before update or delete on ci_versions
  for each row execute function ci_versions_append_only();
create trigger ci_versions_no_truncate before truncate on ci_versions
  for each statement execute function ci_versions_append_only();

-- Relation types: which way a failure travels. `forward`: the source failing impacts the target (part_of);
-- `reverse`: the target failing impacts the source (depends_on, runs_on); `both`; `none`.
create table ci_relation_types (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null,
  reverse_label text not null,
  impact text not null check (impact in ('forward', 'reverse', 'both', 'none')),
  builtin boolean not null default false,
  created_at timestamptz not null default now()
);
insert into ci_relation_types (key, label, reverse_label, impact, builtin) values
  ('depends_on', 'depends on', 'is needed by', 'reverse', true),
  ('runs_on', 'runs on', 'runs', 'reverse', true),
  ('connected_to', 'is connected to', 'is connected to', 'both', true),
  ('part_of', 'is part of', 'contains', 'forward', true),
  ('alternative_to', 'is an alternative to', 'is an alternative to', 'none', true),
  ('relevant_to', 'is relevant to', 'is relevant to', 'none', true),
  ('installed_on', 'is installed on', 'has installed', 'none', true);

create table ci_relations (
  id uuid primary key default gen_random_uuid(),
  source_id uuid not null references cis (id),
  target_id uuid not null references cis (id),
  type text not null references ci_relation_types (key),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check (source_id <> target_id),
  unique (source_id, target_id, type)
);
create index ci_relations_target on ci_relations (target_id, type);

-- Redundancy: `ci_id` (a service, a cluster) stays up while at least min_up members (or min_percent of them) are up.
create table ci_redundancy_groups (
  id uuid primary key default gen_random_uuid(),
  ci_id uuid not null references cis (id),
  name text not null,
  min_up integer check (min_up >= 1),
  min_percent integer check (min_percent between 1 and 100),
  created_at timestamptz not null default now(),
  check ((min_up is null) <> (min_percent is null))
);
create index ci_redundancy_groups_ci on ci_redundancy_groups (ci_id);
create table ci_redundancy_members (
  group_id uuid not null references ci_redundancy_groups (id) on delete cascade,
  member_id uuid not null references cis (id),
  primary key (group_id, member_id)
);
create index ci_redundancy_members_member on ci_redundancy_members (member_id);

-- Business services: the organizations subscribed to them.
create table ci_service_subscriptions (
  ci_id uuid not null references cis (id),
  organization_id uuid not null references organizations (id),
  primary key (ci_id, organization_id)
);
create index ci_service_subscriptions_org on ci_service_subscriptions (organization_id);

-- Tickets carry affected CIs and services.
create table ticket_cis (
  ticket_id uuid not null references tickets (id),
  ci_id uuid not null references cis (id),
  primary key (ticket_id, ci_id)
);
create index ticket_cis_ci on ticket_cis (ci_id, ticket_id);

update roles set permissions = permissions || array['cmdb.read'] where name = 'Agent' and builtin;
insert into roles (name, description, permissions, builtin) values
  ('Configuration manager', 'Creates and edits configuration items and their relations.',
   array['cmdb.read', 'cmdb.manage'], true);
