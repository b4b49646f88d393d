import type { Graph } from "../../../common/cmdb.ts";
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
