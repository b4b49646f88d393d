/**
 * The benchmark: `npm run bench -- --size S|M [options]` (DATABASE_URL for PostgreSQL; without it, PGlite and size S).
 *
 * Seeds the dataset when the target database lacks it (bench/seed.ts), records the SQL each API
 * scenario issues (Steward in this process, bench/lib/capture.ts), starts `steward serve` as a child
 * process and loads it over keep-alive HTTP with a fixed number of clients, then replays the recorded
 * statements straight to the database with the same clients: Steward's throughput over the database's
 * is the figure that survives a noisy, shared machine. Also: a `node:http` hello-world ceiling, a CSV
 * import of CIs against a raw COPY, the SLA calendar engine, and the server's resident memory.
 *
 * Prints a Markdown table and writes bench/results/<time>-<size>.json. Options:
 *   --size S|M|L        dataset (default S; M and L need DATABASE_URL)
 *   --concurrency N     clients (default 8)
 *   --warmup S          seconds of warm-up per measurement (default 2 for S, 5 otherwise)
 *   --duration S        measured seconds per measurement (default 5 for S, 15 otherwise)
 *   --rounds N          Steward and raw measured in turn N times each; the best round counts (default 2)
 *   --import-rows N     CIs to import (default 3,000 for S, 20,000 otherwise), in 10 slices after a warm-up slice
 *   --only a,b          scenarios to run (worklist, page, bigpage, search, impact, create, reply, import, sla)
 *   --log-level L       the server's LOG_LEVEL (default info, as shipped)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { compileCalendar } from "../server/modules/sla/index.ts";
import {
  Capture,
  type CapturedRequest,
  profile,
  type RawDatabase,
  rawPGlite,
  rawPostgres,
  replay,
  type StatementTime,
  statementSummary,
} from "./lib/capture.ts";
import { type DatasetMarker, datasetOf, parseSize, type Size } from "./lib/dataset.ts";
import { HttpClient, type HttpRequestSpec, type LoadResult, runLoad, startHelloServer, stopChild } from "./lib/load.ts";
import {
  count,
  describeMachine,
  machineInfo,
  markdownTable,
  megabytes,
  RESULTS_DIR,
  type ReportRow,
  residentMemory,
  writeResults,
} from "./lib/report.ts";
import { openTarget, type Target } from "./lib/target.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** tsx's loader, so the child processes find it from any working directory. */
const TSX = import.meta.resolve("tsx");
const argv = process.argv.slice(2);

function option(name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} takes a positive number (got ${JSON.stringify(raw)})`);
  return n;
}

const size: Size = parseSize(argv);
const small = size === "S";
const CONCURRENCY = Math.round(numberOption("concurrency", 8));
const WARMUP_MS = numberOption("warmup", small ? 2 : 5) * 1000;
const DURATION_MS = numberOption("duration", small ? 5 : 15) * 1000;
const ROUNDS = Math.round(numberOption("rounds", 2));
const IMPORT_ROWS = Math.max(10, Math.round(numberOption("import-rows", small ? 3_000 : 20_000) / 10) * 10);
const ONLY = option("only")
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const LOG_LEVEL = option("log-level") ?? "info";
const wanted = (key: string) => !ONLY || ONLY.includes(key);

const RUN_ID = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(2).toString("hex")}`;
/** Marks what this run creates (ticket titles, reply texts, CI names), so it can be told apart and retired. */
const TAG = `bench-${RUN_ID.toLowerCase()}`;

const say = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- dataset

async function ensureDataset(): Promise<DatasetMarker> {
  const probe = await openTarget(size);
  let marker: DatasetMarker | null;
  try {
    marker = await datasetOf(probe.database.db);
  } finally {
    await probe.database.close();
  }
  if (marker?.size === size) return marker;
  say(
    marker
      ? `The database holds dataset ${marker.size}, not ${size}: seeding ${size} (bench/seed.ts).`
      : `No ${size} dataset in ${probe.label}: seeding it first (bench/seed.ts).`,
  );
  // The same working directory: the embedded database's directory is relative to it.
  const seed = spawn(process.execPath, ["--import", TSX, path.join(ROOT, "bench/seed.ts"), "--size", size], {
    cwd: process.cwd(),
    stdio: "inherit",
    env: process.env,
  });
  const code = await new Promise<number | null>((resolve) => seed.once("exit", resolve));
  if (code !== 0) throw new Error(`bench/seed.ts --size ${size} failed (exit ${code})`);
  const again = await openTarget(size);
  try {
    marker = await datasetOf(again.database.db);
  } finally {
    await again.database.close();
  }
  if (marker?.size !== size) throw new Error(`bench/seed.ts finished but left no ${size} dataset marker`);
  return marker;
}

// ---------------------------------------------------------------- scenarios

type Headers = Record<string, string>;

interface HttpScenario {
  key: string;
  label: string;
  /** Who sends it. */
  as: "agent" | "admin";
  write: boolean;
  /** "pages/s" when one operation is several requests. */
  unit?: string;
  /** Each variant is one operation: its requests go out together, as a browser sends them. */
  variants: (headers: Headers) => HttpRequestSpec[][];
  target: { text: string; p95Ms?: number; minRatio?: number };
}

interface Aims {
  agentId: string;
  pageTickets: string[];
  replyTickets: string[];
  searchWords: string[];
  customerId: string | null;
  serverClassId: string;
  /** The busy agent when the long ticket is in their groups, else the administrator. */
  bigTicketAs: "agent" | "admin";
}

const json = (headers: Headers): Headers => ({ ...headers, "content-type": "application/json" });

function scenarios(marker: DatasetMarker, aims: Aims): HttpScenario[] {
  const refs = marker.refs;
  const page = (id: string, h: Headers): HttpRequestSpec[] => [
    { method: "GET", path: `/api/v1/tickets/${id}`, headers: h },
    { method: "GET", path: `/api/v1/tickets/${id}/articles`, headers: h },
    { method: "GET", path: `/api/v1/tickets/${id}/sla`, headers: h },
  ];
  const fast = "p95 < 50 ms";
  // Words that are not in the generated titles, so the search scenario never finds what this run adds.
  const titles = [
    "Projector in meeting room 4 shows no signal",
    "Coffee machine payment terminal offline",
    "Parking gate ignores visitor codes",
    "Whiteboard camera image upside down",
  ];
  return [
    {
      key: "worklist",
      label: "agent work list (open in my groups, SLA due, 50)",
      as: "agent",
      write: false,
      variants: (h) => [
        [{ method: "GET", path: "/api/v1/tickets?stateType=new,open,pending&sort=slaDue&limit=50", headers: h }],
      ],
      target: { text: fast, p95Ms: 50 },
    },
    {
      key: "page",
      label: "ticket page (ticket + timeline + SLA)",
      as: "agent",
      write: false,
      unit: "pages/s",
      variants: (h) => aims.pageTickets.map((id) => page(id, h)),
      target: { text: fast, p95Ms: 50 },
    },
    {
      key: "bigpage",
      label: `ticket page, the ${marker.refs.bigTicketId ? "1,000-entry" : "long"} ticket`,
      as: aims.bigTicketAs,
      write: false,
      unit: "pages/s",
      variants: (h) => [page(refs.bigTicketId, h)],
      target: { text: fast, p95Ms: 50 },
    },
    {
      key: "search",
      label: `full-text search (${aims.searchWords.length} words)`,
      as: "agent",
      write: false,
      variants: (h) =>
        aims.searchWords.map((w) => [
          { method: "GET", path: `/api/v1/tickets?q=${encodeURIComponent(w)}&limit=50`, headers: h },
        ]),
      target: { text: fast, p95Ms: 50 },
    },
    {
      key: "impact",
      label: "impact of the hub CI, downstream, 5 hops",
      as: "agent",
      write: false,
      variants: (h) => [
        [{ method: "GET", path: `/api/v1/cmdb/cis/${refs.hubCiId}/impact?direction=downstream&depth=5`, headers: h }],
      ],
      target: { text: "p95 < 100 ms", p95Ms: 100 },
    },
    {
      key: "create",
      label: "create an incident",
      as: "agent",
      write: true,
      variants: (h) =>
        titles.map((title, i) => [
          {
            method: "POST",
            path: "/api/v1/tickets",
            headers: json(h),
            body: JSON.stringify({
              type: "incident",
              title: `${title} (${TAG})`,
              description: `<p>${title}. Reported by phone; the user tried a restart.</p><p>${TAG}</p>`,
              impact: 1 + (i % 3),
              urgency: 1 + ((i + 1) % 3),
              ...(aims.customerId ? { requesterId: aims.customerId } : {}),
            }),
          },
        ]),
      target: { text: "≥ 30 % of raw", minRatio: 0.3 },
    },
    {
      key: "reply",
      label: "add a reply to a ticket",
      as: "agent",
      write: true,
      variants: (h) =>
        aims.replyTickets.map((id) => [
          {
            method: "POST",
            path: `/api/v1/tickets/${id}/articles`,
            headers: json(h),
            body: JSON.stringify({
              kind: "reply",
              body: `<p>Port reset done on the edge switch; link stable since 10:42. Kindly confirm on your side.</p><p>${TAG}</p>`,
            }),
          },
        ]),
      target: { text: "" },
    },
  ];
}

/** Tickets, words and classes the scenarios aim at, read from the seeded data (deterministic for a seed). */
async function findAims(target: Target, marker: DatasetMarker): Promise<Aims> {
  const db = target.database.db;
  const agentId = marker.refs.busyAgentId;
  const groups = (await db.selectFrom("group_members").select("group_id").where("user_id", "=", agentId).execute()).map(
    (r) => r.group_id,
  );
  // The ticket pages: the reference open ticket and the first 15 others (the same every run).
  // The replies: tickets drawn anew each run, so the timelines the replies grow differ from run to run.
  const openTickets = (order: "number" | "draw", limit: number, not: string[]) =>
    groups.length === 0
      ? Promise.resolve([] as string[])
      : db
          .selectFrom("tickets")
          .select("id")
          .where("state_type", "in", ["new", "open", "pending"])
          .where("group_id", "in", groups)
          .where("id", "not in", not)
          .orderBy(order === "number" ? sql`number` : sql`md5(id::text || ${RUN_ID})`)
          .limit(limit)
          .execute()
          .then((rows) => rows.map((r) => r.id));
  const fixed = [marker.refs.openTicketId, marker.refs.bigTicketId];
  const pageTickets = [marker.refs.openTicketId, ...(await openTickets("number", 15, fixed))];
  const replyTickets = await openTickets("draw", 2 * CONCURRENCY, [...fixed, ...pageTickets]);
  if (replyTickets.length < 2 * CONCURRENCY) {
    throw new Error(`the busy agent's groups hold too few open tickets for ${2 * CONCURRENCY} reply targets`);
  }
  // Words of ticket titles, from frequent to rarer, as people search for them (not the titles of earlier runs).
  const stats = await sql<{ word: string; ndoc: number }>`
    select word, ndoc from ts_stat($$select to_tsvector('simple', title) from tickets
      where number % 25 = 0 and title not like '%(bench-%'$$)
    where length(word) >= 4 and word ~ '^[a-z]+$' order by ndoc desc, word limit 40`.execute(db);
  const ranked = stats.rows.map((r) => r.word);
  const searchWords = [0, 3, 8, 15, 30]
    .map((i) => ranked[Math.min(i, ranked.length - 1)])
    .filter((w): w is string => !!w)
    .filter((w, i, all) => all.indexOf(w) === i);
  if (searchWords.length === 0) throw new Error("found no words in ticket titles to search for");
  const customer = marker.refs.customerEmail
    ? await db.selectFrom("users").select("id").where("email", "=", marker.refs.customerEmail).executeTakeFirst()
    : undefined;
  const serverClass = await db
    .selectFrom("ci_classes")
    .select("id")
    .where("code", "=", "server")
    .executeTakeFirstOrThrow();
  const big = await db
    .selectFrom("tickets")
    .select(["group_id", "assignee_id"])
    .where("id", "=", marker.refs.bigTicketId)
    .executeTakeFirstOrThrow();
  const agentSees = big.assignee_id === agentId || (big.group_id !== null && groups.includes(big.group_id));
  return {
    agentId,
    pageTickets,
    replyTickets,
    searchWords,
    customerId: customer?.id ?? null,
    serverClassId: serverClass.id,
    bigTicketAs: agentSees ? "agent" : "admin",
  };
}

// ---------------------------------------------------------------- the server

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Steward {
  origin: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
}

async function startSteward(target: Target): Promise<Steward> {
  const port = await freePort();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = path.join(RESULTS_DIR, `${RUN_ID}-${size}-server.log`);
  const log = fs.openSync(logFile, "w");
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL };
  if (target.kind === "postgres") env.DATABASE_URL = target.url;
  else {
    delete env.DATABASE_URL;
    env.STEWARD_DATA_DIR = target.dataDir;
  }
  const child = spawn(process.execPath, ["--import", TSX, path.join(ROOT, "server/cli.ts"), "serve"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`steward serve exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${origin}/readyz`);
      if (res.ok) return { origin, pid: child.pid ?? 0, child, logFile };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stopChild(child);
  throw new Error(`steward serve was not ready within 3 minutes; see ${logFile}`);
}

function setCookies(res: { headers: Record<string, string | string[] | undefined> }): Record<string, string> {
  const raw = res.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const out: Record<string, string> = {};
  for (const c of list) {
    const [pair] = c.split(";");
    const at = pair?.indexOf("=") ?? -1;
    if (pair && at > 0) out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

async function httpLogin(origin: string, email: string, password: string): Promise<Headers> {
  const client = new HttpClient(origin);
  try {
    const res = await client.expectOk({
      method: "POST",
      path: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    const cookies = setCookies(res);
    const session = cookies.steward_session;
    const csrf = cookies.steward_csrf;
    if (!session || !csrf) throw new Error(`sign-in of ${email} over HTTP set no session cookie`);
    return { cookie: `steward_session=${session}; steward_csrf=${csrf}`, "x-csrf-token": csrf };
  } finally {
    client.close();
  }
}

/** Samples the server's resident memory while the run goes on. */
class MemoryWatch {
  max = 0;
  #timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.#timer = setInterval(() => this.sample(), 200);
    this.#timer.unref();
  }
  sample(): number {
    const m = residentMemory(this.pid);
    if (m && Number.isFinite(m.rss)) this.max = Math.max(this.max, m.rss);
    return m?.rss ?? Number.NaN;
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

/**
 * PostgreSQL: waits until the server has nothing left to do in the database (outbox dispatched,
 * event jobs handled, no statement running or transaction open but ours).
 */
async function waitQuiet(raw: RawDatabase, timeoutMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const busy = await raw.withSession(async (s) => {
      const rows = await s.query(
        `select
           (select count(*) from outbox where dispatched_at is null) as outbox,
           (select count(*) from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid()
               and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')) as sessions,
           to_regclass('pgboss.job') is not null as boss`,
        [],
      );
      const r = rows[0] ?? {};
      let jobs = 0;
      if (r.boss === true) {
        const j = await s.query(
          `select count(*) as n from pgboss.job
            where name like 'event.%' and state in ('created', 'retry', 'active') and start_after <= now()`,
          [],
        );
        jobs = Number(j[0]?.n ?? 0);
      }
      return Number(r.outbox) + Number(r.sessions) + jobs;
    });
    if (busy === 0) return true;
    await sleep(250);
  }
  return false;
}

// ---------------------------------------------------------------- measurements

interface ScenarioResult {
  key: string;
  label: string;
  unit?: string;
  steward?: LoadResult;
  raw?: LoadResult;
  /** Statements per operation (all its requests), transaction control included. */
  statements: number;
  requests: {
    method: string;
    path: string;
    status: number;
    bytes: number;
    rowsMatched: boolean;
    statements: string[];
  }[];
  target: string;
  met: boolean | null;
  note?: string;
  /** The first variant's statements replayed alone: their total and the slowest. */
  database?: DatabaseTime;
  /** Every round; `steward` and `raw` above are the best of them. */
  rounds?: { steward: LoadResult[]; raw: LoadResult[] };
}

/** The round with the highest throughput (outside load only ever slows a round down); error-free rounds first. */
function best(rounds: readonly LoadResult[]): LoadResult | undefined {
  const clean = rounds.filter((r) => r.errors === 0);
  const pool = clean.length ? clean : rounds;
  return pool.reduce<LoadResult | undefined>((b, r) => (!b || r.perSecond > b.perSecond ? r : b), undefined);
}

interface DatabaseTime {
  /** Sum of the statements' median times, one client alone (parallel requests added up). */
  totalMs: number;
  slowest: StatementTime[];
}

async function databaseTime(raw: RawDatabase, op: CapturedRequest[]): Promise<DatabaseTime> {
  const times: StatementTime[] = [];
  for (const r of op) times.push(...(await profile(raw, r)));
  return {
    totalMs: times.reduce((t, s) => t + s.ms, 0),
    slowest: [...times].sort((a, b) => b.ms - a.ms).slice(0, 5),
  };
}

function describeTime(d: DatabaseTime): string {
  const top = d.slowest
    .slice(0, 2)
    .map((s) => `${s.ms.toFixed(1)} ms ${s.sql.slice(0, 110)}${s.sql.length > 110 ? "…" : ""}`)
    .join("\n             ");
  return `  database alone: ${d.totalMs.toFixed(1)} ms per operation; slowest:\n             ${top}`;
}

function pick<T>(list: readonly T[], client: number, i: number): T {
  return list[(client + i * CONCURRENCY) % list.length] as T;
}

async function measureSteward(origin: string, ops: HttpRequestSpec[][]): Promise<LoadResult> {
  const width = Math.max(...ops.map((o) => o.length));
  const clients = Array.from({ length: CONCURRENCY }, () => new HttpClient(origin, width));
  try {
    return await runLoad({
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
      op: async (c, i) => {
        const client = clients[c] as HttpClient;
        await Promise.all(pick(ops, c, i).map((spec) => client.expectOk(spec)));
      },
    });
  } finally {
    for (const c of clients) c.close();
  }
}

async function measureRaw(raw: RawDatabase, captured: CapturedRequest[][], verify = true): Promise<LoadResult> {
  // Once each, checked against the recording: a replay that goes astray fails here, not in the figures.
  if (verify) for (const op of captured) await Promise.all(op.map((r) => replay(raw, r, { verify: true })));
  return runLoad({
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    op: async (c, i) => {
      await Promise.all(pick(captured, c, i).map((r) => replay(raw, r)));
    },
  });
}

function line(label: string, r: LoadResult | undefined, unit = "req/s"): string {
  if (!r) return `  ${label}: –`;
  const errors = r.errors ? `, ${r.errors} errors (${r.firstError})` : "";
  return `  ${label.padEnd(8)} p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${count(r.perSecond)} ${unit} (${r.count} in ${r.seconds.toFixed(1)} s${errors})`;
}

// ---------------------------------------------------------------- CI import and COPY

const IMPORT_COLUMNS = [
  "Name",
  "Deployment state",
  "Host name",
  "Serial number",
  "Manufacturer",
  "Operating system",
  "CPU cores",
  "Memory (MB)",
  "IP addresses",
];
const MAKERS = ["Dell", "HP", "Lenovo", "Cisco"];
const SYSTEMS = ["Ubuntu 24.04", "Debian 12", "Windows Server 2022", "RHEL 9"];
const STATES = ["Production", "Production", "Test", "Maintenance"];

function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "string" ? v : String(v);
  return `"${s.replaceAll('"', '""')}"`;
}

function importCsv(from: number, to: number, kind = "srv"): string {
  const lines = [IMPORT_COLUMNS.join(",")];
  for (let i = from; i < to; i++) {
    lines.push(
      [
        `${TAG}-${kind}-${String(i).padStart(6, "0")}`,
        STATES[i % STATES.length],
        `${TAG}-srv-${i}.example.net`,
        `SN${(1_000_000 + i * 7919).toString(36).toUpperCase()}`,
        MAKERS[i % MAKERS.length],
        SYSTEMS[(i >> 2) % SYSTEMS.length],
        String(2 ** (2 + (i % 5))),
        String(4096 * (1 + (i % 16))),
        `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255};10.200.${(i >> 8) & 255}.${i & 255}`,
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

function multipart(fields: Record<string, string>, file: { name: string; type: string; content: string }) {
  const boundary = `----steward-bench-${randomBytes(8).toString("hex")}`;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
  );
  const body = Buffer.concat([
    Buffer.from(parts.join("")),
    Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

interface ImportResult {
  rows: number;
  slices: { rows: number; seconds: number; perSecond: number }[];
  seconds: number;
  perSecond: number;
  firstTenth: number;
  lastTenth: number;
  rejected: number;
  copy?: { rows: number; seconds: number; perSecond: number };
  copyNote?: string;
  /** A 20-row import recorded in process and replayed alone: what one row costs the database. */
  database?: ImportTime;
}

const PROBE_ROWS = 20;

interface ImportTime {
  statementsPerRow: number;
  msPerRow: number;
  /** Every distinct statement, slowest per imported row first. */
  slowest: { sql: string; perRow: number; msPerRow: number }[];
}

async function importTime(raw: RawDatabase, probe: CapturedRequest): Promise<ImportTime> {
  const times = await profile(raw, probe, 1);
  const bySql = new Map<string, { n: number; ms: number }>();
  for (const t of times) {
    const e = bySql.get(t.sql) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += t.ms;
    bySql.set(t.sql, e);
  }
  return {
    statementsPerRow: probe.statements.length / PROBE_ROWS,
    msPerRow: times.reduce((t, s) => t + s.ms, 0) / PROBE_ROWS,
    slowest: [...bySql.entries()]
      .map(([sql, e]) => ({ sql, perRow: e.n / PROBE_ROWS, msPerRow: e.ms / PROBE_ROWS }))
      .sort((a, b) => b.msPerRow - a.msPerRow),
  };
}

function describeImportTime(d: ImportTime): string {
  const top = d.slowest
    .slice(0, 3)
    .map(
      (s) =>
        `${s.msPerRow.toFixed(2)} ms/row (${s.perRow.toFixed(1)}×) ${s.sql.slice(0, 100)}${s.sql.length > 100 ? "…" : ""}`,
    )
    .join("\n             ");
  return `  database alone: ${d.msPerRow.toFixed(2)} ms and ${d.statementsPerRow.toFixed(1)} statements per row; slowest:\n             ${top}`;
}

function importRequest(admin: Headers, classId: string, csv: string, name: string): HttpRequestSpec {
  const form = multipart({ classId, dryRun: "false" }, { name, type: "text/csv", content: csv });
  return {
    method: "POST",
    path: "/api/v1/cmdb/imports",
    headers: { ...admin, "content-type": form.contentType },
    body: form.body,
  };
}

async function importOverHttp(origin: string, admin: Headers, classId: string): Promise<ImportResult> {
  const client = new HttpClient(origin);
  const slices: ImportResult["slices"] = [];
  let rejected = 0;
  const per = IMPORT_ROWS / 10;
  try {
    // A warm-up slice (not measured): the first import after start also compiles and caches.
    const warm = Math.max(50, Math.round(per / 2));
    await client.expectOk(importRequest(admin, classId, importCsv(0, warm, "warm"), "warm-up.csv"));
    for (let s = 0; s < 10; s++) {
      const request = importRequest(admin, classId, importCsv(s * per, (s + 1) * per), `servers-${s + 1}.csv`);
      const began = performance.now();
      const res = await client.expectOk(request);
      const seconds = (performance.now() - began) / 1000;
      const report = JSON.parse(res.body.toString("utf8")) as { created: number; rejected: number; errors: unknown[] };
      if (report.created !== per) {
        throw new Error(
          `import slice ${s + 1}: ${report.created} of ${per} rows created, ${report.rejected} rejected: ${JSON.stringify(report.errors).slice(0, 300)}`,
        );
      }
      rejected += report.rejected;
      slices.push({ rows: per, seconds, perSecond: per / seconds });
      if (process.stdout.isTTY) process.stdout.write(`\r  import slice ${s + 1}/10: ${count(per / seconds)} rows/s   `);
    }
  } finally {
    client.close();
  }
  if (process.stdout.isTTY) process.stdout.write("\n");
  say(`  slices: ${slices.map((s) => count(s.perSecond)).join(", ")} rows/s`);
  const seconds = slices.reduce((t, s) => t + s.seconds, 0);
  return {
    rows: IMPORT_ROWS,
    slices,
    seconds,
    perSecond: IMPORT_ROWS / seconds,
    firstTenth: slices[0]?.perSecond ?? Number.NaN,
    lastTenth: slices[slices.length - 1]?.perSecond ?? Number.NaN,
    rejected,
  };
}

const COPY_COLUMNS = [
  "class_id",
  "class_version",
  "name",
  "deployment_state_id",
  "incident_state",
  "incident_manual",
  "organization_id",
  "group_id",
  "location_id",
  "attributes",
  "locks",
  "search",
];

function pgArray(v: unknown): string {
  const items = Array.isArray(v) ? v : [];
  return `{${items.map((x) => `"${String(x).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

/** The imported rows as the table stores them, renamed, as CSV for COPY. */
async function copyCsv(raw: RawDatabase): Promise<{ csv: string; rows: number }> {
  const rows = await raw.withSession((s) =>
    s.query(`select ${COPY_COLUMNS.join(", ")} from cis where name like $1 order by name`, [`${TAG}-srv-%`]),
  );
  const lines = rows.map((r) =>
    COPY_COLUMNS.map((c) => {
      const v = r[c];
      if (c === "name") return csvField(String(v).replace(`${TAG}-srv-`, `${TAG}-copy-`));
      if (c === "attributes") return csvField(typeof v === "string" ? v : JSON.stringify(v));
      if (c === "locks") return csvField(pgArray(v));
      if (typeof v === "boolean") return v ? "true" : "false";
      return csvField(v);
    }).join(","),
  );
  return { csv: `${lines.join("\n")}\n`, rows: rows.length };
}

async function rawCopy(raw: RawDatabase & { pglite?: unknown }): Promise<{ rows: number; seconds: number }> {
  const { csv, rows } = await copyCsv(raw);
  if (rows === 0) throw new Error("no imported rows to copy");
  const statement = `copy cis (${COPY_COLUMNS.join(", ")}) from '%FILE%' with (format csv)`;
  let seconds: number;
  if (raw.kind === "pglite") {
    const { pglite } = raw as unknown as { pglite: import("@electric-sql/pglite").PGlite };
    const began = performance.now();
    await pglite.query(statement.replace("%FILE%", "/dev/blob"), [], { blob: new Blob([csv]) });
    seconds = (performance.now() - began) / 1000;
  } else {
    const file = path.join(os.tmpdir(), `steward-${TAG}.csv`);
    fs.writeFileSync(file, csv, { mode: 0o644 });
    try {
      const began = performance.now();
      await raw.withSession((s) => s.query(statement.replace("%FILE%", file.replaceAll("'", "''")), []));
      seconds = (performance.now() - began) / 1000;
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  await raw.withSession((s) => s.query("delete from cis where name like $1", [`${TAG}-copy-%`]));
  return { rows, seconds };
}

// ---------------------------------------------------------------- SLA engine

/** The Berlin office calendar of bench/sla-calendar.ts: add() calls per second on one core. */
function slaEngine(seconds = 3): { perSecond: number; calls: number } {
  const hours = [1, 2, 3, 4, 5].flatMap((day) => [
    { day, start: "08:00", end: "12:00" },
    { day, start: "13:00", end: "17:00" },
  ]);
  const yearly = ["01-01", "05-01", "10-03", "12-25", "12-26"].map((md) => ({
    date: `2000-${md}`,
    name: md,
    yearly: true,
  }));
  const fixed = ["2024-03-29", "2024-04-01", "2024-05-09", "2024-05-20", "2025-04-18", "2025-04-21", "2025-05-29"].map(
    (date) => ({ date, name: date }),
  );
  const calendar = compileCalendar({ timezone: "Europe/Berlin", hours, holidays: [...yearly, ...fixed] });
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const N = 100_000;
  const from = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2028, 0, 1) - from;
  const starts = Array.from({ length: N }, () => new Date(from + Math.floor(random() * span)));
  const minutes = Array.from({ length: N }, () => 1 + Math.floor(random() * 4800));
  let sink = 0;
  for (let i = 0; i < 20_000; i++)
    sink += calendar.addWorkingMinutes(starts[i] as Date, minutes[i] as number).getTime();
  let i = 0;
  const began = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let k = 0; k < 10_000; k++, i++) {
      sink += calendar.addWorkingMinutes(starts[i % N] as Date, minutes[i % N] as number).getTime();
    }
    elapsed = performance.now() - began;
  }
  if (sink === 0) say("(checksum 0)");
  return { perSecond: (i / elapsed) * 1000, calls: i };
}

// ---------------------------------------------------------------- the run

async function databaseVersion(raw: RawDatabase): Promise<string> {
  const rows = await raw.withSession((s) => s.query("select version() as v", []));
  return String(rows[0]?.v ?? "unknown");
}

/** Moves the tickets this run opened out of the work lists (closed), so the next run sees the same open set. */
async function retireCreated(raw: RawDatabase): Promise<number> {
  const rows = await raw.withSession((s) =>
    s.query(
      `update tickets set state = 'closed', state_type = 'closed', closed_at = now(), sla_due_at = null,
         escalation_at = null where title like $1 and state_type <> 'closed' returning id`,
      [`%(${TAG})`],
    ),
  );
  return rows.length;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const startedAt = new Date();
  say(
    `Steward benchmark, dataset ${size}, ${CONCURRENCY} clients, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s per measurement, best of ${ROUNDS} rounds`,
  );
  say(`machine: ${describeMachine(machine)}; load average ${machine.loadAverage.start.join(" ")}`);

  const marker = await ensureDataset();
  say(`dataset ${marker.size} (seed ${marker.seed}, seeded ${marker.seededAt})`);

  // 1. Record what each scenario sends to the database (in process, before the server holds the database).
  const capture = await Capture.open(size);
  const target = capture.target;
  const aims = await findAims(target, marker);
  const all = scenarios(marker, aims).filter((s) => wanted(s.key));
  const captured = new Map<string, CapturedRequest[][]>();
  let importProbe: CapturedRequest | undefined;
  try {
    const agent = await capture.login(marker.refs.busyAgentEmail, marker.agentPassword);
    const admin = await capture.login(marker.admin.email, marker.admin.password);
    for (const s of all) {
      const ops: CapturedRequest[][] = [];
      for (const op of s.variants(s.as === "agent" ? agent : admin)) {
        // Once unrecorded (a first reply also stamps the first response; later ones do not), then recorded.
        for (const spec of op) await capture.send(spec);
        const recorded: CapturedRequest[] = [];
        for (const spec of op) recorded.push(await capture.record(spec));
        ops.push(recorded);
      }
      captured.set(s.key, ops);
      const first = ops[0] ?? [];
      const n = first.reduce((t, r) => t + r.statements.length, 0);
      say(`recorded ${s.key}: ${ops.length} variant(s), ${n} statements per operation`);
    }
    if (wanted("import")) {
      const csv = importCsv(0, PROBE_ROWS, "probe");
      importProbe = await capture.record(importRequest(admin, aims.serverClassId, csv, "probe.csv"));
      say(`recorded import: ${(importProbe.statements.length / PROBE_ROWS).toFixed(1)} statements per row`);
    }
  } finally {
    await capture.close();
  }

  const results: ScenarioResult[] = [];
  for (const s of all) {
    const ops = captured.get(s.key) ?? [];
    const first = ops[0] ?? [];
    results.push({
      key: s.key,
      label: s.label,
      ...(s.unit ? { unit: s.unit } : {}),
      statements: first.reduce((t, r) => t + r.statements.length, 0),
      requests: first.map((r) => ({
        method: r.request.method,
        path: r.request.path,
        status: r.status,
        bytes: r.bytes,
        rowsMatched: r.rowsMatched,
        statements: statementSummary(r),
      })),
      target: s.target.text,
      met: null,
    });
  }
  const resultOf = (key: string) => results.find((r) => r.key === key) as ScenarioResult;

  // 2. The ceiling: a bare node:http hello-world with the same load generator.
  say("\nhello-world ceiling (node:http, same load generator)");
  const hello = await startHelloServer();
  let helloResult: LoadResult;
  try {
    helloResult = await measureSteward(hello.origin, [[{ method: "GET", path: "/" }]]);
  } finally {
    await hello.stop();
  }
  say(line("hello", helloResult));

  // 3. Steward.
  const raw: RawDatabase | null = target.kind === "postgres" ? rawPostgres(target.url as string, 10) : null;
  let postgresVersion = raw ? await databaseVersion(raw) : "";
  say(`\nstarting steward serve (${target.label}, LOG_LEVEL=${LOG_LEVEL})`);
  const server = await startSteward(target);
  const memory = new MemoryWatch(server.pid);
  let paused = false;
  const cleanup = () => {
    if (paused) process.kill(server.pid, "SIGCONT");
    if (server.child.exitCode === null) server.child.kill("SIGTERM");
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  let idleRss = Number.NaN;
  let peakRss = Number.NaN;
  let imported: ImportResult | undefined;
  const notes: string[] = [];
  try {
    await sleep(5_000);
    if (raw) await waitQuiet(raw, 30_000);
    idleRss = memory.sample();
    say(`server pid ${server.pid}, resident memory at idle ${megabytes(idleRss)}`);
    const headers = {
      agent: await httpLogin(server.origin, marker.refs.busyAgentEmail, marker.agentPassword),
      admin: await httpLogin(server.origin, marker.admin.email, marker.admin.password),
    };

    const pause = async () => {
      if (!raw) return;
      if (!(await waitQuiet(raw))) notes.push("the server still had database work queued when it was paused");
      process.kill(server.pid, "SIGSTOP");
      paused = true;
    };
    const resume = async () => {
      if (!raw || !paused) return;
      process.kill(server.pid, "SIGCONT");
      paused = false;
      await waitQuiet(raw);
    };

    for (const s of all) {
      const result = resultOf(s.key);
      say(`\n${s.label}`);
      const ops = s.variants(s.as === "agent" ? headers.agent : headers.admin);
      const recorded = captured.get(s.key) ?? [];
      result.rounds = { steward: [], raw: [] };
      // Steward and raw take turns, so a burst of outside load hits one round, not one side.
      for (let round = 0; round < ROUNDS; round++) {
        const st = await measureSteward(server.origin, ops);
        result.rounds.steward.push(st);
        say(line("steward", st, s.unit));
        if (!raw) continue;
        await pause();
        try {
          const r = await measureRaw(raw, recorded, round === 0);
          result.rounds.raw.push(r);
          say(line("raw", r, s.unit));
          if (round === 0) {
            result.database = await databaseTime(raw, recorded[0] ?? []);
            say(describeTime(result.database));
          }
        } finally {
          await resume();
        }
      }
      result.steward = best(result.rounds.steward);
      if (raw) result.raw = best(result.rounds.raw);
    }

    if (wanted("import")) {
      say(`\nCSV import of ${count(IMPORT_ROWS)} servers in 10 slices (POST /api/v1/cmdb/imports)`);
      imported = await importOverHttp(server.origin, headers.admin, aims.serverClassId);
      say(
        `  import: ${count(imported.perSecond)} rows/s; first tenth ${count(imported.firstTenth)}, last tenth ${count(imported.lastTenth)} rows/s`,
      );
      if (raw) {
        await pause();
        try {
          const copy = await rawCopy(raw);
          imported.copy = { ...copy, perSecond: copy.rows / copy.seconds };
          say(
            `  raw COPY: ${count(imported.copy.perSecond)} rows/s (${copy.rows} rows in ${copy.seconds.toFixed(2)} s)`,
          );
          if (importProbe) {
            imported.database = await importTime(raw, importProbe);
            say(describeImportTime(imported.database));
          }
        } catch (error) {
          imported.copyNote = `raw COPY failed: ${(error as Error).message}`;
          say(`  ${imported.copyNote}`);
        } finally {
          await resume();
        }
      }
    }
    peakRss = Math.max(memory.max, residentMemory(server.pid)?.rss ?? 0);
  } finally {
    memory.stop();
    if (paused) {
      process.kill(server.pid, "SIGCONT");
      paused = false;
    }
    await stopChild(server.child, 30_000);
  }

  // 4. PGlite: one process at a time, so the raw side runs now that the server is gone.
  if (!raw) {
    const pgl = await rawPGlite(target.dataDir as string);
    try {
      postgresVersion = await databaseVersion(pgl);
      say("\nraw replays on PGlite (server stopped)");
      for (const s of all) {
        const result = resultOf(s.key);
        result.rounds ??= { steward: [], raw: [] };
        for (let round = 0; round < ROUNDS; round++) {
          const r = await measureRaw(pgl, captured.get(s.key) ?? [], round === 0);
          result.rounds.raw.push(r);
          say(line(s.key, r, s.unit));
        }
        result.raw = best(result.rounds.raw);
        result.database = await databaseTime(pgl, captured.get(s.key)?.[0] ?? []);
        say(describeTime(result.database));
      }
      if (imported) {
        const copy = await rawCopy(pgl);
        imported.copy = { ...copy, perSecond: copy.rows / copy.seconds };
        say(`  raw COPY: ${count(imported.copy.perSecond)} rows/s`);
        if (importProbe) {
          imported.database = await importTime(pgl, importProbe);
          say(describeImportTime(imported.database));
        }
      }
      const retired = await retireCreated(pgl);
      if (retired) say(`retired ${retired} tickets this run opened (closed, out of the work lists)`);
    } finally {
      await pgl.close();
    }
  } else {
    const retired = await retireCreated(raw);
    if (retired) say(`\nretired ${retired} tickets this run opened (closed, out of the work lists)`);
    await raw.close();
  }

  // 5. The SLA engine, in this process, one core.
  let sla: { perSecond: number; calls: number } | undefined;
  if (wanted("sla")) {
    sla = slaEngine();
    say(`\nSLA engine: ${count(sla.perSecond)} due-date computations per second (one core)`);
  }

  // ---------------------------------------------------------------- the table
  const rows: ReportRow[] = [];
  rows.push({
    scenario: "hello-world ceiling (node:http)",
    p50: helloResult.p50,
    p95: helloResult.p95,
    p99: helloResult.p99,
    perSecond: helloResult.perSecond,
    target: "",
    met: null,
  });
  const scenarioDefs = new Map(all.map((s) => [s.key, s]));
  for (const r of results) {
    const def = scenarioDefs.get(r.key) as HttpScenario;
    const st = r.steward;
    const ratio = st && r.raw ? st.perSecond / r.raw.perSecond : undefined;
    let met: boolean | null = null;
    if (st && def.target.p95Ms !== undefined) met = st.p95 < def.target.p95Ms && st.errors === 0;
    if (def.target.minRatio !== undefined && ratio !== undefined)
      met = ratio >= def.target.minRatio && (st?.errors ?? 1) === 0;
    r.met = met;
    const errs = (st?.errors ?? 0) + (r.raw?.errors ?? 0);
    if (errs) r.note = `${errs} errors`;
    rows.push({
      scenario: r.label,
      p50: st?.p50,
      p95: st?.p95,
      p99: st?.p99,
      perSecond: st?.perSecond,
      unit: r.unit,
      raw: r.raw?.perSecond,
      ratio,
      target: r.target,
      met,
      note: r.note,
    });
  }
  if (imported) {
    const ratio = imported.copy ? imported.perSecond / imported.copy.perSecond : undefined;
    rows.push({
      scenario: `CI import, ${count(imported.rows)} rows vs raw COPY`,
      perSecond: imported.perSecond,
      unit: "rows/s",
      raw: imported.copy?.perSecond,
      ratio,
      target: "≥ 20 % of raw COPY",
      met: ratio === undefined ? null : ratio >= 0.2,
      note: imported.copyNote,
    });
    const tail = imported.lastTenth / imported.firstTenth;
    rows.push({
      scenario: "CI import, last 10 % vs first 10 %",
      perSecond: imported.lastTenth,
      unit: "rows/s",
      raw: imported.firstTenth,
      ratio: tail,
      target: "last ≥ 80 % of first",
      met: tail >= 0.8,
    });
  }
  if (sla) {
    rows.push({
      scenario: "SLA engine, due dates (one core)",
      perSecond: sla.perSecond,
      unit: "/s",
      target: "≥ 200,000 /s per core",
      met: sla.perSecond >= 200_000,
    });
  }
  const onPostgres = target.kind === "postgres";
  rows.push({
    scenario: `server RSS: ${megabytes(idleRss)} idle, ${megabytes(peakRss)} peak`,
    target: "idle < 300 MB (PostgreSQL)",
    met: onPostgres && Number.isFinite(idleRss) ? idleRss < 300 * 1024 * 1024 : null,
    note: onPostgres ? undefined : "PGlite inside",
  });

  machine.loadAverage.end = os.loadavg().map((v) => Number(v.toFixed(2)));
  say(
    `\n## Steward benchmark: dataset ${size}, ${target.kind === "postgres" ? "PostgreSQL" : "PGlite"}, ${CONCURRENCY} clients\n`,
  );
  say(markdownTable(rows));
  say("");
  say(
    `raw: the statements one request issues, recorded in process and replayed through ${target.kind === "postgres" ? "node-postgres" : "PGlite"} with the same ${CONCURRENCY} clients on the same data;`,
  );
  say(
    onPostgres
      ? "writes replay with their COMMIT and fresh ids; the server is paused (SIGSTOP) while the raw side runs."
      : "writes replay with their COMMIT and fresh ids; PGlite is one process's, so the raw side ran after the server stopped.",
  );
  say(
    `each side: best of ${ROUNDS} rounds of ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s (longer for slow operations: at least ${2 * CONCURRENCY} operations); targets are set for dataset M on PostgreSQL, 2 cores.`,
  );
  say(
    `machine: ${describeMachine(machine)}; database: ${postgresVersion.split(" on ")[0]}; load average ${machine.loadAverage.start.join(" ")} → ${machine.loadAverage.end.join(" ")}`,
  );
  say(`\nstatements per operation: ${results.map((r) => `${r.key} ${r.statements}`).join(", ")}`);
  for (const n of notes) say(`note: ${n}`);

  const file = writeResults(`${RUN_ID}-${size}.json`, {
    runId: RUN_ID,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    size,
    database: { kind: target.kind, label: target.label, version: postgresVersion },
    machine,
    dataset: { seed: marker.seed, seededAt: marker.seededAt, counts: marker.counts },
    options: {
      concurrency: CONCURRENCY,
      warmupSeconds: WARMUP_MS / 1000,
      durationSeconds: DURATION_MS / 1000,
      rounds: ROUNDS,
      importRows: IMPORT_ROWS,
      serverLogLevel: LOG_LEVEL,
    },
    method: {
      raw: "statements recorded in process (onQuery), replayed in order per request on one session; writes commit, generated ids remapped; server paused during raw runs",
      latency: "closed loop: each client sends its next operation when the previous one answered; warm-up not recorded",
      rounds: "Steward and raw measured in turn; the round with the highest throughput is reported for each side",
    },
    hello: helloResult,
    scenarios: results,
    import: imported ?? null,
    sla: sla ?? null,
    memory: { idleRssBytes: idleRss, peakRssBytes: peakRss },
    searchWords: aims.searchWords,
    notes,
    table: rows,
  });
  say(`\nresults: ${path.relative(process.cwd(), file)}; server log: ${path.relative(process.cwd(), server.logFile)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
