import type { BreachActions } from "../../../common/sla-policies.ts";
import { isTerminal, WORKFLOWS } from "../../../common/workflows.ts";
import type { Executor, Tx } from "../../db/database.ts";
import type { TicketRow } from "../../db/types.ts";
import type { RequestContext } from "../../platform/context.ts";
import { recordChange, recordEvent } from "../../platform/events.ts";
import { userSummaries } from "../identity/index.ts";
import { type Clock, computeClocks, nextEscalation, type StateChange, slaFor } from "../sla/index.ts";
import { affectedCiIds } from "./affected-cis.ts";
import * as repo from "./repository.ts";

/** The ticket's state history, rebuilt from its creation and its timeline's state changes. */
async function historyOf(
  db: Executor,
  t: TicketRow,
): Promise<{ history: StateChange[]; customer: Date[]; agent: Date[] }> {
  const articles = await repo.listArticles(db, t.id, ["reply", "system"]);
  const workflow = WORKFLOWS[t.type];
  const history: StateChange[] = [
    {
      at: t.created_at,
      state: workflow.initial,
      stateType: workflow.states[workflow.initial] ?? "new",
      holdReason: null,
    },
  ];
  let holdReason: string | null = null;
  const authorIds = [
    ...new Set(articles.filter((a) => a.kind === "reply" && a.author_id).map((a) => a.author_id as string)),
  ];
  const kinds = new Map((await userSummaries(db, authorIds)).map((u) => [u.id, u.kind]));
  const customer: Date[] = [];
  const agent: Date[] = [];
  for (const a of articles) {
    if (a.kind === "reply") {
      (a.author_id && kinds.get(a.author_id) === "customer" ? customer : agent).push(a.created_at);
      continue;
    }
    const changes = (a.event as { changes?: Record<string, [unknown, unknown]> } | null)?.changes ?? {};
    if (changes.holdReason) holdReason = (changes.holdReason[1] as string | null) ?? null;
    const state = changes.state?.[1] as string | undefined;
    if (state) {
      history.push({
        at: a.created_at,
        state,
        stateType: workflow.states[state] ?? "open",
        holdReason: state === "on_hold" ? holdReason : null,
      });
    } else if (changes.holdReason) {
      const last = history[history.length - 1];
      if (last) history.push({ ...last, at: a.created_at, holdReason });
    }
  }
  return { history, customer, agent };
}

export async function clocksOf(
  db: Executor,
  t: TicketRow,
  now: Date,
): Promise<{
  policy: { id: string; name: string; breachActions: BreachActions } | null;
  calendar: { id: string; timezone: string; always: boolean } | null;
  clocks: Clock[];
}> {
  const sla = await slaFor(db, {
    type: t.type,
    priority: t.priority,
    organizationId: t.organization_id,
    categoryId: t.category_id,
    ciIds: await affectedCiIds(db, t.id),
  });
  if (!sla) return { policy: null, calendar: null, clocks: [] };
  const { history, customer, agent } = await historyOf(db, t);
  const clocks = computeClocks({
    calendar: sla.calendar,
    targets: sla.policy.targets,
    warningPercent: sla.policy.warningPercent,
    pauseOn: sla.policy.pauseOn,
    history,
    firstResponseAt: t.first_response_at,
    customerReplies: customer,
    agentReplies: agent,
    now,
  });
  const { timezone, hours } = sla.calendar.definition;
  return {
    policy: { id: sla.policy.id, name: sla.policy.name, breachActions: sla.policy.breachActions },
    calendar: { id: sla.policy.calendarId, timezone, always: hours.length === 0 },
    clocks,
  };
}

/**
 * Recomputes a ticket's clocks from its own history and stores them with the
 * next instant a worker must look at it. Runs in the transaction of every
 * change to the ticket; merged, closed and canceled tickets never escalate.
 * Returns the clocks that crossed their warning or breach since last time.
 */
export async function refreshSla(tx: Tx, t: TicketRow, now: Date): Promise<Crossed> {
  const { policy, clocks } = await clocksOf(tx, t, now);
  const stored = new Map(
    (await tx.selectFrom("ticket_sla_clocks").selectAll().where("ticket_id", "=", t.id).execute()).map((c) => [
      c.target,
      c,
    ]),
  );
  const warned: Clock[] = [];
  const breached: Clock[] = [];
  const keep = clocks.map((c) => c.target);
  let stale = tx.deleteFrom("ticket_sla_clocks").where("ticket_id", "=", t.id);
  if (keep.length) stale = stale.where("target", "not in", keep);
  await stale.execute();
  for (const c of clocks) {
    const before = stored.get(c.target);
    const isWarned = c.status === "running" && c.warningAt !== null && c.warningAt <= now;
    const warnedAt = before?.warned_at ?? (isWarned || c.status === "breached" ? now : null);
    const breachedAt = before?.breached_at ?? (c.status === "breached" ? now : null);
    if (!before?.warned_at && warnedAt && c.status !== "breached") warned.push(c);
    if (!before?.breached_at && breachedAt) breached.push(c);
    const row = {
      ticket_id: t.id,
      target: c.target,
      status: c.status,
      due_at: c.dueAt,
      warning_at: c.warningAt,
      elapsed_minutes: c.elapsedMinutes,
      remaining_minutes: c.remainingMinutes,
      warned_at: warnedAt,
      breached_at: breachedAt,
      computed_at: now,
    };
    await tx
      .insertInto("ticket_sla_clocks")
      .values(row)
      .onConflict((oc) => oc.columns(["ticket_id", "target"]).doUpdateSet(row))
      .execute();
  }
  const quiet = t.merged_into_id !== null || isTerminal(t.type, t.state);
  await tx
    .updateTable("tickets")
    .set({
      escalation_at: quiet ? null : nextEscalation(clocks, now),
      sla_due_at: quiet ? null : earliestDue(clocks),
      sla_policy_id: policy?.id ?? null,
    })
    .where("id", "=", t.id)
    .execute();
  return { warned, breached, actions: policy?.breachActions ?? {} };
}

/** The due time the work list sorts by: the earliest of the clocks still counting (running or breached, not stopped). */
function earliestDue(clocks: readonly Clock[]): Date | null {
  let due: Date | null = null;
  for (const c of clocks) {
    const counting = c.status === "running" || (c.status === "breached" && c.events.at(-1)?.kind !== "stop");
    if (counting && c.dueAt && (due === null || c.dueAt < due)) due = c.dueAt;
  }
  return due;
}

export interface Crossed {
  warned: Clock[];
  breached: Clock[];
  actions: BreachActions;
}

const RAISED: Record<string, "P1" | "P2" | "P3"> = { P2: "P1", P3: "P2", P4: "P3" };

/** The policy's actions for a breached target: raise the priority one step, reassign to a group. */
async function applyBreachActions(tx: Tx, ctx: RequestContext, t: TicketRow, crossed: Crossed, now: Date) {
  let priority = t.priority;
  let groupId = t.group_id;
  for (const c of crossed.breached) {
    const action = crossed.actions[c.target];
    if (action?.raisePriority && RAISED[priority]) priority = RAISED[priority] as typeof priority;
    if (action?.groupId) groupId = action.groupId;
  }
  if (priority === t.priority && groupId === t.group_id) return;
  await tx
    .updateTable("tickets")
    // A new priority may match another policy: the next scan recomputes the clocks.
    .set({ priority, group_id: groupId, version: t.version + 1, updated_at: now, escalation_at: now })
    .where("id", "=", t.id)
    .execute();
  const changes = await recordChange(tx, ctx, {
    entityType: "ticket",
    entityId: t.id,
    action: "updated",
    before: { priority: t.priority, groupId: t.group_id },
    after: { priority, groupId },
  });
  await repo.insertArticle(tx, {
    ticketId: t.id,
    kind: "system",
    authorId: null,
    event: { changes },
    source: ctx.source,
    at: now,
  });
}

/** Warnings and breaches become events (for notifications) and timeline entries. */
export async function announce(tx: Tx, ctx: RequestContext, t: TicketRow, crossed: Crossed, now: Date) {
  for (const [kind, list] of [
    ["warning", crossed.warned],
    ["breached", crossed.breached],
  ] as const) {
    for (const c of list) {
      const payload = {
        target: c.target,
        dueAt: c.dueAt?.toISOString() ?? null,
        groupId: t.group_id,
        assigneeId: t.assignee_id,
      };
      await recordEvent(tx, ctx, { type: `ticket.sla_${kind}`, entityType: "ticket", entityId: t.id, payload });
      await repo.insertArticle(tx, {
        ticketId: t.id,
        kind: "system",
        authorId: null,
        event: { sla: { [c.target]: kind } },
        source: "system",
        at: now,
      });
    }
  }
  if (crossed.breached.length) await applyBreachActions(tx, ctx, t, crossed, now);
}

/** After any change to a ticket, in its transaction: fresh clocks, and warnings/breaches announced once. */
export async function afterTicketChange(tx: Tx, ctx: RequestContext, t: TicketRow, now: Date): Promise<void> {
  const crossed = await refreshSla(tx, t, now);
  await announce(tx, ctx, t, crossed, now);
}
