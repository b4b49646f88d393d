import { type SqlBool, sql } from "kysely";
import type { Impact } from "../../../common/cmdb.ts";
import type { Executor } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Invalid, NotFound } from "../../platform/errors.ts";
import { organizationSummaries } from "../identity/index.ts";
import { openTicketsOnCis } from "../tickets/index.ts";
import { ciNumber, readableCi } from "./cis.ts";
import { type ImpactGraph, pathTo, type RedundancyGroup, walk } from "./impact-walk.ts";
import { type CmdbAccess, loadCmdbAccess, visibleClassIds } from "./policy.ts";

/** The walk's own bound (a whole estate), and how many of the nearest CIs an answer lists. */
const MAX_WALK = 250_000;
const MAX_LISTED = 2_000;
const CHUNK = 10_000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/**
 * The relation graph in the database. Downstream ("what is hit when these
 * fail"): a `reverse` type (depends_on, runs_on) carries a failure from target
 * to source, a `forward` one (part_of) from source to target, `both` either
 * way. Upstream ("what does this need") walks the same edges backwards.
 */
export function databaseGraph(db: Executor, direction: "downstream" | "upstream"): ImpactGraph {
  const down = direction === "downstream";
  return {
    async next(frontier) {
      const edges: [string, string][] = [];
      for (const part of chunks(frontier)) {
        const viaTarget = await db
          .selectFrom("ci_relations as r")
          .innerJoin("ci_relation_types as t", "t.key", "r.type")
          .select(["r.source_id", "r.target_id"])
          .where(sql<SqlBool>`r.target_id = any(${part}::uuid[])`)
          .where("t.impact", "in", down ? ["reverse", "both"] : ["forward", "both"])
          .execute();
        for (const e of viaTarget) edges.push([e.target_id, e.source_id]);
        const viaSource = await db
          .selectFrom("ci_relations as r")
          .innerJoin("ci_relation_types as t", "t.key", "r.type")
          .select(["r.source_id", "r.target_id"])
          .where(sql<SqlBool>`r.source_id = any(${part}::uuid[])`)
          .where("t.impact", "in", down ? ["forward", "both"] : ["reverse", "both"])
          .execute();
        for (const e of viaSource) edges.push([e.source_id, e.target_id]);
      }
      return edges;
    },
    async groupsOf(members) {
      const groups = new Map<string, RedundancyGroup & { memberIds: string[] }>();
      for (const part of chunks(members)) {
        const rows = await db
          .selectFrom("ci_redundancy_groups as g")
          .innerJoin("ci_redundancy_members as all", "all.group_id", "g.id")
          .select(["g.id", "g.ci_id", "g.min_up", "g.min_percent", "all.member_id"])
          .where("g.id", "in", db.selectFrom("ci_redundancy_members").select("group_id").where("member_id", "in", part))
          .execute();
        for (const r of rows) {
          const g = groups.get(r.id) ?? {
            id: r.id,
            ownerId: r.ci_id,
            memberIds: [],
            minUp: r.min_up,
            minPercent: r.min_percent,
          };
          if (!g.memberIds.includes(r.member_id)) g.memberIds.push(r.member_id);
          groups.set(r.id, g);
        }
      }
      return [...groups.values()];
    },
  };
}

async function answer(
  deps: Deps,
  ctx: RequestContext,
  access: CmdbAccess,
  starts: string[],
  direction: "downstream" | "upstream",
  depth: number,
): Promise<Impact> {
  const db = deps.db;
  const { reached, truncated } = await walk(databaseGraph(db, direction), starts, {
    maxDepth: depth,
    maxNodes: MAX_WALK,
    redundancy: direction === "downstream",
  });
  const visibleClasses = new Set(await visibleClassIds(db, access));
  const ids = [...reached.keys()];
  // Only what the caller could open themselves; hidden CIs are left out of paths too.
  const classOf = new Map<string, string>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom("cis")
      .select(["id", "class_id"])
      .where(sql<SqlBool>`id = any(${part}::uuid[])`)
      .execute();
    for (const r of rows) classOf.set(r.id, r.class_id);
  }
  const shown = ids
    .filter((id) => visibleClasses.has(classOf.get(id) ?? ""))
    .sort((a, b) => (reached.get(a)?.depth ?? 0) - (reached.get(b)?.depth ?? 0) || (a < b ? -1 : 1));
  const shownSet = new Set(shown);
  const listed = shown.slice(0, MAX_LISTED);
  const details = new Map(
    (listed.length
      ? await db
          .selectFrom("cis")
          .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
          .select([
            "cis.id",
            "cis.number",
            "cis.name",
            "cis.class_id",
            "cis.incident_state",
            "ci_classes.name as class_name",
          ])
          .where(sql<SqlBool>`cis.id = any(${listed}::uuid[])`)
          .execute()
      : []
    ).map((r) => [r.id, r]),
  );
  const ref = (r: {
    id: string;
    number: number;
    name: string;
    class_id: string;
    incident_state: "operational" | "warning" | "incident";
    class_name: string;
  }) => ({
    id: r.id,
    number: ciNumber(r.number),
    name: r.name,
    classId: r.class_id,
    className: r.class_name,
    incidentState: r.incident_state,
  });
  const nodes = listed.map((id) => ({
    ciId: id,
    depth: reached.get(id)?.depth ?? 0,
    path: pathTo(reached, id).filter((p) => shownSet.has(p)),
  }));
  const cis = listed.flatMap((id) => {
    const r = details.get(id);
    return r ? [ref(r)] : [];
  });
  // Services, customers and tickets count over everything reached, not only the listed nodes.
  const services: ReturnType<typeof ref>[] = [];
  for (const part of chunks(shown)) {
    const rows = await db
      .selectFrom("cis")
      .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
      .select([
        "cis.id",
        "cis.number",
        "cis.name",
        "cis.class_id",
        "cis.incident_state",
        "ci_classes.name as class_name",
      ])
      .where("ci_classes.code", "=", "business_service")
      .where(sql<SqlBool>`cis.id = any(${part}::uuid[])`)
      .execute();
    services.push(...rows.map(ref));
  }
  services.sort((a, b) => a.name.localeCompare(b.name));
  const serviceIds = services.map((x) => x.id);
  const subscriberIds = serviceIds.length
    ? (
        await db
          .selectFrom("ci_service_subscriptions")
          .select("organization_id")
          .distinct()
          .where(sql<SqlBool>`ci_id = any(${serviceIds}::uuid[])`)
          .limit(5000)
          .execute()
      ).map((r) => r.organization_id)
    : [];
  const organizations = (await organizationSummaries(db, subscriberIds)).map((o) => ({ id: o.id, name: o.name }));
  organizations.sort((a, b) => a.name.localeCompare(b.name));
  const tickets = (await openTicketsOnCis(db, ctx.actor, shown))
    .map((t) => ({ id: t.id, number: t.number, title: t.title, state: t.state }))
    .sort((a, b) => (a.number < b.number ? -1 : 1));
  return {
    direction,
    depth,
    total: shown.length,
    nodes,
    cis,
    services,
    organizations,
    tickets,
    truncated: truncated || shown.length > listed.length,
  };
}

/** `GET /cmdb/cis/{id}/impact`: what a CI's failure hits (downstream) or what it needs (upstream). */
export async function ciImpact(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  query: { direction: "downstream" | "upstream"; depth: number },
): Promise<Impact> {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  await readableCi(deps.db, access, id);
  return answer(deps, ctx, access, [id], query.direction, query.depth);
}

/** "What if these fail together": the downstream answer for a set, honouring redundancy groups; changes nothing. */
export async function simulateImpact(deps: Deps, ctx: RequestContext, input: { ciIds: string[]; depth: number }) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  const ids = [...new Set(input.ciIds)];
  for (const [i, id] of ids.entries()) {
    try {
      await readableCi(deps.db, access, id);
    } catch (e) {
      if (e instanceof NotFound)
        throw new Invalid([{ field: `body.ciIds.${i}`, message: "no such configuration item" }]);
      throw e;
    }
  }
  return answer(deps, ctx, access, ids, "downstream", input.depth);
}

/**
 * For other modules (change risk and approvals): what these CIs hit downstream
 * (honouring redundancy), the business services among them and the
 * organizations subscribed to those services. No visibility filter: callers
 * decide what they show.
 */
export async function downstreamServices(
  db: Executor,
  ciIds: readonly string[],
  depth = 5,
): Promise<{ reached: number; serviceIds: string[]; organizationIds: string[] }> {
  if (ciIds.length === 0) return { reached: 0, serviceIds: [], organizationIds: [] };
  const { reached } = await walk(databaseGraph(db, "downstream"), [...ciIds], {
    maxDepth: depth,
    maxNodes: MAX_WALK,
    redundancy: true,
  });
  const ids = [...reached.keys()];
  const services: string[] = [];
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom("cis")
      .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
      .select("cis.id")
      .where("ci_classes.code", "=", "business_service")
      .where(sql<SqlBool>`cis.id = any(${part}::uuid[])`)
      .execute();
    services.push(...rows.map((r) => r.id));
  }
  services.sort();
  const organizationIds = services.length
    ? (
        await db
          .selectFrom("ci_service_subscriptions")
          .select("organization_id")
          .distinct()
          .where(sql<SqlBool>`ci_id = any(${services}::uuid[])`)
          .orderBy("organization_id")
          .limit(5000)
          .execute()
      ).map((r) => r.organization_id)
    : [];
  return { reached: ids.length, serviceIds: services, organizationIds };
}

/** For other modules (change approvals): the business services these CIs are or hit downstream. */
export async function servicesHitBy(db: Executor, ciIds: readonly string[], depth = 5): Promise<string[]> {
  return (await downstreamServices(db, ciIds, depth)).serviceIds;
}
