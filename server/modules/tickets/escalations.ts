import { PERMISSIONS } from "../../../common/permissions.ts";
import { inTransaction } from "../../db/database.ts";
import { systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { announce, refreshSla } from "./sla.ts";

/**
 * The escalation scan: tickets whose stored `escalation_at` has come are
 * recomputed; clocks that crossed their warning or due time are announced
 * once. Locks what it takes (SKIP LOCKED), so any number of workers may run it.
 * Returns how many tickets it looked at.
 */
export async function escalateDue(deps: Deps, batch = 100): Promise<number> {
  const now = deps.now();
  return inTransaction(deps.db, async (tx) => {
    const due = await tx
      .selectFrom("tickets")
      .selectAll()
      .where("escalation_at", "<=", now)
      .orderBy("escalation_at")
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    const ctx = systemContext(PERMISSIONS, "system");
    for (const t of due) {
      const crossed = await refreshSla(tx, t, now);
      await announce(tx, ctx, t, crossed, now);
    }
    return due.length;
  });
}

export function escalationPoller(deps: Deps) {
  return { name: "sla-escalations", everyMs: 5_000, run: () => escalateDue(deps) };
}
