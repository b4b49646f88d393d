import { type SqlBool, sql } from "kysely";
import type { SlaPolicy, SlaPolicyCreate, SlaPolicyUpdate } from "../../../common/sla-policies.ts";
import { type BreachActions, DEFAULT_PAUSE_ON } from "../../../common/sla-policies.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import { type Actor, can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { changedOnly, expectedVersion } from "../../platform/versioning.ts";
import { groupSummary } from "../identity/index.ts";
import type { BusinessCalendar } from "./calendar.ts";
import { businessCalendar } from "./calendar-service.ts";
import type { PauseRule, Targets } from "./clocks.ts";

interface PolicyRow {
  id: string;
  version: number;
  name: string;
  calendar_id: string;
  position: number;
  match: unknown;
  targets: unknown;
  warning_percent: number;
  pause_on: unknown;
  breach_actions: unknown;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export function presentPolicy(row: PolicyRow, actor: Actor): SlaPolicy {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    calendarId: row.calendar_id,
    order: row.position,
    match: row.match as SlaPolicy["match"],
    targets: row.targets as SlaPolicy["targets"],
    warningPercent: row.warning_percent,
    pauseOn: row.pause_on as SlaPolicy["pauseOn"],
    breachActions: (row.breach_actions ?? {}) as SlaPolicy["breachActions"],
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: { update: can(actor, "sla.manage") },
  };
}

const nameTaken = () =>
  new Conflict("An SLA policy with this name exists", [{ field: "body.name", message: "already in use" }]);

async function checkGroups(db: Executor, actions: BreachActions | undefined) {
  for (const [target, action] of Object.entries(actions ?? {})) {
    if (action?.groupId && !(await groupSummary(db, action.groupId))?.active) {
      throw new Invalid([{ field: `body.breachActions.${target}.groupId`, message: "no such active group" }]);
    }
  }
}

async function checkServices(deps: Deps, db: Executor, match: { serviceIds?: string[] | undefined } | undefined) {
  for (const [i, id] of (match?.serviceIds ?? []).entries()) {
    if (!(await deps.lookups.isBusinessService(db, id))) {
      throw new Invalid([{ field: `body.match.serviceIds.${i}`, message: "not a business service" }]);
    }
  }
}

async function checkCalendar(db: Executor, id: string | undefined) {
  if (!id) return;
  const row = await db.selectFrom("calendars").select("id").where("id", "=", id).executeTakeFirst();
  if (!row) throw new Invalid([{ field: "body.calendarId", message: "no such calendar" }]);
}

async function taken(db: Executor, name: string, exceptId?: string) {
  let q = db
    .selectFrom("sla_policies")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** In match order; keyset on (position, id). */
export async function listPolicies(
  deps: Deps,
  ctx: RequestContext,
  query: { limit: number; cursor?: string | undefined },
) {
  let q = deps.db.selectFrom("sla_policies").selectAll();
  if (query.cursor) {
    const [position, id] = decodeCursor(query.cursor, ["number", "string"]) as [number, string];
    if (!/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
    q = q.where(sql<SqlBool>`(position, id) > (${position}, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy("position")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const result = page(rows, query.limit, (r) => [r.position, r.id]);
  return { items: result.items.map((r) => presentPolicy(r, ctx.actor)), nextCursor: result.nextCursor };
}

export async function getPolicy(deps: Deps, ctx: RequestContext, id: string) {
  const row = await deps.db.selectFrom("sla_policies").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFound("SLA policy");
  return presentPolicy(row, ctx.actor);
}

export async function createPolicy(deps: Deps, ctx: RequestContext, input: SlaPolicyCreate) {
  return inTransaction(deps.db, async (tx) => {
    await checkCalendar(tx, input.calendarId);
    await checkGroups(tx, input.breachActions);
    await checkServices(deps, tx, input.match);
    if (await taken(tx, input.name)) throw nameTaken();
    const row = await tx
      .insertInto("sla_policies")
      .values({
        name: input.name,
        calendar_id: input.calendarId,
        position: input.order,
        match: JSON.stringify(input.match),
        targets: JSON.stringify(input.targets),
        warning_percent: input.warningPercent,
        pause_on: JSON.stringify(input.pauseOn ?? DEFAULT_PAUSE_ON),
        breach_actions: JSON.stringify(input.breachActions),
        active: input.active,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const policy = presentPolicy(row, ctx.actor);
    await recordChange(tx, ctx, {
      entityType: "sla_policy",
      entityId: row.id,
      action: "created",
      before: null,
      after: policy,
    });
    return policy;
  });
}

export async function updatePolicy(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: SlaPolicyUpdate,
  ifMatch?: number,
) {
  const expected = expectedVersion(input.version, ifMatch);
  if (!can(ctx.actor, "sla.manage")) throw new Forbidden();
  return inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("sla_policies").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound("SLA policy");
    if (row.version !== expected) throw new StaleVersion("SLA policy", row.version);
    await checkCalendar(tx, input.calendarId);
    await checkGroups(tx, input.breachActions);
    await checkServices(deps, tx, input.match);
    if (input.name && (await taken(tx, input.name, id))) throw nameTaken();
    const before = presentPolicy(row, ctx.actor);
    const set = changedOnly(
      {
        ...row,
        match: JSON.stringify(row.match),
        targets: JSON.stringify(row.targets),
        pause_on: JSON.stringify(row.pause_on),
      },
      {
        name: input.name,
        calendar_id: input.calendarId,
        position: input.order,
        match: input.match ? JSON.stringify(input.match) : undefined,
        targets: input.targets ? JSON.stringify(input.targets) : undefined,
        warning_percent: input.warningPercent,
        pause_on: input.pauseOn ? JSON.stringify(input.pauseOn) : undefined,
        breach_actions: input.breachActions ? JSON.stringify(input.breachActions) : undefined,
        active: input.active,
      },
    );
    if (Object.keys(set).length === 0) return before;
    const updated = await tx
      .updateTable("sla_policies")
      .set({ ...set, version: row.version + 1, updated_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentPolicy(updated, ctx.actor);
    await recordChange(tx, ctx, { entityType: "sla_policy", entityId: id, action: "updated", before, after });
    return after;
  });
}

/** What a ticket's clocks need from its policy. */
export interface MatchedPolicy {
  id: string;
  name: string;
  calendarId: string;
  targets: Targets;
  warningPercent: number;
  pauseOn: PauseRule[];
  breachActions: BreachActions;
}

export interface TicketFactsForSla {
  type: string;
  priority: string;
  organizationId: string | null;
  categoryId: string | null;
  /** The CIs and services the ticket affects. */
  ciIds: readonly string[];
}

/** The first active policy, in order, whose every stated condition the ticket meets. */
export async function matchPolicy(db: Executor, t: TicketFactsForSla): Promise<MatchedPolicy | null> {
  const rows = await db
    .selectFrom("sla_policies")
    .selectAll()
    .where("active", "=", true)
    .orderBy("position")
    .orderBy("id")
    .execute();
  for (const row of rows) {
    const m = row.match as {
      types?: string[];
      priorities?: string[];
      organizationIds?: string[];
      categoryIds?: string[];
      serviceIds?: string[];
    };
    if (m.types && !m.types.includes(t.type)) continue;
    if (m.priorities && !m.priorities.includes(t.priority)) continue;
    if (m.organizationIds && !(t.organizationId && m.organizationIds.includes(t.organizationId))) continue;
    if (m.categoryIds && !(t.categoryId && m.categoryIds.includes(t.categoryId))) continue;
    if (m.serviceIds && !m.serviceIds.some((id) => t.ciIds.includes(id))) continue;
    return {
      id: row.id,
      name: row.name,
      calendarId: row.calendar_id,
      targets: row.targets as Targets,
      warningPercent: row.warning_percent,
      pauseOn: row.pause_on as PauseRule[],
      breachActions: (row.breach_actions ?? {}) as BreachActions,
    };
  }
  return null;
}

/** The matched policy and its compiled calendar. */
export async function slaFor(
  db: Executor,
  t: TicketFactsForSla,
): Promise<{ policy: MatchedPolicy; calendar: BusinessCalendar } | null> {
  const policy = await matchPolicy(db, t);
  if (!policy) return null;
  const calendar = await businessCalendar(db, policy.calendarId);
  return calendar ? { policy, calendar } : null;
}
