import type { z } from "zod";
import type { CustomField, CustomFieldCreateSchema, CustomFieldUpdateSchema } from "../../../common/custom-fields.ts";
import type { TicketType } from "../../../common/workflows.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, type FieldError, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { changedOnly, expectedVersion } from "../../platform/versioning.ts";
import { userSummaries } from "../identity/index.ts";

type DefRow = Awaited<ReturnType<typeof defsOf>>[number];

function present(r: DefRow): CustomField {
  return {
    id: r.id,
    version: r.version,
    ticketType: r.ticket_type,
    key: r.key,
    label: r.label,
    kind: r.kind,
    options: r.options,
    required: r.required,
    active: r.active,
    position: r.position,
  };
}

function defsOf(db: Executor, type?: TicketType) {
  let q = db.selectFrom("custom_field_defs").selectAll();
  if (type) q = q.where("ticket_type", "=", type);
  return q.orderBy("ticket_type").orderBy("position").orderBy("key").limit(1000).execute();
}

export async function listCustomFields(deps: Deps, type?: TicketType) {
  return { items: (await defsOf(deps.db, type)).map(present) };
}

export async function createCustomField(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof CustomFieldCreateSchema>,
) {
  return inTransaction(deps.db, async (tx) => {
    const clash = await tx
      .selectFrom("custom_field_defs")
      .select("id")
      .where("ticket_type", "=", input.ticketType)
      .where("key", "=", input.key)
      .executeTakeFirst();
    if (clash)
      throw new Conflict("This ticket type has a field with this key", [
        { field: "body.key", message: "already in use" },
      ]);
    const row = await tx
      .insertInto("custom_field_defs")
      .values({
        ticket_type: input.ticketType,
        key: input.key,
        label: input.label,
        kind: input.kind,
        options: [...new Set(input.options ?? [])],
        required: input.required,
        position: input.position,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const field = present(row);
    await recordChange(tx, ctx, {
      entityType: "custom_field",
      entityId: row.id,
      action: "created",
      before: null,
      after: field,
    });
    return field;
  });
}

export async function updateCustomField(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: z.infer<typeof CustomFieldUpdateSchema>,
  ifMatch?: number,
) {
  const expected = expectedVersion(input.version, ifMatch);
  return inTransaction(deps.db, async (tx) => {
    const row = await tx
      .selectFrom("custom_field_defs")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFound("Custom field");
    if (row.version !== expected) throw new StaleVersion("Custom field", row.version);
    if (input.options && ["select", "multiselect"].includes(row.kind) && input.options.length === 0) {
      throw new Invalid([{ field: "body.options", message: "a select needs options" }]);
    }
    const before = present(row);
    const set = changedOnly(row, {
      label: input.label,
      options: input.options ? [...new Set(input.options)] : undefined,
      required: input.required,
      active: input.active,
      position: input.position,
    });
    if (Object.keys(set).length === 0) return before;
    const updated = await tx
      .updateTable("custom_field_defs")
      .set({ ...set, version: row.version + 1, updated_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = present(updated);
    await recordChange(tx, ctx, { entityType: "custom_field", entityId: id, action: "updated", before, after });
    return after;
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks submitted custom-field values against the active definitions of the
 * ticket type and merges them into the current ones (null removes a value).
 * Unknown keys, wrong types, unknown options and missing required fields are
 * field errors named `body.customFields.<key>`.
 */
export async function validateCustomFields(
  db: Executor,
  type: TicketType,
  submitted: Record<string, unknown> | undefined,
  current: Record<string, unknown> | null,
  options: { enforceRequired?: boolean } = {},
): Promise<{ values: Record<string, unknown>; errors: FieldError[] }> {
  // Customers do not see custom fields: what is required of the desk is not required of them.
  const creating = current === null && options.enforceRequired !== false;
  const defs = new Map((await defsOf(db, type)).filter((d) => d.active).map((d) => [d.key, d]));
  const values: Record<string, unknown> = { ...(current ?? {}) };
  const errors: FieldError[] = [];
  const userIds: [string, string][] = [];
  for (const [key, value] of Object.entries(submitted ?? {})) {
    const field = `body.customFields.${key}`;
    const def = defs.get(key);
    if (!def) {
      errors.push({ field, message: "unknown custom field" });
      continue;
    }
    if (value === null) {
      delete values[key];
      continue;
    }
    const bad = (message: string) => errors.push({ field, message });
    switch (def.kind) {
      case "text":
        if (typeof value !== "string" || value.length > 2000) bad("must be text up to 2000 characters");
        break;
      case "number":
        if (typeof value !== "number" || !Number.isFinite(value)) bad("must be a number");
        break;
      case "date":
        if (typeof value !== "string" || !DATE.test(value) || Number.isNaN(Date.parse(value)))
          bad("must be a date YYYY-MM-DD");
        break;
      case "checkbox":
        if (typeof value !== "boolean") bad("must be true or false");
        break;
      case "select":
        if (typeof value !== "string" || !def.options.includes(value)) bad(`must be one of: ${def.options.join(", ")}`);
        break;
      case "multiselect":
        if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && def.options.includes(v))) {
          bad(`must be a list of: ${def.options.join(", ")}`);
        }
        break;
      case "user":
        if (typeof value !== "string" || !/^[0-9a-f-]{36}$/i.test(value)) bad("must be a user id");
        else userIds.push([key, value]);
        break;
    }
    values[key] = value;
  }
  if (userIds.length) {
    const found = new Set(
      (
        await userSummaries(
          db,
          userIds.map(([, id]) => id),
        )
      )
        .filter((u) => u.active)
        .map((u) => u.id),
    );
    for (const [key, id] of userIds)
      if (!found.has(id)) errors.push({ field: `body.customFields.${key}`, message: "no such active user" });
  }
  for (const def of defs.values()) {
    // Required at creation; later only a submitted removal is refused (older tickets may predate the field).
    const asked = creating || (submitted !== undefined && def.key in submitted);
    if (def.required && asked && (values[def.key] === undefined || values[def.key] === "")) {
      errors.push({ field: `body.customFields.${def.key}`, message: "required" });
    }
  }
  return { values, errors };
}
