import type { Config } from "./config.ts";
import { ImapWatcher, startSmtpListener } from "./modules/email/index.ts";
import { ensureFirstAdmin } from "./modules/identity/index.ts";
import { fileClock } from "./platform/test-clock.ts";
import { createDeps, createHttpApp, createLogger, openAndMigrate } from "./runtime.ts";

/** `steward serve`: config → database → migrations → first admin → workers → HTTP. */
export async function serve(config: Config): Promise<void> {
  const log = createLogger(config);
  const started = Date.now();
  const database = await openAndMigrate(config, log);
  const clock = config.testClockFile ? fileClock(config.testClockFile, log) : undefined;
  const deps = createDeps(config, database, log, clock?.now);

  const admin = await ensureFirstAdmin(deps, { email: config.adminEmail, password: config.adminPassword });
  if (admin) {
    if (admin.generatedPassword) {
      log.warn(
        `First administrator created: ${admin.email} with password ${admin.generatedPassword} (shown once; change it after signing in)`,
      );
    } else {
      log.info(`First administrator created: ${admin.email}`);
    }
  }

  await deps.jobs.start({ work: config.workers });
  const imap = config.workers ? new ImapWatcher(deps) : null;
  imap?.start();
  const smtp = config.smtpListen ? await startSmtpListener(deps, config.smtpListen, config.smtpAllow) : null;
  const app = await createHttpApp(deps);
  await app.listen({ port: config.port, host: config.host });
  log.info(
    { database: database.kind, workers: config.workers, ms: Date.now() - started },
    `Steward is running on http://localhost:${config.port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await app.close();
    await imap?.stop();
    await deps.jobs.stop();
    await database.close();
    clock?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/** `steward worker`: only background jobs, no HTTP. */
export async function worker(config: Config): Promise<void> {
  const log = createLogger(config);
  const database = await openAndMigrate(config, log);
  const deps = createDeps(config, database, log);
  await deps.jobs.start({ work: true });
  const imap = new ImapWatcher(deps);
  imap.start();
  log.info({ database: database.kind, consumers: deps.jobs.consumers }, "worker running");
  const stop = async () => {
    await imap.stop();
    await deps.jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}
