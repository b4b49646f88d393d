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
  tickets_shared: Generated<boolean>;
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
  signature: Generated<string>;
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

export interface CategoriesTable {
  id: Generated<string>;
  version: Generated<number>;
  parent_id: string | null;
  name: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PriorityMatrixTable {
  impact: number;
  urgency: number;
  priority: "P1" | "P2" | "P3" | "P4";
}

export interface TicketsTable {
  id: Generated<string>;
  version: Generated<number>;
  type: "incident" | "service_request" | "problem";
  number: number;
  title: string;
  description: Generated<string>;
  description_text: Generated<string>;
  state: string;
  state_type: "new" | "open" | "pending" | "resolved" | "closed";
  hold_reason: string | null;
  impact: number;
  urgency: number;
  priority: "P1" | "P2" | "P3" | "P4";
  category_id: string | null;
  requester_id: string | null;
  organization_id: string | null;
  group_id: string | null;
  assignee_id: string | null;
  problem_id: string | null;
  merged_into_id: string | null;
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  tags: Generated<string[]>;
  resolution_code: string | null;
  resolution: string | null;
  root_cause: string | null;
  workaround: string | null;
  first_response_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  escalation_at: NullableTimestamp;
  sla_due_at: NullableTimestamp;
  sla_policy_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  search: ColumnType<string, never, never>;
  /** The replies' lexemes, kept by triggers on ticket_articles. */
  replies_search: ColumnType<string, never, never>;
}

export interface TicketWatchersTable {
  ticket_id: string;
  user_id: string;
}

export interface TicketArticlesTable {
  id: Generated<string>;
  ticket_id: string;
  kind: "reply" | "note" | "system";
  author_id: string | null;
  body: Generated<string>;
  body_text: Generated<string>;
  event: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  time_spent_minutes: number | null;
  source: string;
  channel: Generated<"web" | "email">;
  mail: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  search: ColumnType<string, never, never>;
}

export interface TicketLinksTable {
  source_id: string;
  target_id: string;
  kind: "parent" | "related" | "duplicate";
  created_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  version: Generated<number>;
  name: string;
  calendar_id: string;
  position: number;
  match: ColumnType<unknown, string, string>;
  targets: ColumnType<unknown, string, string>;
  warning_percent: number;
  pause_on: ColumnType<unknown, string, string>;
  breach_actions: ColumnType<unknown, string | undefined, string>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketSlaClocksTable {
  ticket_id: string;
  target: "first_response" | "resolution" | "next_response";
  status: "running" | "paused" | "met" | "breached";
  due_at: NullableTimestamp;
  warning_at: NullableTimestamp;
  elapsed_minutes: ColumnType<string | number, number, number>;
  remaining_minutes: ColumnType<string | number, number, number>;
  warned_at: NullableTimestamp;
  breached_at: NullableTimestamp;
  computed_at: Timestamp;
}

export interface CalendarsTable {
  id: Generated<string>;
  version: Generated<number>;
  name: string;
  timezone: string;
  hours: Json;
  holidays: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SavedViewsTable {
  id: Generated<string>;
  version: Generated<number>;
  owner_id: string | null;
  name: string;
  filters: ColumnType<Record<string, unknown>, string, string>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SavedViewOrderTable {
  user_id: string;
  view_id: string;
  position: number;
}

export interface CustomFieldDefsTable {
  id: Generated<string>;
  version: Generated<number>;
  ticket_type: "incident" | "service_request" | "problem";
  key: string;
  label: string;
  kind: "text" | "number" | "date" | "select" | "multiselect" | "checkbox" | "user";
  options: Generated<string[]>;
  required: Generated<boolean>;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AttachmentBlobsTable {
  sha256: string;
  size: number;
  data: Uint8Array;
  created_at: Timestamp;
}

export interface AttachmentsTable {
  id: Generated<string>;
  ticket_id: string;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  internal: Generated<boolean>;
  uploaded_by: string | null;
  article_id: ColumnType<string | null, string | null | undefined, string | null>;
  content_id: ColumnType<string | null, string | null | undefined, string | null>;
  inline: Generated<boolean>;
  created_at: Timestamp;
}

export interface MailboxesTable {
  id: Generated<string>;
  version: Generated<number>;
  kind: "imap" | "smtp";
  name: string;
  address: string;
  group_id: string;
  ticket_type: "incident" | "service_request" | "problem";
  category_id: string | null;
  unknown_senders: "create" | "reject";
  acknowledge: boolean;
  closed_replies: "new_ticket" | "reopen";
  imap: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  imap_password: string | null;
  active: Generated<boolean>;
  last_checked_at: NullableTimestamp;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MailMessagesTable {
  id: Generated<string>;
  message_id: string;
  direction: "in" | "out";
  mailbox_id: string | null;
  ticket_id: string | null;
  article_id: string | null;
  outcome: string;
  sender: string | null;
  subject: string | null;
  raw_sha256: string | null;
  created_at: Timestamp;
}

export interface MailQuarantineTable {
  id: Generated<string>;
  mailbox_id: string | null;
  raw_sha256: string;
  size: number;
  message_id: string | null;
  sender: string | null;
  subject: string | null;
  reason: string;
  state: Generated<"held" | "processed" | "discarded">;
  attempts: Generated<number>;
  ticket_id: string | null;
  resolved_by: string | null;
  received_at: Timestamp;
  updated_at: Timestamp;
}

export interface MailOutboundTable {
  id: Generated<string>;
  dedupe_key: string;
  kind: "reply" | "acknowledgement" | "notification" | "password_reset";
  automatic: boolean;
  ticket_id: string | null;
  article_id: string | null;
  recipients: string[];
  message_id: string;
  subject: string;
  message: Json;
  state: Generated<"queued" | "sending" | "sent" | "failed" | "suppressed">;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface NotificationPrefsTable {
  user_id: string;
  rule: string;
  email: boolean;
  in_app: boolean;
  updated_at: Generated<Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  rule: string;
  dedupe_key: string;
  title: string;
  body: string;
  link: string | null;
  entity_type: string | null;
  entity_id: string | null;
  read_at: Date | null;
  created_at: Generated<Date>;
}

export interface NotificationTemplatesTable {
  rule: string;
  version: Generated<number>;
  subject: string;
  body: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string | null;
  ip: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface MailAutoLogTable {
  address: string;
  ticket_id: string | null;
  created_at: Timestamp;
}

export interface CatalogItemsTable {
  id: Generated<string>;
  version: Generated<number>;
  list: string;
  name: string;
  properties: ColumnType<Record<string, unknown>, string | undefined, string>;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CiClassesTable {
  id: Generated<string>;
  version: Generated<number>;
  code: string | null;
  name: string;
  description: Generated<string>;
  attributes: ColumnType<unknown[], string | undefined, string>;
  group_ids: ColumnType<string[], string[] | undefined, string[]>;
  builtin: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CiClassVersionsTable {
  class_id: string;
  version: number;
  attributes: ColumnType<unknown[], string, never>;
  created_at: Timestamp;
}

export interface CisTable {
  id: Generated<string>;
  version: Generated<number>;
  number: Generated<number>;
  class_id: string;
  class_version: number;
  name: string;
  deployment_state_id: string;
  incident_state: ColumnType<
    "operational" | "warning" | "incident",
    "operational" | "warning" | "incident" | undefined,
    "operational" | "warning" | "incident"
  >;
  incident_manual: Generated<boolean>;
  organization_id: string | null;
  group_id: string | null;
  location_id: string | null;
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  locks: ColumnType<string[], string[] | undefined, string[]>;
  search: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CiVersionsTable {
  ci_id: string;
  version: number;
  class_version: number;
  snapshot: ColumnType<Record<string, unknown>, string, never>;
  diff: ColumnType<Record<string, [unknown, unknown]>, string, never>;
  actor_id: string | null;
  source: "web" | "api" | "import" | "discovery" | "system";
  created_at: Timestamp;
}

export interface CiRelationTypesTable {
  key: string;
  label: string;
  reverse_label: string;
  impact: "forward" | "reverse" | "both" | "none";
  builtin: Generated<boolean>;
  created_at: Timestamp;
}

export interface CiRelationsTable {
  id: Generated<string>;
  source_id: string;
  target_id: string;
  type: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface CiRedundancyGroupsTable {
  id: Generated<string>;
  ci_id: string;
  name: string;
  min_up: number | null;
  min_percent: number | null;
  created_at: Timestamp;
}

export interface CiRedundancyMembersTable {
  group_id: string;
  member_id: string;
}

export interface CiServiceSubscriptionsTable {
  ci_id: string;
  organization_id: string;
}

export interface TicketCisTable {
  ticket_id: string;
  ci_id: string;
}

export interface InventoryKeysTable {
  id: Generated<string>;
  name: string;
  key_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface CiDiscoveryTable {
  device_id: string;
  protocol: "fusion" | "ocs" | "glpi";
  ci_id: string | null;
  inventory: ColumnType<Record<string, unknown>, string | undefined, string>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface CiDiscoveryLogTable {
  id: Generated<string>;
  at: Timestamp;
  device_id: string;
  protocol: string;
  key_id: string | null;
  outcome: "created" | "updated" | "unchanged" | "conflict" | "rejected";
  ci_id: string | null;
  detail: Generated<string>;
  candidate_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface ChangesTable {
  id: Generated<string>;
  version: Generated<number>;
  number: Generated<number>;
  type: "standard" | "normal" | "emergency";
  state: Generated<string>;
  title: string;
  description: Generated<string>;
  justification: Generated<string>;
  requested_by: string | null;
  owner_id: string | null;
  assignee_id: string | null;
  group_id: string | null;
  planned_start: NullableTimestamp;
  start_reminded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  planned_end: NullableTimestamp;
  actual_start: NullableTimestamp;
  actual_end: NullableTimestamp;
  implementation_plan: Generated<string>;
  test_plan: Generated<string>;
  rollback_plan: Generated<string>;
  outage: ColumnType<{ kind: "none" | "partial" | "full"; minutes?: number }, string | undefined, string>;
  plan_revision: Generated<number>;
  conflict_override: string | null;
  conflict_override_revision: number | null;
  conflict_override_by: string | null;
  category_id: string | null;
  template_id: string | null;
  risk_answers: ColumnType<Record<string, boolean>, string | undefined, string>;
  risk: ColumnType<StoredRisk, string | undefined, string>;
  risk_level: Generated<"low" | "medium" | "high" | "very_high">;
  service_ids: ColumnType<string[], string[] | undefined, string[]>;
  review_outcome: "successful" | "partially_successful" | "failed" | "rolled_back" | null;
  review_notes: Generated<string>;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StoredRisk {
  score: number;
  level: "low" | "medium" | "high" | "very_high";
  reasons: { label: string; points: number }[];
  unanswered: string[];
}

export interface ChangeTemplatesTable {
  id: Generated<string>;
  version: Generated<number>;
  name: string;
  title: string;
  description: Generated<string>;
  justification: Generated<string>;
  category_id: string | null;
  ci_ids: ColumnType<string[], string[] | undefined, string[]>;
  duration_minutes: number;
  implementation_plan: Generated<string>;
  test_plan: Generated<string>;
  rollback_plan: string;
  outage: ColumnType<{ kind: "none" | "partial" | "full"; minutes?: number }, string | undefined, string>;
  work_orders: ColumnType<
    { kind: "implementation" | "test" | "rollback" | "review"; title: string; instructions: string }[],
    string | undefined,
    string
  >;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChangeTicketsTable {
  change_id: string;
  ticket_id: string;
}

export interface CabTemplatesTable {
  id: Generated<string>;
  name: string;
  user_ids: ColumnType<string[], string[] | undefined, string[]>;
  group_ids: ColumnType<string[], string[] | undefined, string[]>;
  rule: "all" | "any" | "majority" | "at_least";
  at_least: number | null;
  created_at: Timestamp;
}

export interface ChangeCisTable {
  change_id: string;
  ci_id: string;
}

export interface ChangeApproverSetsTable {
  id: Generated<string>;
  name: string;
  types: ColumnType<string[], string[] | undefined, string[]>;
  service_ids: ColumnType<string[], string[] | undefined, string[]>;
  user_ids: ColumnType<string[], string[] | undefined, string[]>;
  group_ids: ColumnType<string[], string[] | undefined, string[]>;
  rule: "all" | "any" | "majority" | "at_least";
  at_least: number | null;
  risk_levels: ColumnType<string[], string[] | undefined, string[]>;
  change_id: string | null;
  version: Generated<number>;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface ChangeApprovalsTable {
  id: Generated<string>;
  change_id: string;
  approver_id: string;
  decision: "approve" | "reject";
  comment: string;
  plan_revision: number;
  change_version: number;
  withdrawn_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ChangeWorkOrdersTable {
  id: Generated<string>;
  version: Generated<number>;
  change_id: string;
  position: number;
  kind: "implementation" | "test" | "rollback" | "review";
  title: string;
  instructions: Generated<string>;
  state: Generated<"created" | "ready" | "in_progress" | "done" | "failed" | "canceled">;
  assignee_id: string | null;
  planned_start: NullableTimestamp;
  planned_end: NullableTimestamp;
  actual_start: NullableTimestamp;
  actual_end: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MaintenanceWindowsTable {
  id: Generated<string>;
  name: string;
  ci_ids: ColumnType<string[], string[] | undefined, string[]>;
  service_ids: ColumnType<string[], string[] | undefined, string[]>;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  rrule: string | null;
  dtstart: string | null;
  duration_minutes: number | null;
  timezone: string | null;
  created_at: Timestamp;
}

export interface BlackoutWindowsTable {
  id: Generated<string>;
  name: string;
  service_ids: ColumnType<string[], string[] | undefined, string[]>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_at: Timestamp;
}

export interface CalendarFeedTokensTable {
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
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
  categories: CategoriesTable;
  priority_matrix: PriorityMatrixTable;
  tickets: TicketsTable;
  ticket_watchers: TicketWatchersTable;
  ticket_articles: TicketArticlesTable;
  ticket_links: TicketLinksTable;
  settings: SettingsTable;
  sla_policies: SlaPoliciesTable;
  ticket_sla_clocks: TicketSlaClocksTable;
  saved_views: SavedViewsTable;
  saved_view_order: SavedViewOrderTable;
  catalog_items: CatalogItemsTable;
  ci_classes: CiClassesTable;
  ci_class_versions: CiClassVersionsTable;
  cis: CisTable;
  ci_versions: CiVersionsTable;
  ci_relation_types: CiRelationTypesTable;
  ci_relations: CiRelationsTable;
  ci_redundancy_groups: CiRedundancyGroupsTable;
  ci_redundancy_members: CiRedundancyMembersTable;
  ci_service_subscriptions: CiServiceSubscriptionsTable;
  ticket_cis: TicketCisTable;
  inventory_keys: InventoryKeysTable;
  ci_discovery: CiDiscoveryTable;
  ci_discovery_log: CiDiscoveryLogTable;
  changes: ChangesTable;
  change_cis: ChangeCisTable;
  change_approver_sets: ChangeApproverSetsTable;
  change_approvals: ChangeApprovalsTable;
  change_templates: ChangeTemplatesTable;
  change_tickets: ChangeTicketsTable;
  cab_templates: CabTemplatesTable;
  change_work_orders: ChangeWorkOrdersTable;
  maintenance_windows: MaintenanceWindowsTable;
  blackout_windows: BlackoutWindowsTable;
  calendar_feed_tokens: CalendarFeedTokensTable;
  custom_field_defs: CustomFieldDefsTable;
  attachment_blobs: AttachmentBlobsTable;
  attachments: AttachmentsTable;
  calendars: CalendarsTable;
  mailboxes: MailboxesTable;
  mail_messages: MailMessagesTable;
  mail_quarantine: MailQuarantineTable;
  mail_outbound: MailOutboundTable;
  mail_auto_log: MailAutoLogTable;
  notification_prefs: NotificationPrefsTable;
  notifications: NotificationsTable;
  notification_templates: NotificationTemplatesTable;
  password_resets: PasswordResetsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserPatch = Updateable<UsersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type RoleRow = Selectable<RolesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type TicketRow = Selectable<TicketsTable>;
export type ArticleRow = Selectable<TicketArticlesTable>;
