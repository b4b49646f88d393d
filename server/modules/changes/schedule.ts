import { sql } from "kysely";
import type { z } from "zod";
import {
  type BlackoutWindowCreateSchema,
  changeNumber,
  FINAL_CHANGE_STATES,
  type MaintenanceWindowCreateSchema,
} from "../../../common/changes.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { ciNames, findCiByRef, relationsAround, unreadableCis } from "../cmdb/index.ts";
import { userSummaries } from "../identity/index.ts";
import {
  type BlackoutWindow,
  type Conflict,
  findConflicts,
  isTimeZone,
  type MaintenanceWindow,
  occurrences,
  relatedWithin,
  validateWindow,
} from "./engine/index.ts";

// ---- maintenance and blackout windows ----

type MaintenanceRow = Awaited<ReturnType<typeof maintenanceRows>>[number];

function maintenanceRows(db: Executor) {
  return db.selectFrom("maintenance_windows").selectAll().orderBy("name").limit(5000).execute();
}

function presentMaintenance(r: MaintenanceRow) {
  return {
    id: r.id,
    name: r.name,
    ciIds: r.ci_ids,
    serviceIds: r.service_ids,
    start: r.starts_at?.toISOString() ?? null,
    end: r.ends_at?.toISOString() ?? null,
    rrule: r.rrule,
    dtstart: r.dtstart,
    durationMinutes: r.duration_minutes,
    timezone: r.timezone,
  };
}

function engineMaintenance(r: MaintenanceRow): MaintenanceWindow {
  const base = { id: r.id, name: r.name, ciIds: r.ci_ids, serviceIds: r.service_ids };
  if (r.rrule) {
    return {
      ...base,
      rrule: r.rrule,
      dtstart: r.dtstart ?? "",
      durationMinutes: r.duration_minutes ?? 0,
      timezone: r.timezone ?? "UTC",
    };
  }
  return { ...base, start: r.starts_at as Date, end: r.ends_at as Date };
}

export async function listMaintenanceWindows(deps: Deps) {
  return { items: (await maintenanceRows(deps.db)).map(presentMaintenance) };
}

export async function createMaintenanceWindow(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof MaintenanceWindowCreateSchema>,
) {
  if (input.timezone && !isTimeZone(input.timezone)) {
    throw new Invalid([{ field: "body.timezone", message: "not an IANA time zone" }]);
  }
  const errors = (await unreadableCis(deps.db, ctx.actor, [...input.ciIds, ...input.serviceIds])).map((i) => ({
    field: i < input.ciIds.length ? `body.ciIds.${i}` : `body.serviceIds.${i - input.ciIds.length}`,
    message: "no such configuration item",
  }));
  if (errors.length) throw new Invalid(errors);
  // The engine must be able to expand it: a bad rule is refused now, not at the next conflict check.
  const spec = input.rrule
    ? {
        rrule: input.rrule,
        dtstart: input.dtstart ?? "",
        durationMinutes: input.durationMinutes ?? 0,
        timezone: input.timezone ?? "",
      }
    : { start: input.start ?? "", end: input.end ?? "" };
  const problems = validateWindow(spec);
  if (problems.length)
    throw new Invalid(problems.map((message) => ({ field: input.rrule ? "body.rrule" : "body.start", message })));
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .insertInto("maintenance_windows")
      .values({
        name: input.name,
        ci_ids: input.ciIds,
        service_ids: input.serviceIds,
        starts_at: input.start ?? null,
        ends_at: input.end ?? null,
        rrule: input.rrule ?? null,
        dtstart: input.dtstart ?? null,
        duration_minutes: input.durationMinutes ?? null,
        timezone: input.timezone ?? null,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const window = presentMaintenance(row);
    await recordChange(tx, ctx, {
      entityType: "maintenance_window",
      entityId: row.id,
      action: "created",
      before: null,
      after: window,
    });
    return window;
  });
}

export async function deleteWindow(deps: Deps, ctx: RequestContext, kind: "maintenance" | "blackout", id: string) {
  const table = kind === "maintenance" ? "maintenance_windows" : "blackout_windows";
  await inTransaction(deps.db, async (tx) => {
    const gone = await tx.deleteFrom(table).where("id", "=", id).returning("name").executeTakeFirst();
    if (!gone) throw new NotFound(kind === "maintenance" ? "Maintenance window" : "Blackout window");
    await recordChange(tx, ctx, {
      entityType: `${kind}_window`,
      entityId: id,
      action: "deleted",
      before: { name: gone.name },
      after: null,
    });
  });
}

type BlackoutRow = Awaited<ReturnType<typeof blackoutRows>>[number];
function blackoutRows(db: Executor) {
  return db.selectFrom("blackout_windows").selectAll().orderBy("starts_at").limit(5000).execute();
}
const presentBlackout = (r: BlackoutRow) => ({
  id: r.id,
  name: r.name,
  serviceIds: r.service_ids,
  start: r.starts_at.toISOString(),
  end: r.ends_at.toISOString(),
});

export async function listBlackoutWindows(deps: Deps) {
  return { items: (await blackoutRows(deps.db)).map(presentBlackout) };
}

export async function createBlackoutWindow(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof BlackoutWindowCreateSchema>,
) {
  const errors = (await unreadableCis(deps.db, ctx.actor, input.serviceIds)).map((i) => ({
    field: `body.serviceIds.${i}`,
    message: "no such configuration item",
  }));
  if (errors.length) throw new Invalid(errors);
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .insertInto("blackout_windows")
      .values({
        name: input.name,
        service_ids: input.serviceIds,
        starts_at: input.start,
        ends_at: input.end,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const window = presentBlackout(row);
    await recordChange(tx, ctx, {
      entityType: "blackout_window",
      entityId: row.id,
      action: "created",
      before: null,
      after: window,
    });
    return window;
  });
}

// ---- conflicts ----

/** Windows loaded once for many changes (the calendar). */
interface Windows {
  maintenance: MaintenanceWindow[];
  blackouts: BlackoutWindow[];
}

async function loadWindows(db: Executor): Promise<Windows> {
  return {
    maintenance: (await maintenanceRows(db)).map(engineMaintenance),
    blackouts: (await blackoutRows(db)).map(
      (b): BlackoutWindow => ({
        id: b.id,
        name: b.name,
        serviceIds: b.service_ids,
        start: b.starts_at,
        end: b.ends_at,
      }),
    ),
  };
}

/**
 * The conflicts of a change's planned window, by the five rules (none while
 * it has no window). The services it hits are those of its last assessment
 * (kept on the change whenever its CIs change, and refreshed on submission).
 */
export async function conflictsOf(db: Executor, changeId: string, windows?: Windows): Promise<Conflict[]> {
  const change = await db.selectFrom("changes").selectAll().where("id", "=", changeId).executeTakeFirst();
  if (!change) throw new NotFound("Change");
  if (!change.planned_start || !change.planned_end) return [];
  const ciIds = (await db.selectFrom("change_cis").select("ci_id").where("change_id", "=", changeId).execute()).map(
    (r) => r.ci_id,
  );
  const others = await db
    .selectFrom("changes")
    .selectAll()
    .where("id", "<>", changeId)
    .where("state", "not in", [...FINAL_CHANGE_STATES, "draft"])
    .where("planned_start", "<", change.planned_end)
    .where("planned_end", ">", change.planned_start)
    .limit(1000)
    .execute();
  const otherCis = new Map<string, string[]>(others.map((o) => [o.id, []]));
  if (others.length) {
    const rows = await db
      .selectFrom("change_cis")
      .select(["change_id", "ci_id"])
      .where(
        "change_id",
        "in",
        others.map((o) => o.id),
      )
      .execute();
    for (const r of rows) otherCis.get(r.change_id)?.push(r.ci_id);
  }
  const relations = await relationsAround(db, ciIds, 2);
  const allCis = [
    ...new Set([...ciIds, ...[...otherCis.values()].flat(), ...relations.flatMap((r) => [r.from, r.to])]),
  ];
  const people = [change.assignee_id, ...others.map((o) => o.assignee_id)].filter((v): v is string => !!v);
  return findConflicts({
    change: {
      id: change.id,
      start: change.planned_start,
      end: change.planned_end,
      ciIds,
      serviceIds: change.service_ids,
      assigneeId: change.assignee_id,
    },
    otherChanges: others.map((o) => ({
      id: o.id,
      number: changeNumber(o.number),
      title: o.title,
      start: o.planned_start as Date,
      end: o.planned_end as Date,
      ciIds: otherCis.get(o.id) ?? [],
      assigneeId: o.assignee_id,
    })),
    relatedWithin2Hops: relatedWithin(relations, ciIds, 2),
    maintenanceWindows: (windows ?? (await loadWindows(db))).maintenance,
    blackoutWindows: (windows ?? (await loadWindows(db))).blackouts,
    ciNames: await ciNames(db, allCis),
    userNames: new Map((await userSummaries(db, [...new Set(people)])).map((u) => [u.id, u.name])),
  });
}

export async function changeConflicts(deps: Deps, ctx: RequestContext, id: string) {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Change");
  const change = await deps.db.selectFrom("changes").selectAll().where("id", "=", id).executeTakeFirst();
  if (!change) throw new NotFound("Change");
  const override =
    change.conflict_override && change.conflict_override_revision === change.plan_revision
      ? { reason: change.conflict_override, byId: change.conflict_override_by }
      : null;
  return { conflicts: await conflictsOf(deps.db, id), override };
}

/** The change owner accepts the current plan's conflicts, with a reason; a new plan needs a new override. */
export async function overrideConflicts(deps: Deps, ctx: RequestContext, id: string, reason: string) {
  await inTransaction(deps.db, async (tx) => {
    const change = await tx.selectFrom("changes").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!change || !can(ctx.actor, "change.read")) throw new NotFound("Change");
    if (change.owner_id !== ctx.actor.id) throw new Forbidden("Only the change owner overrides its conflicts");
    await tx
      .updateTable("changes")
      .set({
        conflict_override: reason,
        conflict_override_revision: change.plan_revision,
        conflict_override_by: ctx.actor.id,
        updated_at: deps.now(),
      })
      .where("id", "=", id)
      .execute();
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: id,
      action: "conflicts_overridden",
      before: null,
      after: { reason, planRevision: change.plan_revision },
    });
  });
  return changeConflicts(deps, ctx, id);
}

/** Conflicts stop authorization unless the owner overrode them for this plan. */
export async function blockingConflicts(
  db: Executor,
  change: {
    id: string;
    plan_revision: number;
    conflict_override: string | null;
    conflict_override_revision: number | null;
  },
) {
  if (change.conflict_override && change.conflict_override_revision === change.plan_revision) return [];
  return conflictsOf(db, change.id);
}

// ---- deployment gate ----

/**
 * `GET /changes/gate?ci=…&at=…`: may a pipeline deploy to this CI now? Only
 * when a scheduled or implementing change covers the CI and the instant.
 */
export async function gate(deps: Deps, ctx: RequestContext, query: { ci: string; at?: string | undefined }) {
  const ci = await findCiByRef(deps.db, query.ci);
  if (!ci || (await unreadableCis(deps.db, ctx.actor, [ci.id])).length) {
    throw new Invalid([{ field: "query.ci", message: "no single CI with this id, number or name" }]);
  }
  const at = query.at ? new Date(query.at) : deps.now();
  const change = await deps.db
    .selectFrom("changes")
    .innerJoin("change_cis", "change_cis.change_id", "changes.id")
    .select(["changes.id", "changes.number", "changes.state"])
    .where("change_cis.ci_id", "=", ci.id)
    .where("changes.state", "in", ["scheduled", "implementing"])
    .where("changes.planned_start", "<=", at)
    .where("changes.planned_end", ">", at)
    .orderBy("changes.planned_start")
    .executeTakeFirst();
  if (!change) {
    return { allowed: false, changeId: null, reason: `No authorized change covers ${ci.name} at ${at.toISOString()}` };
  }
  return {
    allowed: true,
    changeId: change.id,
    reason: `${changeNumber(change.number)} (${change.state}) covers ${ci.name} at ${at.toISOString()}`,
  };
}

// ---- calendar ----

const CALENDAR_LIMIT = 500;

/**
 * `GET /changes/calendar`: the changes whose planned window overlaps
 * [from, to) (at most 62 days), each with its conflicts, plus the maintenance
 * occurrences and blackout windows in the range.
 */
export async function changeCalendar(
  deps: Deps,
  ctx: RequestContext,
  query: {
    from: string;
    to: string;
    serviceId?: string | undefined;
    ciId?: string | undefined;
    groupId?: string | undefined;
    type?: "standard" | "normal" | "emergency" | undefined;
    state?: string[] | undefined;
  },
) {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Calendar");
  const from = new Date(query.from);
  const to = new Date(query.to);
  let q = deps.db.selectFrom("changes").selectAll().where("planned_start", "<", to).where("planned_end", ">", from);
  if (query.state) q = q.where("state", "in", query.state);
  if (query.type) q = q.where("type", "=", query.type);
  if (query.groupId) q = q.where("group_id", "=", query.groupId);
  if (query.ciId) {
    const ciId = query.ciId;
    q = q.where("id", "in", (eb) => eb.selectFrom("change_cis").select("change_id").where("ci_id", "=", ciId));
  }
  if (query.serviceId) {
    const serviceId = query.serviceId;
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`${serviceId}::uuid`, "=", eb.fn.any("service_ids")),
        eb("id", "in", eb.selectFrom("change_cis").select("change_id").where("ci_id", "=", serviceId)),
      ]),
    );
  }
  const rows = await q
    .orderBy("planned_start")
    .orderBy("id")
    .limit(CALENDAR_LIMIT + 1)
    .execute();
  const truncated = rows.length > CALENDAR_LIMIT;
  const windows = await loadWindows(deps.db);
  const changes = [];
  for (const r of rows.slice(0, CALENDAR_LIMIT)) {
    const open = !FINAL_CHANGE_STATES.includes(r.state as (typeof FINAL_CHANGE_STATES)[number]);
    changes.push({
      id: r.id,
      number: changeNumber(r.number),
      title: r.title,
      type: r.type,
      state: r.state as (typeof FINAL_CHANGE_STATES)[number],
      riskLevel: r.risk_level,
      groupId: r.group_id,
      assigneeId: r.assignee_id,
      start: (r.planned_start as Date).toISOString(),
      end: (r.planned_end as Date).toISOString(),
      conflicts: open ? await conflictsOf(deps.db, r.id, windows) : [],
      overridden: !!r.conflict_override && r.conflict_override_revision === r.plan_revision,
    });
  }
  const about = query.ciId ?? query.serviceId;
  const maintenance = (await maintenanceRows(deps.db))
    .filter((w) => !about || w.ci_ids.includes(about) || w.service_ids.includes(about))
    .flatMap((w) =>
      occurrences(engineMaintenance(w), from, to)
        .slice(0, 500)
        .map((o) => ({ windowId: w.id, name: w.name, start: o.start.toISOString(), end: o.end.toISOString() })),
    )
    .sort((a, b) => a.start.localeCompare(b.start))
    .slice(0, 2000);
  const blackouts = (await blackoutRows(deps.db))
    .filter((b) => b.starts_at < to && b.ends_at > from)
    .filter((b) => !query.serviceId || b.service_ids.length === 0 || b.service_ids.includes(query.serviceId))
    .map((b) => ({
      windowId: b.id,
      name: b.name,
      start: b.starts_at.toISOString(),
      end: b.ends_at.toISOString(),
      global: b.service_ids.length === 0,
    }));
  return { changes, maintenance, blackouts, truncated };
}
