/**
 * Loads a reference dataset: `npm run bench:seed -- --size S|M|L [--seed N]`.
 *
 * Target: the database in DATABASE_URL, or (size S only) embedded PGlite in data/bench-S. The schema is
 * migrated first. A database that already holds tickets is refused unless it carries the marker of the
 * same size (then it is already seeded and nothing happens).
 *
 * Every value derives from the row number and the seed through hashint8extended (no random()), so the
 * same size and seed give the same rows, ids included (ids are hashes shaped as version-4 UUIDs); times
 * are relative to the moment the load starts. Everything is written with INSERT … SELECT over
 * generate_series in batches, inside one transaction, with the secondary indexes of the big tables
 * built once at the end. The marker row (`settings` key `bench.dataset`) is written last.
 */
import { pathToFileURL } from "node:url";
import { type RawBuilder, sql } from "kysely";
import type { Db, Tx } from "../server/db/database.ts";
import { migrate } from "../server/db/migrate.ts";
import { createAdmin } from "../server/modules/identity/index.ts";
import {
  type DatasetMarker,
  type DatasetRefs,
  datasetOf,
  MARKER_KEY,
  parseSize,
  SIZES,
  type Size,
} from "./lib/dataset.ts";
import { formatCount, formatDuration, formatRate, Progress, type ProgressResult } from "./lib/progress.ts";
import { openTarget, type Target, TargetError } from "./lib/target.ts";

type Sql = RawBuilder<unknown>;

const words = (list: string): readonly string[] => list.split("|");

export const ADMIN_EMAIL = "bench-admin@steward.example";
export const ADMIN_PASSWORD = "bench-password-123";
export const DEFAULT_SEED = 1;

/** Tables whose secondary indexes and foreign keys are dropped during the load and put back once after it. */
const DEFERRED_TABLES = words(
  "users|tickets|ticket_articles|ticket_sla_clocks|ticket_watchers|ticket_links|ticket_cis|audit_log|cis|ci_relations|ci_versions|ci_service_subscriptions|ci_discovery|ci_discovery_log|changes|change_cis|change_work_orders|change_approvals|change_tickets",
);

/** Tables counted in the marker and the summary. */
const COUNTED_TABLES = [
  "organizations",
  "users",
  "groups",
  "group_members",
  "categories",
  "custom_field_defs",
  "tickets",
  "ticket_articles",
  "ticket_watchers",
  "ticket_links",
  "ticket_sla_clocks",
  "ticket_cis",
  "cis",
  "ci_versions",
  "ci_relations",
  "ci_service_subscriptions",
  "ci_redundancy_groups",
  "ci_discovery",
  "ci_discovery_log",
  "changes",
  "change_cis",
  "change_work_orders",
  "change_approvals",
  "change_tickets",
  "audit_log",
] as const;

// ---------------------------------------------------------------------------------------------------------
// Deterministic values in SQL

const lit = (v: number | string): Sql => sql.lit(v);
const textArray = (xs: readonly string[]): Sql => sql`array[${sql.join(xs.map((x) => sql.lit(x)))}]::text[]`;
const intArray = (xs: readonly number[]): Sql => sql`array[${sql.join(xs.map((x) => sql.lit(x)))}]::int[]`;
/** `x` as text, left-padded with zeros to `w` digits (never cut: lpad would truncate longer numbers). */
const zpad = (x: Sql, w: number): Sql => sql`lpad((${x})::text, greatest(${lit(w)}, length((${x})::text)), '0')`;
const uuidArray = (xs: readonly string[]): Sql =>
  xs.length ? sql`array[${sql.join(xs.map((x) => sql.lit(x)))}]::uuid[]` : sql`array[]::uuid[]`;

/** Id tags: each table's ids come from their own hash keys. */
const TAG = {
  org: 1,
  employee: 2,
  agent: 3,
  group: 4,
  category: 5,
  ticket: 6,
  entry: 7,
  ci: 8,
  relation: 9,
  change: 10,
  workOrder: 11,
  approval: 12,
  sla: 13,
  calendar: 14,
  customField: 15,
  template: 16,
  redundancy: 17,
  discoveryLog: 18,
  window: 19,
  view: 20,
  approverSet: 21,
  systemUuid: 22,
} as const;

class Gen {
  constructor(readonly seed: number) {}

  #key(salt: number): Sql {
    return lit(this.seed * 1_000_003 + salt);
  }

  /** A non-negative int8 hash of `x`. */
  raw(x: Sql, salt: number): Sql {
    return sql`(hashint8extended((${x})::int8, ${this.#key(salt)}) & 9223372036854775807)`;
  }

  /** 0 … m-1. */
  pick(x: Sql, salt: number, m: number | Sql): Sql {
    const mod = typeof m === "number" ? lit(Math.max(1, m)) : m;
    return sql`(${this.raw(x, salt)} % (${mod}))::int`;
  }

  /** Uniform in [0, 1). */
  u(x: Sql, salt: number): Sql {
    return sql`(${this.raw(x, salt)}::float8 / 9223372036854775808.0)`;
  }

  /** One of `words`. */
  word(words: readonly string[], x: Sql, salt: number): Sql {
    return sql`(${textArray(words)})[1 + ${this.pick(x, salt, words.length)}]`;
  }

  /** A version-4-shaped UUID from two 64-bit hashes of `x` under the tag's keys. */
  uid(tag: number, x: Sql): Sql {
    const k1 = lit(this.seed * 1_000_003 + 500_000 + tag * 2);
    const k2 = lit(this.seed * 1_000_003 + 500_001 + tag * 2);
    return sql`overlay(overlay(lpad(to_hex(hashint8extended((${x})::int8, ${k1})), 16, '0') || lpad(to_hex(hashint8extended((${x})::int8, ${k2})), 16, '0') placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Word lists

const FIRST = words(
  "Anna|Ben|Carla|David|Elena|Felix|Greta|Hugo|Ines|Jonas|Kira|Lars|Maria|Nils|Olga|Paul|Rosa|Sven|Tara|Uwe|Vera|Willem|Yara|Zoe|Amir|Bianca|Chen|Dana|Emil|Fatima|Gabriel|Hana|Igor|Julia|Kenji|Lena|Marco|Nora|Omar|Priya",
);
const LAST = words(
  "Schmidt|Meyer|Novak|Rossi|Garcia|Jensen|Kowalski|Dubois|Silva|Larsen|Fischer|Weber|Moreau|Costa|Horvat|Nielsen|Bauer|Richter|Keller|Wagner|Petrov|Yilmaz|Okafor|Tanaka|Murphy|Smith|Brown|Lopez|Martin|Berg|Lindqvist|Nowak|Popescu|Varga|Svoboda|Hoffmann|Koch|Wolf|Lang|Haas",
);
const ORG_ADJ = words(
  "Northwind|Contoso|Fabrikam|Tailspin|Woodgrove|Litware|Adatum|Proseware|Lucerne|Margie|Coho|Wingtip|Alpine|Fourth|Blue Yonder|Humongous|Trey|Wide World|Southridge|Graphic",
);
const ORG_NOUN = words(
  "Logistics|Insurance|Bank|Foods|Motors|Pharma|Energy|Retail|Media|Airlines|Hotels|Telecom|Clinics|Textiles|Chemicals|Publishing|Robotics|Shipping|Software|Construction",
);
const ORG_SUFFIX = ["GmbH", "Ltd", "Inc", "AG", "SA"];
const GROUP_NAMES = words(
  "Network Operations|Server Team|Database Team|Workplace Services|Application Support|Identity and Access|Security Operations|Field Services|Cloud Platform|ERP Support|Telephony|Service Catalog|Facilities IT|Data Center|Storage Team|Backup and Recovery|Monitoring|Mobile Devices|Print Services|Collaboration",
);
const SUBJECTS = words(
  "VPN|Outlook|printer|laptop|Wi-Fi|SAP|Teams|password|monitor|docking station|SharePoint|CRM|badge reader|phone|ERP|database|backup|firewall|mail|license|network drive|payroll|website|scanner|keyboard|calendar|intranet|browser",
);
const INCIDENT_PHRASES = words(
  "is not working|is very slow|keeps disconnecting|shows an error|cannot log in|crashes on start|lost connection|access denied|does not sync|freezes every few minutes",
);
const REQUEST_PHRASES = ["Request: new", "Access request for", "Please install", "Replace broken", "Set up", "Move"];
const PROBLEM_PHRASES = ["Recurring outages of", "Root cause analysis:", "Intermittent failures of", "Known error in"];
const CUSTOMER_OPENINGS = words(
  "Hello, since this morning the|Hi team, my|Good morning, the|Dear support, our|Urgent: the|Hello, again the",
);
const CUSTOMER_REPLIES = words(
  "Thanks for the quick reply, but the|Hello, unfortunately the|Any update on this? The|I tried again this morning and the|Thank you, the|Just to let you know that the",
);
const CUSTOMER_ENDINGS = words(
  "still happens.|is still not fixed.|works again, thanks!|fails every time I try.|is blocking my work.|happens on two other machines as well.",
);
const AGENT_REPLIES = words(
  "Hello, could you please restart your computer and try again?|We have escalated this to the second-level team.|A technician will come by this afternoon.|Please send us a screenshot of the error message.|We applied a fix on the server side, please check again.|Could you tell us since when this happens and on which device?|The vendor confirmed the issue, a patch is scheduled for tonight.|We reset your account, please sign in with the temporary password.",
);
const NOTES = words(
  "Checked the logs, nothing unusual.|Called the user, waiting for feedback.|Vendor case opened.|Known issue, linked to the problem record.|Reproduced on a test machine.|Workaround applied, monitoring for a day.|Asked the network team to check the switch port.",
);
const RESOLUTIONS = words(
  "Restarted the service.|Replaced the device.|Reset the password.|Applied the vendor patch.|Corrected the configuration.|User error, explained the procedure.|Cleared the local cache.",
);
const CITIES = ["Berlin", "Hamburg", "Munich", "Vienna", "Zurich", "Amsterdam", "Lyon", "Milan", "Prague", "Warsaw"];
const APPS = words(
  "Payroll|HR Portal|Billing|CRM|Order Management|Warehouse|Intranet|Ticket Shop|Customer Portal|Data Warehouse|Reporting|Mail Gateway|Identity Provider|Document Archive|Time Tracking|Procurement|Fleet Management|Learning Platform|Chat|Web Shop",
);
const SERVICES = words(
  "E-mail|ERP|Online Banking|Customer Portal|Payroll Service|Web Shop|Telephony|File Sharing|Video Conferencing|Printing|Remote Access|Reporting Service",
);
const SOFTWARE = words(
  "Microsoft Office|Mozilla Firefox|Google Chrome|Adobe Acrobat Reader|7-Zip|Zoom|Slack|Visual Studio Code|Notepad++|VLC media player|LibreOffice|Java Runtime|Python|Git",
);
const PUBLISHERS = ["Microsoft", "Mozilla", "Google", "Adobe", "Igor Pavlov", "Zoom", "Salesforce", "Oracle"];
const OS_CLIENT = ["Windows 11 Enterprise", "Windows 10 Enterprise", "macOS 14", "Ubuntu 22.04 LTS"];
const OS_SERVER = ["Windows Server 2022", "Red Hat Enterprise Linux 9", "Ubuntu 22.04 LTS", "Debian 12"];
const ENGINES = ["PostgreSQL", "Oracle", "SQL Server", "MySQL"];
const CHANGE_TITLES = words(
  "Patch operating system on|Upgrade firmware of|Replace disk in|Migrate|Extend storage of|Renew certificate on|Restart cluster of|Decommission|Update configuration of|Install security update on",
);

/** Incident, request, problem: the order of ticket types within each block of 20 tickets (70 / 25 / 5 %). */
const TYPE_PATTERN = "IIRIIRIIIRIPIIRIIRII";
const TYPE_OF: Record<string, string> = { I: "incident", R: "service_request", P: "problem" };

/** Minutes per target and priority (24×7 calendar). */
const FIRST_RESPONSE_MIN: Record<string, number> = { P1: 30, P2: 60, P3: 240, P4: 480 };
const RESOLUTION_MIN: Record<string, number> = { P1: 480, P2: 2880, P3: 7200, P4: 20160 };

// ---------------------------------------------------------------------------------------------------------

export interface SeedOptions {
  seed?: number;
  /** Where progress and the summary go (default stdout). */
  out?: NodeJS.WriteStream;
}

export interface SeedResult {
  marker: DatasetMarker;
  steps: ProgressResult[];
}

/** Why a database cannot be seeded (not empty, another size). */
export class SeedRefused extends Error {}

/** The per-class layout of the estate: share of the CIs and the order classes are written in. */
const CLASS_SHARES: [code: string, share: number, min: number][] = [
  ["location", 0.005, 5],
  ["network_device", 0.01, 6],
  ["server", 0.1, 20],
  ["virtual_machine", 0.25, 40],
  ["database", 0.03, 8],
  ["application", 0.1, 60],
  ["business_service", 0.01, 6],
  ["software", 0.15, 10],
  ["computer", 0, 10],
];

interface ClassPlan {
  id: string;
  code: string;
  name: string;
  version: number;
  attributes: {
    key: string;
    type: string;
    required?: boolean;
    searchable?: boolean;
    multiple?: boolean;
    catalog?: string;
    label?: string;
  }[];
  count: number;
  /** Global CI number of the class's first CI, minus one. */
  start: number;
}

/** Loads the dataset of `size` into an empty, migrated target. */
export async function seedDataset(target: Target, size: Size, options: SeedOptions = {}): Promise<SeedResult> {
  const out = options.out ?? process.stdout;
  const seed = options.seed ?? DEFAULT_SEED;
  const spec = SIZES[size];
  const db = target.database.db;
  const g = new Gen(seed);
  const began = performance.now();
  const steps: ProgressResult[] = [];
  const log = (line: string) => out.write(`${line}\n`);

  const applied = await migrate(db);
  if (applied.length) log(`migrated: ${applied.length} migrations applied`);
  const existing = await datasetOf(db);
  if (existing) {
    if (existing.size === size) throw new SeedRefused(`already seeded with size ${size} (seed ${existing.seed})`);
    throw new SeedRefused(
      `this database holds the ${existing.size} dataset; use another database for size ${size} (or drop this one)`,
    );
  }
  const busy = await sql<{ tickets: string; cis: string; changes: string }>`select
      (select count(*) from (select 1 from tickets limit 1) t) as tickets,
      (select count(*) from (select 1 from cis limit 1) c) as cis,
      (select count(*) from (select 1 from changes limit 1) h) as changes`.execute(db);
  const b = busy.rows[0];
  if (b && (Number(b.tickets) > 0 || Number(b.cis) > 0 || Number(b.changes) > 0)) {
    throw new SeedRefused(
      "the database is not empty (it has tickets, CIs or changes) and carries no benchmark marker; " +
        "seed into a new, empty database" +
        (target.kind === "pglite" ? ` (remove ${target.dataDir} to start over)` : ""),
    );
  }

  log(`seeding size ${size} (seed ${seed}) into ${target.label}`);
  // The administrator through the app's own path (argon2id hash); every agent reuses that hash.
  await createAdmin({ db }, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, name: "Bench Administrator" }, "cli");
  const adminRow = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where("email", "=", ADMIN_EMAIL)
    .executeTakeFirstOrThrow();
  const passwordHash = adminRow.password_hash as string;
  const adminId = adminRow.id;
  const anchor = new Date(Math.floor(Date.now() / 60_000) * 60_000);

  await db.transaction().execute(async (tx) => {
    const big = target.kind === "postgres";
    await sql`set local maintenance_work_mem = ${sql.lit(big ? "512MB" : "128MB")}`.execute(tx);
    await sql`set local work_mem = ${sql.lit(big ? "64MB" : "32MB")}`.execute(tx);
    const deferred = await dropDeferrable(tx);
    const ctx: Ctx = { tx, g, spec, size, anchor, adminId, passwordHash, steps, out, kind: target.kind };
    await seedIdentity(ctx);
    await seedServiceDeskSetup(ctx);
    const estate = await seedCmdb(ctx);
    await seedTickets(ctx, estate);
    await seedChanges(ctx, estate);
    await seedAudit(ctx);
    const p = new Progress("indexes and keys", deferred.length, out);
    for (const def of deferred) {
      await sql.raw(def).execute(tx);
      p.add(1);
    }
    steps.push(p.finish());
  });

  const p = new Progress("vacuum analyze", 1, out);
  await sql`vacuum (analyze)`.execute(db);
  steps.push(p.finish(0));

  const counts = await countRows(db);
  const refs = await collectRefs(db, g, spec);
  const agents = (
    await db
      .selectFrom("users")
      .select("email")
      .where("kind", "=", "agent")
      .where("admin", "=", false)
      .orderBy("email")
      .execute()
  ).map((r) => r.email);
  const seconds = (performance.now() - began) / 1000;
  const marker: DatasetMarker = {
    format: 1,
    size,
    seed,
    seededAt: new Date().toISOString(),
    seconds: Math.round(seconds * 10) / 10,
    counts,
    admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    agentPassword: ADMIN_PASSWORD,
    agents,
    refs,
  };
  await db
    .insertInto("settings")
    .values({ key: MARKER_KEY, value: JSON.stringify(marker) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(marker), updated_at: new Date() }))
    .execute();
  printSummary(out, steps, counts, seconds, target, size);
  return { marker, steps };
}

interface Ctx {
  tx: Tx;
  g: Gen;
  spec: (typeof SIZES)[Size];
  size: Size;
  anchor: Date;
  adminId: string;
  passwordHash: string;
  steps: ProgressResult[];
  out: NodeJS.WriteStream;
  kind: Target["kind"];
}

/**
 * Drops what slows a bulk load on the big tables: secondary (non-constraint) indexes and foreign keys.
 * Returns the statements that put them back (indexes first; each foreign key is validated when re-added).
 */
async function dropDeferrable(tx: Tx): Promise<string[]> {
  const indexes = await sql<{ name: string; def: string }>`
    select quote_ident(ic.relname) as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    where t.relnamespace = 'public'::regnamespace
      and t.relname = any(${textArray(DEFERRED_TABLES)})
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
    order by t.relname, ic.relname`.execute(tx);
  const keys = await sql<{ tbl: string; name: string; def: string }>`
    select quote_ident(t.relname) as tbl, quote_ident(c.conname) as name, pg_get_constraintdef(c.oid) as def
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    where c.contype = 'f' and t.relnamespace = 'public'::regnamespace
      and t.relname = any(${textArray(DEFERRED_TABLES)})
    order by t.relname, c.conname`.execute(tx);
  for (const r of indexes.rows) await sql.raw(`drop index ${r.name}`).execute(tx);
  for (const r of keys.rows) await sql.raw(`alter table ${r.tbl} drop constraint ${r.name}`).execute(tx);
  return [
    ...indexes.rows.map((r) => r.def),
    ...keys.rows.map((r) => `alter table ${r.tbl} add constraint ${r.name} ${r.def}`),
  ];
}

/**
 * Runs `count` source rows through `fn(lo, hi)` in batches of `batch`, with a progress bar. The bar counts the
 * rows written (`fn`'s answer) against `expected` when given, else the source rows.
 */
async function batched(
  ctx: Ctx,
  label: string,
  count: number,
  batch: number,
  fn: (lo: number, hi: number) => Promise<number | undefined>,
  expected?: number,
): Promise<number> {
  const p = new Progress(label, expected ?? count, ctx.out);
  let rows = 0;
  for (let lo = 1; lo <= count; lo += batch) {
    const hi = Math.min(count, lo + batch - 1);
    const n = await fn(lo, hi);
    rows += n ?? hi - lo + 1;
    p.set(expected === undefined ? hi : rows);
  }
  ctx.steps.push(p.finish(rows));
  return rows;
}

/** One statement with a one-step bar; returns the rows it wrote. */
async function step(ctx: Ctx, label: string, query: Sql): Promise<number> {
  const p = new Progress(label, 0, ctx.out);
  const r = await query.execute(ctx.tx);
  const rows = Number(r.numAffectedRows ?? 0);
  ctx.steps.push(p.finish(rows));
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Identity: organizations, customers (employees), agents, groups

/** The organization (1-based) of employee k: the first `largestOrganization` in organization 1, one each next, the rest skewed. */
function orgOf(ctx: Ctx, k: Sql): Sql {
  const { organizations: O, largestOrganization: L } = ctx.spec;
  return sql`(case when (${k}) <= ${lit(L)} then 1
    when (${k}) <= ${lit(L + O - 1)} then (${k}) - ${lit(L)} + 1
    else 2 + floor(${lit(O - 1)} * power(${ctx.g.u(k, 77)}, 2))::int end)`;
}

/** Agents of group gi (1-based, primary membership): gi, gi + G, gi + 2G, … */
function agentOfGroup(ctx: Ctx, gi: Sql, x: Sql, salt: number): Sql {
  const { agents: A, groups: G } = ctx.spec;
  return sql`((${gi}) + ${lit(G)} * ${ctx.g.pick(x, salt, sql`(${lit(A)} - (${gi})) / ${lit(G)} + 1`)})`;
}

/** Service Desk members: agents 1 … this. */
const serviceDeskAgents = (A: number) => Math.max(2, Math.ceil(A / 10));

async function seedIdentity(ctx: Ctx): Promise<void> {
  const { tx, g, spec, anchor } = ctx;
  const span = spec.years * 365 * 86_400;
  const O = spec.organizations;
  await step(
    ctx,
    "organizations",
    sql`insert into organizations (id, name, domains, tickets_shared, active, created_at, updated_at)
      select ${g.uid(TAG.org, sql`i`)}, nm, array[lower(replace(replace(nm, ' ', '-'), '.', '')) || '.example'],
        i % 4 = 0, i % 97 <> 0, ts, ts
      from (select i,
          case when i = 1 then 'Contoso Group'
            else (${textArray(ORG_ADJ)})[1 + (i - 1) % ${lit(ORG_ADJ.length)}] || ' ' ||
              (${textArray(ORG_NOUN)})[1 + ((i - 1) / ${lit(ORG_ADJ.length)}) % ${lit(ORG_NOUN.length)}] || ' ' ||
              (${textArray(ORG_SUFFIX)})[1 + ((i - 1) / ${lit(ORG_ADJ.length * ORG_NOUN.length)}) % ${lit(ORG_SUFFIX.length)}] ||
              case when i > ${lit(ORG_ADJ.length * ORG_NOUN.length * ORG_SUFFIX.length)} then ' ' || i else '' end
          end as nm,
          ${lit(anchor.toISOString())}::timestamptz - make_interval(secs => ${lit(span)} * (1 + ${g.u(sql`i`, 3)}) / 2) as ts
        from generate_series(1, ${lit(O)}) i offset 0) x`,
  );
  await batched(ctx, "users (employees)", spec.employees, 50_000, async (lo, hi) => {
    const r = await sql`insert into users (id, email, name, kind, active, organization_id, created_at, updated_at)
      select ${g.uid(TAG.employee, sql`k`)},
        lower(f || '.' || l || '.' || k || '@' || o.domains[1]), f || ' ' || l, 'customer', k % 50 <> 0, o.id, ts, ts
      from (select k, ${g.word(FIRST, sql`k`, 4)} as f, ${g.word(LAST, sql`k`, 5)} as l,
          ${g.uid(TAG.org, orgOf(ctx, sql`k`))} as org,
          ${lit(anchor.toISOString())}::timestamptz - make_interval(secs => ${lit(span)} * ${g.u(sql`k`, 6)}) as ts
        from generate_series(${lit(lo)}, ${lit(hi)}) k offset 0) x
      join organizations o on o.id = x.org`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  });
  // The reference customer signs in (portal scenarios).
  await sql`update users set password_hash = ${ctx.passwordHash} where id = ${g.uid(TAG.employee, lit(1))}`.execute(tx);
  await step(
    ctx,
    "users (agents)",
    sql`insert into users (id, email, name, kind, password_hash, last_login_at, created_at, updated_at)
      select ${g.uid(TAG.agent, sql`a`)}, lower(f || '.' || l || '.' || ${zpad(sql`a`, 3)} || '@servicedesk.steward.example'),
        f || ' ' || l, 'agent', ${ctx.passwordHash}, ${lit(anchor.toISOString())}::timestamptz - interval '1 day',
        ${lit(anchor.toISOString())}::timestamptz - make_interval(days => ${lit(spec.years * 365)}), ${lit(anchor.toISOString())}::timestamptz - make_interval(days => ${lit(spec.years * 365)})
      from (select a, ${g.word(FIRST, sql`a`, 7)} as f, ${g.word(LAST, sql`a`, 8)} as l
        from generate_series(1, ${lit(spec.agents)}) a) x`,
  );
  const names = Array.from({ length: spec.groups }, (_, i) =>
    i < GROUP_NAMES.length
      ? (GROUP_NAMES[i] as string)
      : `Regional Support ${String(i + 1 - GROUP_NAMES.length).padStart(2, "0")}`,
  );
  await step(
    ctx,
    "groups",
    sql`insert into groups (id, name, description)
      select ${g.uid(TAG.group, sql`i`)}, (${textArray(names)})[i], 'Resolver group ' || i
      from generate_series(1, ${lit(spec.groups)}) i`,
  );
  const A = spec.agents;
  const G = spec.groups;
  await step(
    ctx,
    "group members",
    sql`insert into group_members (group_id, user_id)
      select distinct gid, uid from (
        select ${g.uid(TAG.group, sql`1 + (a - 1) % ${lit(G)}`)} as gid, ${g.uid(TAG.agent, sql`a`)} as uid from generate_series(1, ${lit(A)}) a
        union all
        select ${g.uid(TAG.group, sql`1 + (a * 7) % ${lit(G)}`)}, ${g.uid(TAG.agent, sql`a`)} from generate_series(1, ${lit(A)}) a where a % 3 = 0
        union all
        select (select id from groups where lower(name) = 'service desk'), ${g.uid(TAG.agent, sql`a`)}
          from generate_series(1, ${lit(serviceDeskAgents(A))}) a
      ) m`,
  );
  await sql`insert into user_roles (user_id, role_id)
    select u.id, r.id from users u join roles r on r.name = 'Agent' where u.kind = 'agent' and not u.admin
    union all
    select ${g.uid(TAG.agent, sql`a`)}, r.id from generate_series(1, ${lit(A)}) a join roles r on r.name = 'Configuration manager'
      where a % 5 = 1
    union all
    select ${g.uid(TAG.agent, sql`a`)}, r.id from generate_series(1, ${lit(A)}) a join roles r on r.name = 'User manager'
      where a % 10 = 2`.execute(tx);
}

// ---------------------------------------------------------------------------------------------------------
// Service-desk setup: categories, custom fields, SLA calendars and policies, saved views

const CATEGORY_TREE: [string, string[]][] = [
  ["Hardware", ["Laptop", "Desktop", "Monitor", "Printer", "Phone"]],
  ["Software", ["Office", "Browser", "Business application", "Installation"]],
  ["Network", ["VPN", "Wi-Fi", "LAN", "Firewall"]],
  ["Accounts", ["Password reset", "New account", "Permissions"]],
  ["E-mail", ["Mailbox", "Spam", "Distribution list"]],
  ["Facilities", ["Badge", "Meeting room"]],
  ["Security", ["Phishing", "Malware", "Lost device"]],
];
const CHILD_CATEGORIES = CATEGORY_TREE.flatMap(([, children]) => children).length;

async function seedServiceDeskSetup(ctx: Ctx): Promise<void> {
  const { tx, g } = ctx;
  let parent = 0;
  let child = 0;
  for (const [name, children] of CATEGORY_TREE) {
    parent++;
    await sql`insert into categories (id, name) values (${g.uid(TAG.category, lit(1000 + parent))}, ${name})`.execute(
      tx,
    );
    for (const c of children) {
      child++;
      await sql`insert into categories (id, parent_id, name)
        values (${g.uid(TAG.category, lit(child))}, ${g.uid(TAG.category, lit(1000 + parent))}, ${c})`.execute(tx);
    }
  }
  const fields: [type: string, key: string, label: string, kind: string, options: string[]][] = [
    ["incident", "environment", "Environment", "select", ["production", "staging", "test", "development"]],
    ["incident", "affected_users", "Affected users", "number", []],
    ["incident", "vip", "VIP caller", "checkbox", []],
    ["service_request", "cost_center", "Cost center", "text", []],
    ["service_request", "delivery_date", "Wanted by", "date", []],
    [
      "service_request",
      "hardware_model",
      "Model",
      "select",
      ["standard laptop", "developer laptop", "tablet", "phone"],
    ],
    ["problem", "rca_due", "Root cause due", "date", []],
    ["problem", "vendor_case", "Vendor case", "text", []],
  ];
  let i = 0;
  for (const [type, key, label, kind, options] of fields) {
    i++;
    await sql`insert into custom_field_defs (id, ticket_type, key, label, kind, options, position)
      values (${g.uid(TAG.customField, lit(i))}, ${type}, ${key}, ${label}, ${kind}, ${options.length ? textArray(options) : sql`'{}'::text[]`}, ${i * 10})`.execute(
      tx,
    );
  }
  await sql`insert into calendars (id, name, timezone, hours) values
    (${g.uid(TAG.calendar, lit(1))}, 'Around the clock', 'UTC', '[]'),
    (${g.uid(TAG.calendar, lit(2))}, 'Office hours Berlin', 'Europe/Berlin',
      '[{"day":1,"start":"08:00","end":"18:00"},{"day":2,"start":"08:00","end":"18:00"},{"day":3,"start":"08:00","end":"18:00"},{"day":4,"start":"08:00","end":"18:00"},{"day":5,"start":"08:00","end":"17:00"}]')`.execute(
    tx,
  );
  for (const [k, p] of ["P1", "P2", "P3", "P4"].entries()) {
    const targets = JSON.stringify({
      firstResponseMinutes: FIRST_RESPONSE_MIN[p],
      resolutionMinutes: RESOLUTION_MIN[p],
    });
    await sql`insert into sla_policies (id, name, calendar_id, position, match, targets, pause_on)
      values (${g.uid(TAG.sla, lit(k + 1))}, ${`${p} tickets`}, ${g.uid(TAG.calendar, lit(1))}, ${(k + 1) * 10},
        ${JSON.stringify({ priorities: [p] })}::jsonb, ${targets}::jsonb,
        '[{"state":"on_hold","reason":"awaiting_customer"},{"state":"on_hold","reason":"awaiting_vendor"}]'::jsonb)`.execute(
      tx,
    );
  }
  const busy = g.uid(TAG.agent, lit(1));
  await sql`insert into saved_views (id, owner_id, name, filters, position) values
    (${g.uid(TAG.view, lit(1))}, ${busy}, 'My P1 and P2', '{"priority": ["P1", "P2"], "assigneeId": "me", "stateType": ["new", "open", "pending"]}', 100),
    (${g.uid(TAG.view, lit(2))}, ${busy}, 'Waiting for customer', '{"state": ["on_hold"], "assigneeId": "me"}', 110),
    (${g.uid(TAG.view, lit(3))}, ${busy}, 'VPN this month', '{"q": "vpn", "sort": "-updatedAt"}', 120)`.execute(tx);
}

// ---------------------------------------------------------------------------------------------------------
// CMDB

interface Estate {
  classes: Map<string, ClassPlan>;
  /** Id expression of CI `i` (0-based) of a class. */
  ci(code: string, i: Sql): Sql;
  count(code: string): number;
  chain: { length: number; chains: number };
}

/** Attribute value expression for a definition: the class decides what a realistic value is. */
function attributeValue(
  ctx: Ctx,
  code: string,
  def: ClassPlan["attributes"][number],
  i: Sql,
  num: Sql,
  name: Sql,
  catalogs: Map<string, string[]>,
  hasLocations: boolean,
  locationStart: number,
  locations: number,
): Sql | null {
  const { g, spec, anchor } = ctx;
  const salt = 200 + [...def.key].reduce((s, c) => s + c.charCodeAt(0), 0);
  const ip = (first: number) =>
    sql`${lit(`${first}.`)} || ((${num} >> 16) & 255) || '.' || ((${num} >> 8) & 255) || '.' || (${num} & 255)`;
  const many = (v: Sql) => (def.multiple ? sql`jsonb_build_array(${v})` : v);
  const key = def.key;
  const pickOf = (xs: readonly (string | number)[]) =>
    typeof xs[0] === "number"
      ? sql`(${intArray(xs as number[])})[1 + ${g.pick(i, salt, xs.length)}]`
      : g.word(xs as string[], i, salt);
  const isServerish = code === "server" || code === "virtual_machine";
  switch (def.type) {
    case "catalog": {
      const ids = catalogs.get(def.catalog ?? "") ?? [];
      if (ids.length === 0) return null;
      return many(sql`(${uuidArray(ids)})[1 + ${g.pick(i, salt, ids.length)}]::text`);
    }
    case "user":
      // A computer's user: the same employee whose organization owns it.
      if (code === "computer")
        return many(sql`${g.uid(TAG.employee, sql`1 + ${g.pick(i, 44, spec.employees)}`)}::text`);
      return many(sql`${g.uid(TAG.agent, sql`1 + ${g.pick(i, salt, spec.agents)}`)}::text`);
    case "organization":
      return many(sql`${g.uid(TAG.org, sql`1 + ${g.pick(i, salt, spec.organizations)}`)}::text`);
    case "ci":
    case "location":
      if (!hasLocations || locations === 0) return null;
      return many(sql`${g.uid(TAG.ci, sql`${lit(locationStart + 1)} + ${g.pick(i, salt, locations)}`)}::text`);
    case "number": {
      const v =
        key === "memoryMb"
          ? pickOf(isServerish ? [16384, 32768, 65536, 131072] : [8192, 16384, 32768])
          : key === "cpuCores"
            ? pickOf([8, 16, 32, 64])
            : key === "vcpus"
              ? pickOf([2, 4, 8, 16])
              : key === "ports"
                ? pickOf([24, 48, 52])
                : key === "sizeGb"
                  ? sql`(10 + ${g.pick(i, salt, 2000)})`
                  : sql`${g.pick(i, salt, 100)}`;
      return many(v);
    }
    case "date":
      return many(
        sql`to_char(${lit(anchor.toISOString())}::timestamptz::date + (${g.pick(i, salt, 1500)} - 500), 'YYYY-MM-DD')`,
      );
    case "boolean":
      return many(sql`(${g.pick(i, salt, 2)} = 0)`);
    case "longtext":
      if (key === "address")
        return sql`${g.pick(i, salt, 200)} + 1 || ' ' || ${g.word(["Main Street", "Station Road", "Harbour Way", "Park Avenue", "Mill Lane"], i, salt + 1)}`;
      return sql`${lit("Operated by the IT department. Contact the service owner for changes. Reference ")} || ${num}`;
    default: {
      // text
      let v: Sql;
      if (key === "hostname")
        v = sql`lower(${name}) || ${lit(code === "network_device" ? ".net.example" : ".corp.example")}`;
      else if (key === "serial") v = sql`'SN' || upper(lpad(to_hex(${g.raw(i, salt)} % 4294967296), 8, '0'))`;
      else if (key === "uuid") v = sql`${g.uid(TAG.systemUuid, num)}::text`;
      else if (key === "manufacturer") v = pickOf(["Dell", "HP", "Lenovo", "Apple", "Microsoft"]);
      else if (key === "model")
        v = pickOf(
          code === "network_device"
            ? ["Catalyst 9300", "Catalyst 9500", "Nexus 93180", "FortiGate 200F"]
            : code === "server"
              ? ["PowerEdge R750", "ProLiant DL380", "ThinkSystem SR650"]
              : ["Latitude 7440", "EliteBook 840", "ThinkPad T14", "MacBook Pro 14"],
        );
      else if (key === "os") v = pickOf(isServerish ? OS_SERVER : OS_CLIENT);
      else if (key === "osVersion") v = sql`'10.0.' || (19045 + ${g.pick(i, salt, 900)})`;
      else if (key === "cpu")
        v = pickOf(["Intel Core i7-1265U", "Intel Core i5-1345U", "AMD Ryzen 7 PRO 7840U", "Apple M3"]);
      else if (key === "disks") v = pickOf(["256 GB SSD", "512 GB SSD", "1 TB SSD"]);
      else if (key === "macAddresses")
        v = sql`'00:1a:2b:' || lpad(to_hex((${num} >> 16) & 255), 2, '0') || ':' || lpad(to_hex((${num} >> 8) & 255), 2, '0') || ':' || lpad(to_hex(${num} & 255), 2, '0')`;
      else if (key === "ipAddresses") v = ip(code === "server" ? 172 : code === "virtual_machine" ? 10 : 192);
      else if (key === "managementIp") v = ip(192);
      else if (key === "firmware") v = sql`'17.' || ${g.pick(i, salt, 12)} || '.' || ${g.pick(i, salt + 1, 6)}`;
      else if (key === "publisher") v = pickOf(PUBLISHERS);
      else if (key === "version") v = sql`(1 + ${g.pick(i, salt, 20)}) || '.' || ${g.pick(i, salt + 1, 10)}`;
      else if (key === "license") v = pickOf(["Commercial", "Open source", "Subscription"]);
      else if (key === "url") v = sql`'https://' || lower(replace(${name}, ' ', '-')) || '.apps.example'`;
      else if (key === "engine") v = pickOf(ENGINES);
      else if (key === "city") v = pickOf(CITIES);
      else if (key === "country") v = pickOf(["Germany", "Austria", "Switzerland", "Netherlands", "France"]);
      else v = sql`${lit(def.label ?? key)} || ' ' || ${num}`;
      if (key === "ipAddresses" && def.multiple)
        return sql`jsonb_build_array(${v}, ${ip(code === "server" ? 173 : 11)})`;
      return many(v);
    }
  }
}

/** The name expression of CI `i` (0-based) of a class. */
function ciName(ctx: Ctx, cls: ClassPlan, i: Sql): Sql {
  const { g } = ctx;
  const pad = (prefix: string, w: number) => sql`${lit(prefix)} || ${zpad(sql`${i} + 1`, w)}`;
  const listed = (xs: readonly string[]) =>
    sql`(${textArray(xs)})[1 + (${i}) % ${lit(xs.length)}] || case when (${i}) >= ${lit(xs.length)} then ' ' || ((${i}) / ${lit(xs.length)} + 1) else '' end`;
  switch (cls.code) {
    case "location":
      return sql`${g.word(CITIES, i, 31)} || ' site ' || (${i} + 1)`;
    case "network_device":
      return sql`case when (${i}) < 2 then 'core-sw-0' || (${i} + 1) else 'acc-sw-' || ${zpad(sql`${i} - 1`, 4)} end`;
    case "server":
      return pad("srv-", 5);
    case "virtual_machine":
      return pad("vm-", 6);
    case "database":
      return sql`'db-' || lower(replace(${g.word(ENGINES, i, 32)}, ' ', '')) || '-' || ${zpad(sql`${i} + 1`, 4)}`;
    case "application":
      return listed(APPS);
    case "business_service":
      return listed(SERVICES);
    case "software":
      return sql`${g.word(SOFTWARE, i, 33)} || ' ' || (1 + ${g.pick(i, 34, 30)}) || '.' || ${g.pick(i, 35, 10)} || '.' || (${i} + 1)`;
    case "computer":
      return sql`case when ${g.pick(i, 36, 10)} < 6 then 'LT-' else 'PC-' end || ${zpad(sql`${i} + 1`, 6)}`;
    default:
      return sql`${lit(cls.name)} || ' ' || (${i} + 1)`;
  }
}

async function seedCmdb(ctx: Ctx): Promise<Estate> {
  const { tx, g, spec, anchor } = ctx;
  const rows = await sql<{
    id: string;
    code: string | null;
    name: string;
    version: number;
    attributes: ClassPlan["attributes"];
  }>`
    select id, code, name, version, attributes from ci_classes where active order by builtin desc, code, name`.execute(
    tx,
  );
  const known = new Map(CLASS_SHARES.map(([code, share, min]) => [code, { share, min }]));
  const plans: ClassPlan[] = [];
  const others = rows.rows.filter((r) => !r.code || !known.has(r.code));
  let assigned = 0;
  for (const [code, share, min] of CLASS_SHARES) {
    const r = rows.rows.find((x) => x.code === code);
    if (!r || code === "computer") continue;
    const count = Math.max(min, Math.round(spec.cis * share));
    plans.push({ ...r, code, count, start: 0 });
    assigned += count;
  }
  for (const r of others) {
    const count = Math.max(5, Math.round(spec.cis * 0.005));
    plans.push({ ...r, code: r.code ?? `class_${plans.length}`, count, start: 0 });
    assigned += count;
  }
  const computer = rows.rows.find((x) => x.code === "computer");
  if (computer) plans.push({ ...computer, code: "computer", count: Math.max(10, spec.cis - assigned), start: 0 });
  let start = 0;
  for (const p of plans) {
    p.start = start;
    start += p.count;
  }
  const classes = new Map(plans.map((p) => [p.code, p]));
  const total = start;
  const catalogRows = await sql<{ list: string; id: string; name: string }>`
    select list, id, name from catalog_items where active order by list, position, name`.execute(tx);
  const catalogs = new Map<string, string[]>();
  for (const r of catalogRows.rows) catalogs.set(r.list, [...(catalogs.get(r.list) ?? []), r.id]);
  const production = catalogRows.rows.find((r) => r.list === "deployment_state" && r.name === "Production")?.id;
  const states = catalogs.get("deployment_state") ?? [];
  if (!production) throw new Error("the deployment_state catalog has no Production value");
  const location = classes.get("location");
  const ci = (code: string, i: Sql): Sql => {
    const c = classes.get(code);
    if (!c) throw new Error(`no class ${code}`);
    return g.uid(TAG.ci, sql`${lit(c.start + 1)} + (${i})`);
  };
  const count = (code: string) => classes.get(code)?.count ?? 0;
  const span = spec.years * 365 * 86_400;

  const p = new Progress("cis", total, ctx.out);
  let written = 0;
  for (const cls of plans) {
    const attrs = cls.attributes.map((def) => ({
      def,
      value: attributeValue(
        ctx,
        cls.code,
        def,
        sql`i`,
        sql`num`,
        sql`nm`,
        catalogs,
        !!location,
        location?.start ?? 0,
        location?.count ?? 0,
      ),
    }));
    const pairs = attrs
      .filter((a) => a.value !== null)
      .map(({ def, value }) =>
        def.required
          ? sql`${lit(def.key)}, ${value}`
          : sql`${lit(def.key)}, case when ${g.u(sql`num`, 400 + def.key.length)} < 0.85 then ${value} end`,
      );
    const attributesExpr = pairs.length
      ? sql`jsonb_strip_nulls(jsonb_build_object(${sql.join(pairs)}))`
      : sql`'{}'::jsonb`;
    const searchable = cls.attributes
      .filter((d) => d.searchable)
      .map((d) =>
        d.multiple
          ? sql`(select string_agg(e, ' ') from jsonb_array_elements_text(case when jsonb_typeof(attrs -> ${lit(d.key)}) = 'array' then attrs -> ${lit(d.key)} else '[]'::jsonb end) e)`
          : sql`attrs ->> ${lit(d.key)}`,
      );
    const numberText = sql`'ci-' || ${zpad(sql`num`, 6)}`;
    const hardware = ["server", "network_device", "computer"].includes(cls.code);
    const groupIndex = 1 + (plans.indexOf(cls) % spec.groups);
    for (let lo = 0; lo < cls.count; lo += 20_000) {
      const hi = Math.min(cls.count, lo + 20_000) - 1;
      const r =
        await sql`insert into cis (id, number, class_id, class_version, name, deployment_state_id, incident_state,
          incident_manual, organization_id, group_id, location_id, attributes, search, created_at, updated_at)
        select ${g.uid(TAG.ci, sql`num`)}, num, ${lit(cls.id)}::uuid, ${lit(cls.version)}, nm, dep, inc, inc = 'incident', org, grp, loc,
          attrs, left(lower(concat_ws(' ', nm, ${numberText}${searchable.length ? sql`, ${sql.join(searchable)}` : sql``})), 20000),
          ts, ts
        from (
          select i, num, nm, ${attributesExpr} as attrs,
            case when ${g.u(sql`num`, 41)} < 0.9 then ${lit(production)}::uuid
              else (${uuidArray(states)})[1 + ${g.pick(sql`num`, 42, states.length)}] end as dep,
            case when ${g.u(sql`num`, 43)} < 0.003 then 'incident' else 'operational' end as inc,
            ${
              cls.code === "computer"
                ? sql`${g.uid(TAG.org, orgOf(ctx, sql`1 + ${g.pick(sql`i`, 44, spec.employees)}`))}`
                : cls.code === "server"
                  ? sql`case when ${g.u(sql`num`, 45)} < 0.1 then ${g.uid(TAG.org, sql`1 + ${g.pick(sql`num`, 46, spec.organizations)}`)} end`
                  : sql`null::uuid`
            } as org,
            ${cls.code === "computer" || cls.code === "software" ? sql`null::uuid` : g.uid(TAG.group, lit(groupIndex))} as grp,
            ${
              hardware && location && location.count > 0
                ? sql`case when ${g.u(sql`num`, 47)} < 0.8 then ${g.uid(TAG.ci, sql`${lit(location.start + 1)} + ${g.pick(sql`num`, 48, location.count)}`)} end`
                : sql`null::uuid`
            } as loc,
            ${lit(anchor.toISOString())}::timestamptz - make_interval(secs => ${lit(span)} * (1 - (i + 0.5) / ${lit(cls.count)}) * 0.98 + 3600) as ts
          from (select i, ${lit(cls.start + 1)} + i as num, ${ciName(ctx, cls, sql`i`)} as nm
                from generate_series(${lit(lo)}, ${lit(hi)}) i offset 0) base
          offset 0
        ) x`.execute(tx);
      written += Number(r.numAffectedRows ?? 0);
      p.set(written);
    }
  }
  ctx.steps.push(p.finish(written));
  await sql`select setval('ci_number', ${lit(Math.max(1, total))})`.execute(tx);

  // Business services: the customers subscribed to them.
  const services = count("business_service");
  await step(
    ctx,
    "service subscriptions",
    sql`insert into ci_service_subscriptions (ci_id, organization_id)
      select ${ci("business_service", sql`i`)}, ${g.uid(TAG.org, sql`1 + ${g.pick(sql`i * 64 + s`, 50, spec.organizations)}`)}
      from generate_series(0, ${lit(services - 1)}) i
      cross join lateral generate_series(1, 1 + ${g.pick(sql`i`, 51, Math.min(12, spec.organizations))}) s
      on conflict do nothing`,
  );
  await step(
    ctx,
    "ci versions",
    sql`insert into ci_versions (ci_id, version, class_version, snapshot, diff, actor_id, source, created_at)
      select id, 1, class_version, snap,
        (select jsonb_object_agg(key, jsonb_build_array(null, value)) from jsonb_each(snap) where value <> 'null'::jsonb),
        ${lit(ctx.adminId)}::uuid, 'import', created_at
      from (
        select c.id, c.class_version, c.created_at,
          jsonb_build_object('name', c.name, 'classId', c.class_id, 'classVersion', c.class_version,
            'deploymentStateId', c.deployment_state_id, 'incidentManual', c.incident_manual,
            'organizationId', c.organization_id, 'groupId', c.group_id, 'locationId', c.location_id,
            'attributes', c.attributes, 'locks', to_jsonb(c.locks),
            'serviceOrganizationIds', coalesce(s.orgs, '[]'::jsonb)) as snap
        from cis c
        left join (select ci_id, jsonb_agg(organization_id order by organization_id) as orgs
                   from ci_service_subscriptions group by ci_id) s on s.ci_id = c.id
      ) v`,
  );

  // Relations: the structure (impact travels along depends_on and runs_on), then "no impact" fill.
  const n = (code: string) => count(code);
  const chainLength = 12;
  const chains = Math.max(1, Math.min(20, Math.floor(n("application") / (chainLength * 4))));
  let tag = 0;
  const rel = (from: string, fromCount: number, type: string, target: Sql, where: Sql = sql`true`) => {
    const t = ++tag;
    return sql`insert into ci_relations (id, source_id, target_id, type, created_by, created_at)
      select ${g.uid(TAG.relation, sql`${lit(t)}::int8 * 100000000 + i`)}, src, dst, ${lit(type)}, ${lit(ctx.adminId)}::uuid,
        ${lit(anchor.toISOString())}::timestamptz - make_interval(secs => ${lit(span)} * ${g.u(sql`i`, 600 + t)} * 0.9)
      from (select i, ${ci(from, sql`i`)} as src, ${target} as dst from generate_series(0, ${lit(fromCount - 1)}) i where ${where} offset 0) x
      where src <> dst
      on conflict do nothing`;
  };
  const nets = n("network_device");
  const structural: [string, Sql][] = [
    ["core switches", rel("network_device", 1, "connected_to", ci("network_device", lit(1)))],
    ["access to core", rel("network_device", nets, "depends_on", ci("network_device", lit(0)), sql`i >= 2`)],
    ["access to core 2", rel("network_device", nets, "depends_on", ci("network_device", lit(1)), sql`i >= 2`)],
    [
      "server on switch",
      rel(
        "server",
        n("server"),
        "depends_on",
        ci("network_device", sql`2 + ${g.pick(sql`i`, 61, Math.max(1, nets - 2))}`),
      ),
    ],
    ["server on core", rel("server", n("server"), "depends_on", ci("network_device", lit(0)), sql`i % 10 < 3`)],
    [
      "vm on server",
      rel("virtual_machine", n("virtual_machine"), "runs_on", ci("server", g.pick(sql`i`, 62, n("server")))),
    ],
    [
      "db on vm",
      rel("database", n("database"), "runs_on", ci("virtual_machine", g.pick(sql`i`, 63, n("virtual_machine")))),
    ],
    [
      "app on vm",
      rel("application", n("application"), "runs_on", ci("virtual_machine", g.pick(sql`i`, 64, n("virtual_machine")))),
    ],
    [
      "app on db",
      rel(
        "application",
        n("application"),
        "depends_on",
        sql`case when i % 3 = 0 then ${ci("database", lit(0))} else ${ci("database", g.pick(sql`i`, 65, n("database")))} end`,
      ),
    ],
    [
      "app chains",
      rel(
        "application",
        chains * chainLength,
        "depends_on",
        ci("application", sql`i + 1`),
        sql`i % ${lit(chainLength)} < ${lit(chainLength - 1)}`,
      ),
    ],
    ...[0, 1, 2].map((k): [string, Sql] => [
      `service on app ${k + 1}`,
      rel(
        "business_service",
        n("business_service"),
        "depends_on",
        ci("application", g.pick(sql`i`, 66 + k, n("application"))),
      ),
    ]),
    [
      "software on vm",
      rel("software", n("software"), "installed_on", ci("virtual_machine", g.pick(sql`i`, 70, n("virtual_machine")))),
    ],
    [
      "computer on switch",
      rel(
        "computer",
        n("computer"),
        "depends_on",
        ci("network_device", sql`2 + ${g.pick(sql`i`, 71, Math.max(1, nets - 2))}`),
      ),
    ],
  ];
  const rp = new Progress("ci relations", spec.relations, ctx.out);
  let relations = 0;
  for (const [, q] of structural) {
    const r = await q.execute(tx);
    relations += Number(r.numAffectedRows ?? 0);
    rp.set(relations);
  }
  // Fill: "relevant to" between applications and servers, software installed on computers.
  let round = 0;
  while (relations < spec.relations && round < 200) {
    const want = Math.min(100_000, spec.relations - relations);
    const t = ++tag;
    const half = Math.floor(want / 2);
    const r = await sql`insert into ci_relations (id, source_id, target_id, type, created_by, created_at)
      select ${g.uid(TAG.relation, sql`${lit(t)}::int8 * 100000000 + i`)},
        case when i <= ${lit(half)} then ${ci("application", g.pick(sql`i`, 700 + t, n("application")))}
             else ${ci("software", g.pick(sql`i`, 700 + t, n("software")))} end,
        case when i <= ${lit(half)} then ${ci("server", g.pick(sql`i`, 900 + t, n("server")))}
             else ${ci("computer", g.pick(sql`i`, 900 + t, n("computer")))} end,
        case when i <= ${lit(half)} then 'relevant_to' else 'installed_on' end,
        ${lit(ctx.adminId)}::uuid,
        ${lit(anchor.toISOString())}::timestamptz - make_interval(secs => ${lit(span)} * ${g.u(sql`i`, 1100 + t)} * 0.9)
      from generate_series(1, ${lit(want)}) i
      on conflict do nothing`.execute(tx);
    relations += Number(r.numAffectedRows ?? 0);
    rp.set(relations);
    round++;
  }
  ctx.steps.push(rp.finish(relations));

  // Redundancy: the two core switches back each other; the first services need one of their applications.
  await sql`insert into ci_redundancy_groups (id, ci_id, name, min_up)
    values (${g.uid(TAG.redundancy, lit(1))}, ${ci("network_device", lit(0))}, 'Core pair', 1)`.execute(tx);
  await sql`insert into ci_redundancy_members (group_id, member_id) values
    (${g.uid(TAG.redundancy, lit(1))}, ${ci("network_device", lit(0))}), (${g.uid(TAG.redundancy, lit(1))}, ${ci("network_device", lit(1))})`.execute(
    tx,
  );
  await sql`insert into ci_redundancy_groups (id, ci_id, name, min_percent)
    select ${g.uid(TAG.redundancy, sql`100 + i`)}, ${ci("business_service", sql`i`)}, 'Application cluster', 50
    from generate_series(0, ${lit(Math.min(5, services) - 1)}) i`.execute(tx);
  await sql`insert into ci_redundancy_members (group_id, member_id)
    select ${g.uid(TAG.redundancy, sql`100 + i`)}, r.target_id
    from generate_series(0, ${lit(Math.min(5, services) - 1)}) i
    join ci_relations r on r.source_id = ${ci("business_service", sql`i`)} and r.type = 'depends_on'
    on conflict do nothing`.execute(tx);

  // Discovery: half the computers report through an inventory agent; two log lines each, a few conflicts.
  await sql`insert into inventory_keys (name, key_hash, prefix, created_by)
    values ('Bench agents', ${`bench-${ctx.g.seed}-inventory-key`}, 'bench', ${lit(ctx.adminId)}::uuid)`.execute(tx);
  await step(
    ctx,
    "ci discovery",
    sql`insert into ci_discovery (device_id, protocol, ci_id, inventory, first_seen_at, last_seen_at)
      select lower(c.name) || '-' || to_char(c.created_at, 'YYYY-MM-DD-HH24-MI-SS'), 'fusion', c.id,
        jsonb_build_object('hostname', c.attributes ->> 'hostname'), c.created_at,
        ${lit(anchor.toISOString())}::timestamptz - make_interval(secs => 86400 * ${g.u(sql`c.number`, 80)} * 7)
      from cis c where c.class_id = ${lit(classes.get("computer")?.id ?? "00000000-0000-4000-8000-000000000000")}::uuid and c.number % 2 = 0`,
  );
  await step(
    ctx,
    "ci discovery log",
    sql`insert into ci_discovery_log (id, at, device_id, protocol, outcome, ci_id, detail, candidate_ids)
      select ${g.uid(TAG.discoveryLog, sql`n * 4 + k`)}, at, device_id, 'fusion', outcome, ci_id, detail, cand
      from (
        select d.ci_id, d.device_id, c.number as n, k,
          case when k = 1 then d.first_seen_at else d.last_seen_at end as at,
          case when k = 1 then 'created' when ${g.u(sql`c.number * 4 + k`, 81)} < 0.01 then 'conflict'
            when ${g.u(sql`c.number * 4 + k`, 82)} < 0.5 then 'unchanged' else 'updated' end as outcome,
          case when k = 1 then 'new computer' else 'inventory received' end as detail,
          array[]::uuid[] as cand
        from ci_discovery d join cis c on c.id = d.ci_id
        cross join generate_series(1, 2) k
      ) x`,
  );
  return { classes, ci, count, chain: { length: chainLength, chains } };
}

// ---------------------------------------------------------------------------------------------------------
// Tickets, timelines, SLA clocks, watchers, links, affected CIs

function ticketLayout(spec: (typeof SIZES)[Size]) {
  const slots = [...TYPE_PATTERN].map((c) => TYPE_OF[c] as string);
  const perBlock = slots.map((t) => slots.filter((x) => x === t).length);
  const rank = slots.map((t, i) => slots.slice(0, i).filter((x) => x === t).length);
  const problemSlot = slots.indexOf("problem");
  // The long ticket: an incident in the middle of the open work.
  const T = spec.tickets;
  const target = Math.max(1, T - Math.floor(spec.openTickets / 2));
  const bigN = Math.floor((target - 1) / 20) * 20 + 1;
  return { slots, perBlock, rank, problemSlot, bigN };
}

async function seedTickets(ctx: Ctx, estate: Estate): Promise<void> {
  const { tx, g, spec, anchor } = ctx;
  const T = spec.tickets;
  const OPEN = spec.openTickets;
  const BAND = Math.max(50, Math.floor(OPEN / 3));
  const A = spec.agents;
  const G = spec.groups;
  const span = spec.years * 365 * 86_400;
  const layout = ticketLayout(spec);
  const at = sql`${lit(anchor.toISOString())}::timestamptz`;
  const serviceDesk = (await sql<{ id: string }>`select id from groups where lower(name) = 'service desk'`.execute(tx))
    .rows[0]?.id;
  if (!serviceDesk) throw new Error("the Service Desk group is missing");
  const SD = serviceDeskAgents(A);
  const categories = CHILD_CATEGORIES;

  await batched(ctx, "tickets", T, 25_000, async (lo, hi) => {
    const n = sql`n`;
    const r = await sql`
      insert into tickets (id, type, number, title, description, description_text, state, state_type, hold_reason,
        impact, urgency, priority, category_id, requester_id, organization_id, group_id, assignee_id, problem_id,
        merged_into_id, custom_fields, tags, resolution_code, resolution, root_cause, workaround, first_response_at,
        resolved_at, closed_at, created_at, updated_at, sla_policy_id)
      select ${g.uid(TAG.ticket, n)}, type, number, title, '<p>' || body || '</p>', body, state,
        case when state in ('canceled', 'merged') then 'closed' when type = 'problem' and st = 'pending' then 'open' else st end,
        case when st = 'pending' and type <> 'problem' then
          (array['awaiting_customer', 'awaiting_customer', 'awaiting_vendor', 'awaiting_change', 'awaiting_problem'])[1 + ${g.pick(n, 20, 5)}] end,
        d.impact, d.urgency, pm.priority,
        case when ${g.u(n, 21)} < 0.85 then ${g.uid(TAG.category, sql`1 + floor(${lit(categories)} * power(${g.u(n, 22)}, 1.5))::int`)} end,
        case when type = 'problem' then null else ${g.uid(TAG.employee, sql`k`)} end,
        case when type = 'problem' then null else ${g.uid(TAG.org, orgOf(ctx, sql`k`))} end,
        case when grp = 0 then ${lit(serviceDesk)}::uuid else ${g.uid(TAG.group, sql`grp`)} end,
        case when agent = 0 then null else ${g.uid(TAG.agent, sql`agent`)} end,
        case when type = 'incident' and block >= 1 and ${g.u(n, 23)} < 0.05 then
          ${g.uid(TAG.ticket, sql`greatest(0, block - 1 - ${g.pick(n, 24, 30)}) * 20 + ${lit(layout.problemSlot + 1)}`)} end,
        case when state = 'merged' then ${g.uid(TAG.ticket, sql`n - 1`)} end,
        case type
          when 'incident' then case when ${g.u(n, 25)} < 0.7 then jsonb_build_object(
            'environment', (array['production', 'production', 'staging', 'test', 'development'])[1 + ${g.pick(n, 26, 5)}],
            'affected_users', 1 + floor(power(${g.u(n, 27)}, 3) * 500)::int) ||
            case when ${g.u(n, 28)} < 0.05 then '{"vip": true}'::jsonb else '{}'::jsonb end else '{}'::jsonb end
          when 'service_request' then case when ${g.u(n, 25)} < 0.8 then jsonb_build_object(
            'cost_center', 'CC-' || (1000 + ${g.pick(n, 29, 60)}),
            'delivery_date', to_char((created_at + interval '7 days')::date, 'YYYY-MM-DD'),
            'hardware_model', (array['standard laptop', 'developer laptop', 'tablet', 'phone'])[1 + ${g.pick(n, 30, 4)}])
            else '{}'::jsonb end
          else jsonb_build_object('rca_due', to_char((created_at + interval '30 days')::date, 'YYYY-MM-DD'),
            'vendor_case', 'VC-' || (10000 + ${g.pick(n, 31, 90000)}))
        end,
        case when ${g.u(n, 32)} < 0.2 then array[lower(replace(subject, ' ', '-'))]
             when ${g.u(n, 32)} < 0.23 then array['outage', lower(replace(subject, ' ', '-'))]
             else '{}'::text[] end,
        case when resolved_at is not null then
          (array['solved', 'solved', 'solved', 'workaround', 'not_reproducible', 'duplicate', 'user_error', 'no_fault_found'])[1 + ${g.pick(n, 33, 8)}] end,
        case when resolved_at is not null then ${g.word(RESOLUTIONS, n, 34)} end,
        case when type = 'problem' and (state in ('known_error', 'resolved', 'closed')) then 'Faulty ' || subject || ' configuration after an update.' end,
        case when type = 'problem' and (state in ('known_error', 'resolved', 'closed')) then 'Restart the ' || subject || ' service.' end,
        first_response_at, resolved_at, closed_at, created_at,
        coalesce(closed_at, resolved_at, created_at + (${at} - created_at) * ${g.u(n, 35)}),
        ${g.uid(TAG.sla, sql`right(pm.priority, 1)::int`)}
      from (
        select c.*,
          case when state = 'new' then null
            else created_at + least(make_interval(mins => 5 + floor(-ln(1 - ${g.u(n, 36)}) * 90)::int), (${at} - created_at) * 0.3) end
            as first_response_at,
          case when st in ('resolved', 'closed') and state not in ('canceled', 'merged') then
            created_at + least(make_interval(mins => 30 + floor(-ln(1 - ${g.u(n, 37)}) * (array[240, 960, 2880, 7200, 10080])[impact + urgency - 1])::int),
              (${at} - created_at) * case when st = 'resolved' then 0.8 else 0.5 end) end as resolved_at
        from (
          select b.*,
            case type
              when 'incident' then case st when 'new' then 'new' when 'open' then 'in_progress' when 'pending' then 'on_hold'
                when 'resolved' then 'resolved' else case when u6 < 0.03 then 'canceled' when u6 < 0.035 and n > 1 then 'merged' else 'closed' end end
              when 'service_request' then case st when 'new' then 'new' when 'open' then 'in_progress' when 'pending' then 'on_hold'
                when 'resolved' then 'fulfilled' else case when u6 < 0.04 then 'canceled' else 'closed' end end
              else case st when 'new' then 'new' when 'open' then 'investigating' when 'pending' then 'known_error'
                when 'resolved' then 'resolved' else 'closed' end
            end as state,
            case when type = 'incident' then initcap(subject) || ' ' || ${g.word(INCIDENT_PHRASES, n, 38)}
                 when type = 'service_request' then ${g.word(REQUEST_PHRASES, n, 39)} || ' ' || subject
                 else ${g.word(PROBLEM_PHRASES, n, 40)} || ' ' || subject end as title,
            ${g.word(CUSTOMER_OPENINGS, n, 41)} || ' ' || subject || ' ' || ${g.word(INCIDENT_PHRASES, n, 42)} ||
              '. It affects ' || (1 + ${g.pick(n, 43, 20)}) || ' colleagues in ' || ${g.word(CITIES, n, 44)} ||
              '. Device ' || case when ${g.pick(n, 45, 2)} = 0 then 'LT-' else 'PC-' end || lpad((1 + ${g.pick(n, 46, 99999)})::text, 6, '0') ||
              ', reference ' || upper(to_hex(${g.raw(n, 47)} % 1048576)) || '.' as body,
            case when grp0 = 0 then 0 else grp0 end as grp,
            case when st = 'new' then 0
                 when busy then 1
                 when grp0 = 0 then 1 + ${g.pick(n, 48, SD)}
                 else ${agentOfGroup(ctx, sql`grp0`, n, 49)} end as agent
          from (
            select a.*,
              (${textArray(layout.slots)})[slot + 1] as type,
              block * (${intArray(layout.perBlock)})[slot + 1] + (${intArray(layout.rank)})[slot + 1] + 1 as number,
              ${at} - make_interval(secs => ${lit(span)}::float8 * (r + u1) / ${lit(T)}) as created_at,
              case when n = ${lit(layout.bigN)} then 'open'
                   when r < ${lit(OPEN)} then case when u2 < 0.25 then 'new' when u2 < 0.8 then 'open' else 'pending' end
                   when r < ${lit(OPEN + BAND)} then 'resolved' else 'closed' end as st,
              case when u3 < 0.1 then 1 when u3 < 0.4 then 2 else 3 end as impact,
              case when u4 < 0.15 then 1 when u4 < 0.5 then 2 else 3 end as urgency,
              1 + floor(${lit(spec.employees)} * power(u5, 1.6))::int as k,
              ${g.word(SUBJECTS, n, 50)} as subject,
              (n = ${lit(layout.bigN)} or (r < ${lit(OPEN)} and u8 < 0.12)) as busy,
              case when n = ${lit(layout.bigN)} or (r < ${lit(OPEN)} and u8 < 0.12) then 1
                   when r < ${lit(OPEN)} and u2 < 0.25 and u7 < 0.5 then 0
                   else 1 + floor(${lit(G)} * power(u9, 1.7))::int end as grp0
            from (
              select n, (n - 1) % 20 as slot, (n - 1) / 20 as block, ${lit(T)} - n as r,
                ${g.u(n, 1)} as u1, ${g.u(n, 2)} as u2, ${g.u(n, 3)} as u3, ${g.u(n, 4)} as u4, ${g.u(n, 5)} as u5,
                ${g.u(n, 6)} as u6, ${g.u(n, 7)} as u7, ${g.u(n, 8)} as u8, ${g.u(n, 9)} as u9
              from generate_series(${lit(lo)}, ${lit(hi)}) n
              offset 0
            ) a
            offset 0
          ) b
          offset 0
        ) c
        offset 0
      ) d
      join priority_matrix pm on pm.impact = d.impact and pm.urgency = d.urgency
      cross join lateral (
        select case when d.state = 'closed' or d.state = 'resolved' or d.state = 'fulfilled' then
          d.resolved_at + least(interval '7 days', (${at} - d.resolved_at) * 0.9)
          when d.state in ('canceled', 'merged') then d.created_at + least(interval '2 hours', (${at} - d.created_at) * 0.5) end as closed_at0
      ) cl
      cross join lateral (select case when d.st = 'closed' then cl.closed_at0 end as closed_at) cl2`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  });
  for (const type of ["incident", "service_request", "problem"]) {
    await sql`select setval(${`ticket_number_${type}`}::regclass,
      greatest(1, (select coalesce(max(number), 0) from tickets where type = ${type})))`.execute(tx);
  }

  // Timelines: entries per ticket skewed (exponential, mean entries/tickets), the long ticket has its own count.
  const mean = spec.entries / T;
  const mu = mean > 1.05 ? 1 / Math.log(1 + 1 / (mean - 1)) : 0.1;
  const entryBatch = Math.max(1_000, Math.floor(80_000 / Math.max(1, mean)));
  await batched(
    ctx,
    "ticket entries",
    T,
    entryBatch,
    async (lo, hi) => {
      const e = sql`(t.n::int8 * 4096 + j)`;
      const r = await sql`
      insert into ticket_articles (id, ticket_id, kind, author_id, body, body_text, event, time_spent_minutes, source, created_at)
      select ${g.uid(TAG.entry, sql`e`)}, id, kind,
        case kind when 'system' then case when ue < 0.05 then null else agent end
          when 'note' then agent
          else case when from_customer then requester_id else agent end end,
        case when kind = 'system' then '' else '<p>' || txt || '</p>' end,
        case when kind = 'system' then '' else txt end,
        case when kind <> 'system' then null
          when last_entry then jsonb_build_object('changes', jsonb_build_object('state', jsonb_build_array(
            case state when 'closed' then case type when 'service_request' then 'fulfilled' else 'resolved' end
              when 'canceled' then 'new' when 'merged' then 'in_progress'
              else case type when 'problem' then 'investigating' else 'in_progress' end end, state)))
          when ue < 0.05 then jsonb_build_object('sla', jsonb_build_object('resolution', 'warning'))
          when ue < 0.12 and assignee_id is not null then jsonb_build_object('changes', jsonb_build_object('assigneeId', jsonb_build_array(null, assignee_id)))
          when ue < 0.16 then jsonb_build_object('changes', jsonb_build_object('priority', jsonb_build_array('P4', priority)))
          else jsonb_build_object('changes', jsonb_build_object('state', jsonb_build_array('new',
            case type when 'problem' then 'investigating' else 'in_progress' end)))
        end,
        case when kind = 'note' then 5 * (1 + ${g.pick(sql`e`, 60, 12)}) end,
        case kind when 'system' then case when ue < 0.05 then 'system' else 'web' end
          else case when from_customer then 'email' else 'web' end end,
        created_at
      from (
        select y.*,
          case when last_entry then 'system' when uk < 0.22 then 'system' when uk < 0.40 then 'note' else 'reply' end as kind,
          case when from_customer and uk >= 0.40 then
                 ${g.word(CUSTOMER_REPLIES, sql`e`, 64)} || ' ' || lower(title) || ' ' || ${g.word(CUSTOMER_ENDINGS, sql`e`, 65)}
               when uk >= 0.40 then ${g.word(AGENT_REPLIES, sql`e`, 66)}
               else ${g.word(NOTES, sql`e`, 67)} end as txt
        from (
        select t.id, t.n, j, ${e} as e, t.state, t.type, t.priority, t.requester_id, t.assignee_id, t.title,
          coalesce(t.assignee_id, ${g.uid(TAG.agent, sql`1 + ${g.pick(e, 61, A)}`)}) as agent,
          (j = t.c and t.state_type in ('resolved', 'closed')) as last_entry,
          ${g.u(e, 62)} as ue,
          ${g.u(e, 63)} as uk,
          (t.requester_id is not null and j % 2 = 1) as from_customer,
          t.created_at + (t.end_at - t.created_at) * (j::float8 / (t.c + 1)) as created_at
        from (
          select n, tk.id, tk.state, tk.state_type, tk.type, tk.priority, tk.requester_id, tk.assignee_id, tk.title,
            tk.created_at, coalesce(tk.closed_at, tk.resolved_at, ${at}) as end_at,
            case when n = ${lit(layout.bigN)} then ${lit(spec.bigTicketEntries)}
              else 1 + floor(-ln(1 - ${g.u(sql`n`, 68)}) * ${lit(mu)})::int end as c
          from generate_series(${lit(lo)}, ${lit(hi)}) n
          join tickets tk on tk.id = ${g.uid(TAG.ticket, sql`n`)}
          offset 0
        ) t
        cross join lateral generate_series(1, t.c) j
        offset 0
        ) y
        offset 0
      ) x`.execute(tx);
      return Number(r.numAffectedRows ?? 0);
    },
    spec.entries + spec.bigTicketEntries,
  );

  // SLA clocks: first response and resolution for every ticket, as the engine leaves them.
  const fr = sql`(array[${sql.join(["P1", "P2", "P3", "P4"].map((p) => lit(FIRST_RESPONSE_MIN[p] as number)))}])[right(t.priority, 1)::int]`;
  const res = sql`(array[${sql.join(["P1", "P2", "P3", "P4"].map((p) => lit(RESOLUTION_MIN[p] as number)))}])[right(t.priority, 1)::int]`;
  await step(
    ctx,
    "sla clocks",
    sql`insert into ticket_sla_clocks (ticket_id, target, status, due_at, warning_at, elapsed_minutes, remaining_minutes,
        warned_at, breached_at, computed_at)
      select ticket_id, target,
        status, case when status = 'paused' then null else due end, case when status = 'paused' then null else warn end,
        round(elapsed::numeric, 1), round((minutes - elapsed)::numeric, 1),
        case when status <> 'paused' and warn < coalesce(stop, ${at}) then warn end,
        case when status = 'breached' then due end,
        coalesce(stop, ${at})
      from (
        select ticket_id, target, minutes, due, warn, stop,
          case when stop is not null then case when stop <= due then 'met' else 'breached' end
               when paused then 'paused'
               when due < ${at} then 'breached' else 'running' end as status,
          extract(epoch from (coalesce(stop, ${at}) - start)) / 60 * case when paused and stop is null then 0.5 else 1 end as elapsed
        from (
          select t.id as ticket_id, k.target, k.minutes, t.created_at as start,
            t.created_at + make_interval(mins => k.minutes) as due,
            t.created_at + make_interval(mins => (k.minutes * 0.8)::int) as warn,
            case when k.target = 'first_response' then coalesce(t.first_response_at, case when t.state_type = 'closed' then t.closed_at end)
                 else coalesce(t.resolved_at, t.closed_at) end as stop,
            (t.state = 'on_hold' and t.hold_reason in ('awaiting_customer', 'awaiting_vendor')) as paused
          from tickets t
          cross join lateral (values ('first_response', ${fr}), ('resolution', ${res})) k(target, minutes)
        ) c
      ) s`,
  );
  await step(
    ctx,
    "sla due times",
    sql`update tickets t set sla_due_at = c.due, escalation_at = c.next
      from (
        select ticket_id, min(due_at) filter (where status in ('running', 'breached')) as due,
          min(case when warning_at > ${at} and warned_at is null then warning_at when due_at > ${at} then due_at end)
            filter (where status = 'running') as next
        from ticket_sla_clocks where ticket_id in (select id from tickets where state_type in ('new', 'open', 'pending'))
        group by ticket_id
      ) c
      where c.ticket_id = t.id and t.state_type in ('new', 'open', 'pending')`,
  );

  // Watchers: on one ticket in twenty, one to three agents or customers.
  await step(
    ctx,
    "ticket watchers",
    sql`insert into ticket_watchers (ticket_id, user_id)
      select ${g.uid(TAG.ticket, sql`n`)},
        case when ${g.u(sql`n * 4 + w`, 90)} < 0.6 then ${g.uid(TAG.agent, sql`1 + ${g.pick(sql`n * 4 + w`, 91, A)}`)}
             else ${g.uid(TAG.employee, sql`1 + ${g.pick(sql`n * 4 + w`, 92, spec.employees)}`)} end
      from generate_series(1, ${lit(T)}) n
      cross join lateral generate_series(1, 1 + ${g.pick(sql`n`, 93, 3)}) w
      where ${g.u(sql`n`, 94)} < 0.05
      on conflict do nothing`,
  );
  // The busy agent watches some open tickets of other groups (their work list reaches them through the watch).
  await sql`insert into ticket_watchers (ticket_id, user_id)
    select id, ${g.uid(TAG.agent, lit(1))} from tickets
    where state_type in ('new', 'open', 'pending') and group_id <> ${g.uid(TAG.group, lit(1))} and number % 25 = 0
    on conflict do nothing`.execute(tx);
  await step(
    ctx,
    "ticket links",
    sql`insert into ticket_links (source_id, target_id, kind, created_at)
      select ${g.uid(TAG.ticket, sql`n`)}, ${g.uid(TAG.ticket, sql`n - 1 - ${g.pick(sql`n`, 95, 40)}`)},
        case when ${g.u(sql`n`, 96)} < 0.5 then 'related' else 'parent' end,
        ${at} - make_interval(secs => ${lit(span)}::float8 * (${lit(T)} - n) / ${lit(T)})
      from generate_series(50, ${lit(T)}) n
      where ${g.u(sql`n`, 97)} < 0.01
      on conflict do nothing`,
  );
  // Affected CIs: three incidents in ten name one or two CIs, skewed to the core, servers, applications and services.
  const cisOf = (x: Sql, salt: number) => sql`case
      when ${g.u(x, salt)} < 0.05 then ${estate.ci("network_device", lit(0))}
      when ${g.u(x, salt)} < 0.35 then ${estate.ci("server", g.pick(x, salt + 1, estate.count("server")))}
      when ${g.u(x, salt)} < 0.65 then ${estate.ci("application", g.pick(x, salt + 1, estate.count("application")))}
      when ${g.u(x, salt)} < 0.85 then ${estate.ci("business_service", g.pick(x, salt + 1, estate.count("business_service")))}
      else ${estate.ci("computer", g.pick(x, salt + 1, estate.count("computer")))} end`;
  await step(
    ctx,
    "ticket cis",
    sql`insert into ticket_cis (ticket_id, ci_id)
      select ${g.uid(TAG.ticket, sql`n`)}, ${cisOf(sql`n * 2 + k`, 98)}
      from generate_series(1, ${lit(T)}) n
      cross join generate_series(0, 1) k
      where (${textArray(layout.slots)})[1 + (n - 1) % 20] = 'incident' and ${g.u(sql`n`, 100)} < 0.3
        and (k = 0 or ${g.u(sql`n`, 101)} < 0.3)
      on conflict do nothing`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Changes

async function seedChanges(ctx: Ctx, estate: Estate): Promise<void> {
  const { tx, g, spec, anchor } = ctx;
  const C = spec.changes;
  const A = spec.agents;
  const G = spec.groups;
  const at = sql`${lit(anchor.toISOString())}::timestamptz`;
  const spanDays = spec.years * 365;
  const categories = (
    await sql<{ id: string }>`select id from catalog_items where list = 'change_category' order by position`.execute(tx)
  ).rows.map((r) => r.id);
  for (let t = 1; t <= 5; t++) {
    await sql`insert into change_templates (id, name, title, description, category_id, ci_ids, duration_minutes,
        implementation_plan, test_plan, rollback_plan, work_orders, approved_by, approved_at)
      values (${g.uid(TAG.template, lit(t))}, ${`Standard change ${t}`}, ${`${CHANGE_TITLES[t] ?? "Update"} standard servers`},
        'Pre-approved routine work.', ${categories.length ? lit(categories[t % categories.length] as string) : sql`null`}::uuid,
        '{}', ${60 * t}, 'Follow the runbook.', 'Check the monitoring.', 'Restore the snapshot.',
        '[{"kind":"implementation","title":"Apply","instructions":""},{"kind":"test","title":"Verify","instructions":""}]',
        ${lit(ctx.adminId)}::uuid, ${at} - interval '400 days')`.execute(tx);
  }
  await batched(ctx, "changes", C, 20_000, async (lo, hi) => {
    const n = sql`n`;
    const r = await sql`
      insert into changes (id, number, type, state, title, description, justification, requested_by, owner_id, assignee_id,
        group_id, planned_start, planned_end, actual_start, actual_end, implementation_plan, test_plan, rollback_plan,
        outage, plan_revision, created_at, updated_at, category_id, template_id, risk_answers, risk, risk_level,
        service_ids, review_outcome, reviewed_by, reviewed_at)
      select ${g.uid(TAG.change, n)}, n, type, state, title, 'Planned work on ' || target || '.', 'Keeps the estate supported.',
        ${g.uid(TAG.agent, sql`1 + ${g.pick(n, 110, A)}`)}, ${g.uid(TAG.agent, sql`1 + ${g.pick(n, 111, A)}`)},
        ${g.uid(TAG.agent, sql`1 + ${g.pick(n, 112, A)}`)}, ${g.uid(TAG.group, sql`1 + ${g.pick(n, 113, G)}`)},
        ps, pe, case when state in ('implementing', 'review', 'closed', 'rolled_back') then ps end,
        case when state in ('review', 'closed', 'rolled_back') then pe end,
        '1. Announce. 2. Apply on ' || target || '. 3. Verify.', 'Run the smoke tests.', 'Revert to the previous version.',
        case when ${g.u(n, 114)} < 0.7 then '{"kind": "none"}'::jsonb
             when ${g.u(n, 114)} < 0.9 then jsonb_build_object('kind', 'partial', 'minutes', 15 * (1 + ${g.pick(n, 115, 8)}))
             else jsonb_build_object('kind', 'full', 'minutes', 30 * (1 + ${g.pick(n, 116, 6)})) end,
        1, created, greatest(created, least(${at}, pe)),
        ${categories.length ? sql`(${uuidArray(categories)})[1 + ${g.pick(n, 117, categories.length)}]` : sql`null::uuid`},
        case when type = 'standard' then ${g.uid(TAG.template, sql`1 + ${g.pick(n, 118, 5)}`)} end,
        case when type = 'standard' then '{}'::jsonb else jsonb_build_object('first_time', score > 30, 'untested', score > 50,
          'business_hours', score > 60) end,
        jsonb_build_object('score', score, 'level', level, 'reasons', '[]'::jsonb, 'unanswered', '[]'::jsonb), level,
        case when ${g.u(n, 119)} < 0.4 then array[${estate.ci("business_service", g.pick(n, 120, estate.count("business_service")))}] else '{}'::uuid[] end,
        case when state = 'closed' then case when ${g.u(n, 121)} < 0.85 then 'successful' when ${g.u(n, 121)} < 0.92 then 'partially_successful'
          when ${g.u(n, 121)} < 0.95 then 'failed' else 'rolled_back' end end,
        case when state = 'closed' then ${g.uid(TAG.agent, sql`1 + ${g.pick(n, 122, A)}`)} end,
        case when state = 'closed' then pe + interval '1 day' end
      from (
        select n, type, ps, pe, score, target, title,
          case when score >= 70 then 'very_high' when score >= 40 then 'high' when score >= 20 then 'medium' else 'low' end as level,
          least(ps - make_interval(days => 1 + ${g.pick(n, 123, 20)}), ${at} - make_interval(mins => 10 + ${g.pick(n, 124, 600)})) as created,
          case
            when pe < ${at} - interval '3 days' then case
              when ${g.u(n, 125)} < 0.05 then 'canceled'
              when type = 'normal' and ${g.u(n, 125)} < 0.08 then 'rejected'
              else 'closed' end
            when pe < ${at} then case when ${g.u(n, 125)} < 0.1 then 'rolled_back' else 'review' end
            when ps <= ${at} then 'implementing'
            else case
              when type = 'standard' then case when ${g.u(n, 126)} < 0.8 then 'scheduled' else 'draft' end
              when type = 'emergency' then case when ${g.u(n, 126)} < 0.6 then 'scheduled' else 'authorization' end
              when ${g.u(n, 126)} < 0.55 then 'scheduled' when ${g.u(n, 126)} < 0.75 then 'authorization'
              when ${g.u(n, 126)} < 0.9 then 'assessment' else 'draft' end
          end as state
        from (
          select n, type, ps, ps + make_interval(hours => 1 + ${g.pick(n, 127, 8)}) as pe,
            ${g.pick(n, 128, 90)} as score,
            target, ${g.word(CHANGE_TITLES, n, 129)} || ' ' || target as title
          from (
            select n,
              case when ${g.u(n, 130)} < 0.4 then 'standard' when ${g.u(n, 130)} < 0.9 then 'normal' else 'emergency' end as type,
              date_trunc('hour', ${at} - make_interval(days => ${lit(spanDays)}) +
                make_interval(secs => (${lit(spanDays + 90)} * 86400.0) * (n - 1 + ${g.u(n, 131)}) / ${lit(C)})) as ps,
              case when ${g.pick(n, 132, 3)} = 0 then 'srv-' || ${zpad(sql`1 + ${g.pick(n, 133, estate.count("server"))}`, 5)}
                   when ${g.pick(n, 132, 3)} = 1 then 'vm-' || ${zpad(sql`1 + ${g.pick(n, 133, estate.count("virtual_machine"))}`, 6)}
                   else 'the ' || ${g.word(APPS, n, 134)} || ' application' end as target
            from generate_series(${lit(lo)}, ${lit(hi)}) n
            offset 0
          ) a
          offset 0
        ) b
        offset 0
      ) c`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  });
  await sql`select setval('change_number', ${lit(Math.max(1, C))})`.execute(tx);
  await step(
    ctx,
    "change cis",
    sql`insert into change_cis (change_id, ci_id)
      select ${g.uid(TAG.change, sql`n`)},
        case when n % 50 = 0 then ${estate.ci("network_device", lit(0))}
             when k = 0 then ${estate.ci("server", g.pick(sql`n * 4 + k`, 140, estate.count("server")))}
             when k = 1 then ${estate.ci("virtual_machine", g.pick(sql`n * 4 + k`, 141, estate.count("virtual_machine")))}
             else ${estate.ci("application", g.pick(sql`n * 4 + k`, 142, estate.count("application")))} end
      from generate_series(1, ${lit(C)}) n
      cross join lateral generate_series(0, ${g.pick(sql`n`, 143, 3)}) k
      on conflict do nothing`,
  );
  await step(
    ctx,
    "change work orders",
    sql`insert into change_work_orders (id, change_id, position, kind, title, instructions, state, assignee_id, planned_start,
        planned_end, actual_start, actual_end, created_at, updated_at)
      select ${g.uid(TAG.workOrder, sql`c.number::int8 * 8 + w.position`)}, c.id, w.position, w.kind, w.title, 'See the implementation plan.',
        case
          when c.state in ('closed', 'review') then 'done'
          when c.state = 'rolled_back' then case when w.kind = 'rollback' then 'done' when w.kind = 'review' then 'created' else 'failed' end
          when c.state in ('canceled', 'rejected') then 'canceled'
          when c.state = 'implementing' then case when w.position = 1 then 'in_progress' else 'ready' end
          when c.state = 'scheduled' then 'ready'
          else 'created' end,
        c.assignee_id, c.planned_start, c.planned_end,
        case when c.state in ('closed', 'review', 'rolled_back', 'implementing') and w.position = 1 then c.planned_start end,
        case when c.state in ('closed', 'review') then c.planned_end end,
        c.created_at, c.updated_at
      from changes c
      cross join lateral (values (1, 'implementation', 'Apply the change'), (2, 'test', 'Verify the service'),
        (3, 'rollback', 'Roll back if the checks fail'), (4, 'review', 'Review the result')) w(position, kind, title)
      where w.kind <> 'rollback' or c.state = 'rolled_back' or c.number % 4 = 0`,
  );
  await step(
    ctx,
    "change approvals",
    sql`insert into change_approvals (id, change_id, approver_id, decision, comment, plan_revision, change_version, created_at)
      select ${g.uid(TAG.approval, sql`c.number`)}, c.id, ${g.uid(TAG.agent, sql`1 + c.number % ${lit(Math.min(A, 5))}`)},
        case when c.state = 'rejected' then 'reject' else 'approve' end,
        case when c.state = 'rejected' then 'Too risky in this window.' else 'Approved in the CAB meeting.' end,
        1, 1, c.created_at + interval '1 hour'
      from changes c
      where c.type <> 'standard' and c.state in ('scheduled', 'implementing', 'review', 'closed', 'rolled_back', 'rejected')`,
  );
  await step(
    ctx,
    "change tickets",
    sql`insert into change_tickets (change_id, ticket_id)
      select ${g.uid(TAG.change, sql`n`)}, ${g.uid(TAG.ticket, sql`${g.pick(sql`n`, 150, Math.max(1, Math.floor(spec.tickets / 20)))} * 20 + 1`)}
      from generate_series(1, ${lit(C)}) n
      where ${g.u(sql`n`, 151)} < 0.1
      on conflict do nothing`,
  );
  const cab = Array.from({ length: Math.min(A, 5) }, (_, i) => i + 1);
  await sql`insert into change_approver_sets (id, name, types, user_ids, rule)
    values (${g.uid(TAG.approverSet, lit(1))}, 'Change Advisory Board', array['normal'],
      array[${sql.join(cab.map((a) => g.uid(TAG.agent, lit(a))))}], 'majority'),
      (${g.uid(TAG.approverSet, lit(2))}, 'Emergency CAB', array['emergency'],
      array[${sql.join(cab.slice(0, 2).map((a) => g.uid(TAG.agent, lit(a))))}], 'any')`.execute(tx);
  await sql`insert into maintenance_windows (id, name, ci_ids, service_ids, rrule, dtstart, duration_minutes, timezone)
    values (${g.uid(TAG.window, lit(1))}, 'Sunday night patching', array[${estate.ci("network_device", lit(0))}, ${estate.ci("network_device", lit(1))}],
      array[${estate.ci("business_service", lit(0))}], 'FREQ=WEEKLY;BYDAY=SU', '2024-01-07T01:00', 240, 'Europe/Berlin')`.execute(
    tx,
  );
  await sql`insert into maintenance_windows (id, name, ci_ids, starts_at, ends_at)
    values (${g.uid(TAG.window, lit(2))}, 'Data center power test', array[${estate.ci("server", lit(0))}],
      ${at} + interval '20 days', ${at} + interval '20 days 6 hours')`.execute(tx);
  await sql`insert into blackout_windows (id, name, service_ids, starts_at, ends_at)
    values (${g.uid(TAG.window, lit(3))}, 'Year-end freeze', '{}', date_trunc('year', ${at}) + interval '11 months 20 days',
      date_trunc('year', ${at}) + interval '1 year 5 days'),
      (${g.uid(TAG.window, lit(4))}, 'Payroll run', array[${estate.ci("business_service", lit(0))}], ${at} + interval '10 days', ${at} + interval '11 days')`.execute(
    tx,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Audit trail: what the app would have recorded, in time order

async function seedAudit(ctx: Ctx): Promise<void> {
  await step(
    ctx,
    "audit log",
    sql`insert into audit_log (at, actor_id, action, entity_type, entity_id, changes, request_id, source)
      select at, actor_id, action, entity_type, entity_id, changes, null, source from (
        select created_at as at, coalesce(requester_id, assignee_id) as actor_id, 'ticket.created' as action,
          'ticket' as entity_type, id::text as entity_id,
          jsonb_build_object('type', jsonb_build_array(null, type), 'title', jsonb_build_array(null, title),
            'state', jsonb_build_array(null, 'new'), 'priority', jsonb_build_array(null, priority)) as changes,
          case when requester_id is null then 'web' else 'email' end as source
        from tickets
        union all
        select coalesce(closed_at, resolved_at), assignee_id, 'ticket.updated', 'ticket', id::text,
          jsonb_build_object('state', jsonb_build_array('in_progress', state)), 'web'
        from tickets where state_type in ('resolved', 'closed')
        union all
        select created_at, actor_id, 'ci.created', 'ci', ci_id::text, diff || '{"source": [null, "import"]}', 'web'
        from ci_versions
        union all
        select created_at, requested_by, 'change.created', 'change', id::text,
          jsonb_build_object('title', jsonb_build_array(null, title), 'type', jsonb_build_array(null, type)), 'web'
        from changes
        union all
        select created_at, null, 'user.created', 'user', id::text,
          jsonb_build_object('email', jsonb_build_array(null, email), 'kind', jsonb_build_array(null, kind)), 'cli'
        from users where email <> ${ADMIN_EMAIL}
      ) a
      order by at, entity_id`,
  );
}

// ---------------------------------------------------------------------------------------------------------

async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of COUNTED_TABLES) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(db);
    counts[t] = Number(r.rows[0]?.n ?? 0);
  }
  return counts;
}

async function collectRefs(db: Db, g: Gen, spec: (typeof SIZES)[Size]): Promise<DatasetRefs> {
  const one = async <T>(q: Sql): Promise<T> => {
    const r = await q.execute(db);
    const row = r.rows[0] as T | undefined;
    if (!row) throw new Error(`reference not found: ${q.compile(db).sql.slice(0, 200)}`);
    return row;
  };
  const classStart = async (code: string) =>
    one<{ id: string; name: string }>(sql`select c.id, c.name from cis c join ci_classes k on k.id = c.class_id
      where k.code = ${code} order by c.number limit 1`);
  const hub = await one<{
    id: string;
    name: string;
  }>(sql`select c.id, c.name from cis c join ci_classes k on k.id = c.class_id
    where k.code = 'network_device' order by c.number limit 1`);
  const sharedDb = await classStart("database");
  const service = await classStart("business_service");
  const vm = await classStart("virtual_machine");
  // The deepest chain: the first block of applications, linked i → i+1.
  const chain = await one<{ top: string; bottom: string; depth: number }>(sql`
    with recursive walk(id, depth) as (
      select c.id, 0 from cis c join ci_classes k on k.id = c.class_id where k.code = 'application'
        and c.number = (select min(c2.number) from cis c2 join ci_classes k2 on k2.id = c2.class_id where k2.code = 'application')
      union all
      select r.target_id, w.depth + 1 from walk w
      join ci_relations r on r.source_id = w.id and r.type = 'depends_on'
      join cis t on t.id = r.target_id join ci_classes kt on kt.id = t.class_id and kt.code = 'application'
      where w.depth < 50
    )
    select (select id from walk where depth = 0) as top, (select id from walk order by depth desc limit 1) as bottom,
      (select max(depth) from walk) as depth`);
  const bigT = await one<{ id: string; number: number }>(
    sql`select id, number from tickets where id = ${g.uid(TAG.ticket, lit(ticketLayout(spec).bigN))}`,
  );
  const busyAgentId = g.uid(TAG.agent, lit(1));
  const busy = await one<{ id: string; email: string }>(sql`select id, email from users where id = ${busyAgentId}`);
  const open = await one<{ id: string }>(sql`select id from tickets where state_type = 'open' and type = 'incident'
    and group_id = ${g.uid(TAG.group, lit(1))} order by created_at desc limit 1`);
  const org = await one<{ id: string }>(sql`select id from organizations where id = ${g.uid(TAG.org, lit(1))}`);
  const customer = await one<{ email: string }>(sql`select email from users where id = ${g.uid(TAG.employee, lit(1))}`);
  const change = await one<{ id: string }>(sql`select c.id from changes c where c.state = 'scheduled'
    and exists (select 1 from change_cis x where x.change_id = c.id) order by c.planned_start limit 1`);
  return {
    hubCiId: hub.id,
    hubCiName: hub.name,
    sharedDatabaseCiId: sharedDb.id,
    chainTopCiId: chain.top,
    chainBottomCiId: chain.bottom,
    chainDepth: Number(chain.depth),
    businessServiceCiId: service.id,
    virtualMachineCiId: vm.id,
    bigTicketId: bigT.id,
    bigTicketNumber: Number(bigT.number),
    openTicketId: open.id,
    busyAgentEmail: busy.email,
    busyAgentId: busy.id,
    largestOrganizationId: org.id,
    customerEmail: customer.email,
    changeId: change.id,
  };
}

function printSummary(
  out: NodeJS.WriteStream,
  steps: ProgressResult[],
  counts: Record<string, number>,
  seconds: number,
  target: Target,
  size: Size,
): void {
  const w = (s: string) => out.write(`${s}\n`);
  w("");
  w(`${"step".padEnd(26)} ${"rows".padStart(12)} ${"seconds".padStart(9)} ${"rows/s".padStart(12)}`);
  for (const s of steps) {
    w(
      `${s.label.padEnd(26)} ${formatCount(s.rows).padStart(12)} ${s.seconds.toFixed(1).padStart(9)} ${(s.rows ? formatRate(s.rate) : "").padStart(12)}`,
    );
  }
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  w("");
  w(`${"table".padEnd(26)} ${"rows".padStart(12)}`);
  for (const [t, n] of Object.entries(counts)) w(`${t.padEnd(26)} ${formatCount(n).padStart(12)}`);
  w("");
  w(
    `size ${size} on ${target.label}: ${formatCount(rows)} rows in ${formatDuration(seconds)} (${formatRate(rows / seconds)} overall)`,
  );
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let size: Size;
  try {
    size = parseSize(argv, "S");
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const at = argv.indexOf("--seed");
  const seed = at >= 0 ? Number(argv[at + 1]) : DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 1_000_000) {
    console.error("--seed must be an integer between 0 and 1000000");
    return 2;
  }
  let target: Target;
  try {
    target = await openTarget(size, { poolSize: 2 });
  } catch (e) {
    if (e instanceof TargetError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  try {
    await seedDataset(target, size, { seed });
    return 0;
  } catch (e) {
    if (e instanceof SeedRefused) {
      const already = e.message.startsWith("already seeded");
      (already ? console.log : console.error)(`${target.label}: ${e.message}`);
      return already ? 0 : 1;
    }
    throw e;
  } finally {
    await target.database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
