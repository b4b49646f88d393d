import type {
  Organization,
  OrganizationCreate,
  OrganizationListQuery,
  OrganizationUpdate,
} from "../../../common/identity.ts";
import { inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { page } from "../../platform/pagination.ts";
import { changedOnly, expectedVersion } from "../../platform/versioning.ts";
import { canReadOrganization, canUpdateOrganization, visibleOrganizations } from "./policy.ts";
import { presentOrganization } from "./presenters.ts";
import * as repo from "./repository.ts";

const nameTaken = () =>
  new Conflict("An organization with this name already exists", [{ field: "body.name", message: "already in use" }]);

export async function listOrganizations(deps: Deps, ctx: RequestContext, query: OrganizationListQuery) {
  const rows = await repo.listOrganizations(deps.db, { ...query, visible: visibleOrganizations(ctx.actor) as never });
  const result = page(rows, query.limit, (r) => [r.name, r.id]);
  return { items: result.items.map((r) => presentOrganization(r, ctx.actor)), nextCursor: result.nextCursor };
}

export async function getOrganization(deps: Deps, ctx: RequestContext, id: string): Promise<Organization> {
  const row = await repo.findOrganization(deps.db, id);
  if (!row || !canReadOrganization(ctx.actor, row)) throw new NotFound("Organization");
  return presentOrganization(row, ctx.actor);
}

export async function createOrganization(
  deps: Deps,
  ctx: RequestContext,
  input: OrganizationCreate,
): Promise<Organization> {
  return inTransaction(deps.db, async (tx) => {
    if (await repo.organizationNameTaken(tx, input.name)) throw nameTaken();
    const row = await tx
      .insertInto("organizations")
      .values({
        name: input.name,
        domains: [...new Set(input.domains ?? [])],
        tickets_shared: input.ticketsShared ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const org = presentOrganization(row, ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "organization",
      entityId: row.id,
      action: "created",
      before: null,
      after: org,
    });
    return org;
  });
}

export async function updateOrganization(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: OrganizationUpdate,
  ifMatch?: number,
): Promise<Organization> {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await repo.findOrganization(tx, id, true);
    if (!row || !canReadOrganization(ctx.actor, row)) throw new NotFound("Organization");
    if (!canUpdateOrganization(ctx.actor)) throw new Forbidden("You may not edit this organization");
    if (row.version !== expected) throw new StaleVersion("Organization", row.version);
    if (input.name && (await repo.organizationNameTaken(tx, input.name, id))) throw nameTaken();
    const before = presentOrganization(row, ctx.actor);
    const set = changedOnly(row, {
      name: input.name,
      domains: input.domains ? [...new Set(input.domains)] : undefined,
      tickets_shared: input.ticketsShared,
      active: input.active,
    });
    if (Object.keys(set).length === 0) return before;
    const updated = await tx
      .updateTable("organizations")
      .set({
        ...set,
        version: row.version + 1,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentOrganization(updated, ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "organization",
      entityId: id,
      action: "updated",
      before,
      after,
    });
    return after;
  });
}
