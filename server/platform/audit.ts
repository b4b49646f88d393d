import type { Executor } from "../db/database.ts";
import type { RequestContext } from "./context.ts";

export type Changes = Record<string, [unknown, unknown]>;

const REDACTED = new Set(["password", "passwordHash", "password_hash", "token", "tokenHash", "token_hash"]);

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : false;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields that differ between two snapshots, as `{field: [before, after]}`; secrets are masked. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Changes = {};
  for (const key of keys) {
    if (key === "version" || key === "updatedAt" || key === "createdAt" || key === "abilities") continue;
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (same(a, b)) continue;
    changes[key] = REDACTED.has(key) ? ["[redacted]", "[redacted]"] : [a, b];
  }
  return changes;
}

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string;
  changes: Changes;
}

/** Appends one audit row in the caller's transaction. */
export async function appendAudit(tx: Executor, ctx: RequestContext, input: AuditInput): Promise<void> {
  await tx
    .insertInto("audit_log")
    .values({
      actor_id: ctx.actor.via === "system" ? null : ctx.actor.id,
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId,
      changes: JSON.stringify(input.changes),
      request_id: ctx.requestId,
      source: ctx.source,
    })
    .execute();
}

/** Appends many audit rows at once (bulk work such as discovery), in the caller's transaction. */
export async function appendAuditMany(tx: Executor, ctx: RequestContext, inputs: readonly AuditInput[]): Promise<void> {
  for (let i = 0; i < inputs.length; i += 1000) {
    await tx
      .insertInto("audit_log")
      .values(
        inputs.slice(i, i + 1000).map((input) => ({
          actor_id: ctx.actor.via === "system" ? null : ctx.actor.id,
          action: input.action,
          entity_type: input.entityType,
          entity_id: input.entityId,
          changes: JSON.stringify(input.changes),
          request_id: ctx.requestId,
          source: ctx.source,
        })),
      )
      .execute();
  }
}
