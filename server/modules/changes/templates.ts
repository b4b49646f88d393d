import { type SqlBool, sql } from "kysely";
import type { z } from "zod";
import type {
  CabTemplateCreateSchema,
  ChangeTemplateCreateSchema,
  ChangeTemplateUpdateSchema,
} from "../../../common/changes.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, type FieldError, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { expectedVersion } from "../../platform/versioning.ts";
import { isCatalogValue, unreadableCis } from "../cmdb/index.ts";
import { groupSummary, userSummaries } from "../identity/index.ts";

// ---- standard change templates ----

type TemplateRow = NonNullable<Awaited<ReturnType<typeof findTemplate>>>;

export function findTemplate(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("change_templates").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

function present(r: TemplateRow) {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    title: r.title,
    description: r.description,
    justification: r.justification,
    categoryId: r.category_id,
    ciIds: r.ci_ids,
    durationMinutes: r.duration_minutes,
    implementationPlan: r.implementation_plan,
    testPlan: r.test_plan,
    rollbackPlan: r.rollback_plan,
    outage: r.outage,
    workOrders: r.work_orders,
    approved: r.approved_at !== null,
    approvedById: r.approved_by,
    approvedAt: r.approved_at?.toISOString() ?? null,
    active: r.active,
  };
}

/** Managers see every template; everybody else the approved, active ones they can make changes from. */
export async function listTemplates(
  deps: Deps,
  ctx: RequestContext,
  query: { limit: number; cursor?: string | undefined },
) {
  let q = deps.db.selectFrom("change_templates").selectAll();
  if (!can(ctx.actor, "change.manage")) q = q.where("active", "=", true).where("approved_at", "is not", null);
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    if (!/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
    q = q.where(sql<SqlBool>`(name, id) > (${name}, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy("name")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const result = page(rows, query.limit, (r) => [r.name, r.id]);
  return { items: result.items.map(present), nextCursor: result.nextCursor };
}

export async function getTemplate(deps: Deps, ctx: RequestContext, id: string) {
  const row = await findTemplate(deps.db, id);
  if (!row || (!can(ctx.actor, "change.manage") && (!row.active || !row.approved_at))) throw new NotFound("Template");
  return present(row);
}

async function checkTemplate(
  tx: Tx,
  ctx: RequestContext,
  input: { name?: string | undefined; categoryId?: string | null | undefined; ciIds?: string[] | undefined },
  selfId?: string,
) {
  const errors: FieldError[] = [];
  if (input.categoryId && !(await isCatalogValue(tx, "change_category", input.categoryId))) {
    errors.push({ field: "body.categoryId", message: "no such change category" });
  }
  if (input.ciIds?.length) {
    for (const i of await unreadableCis(tx, ctx.actor, input.ciIds)) {
      errors.push({ field: `body.ciIds.${i}`, message: "no such configuration item" });
    }
  }
  if (errors.length) throw new Invalid(errors);
  if (input.name) {
    const name = input.name;
    const clash = await tx
      .selectFrom("change_templates")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
      .executeTakeFirst();
    if (clash && clash.id !== selfId)
      throw new Conflict("A template has this name", [{ field: "body.name", message: "already in use" }]);
  }
}

export async function createTemplate(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof ChangeTemplateCreateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const ciIds = [...new Set(input.ciIds)].sort();
    await checkTemplate(tx, ctx, { ...input, ciIds });
    const now = deps.now();
    const row = await tx
      .insertInto("change_templates")
      .values({
        name: input.name,
        title: input.title,
        description: input.description,
        justification: input.justification,
        category_id: input.categoryId ?? null,
        ci_ids: ciIds,
        duration_minutes: input.durationMinutes,
        implementation_plan: input.implementationPlan,
        test_plan: input.testPlan,
        rollback_plan: input.rollbackPlan,
        outage: JSON.stringify(input.outage),
        work_orders: JSON.stringify(input.workOrders),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const t = present(row);
    await recordChange(tx, ctx, {
      entityType: "change_template",
      entityId: row.id,
      action: "created",
      before: null,
      after: t,
    });
    return t;
  });
}

/** Any edit of the content needs a new approval before changes are made from the template again. */
export async function updateTemplate(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof ChangeTemplateUpdateSchema>,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await findTemplate(tx, id, true);
    if (!row) throw new NotFound("Template");
    if (row.version !== expected) throw new StaleVersion("The template", row.version);
    const ciIds = input.ciIds ? [...new Set(input.ciIds)].sort() : undefined;
    await checkTemplate(tx, ctx, { ...input, ciIds }, id);
    const before = present(row);
    const next = {
      ...before,
      name: input.name ?? before.name,
      title: input.title ?? before.title,
      description: input.description ?? before.description,
      justification: input.justification ?? before.justification,
      categoryId: input.categoryId !== undefined ? input.categoryId : before.categoryId,
      ciIds: ciIds ?? before.ciIds,
      durationMinutes: input.durationMinutes ?? before.durationMinutes,
      implementationPlan: input.implementationPlan ?? before.implementationPlan,
      testPlan: input.testPlan ?? before.testPlan,
      rollbackPlan: input.rollbackPlan ?? before.rollbackPlan,
      outage: input.outage ?? before.outage,
      workOrders: input.workOrders ?? before.workOrders,
      active: input.active ?? before.active,
    };
    const content = (t: typeof before) => {
      const { name: _n, active: _a, approved: _p, approvedAt: _at, approvedById: _by, version: _v, ...rest } = t;
      return JSON.stringify(rest);
    };
    const contentChanged = content(next) !== content(before);
    if (!contentChanged && next.name === before.name && next.active === before.active) return before;
    const updated = await tx
      .updateTable("change_templates")
      .set({
        name: next.name,
        title: next.title,
        description: next.description,
        justification: next.justification,
        category_id: next.categoryId,
        ci_ids: next.ciIds,
        duration_minutes: next.durationMinutes,
        implementation_plan: next.implementationPlan,
        test_plan: next.testPlan,
        rollback_plan: next.rollbackPlan,
        outage: JSON.stringify(next.outage),
        work_orders: JSON.stringify(next.workOrders),
        active: next.active,
        ...(contentChanged ? { approved_at: null, approved_by: null } : {}),
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = present(updated);
    await recordChange(tx, ctx, { entityType: "change_template", entityId: id, action: "updated", before, after });
    return after;
  });
}

export async function approveTemplate(deps: Deps, ctx: RequestContext, id: string) {
  return inTransaction(deps.db, async (tx) => {
    const row = await findTemplate(tx, id, true);
    if (!row) throw new NotFound("Template");
    if (row.approved_at) return present(row);
    if (!row.active)
      throw new Conflict("An inactive template is not approved", [{ field: "active", message: "inactive" }]);
    const updated = await tx
      .updateTable("change_templates")
      .set({ approved_at: deps.now(), approved_by: ctx.actor.id, version: row.version + 1, updated_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = present(updated);
    await recordChange(tx, ctx, {
      entityType: "change_template",
      entityId: id,
      action: "approved",
      before: { approved: false },
      after: { approved: true, version: after.version },
    });
    return after;
  });
}

// ---- CAB templates ----

type CabRow = Awaited<ReturnType<typeof cabRows>>[number];
function cabRows(db: Executor) {
  return db.selectFrom("cab_templates").selectAll().orderBy("name").limit(500).execute();
}
function presentCab(r: CabRow) {
  return { id: r.id, name: r.name, userIds: r.user_ids, groupIds: r.group_ids, rule: r.rule, atLeast: r.at_least };
}

export async function listCabTemplates(deps: Deps) {
  return { items: (await cabRows(deps.db)).map(presentCab) };
}

/** Approvers must be active agents and groups active; shared by CAB rules and templates. */
export async function checkApprovers(
  db: Executor,
  input: { userIds?: string[] | undefined; groupIds?: string[] | undefined },
) {
  const errors: FieldError[] = [];
  const userIds = input.userIds ?? [];
  const users = await userSummaries(db, userIds);
  for (const [i, uid] of userIds.entries()) {
    if (!users.some((u) => u.id === uid && u.active && u.kind === "agent"))
      errors.push({ field: `body.userIds.${i}`, message: "must be an active agent" });
  }
  for (const [i, gid] of (input.groupIds ?? []).entries()) {
    if (!(await groupSummary(db, gid))?.active)
      errors.push({ field: `body.groupIds.${i}`, message: "no such active group" });
  }
  return errors;
}

export async function createCabTemplate(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof CabTemplateCreateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const errors = await checkApprovers(tx, input);
    if (errors.length) throw new Invalid(errors);
    const clash = await tx
      .selectFrom("cab_templates")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["name"]), "=", input.name.toLowerCase()))
      .executeTakeFirst();
    if (clash) throw new Conflict("A CAB template has this name", [{ field: "body.name", message: "already in use" }]);
    const row = await tx
      .insertInto("cab_templates")
      .values({
        name: input.name,
        user_ids: input.userIds,
        group_ids: input.groupIds,
        rule: input.rule,
        at_least: input.atLeast ?? null,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const t = presentCab(row);
    await recordChange(tx, ctx, {
      entityType: "cab_template",
      entityId: row.id,
      action: "created",
      before: null,
      after: t,
    });
    return t;
  });
}

export async function deleteCabTemplate(deps: Deps, ctx: RequestContext, id: string) {
  await inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("cab_templates").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound("CAB template");
    await tx.deleteFrom("cab_templates").where("id", "=", id).execute();
    await recordChange(tx, ctx, {
      entityType: "cab_template",
      entityId: id,
      action: "deleted",
      before: presentCab(row),
      after: null,
    });
  });
}

export async function findCabTemplate(db: Executor, id: string) {
  return db.selectFrom("cab_templates").selectAll().where("id", "=", id).executeTakeFirst();
}
