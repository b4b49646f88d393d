import type { FastifyReply } from "fastify";
import { z } from "zod";
import { IdSchema } from "../../../common/api.ts";
import {
  NotificationListQuerySchema,
  NotificationPageSchema,
  NotificationRuleListSchema,
  NotificationRuleSchema,
  NotificationRuleUpdateSchema,
  NotificationTemplateListSchema,
  NotificationTemplatePreviewSchema,
  NotificationTemplateSchema,
  NotificationTemplateUpdateSchema,
  PasswordResetAcceptedSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  RenderedNotificationSchema,
  RuleParamsSchema,
  UnreadCountSchema,
} from "../../../common/notifications.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { confirmPasswordReset, requestPasswordReset } from "./password-reset.ts";
import {
  listRules,
  listTemplates,
  liveBus,
  markRead,
  myNotifications,
  preview,
  resetTemplate,
  setRule,
  unread,
  updateTemplate,
} from "./service.ts";

const tags = ["notifications"];
const IdParams = z.strictObject({ id: IdSchema });

/**
 * Server-sent events for the caller's unread count: one `unread` event at once, then one whenever
 * it changes in this process (re-read shortly after, when the change has committed), and a re-read
 * every 20 s for changes made on other nodes.
 */
const openStreams = new WeakMap<object, Set<FastifyReply["raw"]>>();

/** Ends the app's open streams (it is shutting down; browsers reconnect elsewhere or later). */
export function closeNotificationStreams(app: object): void {
  for (const res of openStreams.get(app) ?? []) res.end();
  openStreams.delete(app);
}

function stream(deps: Deps, ctx: RequestContext, reply: FastifyReply) {
  reply.hijack();
  const res = reply.raw;
  const open = openStreams.get(reply.server) ?? new Set();
  openStreams.set(reply.server, open);
  open.add(res);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
    connection: "keep-alive",
  });
  let last = -1;
  let closed = false;
  const push = async () => {
    if (closed) return;
    try {
      const { unread: n } = await unread(deps, ctx);
      if (closed) return;
      if (n !== last) {
        last = n;
        res.write(`event: unread\ndata: ${JSON.stringify({ unread: n })}\n\n`);
      } else res.write(": keep-alive\n\n");
    } catch (err) {
      deps.log.debug({ err }, "notification stream read failed");
    }
  };
  const timers = new Set<NodeJS.Timeout>();
  const soon = () => {
    for (const ms of [150, 1500]) {
      const t = setTimeout(() => {
        timers.delete(t);
        void push();
      }, ms);
      timers.add(t);
    }
  };
  const channel = `user:${ctx.actor.id}`;
  liveBus.on(channel, soon);
  const every = setInterval(() => void push(), 20_000);
  res.write("retry: 5000\n\n");
  void push();
  res.on("close", () => {
    closed = true;
    open.delete(res);
    liveBus.off(channel, soon);
    clearInterval(every);
    for (const t of timers) clearTimeout(t);
  });
}

export function notificationRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/v1/notification-rules",
      access: "authenticated",
      summary: "What the caller is told about, and how (e-mail, in-app), per rule",
      tags,
      response: { status: 200, schema: NotificationRuleListSchema },
      handler: ({ ctx }) => listRules(deps, ctx),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/v1/notification-rules/:rule",
      access: "authenticated",
      summary: "Choose e-mail and/or in-app for one rule",
      tags,
      params: RuleParamsSchema,
      body: NotificationRuleUpdateSchema,
      response: { status: 200, schema: NotificationRuleSchema },
      handler: ({ ctx, params, body }) => setRule(deps, ctx, params.rule, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me/notifications",
      access: "authenticated",
      summary: "The caller's notifications, newest first, with the unread count",
      tags,
      query: NotificationListQuerySchema,
      response: { status: 200, schema: NotificationPageSchema },
      handler: ({ ctx, query }) => myNotifications(deps, ctx, query),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me/notifications/unread",
      access: "authenticated",
      summary: "The caller's unread count",
      tags,
      response: { status: 200, schema: UnreadCountSchema },
      handler: ({ ctx }) => unread(deps, ctx),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me/notifications/stream",
      access: "authenticated",
      summary: "Server-sent events: `unread` with the count, whenever it changes",
      tags,
      response: { status: 200, raw: { contentType: "text/event-stream" } },
      handler: async ({ ctx, reply }) => stream(deps, ctx, reply),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/me/notifications/:id/read",
      access: "authenticated",
      summary: "Mark one notification read",
      tags,
      params: IdParams,
      response: { status: 200, schema: UnreadCountSchema },
      handler: ({ ctx, params }) => markRead(deps, ctx, params.id),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/me/notifications/read-all",
      access: "authenticated",
      summary: "Mark all the caller's notifications read",
      tags,
      response: { status: 200, schema: UnreadCountSchema },
      handler: ({ ctx }) => markRead(deps, ctx, null),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/notification-templates",
      access: "mail.manage",
      summary: "The text of each notification (built in, or as edited)",
      tags,
      response: { status: 200, schema: NotificationTemplateListSchema },
      handler: () => listTemplates(deps),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/v1/notification-templates/:rule",
      access: "mail.manage",
      summary: "Edit a notification's subject and text ({{placeholders}} only, no logic)",
      tags,
      params: RuleParamsSchema,
      body: NotificationTemplateUpdateSchema,
      response: { status: 200, schema: NotificationTemplateSchema },
      handler: ({ ctx, params, body, ifMatch }) => updateTemplate(deps, ctx, params.rule, body, ifMatch),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/v1/notification-templates/:rule",
      access: "mail.manage",
      summary: "Back to the built-in text",
      tags,
      params: RuleParamsSchema,
      response: { status: 200, schema: NotificationTemplateSchema },
      handler: ({ ctx, params }) => resetTemplate(deps, ctx, params.rule),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/notification-templates/:rule/preview",
      access: "mail.manage",
      summary: "Render a template with sample data",
      tags,
      params: RuleParamsSchema,
      body: NotificationTemplatePreviewSchema,
      response: { status: 200, schema: RenderedNotificationSchema },
      handler: async ({ params, body }) => preview(params.rule, body),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      access: "public",
      summary: "Mail a single-use link to choose a new password (same answer whether or not the account exists)",
      tags: ["auth"],
      body: PasswordResetRequestSchema,
      response: { status: 202, schema: PasswordResetAcceptedSchema },
      handler: ({ body, request }) => requestPasswordReset(deps, body, { ip: request.ip }),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/auth/password-reset/confirm",
      access: "public",
      summary: "Set a new password with the link's token; signs the account out everywhere",
      tags: ["auth"],
      body: PasswordResetConfirmSchema,
      response: { status: 204 },
      handler: ({ body }) => confirmPasswordReset(deps, body),
    }),
  ];
}
