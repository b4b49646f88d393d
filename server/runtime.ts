import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { buildApp } from "./http/app.ts";
import type { AnyRoute } from "./http/route.ts";
import { auditRoutes } from "./modules/audit/index.ts";
import { changeRoutes } from "./modules/changes/index.ts";
import { cmdbRoutes, incidentPropagationConsumer, isBusinessService } from "./modules/cmdb/index.ts";
import { emailRoutes, outboundPoller, replyMailConsumer } from "./modules/email/index.ts";
import { authenticateRequest, identityHousekeeping, identityRoutes } from "./modules/identity/index.ts";
import {
  changeReminderPoller,
  closeNotificationStreams,
  notificationConsumer,
  notificationRoutes,
} from "./modules/notifications/index.ts";
import { calendarRoutes, slaPolicyRoutes } from "./modules/sla/index.ts";
import { autoCloseTask, escalationPoller, slaRecomputeConsumer, ticketRoutes } from "./modules/tickets/index.ts";
import type { Deps } from "./platform/deps.ts";
import { Jobs } from "./platform/jobs.ts";
import { SecretBox } from "./platform/secret-box.ts";

export const VERSION: string = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8"),
).version;

/** Every module's routes: the one table the app, the OpenAPI document and the authorization tests walk. */
export function allRoutes(deps: Deps): AnyRoute[] {
  return [
    ...identityRoutes(deps),
    ...auditRoutes(deps),
    ...ticketRoutes(deps),
    ...calendarRoutes(deps),
    ...slaPolicyRoutes(deps),
    ...cmdbRoutes(deps),
    ...changeRoutes(deps),
    ...emailRoutes(deps),
    ...notificationRoutes(deps),
  ];
}

export async function openAndMigrate(config: Config, log: Logger): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(database.db, (name) => log.info({ migration: name }, "applied migration"));
  if (applied.length === 0) log.debug("database schema is up to date");
  return database;
}

export function createDeps(config: Config, database: Database, log: Logger, now: () => Date = () => new Date()): Deps {
  const deps: Deps = {
    config,
    database,
    db: database.db,
    log,
    now,
    jobs: undefined as unknown as Jobs,
    secrets: SecretBox.fromConfig(config),
    lookups: { isBusinessService },
  };
  deps.jobs = new Jobs(database, log);
  deps.jobs.periodic(identityHousekeeping(deps));
  deps.jobs.poller(escalationPoller(deps));
  deps.jobs.periodic(autoCloseTask(deps));
  deps.jobs.register(slaRecomputeConsumer(deps));
  deps.jobs.register(incidentPropagationConsumer(deps));
  deps.jobs.register(replyMailConsumer(deps));
  deps.jobs.poller(outboundPoller(deps));
  deps.jobs.register(notificationConsumer(deps));
  deps.jobs.poller(changeReminderPoller(deps));
  return deps;
}

export async function createHttpApp(
  deps: Deps,
  options: { logger?: boolean; web?: boolean } = {},
): Promise<FastifyInstance> {
  const app = await buildApp(deps, {
    routes: allRoutes(deps),
    authenticate: authenticateRequest(deps),
    version: VERSION,
    ...options,
  });
  // Open event streams would hold the server open on shutdown.
  app.addHook("preClose", async () => closeNotificationStreams(app));
  // Writes commit before the response goes out; tell the in-process dispatcher.
  app.addHook("onResponse", async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") deps.jobs.nudge();
  });
  return app;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel });
}
