import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * PGlite is one connection. This adapter gives Kysely's Postgres dialect a
 * "pool" of that single connection behind a lock: a transaction holds the
 * lock from BEGIN to COMMIT, so statements from elsewhere never run inside it.
 */
export class PGliteLock {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

const DML = /^\s*(insert|update|delete|merge)\b/i;
const MULTI_STATEMENT = /;\s*\S/;

/** Runs one statement (or, without parameters, a script) and answers in node-postgres' shape. */
export async function pgliteQuery<R>(
  pg: PGlite,
  sql: string,
  parameters: ReadonlyArray<unknown> = [],
): Promise<PostgresQueryResult<R>> {
  if (parameters.length === 0 && MULTI_STATEMENT.test(sql)) {
    const results = await pg.exec(sql);
    const last = results[results.length - 1];
    return { command: "SELECT", rowCount: last?.affectedRows ?? 0, rows: (last?.rows ?? []) as R[] };
  }
  const result = await pg.query<R>(sql, parameters as unknown[]);
  const command = (DML.exec(sql)?.[1]?.toUpperCase() ?? "SELECT") as PostgresQueryResult<R>["command"];
  return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
}

export function pglitePool(pg: PGlite, lock: PGliteLock): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const release = await lock.acquire();
      let released = false;
      return {
        query: ((sql: string, parameters: ReadonlyArray<unknown>) =>
          pgliteQuery(pg, sql, parameters)) as PostgresPoolClient["query"],
        release() {
          if (!released) {
            released = true;
            release();
          }
        },
      };
    },
    async end() {},
  };
}
