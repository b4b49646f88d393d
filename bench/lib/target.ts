/**
 * The database a benchmark runs against.
 *
 * - `DATABASE_URL` set: that PostgreSQL database, any size.
 * - `DATABASE_URL` unset: embedded PGlite in `data/bench-S`, size S only (M and L need a real server).
 *
 * Stable API (imported by bench/seed.ts, bench/plans.ts and bench/run.ts):
 * `openTarget(size, options)` → `Target`, and `appConfig(target)` for `createDeps`.
 */
import path from "node:path";
import { type Config, loadConfig } from "../../server/config.ts";
import { type Database, openDatabase } from "../../server/db/database.ts";
import type { Size } from "./dataset.ts";

export interface Target {
  /** The open database (Kysely in `database.db`). Close it with `database.close()`. */
  database: Database;
  kind: "pglite" | "postgres";
  /** PostgreSQL: the connection string (from DATABASE_URL). */
  url?: string;
  /** PGlite: the absolute data directory. */
  dataDir?: string;
  /** Human-readable: "PostgreSQL steward_bench_m on 127.0.0.1:5432" or "PGlite data/bench-S". */
  label: string;
}

export interface TargetOptions {
  /** Called after every statement Kysely runs (see openDatabase). */
  onQuery?: ((sql: string, parameters: readonly unknown[]) => void) | undefined;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Where size S lives when no DATABASE_URL is set. */
export function pgliteDataDir(size: Size): string {
  return path.resolve(`data/bench-${size}`);
}

/** Thrown when a size cannot run on the chosen database; the message says what to do. */
export class TargetError extends Error {}

/** Opens the benchmark database for `size`; refuses M and L on PGlite. */
export async function openTarget(size: Size, options: TargetOptions = {}): Promise<Target> {
  const env = options.env ?? process.env;
  const url = env.DATABASE_URL || undefined;
  if (url) {
    const database = await openDatabase({
      databaseUrl: url,
      poolSize: options.poolSize ?? 10,
      onQuery: options.onQuery,
    });
    const u = new URL(url);
    return {
      database,
      kind: "postgres",
      url,
      label: `PostgreSQL ${decodeURIComponent(u.pathname.slice(1)) || "(default database)"} on ${u.host}`,
    };
  }
  if (size !== "S") {
    throw new TargetError(
      `Size ${size} needs PostgreSQL: set DATABASE_URL (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/steward_bench_${size.toLowerCase()}). ` +
        "Embedded PGlite is only used for size S.",
    );
  }
  const dataDir = pgliteDataDir(size);
  const database = await openDatabase({ dataDir, onQuery: options.onQuery });
  return { database, kind: "pglite", dataDir, label: `PGlite ${path.relative(process.cwd(), dataDir) || dataDir}` };
}

/** The app configuration for `createDeps(config, target.database, log)`: silent logs, this target's database. */
export function appConfig(target: Target): Config {
  const base = loadConfig({ LOG_LEVEL: "silent", STEWARD_WORKERS: "false" });
  return {
    ...base,
    databaseUrl: target.url,
    dataDir: target.dataDir ?? base.dataDir,
  };
}
