import type { z } from "zod";
import type {
  CategoryCreateSchema,
  CategoryUpdateSchema,
  PriorityMatrixUpdateSchema,
} from "../../../common/tickets.ts";
import { inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { changedOnly, expectedVersion } from "../../platform/versioning.ts";
import * as repo from "./repository.ts";

const MATRIX_VERSION = "tickets.priorityMatrixVersion";

export async function getPriorityMatrix(deps: Pick<Deps, "db">) {
  const rows = await repo.priorityMatrix(deps.db);
  const version = Number((await repo.setting<number>(deps.db, MATRIX_VERSION)) ?? 1);
  return { version, cells: rows.map((r) => ({ impact: r.impact, urgency: r.urgency, priority: r.priority })) };
}

/** Replaces the impact × urgency → priority matrix. Existing tickets keep their priority until edited. */
export async function setPriorityMatrix(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof PriorityMatrixUpdateSchema>,
  ifMatch?: number,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    // The version row is the matrix's lock: two editors queue here and the second sees the new version.
    await tx.selectFrom("settings").select("key").where("key", "=", MATRIX_VERSION).forUpdate().execute();
    const before = await getPriorityMatrix({ db: tx });
    if (before.version !== expected) throw new StaleVersion("The priority matrix", before.version);
    const same = input.cells.every(
      (c) => before.cells.find((b) => b.impact === c.impact && b.urgency === c.urgency)?.priority === c.priority,
    );
    if (same) return before;
    for (const c of input.cells) {
      await tx
        .updateTable("priority_matrix")
        .set({ priority: c.priority })
        .where("impact", "=", c.impact)
        .where("urgency", "=", c.urgency)
        .execute();
    }
    const after = {
      version: before.version + 1,
      cells: [...input.cells].sort((a, b) => a.impact - b.impact || a.urgency - b.urgency),
    };
    await tx
      .insertInto("settings")
      .values({ key: MATRIX_VERSION, value: JSON.stringify(after.version), updated_at: deps.now() })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({ value: JSON.stringify(after.version), updated_at: deps.now() }),
      )
      .execute();
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

/** Renames, moves (never under itself or its descendants) or deactivates a category. */
export async function updateCategory(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof CategoryUpdateSchema>,
  ifMatch?: number,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("categories").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound("Category");
    if (row.version !== expected) throw new StaleVersion("Category", row.version);
    if (input.parentId) {
      if (!(await repo.findCategory(tx, input.parentId)))
        throw new Invalid([{ field: "body.parentId", message: "no such category" }]);
      // Walk up from the new parent: meeting this category would make a cycle.
      let cursor: string | null = input.parentId;
      for (let depth = 0; cursor && depth < 100; depth++) {
        if (cursor === id)
          throw new Invalid([{ field: "body.parentId", message: "a category cannot move under itself" }]);
        cursor = (await repo.findCategory(tx, cursor))?.parent_id ?? null;
      }
    }
    const parentId = input.parentId === undefined ? row.parent_id : input.parentId;
    const name = input.name ?? row.name;
    if (input.name !== undefined || input.parentId !== undefined) {
      const clash = await tx
        .selectFrom("categories")
        .select("id")
        .where("id", "!=", id)
        .where((eb) => (parentId ? eb("parent_id", "=", parentId) : eb("parent_id", "is", null)))
        .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
        .executeTakeFirst();
      if (clash)
        throw new Conflict("A category with this name exists here", [
          { field: "body.name", message: "already in use" },
        ]);
    }
    const before = presentCategory(row);
    const set = changedOnly(row, { name: input.name, parent_id: input.parentId, active: input.active });
    if (Object.keys(set).length === 0) return before;
    const updated = await tx
      .updateTable("categories")
      .set({ ...set, version: row.version + 1, updated_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentCategory(updated);
    await recordChange(tx, ctx, { entityType: "category", entityId: id, action: "updated", before, after });
    return after;
  });
}
