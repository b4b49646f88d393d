import { sql } from "kysely";
import type { z } from "zod";
import type { ApproverSetCreateSchema, ApproverSetUpdateSchema, ChangeState } from "../../../common/changes.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { expectedVersion } from "../../platform/versioning.ts";
import { servicesHitBy } from "../cmdb/index.ts";
import { activeMembersOf, userSummaries } from "../identity/index.ts";
import { blockingConflicts } from "./schedule.ts";
import type { ChangeRow } from "./service.ts";
import { checkApprovers, findCabTemplate } from "./templates.ts";

type SetRow = Awaited<ReturnType<typeof activeSets>>[number];

export interface RequiredSet {
  id: string;
  name: string;
  rule: "all" | "any" | "majority" | "at_least";
  atLeast: number | null;
  /** Who may decide for this set on this change: members, without the requester and the owner. */
  eligible: string[];
  /** Added to this change from a CAB template, not matched by a rule. */
  changeOnly: boolean;
}

/** The rules, and the sets added to this change alone. */
function activeSets(db: Executor, changeId: string) {
  return db
    .selectFrom("change_approver_sets")
    .selectAll()
    .where("active", "=", true)
    .where((eb) => eb.or([eb("change_id", "is", null), eb("change_id", "=", changeId)]))
    .orderBy("name")
    .execute();
}

function presentSet(r: SetRow) {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    types: r.types as ("standard" | "normal" | "emergency")[],
    serviceIds: r.service_ids,
    riskLevels: r.risk_levels as ("low" | "medium" | "high" | "very_high")[],
    userIds: r.user_ids,
    groupIds: r.group_ids,
    rule: r.rule,
    atLeast: r.at_least,
    active: r.active,
  };
}

/**
 * The CAB a change needs: the active rules whose type matches (a rule without
 * types is for normal changes; emergency changes take only rules naming
 * emergency), whose risk levels, if any, include the change's, and whose
 * services, if any, include one the change's CIs are or hit downstream; plus
 * the sets added to this change from CAB templates.
 */
export async function requiredSets(db: Executor, change: ChangeRow, ciIds: readonly string[]): Promise<RequiredSet[]> {
  const sets = await activeSets(db, change.id);
  let services: Set<string> | null = null;
  const out: RequiredSet[] = [];
  for (const s of sets) {
    const types = s.types.length ? s.types : ["normal"];
    const rule = s.change_id === null;
    if (rule && !types.includes(change.type)) continue;
    if (rule && s.risk_levels.length && !s.risk_levels.includes(change.risk_level)) continue;
    if (rule && s.service_ids.length) {
      services ??= new Set(await servicesHitBy(db, ciIds));
      if (!s.service_ids.some((id) => services?.has(id))) continue;
    }
    const members = new Set([...s.user_ids, ...(await activeMembersOf(db, s.group_ids))]);
    const active = new Set(
      (await userSummaries(db, [...members])).filter((u) => u.active && u.kind === "agent").map((u) => u.id),
    );
    // Segregation of duties: nobody decides on their own change.
    const eligible = [...active].filter((id) => id !== change.requested_by && id !== change.owner_id).sort();
    out.push({ id: s.id, name: s.name, rule: s.rule, atLeast: s.at_least, eligible, changeOnly: !rule });
  }
  return out;
}

type Decision = { approver_id: string; decision: "approve" | "reject" };

/** approved, rejected (it can no longer be approved), or waiting. */
export function setStatus(set: RequiredSet, decisions: readonly Decision[]) {
  const mine = decisions.filter((d) => set.eligible.includes(d.approver_id));
  const approvals = mine.filter((d) => d.decision === "approve").length;
  const rejections = mine.length - approvals;
  const e = set.eligible.length;
  const need =
    set.rule === "all"
      ? e
      : set.rule === "any"
        ? 1
        : set.rule === "majority"
          ? Math.floor(e / 2) + 1
          : (set.atLeast ?? e);
  const status: "approved" | "rejected" | "waiting" =
    approvals >= need && e > 0 ? "approved" : e - rejections < need ? "rejected" : "waiting";
  return { approvals, rejections, status };
}

function currentDecisions(db: Executor, change: ChangeRow) {
  return db
    .selectFrom("change_approvals")
    .selectAll()
    .where("change_id", "=", change.id)
    .where("plan_revision", "=", change.plan_revision)
    .where("withdrawn_at", "is", null)
    .orderBy("created_at")
    .execute();
}

export async function eligibleToDecide(db: Executor, userId: string, change: ChangeRow, ciIds: readonly string[]) {
  if (change.state !== "authorization") return false;
  const sets = await requiredSets(db, change, ciIds);
  if (!sets.some((s) => s.eligible.includes(userId))) return false;
  const decided = (await currentDecisions(db, change)).some((d) => d.approver_id === userId);
  return !decided;
}

/** A new plan makes earlier decisions lapse; returns how many did. */
export async function withdrawApprovals(tx: Tx, change: ChangeRow, now: Date): Promise<number> {
  const r = await tx
    .updateTable("change_approvals")
    .set({ withdrawn_at: now })
    .where("change_id", "=", change.id)
    .where("withdrawn_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

async function ciIdsOfChange(db: Executor, id: string) {
  return (await db.selectFrom("change_cis").select("ci_id").where("change_id", "=", id).execute()).map((r) => r.ci_id);
}

export async function changeApprovals(deps: Deps, ctx: RequestContext, id: string) {
  const change = await deps.db.selectFrom("changes").selectAll().where("id", "=", id).executeTakeFirst();
  if (!change || !ctx.actor.permissions.has("change.read")) throw new NotFound("Change");
  const ciIds = await ciIdsOfChange(deps.db, id);
  const sets = await requiredSets(deps.db, change, ciIds);
  const current = await currentDecisions(deps.db, change);
  const all = await deps.db
    .selectFrom("change_approvals")
    .selectAll()
    .where("change_id", "=", id)
    .orderBy("created_at")
    .limit(1000)
    .execute();
  const people = new Set([...all.map((a) => a.approver_id), ...sets.flatMap((s) => s.eligible)]);
  const names = new Map((await userSummaries(deps.db, [...people])).map((u) => [u.id, u.name]));
  const decided = new Map(current.map((d) => [d.approver_id, d.decision]));
  return {
    sets: sets.map((s) => ({
      id: s.id,
      name: s.name,
      rule: s.rule,
      atLeast: s.atLeast,
      eligible: s.eligible.length,
      changeOnly: s.changeOnly,
      approvers: s.eligible
        .map((uid) => ({ id: uid, name: names.get(uid) ?? "", decision: decided.get(uid) ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      ...setStatus(s, current),
    })),
    decisions: all.map((a) => ({
      id: a.id,
      approverId: a.approver_id,
      approverName: names.get(a.approver_id) ?? "",
      decision: a.decision,
      comment: a.comment,
      planRevision: a.plan_revision,
      withdrawn: a.withdrawn_at !== null,
      createdAt: a.created_at.toISOString(),
    })),
  };
}

/**
 * An approver's decision on the current plan. The requester and the owner are
 * refused (and the refusal audited); so is anyone outside the required sets, a
 * second decision on the same plan, and a change that is not waiting for its
 * CAB. When every set has approved, the change is scheduled; when a set can no
 * longer approve, it is rejected.
 */
export async function decide(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: { decision: "approve" | "reject"; comment: string },
) {
  const refuse = async (reason: string, conflict: boolean) => {
    await inTransaction(deps.db, (tx) =>
      appendAudit(tx, ctx, {
        action: "change.approval_refused",
        entityType: "change",
        entityId: id,
        changes: { decision: [null, input.decision], reason: [null, reason] },
      }),
    );
    return conflict ? new Conflict(reason, [{ field: "conflicts", message: reason }]) : new Forbidden(reason);
  };
  const outcome = await inTransaction(deps.db, async (tx) => {
    const change = await tx.selectFrom("changes").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!change || !ctx.actor.permissions.has("change.read")) throw new NotFound("Change");
    if (change.state !== "authorization") {
      throw new Conflict(`The change is ${change.state.replace("_", " ")}, not waiting for approval`, [
        { field: "body.decision", message: "not waiting for approval" },
      ]);
    }
    if (ctx.actor.id === change.requested_by || ctx.actor.id === change.owner_id)
      return { refused: "Nobody approves their own change" };
    const ciIds = await ciIdsOfChange(tx, id);
    const sets = await requiredSets(tx, change, ciIds);
    if (!sets.some((s) => s.eligible.includes(ctx.actor.id)))
      return { refused: "You are not an approver of this change" };
    if (input.decision === "approve") {
      // The schedule may have filled up since the change was submitted.
      const conflicts = await blockingConflicts(tx, change);
      if (conflicts.length) {
        return {
          conflict: true,
          refused: `The change has schedule conflicts now (${conflicts.map((c) => c.message).join("; ")}): the owner resolves or overrides them first`,
        };
      }
    }
    const current = await currentDecisions(tx, change);
    if (current.some((d) => d.approver_id === ctx.actor.id)) {
      throw new Conflict("You have decided on this plan already", [
        { field: "body.decision", message: "already decided" },
      ]);
    }
    const now = deps.now();
    const row = await tx
      .insertInto("change_approvals")
      .values({
        change_id: id,
        approver_id: ctx.actor.id,
        decision: input.decision,
        comment: input.comment,
        plan_revision: change.plan_revision,
        change_version: change.version,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(tx, ctx, {
      entityType: "change_approval",
      entityId: row.id,
      action: "created",
      before: null,
      // What they saw: the version of the change and of its plan.
      after: {
        changeId: id,
        decision: input.decision,
        comment: input.comment,
        planRevision: change.plan_revision,
        changeVersion: change.version,
      },
    });
    const decisions = [...current, row];
    const statuses = sets.map((s) => setStatus(s, decisions).status);
    let to: ChangeState | null = null;
    if (statuses.includes("rejected")) to = "rejected";
    else if (statuses.every((s) => s === "approved")) to = "scheduled";
    if (to) {
      await tx
        .updateTable("changes")
        .set({ state: to, version: change.version + 1, updated_at: now })
        .where("id", "=", id)
        .execute();
      await recordChange(tx, ctx, {
        entityType: "change",
        entityId: id,
        action: "updated",
        before: { state: change.state },
        after: { state: to, by: "cab" },
      });
    }
    return { refused: null };
  });
  if (outcome.refused) throw await refuse(outcome.refused, "conflict" in outcome);
  return changeApprovals(deps, ctx, id);
}

/** Changes waiting for my decision on their current plan. */
export async function myApprovals(deps: Deps, ctx: RequestContext) {
  if (!ctx.actor.permissions.has("change.read")) return [];
  const waiting = await deps.db
    .selectFrom("changes")
    .selectAll()
    .where("state", "=", "authorization")
    .orderBy(sql`planned_start nulls last`)
    .limit(500)
    .execute();
  const mine: typeof waiting = [];
  for (const c of waiting) {
    if (await eligibleToDecide(deps.db, ctx.actor.id, c, await ciIdsOfChange(deps.db, c.id))) mine.push(c);
  }
  return mine;
}

// ---- approver sets ----

async function uniqueSetName(tx: Tx, name: string, selfId?: string) {
  const clash = await tx
    .selectFrom("change_approver_sets")
    .select("id")
    .where("change_id", "is", null)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
  if (clash && clash.id !== selfId)
    throw new Conflict("An approver set has this name", [{ field: "body.name", message: "already in use" }]);
}

export async function listApproverSets(deps: Deps) {
  const rows = await deps.db
    .selectFrom("change_approver_sets")
    .selectAll()
    .where("change_id", "is", null)
    .orderBy("name")
    .limit(500)
    .execute();
  return { items: rows.map(presentSet) };
}

export async function createApproverSet(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof ApproverSetCreateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const errors = await checkApprovers(tx, input);
    if (errors.length) throw new Invalid(errors);
    await uniqueSetName(tx, input.name);
    const row = await tx
      .insertInto("change_approver_sets")
      .values({
        name: input.name,
        types: input.types,
        service_ids: input.serviceIds,
        risk_levels: input.riskLevels,
        user_ids: input.userIds,
        group_ids: input.groupIds,
        rule: input.rule,
        at_least: input.atLeast ?? null,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const set = presentSet(row);
    await recordChange(tx, ctx, {
      entityType: "change_approver_set",
      entityId: row.id,
      action: "created",
      before: null,
      after: set,
    });
    return set;
  });
}

export async function updateApproverSet(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof ApproverSetUpdateSchema>,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .selectFrom("change_approver_sets")
      .selectAll()
      .where("id", "=", id)
      .where("change_id", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFound("Approver set");
    if (row.version !== expected) throw new StaleVersion("The approver set", row.version);
    const errors = await checkApprovers(tx, input);
    const before = presentSet(row);
    const next = {
      name: input.name ?? before.name,
      types: input.types ?? before.types,
      serviceIds: input.serviceIds ?? before.serviceIds,
      riskLevels: input.riskLevels ?? before.riskLevels,
      userIds: input.userIds ?? before.userIds,
      groupIds: input.groupIds ?? before.groupIds,
      rule: input.rule ?? before.rule,
      atLeast: input.atLeast !== undefined ? input.atLeast : before.atLeast,
      active: input.active ?? before.active,
    };
    if ((next.rule === "at_least") !== (next.atLeast !== null))
      errors.push({ field: "body.atLeast", message: "at_least takes atLeast (and only it does)" });
    if (next.userIds.length + next.groupIds.length === 0)
      errors.push({ field: "body.userIds", message: "name approvers" });
    if (errors.length) throw new Invalid(errors);
    if (input.name) await uniqueSetName(tx, input.name, id);
    const updated = await tx
      .updateTable("change_approver_sets")
      .set({
        name: next.name,
        types: next.types,
        service_ids: next.serviceIds,
        risk_levels: next.riskLevels,
        user_ids: next.userIds,
        group_ids: next.groupIds,
        rule: next.rule,
        at_least: next.atLeast,
        active: next.active,
        version: row.version + 1,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentSet(updated);
    await recordChange(tx, ctx, { entityType: "change_approver_set", entityId: id, action: "updated", before, after });
    return after;
  });
}

/** Boards can be added to a change until its CAB has decided. */
const CAB_EDITABLE: readonly string[] = ["draft", "assessment", "authorization"];

/** The owner (or an editor of changes) adds a board to this change from a CAB template. */
export async function addCab(deps: Deps, ctx: RequestContext, changeId: string, templateId: string) {
  await inTransaction(deps.db, async (tx) => {
    const change = await tx.selectFrom("changes").selectAll().where("id", "=", changeId).forUpdate().executeTakeFirst();
    if (!change || !ctx.actor.permissions.has("change.read")) throw new NotFound("Change");
    if (!CAB_EDITABLE.includes(change.state))
      throw new Conflict(`The change is ${change.state.replace("_", " ")}; its CAB is settled`, [
        { field: "body.templateId", message: "CAB settled" },
      ]);
    const t = await findCabTemplate(tx, templateId);
    if (!t) throw new Invalid([{ field: "body.templateId", message: "no such CAB template" }]);
    const already = await tx
      .selectFrom("change_approver_sets")
      .select("id")
      .where("change_id", "=", changeId)
      .where("name", "=", t.name)
      .executeTakeFirst();
    if (already)
      throw new Conflict("This board is on the change already", [
        { field: "body.templateId", message: "added already" },
      ]);
    const row = await tx
      .insertInto("change_approver_sets")
      .values({
        name: t.name,
        change_id: changeId,
        user_ids: t.user_ids,
        group_ids: t.group_ids,
        rule: t.rule,
        at_least: t.at_least,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: changeId,
      action: "cab_added",
      before: null,
      after: { setId: row.id, templateId, name: t.name, userIds: t.user_ids, groupIds: t.group_ids, rule: t.rule },
    });
  });
  return changeApprovals(deps, ctx, changeId);
}

export async function removeCab(deps: Deps, ctx: RequestContext, changeId: string, setId: string) {
  await inTransaction(deps.db, async (tx) => {
    const change = await tx.selectFrom("changes").selectAll().where("id", "=", changeId).forUpdate().executeTakeFirst();
    if (!change || !ctx.actor.permissions.has("change.read")) throw new NotFound("Change");
    if (!CAB_EDITABLE.includes(change.state))
      throw new Conflict(`The change is ${change.state.replace("_", " ")}; its CAB is settled`);
    const set = await tx
      .selectFrom("change_approver_sets")
      .selectAll()
      .where("id", "=", setId)
      .where("change_id", "=", changeId)
      .executeTakeFirst();
    if (!set) throw new NotFound("Board");
    await tx.deleteFrom("change_approver_sets").where("id", "=", setId).execute();
    await recordChange(tx, ctx, {
      entityType: "change",
      entityId: changeId,
      action: "cab_removed",
      before: { setId, name: set.name },
      after: null,
    });
  });
  return changeApprovals(deps, ctx, changeId);
}
