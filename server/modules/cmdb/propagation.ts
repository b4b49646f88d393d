import { sql } from "kysely";
import type { Executor, Tx } from "../../db/database.ts";
import { systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { recordEvent } from "../../platform/events.ts";
import type { Consumer } from "../../platform/jobs.ts";
import { affectedCiIds, ciIdsWithOpenIncidents } from "../tickets/index.ts";
import { databaseGraph } from "./impact.ts";
import { type ImpactGraph, walk } from "./impact-walk.ts";

type State = "operational" | "warning" | "incident";

async function productiveStates(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom("catalog_items")
    .select("id")
    .where("list", "=", "deployment_state")
    .where(sql<boolean>`properties->>'group' = 'productive'`)
    .execute();
  return rows.map((r) => r.id);
}

/** The downstream graph restricted to productive CIs: only they pass a failure on or receive one. */
function productiveGraph(db: Executor, productive: readonly string[]): ImpactGraph {
  const inner = databaseGraph(db, "downstream");
  return {
    groupsOf: inner.groupsOf,
    async next(frontier) {
      const edges = await inner.next(frontier);
      const targets = [...new Set(edges.map(([, to]) => to))];
      if (targets.length === 0 || productive.length === 0) return [];
      const ok = new Set<string>();
      for (let i = 0; i < targets.length; i += 5000) {
        const rows = await db
          .selectFrom("cis")
          .select("id")
          .where("id", "in", targets.slice(i, i + 5000))
          .where("deployment_state_id", "in", productive)
          .execute();
        for (const r of rows) ok.add(r.id);
      }
      return edges.filter(([, to]) => ok.has(to));
    },
  };
}

/**
 * Recomputes every CI's incident state from its causes: a CI is in incident
 * when set so by hand, or when it is productive and an open incident ticket
 * names it; the productive CIs its failure reaches downstream (honouring
 * redundancy groups) are in warning unless in incident themselves; all others
 * are operational. Idempotent, serialized by an advisory lock, and writes only
 * the rows whose state changes (each change also an event for notifications).
 */
export async function propagateIncidentStates(tx: Tx): Promise<{ changed: number }> {
  await sql`select pg_advisory_xact_lock(hashtext('cmdb.incident-propagation'))`.execute(tx);
  const productive = await productiveStates(tx);
  const linked = await ciIdsWithOpenIncidents(tx);
  let sourcesQuery = tx.selectFrom("cis").select(["id", "deployment_state_id"]).where("incident_manual", "=", true);
  if (productive.length) {
    sourcesQuery = tx
      .selectFrom("cis")
      .select(["id", "deployment_state_id"])
      .where((eb) =>
        eb.or([
          eb("incident_manual", "=", true),
          ...(linked.length ? [eb.and([eb("deployment_state_id", "in", productive), eb("id", "in", linked)])] : []),
        ]),
      );
  }
  const sources = await sourcesQuery.execute();
  const spreading = sources.filter((s) => productive.includes(s.deployment_state_id)).map((s) => s.id);
  const { reached } = await walk(productiveGraph(tx, productive), spreading, {
    maxDepth: 50,
    maxNodes: 1_000_000,
    redundancy: true,
  });
  const desired = new Map<string, State>();
  for (const id of reached.keys()) desired.set(id, "warning");
  for (const s of sources) desired.set(s.id, "incident");
  const current = await tx
    .selectFrom("cis")
    .select(["id", "incident_state"])
    .where("incident_state", "<>", "operational")
    .execute();
  const changes: [string, State, State][] = [];
  for (const c of current) {
    if (!desired.has(c.id)) changes.push([c.id, c.incident_state, "operational"]);
  }
  const now = new Map(current.map((c) => [c.id, c.incident_state]));
  for (const [id, state] of desired) {
    const before = now.get(id) ?? "operational";
    if (before !== state) changes.push([id, before, state]);
  }
  const ctx = systemContext([], "system");
  for (const state of ["operational", "warning", "incident"] as const) {
    const ids = changes.filter(([, , to]) => to === state).map(([id]) => id);
    for (let i = 0; i < ids.length; i += 5000) {
      await tx
        .updateTable("cis")
        .set({ incident_state: state })
        .where("id", "in", ids.slice(i, i + 5000))
        .execute();
    }
  }
  for (const [id, from, to] of changes.slice(0, 10_000)) {
    await recordEvent(tx, ctx, {
      type: "ci.incident_state_changed",
      entityType: "ci",
      entityId: id,
      payload: { changes: { incidentState: [from, to] } },
    });
  }
  return { changed: changes.length };
}

const relevant = (type: string, changes: Record<string, unknown> | undefined) => {
  if (type === "ci.updated") return !!changes && ("incidentManual" in changes || "deploymentStateId" in changes);
  if (type === "ticket.updated") return !!changes && ("state" in changes || "mergedIntoId" in changes);
  return true;
};

/** Runs the propagation after whatever can change an incident state: in the background, never on page load. */
export function incidentPropagationConsumer(_deps: Deps): Consumer {
  return {
    name: "cmdb-incident-propagation",
    // A new CI has no relations yet: its own state is set when it is created, so ci.created changes nothing here.
    events: [
      "ci.updated",
      "ci_relation.created",
      "ci_relation.deleted",
      "ci_redundancy_group.created",
      "ci_redundancy_group.deleted",
      "catalog_item.updated",
      "ticket.cis_changed",
      "ticket.updated",
    ],
    async handle(tx, event) {
      if (!relevant(event.type, event.payload.changes)) return;
      // Most tickets name no CI: their state changes cannot move an incident state.
      if (event.type === "ticket.updated" && (await affectedCiIds(tx, event.entityId)).length === 0) return;
      await propagateIncidentStates(tx);
    },
  };
}
