import { type SqlBool, sql } from "kysely";
import type { z } from "zod";
import type { AttributeDefinition, Ci, CiCreateSchema, CiListQuery, CiUpdateSchema } from "../../../common/cmdb.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import { diff } from "../../platform/audit.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { type FieldError, Forbidden, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, likePattern, page } from "../../platform/pagination.ts";
import { expectedVersion, sameMembers } from "../../platform/versioning.ts";
import { groupSummary, organizationSummary, userSummaries } from "../identity/index.ts";
import { searchText, validateAttributes } from "./attributes.ts";
import { type ClassRow, classDefinition, readableClass } from "./classes.ts";
import { type CmdbAccess, canEditInClass, canSeeClass, loadCmdbAccess, visibleClassIds } from "./policy.ts";

export type CiSource = "web" | "api" | "import" | "discovery" | "system";

export const ciNumber = (n: number) => `CI-${String(n).padStart(6, "0")}`;
const NUMBER = /^CI-?0*(\d{1,9})$/i;

export type CiRow = Awaited<ReturnType<typeof findCi>> & {};

export function findCi(db: Executor, id: string, lock = false) {
  let q = db.selectFrom("cis").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

function sourceOf(ctx: RequestContext, override?: CiSource): CiSource {
  if (override) return override;
  if (ctx.source === "web" || ctx.source === "api") return ctx.source;
  return "system";
}

async function subscriptionsOf(db: Executor, ids: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom("ci_service_subscriptions")
    .select(["ci_id", "organization_id"])
    .where("ci_id", "in", ids)
    .orderBy("organization_id")
    .execute();
  for (const r of rows) map.get(r.ci_id)?.push(r.organization_id);
  return map;
}

interface Context {
  classes: Map<string, ClassRow>;
  states: Map<string, { id: string; name: string; group: string }>;
}

async function contextFor(db: Executor, rows: { class_id: string; deployment_state_id: string }[]): Promise<Context> {
  const classIds = [...new Set(rows.map((r) => r.class_id))];
  const stateIds = [...new Set(rows.map((r) => r.deployment_state_id))];
  const classes = classIds.length
    ? await db.selectFrom("ci_classes").selectAll().where("id", "in", classIds).execute()
    : [];
  const states = stateIds.length
    ? await db.selectFrom("catalog_items").select(["id", "name", "properties"]).where("id", "in", stateIds).execute()
    : [];
  return {
    classes: new Map(classes.map((c) => [c.id, c])),
    states: new Map(states.map((s) => [s.id, { id: s.id, name: s.name, group: String(s.properties.group ?? "") }])),
  };
}

function present(row: CiRow, c: Context, subscriptions: string[], access: CmdbAccess): Ci {
  const cls = c.classes.get(row.class_id);
  return {
    id: row.id,
    version: row.version,
    number: ciNumber(row.number),
    classId: row.class_id,
    className: cls?.name ?? "",
    classVersion: row.class_version,
    name: row.name,
    deploymentState: c.states.get(row.deployment_state_id) ?? { id: row.deployment_state_id, name: "", group: "" },
    incidentState: row.incident_state,
    incidentManual: row.incident_manual,
    organizationId: row.organization_id,
    groupId: row.group_id,
    locationId: row.location_id,
    attributes: row.attributes,
    locks: row.locks,
    serviceOrganizationIds: subscriptions,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: { update: cls ? canEditInClass(access, cls) : false },
  };
}

export async function presentCis(db: Executor, rows: CiRow[], access: CmdbAccess): Promise<Ci[]> {
  const c = await contextFor(db, rows);
  const subs = await subscriptionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => present(r, c, subs.get(r.id) ?? [], access));
}

/** What a version stores: everything a person edits, as the API names it. */
function snapshotOf(ci: Ci): Record<string, unknown> {
  return rowSnapshot(
    {
      name: ci.name,
      class_id: ci.classId,
      class_version: ci.classVersion,
      deployment_state_id: ci.deploymentState.id,
      incident_manual: ci.incidentManual,
      organization_id: ci.organizationId,
      group_id: ci.groupId,
      location_id: ci.locationId,
      attributes: ci.attributes,
      locks: ci.locks,
    },
    ci.serviceOrganizationIds,
  );
}

/** The same snapshot from a stored row (bulk writers such as discovery use it for version 1). */
export function rowSnapshot(
  r: Pick<
    CiRow,
    | "name"
    | "class_id"
    | "class_version"
    | "deployment_state_id"
    | "incident_manual"
    | "organization_id"
    | "group_id"
    | "location_id"
    | "attributes"
    | "locks"
  >,
  serviceOrganizationIds: string[] = [],
): Record<string, unknown> {
  return {
    name: r.name,
    classId: r.class_id,
    classVersion: r.class_version,
    deploymentStateId: r.deployment_state_id,
    // What a person set; warnings and linked incidents are derived and not versioned.
    incidentManual: r.incident_manual,
    organizationId: r.organization_id,
    groupId: r.group_id,
    locationId: r.location_id,
    attributes: r.attributes,
    locks: r.locks,
    serviceOrganizationIds,
  };
}

/** A CI the caller may see, or 404. */
export async function readableCi(db: Executor, access: CmdbAccess, id: string, lock = false) {
  const row = await findCi(db, id, lock);
  if (!row) throw new NotFound("Configuration item");
  const cls = await db.selectFrom("ci_classes").selectAll().where("id", "=", row.class_id).executeTakeFirstOrThrow();
  if (!canSeeClass(access, cls)) throw new NotFound("Configuration item");
  return { row, cls };
}

export async function getCi(deps: Deps, ctx: RequestContext, id: string): Promise<Ci> {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  const { row } = await readableCi(deps.db, access, id);
  const [ci] = await presentCis(deps.db, [row], access);
  return ci as Ci;
}

async function defaultDeploymentState(db: Executor): Promise<string> {
  const rows = await db
    .selectFrom("catalog_items")
    .select(["id", "name", "properties"])
    .where("list", "=", "deployment_state")
    .where("active", "=", true)
    .orderBy("position")
    .execute();
  const pick = rows.find((r) => r.name === "Production") ?? rows.find((r) => r.properties.group === "productive");
  if (!pick) throw new Invalid([{ field: "body.deploymentStateId", message: "no deployment states are defined" }]);
  return pick.id;
}

interface Refs {
  deploymentStateId?: string | undefined;
  organizationId?: string | null | undefined;
  groupId?: string | null | undefined;
  locationId?: string | null | undefined;
  serviceOrganizationIds?: string[] | undefined;
}

async function referenceErrors(db: Executor, input: Refs, self?: string): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.deploymentStateId) {
    const s = await db
      .selectFrom("catalog_items")
      .select("id")
      .where("id", "=", input.deploymentStateId)
      .where("list", "=", "deployment_state")
      .where("active", "=", true)
      .executeTakeFirst();
    if (!s) errors.push({ field: "body.deploymentStateId", message: "not an active deployment state" });
  }
  if (input.organizationId && !(await organizationSummary(db, input.organizationId))) {
    errors.push({ field: "body.organizationId", message: "no such organization" });
  }
  if (input.groupId && !(await groupSummary(db, input.groupId))?.active) {
    errors.push({ field: "body.groupId", message: "no such active group" });
  }
  if (input.locationId) {
    const loc = await db
      .selectFrom("cis")
      .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
      .select("cis.id")
      .where("cis.id", "=", input.locationId)
      .where("ci_classes.code", "=", "location")
      .executeTakeFirst();
    if (!loc || input.locationId === self) errors.push({ field: "body.locationId", message: "not a location" });
  }
  for (const [i, id] of (input.serviceOrganizationIds ?? []).entries()) {
    if (!(await organizationSummary(db, id))) {
      errors.push({ field: `body.serviceOrganizationIds.${i}`, message: "no such organization" });
    }
  }
  return errors;
}

async function setSubscriptions(tx: Tx, ciId: string, organizationIds: string[]) {
  await tx.deleteFrom("ci_service_subscriptions").where("ci_id", "=", ciId).execute();
  if (organizationIds.length) {
    await tx
      .insertInto("ci_service_subscriptions")
      .values(organizationIds.map((organization_id) => ({ ci_id: ciId, organization_id })))
      .execute();
  }
}

async function writeVersion(
  tx: Tx,
  ctx: RequestContext,
  ci: Ci,
  before: Ci | null,
  source: CiSource,
  at: Date,
): Promise<void> {
  const snapshot = snapshotOf(ci);
  const changes = diff(before ? snapshotOf(before) : null, snapshot);
  await tx
    .insertInto("ci_versions")
    .values({
      ci_id: ci.id,
      version: ci.version,
      class_version: ci.classVersion,
      snapshot: JSON.stringify(snapshot),
      diff: JSON.stringify(changes),
      actor_id: ctx.actor.via === "system" ? null : ctx.actor.id,
      source,
      created_at: at,
    })
    .execute();
  await recordChange(tx, ctx, {
    entityType: "ci",
    entityId: ci.id,
    action: before ? "updated" : "created",
    before: before ? snapshotOf(before) : null,
    after: { ...snapshot, source },
  });
}

export async function createCi(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof CiCreateSchema>,
  opts: { source?: CiSource; tx?: Tx } = {},
): Promise<Ci> {
  const run = async (tx: Tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const cls = await tx.selectFrom("ci_classes").selectAll().where("id", "=", input.classId).executeTakeFirst();
    if (!cls || !canSeeClass(access, cls)) throw new Invalid([{ field: "body.classId", message: "no such class" }]);
    if (!canEditInClass(access, cls)) throw new Forbidden("You may not create configuration items of this class");
    if (!cls.active) throw new Invalid([{ field: "body.classId", message: "the class is inactive" }]);
    const definition = cls.attributes as AttributeDefinition[];
    const errors = await referenceErrors(tx, input);
    const attrs = await validateAttributes(tx, {
      classId: cls.id,
      definition,
      input: input.attributes,
      current: {},
    });
    errors.push(...attrs.errors);
    if (input.serviceOrganizationIds?.length && cls.code !== "business_service") {
      errors.push({ field: "body.serviceOrganizationIds", message: "only business services have subscribers" });
    }
    if (errors.length) throw new Invalid(errors);
    const now = deps.now();
    const manual = input.incidentState === "incident";
    const row = await tx
      .insertInto("cis")
      .values({
        class_id: cls.id,
        class_version: cls.version,
        name: input.name,
        deployment_state_id: input.deploymentStateId ?? (await defaultDeploymentState(tx)),
        incident_state: manual ? "incident" : "operational",
        incident_manual: manual,
        organization_id: input.organizationId ?? null,
        group_id: input.groupId ?? null,
        location_id: input.locationId ?? null,
        attributes: JSON.stringify(attrs.values),
        locks: [...new Set(input.locks ?? [])],
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const withSearch = await tx
      .updateTable("cis")
      .set({ search: searchText(row.name, ciNumber(row.number), definition, attrs.values) })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const subscribers = [...new Set(input.serviceOrganizationIds ?? [])].sort();
    await setSubscriptions(tx, row.id, subscribers);
    const [ci] = await presentCis(tx, [withSearch], access);
    await writeVersion(tx, ctx, ci as Ci, null, sourceOf(ctx, opts.source), now);
    return ci as Ci;
  };
  return opts.tx ? run(opts.tx) : inTransaction(deps.db, run);
}

/**
 * Edits a CI: a new version with the full snapshot and the diff. Import and
 * discovery (`respectLocks`) leave locked attributes (and a locked name) as
 * they are. An edit that changes nothing writes nothing.
 */
export async function updateCi(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof CiUpdateSchema>,
  opts: { ifMatch?: number | undefined; source?: CiSource; respectLocks?: boolean; tx?: Tx } = {},
): Promise<Ci> {
  const run = async (tx: Tx) => {
    const access = await loadCmdbAccess(tx, ctx.actor);
    const { row, cls } = await readableCi(tx, access, id, true);
    if (!canEditInClass(access, cls)) throw new Forbidden("You may not edit configuration items of this class");
    if (!opts.respectLocks) {
      const expected = expectedVersion(input.version, opts.ifMatch);
      if (row.version !== expected) throw new StaleVersion("Configuration item", row.version);
    }
    const [before] = await presentCis(tx, [row], access);
    if (!before) throw new NotFound("Configuration item");
    const locked = new Set(opts.respectLocks ? row.locks : []);
    const attributeInput = Object.fromEntries(
      Object.entries(input.attributes ?? {}).filter(([key]) => !locked.has(key)),
    );
    const definition = cls.attributes as AttributeDefinition[];
    const errors = await referenceErrors(tx, input, id);
    // Editing moves the CI to the class's current definition.
    const attrs = await validateAttributes(tx, {
      classId: cls.id,
      definition,
      input: attributeInput,
      current: row.attributes,
      ciId: id,
    });
    errors.push(...attrs.errors);
    if (input.serviceOrganizationIds?.length && cls.code !== "business_service") {
      errors.push({ field: "body.serviceOrganizationIds", message: "only business services have subscribers" });
    }
    if (errors.length) throw new Invalid(errors);
    const name = input.name !== undefined && !locked.has("name") ? input.name : row.name;
    let incidentState = row.incident_state;
    let manual = row.incident_manual;
    if (input.incidentState === "incident") [incidentState, manual] = ["incident", true];
    if (input.incidentState === "operational" && row.incident_manual) [incidentState, manual] = ["operational", false];
    const subscribers = input.serviceOrganizationIds
      ? [...new Set(input.serviceOrganizationIds)].sort()
      : before.serviceOrganizationIds;
    const next = {
      name,
      class_version: cls.version,
      deployment_state_id: input.deploymentStateId ?? row.deployment_state_id,
      incident_state: incidentState,
      incident_manual: manual,
      organization_id: input.organizationId !== undefined ? input.organizationId : row.organization_id,
      group_id: input.groupId !== undefined ? input.groupId : row.group_id,
      location_id: input.locationId !== undefined ? input.locationId : row.location_id,
      attributes: attrs.values,
      locks: input.locks ? [...new Set(input.locks)] : row.locks,
    };
    const unchanged =
      (Object.keys(next) as (keyof typeof next)[]).every(
        (k) => JSON.stringify(next[k]) === JSON.stringify(row[k as keyof typeof row]),
      ) && sameMembers(subscribers, before.serviceOrganizationIds);
    if (unchanged) return before;
    const now = deps.now();
    const updated = await tx
      .updateTable("cis")
      .set({
        ...next,
        attributes: JSON.stringify(next.attributes),
        search: searchText(name, ciNumber(row.number), definition, next.attributes),
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (!sameMembers(subscribers, before.serviceOrganizationIds)) await setSubscriptions(tx, id, subscribers);
    const [after] = await presentCis(tx, [updated], access);
    await writeVersion(tx, ctx, after as Ci, before, sourceOf(ctx, opts.source), now);
    return after as Ci;
  };
  return opts.tx ? run(opts.tx) : inTransaction(deps.db, run);
}

export async function listCis(deps: Deps, ctx: RequestContext, query: CiListQuery) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  const classIds = await visibleClassIds(deps.db, access);
  if (classIds.length === 0) return { items: [], nextCursor: null };
  let q = deps.db.selectFrom("cis").selectAll().where("class_id", "in", classIds);
  if (query.classId) q = q.where("class_id", "=", query.classId);
  if (query.organizationId) q = q.where("organization_id", "=", query.organizationId);
  if (query.incidentState) q = q.where("incident_state", "=", query.incidentState);
  if (query.deploymentStateId) q = q.where("deployment_state_id", "=", query.deploymentStateId);
  if (query.ids) q = q.where("id", "in", query.ids);
  if (query.attribute) {
    const at = query.attribute.indexOf("=");
    const key = query.attribute.slice(0, at);
    const raw = query.attribute.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    // "17" may be a number attribute or a text one holding 17: both forms match.
    const forms = [...new Set([value, raw])];
    const probes = forms.flatMap((v) => [JSON.stringify({ [key]: v }), JSON.stringify({ [key]: [v] })]);
    q = q.where(
      sql<SqlBool>`(${sql.join(
        probes.map((p) => sql`cis.attributes @> ${p}::jsonb`),
        sql` or `,
      )})`,
    );
  }
  if (query.q) {
    const number = NUMBER.exec(query.q.replace(/\s+/g, ""));
    if (number?.[1]) q = q.where("number", "=", Number(number[1]));
    else q = q.where(sql<SqlBool>`cis.search like ${likePattern(query.q.toLowerCase())}`);
  }
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    if (!/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
    q = q.where(sql<SqlBool>`(cis.name, cis.id) > (${name}, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy("name")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const result = page(rows, query.limit, (r) => [r.name, r.id]);
  return { items: await presentCis(deps.db, result.items, access), nextCursor: result.nextCursor };
}

export async function listVersions(deps: Deps, ctx: RequestContext, id: string) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  await readableCi(deps.db, access, id);
  const rows = await deps.db
    .selectFrom("ci_versions")
    .selectAll()
    .where("ci_id", "=", id)
    .orderBy("version", "desc")
    .limit(1000)
    .execute();
  const actors = new Map(
    (await userSummaries(deps.db, [...new Set(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])))])).map((u) => [
      u.id,
      u.name,
    ]),
  );
  return {
    items: rows.map((r) => ({
      version: r.version,
      classVersion: r.class_version,
      snapshot: r.snapshot,
      diff: r.diff,
      actorId: r.actor_id,
      actorName: r.actor_id ? (actors.get(r.actor_id) ?? null) : null,
      source: r.source,
      createdAt: r.created_at.toISOString(),
    })),
  };
}

/** The attribute definitions of a class at a version (for the history view). */
export async function definitionAt(deps: Deps, ctx: RequestContext, classId: string, version: number) {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  await readableClass(deps.db, access, classId);
  return classDefinition(deps.db, classId, version);
}

/** For other modules: which of these ids are not CIs the actor may see (their indexes). */
export async function unreadableCis(
  db: Executor,
  actor: RequestContext["actor"],
  ids: readonly string[],
): Promise<number[]> {
  const access = await loadCmdbAccess(db, actor);
  const visible = new Set(await visibleClassIds(db, access));
  const rows = ids.length
    ? await db
        .selectFrom("cis")
        .select(["id", "class_id"])
        .where("id", "in", [...ids])
        .execute()
    : [];
  const ok = new Set(rows.filter((r) => visible.has(r.class_id)).map((r) => r.id));
  return ids.flatMap((id, i) => (ok.has(id) ? [] : [i]));
}
