import type { z } from "zod";
import type { CatalogItem, CatalogItemCreateSchema, CatalogItemUpdateSchema } from "../../../common/cmdb.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { changedOnly, expectedVersion } from "../../platform/versioning.ts";

/** Lists the server itself relies on: their items carry a `group` property it reads. */
const GROUPS: Record<string, readonly string[]> = {
  deployment_state: ["preproductive", "productive", "postproductive"],
  incident_state: ["operational", "warning", "incident"],
};

function present(r: {
  id: string;
  version: number;
  list: string;
  name: string;
  properties: Record<string, unknown>;
  position: number;
  active: boolean;
}): CatalogItem {
  return {
    id: r.id,
    version: r.version,
    list: r.list,
    name: r.name,
    properties: r.properties,
    position: r.position,
    active: r.active,
  };
}

export function catalogItems(db: Executor, list: string) {
  return db
    .selectFrom("catalog_items")
    .selectAll()
    .where("list", "=", list)
    .orderBy("position")
    .orderBy("name")
    .limit(5000)
    .execute();
}

/** For other modules: is this an active value of the list (e.g. change_category)? */
export async function isCatalogValue(db: Executor, list: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom("catalog_items")
    .select("id")
    .where("id", "=", id)
    .where("list", "=", list)
    .where("active", "=", true)
    .executeTakeFirst();
  return !!row;
}

/** The catalog's lists, with how many values each has. */
export async function catalogNames(deps: Deps) {
  const rows = await deps.db
    .selectFrom("catalog_items")
    .select((eb) => [
      "list",
      eb.fn.countAll<string>().as("count"),
      eb.fn.count<string>(eb.case().when("active", "=", true).then(1).end()).as("active"),
    ])
    .groupBy("list")
    .orderBy("list")
    .execute();
  return { items: rows.map((r) => ({ list: r.list, count: Number(r.count), active: Number(r.active) })) };
}

export async function listCatalog(deps: Deps, list: string) {
  return { items: (await catalogItems(deps.db, list)).map(present) };
}

function checkGroup(list: string, properties: Record<string, unknown> | undefined) {
  const groups = GROUPS[list];
  if (!groups || properties === undefined) return;
  if (!groups.includes(String(properties.group))) {
    throw new Invalid([{ field: "body.properties.group", message: `one of ${groups.join(", ")}` }]);
  }
}

async function clash(db: Executor, list: string, name: string, except?: string) {
  let q = db
    .selectFrom("catalog_items")
    .select("id")
    .where("list", "=", list)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (except) q = q.where("id", "<>", except);
  if (await q.executeTakeFirst()) {
    throw new Conflict("This list has a value with this name", [{ field: "body.name", message: "already in use" }]);
  }
}

export async function createCatalogItem(
  deps: Deps,
  ctx: RequestContext,
  list: string,
  input: z.infer<typeof CatalogItemCreateSchema>,
) {
  if (GROUPS[list]) checkGroup(list, input.properties);
  return inTransaction(deps.db, async (tx) => {
    await clash(tx, list, input.name);
    const row = await tx
      .insertInto("catalog_items")
      .values({ list, name: input.name, properties: JSON.stringify(input.properties), position: input.position })
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = present(row);
    await recordChange(tx, ctx, {
      entityType: "catalog_item",
      entityId: row.id,
      action: "created",
      before: null,
      after: item,
    });
    return item;
  });
}

export async function updateCatalogItem(
  deps: Deps,
  ctx: RequestContext,
  list: string,
  id: string,
  input: z.infer<typeof CatalogItemUpdateSchema>,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  checkGroup(list, input.properties);
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .selectFrom("catalog_items")
      .selectAll()
      .where("id", "=", id)
      .where("list", "=", list)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFound("Catalog value");
    if (row.version !== expected) throw new StaleVersion("Catalog value", row.version);
    if (input.name) await clash(tx, list, input.name, id);
    const before = present(row);
    const set = changedOnly(before, {
      name: input.name,
      properties: input.properties,
      position: input.position,
      active: input.active,
    });
    if (Object.keys(set).length === 0) return before;
    const updated = await tx
      .updateTable("catalog_items")
      .set({
        ...set,
        properties: set.properties ? JSON.stringify(set.properties) : undefined,
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = present(updated);
    await recordChange(tx, ctx, { entityType: "catalog_item", entityId: id, action: "updated", before, after });
    return after;
  });
}
