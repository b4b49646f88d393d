import type { Selectable } from "kysely";
import { sql } from "kysely";
import { ticketNumber } from "../../../common/workflows.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { ChangesTable } from "../../db/types.ts";

type ChangeRow = Selectable<ChangesTable>;

import type { Deps } from "../../platform/deps.ts";
import type { DomainEvent } from "../../platform/events.ts";
import type { Consumer, Poller } from "../../platform/jobs.ts";
import { requiredSets } from "../changes/index.ts";
import { activeMembersOf } from "../identity/index.ts";
import { readableTicketSummaries } from "../tickets/index.ts";
import type { TemplateData } from "./rules.ts";
import { appUrl, deliver } from "./service.ts";

const TEXT_MAX = 1500;

async function ticketFacts(db: Executor, deps: Deps, id: string) {
  const row = await db
    .selectFrom("tickets")
    .leftJoin("groups", "groups.id", "tickets.group_id")
    .leftJoin("users as requester", "requester.id", "tickets.requester_id")
    .select([
      "tickets.id",
      "tickets.type",
      "tickets.number",
      "tickets.title",
      "tickets.priority",
      "tickets.state",
      "tickets.group_id",
      "tickets.assignee_id",
      "groups.name as group_name",
      "requester.name as requester_name",
    ])
    .where("tickets.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const data: TemplateData = {
    ticket: {
      number: ticketNumber(row.type, row.number),
      title: row.title,
      priority: row.priority,
      state: row.state,
      group: row.group_name ?? "",
      requester: row.requester_name ?? "",
      link: appUrl(deps, `/tickets/${row.id}`),
    },
  };
  return { row, data };
}

async function nameOf(db: Executor, userId: string | null): Promise<string> {
  if (!userId) return "Steward";
  const u = await db.selectFrom("users").select("name").where("id", "=", userId).executeTakeFirst();
  return u?.name ?? "Someone";
}

/** Only people who may read the ticket (their own permissions and groups) are told about it. */
const canRead = (ticketId: string) => async (db: Executor, actor: Parameters<typeof readableTicketSummaries>[1]) =>
  (await readableTicketSummaries(db, actor, [ticketId])).length === 1;

/** The assignee, or, while nobody has it, the members of its group. */
async function responsible(db: Executor, t: { assignee_id: string | null; group_id: string | null }) {
  if (t.assignee_id) return [t.assignee_id];
  return t.group_id ? activeMembersOf(db, [t.group_id]) : [];
}

const MENTION = /(?:^|[\s(>])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** `@name@example.com` in a note or reply: the agents with those addresses. */
async function mentioned(db: Executor, text: string): Promise<string[]> {
  const emails = [...new Set([...text.matchAll(MENTION)].map((m) => (m[1] ?? "").toLowerCase().replace(/\.$/, "")))];
  if (emails.length === 0) return [];
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("email", "in", emails.slice(0, 20))
    .where("kind", "=", "agent")
    .execute();
  return rows.map((r) => r.id);
}

async function onTicket(deps: Deps, tx: Tx, e: DomainEvent) {
  // Most updates tell nobody: only a new assignee does. Skip them before reading anything.
  if (
    e.type === "ticket.updated" &&
    typeof (e.payload.changes?.assigneeId as unknown[] | undefined)?.[1] !== "string"
  ) {
    return;
  }
  const facts = await ticketFacts(tx, deps, e.entityId);
  if (!facts) return;
  const { row, data } = facts;
  const base = {
    link: `/tickets/${row.id}`,
    entityType: "ticket",
    entityId: row.id,
    ticketId: row.id,
    exceptUserId: e.actorId,
    readable: canRead(row.id),
  };
  const actor = { name: await nameOf(tx, e.actorId) };
  if (e.type === "ticket.created") {
    // As it was created (the event may be handled after later changes).
    const created = (field: string) => {
      const v = (e.payload.changes?.[field] as [unknown, unknown] | undefined)?.[1];
      return typeof v === "string" ? v : null;
    };
    const groupId = created("groupId");
    const assigneeId = created("assigneeId");
    const members = groupId ? await activeMembersOf(tx, [groupId]) : [];
    await deliver(deps, tx, {
      ...base,
      rule: "ticket_new_in_group",
      userIds: members,
      dedupeKey: `ticket_new:${row.id}`,
      data: { ...data, actor },
    });
    if (assigneeId) {
      await deliver(deps, tx, {
        ...base,
        rule: "ticket_assigned",
        userIds: [assigneeId],
        dedupeKey: `assigned:${e.id}`,
        data: { ...data, actor },
      });
    }
    return;
  }
  if (e.type === "ticket.updated") {
    const change = e.payload.changes?.assigneeId as [unknown, unknown] | undefined;
    const to = change?.[1];
    if (typeof to === "string") {
      await deliver(deps, tx, {
        ...base,
        rule: "ticket_assigned",
        userIds: [to],
        dedupeKey: `assigned:${e.id}`,
        data: { ...data, actor },
      });
    }
    return;
  }
  if (e.type === "ticket.article_added") {
    const articleId = e.payload.articleId as string | undefined;
    if (!articleId) return;
    const article = await tx
      .selectFrom("ticket_articles")
      .select(["id", "kind", "author_id", "body_text"])
      .where("id", "=", articleId)
      .executeTakeFirst();
    if (!article) return;
    const text = article.body_text.slice(0, TEXT_MAX);
    const authorName = { name: await nameOf(tx, article.author_id) };
    if (article.kind === "reply" && e.payload.authorKind === "customer") {
      await deliver(deps, tx, {
        ...base,
        exceptUserId: article.author_id,
        rule: "customer_replied",
        userIds: await responsible(tx, row),
        dedupeKey: `customer_replied:${article.id}`,
        data: { ...data, actor: authorName, article: { text } },
      });
    }
    if (article.kind === "reply" || article.kind === "note") {
      await deliver(deps, tx, {
        ...base,
        exceptUserId: article.author_id,
        rule: "mentioned",
        userIds: await mentioned(tx, article.body_text),
        dedupeKey: `mentioned:${article.id}`,
        data: { ...data, actor: authorName, article: { text } },
      });
    }
    return;
  }
  if (e.type === "ticket.sla_warning" || e.type === "ticket.sla_breached") {
    const target = String(e.payload.target ?? "");
    const due = typeof e.payload.dueAt === "string" ? e.payload.dueAt : null;
    await deliver(deps, tx, {
      ...base,
      exceptUserId: null,
      rule: e.type === "ticket.sla_warning" ? "sla_warning" : "sla_breach",
      userIds: await responsible(tx, row),
      dedupeKey: `${e.type}:${row.id}:${target}:${due ?? ""}`,
      data: { ...data, actor, sla: { target: target.replace(/_/g, " "), dueAt: due ? formatTime(new Date(due)) : "" } },
    });
  }
}

export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function changeData(deps: Deps, c: ChangeRow): TemplateData {
  return {
    change: {
      number: `CHG-${String(c.number).padStart(6, "0")}`,
      title: c.title,
      plannedStart: c.planned_start ? formatTime(c.planned_start) : "",
      plannedEnd: c.planned_end ? formatTime(c.planned_end) : "",
      risk: String(c.risk_level).replace("_", " "),
      link: appUrl(deps, `/changes/${c.id}`),
    },
  };
}

async function onChange(deps: Deps, tx: Tx, e: DomainEvent) {
  const state = e.payload.changes?.state as [unknown, unknown] | undefined;
  if (state?.[1] !== "authorization") return;
  const change = await tx.selectFrom("changes").selectAll().where("id", "=", e.entityId).executeTakeFirst();
  if (change?.state !== "authorization") return;
  const ciIds = (await tx.selectFrom("change_cis").select("ci_id").where("change_id", "=", change.id).execute()).map(
    (r) => r.ci_id,
  );
  const sets = await requiredSets(tx, change, ciIds);
  await deliver(deps, tx, {
    rule: "approval_requested",
    userIds: sets.flatMap((s) => s.eligible),
    exceptUserId: e.actorId,
    dedupeKey: `approval:${change.id}:${change.version}:${e.id}`,
    data: { ...changeData(deps, change), actor: { name: await nameOf(tx, e.actorId) } },
    link: `/changes/${change.id}`,
    entityType: "change",
    entityId: change.id,
  });
}

async function onMailSuppressed(deps: Deps, tx: Tx, e: DomainEvent) {
  const addresses = (e.payload.addresses as string[] | undefined) ?? [];
  // Candidates: admins and holders of a role granting mail.manage (directly or through a group).
  const roles = tx.selectFrom("roles").select("id").where(sql<boolean>`'mail.manage' = any(permissions)`);
  const admins = await tx
    .selectFrom("users")
    .select("id")
    .where("kind", "=", "agent")
    .where("active", "=", true)
    .where((eb) =>
      eb.or([
        eb("admin", "=", true),
        eb("id", "in", eb.selectFrom("user_roles").select("user_id").where("role_id", "in", roles)),
        eb(
          "id",
          "in",
          eb
            .selectFrom("group_roles")
            .innerJoin("group_members", "group_members.group_id", "group_roles.group_id")
            .select("group_members.user_id")
            .where("group_roles.role_id", "in", roles),
        ),
      ]),
    )
    .limit(1000)
    .execute();
  for (const address of addresses.slice(0, 10)) {
    await deliver(deps, tx, {
      rule: "mail_suppressed",
      userIds: admins.map((a) => a.id),
      dedupeKey: `mail_suppressed:${address}:${String(e.payload.day ?? "")}`,
      data: {
        mail: { address, reason: String(e.payload.reason ?? ""), link: appUrl(deps, "/admin/outgoing-mail") },
      },
      link: "/admin/outgoing-mail",
      entityType: null,
      entityId: null,
    });
  }
}

/** Turns domain events into notifications, per each person's choices. */
export function notificationConsumer(deps: Deps): Consumer {
  return {
    name: "notifications",
    events: [
      "ticket.created",
      "ticket.updated",
      "ticket.article_added",
      "ticket.sla_warning",
      "ticket.sla_breached",
      "change.updated",
      "mail.suppressed",
    ],
    async handle(tx, event) {
      if (event.entityType === "ticket") await onTicket(deps, tx, event);
      else if (event.type === "change.updated") await onChange(deps, tx, event);
      else if (event.type === "mail.suppressed") await onMailSuppressed(deps, tx, event);
    },
  };
}

const SOON_MS = 60 * 60_000;

/** Reminds owners and implementers of scheduled changes that start within the hour, once per planned start. */
export async function remindStartingChanges(deps: Deps): Promise<number> {
  const now = deps.now();
  const soon = new Date(now.getTime() + SOON_MS);
  return inTransaction(deps.db, async (tx) => {
    const due = await tx
      .selectFrom("changes")
      .selectAll()
      .where("state", "=", "scheduled")
      .where("planned_start", ">", now)
      .where("planned_start", "<=", soon)
      .where((eb) =>
        // Not yet reminded, or reminded for an earlier start (the change was moved).
        eb.or([
          eb("start_reminded_at", "is", null),
          sql<boolean>`start_reminded_at < planned_start - interval '60 minutes'`,
        ]),
      )
      .orderBy("planned_start")
      .limit(100)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const c of due) {
      await deliver(deps, tx, {
        rule: "change_starting",
        userIds: [c.owner_id, c.assignee_id].filter((x): x is string => !!x),
        dedupeKey: `change_starting:${c.id}:${c.planned_start?.toISOString()}`,
        data: { ...changeData(deps, c), actor: { name: "Steward" } },
        link: `/changes/${c.id}`,
        entityType: "change",
        entityId: c.id,
      });
      await tx.updateTable("changes").set({ start_reminded_at: now }).where("id", "=", c.id).execute();
    }
    return due.length;
  });
}

export function changeReminderPoller(deps: Deps): Poller {
  return { name: "change-start-reminders", everyMs: 60_000, run: () => remindStartingChanges(deps) };
}
