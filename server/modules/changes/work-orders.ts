import type { z } from "zod";
import {
  type ChangeState,
  FINAL_CHANGE_STATES,
  OPEN_WORK_ORDER_STATES,
  WORK_ORDER_FLOW,
  type WorkOrderCreateSchema,
  type WorkOrderState,
  type WorkOrderUpdateSchema,
} from "../../../common/changes.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { expectedVersion } from "../../platform/versioning.ts";
import { userSummaries } from "../identity/index.ts";

type Row = NonNullable<Awaited<ReturnType<typeof findWorkOrder>>>;

function findWorkOrder(db: Executor, changeId: string, id: string, lock = false) {
  let q = db.selectFrom("change_work_orders").selectAll().where("id", "=", id).where("change_id", "=", changeId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

function present(r: Row) {
  return {
    id: r.id,
    version: r.version,
    changeId: r.change_id,
    position: r.position,
    kind: r.kind,
    title: r.title,
    instructions: r.instructions,
    state: r.state,
    assigneeId: r.assignee_id,
    plannedStart: r.planned_start?.toISOString() ?? null,
    plannedEnd: r.planned_end?.toISOString() ?? null,
    actualStart: r.actual_start?.toISOString() ?? null,
    actualEnd: r.actual_end?.toISOString() ?? null,
  };
}

async function openChange(db: Executor, ctx: RequestContext, changeId: string, lock = false) {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Change");
  let q = db.selectFrom("changes").selectAll().where("id", "=", changeId);
  if (lock) q = q.forUpdate();
  const change = await q.executeTakeFirst();
  if (!change) throw new NotFound("Change");
  return change;
}

export async function listWorkOrders(deps: Deps, ctx: RequestContext, changeId: string) {
  await openChange(deps.db, ctx, changeId);
  const rows = await deps.db
    .selectFrom("change_work_orders")
    .selectAll()
    .where("change_id", "=", changeId)
    .orderBy("position")
    .orderBy("created_at")
    .limit(1000)
    .execute();
  return { items: rows.map(present) };
}

async function checkAssignee(db: Executor, id: string | null | undefined) {
  if (!id) return;
  const [u] = await userSummaries(db, [id]);
  if (!u?.active || u.kind !== "agent")
    throw new Invalid([{ field: "body.assigneeId", message: "must be an active agent" }]);
}

function editable(ctx: RequestContext, change: { state: string }) {
  if (!can(ctx.actor, "change.update")) throw new Forbidden("You may not change work orders");
  if (FINAL_CHANGE_STATES.includes(change.state as ChangeState)) throw new Forbidden("The change is finished");
}

export async function createWorkOrder(
  deps: Deps,
  ctx: RequestContext,
  changeId: string,
  input: z.infer<typeof WorkOrderCreateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const change = await openChange(tx, ctx, changeId, true);
    editable(ctx, change);
    await checkAssignee(tx, input.assigneeId);
    const last = await tx
      .selectFrom("change_work_orders")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("change_id", "=", changeId)
      .executeTakeFirst();
    const now = deps.now();
    const row = await tx
      .insertInto("change_work_orders")
      .values({
        change_id: changeId,
        position: input.position ?? Number(last?.max ?? 0) + 10,
        kind: input.kind,
        title: input.title,
        instructions: input.instructions,
        assignee_id: input.assigneeId ?? null,
        planned_start: input.plannedStart ?? change.planned_start,
        planned_end: input.plannedEnd ?? change.planned_end,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = present(row);
    await recordChange(tx, ctx, {
      entityType: "change_work_order",
      entityId: row.id,
      action: "created",
      before: null,
      after: created,
    });
    return created;
  });
}

export async function updateWorkOrder(
  deps: Deps,
  ctx: RequestContext,
  changeId: string,
  id: string,
  input: z.infer<typeof WorkOrderUpdateSchema>,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const change = await openChange(tx, ctx, changeId);
    editable(ctx, change);
    const row = await findWorkOrder(tx, changeId, id, true);
    if (!row) throw new NotFound("Work order");
    if (row.version !== expected) throw new StaleVersion("Work order", row.version);
    await checkAssignee(tx, input.assigneeId);
    if (input.state && input.state !== row.state && !WORK_ORDER_FLOW[row.state].includes(input.state)) {
      throw new Invalid([
        {
          field: "body.state",
          message: `not from ${row.state}; allowed: ${WORK_ORDER_FLOW[row.state].join(", ") || "none"}`,
        },
      ]);
    }
    if (input.state === "in_progress" && change.state !== "implementing") {
      throw new Invalid([{ field: "body.state", message: "work starts once the change is implementing" }]);
    }
    const start = input.plannedStart !== undefined ? input.plannedStart : (row.planned_start?.toISOString() ?? null);
    const end = input.plannedEnd !== undefined ? input.plannedEnd : (row.planned_end?.toISOString() ?? null);
    if (start && end && Date.parse(start) >= Date.parse(end)) {
      throw new Invalid([{ field: "body.plannedEnd", message: "ends before it starts" }]);
    }
    const now = deps.now();
    const state: WorkOrderState = input.state ?? row.state;
    const updated = await tx
      .updateTable("change_work_orders")
      .set({
        title: input.title ?? row.title,
        instructions: input.instructions ?? row.instructions,
        assignee_id: input.assigneeId !== undefined ? input.assigneeId : row.assignee_id,
        state,
        planned_start: start,
        planned_end: end,
        actual_start: state === "in_progress" && !row.actual_start ? now : row.actual_start,
        actual_end: ["done", "failed"].includes(state) && !row.actual_end ? now : row.actual_end,
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = present(updated);
    await recordChange(tx, ctx, {
      entityType: "change_work_order",
      entityId: id,
      action: "updated",
      before: present(row),
      after,
    });
    return after;
  });
}

/** Moving a change's time slot moves its work orders by the same amount. */
export async function shiftWorkOrders(tx: Tx, changeId: string, byMs: number, now: Date): Promise<void> {
  if (byMs === 0) return;
  const rows = await tx
    .selectFrom("change_work_orders")
    .selectAll()
    .where("change_id", "=", changeId)
    .where("state", "in", OPEN_WORK_ORDER_STATES)
    .execute();
  for (const r of rows) {
    await tx
      .updateTable("change_work_orders")
      .set({
        planned_start: r.planned_start ? new Date(r.planned_start.getTime() + byMs) : null,
        planned_end: r.planned_end ? new Date(r.planned_end.getTime() + byMs) : null,
        version: r.version + 1,
        updated_at: now,
      })
      .where("id", "=", r.id)
      .execute();
  }
}

export async function openWorkOrders(db: Executor, changeId: string): Promise<number> {
  const row = await db
    .selectFrom("change_work_orders")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("change_id", "=", changeId)
    .where("state", "in", OPEN_WORK_ORDER_STATES)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A standard change starts with its template's work orders, in the change's window. */
export async function addWorkOrdersFromTemplate(tx: Tx, changeId: string, templateId: string, now: Date) {
  const t = await tx
    .selectFrom("change_templates")
    .select("work_orders")
    .where("id", "=", templateId)
    .executeTakeFirst();
  const change = await tx
    .selectFrom("changes")
    .select(["planned_start", "planned_end"])
    .where("id", "=", changeId)
    .executeTakeFirstOrThrow();
  const orders = t?.work_orders ?? [];
  if (orders.length === 0) return;
  await tx
    .insertInto("change_work_orders")
    .values(
      orders.map((w, i) => ({
        change_id: changeId,
        position: (i + 1) * 10,
        kind: w.kind,
        title: w.title,
        instructions: w.instructions,
        planned_start: change.planned_start,
        planned_end: change.planned_end,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
