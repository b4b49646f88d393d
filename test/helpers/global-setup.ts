import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../server/db/database.ts";
import { migrate } from "../../server/db/migrate.ts";
import { adminUrl, randomDbName, withDatabaseName } from "./pg.ts";

/**
 * Migrates one template database per run; every test file then starts from a
 * copy of it: a PGlite data-directory dump, or `CREATE DATABASE … TEMPLATE`
 * on PostgreSQL (when DATABASE_URL is set).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = randomDbName("steward_tpl");
    const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
    await admin.executeSql(`create database ${name}`);
    const tpl = await openDatabase({ databaseUrl: withDatabaseName(url, name), poolSize: 1 });
    await migrate(tpl.db);
    await tpl.close();
    project.provide("template", { kind: "postgres", name });
    return async () => {
      await admin.executeSql(`drop database if exists ${name} with (force)`);
      await admin.close();
    };
  }
  const db = await openDatabase({ memory: true });
  await migrate(db.db);
  const dump = await db.dumpDataDir?.();
  await db.close();
  if (!dump) throw new Error("PGlite could not dump its data directory");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "steward-test-"));
  const file = path.join(dir, "template.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("template", { kind: "pglite", name: file });
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    template: { kind: "pglite" | "postgres"; name: string };
  }
}
