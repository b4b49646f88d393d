import type { Executor, Tx } from "../db/database.ts";
import { appendAudit, type Changes, diff } from "./audit.ts";
import type { RequestContext } from "./context.ts";

/** An event as consumers see it: `resource.past_tense` with one coalesced diff. */
export interface DomainEvent {
  id: string;
  type: string;
  entityType: string;
  entityId: string;
  payload: { changes?: Changes; [key: string]: unknown };
  actorId: string | null;
  requestId: string | null;
  source: string;
  createdAt: Date;
}

/** Writes an event into the outbox, inside the caller's transaction. */
export async function recordEvent(
  tx: Executor,
  ctx: RequestContext,
  event: { type: string; entityType: string; entityId: string; payload: DomainEvent["payload"] },
): Promise<void> {
  await tx
    .insertInto("outbox")
    .values({
      type: event.type,
      entity_type: event.entityType,
      entity_id: event.entityId,
      payload: JSON.stringify(event.payload),
      actor_id: ctx.actor.via === "system" ? null : ctx.actor.id,
      request_id: ctx.requestId,
      source: ctx.source,
    })
    .execute();
}

/**
 * The one way a use case records a change: an audit row and an outbox event
 * (`<entity>.<action>`) with the same diff, in the same transaction. A no-op
 * update (empty diff) records nothing.
 */
export async function recordChange(
  tx: Tx,
  ctx: RequestContext,
  change: {
    entityType: string;
    entityId: string;
    action: "created" | "updated" | "deleted" | (string & {});
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  },
): Promise<Changes> {
  const changes = diff(change.before, change.after);
  if (change.action === "updated" && Object.keys(changes).length === 0) return changes;
  await appendAudit(tx, ctx, {
    action: `${change.entityType}.${change.action}`,
    entityType: change.entityType,
    entityId: change.entityId,
    changes,
  });
  await recordEvent(tx, ctx, {
    type: `${change.entityType}.${change.action}`,
    entityType: change.entityType,
    entityId: change.entityId,
    payload: { changes },
  });
  return changes;
}
