import type { TicketSla } from "../../../common/sla-policies.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { loadAccess, readableTicket } from "./service.ts";
import { clocksOf } from "./sla.ts";

/** `GET /tickets/{id}/sla`: the clocks as of now, with the moments that explain them. */
export async function ticketSla(deps: Deps, ctx: RequestContext, id: string): Promise<TicketSla> {
  const access = await loadAccess(deps.db, ctx.actor);
  const { row } = await readableTicket(deps.db, access, id);
  const now = deps.now();
  const { policy, calendar, clocks } = await clocksOf(deps.db, row, now);
  return {
    policyId: policy?.id ?? null,
    policyName: policy?.name ?? null,
    calendar,
    clocks: clocks.map((c) => ({
      target: c.target,
      status: c.status,
      targetMinutes: c.targetMinutes,
      dueAt: c.dueAt?.toISOString() ?? null,
      warningAt: c.warningAt?.toISOString() ?? null,
      elapsedMinutes: c.elapsedMinutes,
      remainingMinutes: c.remainingMinutes,
      warned: c.status === "breached" || (c.status === "running" && c.warningAt !== null && c.warningAt <= now),
      events: c.events.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        ...(e.detail ? { detail: e.detail } : {}),
      })),
    })),
  };
}
