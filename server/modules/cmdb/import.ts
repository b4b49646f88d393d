import { type SqlBool, sql } from "kysely";
import type { AttributeDefinition, CiListQuery } from "../../../common/cmdb.ts";
import { type Executor, inTransaction, type Tx } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, type FieldError, Invalid } from "../../platform/errors.ts";
import { findIdByKey, groupSummary, organizationSummary, userEmails } from "../identity/index.ts";
import { createCi, listCis, updateCi } from "./cis.ts";
import { readableClass } from "./classes.ts";
import { loadCmdbAccess } from "./policy.ts";
import { readSheet, type Sheet, writeCsv, writeXlsx } from "./spreadsheet.ts";

const CORE = ["name", "deploymentState", "incidentState", "organization", "group", "location"] as const;
const CORE_LABELS: Record<string, string> = {
  name: "Name",
  deploymentState: "Deployment state",
  incidentState: "Incident state",
  organization: "Organization",
  group: "Group",
  location: "Location",
};
const CHUNK = 200;
const MAX_REPORTED = 1000;

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  mapping: { column: string; field: string | null }[];
  identifiers: string[];
  errors: { line: number; errors: { column: string | null; message: string }[] }[];
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");

/** Columns to fields: what the caller said, else a column named like a field's key or label. */
function resolveMapping(columns: string[], definition: readonly AttributeDefinition[], given?: Record<string, string>) {
  const fields = new Map<string, string>();
  for (const f of CORE) {
    fields.set(norm(f), f);
    fields.set(norm(CORE_LABELS[f] ?? f), f);
  }
  for (const a of definition) {
    fields.set(norm(a.key), a.key);
    fields.set(norm(a.label), a.key);
  }
  const known = new Set([...CORE, ...definition.map((a) => a.key)]);
  const errors: FieldError[] = [];
  for (const [column, field] of Object.entries(given ?? {})) {
    if (!columns.includes(column)) errors.push({ field: `mapping.${column}`, message: "no such column in the file" });
    if (field && !known.has(field))
      errors.push({ field: `mapping.${column}`, message: `no field ${field} in this class` });
  }
  if (errors.length) throw new Invalid(errors);
  const mapping = columns.map((column) => ({
    column,
    field: given && column in given ? given[column] || null : (fields.get(norm(column)) ?? null),
  }));
  const targets = mapping.filter((m) => m.field).map((m) => m.field);
  const twice = targets.find((f, i) => targets.indexOf(f) !== i);
  if (twice) throw new Invalid([{ field: "mapping", message: `two columns map to ${twice}` }]);
  if (!targets.includes("name")) throw new Invalid([{ field: "mapping", message: "a column must give the name" }]);
  return mapping;
}

/** Names in a sheet become ids; each lookup is cached for the whole import. */
class Lookups {
  readonly #cache = new Map<string, string | null>();
  constructor(private readonly db: Executor) {}

  async #get(key: string, find: () => Promise<string | null | undefined>): Promise<string | null> {
    if (!this.#cache.has(key)) this.#cache.set(key, (await find()) ?? null);
    return this.#cache.get(key) ?? null;
  }

  catalog(list: string, name: string) {
    return this.#get(`c:${list}:${name.toLowerCase()}`, async () => {
      const r = await this.db
        .selectFrom("catalog_items")
        .select("id")
        .where("list", "=", list)
        .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
        .executeTakeFirst();
      return r?.id;
    });
  }

  user(email: string) {
    return this.#get(`u:${email.toLowerCase()}`, () => findIdByKey(this.db, "user", email));
  }

  organization(name: string) {
    return this.#get(`o:${name.toLowerCase()}`, () => findIdByKey(this.db, "organization", name));
  }

  group(name: string) {
    return this.#get(`g:${name.toLowerCase()}`, () => findIdByKey(this.db, "group", name));
  }

  /** A CI by its number (CI-000123) or by a name only one CI has. */
  ci(ref: string, locationsOnly: boolean) {
    return this.#get(`ci:${locationsOnly}:${ref}`, async () => {
      let q = this.db.selectFrom("cis").innerJoin("ci_classes", "ci_classes.id", "cis.class_id").select("cis.id");
      if (locationsOnly) q = q.where("ci_classes.code", "=", "location");
      const number = /^CI-?0*(\d{1,9})$/i.exec(ref);
      const rows = await (number ? q.where("cis.number", "=", Number(number[1])) : q.where("cis.name", "=", ref))
        .limit(2)
        .execute();
      return rows.length === 1 ? rows[0]?.id : null;
    });
  }
}

const TRUE = new Set(["true", "yes", "y", "1", "x", "ja", "oui"]);
const FALSE = new Set(["false", "no", "n", "0", "nein", "non"]);

async function attributeValue(def: AttributeDefinition, text: string, lookups: Lookups): Promise<AttributeValue> {
  const parts = def.multiple
    ? text
        .split(";")
        .map((p) => p.trim())
        .filter(Boolean)
    : [text];
  const out: (string | number | boolean)[] = [];
  for (const p of parts) {
    switch (def.type) {
      case "number": {
        if (!/^-?\d+([.,]\d+)?$/.test(p)) throw new Error(`"${p}" is not a number`);
        out.push(Number(p.replace(",", ".")));
        break;
      }
      case "boolean": {
        if (TRUE.has(p.toLowerCase())) out.push(true);
        else if (FALSE.has(p.toLowerCase())) out.push(false);
        else throw new Error(`"${p}" is not yes or no`);
        break;
      }
      case "catalog": {
        const id = await lookups.catalog(def.catalog ?? "", p);
        if (!id) throw new Error(`"${p}" is not a value of the ${def.catalog} list`);
        out.push(id);
        break;
      }
      case "user": {
        const id = await lookups.user(p);
        if (!id) throw new Error(`no user with the e-mail address ${p}`);
        out.push(id);
        break;
      }
      case "organization": {
        const id = await lookups.organization(p);
        if (!id) throw new Error(`no organization named ${p}`);
        out.push(id);
        break;
      }
      case "ci":
      case "location": {
        const id = await lookups.ci(p, def.type === "location");
        if (!id) throw new Error(`no single ${def.type === "location" ? "location" : "CI"} named or numbered ${p}`);
        out.push(id);
        break;
      }
      default:
        out.push(p);
    }
  }
  return def.multiple ? out : (out[0] ?? null);
}

interface RowInput {
  name?: string;
  deploymentStateId?: string;
  incidentState?: "operational" | "incident";
  organizationId?: string | null;
  groupId?: string | null;
  locationId?: string | null;
  attributes: Record<string, AttributeValue>;
}

type AttributeValue = string | number | boolean | null | (string | number | boolean)[];

async function rowInput(
  cells: Record<string, string>,
  mapping: { column: string; field: string | null }[],
  definition: readonly AttributeDefinition[],
  lookups: Lookups,
): Promise<{ input: RowInput; errors: { column: string; message: string }[] }> {
  const defs = new Map(definition.map((d) => [d.key, d]));
  const input: RowInput = { attributes: {} };
  const errors: { column: string; message: string }[] = [];
  for (const { column, field } of mapping) {
    if (!field) continue;
    const text = cells[column] ?? "";
    try {
      switch (field) {
        case "name":
          if (text) input.name = text;
          break;
        case "deploymentState": {
          if (!text) break;
          const id = await lookups.catalog("deployment_state", text);
          if (!id) throw new Error(`"${text}" is not a deployment state`);
          input.deploymentStateId = id;
          break;
        }
        case "incidentState":
          if (!text) break;
          if (!["operational", "incident"].includes(text.toLowerCase())) throw new Error("operational or incident");
          input.incidentState = text.toLowerCase() as "operational" | "incident";
          break;
        case "organization":
          input.organizationId = text ? await lookups.organization(text) : null;
          if (text && !input.organizationId) throw new Error(`no organization named ${text}`);
          break;
        case "group":
          input.groupId = text ? await lookups.group(text) : null;
          if (text && !input.groupId) throw new Error(`no group named ${text}`);
          break;
        case "location":
          input.locationId = text ? await lookups.ci(text, true) : null;
          if (text && !input.locationId) throw new Error(`no single location named or numbered ${text}`);
          break;
        default: {
          const def = defs.get(field);
          if (def) input.attributes[field] = text ? await attributeValue(def, text, lookups) : null;
        }
      }
    } catch (e) {
      errors.push({ column, message: (e as Error).message });
    }
  }
  return { input, errors };
}

/** The CI a row names through its identifier fields, if any; several is an error. */
async function identify(db: Executor, classId: string, identifiers: string[], input: RowInput): Promise<string | null> {
  let q = db.selectFrom("cis").select("id").where("class_id", "=", classId);
  for (const f of identifiers) {
    const value = f === "name" ? input.name : input.attributes[f];
    if (value === undefined || value === null || value === "") throw new Error(`the identifier ${f} is empty`);
    if (f === "name") q = q.where("name", "=", String(value));
    else {
      const probe = JSON.stringify({ [f]: value });
      q = q.where(sql<SqlBool>`attributes @> ${probe}::jsonb`);
    }
  }
  const rows = await q.limit(2).execute();
  if (rows.length > 1) throw new Error(`the identifiers match several CIs (${identifiers.join(", ")})`);
  return rows[0]?.id ?? null;
}

class DryRun extends Error {}

/**
 * Imports a sheet into a class. Each row becomes a new CI or updates the one
 * its identifier columns name (locked attributes stay as they are); a bad row
 * is reported with its line and reasons and the good ones are applied. Rows go
 * in chunks, each chunk one transaction and each row a savepoint, so a big
 * file never holds the database for long. A dry run does all of it and rolls
 * every chunk back.
 */
export async function importCis(
  deps: Deps,
  ctx: RequestContext,
  opts: {
    classId: string;
    sheet: Sheet;
    mapping?: Record<string, string> | undefined;
    identifiers?: string[] | undefined;
    dryRun: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportReport> {
  const access = await loadCmdbAccess(deps.db, ctx.actor);
  const cls = await readableClass(deps.db, access, opts.classId).catch(() => {
    throw new Invalid([{ field: "classId", message: "no such class" }]);
  });
  const definition = cls.attributes as AttributeDefinition[];
  const mapping = resolveMapping(opts.sheet.columns, definition, opts.mapping);
  const identifiers = opts.identifiers?.length ? opts.identifiers : ["name"];
  const mapped = new Set(mapping.map((m) => m.field));
  const unmapped = identifiers.filter((f) => !mapped.has(f));
  if (unmapped.length) {
    throw new Invalid([{ field: "identifiers", message: `no column gives ${unmapped.join(", ")}` }]);
  }
  const columnOf = new Map(mapping.filter((m) => m.field).map((m) => [m.field as string, m.column]));
  const report: ImportReport = {
    dryRun: opts.dryRun,
    rows: opts.sheet.rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    mapping,
    identifiers,
    errors: [],
  };
  const reject = (line: number, errors: { column: string | null; message: string }[]) => {
    report.rejected++;
    if (report.errors.length < MAX_REPORTED) report.errors.push({ line, errors });
  };
  const rows = opts.sheet.rows;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    try {
      await inTransaction(deps.db, async (tx: Tx) => {
        const lookups = new Lookups(tx);
        for (const row of chunk) {
          const { input, errors } = await rowInput(row.cells, mapping, definition, lookups);
          if (errors.length) {
            reject(row.line, errors);
            continue;
          }
          await sql`savepoint import_row`.execute(tx);
          try {
            const existing = await identify(tx, cls.id, identifiers, input);
            if (existing) {
              const before = await tx
                .selectFrom("cis")
                .select("version")
                .where("id", "=", existing)
                .executeTakeFirstOrThrow();
              const after = await updateCi(deps, ctx, existing, input, { source: "import", respectLocks: true, tx });
              counts[after.version === before.version ? "unchanged" : "updated"]++;
            } else {
              if (!input.name) throw new Error("a new CI needs a name");
              await createCi(deps, ctx, { ...input, name: input.name, classId: cls.id }, { source: "import", tx });
              counts.created++;
            }
            await sql`release savepoint import_row`.execute(tx);
          } catch (e) {
            await sql`rollback to savepoint import_row`.execute(tx);
            if (e instanceof AppError) {
              const fields = e.errors?.length ? e.errors : [{ field: "", message: e.message }];
              reject(
                row.line,
                fields.map((f) => {
                  const key = f.field.replace(/^body\.(attributes\.)?/, "").split(".")[0] ?? "";
                  const field = key.replace(/Id$/, "");
                  return { column: columnOf.get(key) ?? columnOf.get(field) ?? null, message: f.message };
                }),
              );
            } else if (e instanceof Error && !(e instanceof DryRun)) {
              reject(row.line, [{ column: null, message: e.message }]);
            } else throw e;
          }
        }
        if (opts.dryRun) throw new DryRun();
      });
    } catch (e) {
      if (!(e instanceof DryRun)) throw e;
    }
    report.created += counts.created;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
    opts.onProgress?.(Math.min(start + CHUNK, rows.length), rows.length);
  }
  return report;
}

export async function importFile(
  deps: Deps,
  ctx: RequestContext,
  file: Buffer,
  opts: Omit<Parameters<typeof importCis>[2], "sheet">,
) {
  return importCis(deps, ctx, { ...opts, sheet: await readSheet(file) });
}

/** The CIs a list query finds, as a sheet that imports back (references by name, e-mail or number). */
export async function exportCis(
  deps: Deps,
  ctx: RequestContext,
  query: Omit<CiListQuery, "cursor" | "limit">,
  format: "csv" | "xlsx",
): Promise<{ body: Buffer; filename: string; contentType: string }> {
  const db = deps.db;
  const access = await loadCmdbAccess(db, ctx.actor);
  const cls = query.classId ? await readableClass(db, access, query.classId) : null;
  const definition = (cls?.attributes ?? []) as AttributeDefinition[];
  const columns = [
    "Number",
    "Name",
    "Class",
    "Deployment state",
    "Incident state",
    "Organization",
    "Group",
    "Location",
  ];
  columns.push(...definition.map((d) => d.label));
  const names = new Map<string, string>();
  const nameOf = async (table: "catalog_items" | "organizations" | "groups", id: string) => {
    const key = `${table}:${id}`;
    if (!names.has(key)) {
      let name = "";
      if (table === "catalog_items") {
        name =
          (await db.selectFrom("catalog_items").select("name").where("id", "=", id).executeTakeFirst())?.name ?? "";
      } else if (table === "organizations") name = (await organizationSummary(db, id))?.name ?? "";
      else name = (await groupSummary(db, id))?.name ?? "";
      names.set(key, name);
    }
    return names.get(key) ?? "";
  };
  const refOf = async (type: string, id: string) => {
    const key = `${type}:${id}`;
    if (!names.has(key)) {
      if (type === "user") {
        names.set(key, (await userEmails(db, [id])).get(id) ?? "");
      } else {
        const r = await db.selectFrom("cis").select("number").where("id", "=", id).executeTakeFirst();
        names.set(key, r ? `CI-${String(r.number).padStart(6, "0")}` : "");
      }
    }
    return names.get(key) ?? "";
  };
  const out: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listCis(deps, ctx, { ...query, limit: 200, cursor });
    for (const ci of page.items) {
      const row = [
        ci.number,
        ci.name,
        ci.className,
        ci.deploymentState.name,
        ci.incidentState,
        ci.organizationId ? await nameOf("organizations", ci.organizationId) : "",
        ci.groupId ? await nameOf("groups", ci.groupId) : "",
        ci.locationId ? await refOf("ci", ci.locationId) : "",
      ];
      for (const d of definition) {
        const v = ci.attributes[d.key];
        const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
        const texts: string[] = [];
        for (const item of list) {
          if (d.type === "catalog") texts.push(await nameOf("catalog_items", String(item)));
          else if (d.type === "organization") texts.push(await nameOf("organizations", String(item)));
          else if (d.type === "user" || d.type === "ci" || d.type === "location")
            texts.push(await refOf(d.type, String(item)));
          else if (typeof item === "boolean") texts.push(item ? "yes" : "no");
          else texts.push(String(item));
        }
        row.push(texts.join("; "));
      }
      out.push(row);
    }
    cursor = page.nextCursor ?? undefined;
    if (out.length >= 100_000) break;
  } while (cursor);
  const base = (cls?.name ?? "cis").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  if (format === "xlsx") {
    return {
      body: await writeXlsx(cls?.name ?? "CIs", columns, out),
      filename: `${base}.xlsx`,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
  }
  return { body: writeCsv(columns, out), filename: `${base}.csv`, contentType: "text/csv; charset=utf-8" };
}
