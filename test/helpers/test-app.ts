import fs from "node:fs";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import pino from "pino";
import { inject } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { type Database, openDatabase } from "../../server/db/database.ts";
import type { Deps } from "../../server/platform/deps.ts";
import { createDeps, createHttpApp } from "../../server/runtime.ts";
import { adminUrl, randomDbName, withDatabaseName } from "./pg.ts";

/** A clock tests can move. */
export class TestClock {
  #offset = 0;
  now = (): Date => new Date(Date.now() + this.#offset);
  advance(ms: number): void {
    this.#offset += ms;
  }
}

async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const template = inject("template");
  if (template.kind === "pglite") {
    const blob = new Blob([fs.readFileSync(template.name)]);
    const database = await openDatabase({ memory: true, loadDataDir: blob });
    return { database, drop: async () => {} };
  }
  const url = process.env.DATABASE_URL as string;
  const name = randomDbName("steward_test");
  const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.executeSql(`create database ${name} template ${template.name}`);
        break;
      } catch (error) {
        // Another file may be copying the template at this instant.
        if (attempt > 20 || !String((error as Error).message).includes("being accessed")) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.close();
  }
  const database = await openDatabase({ databaseUrl: withDatabaseName(url, name), poolSize: 5 });
  return {
    database,
    drop: async () => {
      const a = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
      await a.executeSql(`drop database if exists ${name} with (force)`);
      await a.close();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  clock: TestClock;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real HTTP app on a fresh migrated database of its own. */
export async function createTestApp(): Promise<TestApp> {
  const { database, drop } = await freshDatabase();
  const config = {
    ...loadConfig({ LOG_LEVEL: "silent" }),
    databaseUrl: undefined,
    secretKey: "test-secret-key-not-for-production",
  };
  const clock = new TestClock();
  const deps = createDeps(config, database, pino({ level: "silent" }), clock.now);
  const app = await createHttpApp(deps, { logger: false, web: false });
  await app.ready();
  return {
    app,
    deps,
    clock,
    request: (options) => app.inject(options),
    async close() {
      await app.close();
      await deps.jobs.stop();
      await database.close();
      await drop();
    },
  };
}
