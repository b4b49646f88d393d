import { EventEmitter } from "node:events";
import type { Selectable } from "kysely";
import type {
  Notification,
  NotificationPage,
  NotificationRule,
  NotificationRuleId,
  NotificationTemplate,
  NotificationTemplateUpdate,
  RenderedNotification,
} from "../../../common/notifications.ts";
import { NOTIFICATION_RULES } from "../../../common/notifications.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { NotificationsTable } from "../../db/types.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { Actor, RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { publicUrlOf } from "../../platform/urls.ts";
import { queueMail, storedSmtp } from "../email/index.ts";
import { permissionsFor } from "../identity/index.ts";
import { RULES, type TemplateData, variablesOf } from "./rules.ts";
import { renderHtml, renderSubject, renderText, unknownPlaceholders } from "./template.ts";

/** Live in-app updates within this process: `user:<id>` fires when that user's notifications change. */
export const liveBus = new EventEmitter();
liveBus.setMaxListeners(0);

function present(r: Selectable<NotificationsTable>): Notification {
  return {
    id: r.id,
    rule: r.rule as NotificationRuleId,
    title: r.title,
    body: r.body,
    link: r.link,
    entityType: r.entity_type,
    entityId: r.entity_id,
    readAt: r.read_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/** Which rules a person may hold: agents the agent rules, mail managers also the mail rule. */
function rulesFor(actor: Pick<Actor, "kind" | "permissions">): NotificationRuleId[] {
  if (actor.kind !== "agent") return [];
  return NOTIFICATION_RULES.filter((r) => {
    const audience = RULES[r].audience;
    return audience === "agent" || actor.permissions.has(audience);
  });
}

export async function listRules(deps: Deps, ctx: RequestContext): Promise<{ items: NotificationRule[] }> {
  const prefs = await deps.db
    .selectFrom("notification_prefs")
    .selectAll()
    .where("user_id", "=", ctx.actor.id)
    .execute();
  const byRule = new Map(prefs.map((p) => [p.rule, p]));
  return {
    items: rulesFor(ctx.actor).map((rule) => {
      const def = RULES[rule];
      const p = byRule.get(rule);
      return {
        rule,
        label: def.label,
        description: def.description,
        email: p?.email ?? def.defaults.email,
        inApp: p?.in_app ?? def.defaults.inApp,
        isDefault: !p,
      };
    }),
  };
}

export async function setRule(
  deps: Deps,
  ctx: RequestContext,
  rule: NotificationRuleId,
  input: { email: boolean; inApp: boolean },
): Promise<NotificationRule> {
  if (!rulesFor(ctx.actor).includes(rule)) {
    throw new Invalid(
      [{ field: "params.rule", message: "not offered to you" }],
      "This notification is not offered to you",
    );
  }
  const now = deps.now();
  await deps.db
    .insertInto("notification_prefs")
    .values({ user_id: ctx.actor.id, rule, email: input.email, in_app: input.inApp, updated_at: now })
    .onConflict((oc) =>
      oc.columns(["user_id", "rule"]).doUpdateSet({ email: input.email, in_app: input.inApp, updated_at: now }),
    )
    .execute();
  const def = RULES[rule];
  return { rule, label: def.label, description: def.description, ...input, isDefault: false };
}

async function unreadCount(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function myNotifications(
  deps: Deps,
  ctx: RequestContext,
  query: { cursor?: string | undefined; limit: number; unread?: "true" | "false" | undefined },
): Promise<NotificationPage> {
  let q = deps.db.selectFrom("notifications").selectAll().where("user_id", "=", ctx.actor.id);
  if (query.unread === "true") q = q.where("read_at", "is", null);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    q = q.where((eb) =>
      eb.or([eb("created_at", "<", new Date(at)), eb.and([eb("created_at", "=", new Date(at)), eb("id", "<", id)])]),
    );
  }
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const p = page(rows, query.limit, (r) => [r.created_at.toISOString(), r.id]);
  return { items: p.items.map(present), nextCursor: p.nextCursor, unread: await unreadCount(deps.db, ctx.actor.id) };
}

export async function unread(deps: Deps, ctx: RequestContext): Promise<{ unread: number }> {
  return { unread: await unreadCount(deps.db, ctx.actor.id) };
}

/** Marks one (or, without an id, all) of the caller's notifications read. Someone else's id is simply not found. */
export async function markRead(deps: Deps, ctx: RequestContext, id: string | null): Promise<{ unread: number }> {
  if (id) {
    const own = await deps.db
      .selectFrom("notifications")
      .select("id")
      .where("id", "=", id)
      .where("user_id", "=", ctx.actor.id)
      .executeTakeFirst();
    if (!own) throw new NotFound("Notification");
  }
  let q = deps.db
    .updateTable("notifications")
    .set({ read_at: deps.now() })
    .where("user_id", "=", ctx.actor.id)
    .where("read_at", "is", null);
  if (id) q = q.where("id", "=", id);
  await q.execute();
  const count = await unreadCount(deps.db, ctx.actor.id);
  liveBus.emit(`user:${ctx.actor.id}`, count);
  return { unread: count };
}

// ---- templates ----

async function templateOf(db: Executor, rule: NotificationRuleId) {
  const row = await db.selectFrom("notification_templates").selectAll().where("rule", "=", rule).executeTakeFirst();
  return row ?? null;
}

function presentTemplate(
  rule: NotificationRuleId,
  row: { subject: string; body: string; version: number; updated_at: Date } | null,
): NotificationTemplate {
  const def = RULES[rule];
  return {
    rule,
    label: def.label,
    subject: row?.subject ?? def.subject,
    body: row?.body ?? def.body,
    variables: variablesOf(rule),
    customized: row !== null,
    version: row?.version ?? 0,
    updatedAt: row?.updated_at.toISOString() ?? null,
  };
}

export async function listTemplates(deps: Deps): Promise<{ items: NotificationTemplate[] }> {
  const rows = await deps.db.selectFrom("notification_templates").selectAll().execute();
  const byRule = new Map(rows.map((r) => [r.rule, r]));
  return { items: NOTIFICATION_RULES.map((rule) => presentTemplate(rule, byRule.get(rule) ?? null)) };
}

function checkTemplate(rule: NotificationRuleId, input: { subject: string; body: string }) {
  const variables = variablesOf(rule);
  const errors = [];
  for (const field of ["subject", "body"] as const) {
    const bad = unknownPlaceholders(input[field], variables);
    if (bad.length) {
      errors.push({
        field: `body.${field}`,
        message: `unknown ${bad.length === 1 ? "placeholder" : "placeholders"} ${bad.map((b) => `{{${b}}}`).join(", ")}; this template may use ${variables.map((v) => `{{${v}}}`).join(", ")}`,
      });
    }
  }
  if (errors.length) throw new Invalid(errors, "The template names values it cannot use");
}

export async function updateTemplate(
  deps: Deps,
  ctx: RequestContext,
  rule: NotificationRuleId,
  input: NotificationTemplateUpdate,
  ifMatch: number | undefined,
): Promise<NotificationTemplate> {
  checkTemplate(rule, input);
  return inTransaction(deps.db, async (tx) => {
    const before = await tx
      .selectFrom("notification_templates")
      .selectAll()
      .where("rule", "=", rule)
      .forUpdate()
      .executeTakeFirst();
    const expected = input.version ?? ifMatch;
    const current = before?.version ?? 0;
    if (expected !== undefined && expected !== current) throw new StaleVersion("The template", current);
    const now = deps.now();
    const row = await tx
      .insertInto("notification_templates")
      .values({ rule, subject: input.subject, body: input.body, updated_by: ctx.actor.id, updated_at: now, version: 1 })
      .onConflict((oc) =>
        oc.column("rule").doUpdateSet((eb) => ({
          subject: input.subject,
          body: input.body,
          updated_by: ctx.actor.id,
          updated_at: now,
          version: eb("notification_templates.version", "+", 1),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, ctx, {
      action: "notification_template.updated",
      entityType: "notification_template",
      entityId: rule,
      changes: {
        subject: [before?.subject ?? RULES[rule].subject, input.subject],
        body: [before?.body ?? RULES[rule].body, input.body],
      },
    });
    return presentTemplate(rule, row);
  });
}

export async function resetTemplate(deps: Deps, ctx: RequestContext, rule: NotificationRuleId) {
  await inTransaction(deps.db, async (tx) => {
    const gone = await tx
      .deleteFrom("notification_templates")
      .where("rule", "=", rule)
      .returningAll()
      .executeTakeFirst();
    if (gone) {
      await appendAudit(tx, ctx, {
        action: "notification_template.reset",
        entityType: "notification_template",
        entityId: rule,
        changes: { subject: [gone.subject, RULES[rule].subject], body: [gone.body, RULES[rule].body] },
      });
    }
  });
  return presentTemplate(rule, null);
}

/** A template rendered with the rule's sample data, as the mail and the in-app entry would show it. */
export function preview(rule: NotificationRuleId, input: { subject: string; body: string }): RenderedNotification {
  checkTemplate(rule, input);
  const data = RULES[rule].sample;
  return {
    subject: renderSubject(input.subject, data),
    text: renderText(input.body, data),
    html: renderHtml(input.body, data),
  };
}

// ---- delivery ----

export interface Delivery {
  rule: NotificationRuleId;
  userIds: readonly string[];
  /** Left out: the person who caused it. */
  exceptUserId?: string | null;
  /** Same key, same event: a redelivery adds nothing, by mail or in-app. */
  dedupeKey: string;
  data: TemplateData;
  /** In-app path (`/tickets/…`); the mail carries it as a full URL in the data. */
  link: string | null;
  entityType: string | null;
  entityId: string | null;
  ticketId?: string | null;
  /** Only people who may read this ticket are told about it. */
  readableTicketId?: string;
  readable?: (db: Executor, actor: Actor) => Promise<boolean>;
}

/** The app's address for links in mail. */
export const appUrl = (deps: Deps, path: string) => `${publicUrlOf(deps.config)}${path}`;

/**
 * Tells each person per their choices for the rule, in the caller's transaction: an in-app entry
 * and/or a mail through the outgoing queue (both keyed, so one event never tells anyone twice).
 */
export async function deliver(deps: Deps, tx: Tx, d: Delivery): Promise<number> {
  const ids = [...new Set(d.userIds)].filter((id) => id !== d.exceptUserId);
  if (ids.length === 0) return 0;
  const users = await tx
    .selectFrom("users")
    .select(["id", "name", "email", "kind", "admin", "active"])
    .where("id", "in", ids)
    .where("active", "=", true)
    .where("kind", "=", "agent")
    .execute();
  if (users.length === 0) return 0;
  const prefs = await tx
    .selectFrom("notification_prefs")
    .selectAll()
    .where("rule", "=", d.rule)
    .where(
      "user_id",
      "in",
      users.map((u) => u.id),
    )
    .execute();
  const prefOf = new Map(prefs.map((p) => [p.user_id, p]));
  const def = RULES[d.rule];
  const template = await templateOf(tx, d.rule);
  const subjectTemplate = template?.subject ?? def.subject;
  const bodyTemplate = template?.body ?? def.body;
  const smtp = await storedSmtp(tx);
  let told = 0;
  for (const u of users) {
    const pref = prefOf.get(u.id);
    const email = pref?.email ?? def.defaults.email;
    const inApp = pref?.in_app ?? def.defaults.inApp;
    if (!email && !inApp) continue;
    const permissions = await permissionsFor({ db: tx }, { id: u.id, kind: u.kind, admin: u.admin });
    const actor: Actor = { id: u.id, kind: u.kind, admin: u.admin, organizationId: null, permissions, via: "system" };
    if (def.audience !== "agent" && !permissions.has(def.audience)) continue;
    if (d.readable && !(await d.readable(tx, actor))) continue;
    const data = { ...d.data, recipient: { name: u.name } };
    const subject = renderSubject(subjectTemplate, data);
    const text = renderText(bodyTemplate, data);
    if (inApp) {
      const row = await tx
        .insertInto("notifications")
        .values({
          user_id: u.id,
          rule: d.rule,
          dedupe_key: d.dedupeKey,
          title: subject,
          body: text.replace(/^Hello [^\n]*\n+/, "").slice(0, 2000),
          link: d.link,
          entity_type: d.entityType,
          entity_id: d.entityId,
          created_at: deps.now(),
        })
        .onConflict((oc) => oc.columns(["user_id", "dedupe_key"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (row) {
        told++;
        // Fired inside the transaction: the stream re-reads shortly after, once the commit is through.
        liveBus.emit(`user:${u.id}`);
      }
    }
    if (email && smtp.from) {
      await queueMail(deps, tx, {
        kind: "notification",
        automatic: "auto-generated",
        capped: false,
        ticketId: d.ticketId ?? null,
        articleId: null,
        from: { name: "Steward", address: smtp.from },
        to: [{ name: u.name, address: u.email }],
        subject,
        html: renderHtml(bodyTemplate, data),
        text,
        dedupeKey: `notify:${d.dedupeKey}:${u.id}`,
      });
    }
  }
  return told;
}
