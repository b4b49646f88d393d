import { PERMISSIONS } from "../../../common/permissions.ts";
import { systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import * as repo from "./repository.ts";
import { transitionTicket } from "./transitions.ts";

/**
 * Closes tickets that stayed resolved (or fulfilled) longer than the
 * `tickets.autoCloseDays` setting (default 7; 0 turns it off), through the
 * normal workflow step, so audit, events and clocks follow. Returns how many.
 */
export async function autoClose(deps: Deps, batch = 500): Promise<number> {
  const days = Number((await repo.setting<number>(deps.db, "tickets.autoCloseDays")) ?? 7);
  if (!(days > 0)) return 0;
  const before = new Date(deps.now().getTime() - days * 86_400_000);
  const due = await deps.db
    .selectFrom("tickets")
    .select("id")
    .where("state_type", "=", "resolved")
    .where("resolved_at", "<", before)
    .where("merged_into_id", "is", null)
    .orderBy("resolved_at")
    .limit(batch)
    .execute();
  const ctx = systemContext(PERMISSIONS, "automation");
  let closed = 0;
  for (const { id } of due) {
    try {
      await transitionTicket(deps, ctx, id, { to: "closed" });
      closed++;
    } catch (error) {
      // Changed meanwhile (reopened by a reply): leave it.
      if (!(error instanceof AppError)) throw error;
    }
  }
  return closed;
}

export function autoCloseTask(deps: Deps) {
  return { name: "tickets-auto-close", cron: "17 * * * *", run: async () => void (await autoClose(deps)) };
}
