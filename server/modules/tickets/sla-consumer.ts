import type { Deps } from "../../platform/deps.ts";
import type { Consumer } from "../../platform/jobs.ts";

/**
 * When an SLA policy or a calendar changes, every open ticket's clocks must be
 * recomputed from its own history. This consumer marks them due now; the
 * escalation scan recomputes them (and announces what the change crossed).
 */
export function slaRecomputeConsumer(deps: Deps): Consumer {
  return {
    name: "tickets-sla-recompute",
    events: ["sla_policy.created", "sla_policy.updated", "calendar.updated"],
    async handle(tx) {
      await tx
        .updateTable("tickets")
        .set({ escalation_at: deps.now() })
        .where("state_type", "in", ["new", "open", "pending"])
        .where("merged_into_id", "is", null)
        .execute();
    },
  };
}
