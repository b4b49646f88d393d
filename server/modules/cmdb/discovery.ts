import { randomBytes } from "node:crypto";
import { type SqlBool, sql } from "kysely";
import type { AttributeDefinition } from "../../../common/cmdb.ts";
import { PERMISSIONS } from "../../../common/permissions.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import { appendAuditMany, diff } from "../../platform/audit.ts";
import { type RequestContext, systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, NotFound } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import { sha256 } from "../../platform/secrets.ts";
import { searchText } from "./attributes.ts";
import { ciNumber, createCi, rowSnapshot, updateCi } from "./cis.ts";
import { classByCode } from "./classes.ts";
import {
  type InventoryMessage,
  type InventoryReply,
  mergeInventory,
  type NormalizedInventory,
  parseInventoryRequest,
  replyTo,
} from "./inventory/index.ts";

export const INVENTORY_REALM = "Steward inventory";

/** 401 with the Basic challenge agents wait for before they send their credentials. */
export class InventoryUnauthorized extends AppError {
  constructor() {
    super(401, "Unauthorized", "Inventory agents authenticate with HTTP basic auth: an inventory key as the password");
  }
}

// ---- keys ----

function presentKey(r: {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

export async function createInventoryKey(deps: Deps, ctx: RequestContext, name: string) {
  const key = `inv_${randomBytes(20).toString("hex")}`;
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .insertInto("inventory_keys")
      .values({
        name,
        key_hash: sha256(key),
        prefix: key.slice(0, 12),
        created_by: ctx.actor.via === "system" ? null : ctx.actor.id,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((e: { code?: string }) => {
        if (e.code === "23505") {
          throw new AppError(409, "Conflict", "An active inventory key has this name", [
            { field: "body.name", message: "already in use" },
          ]);
        }
        throw e;
      });
    const created = presentKey(row);
    await recordChange(tx, ctx, {
      entityType: "inventory_key",
      entityId: row.id,
      action: "created",
      before: null,
      after: created,
    });
    return { ...created, key };
  });
}

export async function listInventoryKeys(deps: Deps) {
  const rows = await deps.db
    .selectFrom("inventory_keys")
    .selectAll()
    .orderBy("created_at", "desc")
    .limit(500)
    .execute();
  return { items: rows.map(presentKey) };
}

export async function revokeInventoryKey(deps: Deps, ctx: RequestContext, id: string) {
  await inTransaction(deps.db, async (tx) => {
    const row = await tx.selectFrom("inventory_keys").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound("Inventory key");
    if (row.revoked_at) return;
    const updated = await tx
      .updateTable("inventory_keys")
      .set({ revoked_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(tx, ctx, {
      entityType: "inventory_key",
      entityId: id,
      action: "updated",
      before: presentKey(row),
      after: presentKey(updated),
    });
  });
}

/** The key behind an `Authorization: Basic …` header (any user name; the key is the password). */
async function keyOf(db: Executor, authorization: string | undefined): Promise<string> {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (!m?.[1]) throw new InventoryUnauthorized();
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const password = decoded.slice(decoded.indexOf(":") + 1);
  const row = await db
    .selectFrom("inventory_keys")
    .select("id")
    .where("key_hash", "=", sha256(password))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) throw new InventoryUnauthorized();
  return row.id;
}

// ---- identification ----

const macsOf = (inv: NormalizedInventory) =>
  [...new Set((inv.interfaces ?? []).map((i) => i.mac).filter((m): m is string => !!m))].sort();
const ipsOf = (inv: NormalizedInventory) => [...new Set((inv.interfaces ?? []).flatMap((i) => i.ip ?? []))].sort();

interface Identified {
  ciId: string | null;
  conflict: string[] | null;
  rule: string | null;
}

/**
 * Which Computer CI an inventory describes. Rules in order: serial number with
 * manufacturer, system UUID, the set of MAC addresses, host name; the agent's
 * own device id when none matches. A rule that matches several CIs, or two
 * strong rules (serial, UUID, MACs) that name different CIs, is a conflict for
 * an administrator: nothing is merged silently.
 */
export async function identify(
  db: Executor,
  classId: string,
  inv: NormalizedInventory,
  deviceId: string,
): Promise<Identified> {
  const base = () => db.selectFrom("cis").select("id").where("class_id", "=", classId);
  const rules: [string, boolean, () => Promise<{ id: string }[]>][] = [];
  if (inv.serial && inv.manufacturer) {
    const probe = JSON.stringify({ serial: inv.serial, manufacturer: inv.manufacturer });
    rules.push([
      "serial number",
      true,
      () => base().where(sql<SqlBool>`attributes @> ${probe}::jsonb`).limit(5).execute(),
    ]);
  }
  if (inv.uuid) {
    const probe = JSON.stringify({ uuid: inv.uuid });
    rules.push([
      "system UUID",
      true,
      () => base().where(sql<SqlBool>`attributes @> ${probe}::jsonb`).limit(5).execute(),
    ]);
  }
  const macs = macsOf(inv);
  if (macs.length) {
    const probe = JSON.stringify({ macAddresses: macs });
    rules.push([
      "MAC addresses",
      true,
      // The same set: every MAC the agent reports, and no other.
      () =>
        base()
          .where(sql<SqlBool>`attributes @> ${probe}::jsonb`)
          .where(sql<SqlBool>`jsonb_array_length(attributes->'macAddresses') = ${macs.length}`)
          .limit(5)
          .execute(),
    ]);
  }
  if (inv.hostname) {
    const probe = JSON.stringify({ hostname: inv.hostname });
    rules.push([
      "host name",
      false,
      () => base().where(sql<SqlBool>`attributes @> ${probe}::jsonb`).limit(5).execute(),
    ]);
  }
  let chosen: Identified = { ciId: null, conflict: null, rule: null };
  for (const [rule, strong, find] of rules) {
    const ids = (await find()).map((r) => r.id);
    if (ids.length === 0) continue;
    if (ids.length > 1) {
      if (chosen.ciId) continue;
      return { ciId: null, conflict: ids, rule };
    }
    const id = ids[0] as string;
    if (!chosen.ciId) chosen = { ciId: id, conflict: null, rule };
    else if (strong && chosen.ciId !== id) return { ciId: null, conflict: [chosen.ciId, id], rule };
  }
  if (chosen.ciId) return chosen;
  const known = await db
    .selectFrom("ci_discovery")
    .select("ci_id")
    .where("device_id", "=", deviceId)
    .executeTakeFirst();
  if (known?.ci_id) {
    const still = await base().where("id", "=", known.ci_id).executeTakeFirst();
    if (still) return { ciId: still.id, conflict: null, rule: "device id" };
  }
  return chosen;
}

// ---- writing ----

type AttributeValue = string | number | boolean | null | (string | number | boolean)[];

/** Computer attributes from an inventory: the categories it carried, cleared when they came empty. */
function computerAttributes(inv: NormalizedInventory, partial: boolean): Record<string, AttributeValue> {
  const has = (c: string) => !partial || inv.present.includes(c as never);
  const out: Record<string, AttributeValue> = {};
  const set = (key: string, category: string, value: AttributeValue | undefined) => {
    if (has(category)) out[key] = value === undefined || (Array.isArray(value) && value.length === 0) ? null : value;
  };
  set("hostname", "hostname", inv.hostname);
  set("serial", "serial", inv.serial);
  set("uuid", "uuid", inv.uuid);
  set("manufacturer", "manufacturer", inv.manufacturer);
  set("model", "model", inv.model);
  set("os", "os", inv.os);
  set("osVersion", "osVersion", inv.osVersion);
  set("cpu", "cpus", inv.cpus);
  set("memoryMb", "memoryMb", inv.memoryMb);
  set("disks", "disks", inv.disks);
  set("macAddresses", "interfaces", macsOf(inv));
  set("ipAddresses", "interfaces", ipsOf(inv));
  return out;
}

/** Software CIs (by name and version) installed on the computer; relations follow the inventory. */
async function syncSoftware(deps: Deps, ctx: RequestContext, tx: Tx, computerId: string, inv: NormalizedInventory) {
  const software = await classByCode(tx, "software");
  if (!software || !inv.present.includes("software")) return { added: 0, removed: 0 };
  const wanted = new Map<string, { name: string; version: string; publisher?: string | undefined }>();
  for (const s of inv.software ?? []) {
    const name = s.name.slice(0, 200);
    const version = (s.version ?? "").slice(0, 200);
    wanted.set(`${name}\u0000${version}`, { name, version, publisher: s.publisher });
  }
  const names = [...new Set([...wanted.values()].map((w) => w.name))];
  const existing = new Map<string, string>();
  for (let i = 0; i < names.length; i += 1000) {
    const rows = await tx
      .selectFrom("cis")
      .select(["id", "name", sql<string>`coalesce(attributes->>'version', '')`.as("version")])
      .where("class_id", "=", software.id)
      .where("name", "in", names.slice(i, i + 1000))
      .execute();
    for (const r of rows) existing.set(`${r.name}\u0000${r.version}`, r.id);
  }
  const ids = new Set<string>();
  const missing: { name: string; attributes: Record<string, AttributeValue> }[] = [];
  for (const [key, w] of wanted) {
    const id = existing.get(key);
    if (id) {
      ids.add(id);
      continue;
    }
    const attributes: Record<string, AttributeValue> = {};
    if (w.version) attributes.version = w.version;
    if (w.publisher) attributes.publisher = w.publisher.slice(0, 1000);
    missing.push({ name: w.name, attributes });
  }
  // New software arrives by the hundred on a first run: written in bulk, each still with its version 1 and audit row.
  for (const id of await createSoftwareCis(tx, ctx, software, missing, deps.now())) ids.add(id);
  const current = await tx
    .selectFrom("ci_relations")
    .select(["id", "source_id"])
    .where("target_id", "=", computerId)
    .where("type", "=", "installed_on")
    .execute();
  const have = new Set(current.map((r) => r.source_id));
  const add = [...ids].filter((id) => !have.has(id));
  const remove = current.filter((r) => !ids.has(r.source_id));
  if (add.length) {
    for (let i = 0; i < add.length; i += 1000) {
      await tx
        .insertInto("ci_relations")
        .values(
          add.slice(i, i + 1000).map((source_id) => ({
            source_id,
            target_id: computerId,
            type: "installed_on",
            created_by: null,
            created_at: deps.now(),
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  if (remove.length) {
    await tx
      .deleteFrom("ci_relations")
      .where(
        "id",
        "in",
        remove.map((r) => r.id),
      )
      .execute();
  }
  if (add.length || remove.length) {
    await recordChange(tx, ctx, {
      entityType: "ci",
      entityId: computerId,
      action: "software_changed",
      before: { installed: current.length },
      after: { installed: ids.size, added: add.length, removed: remove.length },
    });
  }
  return { added: add.length, removed: remove.length };
}

async function createSoftwareCis(
  tx: Tx,
  ctx: RequestContext,
  software: { id: string; version: number; attributes: unknown[] },
  items: { name: string; attributes: Record<string, AttributeValue> }[],
  now: Date,
): Promise<string[]> {
  if (items.length === 0) return [];
  const production = await tx
    .selectFrom("catalog_items")
    .select("id")
    .where("list", "=", "deployment_state")
    .where("name", "=", "Production")
    .executeTakeFirstOrThrow();
  const definition = software.attributes as AttributeDefinition[];
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += 500) {
    const part = items.slice(i, i + 500);
    const rows = await tx
      .insertInto("cis")
      .values(
        part.map((item) => ({
          class_id: software.id,
          class_version: software.version,
          name: item.name,
          deployment_state_id: production.id,
          attributes: JSON.stringify(item.attributes),
          search: searchText(item.name, "", definition, item.attributes),
          created_at: now,
          updated_at: now,
        })),
      )
      .returningAll()
      .execute();
    await tx
      .insertInto("ci_versions")
      .values(
        rows.map((r) => {
          const snapshot = rowSnapshot(r);
          return {
            ci_id: r.id,
            version: 1,
            class_version: r.class_version,
            snapshot: JSON.stringify(snapshot),
            diff: JSON.stringify(diff(null, snapshot)),
            actor_id: null,
            source: "discovery" as const,
            created_at: now,
          };
        }),
      )
      .execute();
    await appendAuditMany(
      tx,
      ctx,
      rows.map((r) => ({
        action: "ci.created",
        entityType: "ci",
        entityId: r.id,
        changes: { name: [null, r.name], attributes: [null, r.attributes], source: [null, "discovery"] },
      })),
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

async function log(
  tx: Tx,
  entry: {
    deviceId: string;
    protocol: string;
    keyId: string | null;
    outcome: "created" | "updated" | "unchanged" | "conflict" | "rejected";
    ciId?: string | null;
    detail: string;
    candidates?: string[];
    at: Date;
  },
) {
  await tx
    .insertInto("ci_discovery_log")
    .values({
      at: entry.at,
      device_id: entry.deviceId.slice(0, 500),
      protocol: entry.protocol,
      key_id: entry.keyId,
      outcome: entry.outcome,
      ci_id: entry.ciId ?? null,
      detail: entry.detail.slice(0, 2000),
      candidate_ids: entry.candidates ?? [],
    })
    .execute();
}

/** One inventory into the CMDB: identify, create or update the Computer CI (locks kept), its software, the log. */
export async function applyInventory(
  deps: Deps,
  message: Extract<InventoryMessage, { kind: "inventory" }>,
  keyId: string | null,
) {
  const ctx = systemContext(PERMISSIONS, "system");
  return inTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const computer = await classByCode(tx, "computer");
    if (!computer) throw new NotFound("The Computer class");
    const known = await tx
      .selectFrom("ci_discovery")
      .selectAll()
      .where("device_id", "=", message.deviceId)
      .executeTakeFirst();
    const previous = (known?.inventory ?? null) as NormalizedInventory | null;
    const inventory = message.partial && previous ? mergeInventory(previous, message.inventory) : message.inventory;
    const found = await identify(tx, computer.id, inventory, message.deviceId);
    const base = { deviceId: message.deviceId, protocol: message.protocol, keyId, at: now };
    if (found.conflict) {
      const numbers = await tx.selectFrom("cis").select("number").where("id", "in", found.conflict).execute();
      await log(tx, {
        ...base,
        outcome: "conflict",
        detail: `The ${found.rule} matches ${numbers.map((n) => ciNumber(n.number)).join(", ")}: an administrator decides which CI this is`,
        candidates: found.conflict,
      });
      return { outcome: "conflict" as const, ciId: null };
    }
    const attributes = computerAttributes(inventory, false);
    const name = (inventory.hostname ?? message.deviceId).slice(0, 200);
    let ciId: string;
    let outcome: "created" | "updated" | "unchanged";
    if (found.ciId) {
      const before = await tx
        .selectFrom("cis")
        .select("version")
        .where("id", "=", found.ciId)
        .executeTakeFirstOrThrow();
      const after = await updateCi(
        deps,
        ctx,
        found.ciId,
        { name, attributes },
        { source: "discovery", respectLocks: true, tx },
      );
      ciId = after.id;
      outcome = after.version === before.version ? "unchanged" : "updated";
    } else {
      const created = await createCi(
        deps,
        ctx,
        {
          classId: computer.id,
          name,
          attributes: Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null)),
        },
        { source: "discovery", tx },
      );
      ciId = created.id;
      outcome = "created";
    }
    const software = await syncSoftware(deps, ctx, tx, ciId, inventory);
    if (outcome === "unchanged" && (software.added || software.removed)) outcome = "updated";
    await tx
      .insertInto("ci_discovery")
      .values({
        device_id: message.deviceId,
        protocol: message.protocol,
        ci_id: ciId,
        inventory: JSON.stringify(inventory),
        first_seen_at: now,
        last_seen_at: now,
      })
      .onConflict((oc) =>
        oc.column("device_id").doUpdateSet({ ci_id: ciId, inventory: JSON.stringify(inventory), last_seen_at: now }),
      )
      .execute();
    const how = found.rule ? `matched by ${found.rule}` : "new machine";
    const partial = message.partial ? "partial inventory, " : "";
    await log(tx, {
      ...base,
      outcome,
      ciId,
      detail: `${partial}${how}; software +${software.added} −${software.removed}`,
    });
    return { outcome, ciId };
  });
}

/** `POST /api/v1/inventory`: authenticate the agent, read its message, answer as its protocol expects. */
export async function receiveInventory(
  deps: Deps,
  request: {
    body: Buffer;
    contentType?: string | undefined;
    userAgent?: string | undefined;
    authorization?: string | undefined;
  },
): Promise<InventoryReply> {
  const anyKey = await deps.db
    .selectFrom("inventory_keys")
    .select("id")
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!anyKey) throw new NotFound("Inventory (closed until an administrator creates an inventory key)");
  const keyId = await keyOf(deps.db, request.authorization);
  await deps.db.updateTable("inventory_keys").set({ last_used_at: deps.now() }).where("id", "=", keyId).execute();
  let parsed: Awaited<ReturnType<typeof parseInventoryRequest>>;
  try {
    parsed = await parseInventoryRequest({
      body: request.body,
      contentType: request.contentType,
      userAgent: request.userAgent,
    });
  } catch (error) {
    // An authenticated agent whose message cannot be read leaves a trace for the administrator.
    if (error instanceof AppError) {
      const agent = request.userAgent ?? "";
      await inTransaction(deps.db, (tx) =>
        log(tx, {
          deviceId: "(unreadable)",
          protocol: /ocs/i.test(agent) ? "ocs" : /glpi/i.test(agent) ? "glpi" : "fusion",
          keyId,
          outcome: "rejected",
          detail: `${error.status}: ${error.message}`,
          at: deps.now(),
        }),
      );
    }
    throw error;
  }
  const { message, encoding } = parsed;
  if (message.kind === "inventory") {
    try {
      await applyInventory(deps, message, keyId);
    } catch (error) {
      // The message was readable but its data was not (e.g. a value a class refuses): say so in the log.
      if (error instanceof AppError) {
        await inTransaction(deps.db, (tx) =>
          log(tx, {
            deviceId: message.deviceId,
            protocol: message.protocol,
            keyId,
            outcome: "rejected",
            detail: `${error.status}: ${error.message}${error.errors?.length ? ` (${error.errors.map((e) => `${e.field}: ${e.message}`).join("; ")})` : ""}`,
            at: deps.now(),
          }),
        );
      }
      throw error;
    }
  }
  return replyTo(message, { encoding });
}

export async function discoveryLog(
  deps: Deps,
  query: {
    limit: number;
    cursor?: string | undefined;
    outcome?: "created" | "updated" | "unchanged" | "conflict" | "rejected" | undefined;
  },
) {
  let q = deps.db.selectFrom("ci_discovery_log").selectAll();
  if (query.outcome) q = q.where("outcome", "=", query.outcome);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) decodeCursor("", ["string"]);
    q = q.where(sql<SqlBool>`(at, id) < (${new Date(at)}, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  const result = page(rows, query.limit, (r) => [r.at.toISOString(), r.id]);
  const mentioned = [...new Set(result.items.flatMap((r) => [...(r.ci_id ? [r.ci_id] : []), ...r.candidate_ids]))];
  const cis = new Map(
    (mentioned.length
      ? await deps.db.selectFrom("cis").select(["id", "number", "name"]).where("id", "in", mentioned).execute()
      : []
    ).map((c) => [c.id, { id: c.id, number: ciNumber(c.number), name: c.name }]),
  );
  return {
    items: result.items.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      deviceId: r.device_id,
      protocol: r.protocol,
      keyId: r.key_id,
      outcome: r.outcome,
      ciId: r.ci_id,
      detail: r.detail,
      candidateIds: r.candidate_ids,
      ci: r.ci_id ? (cis.get(r.ci_id) ?? null) : null,
      candidates: r.candidate_ids.flatMap((id) => {
        const c = cis.get(id);
        return c ? [c] : [];
      }),
    })),
    nextCursor: result.nextCursor,
  };
}
