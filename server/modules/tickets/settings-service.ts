import type { z } from "zod";
import type { CategoryCreateSchema, PriorityMatrixUpdateSchema } from "../../../common/tickets.ts";
import { inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Invalid } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import * as repo from "./repository.ts";

export async function getPriorityMatrix(deps: Deps) {
  const rows = await repo.priorityMatrix(deps.db);
  return { cells: rows.map((r) => ({ impact: r.impact, urgency: r.urgency, priority: r.priority })) };
}

/** Replaces the impact × urgency → priority matrix. Existing tickets keep their priority until edited. */
export async function setPriorityMatrix(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof PriorityMatrixUpdateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const before = await getPriorityMatrix({ ...deps, db: tx as never });
    for (const c of input.cells) {
      await tx
        .updateTable("priority_matrix")
        .set({ priority: c.priority })
        .where("impact", "=", c.impact)
        .where("urgency", "=", c.urgency)
        .execute();
    }
    const after = { cells: [...input.cells].sort((a, b) => a.impact - b.impact || a.urgency - b.urgency) };
    const flat = (m: typeof after) => Object.fromEntries(m.cells.map((c) => [`${c.impact}-${c.urgency}`, c.priority]));
    await recordChange(tx, ctx, {
      entityType: "priority_matrix",
      entityId: "default",
      action: "updated",
      before: flat(before),
      after: flat(after),
    });
    return after;
  });
}

function presentCategory(r: { id: string; version: number; name: string; parent_id: string | null; active: boolean }) {
  return { id: r.id, version: r.version, name: r.name, parentId: r.parent_id, active: r.active };
}

export async function listCategories(deps: Deps) {
  return { items: (await repo.listCategories(deps.db)).map(presentCategory) };
}

export async function createCategory(deps: Deps, ctx: RequestContext, input: z.infer<typeof CategoryCreateSchema>) {
  return inTransaction(deps.db, async (tx) => {
    if (input.parentId && !(await repo.findCategory(tx, input.parentId))) {
      throw new Invalid([{ field: "body.parentId", message: "no such category" }]);
    }
    const clash = await tx
      .selectFrom("categories")
      .select("id")
      .where((eb) => (input.parentId ? eb("parent_id", "=", input.parentId) : eb("parent_id", "is", null)))
      .where((eb) => eb(eb.fn("lower", ["name"]), "=", input.name.toLowerCase()))
      .executeTakeFirst();
    if (clash)
      throw new Conflict("A category with this name exists here", [{ field: "body.name", message: "already in use" }]);
    const row = await tx
      .insertInto("categories")
      .values({ name: input.name, parent_id: input.parentId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    const category = presentCategory(row);
    await recordChange(tx, ctx, {
      entityType: "category",
      entityId: row.id,
      action: "created",
      before: null,
      after: category,
    });
    return category;
  });
}
