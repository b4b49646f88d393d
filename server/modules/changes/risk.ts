import type { z } from "zod";
import type { Assessment, ChangeSettings, ChangeSettingsUpdateSchema } from "../../../common/changes.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { StoredRisk } from "../../db/types.ts";
import { can, type RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { expectedVersion } from "../../platform/versioning.ts";
import { ciRefs, downstreamServices, unreadableCis } from "../cmdb/index.ts";
import { organizationSummaries } from "../identity/index.ts";
import { assessRisk } from "./engine/index.ts";

const KEY = "changes.settings";

export async function changeSettings(db: Executor): Promise<ChangeSettings> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  if (!row) throw new Error("changes.settings is missing: run the migrations");
  const value = (typeof row.value === "string" ? JSON.parse(row.value) : row.value) as ChangeSettings;
  return value;
}

export async function updateChangeSettings(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof ChangeSettingsUpdateSchema>,
  ifMatch: number | undefined,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    await tx.selectFrom("settings").select("key").where("key", "=", KEY).forUpdate().execute();
    const before = await changeSettings(tx);
    if (before.version !== expected) throw new StaleVersion("The change settings", before.version);
    const after: ChangeSettings = {
      version: before.version + 1,
      riskQuestions: input.riskQuestions,
      riskThresholds: input.riskThresholds,
      reviewWindowHours: input.reviewWindowHours,
    };
    await tx
      .updateTable("settings")
      .set({ value: JSON.stringify(after), updated_at: deps.now() })
      .where("key", "=", KEY)
      .execute();
    await recordChange(tx, ctx, {
      entityType: "change_settings",
      entityId: "default",
      action: "updated",
      before: { ...before },
      after: { ...after },
    });
    return after;
  });
}

interface RiskInputs {
  type: "standard" | "normal" | "emergency";
  ciIds: readonly string[];
  riskAnswers: Readonly<Record<string, boolean>>;
  outage: { kind: "none" | "partial" | "full"; minutes?: number | undefined };
}

/** Risk and impact of a change as planned; `serviceIds` for storing, the rest for showing. */
async function evaluate(db: Executor, input: RiskInputs) {
  const settings = await changeSettings(db);
  const hit = await downstreamServices(db, input.ciIds);
  const risk = assessRisk(
    { questions: settings.riskQuestions, thresholds: settings.riskThresholds },
    {
      type: input.type,
      answers: input.riskAnswers,
      outage: input.outage,
      services: hit.serviceIds.length,
      organizations: hit.organizationIds.length,
    },
  );
  return { risk, hit, settings };
}

/** Answers naming no question of the current questionnaire. */
export async function unknownAnswers(db: Executor, answers: Readonly<Record<string, boolean>>) {
  const ids = new Set((await changeSettings(db)).riskQuestions.map((q) => q.id));
  return Object.keys(answers).filter((k) => !ids.has(k));
}

/** Re-assesses a change's risk and services from its current data and stores them. */
export async function refreshRisk(tx: Tx, changeId: string): Promise<StoredRisk> {
  const change = await tx
    .selectFrom("changes")
    .select(["type", "risk_answers", "outage"])
    .where("id", "=", changeId)
    .executeTakeFirstOrThrow();
  const ciIds = (await tx.selectFrom("change_cis").select("ci_id").where("change_id", "=", changeId).execute()).map(
    (r) => r.ci_id,
  );
  const { risk, hit } = await evaluate(tx, {
    type: change.type,
    ciIds,
    riskAnswers: change.risk_answers,
    outage: change.outage,
  });
  await tx
    .updateTable("changes")
    .set({ risk: JSON.stringify(risk), risk_level: risk.level, service_ids: hit.serviceIds })
    .where("id", "=", changeId)
    .execute();
  return risk;
}

/** The impact and risk of a plan, as the caller may see it (services of hidden classes left out). */
export async function assess(deps: Deps, ctx: RequestContext, input: RiskInputs, field = "body"): Promise<Assessment> {
  const ciIds = [...new Set(input.ciIds)];
  const hidden = await unreadableCis(deps.db, ctx.actor, ciIds);
  if (hidden.length) {
    throw new Invalid(hidden.map((i) => ({ field: `${field}.ciIds.${i}`, message: "no such configuration item" })));
  }
  const { risk, hit } = await evaluate(deps.db, { ...input, ciIds });
  const refused = new Set((await unreadableCis(deps.db, ctx.actor, hit.serviceIds)).map((i) => hit.serviceIds[i]));
  const visible = hit.serviceIds.filter((id) => !refused.has(id));
  const refs = await ciRefs(deps.db, visible);
  const organizations = (await organizationSummaries(deps.db, hit.organizationIds)).map((o) => ({
    id: o.id,
    name: o.name,
  }));
  return {
    impact: {
      services: refs.sort((a, b) => a.name.localeCompare(b.name)),
      organizations: organizations.sort((a, b) => a.name.localeCompare(b.name)),
      cisReached: hit.reached,
    },
    risk,
  };
}

/** `GET /changes/{id}/assessment`: the change's impact and risk as of now. */
export async function changeAssessment(deps: Deps, ctx: RequestContext, id: string) {
  if (!can(ctx.actor, "change.read")) throw new NotFound("Change");
  const change = await deps.db
    .selectFrom("changes")
    .select(["type", "risk_answers", "outage"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!change) throw new NotFound("Change");
  const ciIds = (await deps.db.selectFrom("change_cis").select("ci_id").where("change_id", "=", id).execute()).map(
    (r) => r.ci_id,
  );
  const readable = new Set(ciIds);
  for (const i of await unreadableCis(deps.db, ctx.actor, ciIds)) readable.delete(ciIds[i] as string);
  return assess(deps, ctx, {
    type: change.type,
    ciIds: [...readable],
    riskAnswers: change.risk_answers,
    outage: change.outage,
  });
}
