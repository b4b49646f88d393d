import type { Executor } from "../../db/database.ts";
import type { FieldError } from "../../platform/errors.ts";
import { groupSummary, organizationSummary, userSummaries } from "../identity/index.ts";
import * as repo from "./repository.ts";

export interface References {
  requesterId?: string | null | undefined;
  organizationId?: string | null | undefined;
  groupId?: string | undefined;
  assigneeId?: string | null | undefined;
  categoryId?: string | null | undefined;
  watcherIds?: string[] | undefined;
  problemId?: string | null | undefined;
}

/** Every id a ticket write refers to must exist and fit; each miss names its field. */
export async function checkReferences(db: Executor, input: References): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const userIds = [input.requesterId, input.assigneeId, ...(input.watcherIds ?? [])].filter((v): v is string => !!v);
  const users = new Map((await userSummaries(db, [...new Set(userIds)])).map((u) => [u.id, u]));
  if (input.requesterId && !users.get(input.requesterId)?.active) {
    errors.push({ field: "body.requesterId", message: "no such active user" });
  }
  if (input.assigneeId) {
    const a = users.get(input.assigneeId);
    if (!a?.active || a.kind !== "agent") errors.push({ field: "body.assigneeId", message: "must be an active agent" });
  }
  const missingWatchers = (input.watcherIds ?? []).filter((id) => !users.get(id)?.active);
  if (missingWatchers.length)
    errors.push({ field: "body.watcherIds", message: `no such active user: ${missingWatchers.join(", ")}` });
  if (input.organizationId && !(await organizationSummary(db, input.organizationId))) {
    errors.push({ field: "body.organizationId", message: "no such organization" });
  }
  if (input.groupId) {
    const g = await groupSummary(db, input.groupId);
    if (!g?.active) errors.push({ field: "body.groupId", message: "no such active group" });
  }
  if (input.categoryId && !(await repo.findCategory(db, input.categoryId))?.active) {
    errors.push({ field: "body.categoryId", message: "no such active category" });
  }
  if (input.problemId) {
    const p = await repo.findTicket(db, input.problemId);
    if (p?.type !== "problem") errors.push({ field: "body.problemId", message: "must be a problem" });
  }
  return errors;
}

/** The requester's organization, when the caller names a requester but no organization. */
export async function organizationOf(db: Executor, userId: string): Promise<string | null> {
  const [u] = await userSummaries(db, [userId]);
  return u?.organization_id ?? null;
}
