import type { Group, Organization, User } from "../../../common/identity.ts";
import type { GroupRow, OrganizationRow, UserRow } from "../../db/types.ts";
import type { Actor } from "../../platform/context.ts";
import { canUpdateGroup, canUpdateOrganization, canUpdateUser } from "./policy.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentUser(row: UserRow, roleIds: string[], actor: Actor): User {
  return {
    id: row.id,
    version: row.version,
    email: row.email,
    name: row.name,
    kind: row.kind,
    admin: row.admin,
    active: row.active,
    organizationId: row.organization_id,
    roleIds,
    lastLoginAt: iso(row.last_login_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: { update: canUpdateUser(actor, row) },
  };
}

export function presentOrganization(row: OrganizationRow, actor: Actor): Organization {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    domains: row.domains,
    ticketsShared: row.tickets_shared,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: { update: canUpdateOrganization(actor) },
  };
}

export function presentGroup(row: GroupRow, memberIds: string[], roleIds: string[], actor: Actor): Group {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    description: row.description,
    signature: row.signature,
    active: row.active,
    memberIds,
    roleIds,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: { update: canUpdateGroup(actor) },
  };
}
