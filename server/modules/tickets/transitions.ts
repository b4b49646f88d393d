import type { Ticket, TransitionInput } from "../../../common/tickets.ts";
import { findTransition, nextStates, type Requirement, stateType, ticketNumber } from "../../../common/workflows.ts";
import { inTransaction, type Tx } from "../../db/database.ts";
import type { TicketRow } from "../../db/types.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { type FieldError, Forbidden, Invalid, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { canUpdateTicket, type TicketAccess } from "./policy.ts";
import { presentTicket } from "./presenters.ts";
import * as repo from "./repository.ts";
import { loadAccess, readableTicket, snapshot, systemEvent } from "./service.ts";
import { afterTicketChange } from "./sla.ts";

const REQUIREMENT_MESSAGE: Record<Requirement, string> = {
  reason: "say why the ticket is on hold",
  resolutionCode: "required to resolve",
  resolution: "describe the resolution",
  rootCause: "required for a known error",
  workaround: "required for a known error",
};

/** Checks and applies one workflow step to a locked ticket; returns the updated row. */
async function apply(
  tx: Tx,
  ctx: RequestContext,
  access: TicketAccess,
  row: TicketRow,
  watcherIds: string[],
  input: TransitionInput,
  now: Date,
): Promise<TicketRow> {
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
      resolved_at: toType === "resolved" ? now : toType === "closed" ? (row.resolved_at ?? now) : null,
      closed_at: toType === "closed" ? now : null,
      version: row.version + 1,
      updated_at: now,
    })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const changes = await recordChange(tx, ctx, {
    entityType: "ticket",
    entityId: row.id,
    action: "updated",
    before: snapshot(presentTicket(row, watcherIds, access)),
    after: snapshot(presentTicket(updated, watcherIds, access)),
  });
  await systemEvent(tx, ctx, row.id, changes, now);
  await afterTicketChange(tx, ctx, updated, now);
  return updated;
}

/**
 * Children follow their parent, and a problem's open incidents follow it to
 * resolved, where their own workflow has that step; the rest stay as they are.
 */
async function cascade(
  tx: Tx,
  ctx: RequestContext,
  access: TicketAccess,
  parent: TicketRow,
  input: TransitionInput,
  now: Date,
) {
  const followers = await repo.childrenOf(tx, parent.id);
  if (parent.type === "problem" && input.to === "resolved")
    followers.push(...(await repo.openIncidentsOfProblem(tx, parent.id)));
  const seen = new Set<string>();
  const by = ticketNumber(parent.type, parent.number);
  for (const t of followers) {
    if (seen.has(t.id) || !canUpdateTicket(access, t)) continue;
    seen.add(t.id);
    const step = findTransition(t.type, t.state, input.to);
    if (!step) continue;
    const watchers = (await repo.watchersOf(tx, [t.id])).get(t.id) ?? [];
    await apply(
      tx,
      ctx,
      access,
      t,
      watchers,
      {
        to: input.to,
        reason: input.reason,
        resolutionCode: input.resolutionCode ?? (step.requires?.includes("resolutionCode") ? "solved" : undefined),
        resolution: input.resolution ?? (step.requires?.includes("resolution") ? `Resolved with ${by}` : undefined),
        rootCause: input.rootCause,
        workaround: input.workaround,
      },
      now,
    );
  }
}

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
    const now = deps.now();
    const updated = await apply(tx, ctx, access, row, watcherIds, input, now);
    if (input.cascade) await cascade(tx, ctx, access, updated, input, now);
    return presentTicket(updated, watcherIds, access);
  });
}
