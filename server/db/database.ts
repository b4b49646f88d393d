import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { PGliteLock, pglitePool } from "./pglite-pool.ts";
import type { DB } from "./types.ts";

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Raw SQL for libraries that bring their own (pg-boss): through the same lock/pool as Kysely. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
  /** PGlite only: a tarball of the data directory (tests clone migrated databases with it). */
  dumpDataDir?(): Promise<Blob>;
}

// int8 (counts, identity ids) as text is pg's default; keep it and parse where needed.
// timestamptz → Date in both drivers.

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PGlite: start from this dump instead of an empty or existing directory. */
  loadDataDir?: Blob | undefined;
  /** PGlite: keep everything in memory. */
  memory?: boolean;
  poolSize?: number;
  /** Called after every statement Kysely runs (benchmarks record the SQL an API request issues). */
  onQuery?: ((sql: string, parameters: readonly unknown[]) => void) | undefined;
}

function logOption(options: OpenOptions) {
  const onQuery = options.onQuery;
  if (!onQuery) return {};
  return {
    log: (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
      if (event.level === "query") onQuery(event.query.sql, event.query.parameters);
    },
  };
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options);
  return openPGlite(options);
}

async function openPostgres(url: string, max: number, options: OpenOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...logOption(options) });
  return {
    db,
    kind: "postgres",
    async executeSql(text, values) {
      const result = await pool.query(text, values);
      return { rows: result.rows };
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it used it; raw executeSql may have been the only user.
      if (!pool.ended) await pool.end();
    },
  };
}

async function openPGlite(options: OpenOptions): Promise<Database> {
  let dataDir: string | undefined;
  if (!options.memory) {
    dataDir = path.resolve(options.dataDir ?? "./data");
    fs.mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm },
  });
  const lock = new PGliteLock();
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: pglitePool(pglite, lock) }),
    ...logOption(options),
  });
  return {
    db,
    kind: "pglite",
    async executeSql(text, values) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
    dumpDataDir: () => pglite.dumpDataDir("none") as Promise<Blob>,
  };
}

/** Runs `fn` in one transaction. */
export function inTransaction<T>(db: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return (db as Db).transaction().execute(fn);
}

/** pg-boss' executor over a transaction, so a job is sent in the same commit as the change. */
export function txExecutor(tx: Executor) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}
