import type { Ticket, TransitionInput } from "../../../common/tickets.ts";
import { findTransition, nextStates, type Requirement, stateType } from "../../../common/workflows.ts";
import { inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { type FieldError, Forbidden, Invalid, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { canUpdateTicket } from "./policy.ts";
import { presentTicket } from "./presenters.ts";
import { loadAccess, readableTicket, snapshot, systemEvent } from "./service.ts";
import { afterTicketChange } from "./sla.ts";

const REQUIREMENT_MESSAGE: Record<Requirement, string> = {
  reason: "say why the ticket is on hold",
  resolutionCode: "required to resolve",
  resolution: "describe the resolution",
  rootCause: "required for a known error",
  workaround: "required for a known error",
};

/** Moves a ticket along its workflow; the fields the target state requires must come with it. */
export async function transitionTicket(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: TransitionInput,
): Promise<Ticket> {
  return inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, ctx.actor);
    const { row, watcherIds } = await readableTicket(tx, access, id, true);
    if (!canUpdateTicket(access, row)) throw new Forbidden("This ticket cannot be changed by you (or any more)");
    if (input.version !== undefined && input.version !== row.version) throw new StaleVersion("Ticket", row.version);
    const transition = findTransition(row.type, row.state, input.to);
    if (!transition) {
      const allowed = nextStates(row.type, row.state).map((t) => t.to);
      throw new Invalid(
        [
          {
            field: "body.to",
            message: `cannot go from ${row.state} to ${input.to}; allowed: ${allowed.join(", ") || "none"}`,
          },
        ],
        "This state change is not part of the workflow",
      );
    }
    const missing: FieldError[] = (transition.requires ?? [])
      .filter((r) => input[r] === undefined)
      .map((r) => ({ field: `body.${r}`, message: REQUIREMENT_MESSAGE[r] }));
    if (missing.length) throw new Invalid(missing, `Moving to ${input.to} needs more information`);

    const now = deps.now();
    const toType = stateType(row.type, input.to) ?? "open";
    const updated = await tx
      .updateTable("tickets")
      .set({
        state: input.to,
        state_type: toType,
        hold_reason: toType === "pending" ? (input.reason ?? null) : null,
        ...(input.resolutionCode !== undefined ? { resolution_code: input.resolutionCode } : {}),
        ...(input.resolution !== undefined ? { resolution: input.resolution } : {}),
        ...(input.rootCause !== undefined ? { root_cause: input.rootCause } : {}),
        ...(input.workaround !== undefined ? { workaround: input.workaround } : {}),
        resolved_at: toType === "resolved" ? now : toType === "closed" ? row.resolved_at : null,
        closed_at: toType === "closed" ? now : null,
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const before = presentTicket(row, watcherIds, access);
    const after = presentTicket(updated, watcherIds, access);
    const changes = await recordChange(tx, ctx, {
      entityType: "ticket",
      entityId: id,
      action: "updated",
      before: snapshot(before),
      after: snapshot(after),
    });
    await systemEvent(tx, ctx, id, changes, now);
    await afterTicketChange(tx, ctx, updated, now);
    return after;
  });
}
