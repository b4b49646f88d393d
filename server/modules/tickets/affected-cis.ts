import type { Executor, Tx } from "../../db/database.ts";
import type { Actor, RequestContext } from "../../platform/context.ts";
import { recordChange } from "../../platform/events.ts";
import * as repo from "./repository.ts";
import { readableTicketSummaries } from "./service.ts";
import { afterTicketChange } from "./sla.ts";

/**
 * The configuration items a ticket affects: the tickets module keeps the link;
 * the CMDB checks the CIs and asks through these functions, so neither module
 * reads the other's tables.
 */

const OPEN = ["new", "open", "pending"] as const;

export async function affectedCiIds(db: Executor, ticketId: string): Promise<string[]> {
  const rows = await db.selectFrom("ticket_cis").select("ci_id").where("ticket_id", "=", ticketId).execute();
  return rows.map((r) => r.ci_id);
}

/** Adds and removes links (the caller has checked the ticket and the CIs), with an audit row and event. */
export async function changeAffectedCis(
  tx: Tx,
  ctx: RequestContext,
  ticketId: string,
  change: { before: string[]; add: string[]; remove: string[] },
  now: Date,
): Promise<void> {
  if (change.add.length === 0 && change.remove.length === 0) return;
  if (change.remove.length) {
    await tx.deleteFrom("ticket_cis").where("ticket_id", "=", ticketId).where("ci_id", "in", change.remove).execute();
  }
  if (change.add.length) {
    await tx
      .insertInto("ticket_cis")
      .values(change.add.map((ci_id) => ({ ticket_id: ticketId, ci_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const after = [...change.before.filter((id) => !change.remove.includes(id)), ...change.add].sort();
  await recordChange(tx, ctx, {
    entityType: "ticket",
    entityId: ticketId,
    action: "cis_changed",
    before: { ciIds: [...change.before].sort() },
    after: { ciIds: after },
  });
  // A service may bring another SLA policy: the clocks follow at once.
  const row = await repo.findTicket(tx, ticketId, true);
  if (row) await afterTicketChange(tx, ctx, row, now);
}

/** CIs named by an open incident ticket (they are in incident when productive). */
export async function ciIdsWithOpenIncidents(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom("ticket_cis")
    .innerJoin("tickets", "tickets.id", "ticket_cis.ticket_id")
    .select("ticket_cis.ci_id")
    .distinct()
    .where("tickets.type", "=", "incident")
    .where("tickets.state_type", "in", OPEN)
    .where("tickets.merged_into_id", "is", null)
    .execute();
  return rows.map((r) => r.ci_id);
}

/** Open tickets on any of these CIs that the actor may read. */
export async function openTicketsOnCis(db: Executor, actor: Actor, ciIds: readonly string[]) {
  const ids = new Set<string>();
  for (let i = 0; i < ciIds.length; i += 5000) {
    const rows = await db
      .selectFrom("ticket_cis")
      .innerJoin("tickets", "tickets.id", "ticket_cis.ticket_id")
      .select("tickets.id")
      .distinct()
      .where("ticket_cis.ci_id", "in", ciIds.slice(i, i + 5000))
      .where("tickets.state_type", "in", OPEN)
      .limit(5000)
      .execute();
    for (const r of rows) ids.add(r.id);
  }
  return readableTicketSummaries(db, actor, [...ids]);
}

/**
 * Incidents opened on these CIs in [from, to): for change reviews and reports
 * (which change was followed by incidents). No visibility filter: the caller
 * filters what it lists with readableTicketSummaries.
 */
export async function incidentsOnCis(db: Executor, ciIds: readonly string[], from: Date, to: Date) {
  const out: { id: string; ciId: string; createdAt: Date }[] = [];
  for (let i = 0; i < ciIds.length; i += 5000) {
    const rows = await db
      .selectFrom("ticket_cis")
      .innerJoin("tickets", "tickets.id", "ticket_cis.ticket_id")
      .select(["tickets.id", "ticket_cis.ci_id", "tickets.created_at"])
      .where("ticket_cis.ci_id", "in", ciIds.slice(i, i + 5000))
      .where("tickets.type", "=", "incident")
      .where("tickets.created_at", ">=", from)
      .where("tickets.created_at", "<", to)
      .limit(20_000)
      .execute();
    for (const r of rows) out.push({ id: r.id, ciId: r.ci_id, createdAt: r.created_at });
  }
  return out;
}
