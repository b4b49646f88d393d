/**
 * Record the SQL one API request issues, then replay it straight to the database.
 *
 * - `Capture.open(size)`: the Steward app in this process on the benchmark database, with the
 *   `onQuery` hook of `openDatabase` recording every statement (and a Kysely plugin the rows each
 *   one returned). `record(request)` sends one request through `app.inject` and returns its statements.
 * - `rawPostgres(url)` / `rawPGlite(dir)`: the database with nothing in between (node-postgres, or
 *   PGlite's own query call). `replay(raw, statements)` runs a request's statements in order on one
 *   session, the way the app ran them.
 *
 * Writes replay as they ran, COMMIT included. Values the database made during the recorded request
 * (new ids, sequence numbers) are swapped for the ones it makes during the replay, so a replayed
 * INSERT does not collide with the recorded one and the statements after it point at the new row.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { FastifyInstance } from "fastify";
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import pg from "pg";
import pino from "pino";
import { PGliteLock, pgliteQuery } from "../../server/db/pglite-pool.ts";
import { createDeps, createHttpApp } from "../../server/runtime.ts";
import type { Size } from "./dataset.ts";
import type { HttpRequestSpec } from "./load.ts";
import { appConfig, openTarget, type Target } from "./target.ts";

export type Row = Record<string, unknown>;

export interface Statement {
  sql: string;
  params: unknown[];
  /** The rows it returned when recorded; null for transaction control (BEGIN, COMMIT) or when unknown. */
  rows: Row[] | null;
}

export interface CapturedRequest {
  request: HttpRequestSpec;
  status: number;
  /** Response body size in bytes. */
  bytes: number;
  statements: Statement[];
  /** Whether every statement's rows were matched to it (needed to remap generated values). */
  rowsMatched: boolean;
}

/** Statements the driver sends itself around a transaction: logged, but no result goes through plugins. */
const CONTROL = /^\s*(begin|commit|rollback|start transaction)\s*;?\s*$/i;

export const isControl = (sql: string) => CONTROL.test(sql);

interface Recorder {
  on: boolean;
  log: { sql: string; params: unknown[] }[];
  rows: Row[][];
}

export class Capture {
  readonly target: Target;
  readonly app: FastifyInstance;
  readonly #recorder: Recorder;

  private constructor(target: Target, app: FastifyInstance, recorder: Recorder) {
    this.target = target;
    this.app = app;
    this.#recorder = recorder;
  }

  /** Opens the benchmark database of `size` with the recorder and builds the app on it (no workers, no web). */
  static async open(size: Size): Promise<Capture> {
    const recorder: Recorder = { on: false, log: [], rows: [] };
    const target = await openTarget(size, {
      poolSize: 4,
      onQuery: (sql, parameters) => {
        if (recorder.on) recorder.log.push({ sql, params: [...parameters] });
      },
    });
    const plugin: KyselyPlugin = {
      transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
      transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
        if (recorder.on) recorder.rows.push(args.result.rows as Row[]);
        return args.result;
      },
    };
    const database = { ...target.database, db: target.database.db.withPlugin(plugin) };
    const deps = createDeps(appConfig(target), database, pino({ level: "silent" }));
    const app = await createHttpApp(deps, { logger: false, web: false });
    return new Capture(target, app, recorder);
  }

  /** Signs in through the API; the headers a browser would send afterwards (cookie and CSRF token). */
  async login(email: string, password: string): Promise<Record<string, string>> {
    const res = await this.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email, password }),
    });
    if (res.statusCode !== 200)
      throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
    const session = res.cookies.find((c) => c.name === "steward_session")?.value;
    const csrf = res.cookies.find((c) => c.name === "steward_csrf")?.value;
    if (!session || !csrf) throw new Error(`sign-in of ${email} set no session cookie`);
    return { cookie: `steward_session=${session}; steward_csrf=${csrf}`, "x-csrf-token": csrf };
  }

  /** Sends one request in process; a status of 400 or more throws. */
  async send(request: HttpRequestSpec): Promise<{ status: number; body: string }> {
    const res = await this.app.inject({
      method: request.method,
      url: request.path,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
    if (res.statusCode >= 400) {
      throw new Error(`${request.method} ${request.path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    }
    return { status: res.statusCode, body: res.body };
  }

  /** Sends `request` once and returns the statements it ran, in order, with their rows. */
  async record(request: HttpRequestSpec): Promise<CapturedRequest> {
    const recorder = this.#recorder;
    recorder.log = [];
    recorder.rows = [];
    recorder.on = true;
    let res: { status: number; body: string };
    try {
      res = await this.send(request);
    } finally {
      recorder.on = false;
    }
    const statements: Statement[] = recorder.log.map((s) => ({ ...s, rows: null }));
    const expecting = statements.filter((s) => !isControl(s.sql));
    const rowsMatched = expecting.length === recorder.rows.length;
    if (rowsMatched) {
      for (const [i, s] of expecting.entries()) s.rows = recorder.rows[i] ?? null;
    }
    return { request, status: res.status, bytes: Buffer.byteLength(res.body), statements, rowsMatched };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.target.database.close();
  }
}

// ---------------------------------------------------------------- raw database

export interface RawSession {
  query(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

export interface RawDatabase {
  kind: "postgres" | "pglite";
  /** One session (connection) for the duration of `fn`. */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** node-postgres, `connections` at most (the same pool size the server uses by default). */
export function rawPostgres(url: string, connections = 10): RawDatabase {
  // A lock held by a paused or stuck backend shows as an error instead of a hang.
  const pool = new pg.Pool({ connectionString: url, max: connections, options: "-c lock_timeout=10000" });
  pool.on("error", () => {});
  return {
    kind: "postgres",
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          query: async (sql, params) => (await client.query(sql, params as unknown[])).rows as Row[],
        });
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite opened on the data directory (the server must be stopped: one process at a time). */
export async function rawPGlite(dataDir: string): Promise<RawDatabase & { pglite: PGlite }> {
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const lock = new PGliteLock();
  return {
    kind: "pglite",
    pglite,
    async withSession(fn) {
      const release = await lock.acquire();
      try {
        return await fn({
          query: async (sql, params) => (await pgliteQuery<Row>(pglite, sql, params)).rows,
        });
      } finally {
        release();
      }
    },
    close: () => pglite.close(),
  };
}

// ---------------------------------------------------------------- replay

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Statements whose rows hold values the database made: INSERT … RETURNING, nextval(). */
const GENERATES = /^\s*insert\b[\s\S]*\breturning\b|\bnextval\s*\(/i;
const INTEGER = /^-?\d+$/;
const WRITE_RETURNING = /^\s*(insert|update|delete)\b[\s\S]*\breturning\b/i;

/** A value the database made that later statements may carry: an id, or a sequence number (not a small count). */
function remappable(value: unknown): string | null {
  if (typeof value === "string" && UUID.test(value)) return value.toLowerCase();
  if ((typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && INTEGER.test(value))) {
    return Math.abs(Number(value)) >= 1000 ? String(value) : null;
  }
  return null;
}

function learn(map: Map<string, string>, sql: string, recorded: Row[] | null, now: Row[]): void {
  if (!recorded || !GENERATES.test(sql)) return;
  const n = Math.min(recorded.length, now.length);
  for (let i = 0; i < n; i++) {
    const a = recorded[i] as Row;
    const b = now[i] as Row;
    for (const key of Object.keys(a)) {
      const before = remappable(a[key]);
      if (before === null) continue;
      const after = b[key];
      if (after === undefined || after === null || String(after).toLowerCase() === before) continue;
      map.set(before, String(after));
    }
  }
}

function substitute(value: unknown, map: Map<string, string>): unknown {
  if (typeof value === "string") {
    const whole = map.get(value.toLowerCase());
    if (whole !== undefined) return whole;
    if (value.length < 36) return value;
    return value.replace(UUID_IN_TEXT, (m) => map.get(m.toLowerCase()) ?? m);
  }
  if (typeof value === "number" && Number.isInteger(value)) {
    const to = map.get(String(value));
    return to !== undefined ? Number(to) : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, map));
  return value;
}

export interface ReplayOptions {
  /** End a recorded transaction with ROLLBACK instead of COMMIT. */
  rollback?: boolean;
  /**
   * Compare the rows a write returned (INSERT, UPDATE, DELETE … RETURNING) with the recorded count; a
   * difference means the replay went astray (an id that was not remapped) and throws. Reads are not
   * compared: other writes of the run may have changed what they find.
   */
  verify?: boolean;
  /** Called after each statement with its index in the recording, its time and its row count. */
  onStatement?: (index: number, ms: number, rows: number) => void;
}

/** Runs a request's statements in order on one session, remapping generated values. */
export async function replay(raw: RawDatabase, captured: CapturedRequest, options: ReplayOptions = {}): Promise<void> {
  await raw.withSession(async (session) => {
    const map = new Map<string, string>();
    let open = false;
    try {
      for (const [index, s] of captured.statements.entries()) {
        let sql = s.sql;
        if (isControl(sql)) {
          const word = sql.trim().toLowerCase();
          if (word.startsWith("begin") || word.startsWith("start")) open = true;
          else open = false;
          if (options.rollback && word.startsWith("commit")) sql = "rollback";
        }
        const params = map.size ? (s.params.map((p) => substitute(p, map)) as unknown[]) : s.params;
        const began = performance.now();
        const rows = await session.query(sql, params);
        options.onStatement?.(index, performance.now() - began, rows.length);
        if (options.verify && s.rows && WRITE_RETURNING.test(sql) && s.rows.length !== rows.length) {
          throw new Error(
            `replayed statement returned ${rows.length} rows, ${s.rows.length} when recorded: ${sql.slice(0, 160)}`,
          );
        }
        if (captured.rowsMatched && s.rows) learn(map, s.sql, s.rows, rows);
      }
    } catch (error) {
      if (open) await session.query("rollback", []).catch(() => {});
      throw error;
    }
  });
}

export interface StatementTime {
  /** Position in the request. */
  index: number;
  sql: string;
  /** Median time over the runs, one client, nothing else running. */
  ms: number;
  rows: number;
}

/** Replays a request `runs` times on its own and times each statement (median). */
export async function profile(raw: RawDatabase, captured: CapturedRequest, runs = 5): Promise<StatementTime[]> {
  const times = captured.statements.map(() => [] as number[]);
  const rows = captured.statements.map(() => 0);
  for (let r = 0; r < runs; r++) {
    await replay(raw, captured, {
      onStatement: (i, ms, n) => {
        times[i]?.push(ms);
        rows[i] = n;
      },
    });
  }
  return captured.statements.map((s, i) => {
    const sorted = [...(times[i] ?? [])].sort((a, b) => a - b);
    return {
      index: i,
      sql: s.sql.replace(/\s+/g, " ").trim(),
      ms: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      rows: rows[i] ?? 0,
    };
  });
}

/** The statements' text, one line each (for the JSON report). */
export function statementSummary(captured: CapturedRequest): string[] {
  return captured.statements.map((s) => s.sql.replace(/\s+/g, " ").trim().slice(0, 240));
}
