import type { z } from "zod";
import { type ViewCreateSchema, ViewFiltersSchema } from "../../../common/tickets.ts";
import { inTransaction } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { visibleTickets } from "./policy.ts";
import * as repo from "./repository.ts";
import { loadAccess } from "./service.ts";

const COUNT_CAP = 1000;

/** Filters as the list query takes them (arrays joined the way the query string carries them). */
function parseFilters(filters: Record<string, unknown>) {
  const asQuery = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
  return ViewFiltersSchema.safeParse(asQuery);
}

/** Shared views and the caller's own, each with a live (capped) count of the tickets it shows them. */
export async function listViews(deps: Deps, ctx: RequestContext) {
  const rows = await deps.db
    .selectFrom("saved_views")
    .selectAll()
    .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", ctx.actor.id)]))
    .orderBy("position")
    .orderBy("name")
    .limit(100)
    .execute();
  const access = await loadAccess(deps.db, ctx.actor);
  const items = [];
  for (const row of rows) {
    const parsed = parseFilters(row.filters);
    let count = 0;
    if (parsed.success) {
      const f = parsed.data;
      count = await repo.countTickets(
        deps.db,
        {
          ...f,
          assigneeId: f.assigneeId === "me" ? ctx.actor.id : f.assigneeId,
          requesterId: f.requesterId === "me" ? ctx.actor.id : f.requesterId,
          visible: visibleTickets(access) as never,
          limit: COUNT_CAP,
          sort: "-createdAt",
        },
        COUNT_CAP,
      );
    }
    items.push({
      id: row.id,
      name: row.name,
      shared: row.owner_id === null,
      filters: row.filters,
      count,
      countCapped: count >= COUNT_CAP,
      abilities: { delete: row.owner_id === ctx.actor.id || (row.owner_id === null && can(ctx.actor, "view.share")) },
    });
  }
  return { items };
}

export async function createView(deps: Deps, ctx: RequestContext, input: z.infer<typeof ViewCreateSchema>) {
  if (input.shared && !can(ctx.actor, "view.share")) throw new Forbidden("Only administrators share views");
  const parsed = parseFilters(input.filters);
  if (!parsed.success) {
    throw new Invalid(
      parsed.error.issues.map((i) => ({
        field: ["body", "filters", ...i.path.map(String)].join("."),
        message: i.message,
      })),
    );
  }
  const id = await inTransaction(deps.db, async (tx) => {
    const row = await tx
      .insertInto("saved_views")
      .values({
        owner_id: input.shared ? null : ctx.actor.id,
        name: input.name,
        filters: JSON.stringify(input.filters),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(tx, ctx, {
      entityType: "saved_view",
      entityId: row.id,
      action: "created",
      before: null,
      after: { name: row.name, shared: input.shared, filters: input.filters },
    });
    return row.id;
  });
  const view = (await listViews(deps, ctx)).items.find((v) => v.id === id);
  if (!view) throw new NotFound("View");
  return view;
}

export async function deleteView(deps: Deps, ctx: RequestContext, id: string) {
  await inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("saved_views").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row || (row.owner_id !== null && row.owner_id !== ctx.actor.id)) throw new NotFound("View");
    if (row.owner_id === null && !can(ctx.actor, "view.share"))
      throw new Forbidden("Only administrators remove shared views");
    await tx.deleteFrom("saved_views").where("id", "=", id).execute();
    await recordChange(tx, ctx, {
      entityType: "saved_view",
      entityId: id,
      action: "deleted",
      before: { name: row.name, filters: row.filters },
      after: null,
    });
  });
}
