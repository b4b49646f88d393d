import type { Group, GroupCreate, GroupListQuery, GroupUpdate } from "../../../common/identity.ts";
import { inTransaction, type Tx } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, type FieldError, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { page } from "../../platform/pagination.ts";
import { changedOnly, expectedVersion, sameMembers } from "../../platform/versioning.ts";
import { canReadGroup, canUpdateGroup } from "./policy.ts";
import { presentGroup } from "./presenters.ts";
import * as repo from "./repository.ts";

const nameTaken = () =>
  new Conflict("A group with this name already exists", [{ field: "body.name", message: "already in use" }]);

async function checkLinks(tx: Tx, memberIds?: string[], roleIds?: string[]): Promise<void> {
  const errors: FieldError[] = [];
  const strangers = await repo.notAgents(tx, memberIds ?? []);
  if (strangers.length) errors.push({ field: "body.memberIds", message: `not an agent: ${strangers.join(", ")}` });
  const missing = await repo.missingRoleIds(tx, roleIds ?? []);
  if (missing.length) errors.push({ field: "body.roleIds", message: `no such role: ${missing.join(", ")}` });
  if (errors.length) throw new Invalid(errors);
}

export async function listGroups(deps: Deps, ctx: RequestContext, query: GroupListQuery) {
  if (!canReadGroup(ctx.actor)) return { items: [], nextCursor: null };
  const rows = await repo.listGroups(deps.db, query);
  const result = page(rows, query.limit, (r) => [r.name, r.id]);
  const links = await repo.groupLinks(
    deps.db,
    result.items.map((r) => r.id),
  );
  return {
    items: result.items.map((r) =>
      presentGroup(r, links.members.get(r.id) ?? [], links.roles.get(r.id) ?? [], ctx.actor),
    ),
    nextCursor: result.nextCursor,
  };
}

export async function getGroup(deps: Deps, ctx: RequestContext, id: string): Promise<Group> {
  const row = await repo.findGroup(deps.db, id);
  if (!row || !canReadGroup(ctx.actor)) throw new NotFound("Group");
  const links = await repo.groupLinks(deps.db, [id]);
  return presentGroup(row, links.members.get(id) ?? [], links.roles.get(id) ?? [], ctx.actor);
}

export async function createGroup(deps: Deps, ctx: RequestContext, input: GroupCreate): Promise<Group> {
  const memberIds = [...new Set(input.memberIds ?? [])].sort();
  const roleIds = [...new Set(input.roleIds ?? [])].sort();
  return inTransaction(deps.db, async (tx) => {
    await checkLinks(tx, memberIds, roleIds);
    if (await repo.groupNameTaken(tx, input.name)) throw nameTaken();
    const row = await tx
      .insertInto("groups")
      .values({ name: input.name, description: input.description ?? "", signature: input.signature ?? "" })
      .returningAll()
      .executeTakeFirstOrThrow();
    await repo.setGroupLinks(tx, row.id, memberIds, roleIds);
    const group = presentGroup(row, memberIds, roleIds, ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "group",
      entityId: row.id,
      action: "created",
      before: null,
      after: group,
    });
    return group;
  });
}

export async function updateGroup(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: GroupUpdate,
  ifMatch?: number,
): Promise<Group> {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await repo.findGroup(tx, id, true);
    if (!row || !canReadGroup(ctx.actor)) throw new NotFound("Group");
    if (!canUpdateGroup(ctx.actor)) throw new Forbidden("You may not edit this group");
    if (row.version !== expected) throw new StaleVersion("Group", row.version);
    const memberIds = input.memberIds ? [...new Set(input.memberIds)].sort() : undefined;
    const roleIds = input.roleIds ? [...new Set(input.roleIds)].sort() : undefined;
    await checkLinks(tx, memberIds, roleIds);
    if (input.name && (await repo.groupNameTaken(tx, input.name, id))) throw nameTaken();
    const links = await repo.groupLinks(tx, [id]);
    const before = presentGroup(row, links.members.get(id) ?? [], links.roles.get(id) ?? [], ctx.actor);
    const set = changedOnly(row, {
      name: input.name,
      description: input.description,
      signature: input.signature,
      active: input.active,
    });
    const membersChanged = memberIds !== undefined && !sameMembers(memberIds, before.memberIds);
    const rolesChanged = roleIds !== undefined && !sameMembers(roleIds, before.roleIds);
    if (Object.keys(set).length === 0 && !membersChanged && !rolesChanged) return before;
    const updated = await tx
      .updateTable("groups")
      .set({
        ...set,
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await repo.setGroupLinks(tx, id, memberIds, roleIds);
    const after = presentGroup(updated, memberIds ?? before.memberIds, roleIds ?? before.roleIds, ctx.actor);
    await recordChange(tx, ctx, { entityType: "group", entityId: id, action: "updated", before, after });
    return after;
  });
}
