import {
  NotificationPageSchema,
  type NotificationRuleId,
  NotificationRuleListSchema,
  NotificationRuleSchema,
  NotificationTemplateListSchema,
  NotificationTemplateSchema,
  type NotificationTemplateUpdate,
  PasswordResetAcceptedSchema,
  RenderedNotificationSchema,
  UnreadCountSchema,
} from "../../../common/notifications.ts";
import { request, requestVoid } from "./client.ts";

const id = encodeURIComponent;

export type {
  Notification,
  NotificationPage,
  NotificationRule,
  NotificationRuleId,
  NotificationTemplate,
  RenderedNotification,
} from "../../../common/notifications.ts";

export type NotificationFilter = "all" | "unread";

/** Query keys: everything about the caller's own notifications sits under one root. */
export const notificationKeys = {
  all: ["notifications"] as const,
  unread: ["notifications", "unread"] as const,
  /** The bell's short list. */
  latest: ["notifications", "latest"] as const,
  /** The notification centre's pages. */
  feed: (filter: NotificationFilter) => ["notifications", "feed", filter] as const,
  feeds: ["notifications", "feed"] as const,
  rules: ["notification-rules"] as const,
  templates: ["notification-templates"] as const,
};

/** Where the browser listens for the unread count (server-sent events, event `unread`). */
export const NOTIFICATION_STREAM_URL = "/api/v1/me/notifications/stream";

// ---- the caller's notifications ----

export const listNotifications = (params: { cursor?: string | undefined; limit?: number; unread?: boolean }) =>
  request("GET", "/me/notifications", NotificationPageSchema, {
    query: { cursor: params.cursor, limit: params.limit, unread: params.unread ? "true" : undefined },
  });
export const getUnreadCount = () => request("GET", "/me/notifications/unread", UnreadCountSchema);
export const markNotificationRead = (notificationId: string) =>
  request("POST", `/me/notifications/${id(notificationId)}/read`, UnreadCountSchema);
export const markAllNotificationsRead = () => request("POST", "/me/notifications/read-all", UnreadCountSchema);

// ---- the caller's choices ----

export const listNotificationRules = () => request("GET", "/notification-rules", NotificationRuleListSchema);
export const setNotificationRule = (rule: NotificationRuleId, body: { email: boolean; inApp: boolean }) =>
  request("PUT", `/notification-rules/${id(rule)}`, NotificationRuleSchema, { body });

// ---- templates (mail.manage) ----

export const listNotificationTemplates = () =>
  request("GET", "/notification-templates", NotificationTemplateListSchema);
/** 422 with `body.subject` / `body.body` field errors for a placeholder the rule does not offer. */
export const saveNotificationTemplate = (rule: NotificationRuleId, body: NotificationTemplateUpdate) =>
  request("PUT", `/notification-templates/${id(rule)}`, NotificationTemplateSchema, { body });
/** Back to the built-in text. */
export const resetNotificationTemplate = (rule: NotificationRuleId) =>
  request("DELETE", `/notification-templates/${id(rule)}`, NotificationTemplateSchema);
/** Renders the text with the rule's sample data; the HTML is escaped by the server. */
export const previewNotificationTemplate = (rule: NotificationRuleId, body: { subject: string; body: string }) =>
  request("POST", `/notification-templates/${id(rule)}/preview`, RenderedNotificationSchema, { body });

// ---- password reset (public) ----

/** Always the same answer (202), whether or not the account exists; 429 when asked too often. */
export const requestPasswordReset = (email: string) =>
  request("POST", "/auth/password-reset", PasswordResetAcceptedSchema, { body: { email } });
/** 204; 401 when the link is invalid, used or expired; 400 `body.password` when too short. */
export const confirmPasswordReset = (token: string, password: string) =>
  requestVoid("POST", "/auth/password-reset/confirm", { body: { token, password } });

/** A notification's link when it is a path inside the app (never another origin). */
export function inAppPath(link: string | null): string | null {
  if (!link?.startsWith("/")) return null;
  // Parsed as the browser would (it drops tabs and line breaks, so "/\t/x" is "//x": another host).
  try {
    const url = new URL(link, window.location.origin);
    return url.origin === window.location.origin ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}
