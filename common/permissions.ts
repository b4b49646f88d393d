/**
 * Capabilities (`resource.verb`). A route names one of these, or `public` /
 * `authenticated`. Roles and token scopes are sets of them.
 */
export const PERMISSIONS = [
  "user.read",
  "user.create",
  "user.update",
  "organization.read",
  "organization.create",
  "organization.update",
  "group.read",
  "group.create",
  "group.update",
  "role.read",
  "audit.read",
  "ticket.read",
  "ticket.create",
  "ticket.reply",
  "ticket.update",
  "category.read",
  "category.manage",
  "priority.manage",
  "sla.read",
  "sla.manage",
  "view.share",
  "customfield.manage",
  "calendar.read",
  "calendar.manage",
  "cmdb.read",
  "cmdb.manage",
  "cmdb.admin",
  "change.read",
  "change.create",
  "change.update",
  "change.manage",
  "mail.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What every customer may do; the record policies narrow it to their own records. */
export const CUSTOMER_PERMISSIONS: readonly Permission[] = [
  "user.read",
  "organization.read",
  "ticket.read",
  "ticket.create",
  "ticket.reply",
  "category.read",
];
