import { type SqlBool, sql } from "kysely";
import {
  type Change,
  type ChangeCreate,
  type ChangeState,
  type ChangeType,
  type ChangeUpdate,
  changeNumber,
  changeTransition,
  FINAL_CHANGE_STATES,
  nextChangeStates,
} from "../../../common/changes.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { type FieldError, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { expectedVersion, sameMembers } from "../../platform/versioning.ts";
import { isCatalogValue, unreadableCis } from "../cmdb/index.ts";
import { groupSummary, userSummaries } from "../identity/index.ts";
import { readableTicketSummaries } from "../tickets/index.ts";
import { eligibleToDecide, requiredSets, withdrawApprovals } from "./approvals.ts";
import { refreshRisk, unknownAnswers } from "./risk.ts";
import { blockingConflicts } from "./schedule.ts";
import { findTemplate } from "./templates.ts";
import { addWorkOrdersFromTemplate, openWorkOrders, shiftWorkOrders } from "./work-orders.ts";

export type ChangeRow = NonNullable<Awaited<ReturnType<typeof findChange>>>;

export function findChange(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("changes").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function ciIdsOf(db: Executor, changeIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(changeIds.map((id) => [id, []]));
  if (changeIds.length === 0) return map;
  const rows = await db
    .selectFrom("change_cis")
    .select(["change_id", "ci_id"])
    .where("change_id", "in", changeIds)
    .orderBy("ci_id")
    .execute();
  for (const r of rows) map.get(r.change_id)?.push(r.ci_id);
  return map;
}

/** The linked incidents and problems the caller may read, per change. */
async function linkedTickets(db: Executor, ctx: RequestContext, changeIds: string[]) {
  const map = new Map<string, string[]>(changeIds.map((id) => [id, []]));
  if (changeIds.length === 0) return map;
  const rows = await db
    .selectFrom("change_tickets")
    .select(["change_id", "ticket_id"])
    .where("change_id", "in", changeIds)
    .execute();
  if (rows.length === 0) return map;
  const readable = new Set(
    (
      await readableTicketSummaries(
        db,
        ctx.actor,
        rows.map((r) => r.ticket_id),
      )
    ).map((t) => t.id),
  );
  for (const r of rows) if (readable.has(r.ticket_id)) map.get(r.change_id)?.push(r.ticket_id);
  for (const list of map.values()) list.sort();
  return map;
}

const isFinal = (state: string) => FINAL_CHANGE_STATES.includes(state as ChangeState);

function mayUpdate(ctx: RequestContext, row: ChangeRow) {
  return can(ctx.actor, "change.update") && !isFinal(row.state);
}

export async function presentChanges(db: Executor, ctx: RequestContext, rows: ChangeRow[]): Promise<Change[]> {
  const cis = await ciIdsOf(
    db,
    rows.map((r) => r.id),
  );
  const links = await linkedTickets(
    db,
    ctx,
    rows.map((r) => r.id),
  );
  const out: Change[] = [];
  for (const r of rows) {
    const approve = r.state === "authorization" && (await eligibleToDecide(db, ctx.actor.id, r, cis.get(r.id) ?? []));
    out.push({
      id: r.id,
      version: r.version,
      number: changeNumber(r.number),
      type: r.type,
      state: r.state as ChangeState,
      title: r.title,
      description: r.description,
      justification: r.justification,
      requestedById: r.requested_by,
      ownerId: r.owner_id,
      assigneeId: r.assignee_id,
      groupId: r.group_id,
      plannedStart: r.planned_start?.toISOString() ?? null,
      plannedEnd: r.planned_end?.toISOString() ?? null,
      actualStart: r.actual_start?.toISOString() ?? null,
      actualEnd: r.actual_end?.toISOString() ?? null,
      ciIds: cis.get(r.id) ?? [],
      implementationPlan: r.implementation_plan,
      testPlan: r.test_plan,
      rollbackPlan: r.rollback_plan,
      outage: r.outage,
      planRevision: r.plan_revision,
      categoryId: r.category_id,
      templateId: r.template_id,
      ticketIds: links.get(r.id) ?? [],
      riskAnswers: r.risk_answers,
      risk: r.risk,
      serviceIds: r.service_ids,
      reviewOutcome: r.review_outcome,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      abilities: {
        update: mayUpdate(ctx, r),
        transitions: can(ctx.actor, "change.update") ? nextChangeStates(r.type, r.state as ChangeState) : [],
        approve,
      },
    });
  }
  return out;
}

async function present(db: Executor, ctx: RequestContext, row: ChangeRow): Promise<Change> {
  const [c] = await presentChanges(db, ctx, [row]);
  return c as Change;
}

/** What a version of the record looks like in the audit trail and events. */
function snapshot(c: Change): Record<string, unknown> {
  const { abilities: _a, createdAt: _c, updatedAt: _u, version: _v, ...rest } = c;
  return rest;
}

async function readable(db: Executor, ctx: RequestContext, id: string, lock = false): Promise<ChangeRow> {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Change");
  const row = await findChange(db, id, lock);
  if (!row) throw new NotFound("Change");
  return row;
}

export async function getChange(deps: Deps, ctx: RequestContext, id: string) {
  return present(deps.db, ctx, await readable(deps.db, ctx, id));
}

async function checkPeople(
  db: Executor,
  ctx: RequestContext,
  input: {
    requestedById?: string | null;
    ownerId?: string | null;
    assigneeId?: string | null;
    groupId?: string | null;
    ciIds?: string[];
    categoryId?: string | null | undefined;
    ticketIds?: string[] | undefined;
    riskAnswers?: Record<string, boolean> | undefined;
  },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const ids = [input.requestedById, input.ownerId, input.assigneeId].filter((v): v is string => !!v);
  const users = new Map((await userSummaries(db, [...new Set(ids)])).map((u) => [u.id, u]));
  if (input.requestedById && !users.get(input.requestedById)?.active) {
    errors.push({ field: "body.requestedById", message: "no such active user" });
  }
  for (const key of ["ownerId", "assigneeId"] as const) {
    const id = input[key];
    if (!id) continue;
    const u = users.get(id);
    if (!u?.active || u.kind !== "agent") errors.push({ field: `body.${key}`, message: "must be an active agent" });
  }
  if (input.groupId && !(await groupSummary(db, input.groupId))?.active) {
    errors.push({ field: "body.groupId", message: "no such active group" });
  }
  if (input.ciIds?.length) {
    for (const i of await unreadableCis(db, ctx.actor, input.ciIds)) {
      errors.push({ field: `body.ciIds.${i}`, message: "no such configuration item" });
    }
  }
  if (input.categoryId && !(await isCatalogValue(db, "change_category", input.categoryId))) {
    errors.push({ field: "body.categoryId", message: "no such change category" });
  }
  if (input.ticketIds?.length) {
    const found = new Map((await readableTicketSummaries(db, ctx.actor, input.ticketIds)).map((t) => [t.id, t]));
    for (const [i, id] of input.ticketIds.entries()) {
      const t = found.get(id);
      if (!t) errors.push({ field: `body.ticketIds.${i}`, message: "no such ticket" });
      else if (t.type !== "incident" && t.type !== "problem")
        errors.push({ field: `body.ticketIds.${i}`, message: "link incidents and problems" });
    }
  }
  if (input.riskAnswers) {
    for (const key of await unknownAnswers(db, input.riskAnswers)) {
      errors.push({ field: `body.riskAnswers.${key}`, message: "no such risk question" });
    }
  }
  return errors;
}

async function setTickets(tx: Tx, changeId: string, ticketIds: string[]) {
  await tx.deleteFrom("change_tickets").where("change_id", "=", changeId).execute();
  if (ticketIds.length) {
    await tx
      .insertInto("change_tickets")
      .values(ticketIds.map((ticket_id) => ({ change_id: changeId, ticket_id })))
      .execute();
  }
}

async function setCis(tx: Tx, changeId: string, ciIds: string[]) {
  await tx.deleteFrom("change_cis").where("change_id", "=", changeId).execute();
  if (ciIds.length) {
    await tx
      .insertInto("change_cis")
      .values(ciIds.map((ci_id) => ({ change_id: changeId, ci_id })))
      .execute();
  }
}

/** A standard change takes what it does from its approved template; the request fills in the rest. */
async function fromTemplate(tx: Tx, input: ChangeCreate): Promise<ChangeCreate> {
  if (input.templateId === undefined) return input;
  if (input.type !== "standard") {
    throw new Invalid([{ field: "body.templateId", message: "only standard changes are made from templates" }]);
  }
  const t = await findTemplate(tx, input.templateId);
  if (!t?.active || !t.approved_at) {
    throw new Invalid([{ field: "body.templateId", message: "no such approved template" }]);
  }
  const start = input.plannedStart ?? null;
  return {
    ...input,
    title: input.title,
    description: input.description || t.description,
    justification: input.justification || t.justification,
    categoryId: input.categoryId !== undefined ? input.categoryId : t.category_id,
    ciIds: input.ciIds.length ? input.ciIds : t.ci_ids,
    plannedEnd:
      input.plannedEnd ?? (start ? new Date(Date.parse(start) + t.duration_minutes * 60_000).toISOString() : null),
    // The pre-approved part: what is done and how it is undone come from the template.
    implementationPlan: t.implementation_plan,
    testPlan: t.test_plan,
    rollbackPlan: t.rollback_plan,
    outage: t.outage,
  };
}

export async function createChange(deps: Deps, ctx: RequestContext, request: ChangeCreate) {
  return inTransaction(deps.db, async (tx) => {
    const input = await fromTemplate(tx, request);
    const ciIds = [...new Set(input.ciIds)].sort();
    const ticketIds = [...new Set(input.ticketIds)].sort();
    const requestedById = input.requestedById ?? ctx.actor.id;
    // Field errors name positions in the request as sent.
    const errors = await checkPeople(tx, ctx, { ...input, requestedById });
    if (errors.length) throw new Invalid(errors);
    const now = deps.now();
    const row = await tx
      .insertInto("changes")
      .values({
        type: input.type,
        title: input.title,
        description: input.description,
        justification: input.justification,
        requested_by: requestedById,
        owner_id: input.ownerId ?? null,
        assignee_id: input.assigneeId ?? null,
        group_id: input.groupId ?? null,
        planned_start: input.plannedStart ?? null,
        planned_end: input.plannedEnd ?? null,
        implementation_plan: input.implementationPlan,
        test_plan: input.testPlan,
        rollback_plan: input.rollbackPlan,
        outage: JSON.stringify(input.outage),
        category_id: input.categoryId ?? null,
        template_id: input.templateId ?? null,
        risk_answers: JSON.stringify(input.riskAnswers),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await setCis(tx, row.id, ciIds);
    await setTickets(tx, row.id, ticketIds);
    if (input.templateId) await addWorkOrdersFromTemplate(tx, row.id, input.templateId, now);
    await refreshRisk(tx, row.id);
    const change = await present(tx, ctx, (await findChange(tx, row.id)) as ChangeRow);
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: row.id,
      action: "created",
      before: null,
      after: snapshot(change),
    });
    return change;
  });
}

/** Fields whose change after approval withdraws the approvals: the plan, the window and the CIs. */
const PLAN_FIELDS = ["implementationPlan", "testPlan", "rollbackPlan", "plannedStart", "plannedEnd", "ciIds"] as const;

export async function updateChange(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: ChangeUpdate,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await readable(tx, ctx, id, true);
    if (!mayUpdate(ctx, row)) throw new Forbidden("This change cannot be edited (any more)");
    if (row.version !== expected) throw new StaleVersion("Change", row.version);
    const before = await present(tx, ctx, row);
    const ciIds = input.ciIds ? [...new Set(input.ciIds)].sort() : before.ciIds;
    const ticketIds = input.ticketIds ? [...new Set(input.ticketIds)].sort() : undefined;
    const errors = await checkPeople(tx, ctx, input);
    if (row.template_id) {
      // A standard change does what its approved template says; anything else is a normal change.
      for (const k of ["implementationPlan", "testPlan", "rollbackPlan", "outage"] as const) {
        if (input[k] !== undefined && JSON.stringify(input[k]) !== JSON.stringify(before[k]))
          errors.push({ field: `body.${k}`, message: "comes from the standard change's template" });
      }
    }
    const start = input.plannedStart !== undefined ? input.plannedStart : before.plannedStart;
    const end = input.plannedEnd !== undefined ? input.plannedEnd : before.plannedEnd;
    if (start && end && Date.parse(start) >= Date.parse(end)) {
      errors.push({ field: "body.plannedEnd", message: "ends before it starts" });
    }
    if (errors.length) throw new Invalid(errors);
    const next = {
      title: input.title ?? before.title,
      description: input.description ?? before.description,
      justification: input.justification ?? before.justification,
      ownerId: input.ownerId !== undefined ? input.ownerId : before.ownerId,
      assigneeId: input.assigneeId !== undefined ? input.assigneeId : before.assigneeId,
      groupId: input.groupId !== undefined ? input.groupId : before.groupId,
      plannedStart: start ? new Date(start).toISOString() : null,
      plannedEnd: end ? new Date(end).toISOString() : null,
      ciIds,
      implementationPlan: input.implementationPlan ?? before.implementationPlan,
      testPlan: input.testPlan ?? before.testPlan,
      rollbackPlan: input.rollbackPlan ?? before.rollbackPlan,
      outage: input.outage ?? before.outage,
      categoryId: input.categoryId !== undefined ? input.categoryId : before.categoryId,
      riskAnswers: input.riskAnswers ?? before.riskAnswers,
    };
    // Links the caller cannot read stay as they are.
    let links: string[] | undefined;
    if (ticketIds !== undefined) {
      const existing = await linkedIds(tx, id);
      const readable = new Set((await readableTicketSummaries(tx, ctx.actor, existing)).map((t) => t.id));
      links = [...new Set([...ticketIds, ...existing.filter((t) => !readable.has(t))])].sort();
      if (sameMembers(links, existing)) links = undefined;
    }
    const linksChanged = links !== undefined;
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) =>
      k === "ciIds" ? !sameMembers(next.ciIds, before.ciIds) : JSON.stringify(next[k]) !== JSON.stringify(before[k]),
    );
    if (changed.length === 0 && !linksChanged) return before;
    const replanned = changed.some((k) => (PLAN_FIELDS as readonly string[]).includes(k));
    const now = deps.now();
    let state = row.state as ChangeState;
    if (replanned) {
      // Approvals were for the old plan: they lapse, and an approved change goes back to the CAB.
      const withdrawn = await withdrawApprovals(tx, row, now);
      if (withdrawn > 0 && row.type !== "standard" && (state === "authorization" || state === "scheduled")) {
        state = "authorization";
      }
    }
    const updated = await tx
      .updateTable("changes")
      .set({
        title: next.title,
        description: next.description,
        justification: next.justification,
        owner_id: next.ownerId,
        assignee_id: next.assigneeId,
        group_id: next.groupId,
        planned_start: next.plannedStart,
        planned_end: next.plannedEnd,
        implementation_plan: next.implementationPlan,
        test_plan: next.testPlan,
        rollback_plan: next.rollbackPlan,
        outage: JSON.stringify(next.outage),
        category_id: next.categoryId,
        risk_answers: JSON.stringify(next.riskAnswers),
        state,
        plan_revision: replanned ? row.plan_revision + 1 : row.plan_revision,
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (changed.includes("ciIds")) await setCis(tx, id, next.ciIds);
    if (links) await setTickets(tx, id, links);
    if (changed.some((k) => k === "ciIds" || k === "outage" || k === "riskAnswers")) await refreshRisk(tx, id);
    // A rescheduled standard change passes the conflict check again, or goes back to draft.
    if (
      replanned &&
      row.type === "standard" &&
      state === "scheduled" &&
      (await blockingConflicts(tx, updated)).length
    ) {
      await tx.updateTable("changes").set({ state: "draft" }).where("id", "=", id).execute();
    }
    // Moving the start moves the work orders with it.
    if (changed.includes("plannedStart") && before.plannedStart && next.plannedStart) {
      await shiftWorkOrders(tx, id, Date.parse(next.plannedStart) - Date.parse(before.plannedStart), now);
    }
    const after = await present(tx, ctx, (await findChange(tx, id)) as ChangeRow);
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: id,
      action: "updated",
      before: snapshot(before),
      after: snapshot(after),
    });
    return after;
  });
}

async function linkedIds(db: Executor, changeId: string) {
  return (await db.selectFrom("change_tickets").select("ticket_id").where("change_id", "=", changeId).execute()).map(
    (r) => r.ticket_id,
  );
}

/** What leaving draft needs: the eight questions answered. */
function readinessErrors(c: Change): FieldError[] {
  const errors: FieldError[] = [];
  if (!c.description.trim()) errors.push({ field: "description", message: "say what changes" });
  if (!c.justification.trim()) errors.push({ field: "justification", message: "say why" });
  if (!c.ownerId) errors.push({ field: "ownerId", message: "name who is responsible" });
  if (!c.plannedStart) errors.push({ field: "plannedStart", message: "plan when it starts" });
  if (!c.plannedEnd) errors.push({ field: "plannedEnd", message: "plan when it ends" });
  if (c.ciIds.length === 0) errors.push({ field: "ciIds", message: "name the affected CIs or services" });
  if (!c.rollbackPlan.trim()) errors.push({ field: "rollbackPlan", message: "say how it is rolled back" });
  return errors;
}

export async function transitionChange(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: { to: ChangeState; reason?: string | undefined; version?: number | undefined },
) {
  return inTransaction(deps.db, async (tx) => {
    const row = await readable(tx, ctx, id, true);
    if (!can(ctx.actor, "change.update")) throw new Forbidden("You may not move changes");
    if (input.version !== undefined && input.version !== row.version) throw new StaleVersion("Change", row.version);
    const from = row.state as ChangeState;
    const step = changeTransition(row.type as ChangeType, from, input.to);
    if (!step || step.byApproval) {
      const allowed = nextChangeStates(row.type as ChangeType, from);
      throw new Invalid([
        {
          field: "body.to",
          message: step?.byApproval
            ? "only the CAB's decisions move a change there"
            : `not from ${from}; allowed: ${allowed.join(", ") || "none"}`,
        },
      ]);
    }
    const before = await present(tx, ctx, row);
    if (from === "draft" && input.to !== "canceled" && input.to !== "rejected") {
      const missing = readinessErrors(before);
      if (missing.length)
        throw new Invalid(
          missing.map((e) => ({ ...e, field: `change.${e.field}` })),
          "Answer these before the change leaves draft",
        );
    }
    if (input.to === "authorization" || from === "draft") {
      // Approver sets match on the risk as it is now.
      const risk = await refreshRisk(tx, id);
      if (row.type === "normal" && input.to === "authorization" && risk.unanswered.length) {
        throw new Invalid(
          risk.unanswered.map((q) => ({ field: `change.riskAnswers.${q}`, message: "answer the risk question" })),
          "Answer the risk questionnaire before the change goes to the CAB",
        );
      }
      row.risk_level = risk.level;
    }
    if (input.to === "authorization" || (row.type === "standard" && input.to === "scheduled")) {
      const conflicts = await blockingConflicts(tx, row);
      if (conflicts.length) {
        throw new Invalid(
          conflicts.map((c) => ({ field: `conflicts.${c.rule}`, message: c.message })),
          "The change has schedule conflicts: resolve them, or the change owner overrides them with a reason",
        );
      }
    }
    if (input.to === "authorization") {
      const sets = await requiredSets(tx, row, before.ciIds);
      if (sets.length === 0) {
        throw new Invalid([
          { field: "body.to", message: "no CAB rule covers this change: an administrator defines approver sets" },
        ]);
      }
      const empty = sets.find((s) => s.eligible.length === 0);
      if (empty)
        throw new Invalid([
          { field: "body.to", message: `the approver set "${empty.name}" has nobody who may approve this change` },
        ]);
    }
    if (input.to === "closed") {
      const open = await openWorkOrders(tx, id);
      if (open > 0) {
        throw new Invalid([
          { field: "body.to", message: `${open} work order${open === 1 ? " is" : "s are"} still open` },
        ]);
      }
      if (!row.review_outcome) {
        throw new Invalid([{ field: "change.reviewOutcome", message: "record the review's outcome first" }]);
      }
    }
    if ((input.to === "rejected" || input.to === "canceled" || input.to === "rolled_back") && !input.reason) {
      throw new Invalid([{ field: "body.reason", message: "say why" }]);
    }
    const now = deps.now();
    const updated = await tx
      .updateTable("changes")
      .set({
        state: input.to,
        actual_start: input.to === "implementing" ? (row.actual_start ?? now) : row.actual_start,
        actual_end: input.to === "review" || input.to === "rolled_back" ? (row.actual_end ?? now) : row.actual_end,
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = await present(tx, ctx, updated);
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: id,
      action: "updated",
      before: snapshot(before),
      after: { ...snapshot(after), ...(input.reason ? { reason: input.reason } : {}) },
    });
    return after;
  });
}

export async function listChanges(
  deps: Deps,
  ctx: RequestContext,
  query: {
    limit: number;
    cursor?: string | undefined;
    state?: ChangeState[] | undefined;
    type?: ChangeType | undefined;
    ciId?: string | undefined;
    categoryId?: string | undefined;
    groupId?: string | undefined;
    ticketId?: string | undefined;
    riskLevel?: "low" | "medium" | "high" | "very_high" | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
) {
  if (!can(ctx.actor, "change.read")) return { items: [], nextCursor: null };
  let q = deps.db.selectFrom("changes").selectAll();
  if (query.state) q = q.where("state", "in", query.state);
  if (query.type) q = q.where("type", "=", query.type);
  if (query.categoryId) q = q.where("category_id", "=", query.categoryId);
  if (query.groupId) q = q.where("group_id", "=", query.groupId);
  if (query.riskLevel) q = q.where("risk_level", "=", query.riskLevel);
  if (query.ciId) {
    const ciId = query.ciId;
    q = q.where("id", "in", (eb) => eb.selectFrom("change_cis").select("change_id").where("ci_id", "=", ciId));
  }
  if (query.ticketId) {
    // Only through a ticket the caller may read.
    const ticketId = query.ticketId;
    if ((await readableTicketSummaries(deps.db, ctx.actor, [ticketId])).length === 0)
      return { items: [], nextCursor: null };
    q = q.where("id", "in", (eb) =>
      eb.selectFrom("change_tickets").select("change_id").where("ticket_id", "=", ticketId),
    );
  }
  if (query.from) q = q.where("planned_end", ">", new Date(query.from));
  if (query.to) q = q.where("planned_start", "<", new Date(query.to));
  if (query.cursor) {
    const [at, cid] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(cid)) decodeCursor("", ["string"]);
    q = q.where(sql<SqlBool>`(created_at, id) < (${new Date(at)}, ${cid}::uuid)`);
  }
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const result = page(rows, query.limit, (r) => [r.created_at.toISOString(), r.id]);
  return { items: await presentChanges(deps.db, ctx, result.items), nextCursor: result.nextCursor };
}
