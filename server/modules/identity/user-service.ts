import type { User, UserCreate, UserListQuery, UserUpdate } from "../../../common/identity.ts";
import { inTransaction, type Tx } from "../../db/database.ts";
import type { UserRow } from "../../db/types.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, type FieldError, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { page } from "../../platform/pagination.ts";
import { hashPassword } from "../../platform/secrets.ts";
import { changedOnly, expectedVersion, sameMembers } from "../../platform/versioning.ts";
import { canGrantAdmin, canReadUser, canUpdateUser, visibleUsers } from "./policy.ts";
import { presentUser } from "./presenters.ts";
import * as repo from "./repository.ts";

export const DEFAULT_AGENT_ROLE = "Agent";

export async function listUsers(deps: Deps, ctx: RequestContext, query: UserListQuery) {
  const rows = await repo.listUsers(deps.db, { ...query, visible: visibleUsers(ctx.actor) as never });
  const result = page(rows, query.limit, (r) => [r.name, r.id]);
  const roles = await repo.roleIdsOfUsers(
    deps.db,
    result.items.map((r) => r.id),
  );
  return {
    items: result.items.map((r) => presentUser(r, roles.get(r.id) ?? [], ctx.actor)),
    nextCursor: result.nextCursor,
  };
}

async function readable(deps: Deps, ctx: RequestContext, id: string, tx?: Tx): Promise<UserRow> {
  const row = await repo.findUser(tx ?? deps.db, id, tx !== undefined);
  if (!row || !canReadUser(ctx.actor, row)) throw new NotFound("User");
  return row;
}

export async function getUser(deps: Deps, ctx: RequestContext, id: string): Promise<User> {
  const row = await readable(deps, ctx, id);
  const roles = await repo.roleIdsOfUsers(deps.db, [id]);
  return presentUser(row, roles.get(id) ?? [], ctx.actor);
}

async function checkReferences(
  tx: Tx,
  input: { kind: "agent" | "customer"; organizationId?: string | null | undefined; roleIds?: string[] | undefined },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.organizationId) {
    const org = await repo.findOrganization(tx, input.organizationId);
    if (!org) errors.push({ field: "body.organizationId", message: "no such organization" });
  }
  if (input.roleIds?.length) {
    if (input.kind === "customer") errors.push({ field: "body.roleIds", message: "customers do not take roles" });
    const missing = await repo.missingRoleIds(tx, input.roleIds);
    if (missing.length) errors.push({ field: "body.roleIds", message: `no such role: ${missing.join(", ")}` });
  }
  return errors;
}

export async function createUser(deps: Deps, ctx: RequestContext, input: UserCreate): Promise<User> {
  if (input.admin && !canGrantAdmin(ctx.actor)) throw new Forbidden("Only administrators can create administrators");
  const errors: FieldError[] = [];
  if (input.admin && input.kind === "customer")
    errors.push({ field: "body.admin", message: "customers cannot be administrators" });
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return inTransaction(deps.db, async (tx) => {
    errors.push(...(await checkReferences(tx, input)));
    if (errors.length) throw new Invalid(errors);
    if (await repo.emailTaken(tx, input.email)) {
      throw new Conflict("A user with this e-mail already exists", [
        { field: "body.email", message: "already in use" },
      ]);
    }
    const row = await tx
      .insertInto("users")
      .values({
        email: input.email,
        name: input.name,
        kind: input.kind,
        admin: input.admin ?? false,
        organization_id: input.organizationId ?? null,
        password_hash: passwordHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    let roleIds = input.roleIds ? [...new Set(input.roleIds)] : [];
    if (input.roleIds === undefined && input.kind === "agent") {
      const role = await repo.builtinRoleByName(tx, DEFAULT_AGENT_ROLE);
      if (role) roleIds = [role.id];
    }
    await repo.setUserRoles(tx, row.id, roleIds);
    const user = presentUser(row, roleIds.sort(), ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "user",
      entityId: row.id,
      action: "created",
      before: null,
      after: { ...user, password: passwordHash ? "set" : null },
    });
    return user;
  });
}

export async function updateUser(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: UserUpdate,
  ifMatch?: number,
): Promise<User> {
  const expected = expectedVersion(input.version, ifMatch);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return inTransaction(deps.db, async (tx) => {
    const row = await readable(deps, ctx, id, tx);
    if (!canUpdateUser(ctx.actor, row)) throw new Forbidden("You may not edit this user");
    if (input.admin !== undefined && input.admin !== row.admin && !canGrantAdmin(ctx.actor)) {
      throw new Forbidden("Only administrators can grant or remove administration");
    }
    if (row.version !== expected) {
      throw new StaleVersion("User", row.version);
    }
    const errors: FieldError[] = [];
    if (id === ctx.actor.id && input.active === false)
      errors.push({ field: "body.active", message: "you cannot deactivate yourself" });
    if (id === ctx.actor.id && input.admin === false && row.admin) {
      errors.push({ field: "body.admin", message: "you cannot remove your own administration" });
    }
    if (input.admin && row.kind === "customer")
      errors.push({ field: "body.admin", message: "customers cannot be administrators" });
    errors.push(
      ...(await checkReferences(tx, { kind: row.kind, organizationId: input.organizationId, roleIds: input.roleIds })),
    );
    if (errors.length) throw new Invalid(errors);
    if (input.email && input.email !== row.email && (await repo.emailTaken(tx, input.email, id))) {
      throw new Conflict("A user with this e-mail already exists", [
        { field: "body.email", message: "already in use" },
      ]);
    }

    const beforeRoles = (await repo.roleIdsOfUsers(tx, [id])).get(id) ?? [];
    const before = presentUser(row, beforeRoles, ctx.actor);
    const set = changedOnly(row, {
      email: input.email,
      name: input.name,
      organization_id: input.organizationId,
      admin: input.admin,
      active: input.active,
    });
    const rolesChanged = input.roleIds !== undefined && !sameMembers(input.roleIds, beforeRoles);
    if (Object.keys(set).length === 0 && !passwordHash && !rolesChanged) return before;
    const updated = await tx
      .updateTable("users")
      .set({
        ...set,
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const roleIds = input.roleIds ? [...new Set(input.roleIds)].sort() : beforeRoles;
    if (input.roleIds) await repo.setUserRoles(tx, id, roleIds);
    // A deactivated user or a new password ends every open session.
    if (input.active === false || passwordHash) await repo.deleteSessionsOfUser(tx, id);
    const after = presentUser(updated, roleIds, ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "user",
      entityId: id,
      action: "updated",
      before,
      after: passwordHash ? { ...after, password: "changed" } : after,
    });
    return after;
  });
}
