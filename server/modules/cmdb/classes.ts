import { type SqlBool, sql } from "kysely";
import type { z } from "zod";
import type { AttributeDefinition, CiClass, CiClassCreateSchema, CiClassUpdateSchema } from "../../../common/cmdb.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { changedOnly, expectedVersion } from "../../platform/versioning.ts";
import { groupSummary } from "../identity/index.ts";
import { type CmdbAccess, canSeeClass, loadCmdbAccess } from "./policy.ts";

export interface ClassRow {
  id: string;
  version: number;
  code: string | null;
  name: string;
  description: string;
  attributes: unknown[];
  group_ids: string[];
  builtin: boolean;
  active: boolean;
}

export function presentClass(r: ClassRow): CiClass {
  return {
    id: r.id,
    version: r.version,
    code: r.code,
    name: r.name,
    description: r.description,
    attributes: r.attributes as AttributeDefinition[],
    groupIds: r.group_ids,
    builtin: r.builtin,
    active: r.active,
  };
}

export function findClass(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("ci_classes").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function classByCode(db: Executor, code: string) {
  return db.selectFrom("ci_classes").selectAll().where("code", "=", code).executeTakeFirst();
}

/** The definition a CI version was written with. */
export async function classDefinition(db: Executor, classId: string, version: number): Promise<AttributeDefinition[]> {
  const row = await db
    .selectFrom("ci_class_versions")
    .select("attributes")
    .where("class_id", "=", classId)
    .where("version", "=", version)
    .executeTakeFirst();
  return (row?.attributes ?? []) as AttributeDefinition[];
}

/** A class the caller may see, or 404 (never a hint that a hidden one exists). */
export async function readableClass(db: Executor, access: CmdbAccess, id: string, lock = false) {
  const row = await findClass(db, id, lock);
  if (!row || !canSeeClass(access, row)) throw new NotFound("CI class");
  return row;
}

export async function listClasses(
  deps: Deps,
  ctx: RequestContext,
  query: { limit: number; cursor?: string | undefined },
) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  let q = deps.db.selectFrom("ci_classes").selectAll();
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    if (!/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
    q = q.where(sql<SqlBool>`(ci_classes.name, ci_classes.id) > (${name}, ${id}::uuid)`);
  }
  // Classes are few: filter the visible ones in code, then page.
  const rows = (await q.orderBy("name").orderBy("id").limit(5000).execute()).filter((r) => canSeeClass(access, r));
  const result = page(rows.slice(0, query.limit + 1), query.limit, (r) => [r.name, r.id]);
  return { items: result.items.map(presentClass), nextCursor: result.nextCursor };
}

export async function getClass(deps: Deps, ctx: RequestContext, id: string) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  return presentClass(await readableClass(deps.db, access, id));
}

async function checkGroups(db: Executor, groupIds: readonly string[]) {
  for (const [i, id] of groupIds.entries()) {
    if (!(await groupSummary(db, id))) throw new Invalid([{ field: `body.groupIds.${i}`, message: "no such group" }]);
  }
}

async function checkCatalogs(db: Executor, attributes: readonly AttributeDefinition[]) {
  for (const [i, a] of attributes.entries()) {
    if (a.type !== "catalog" || !a.catalog) continue;
    const any = await db.selectFrom("catalog_items").select("id").where("list", "=", a.catalog).executeTakeFirst();
    if (!any) throw new Invalid([{ field: `body.attributes.${i}.catalog`, message: "no such catalog list" }]);
  }
}

async function nameClash(db: Executor, name: string, except?: string) {
  let q = db
    .selectFrom("ci_classes")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (except) q = q.where("id", "<>", except);
  if (await q.executeTakeFirst()) {
    throw new Conflict("A class with this name exists", [{ field: "body.name", message: "already in use" }]);
  }
}

export async function createClass(deps: Deps, ctx: RequestContext, input: z.infer<typeof CiClassCreateSchema>) {
  return inTransaction(deps.db, async (tx) => {
    await nameClash(tx, input.name);
    await checkGroups(tx, input.groupIds);
    await checkCatalogs(tx, input.attributes);
    const row = await tx
      .insertInto("ci_classes")
      .values({
        name: input.name,
        description: input.description,
        attributes: JSON.stringify(input.attributes),
        group_ids: input.groupIds,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("ci_class_versions")
      .values({ class_id: row.id, version: row.version, attributes: JSON.stringify(input.attributes) })
      .execute();
    const created = presentClass(row);
    await recordChange(tx, ctx, {
      entityType: "ci_class",
      entityId: row.id,
      action: "created",
      before: null,
      after: created,
    });
    return created;
  });
}

/**
 * Changes a class. A new attribute definition is a new class version; CIs keep
 * the version they were written with until they are next edited, so a change
 * never breaks what is stored. An attribute's type cannot change in place
 * (add a new attribute instead), and a key once used cannot come back with
 * another type.
 */
export async function updateClass(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof CiClassUpdateSchema>,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const row = await readableClass(tx, access, id, true);
    if (row.version !== expected) throw new StaleVersion("CI class", row.version);
    if (input.name) await nameClash(tx, input.name, id);
    if (input.groupIds) await checkGroups(tx, input.groupIds);
    if (input.attributes) {
      await checkCatalogs(tx, input.attributes);
      const before = new Map((row.attributes as AttributeDefinition[]).map((a) => [a.key, a]));
      for (const [i, a] of input.attributes.entries()) {
        const old = before.get(a.key);
        if (old && (old.type !== a.type || (old.catalog ?? null) !== (a.catalog ?? null))) {
          throw new Invalid([
            { field: `body.attributes.${i}.type`, message: `was ${old.type}; add a new attribute instead of retyping` },
          ]);
        }
      }
    }
    const before = presentClass(row);
    const set = changedOnly(before, {
      name: input.name,
      description: input.description,
      attributes: input.attributes,
      groupIds: input.groupIds,
      active: input.active,
    });
    if (Object.keys(set).length === 0) return before;
    const updated = await tx
      .updateTable("ci_classes")
      .set({
        name: set.name,
        description: set.description,
        attributes: set.attributes ? JSON.stringify(set.attributes) : undefined,
        group_ids: set.groupIds,
        active: set.active,
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("ci_class_versions")
      .values({ class_id: id, version: updated.version, attributes: JSON.stringify(updated.attributes) })
      .execute();
    const after = presentClass(updated);
    await recordChange(tx, ctx, { entityType: "ci_class", entityId: id, action: "updated", before, after });
    return after;
  });
}

/** Is this id a CI of the Business service class? */
export async function isBusinessService(db: Executor, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const row = await db
    .selectFrom("cis")
    .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
    .select("cis.id")
    .where("cis.id", "=", id)
    .where("ci_classes.code", "=", "business_service")
    .executeTakeFirst();
  return row !== undefined;
}

/** A class by id, code or name (case-insensitive), for the command line. */
export async function findClassRef(db: Executor, ref: string) {
  const rows = await db.selectFrom("ci_classes").select(["id", "name", "code"]).execute();
  return rows.find((c) => c.id === ref || c.code === ref || c.name.toLowerCase() === ref.toLowerCase()) ?? null;
}
