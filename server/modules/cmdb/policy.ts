import type { Executor } from "../../db/database.ts";
import { type Actor, can } from "../../platform/context.ts";
import { activeGroupIdsOf } from "../identity/index.ts";

/**
 * Who sees which configuration items. The CMDB is for agents with `cmdb.read`;
 * a class limited to agent groups is seen only by their members (and
 * administrators). Editing CIs and relations takes `cmdb.manage` on top;
 * classes, catalog lists and relation types take `cmdb.admin`.
 */
export interface CmdbAccess {
  actor: Actor;
  groupIds: ReadonlySet<string>;
}

export async function loadCmdbAccess(db: Executor, actor: Actor): Promise<CmdbAccess> {
  if (actor.kind !== "agent" || actor.admin) return { actor, groupIds: new Set() };
  return { actor, groupIds: new Set(await activeGroupIdsOf(db, actor.id)) };
}

export function canSeeClass(access: CmdbAccess, cls: { group_ids: readonly string[] }): boolean {
  const { actor } = access;
  if (!can(actor, "cmdb.read") || actor.kind !== "agent") return false;
  if (actor.admin || cls.group_ids.length === 0) return true;
  return cls.group_ids.some((g) => access.groupIds.has(g));
}

export function canEditInClass(access: CmdbAccess, cls: { group_ids: readonly string[] }): boolean {
  return canSeeClass(access, cls) && can(access.actor, "cmdb.manage");
}

/** The ids of the classes the caller sees, for list queries. */
export async function visibleClassIds(db: Executor, access: CmdbAccess): Promise<string[]> {
  const classes = await db.selectFrom("ci_classes").select(["id", "group_ids"]).execute();
  return classes.filter((c) => canSeeClass(access, c)).map((c) => c.id);
}
