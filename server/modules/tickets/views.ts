import { sql } from "kysely";
import type { z } from "zod";
import { type ViewCreateSchema, ViewFiltersSchema, type ViewUpdateSchema } from "../../../common/tickets.ts";
import { inTransaction } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { changedOnly } from "../../platform/versioning.ts";
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
    .leftJoin("saved_view_order", (join) =>
      join.onRef("saved_view_order.view_id", "=", "saved_views.id").on("saved_view_order.user_id", "=", ctx.actor.id),
    )
    .selectAll("saved_views")
    .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", ctx.actor.id)]))
    // The caller's own order first; views they never placed follow in the default order.
    .orderBy(sql`saved_view_order.position is null`)
    .orderBy("saved_view_order.position")
    .orderBy("saved_views.position")
    .orderBy("saved_views.name")
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
          watcherId: f.watcherId === "me" ? ctx.actor.id : f.watcherId,
          now: deps.now(),
          visible: visibleTickets(access) as never,
          limit: COUNT_CAP,
          sort: "-createdAt",
          cursor: undefined,
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
      abilities: { update: mayEdit(ctx, row), delete: mayEdit(ctx, row) },
    });
  }
  return { items };
}

/** The owner edits a personal view; a shared one takes the right to share views. */
function mayEdit(ctx: RequestContext, row: { owner_id: string | null }) {
  return row.owner_id === ctx.actor.id || (row.owner_id === null && can(ctx.actor, "view.share"));
}

function checkedFilters(filters: Record<string, unknown>) {
  const parsed = parseFilters(filters);
  if (!parsed.success) {
    throw new Invalid(
      parsed.error.issues.map((i) => ({
        field: ["body", "filters", ...i.path.map(String)].join("."),
        message: i.message,
      })),
    );
  }
}

async function presentView(deps: Deps, ctx: RequestContext, id: string) {
  const view = (await listViews(deps, ctx)).items.find((v) => v.id === id);
  if (!view) throw new NotFound("View");
  return view;
}

export async function createView(deps: Deps, ctx: RequestContext, input: z.infer<typeof ViewCreateSchema>) {
  if (input.shared && !can(ctx.actor, "view.share")) throw new Forbidden("Only administrators share views");
  checkedFilters(input.filters);
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
  return presentView(deps, ctx, id);
}

/** Rename a view or replace its filters. */
export async function updateView(deps: Deps, ctx: RequestContext, id: string, input: z.infer<typeof ViewUpdateSchema>) {
  if (input.filters) checkedFilters(input.filters);
  await inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("saved_views").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row || (row.owner_id !== null && row.owner_id !== ctx.actor.id)) throw new NotFound("View");
    if (!mayEdit(ctx, row)) throw new Forbidden("Only administrators change shared views");
    const changes = changedOnly(row, { name: input.name, filters: input.filters });
    if (Object.keys(changes).length === 0) return;
    await tx
      .updateTable("saved_views")
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.filters !== undefined && { filters: JSON.stringify(changes.filters) }),
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .execute();
    await recordChange(tx, ctx, {
      entityType: "saved_view",
      entityId: id,
      action: "updated",
      before: Object.fromEntries(Object.keys(changes).map((k) => [k, row[k as keyof typeof row]])),
      after: changes,
    });
  });
  return presentView(deps, ctx, id);
}

/** The caller's own sidebar order; it names only views they see. */
export async function orderViews(deps: Deps, ctx: RequestContext, ids: string[]) {
  await inTransaction(deps.db, async (tx) => {
    const seen = await tx
      .selectFrom("saved_views")
      .select("id")
      .where("id", "in", ids)
      .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", ctx.actor.id)]))
      .execute();
    // A view the caller does not see is as absent as one that never existed.
    if (seen.length !== ids.length) throw new NotFound("View");
    await tx.deleteFrom("saved_view_order").where("user_id", "=", ctx.actor.id).execute();
    await tx
      .insertInto("saved_view_order")
      .values(ids.map((view_id, position) => ({ user_id: ctx.actor.id, view_id, position })))
      .execute();
  });
  return listViews(deps, ctx);
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
