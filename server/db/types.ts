import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Table types of the migrated schema (server/db/migrations). Keep in step with the SQL. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;

export interface OrganizationsTable {
  id: Generated<string>;
  version: Generated<number>;
  name: string;
  domains: Generated<string[]>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  version: Generated<number>;
  email: string;
  name: string;
  kind: "agent" | "customer";
  admin: Generated<boolean>;
  active: Generated<boolean>;
  organization_id: string | null;
  password_hash: string | null;
  last_login_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RolesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  permissions: Generated<string[]>;
  builtin: Generated<boolean>;
  created_at: Timestamp;
}

export interface GroupsTable {
  id: Generated<string>;
  version: Generated<number>;
  name: string;
  description: Generated<string>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}
export interface GroupRolesTable {
  group_id: string;
  role_id: string;
}
export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string[] | null;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface LoginFailuresTable {
  id: Generated<string>;
  email: string;
  ip: string;
  at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: Json;
  request_id: string | null;
  source: string;
}

export interface OutboxTable {
  id: Generated<string>;
  type: string;
  entity_type: string;
  entity_id: string;
  payload: Json;
  actor_id: string | null;
  request_id: string | null;
  source: string;
  created_at: Timestamp;
  dispatched_at: NullableTimestamp;
}

export interface EventDeliveriesTable {
  event_id: string;
  consumer: string;
  processed_at: Timestamp;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  roles: RolesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_roles: GroupRolesTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  event_deliveries: EventDeliveriesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserPatch = Updateable<UsersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type RoleRow = Selectable<RolesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
