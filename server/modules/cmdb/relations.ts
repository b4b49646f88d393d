import { sql } from "kysely";
import type { z } from "zod";
import type {
  RedundancyGroupCreateSchema,
  RelationCreateSchema,
  RelationTypeCreateSchema,
} from "../../../common/cmdb.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { ciNumber, readableCi } from "./cis.ts";
import { type CmdbAccess, canEditInClass, loadCmdbAccess, visibleClassIds } from "./policy.ts";

function presentType(r: { key: string; label: string; reverse_label: string; impact: string; builtin: boolean }) {
  return {
    key: r.key,
    label: r.label,
    reverseLabel: r.reverse_label,
    impact: r.impact as "forward" | "reverse" | "both" | "none",
    builtin: r.builtin,
  };
}

export async function listRelationTypes(deps: Deps) {
  const rows = await deps.db.selectFrom("ci_relation_types").selectAll().orderBy("key").execute();
  return { items: rows.map(presentType) };
}

export async function createRelationType(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof RelationTypeCreateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const clash = await tx
      .selectFrom("ci_relation_types")
      .select("key")
      .where("key", "=", input.key)
      .executeTakeFirst();
    if (clash) throw new Conflict("This relation type exists", [{ field: "body.key", message: "already in use" }]);
    const row = await tx
      .insertInto("ci_relation_types")
      .values({ key: input.key, label: input.label, reverse_label: input.reverseLabel, impact: input.impact })
      .returningAll()
      .executeTakeFirstOrThrow();
    const type = presentType(row);
    await recordChange(tx, ctx, {
      entityType: "ci_relation_type",
      entityId: row.key,
      action: "created",
      before: null,
      after: type,
    });
    return type;
  });
}

/** Would `source part_of target` make a CI part of itself? True when `target` is already (transitively) part of `source`. */
async function partOfCycle(db: Executor, sourceId: string, targetId: string): Promise<boolean> {
  const r = await sql<{ found: boolean }>`
    with recursive up(id, depth) as (
      select ${targetId}::uuid, 0
      union
      select r.target_id, up.depth + 1 from ci_relations r join up on r.source_id = up.id
      where r.type = 'part_of' and up.depth < 50
    )
    select exists (select 1 from up where id = ${sourceId}::uuid) as found`.execute(db);
  return r.rows[0]?.found === true;
}

async function relationView(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("ci_relations as r")
    .innerJoin("cis as s", "s.id", "r.source_id")
    .innerJoin("cis as t", "t.id", "r.target_id")
    .select([
      "r.id",
      "r.type",
      "r.created_at",
      "s.id as s_id",
      "s.number as s_number",
      "s.name as s_name",
      "s.incident_state as s_state",
      "s.class_id as s_class",
      "t.id as t_id",
      "t.number as t_number",
      "t.name as t_name",
      "t.incident_state as t_state",
      "t.class_id as t_class",
    ])
    .where("r.id", "in", ids)
    .orderBy("r.created_at")
    .execute();
}

function presentRelation(r: Awaited<ReturnType<typeof relationView>>[number]) {
  return {
    id: r.id,
    type: r.type,
    source: { id: r.s_id, number: ciNumber(r.s_number), name: r.s_name, incidentState: r.s_state },
    target: { id: r.t_id, number: ciNumber(r.t_number), name: r.t_name, incidentState: r.t_state },
    createdAt: r.created_at.toISOString(),
  };
}

async function endpoint(db: Executor, access: CmdbAccess, id: string, field: string, lock: boolean) {
  try {
    return await readableCi(db, access, id, lock);
  } catch (e) {
    if (e instanceof NotFound) throw new Invalid([{ field, message: "no such configuration item" }]);
    throw e;
  }
}

export async function createRelation(deps: Deps, ctx: RequestContext, input: z.infer<typeof RelationCreateSchema>) {
  if (input.sourceId === input.targetId) {
    throw new Invalid([{ field: "body.targetId", message: "a CI cannot relate to itself" }]);
  }
  return inTransaction(deps.db, async (tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const type = await tx.selectFrom("ci_relation_types").selectAll().where("key", "=", input.type).executeTakeFirst();
    if (!type) throw new Invalid([{ field: "body.type", message: "no such relation type" }]);
    // Lock both ends in a fixed order so two writers cannot interleave a cycle.
    const [first, second] = [input.sourceId, input.targetId].sort() as [string, string];
    const a = await endpoint(tx, access, first, first === input.sourceId ? "body.sourceId" : "body.targetId", true);
    const b = await endpoint(tx, access, second, second === input.sourceId ? "body.sourceId" : "body.targetId", true);
    if (!canEditInClass(access, a.cls) || !canEditInClass(access, b.cls)) {
      throw new Forbidden("You may not relate configuration items of these classes");
    }
    const dup = await tx
      .selectFrom("ci_relations")
      .select("id")
      .where("source_id", "=", input.sourceId)
      .where("target_id", "=", input.targetId)
      .where("type", "=", input.type)
      .executeTakeFirst();
    if (dup)
      throw new Conflict("These CIs are already related this way", [{ field: "body.type", message: "duplicate" }]);
    if (input.type === "part_of" && (await partOfCycle(tx, input.sourceId, input.targetId))) {
      throw new Invalid([{ field: "body.targetId", message: "that would make a CI part of itself" }]);
    }
    const row = await tx
      .insertInto("ci_relations")
      .values({
        source_id: input.sourceId,
        target_id: input.targetId,
        type: input.type,
        created_by: ctx.actor.via === "system" ? null : ctx.actor.id,
        created_at: deps.now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const [view] = await relationView(tx, [row.id]);
    const relation = presentRelation(view as NonNullable<typeof view>);
    await recordChange(tx, ctx, {
      entityType: "ci_relation",
      entityId: row.id,
      action: "created",
      before: null,
      after: { sourceId: input.sourceId, targetId: input.targetId, type: input.type },
    });
    return relation;
  });
}

export async function deleteRelation(deps: Deps, ctx: RequestContext, id: string) {
  await inTransaction(deps.db, async (tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const row = await tx.selectFrom("ci_relations").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound("Relation");
    let ends: Awaited<ReturnType<typeof readableCi>>[];
    try {
      ends = [await readableCi(tx, access, row.source_id), await readableCi(tx, access, row.target_id)];
    } catch {
      throw new NotFound("Relation");
    }
    if (!ends.every((e) => canEditInClass(access, e.cls))) throw new Forbidden("You may not change these relations");
    await tx.deleteFrom("ci_relations").where("id", "=", id).execute();
    await recordChange(tx, ctx, {
      entityType: "ci_relation",
      entityId: id,
      action: "deleted",
      before: { sourceId: row.source_id, targetId: row.target_id, type: row.type },
      after: null,
    });
  });
}

/** A CI's relations both ways, to CIs the caller may see. */
export async function listCiRelations(deps: Deps, ctx: RequestContext, id: string) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  await readableCi(deps.db, access, id);
  const visible = new Set(await visibleClassIds(deps.db, access));
  const ids = await deps.db
    .selectFrom("ci_relations")
    .select("id")
    .where((eb) => eb.or([eb("source_id", "=", id), eb("target_id", "=", id)]))
    .limit(2000)
    .execute();
  const rows = await relationView(
    deps.db,
    ids.map((r) => r.id),
  );
  return {
    items: rows.filter((r) => visible.has(r.s_class) && visible.has(r.t_class)).map(presentRelation),
  };
}

// ---- redundancy groups ----

async function presentGroups(
  db: Executor,
  rows: { id: string; ci_id: string; name: string; min_up: number | null; min_percent: number | null }[],
) {
  const members = rows.length
    ? await db
        .selectFrom("ci_redundancy_members")
        .select(["group_id", "member_id"])
        .where(
          "group_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    ciId: r.ci_id,
    name: r.name,
    memberIds: members
      .filter((m) => m.group_id === r.id)
      .map((m) => m.member_id)
      .sort(),
    minUp: r.min_up,
    minPercent: r.min_percent,
  }));
}

export async function listRedundancyGroups(deps: Deps, ctx: RequestContext, ciId: string) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  await readableCi(deps.db, access, ciId);
  const rows = await deps.db.selectFrom("ci_redundancy_groups").selectAll().where("ci_id", "=", ciId).execute();
  return { items: await presentGroups(deps.db, rows) };
}

export async function createRedundancyGroup(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof RedundancyGroupCreateSchema>,
) {
  const memberIds = [...new Set(input.memberIds)];
  if (memberIds.includes(input.ciId)) {
    throw new Invalid([{ field: "body.memberIds", message: "a CI cannot be a member of its own group" }]);
  }
  if (input.minUp !== undefined && input.minUp > memberIds.length) {
    throw new Invalid([{ field: "body.minUp", message: `at most the ${memberIds.length} members` }]);
  }
  return inTransaction(deps.db, async (tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const owner = await endpoint(tx, access, input.ciId, "body.ciId", true);
    if (!canEditInClass(access, owner.cls)) throw new Forbidden("You may not change this configuration item");
    for (const [i, m] of memberIds.entries()) await endpoint(tx, access, m, `body.memberIds.${i}`, false);
    const row = await tx
      .insertInto("ci_redundancy_groups")
      .values({
        ci_id: input.ciId,
        name: input.name,
        min_up: input.minUp ?? null,
        min_percent: input.minPercent ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("ci_redundancy_members")
      .values(memberIds.map((member_id) => ({ group_id: row.id, member_id })))
      .execute();
    const [group] = await presentGroups(tx, [row]);
    await recordChange(tx, ctx, {
      entityType: "ci_redundancy_group",
      entityId: row.id,
      action: "created",
      before: null,
      after: group as Record<string, unknown>,
    });
    return group as NonNullable<typeof group>;
  });
}

export async function deleteRedundancyGroup(deps: Deps, ctx: RequestContext, id: string) {
  await inTransaction(deps.db, async (tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const row = await tx
      .selectFrom("ci_redundancy_groups")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFound("Redundancy group");
    let owner: Awaited<ReturnType<typeof readableCi>>;
    try {
      owner = await readableCi(tx, access, row.ci_id);
    } catch {
      throw new NotFound("Redundancy group");
    }
    if (!canEditInClass(access, owner.cls)) throw new Forbidden("You may not change this configuration item");
    const [before] = await presentGroups(tx, [row]);
    await tx.deleteFrom("ci_redundancy_groups").where("id", "=", id).execute();
    await recordChange(tx, ctx, {
      entityType: "ci_redundancy_group",
      entityId: id,
      action: "deleted",
      before: before as Record<string, unknown>,
      after: null,
    });
  });
}
