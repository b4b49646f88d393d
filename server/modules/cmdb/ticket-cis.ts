import { inTransaction } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { sameMembers } from "../../platform/versioning.ts";
import { affectedCiIds, changeAffectedCis, editableTicket, readableTicketSummaries } from "../tickets/index.ts";
import { ciNumber, readableCi } from "./cis.ts";
import { loadCmdbAccess, visibleClassIds } from "./policy.ts";

/** The CIs and services a ticket affects, those the caller may see. */
export async function listTicketCis(deps: Deps, ctx: RequestContext, ticketId: string) {
  const [ticket] = await readableTicketSummaries(deps.db, ctx.actor, [ticketId]);
  if (!ticket) throw new NotFound("Ticket");
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  const classes = await visibleClassIds(deps.db, access);
  if (classes.length === 0) return { items: [] };
  const linked = await affectedCiIds(deps.db, ticketId);
  if (linked.length === 0) return { items: [] };
  const rows = await deps.db
    .selectFrom("cis")
    .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
    .select(["cis.id", "cis.number", "cis.name", "cis.class_id", "cis.incident_state", "ci_classes.name as class_name"])
    .where("cis.id", "in", linked)
    .where("cis.class_id", "in", classes)
    .orderBy("cis.name")
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: ciNumber(r.number),
      name: r.name,
      classId: r.class_id,
      className: r.class_name,
      incidentState: r.incident_state,
    })),
  };
}

/**
 * Replaces a ticket's affected CIs. CIs the caller cannot see stay linked as
 * they are (another agent may have added them); only visible ones change.
 */
export async function setTicketCis(deps: Deps, ctx: RequestContext, ticketId: string, ciIds: string[]) {
  if (!can(ctx.actor, "cmdb.read")) throw new Forbidden("Linking CIs takes the right to read the CMDB");
  await inTransaction(deps.db, async (tx) => {
    await editableTicket(tx, ctx.actor, ticketId, true);
    const access = await loadCmdbAccess(tx, ctx.actor);
    const wanted = [...new Set(ciIds)];
    for (const [i, id] of wanted.entries()) {
      try {
        await readableCi(tx, access, id);
      } catch (e) {
        if (e instanceof NotFound)
          throw new Invalid([{ field: `body.ciIds.${i}`, message: "no such configuration item" }]);
        throw e;
      }
    }
    const classes = new Set(await visibleClassIds(tx, access));
    const linked = await affectedCiIds(tx, ticketId);
    const current = linked.length
      ? await tx.selectFrom("cis").select(["id", "class_id"]).where("id", "in", linked).execute()
      : [];
    const visibleNow = current.filter((c) => classes.has(c.class_id)).map((c) => c.id);
    if (sameMembers(visibleNow, wanted)) return;
    await changeAffectedCis(
      tx,
      ctx,
      ticketId,
      {
        before: linked,
        add: wanted.filter((id) => !visibleNow.includes(id)),
        remove: visibleNow.filter((id) => !wanted.includes(id)),
      },
      deps.now(),
    );
  });
  return listTicketCis(deps, ctx, ticketId);
}
