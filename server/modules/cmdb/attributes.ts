import { sql } from "kysely";
import type { AttributeDefinition } from "../../../common/cmdb.ts";
import type { Executor } from "../../db/database.ts";
import type { FieldError } from "../../platform/errors.ts";
import { organizationSummary, userSummaries } from "../identity/index.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function scalarError(def: AttributeDefinition, v: unknown): string | null {
  switch (def.type) {
    case "text":
      return typeof v === "string" && v.length <= 1000 && !v.includes("\n")
        ? null
        : "text on one line, 1,000 characters at most";
    case "longtext":
      return typeof v === "string" && v.length <= 10_000 ? null : "text, 10,000 characters at most";
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? null : "a number";
    case "date":
      return typeof v === "string" && DATE.test(v) && !Number.isNaN(Date.parse(v)) ? null : "a date, YYYY-MM-DD";
    case "boolean":
      return typeof v === "boolean" ? null : "true or false";
    default:
      return typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v) ? null : "an id";
  }
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * Checks attribute values against a class definition and returns the merged
 * values: `input` replaces the named attributes of `current` (null clears one).
 * Unknown keys, wrong types, missing required values, references to nothing
 * and duplicates of a unique value each name their field.
 */
export async function validateAttributes(
  db: Executor,
  opts: {
    classId: string;
    definition: readonly AttributeDefinition[];
    input: Record<string, unknown>;
    current: Record<string, unknown>;
    ciId?: string;
    fieldPrefix?: string;
  },
): Promise<{ values: Record<string, unknown>; errors: FieldError[] }> {
  const prefix = opts.fieldPrefix ?? "body.attributes";
  const defs = new Map(opts.definition.map((d) => [d.key, d]));
  const errors: FieldError[] = [];
  const values: Record<string, unknown> = { ...opts.current };
  for (const [key, raw] of Object.entries(opts.input)) {
    const def = defs.get(key);
    if (!def) {
      errors.push({ field: `${prefix}.${key}`, message: "not an attribute of this class" });
      continue;
    }
    if (isEmpty(raw)) {
      delete values[key];
      continue;
    }
    const list = Array.isArray(raw) ? raw : [raw];
    if (Array.isArray(raw) && !def.multiple) {
      errors.push({ field: `${prefix}.${key}`, message: "takes one value, not a list" });
      continue;
    }
    const bad = list.map((v) => scalarError(def, v)).find((e) => e !== null);
    if (bad) {
      errors.push({ field: `${prefix}.${key}`, message: bad });
      continue;
    }
    const unique = [...new Set(list)];
    values[key] = def.multiple ? unique : unique[0];
  }
  // Only definitions still in the class are kept (values of removed attributes stay in old versions).
  for (const key of Object.keys(values)) if (!defs.has(key)) delete values[key];
  for (const def of opts.definition) {
    if (def.required && isEmpty(values[def.key])) {
      errors.push({ field: `${prefix}.${def.key}`, message: "required" });
    }
  }
  if (errors.length === 0) errors.push(...(await referenceErrors(db, opts.definition, values, prefix)));
  if (errors.length === 0) errors.push(...(await uniqueErrors(db, opts, values, prefix)));
  return { values, errors };
}

async function referenceErrors(
  db: Executor,
  definition: readonly AttributeDefinition[],
  values: Record<string, unknown>,
  prefix: string,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const def of definition) {
    const value = values[def.key];
    if (isEmpty(value)) continue;
    const ids = (Array.isArray(value) ? value : [value]) as string[];
    const field = `${prefix}.${def.key}`;
    if (def.type === "catalog") {
      const found = await db
        .selectFrom("catalog_items")
        .select("id")
        .where("list", "=", def.catalog ?? "")
        .where("active", "=", true)
        .where("id", "in", ids)
        .execute();
      if (found.length !== ids.length)
        errors.push({ field, message: `not an active value of the ${def.catalog} list` });
    } else if (def.type === "user") {
      const users = await userSummaries(db, ids);
      if (users.length !== ids.length || users.some((u) => !u.active))
        errors.push({ field, message: "no such active user" });
    } else if (def.type === "organization") {
      for (const id of ids) {
        if (!(await organizationSummary(db, id))) errors.push({ field, message: "no such organization" });
      }
    } else if (def.type === "ci" || def.type === "location") {
      let q = db
        .selectFrom("cis")
        .innerJoin("ci_classes", "ci_classes.id", "cis.class_id")
        .select("cis.id")
        .where("cis.id", "in", ids);
      if (def.type === "location") q = q.where("ci_classes.code", "=", "location");
      const found = await q.execute();
      if (found.length !== ids.length) {
        errors.push({ field, message: def.type === "location" ? "no such location" : "no such CI" });
      }
    }
  }
  return errors;
}

async function uniqueErrors(
  db: Executor,
  opts: { classId: string; definition: readonly AttributeDefinition[]; ciId?: string },
  values: Record<string, unknown>,
  prefix: string,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const def of opts.definition) {
    if (!def.unique || isEmpty(values[def.key])) continue;
    for (const v of Array.isArray(values[def.key]) ? (values[def.key] as unknown[]) : [values[def.key]]) {
      const probe = JSON.stringify({ [def.key]: def.multiple ? [v] : v });
      let q = db
        .selectFrom("cis")
        .select("id")
        .where("class_id", "=", opts.classId)
        .where(sql<boolean>`attributes @> ${probe}::jsonb`);
      if (opts.ciId) q = q.where("id", "<>", opts.ciId);
      if (await q.executeTakeFirst()) {
        errors.push({ field: `${prefix}.${def.key}`, message: `another CI of this class has ${String(v)}` });
        break;
      }
    }
  }
  return errors;
}

/** The text the CI list's search runs over: name, number and the searchable attributes. */
export function searchText(
  name: string,
  number: string,
  definition: readonly AttributeDefinition[],
  values: Record<string, unknown>,
): string {
  const parts = [name, number];
  for (const def of definition) {
    if (!def.searchable) continue;
    const v = values[def.key];
    if (isEmpty(v)) continue;
    parts.push(...(Array.isArray(v) ? v : [v]).map(String));
  }
  return parts.join(" ").toLowerCase().slice(0, 20_000);
}
