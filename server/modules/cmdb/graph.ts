import type { Graph } from "../../../common/cmdb.ts";
import type { Executor } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { ciNumber, readableCi } from "./cis.ts";
import { loadCmdbAccess, visibleClassIds } from "./policy.ts";

const MAX_NODES = 300;

/**
 * The neighbourhood of a CI for drawing: every relation of any type, both
 * ways, up to `depth` hops, among CIs the caller may see (at most 300).
 */
export async function ciGraph(deps: Deps, ctx: RequestContext, rootId: string, depth: number): Promise<Graph> {
  const db = deps.db;
  const access = await loadCmdbAccess(db, ctx.actor);
  await readableCi(db, access, rootId);
  const visible = new Set(await visibleClassIds(db, access));
  const depthOf = new Map<string, number>([[rootId, 0]]);
  const edges = new Map<string, { id: string; sourceId: string; targetId: string; type: string }>();
  let frontier = [rootId];
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const rows = await db
      .selectFrom("ci_relations as r")
      .innerJoin("cis as s", "s.id", "r.source_id")
      .innerJoin("cis as t", "t.id", "r.target_id")
      .select(["r.id", "r.source_id", "r.target_id", "r.type", "s.class_id as s_class", "t.class_id as t_class"])
      .where((eb) => eb.or([eb("r.source_id", "in", frontier), eb("r.target_id", "in", frontier)]))
      .orderBy("r.created_at")
      .limit(5000)
      .execute();
    const next: string[] = [];
    for (const r of rows) {
      if (!visible.has(r.s_class) || !visible.has(r.t_class)) continue;
      for (const id of [r.source_id, r.target_id]) {
        if (depthOf.has(id)) continue;
        if (depthOf.size >= MAX_NODES) {
          truncated = true;
          continue;
        }
        depthOf.set(id, d);
        next.push(id);
      }
      if (depthOf.has(r.source_id) && depthOf.has(r.target_id)) {
        edges.set(r.id, { id: r.id, sourceId: r.source_id, targetId: r.target_id, type: r.type });
      }
    }
    frontier = next;
  }
  const ids = [...depthOf.keys()];
  const rows = await db
    .selectFrom("cis")
    .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
    .select(["cis.id", "cis.number", "cis.name", "cis.class_id", "cis.incident_state", "ci_classes.name as class_name"])
    .where("cis.id", "in", ids)
    .execute();
  return {
    rootId,
    nodes: rows
      .map((r) => ({
        id: r.id,
        number: ciNumber(r.number),
        name: r.name,
        classId: r.class_id,
        className: r.class_name,
        incidentState: r.incident_state,
        depth: depthOf.get(r.id) ?? 0,
      }))
      .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name)),
    edges: [...edges.values()],
    truncated,
  };
}

/** For other modules (change conflicts): the relations within `hops` of these CIs, any type, either way. */
export async function relationsAround(
  db: Executor,
  ciIds: readonly string[],
  hops = 2,
): Promise<{ from: string; to: string }[]> {
  const seen = new Set(ciIds);
  const edges = new Map<string, { from: string; to: string }>();
  let frontier = [...ciIds];
  for (let d = 0; d < hops && frontier.length > 0; d++) {
    const rows = await db
      .selectFrom("ci_relations")
      .select(["id", "source_id", "target_id"])
      .where((eb) => eb.or([eb("source_id", "in", frontier), eb("target_id", "in", frontier)]))
      .limit(20_000)
      .execute();
    const next: string[] = [];
    for (const r of rows) {
      edges.set(r.id, { from: r.source_id, to: r.target_id });
      for (const id of [r.source_id, r.target_id]) {
        if (!seen.has(id)) {
          seen.add(id);
          next.push(id);
        }
      }
    }
    frontier = next;
  }
  return [...edges.values()];
}

/** For other modules (the deployment gate): a CI by id, number (CI-000123) or a name only one CI has. */
export async function findCiByRef(db: Executor, ref: string): Promise<{ id: string; name: string } | null> {
  let q = db.selectFrom("cis").select(["id", "name"]);
  const number = /^CI-?0*(\d{1,9})$/i.exec(ref);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) q = q.where("id", "=", ref);
  else if (number) q = q.where("number", "=", Number(number[1]));
  else q = q.where("name", "=", ref);
  const rows = await q.limit(2).execute();
  return rows.length === 1 ? (rows[0] ?? null) : null;
}

/** CI names by id, for messages. */
/** Number and name of CIs, for other modules' references (no visibility filter). */
export async function ciRefs(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("cis")
    .select(["id", "number", "name"])
    .where("id", "in", [...ids])
    .execute();
  return rows.map((r) => ({ id: r.id, number: ciNumber(r.number), name: r.name }));
}

export async function ciNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("cis")
    .select(["id", "name"])
    .where("id", "in", [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
