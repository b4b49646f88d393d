import type { AuditEntry, AuditQuery } from "../../../common/identity.ts";
import type { Deps } from "../../platform/deps.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";

/** Audit rows are read by holders of `audit.read` (administrators by default); the log is append-only. */
export async function listAudit(
  deps: Deps,
  query: AuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  let q = deps.db.selectFrom("audit_log").selectAll();
  if (query.entityType) q = q.where("entity_type", "=", query.entityType);
  if (query.entityId) q = q.where("entity_id", "=", query.entityId);
  if (query.actorId) q = q.where("actor_id", "=", query.actorId);
  if (query.cursor) {
    const [id] = decodeCursor(query.cursor, ["string"]) as [string];
    if (!/^\d{1,19}$/.test(id)) decodeCursor("", ["string"]);
    q = q.where("id", "<", id);
  }
  const rows = await q
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const result = page(rows, query.limit, (r) => [String(r.id)]);
  return {
    items: result.items.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actorId: r.actor_id,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      changes: (r.changes ?? {}) as AuditEntry["changes"],
      requestId: r.request_id,
      source: r.source,
    })),
    nextCursor: result.nextCursor,
  };
}
