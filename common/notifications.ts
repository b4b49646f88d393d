import { z } from "zod";
import { IdSchema, ListQueryBase, TimestampSchema, VersionSchema } from "./api.ts";
import { PasswordSchema } from "./identity.ts";

/** What a person can be told about. Each person chooses e-mail and/or in-app per rule. */
export const NOTIFICATION_RULES = [
  "ticket_new_in_group",
  "ticket_assigned",
  "customer_replied",
  "mentioned",
  "sla_warning",
  "sla_breach",
  "approval_requested",
  "change_starting",
  "mail_suppressed",
] as const;
export const NotificationRuleIdSchema = z.enum(NOTIFICATION_RULES);
export type NotificationRuleId = z.infer<typeof NotificationRuleIdSchema>;

export const NotificationRuleSchema = z.object({
  rule: NotificationRuleIdSchema,
  label: z.string(),
  description: z.string(),
  email: z.boolean(),
  inApp: z.boolean(),
  /** True while the person has not changed the defaults. */
  isDefault: z.boolean(),
});
export type NotificationRule = z.infer<typeof NotificationRuleSchema>;
export const NotificationRuleListSchema = z.object({ items: z.array(NotificationRuleSchema) });

export const NotificationRuleUpdateSchema = z.strictObject({ email: z.boolean(), inApp: z.boolean() });
export const RuleParamsSchema = z.strictObject({ rule: NotificationRuleIdSchema });

export const NotificationSchema = z.object({
  id: IdSchema,
  rule: NotificationRuleIdSchema,
  title: z.string(),
  body: z.string(),
  /** Where it leads in the app (`/tickets/…`, `/changes/…`), or null. */
  link: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: IdSchema.nullable(),
  readAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationPageSchema = z.object({
  items: z.array(NotificationSchema),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPageSchema>;

export const NotificationListQuerySchema = z.strictObject({
  ...ListQueryBase,
  unread: z.enum(["true", "false"]).optional(),
});

export const UnreadCountSchema = z.object({ unread: z.number().int() });

export const NotificationTemplateSchema = z.object({
  rule: NotificationRuleIdSchema,
  label: z.string(),
  subject: z.string(),
  body: z.string(),
  /** The `{{variables}}` this template may use. */
  variables: z.array(z.string()),
  /** False while the built-in text is in use. */
  customized: z.boolean(),
  version: z.number().int(),
  updatedAt: TimestampSchema.nullable(),
});
export type NotificationTemplate = z.infer<typeof NotificationTemplateSchema>;
export const NotificationTemplateListSchema = z.object({ items: z.array(NotificationTemplateSchema) });

export const NotificationTemplateUpdateSchema = z.strictObject({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(10_000),
  version: VersionSchema.optional(),
});
export type NotificationTemplateUpdate = z.infer<typeof NotificationTemplateUpdateSchema>;

export const NotificationTemplatePreviewSchema = z.strictObject({
  subject: z.string().max(300),
  body: z.string().max(10_000),
});
export const RenderedNotificationSchema = z.object({ subject: z.string(), text: z.string(), html: z.string() });
export type RenderedNotification = z.infer<typeof RenderedNotificationSchema>;

export const PasswordResetRequestSchema = z.strictObject({ email: z.string().trim().max(254) });
export const PasswordResetConfirmSchema = z.strictObject({
  token: z.string().min(20).max(200),
  password: PasswordSchema,
});
export const PasswordResetAcceptedSchema = z.object({ message: z.string() });
