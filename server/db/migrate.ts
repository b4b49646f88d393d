import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "./database.ts";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "migrations");
const LOCK_KEY = 4_711_2026; // advisory lock: one node migrates at a time

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      id: Number.parseInt(file.slice(0, 4), 10),
      name: file.replace(/\.sql$/, ""),
      sql: fs.readFileSync(path.join(dir, file), "utf8"),
    }));
}

/** Applies pending migrations, each in its own transaction; forward only. Returns the names applied. */
export async function migrate(db: Db, onApply?: (name: string) => void): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists steward_migrations (
        id integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = await sql<{ id: number }>`select id from steward_migrations`.execute(conn);
      const applied = new Set(done.rows.map((r) => Number(r.id)));
      const names: string[] = [];
      for (const m of listMigrations()) {
        if (applied.has(m.id)) continue;
        await conn.transaction().execute(async (tx) => {
          await sql.raw(m.sql).execute(tx);
          await sql`insert into steward_migrations (id, name) values (${m.id}, ${m.name})`.execute(tx);
        });
        onApply?.(m.name);
        names.push(m.name);
      }
      return names;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}
