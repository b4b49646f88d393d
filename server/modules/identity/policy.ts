import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import { type Actor, can } from "../../platform/context.ts";

/**
 * Who may see and change identity records. Pure functions of the actor and
 * the record; the `visible*` conditions are the same rules as SQL for lists.
 */

const ALL = sql<SqlBool>`true`;
const NONE = sql<SqlBool>`false`;

interface UserLike {
  id: string;
  admin: boolean;
}
interface OrganizationLike {
  id: string;
}

// ---- users ----
export function canReadUser(actor: Actor, user: UserLike): boolean {
  if (!can(actor, "user.read")) return false;
  return actor.kind === "agent" || user.id === actor.id;
}

export function visibleUsers(actor: Actor) {
  return (eb: ExpressionBuilder<DB, "users">): Expression<SqlBool> => {
    if (!can(actor, "user.read")) return NONE;
    if (actor.kind === "agent") return ALL;
    return eb("users.id", "=", actor.id);
  };
}

/** Agents with `user.update` edit users; only administrators touch administrators. */
export function canUpdateUser(actor: Actor, user: UserLike): boolean {
  if (actor.kind !== "agent" || !can(actor, "user.update")) return false;
  return actor.admin || !user.admin;
}

export function canGrantAdmin(actor: Actor): boolean {
  return actor.admin;
}

// ---- organizations ----
export function canReadOrganization(actor: Actor, org: OrganizationLike): boolean {
  if (!can(actor, "organization.read")) return false;
  return actor.kind === "agent" || org.id === actor.organizationId;
}

export function visibleOrganizations(actor: Actor) {
  return (eb: ExpressionBuilder<DB, "organizations">): Expression<SqlBool> => {
    if (!can(actor, "organization.read")) return NONE;
    if (actor.kind === "agent") return ALL;
    // A customer without an organization sees none; `= null` matches nothing.
    return eb("organizations.id", "=", actor.organizationId ?? "00000000-0000-0000-0000-000000000000");
  };
}

export function canUpdateOrganization(actor: Actor): boolean {
  return actor.kind === "agent" && can(actor, "organization.update");
}

// ---- groups (agent teams) ----
export function canReadGroup(actor: Actor): boolean {
  return actor.kind === "agent" && can(actor, "group.read");
}

export function canUpdateGroup(actor: Actor): boolean {
  return actor.kind === "agent" && can(actor, "group.update");
}
