import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { loadConfig } from "./config.ts";
import { createAdmin } from "./modules/identity/index.ts";
import { createLogger, openAndMigrate, VERSION } from "./runtime.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the web app when it is missing or older than its sources (and the shared schemas). */
function buildWebIfNeeded(webDir: string): void {
  const index = path.join(webDir, "index.html");
  const sources = [path.join(ROOT, "web/src"), path.join(ROOT, "common")].filter((d) => fs.existsSync(d));
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const stale = built === 0 || sources.some((d) => newestMtime(d) > built);
  if (!stale) return;
  if (!fs.existsSync(path.join(ROOT, "web/vite.config.ts"))) return;
  console.log("Building the web app (first start, or its sources changed)…");
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  if (result.status !== 0) throw new Error("Building the web app failed");
}

function fail(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const program = new Command()
  .name("steward")
  .description("Steward: IT service management")
  .version(VERSION)
  .addHelpText(
    "after",
    `
Environment:
  PORT                      HTTP port (default 8080)
  DATABASE_URL              postgres://… to use PostgreSQL; unset: embedded database in STEWARD_DATA_DIR
  STEWARD_DATA_DIR          embedded database directory (default ./data)
  STEWARD_ADMIN_EMAIL       first administrator's e-mail (default admin@localhost)
  STEWARD_ADMIN_PASSWORD    first administrator's password (default: generated and printed once)
  STEWARD_WORKERS           run background workers in the server process (default true)
  STEWARD_SMTP_LISTEN       host:port of the built-in SMTP listener for incoming mail (default off)
  STEWARD_SMTP_ALLOW        hosts that may deliver to it: IPs or CIDR ranges, comma-separated (default 127.0.0.1,::1)
  STEWARD_PUBLIC_URL        the address people reach Steward at, for links in e-mail (default http://localhost:PORT)
  STEWARD_SECRET_KEY        key for stored IMAP/SMTP passwords (default: STEWARD_DATA_DIR/secret.key)
  LOG_LEVEL                 fatal|error|warn|info|debug|trace|silent (default info)`,
  );

program
  .command("serve")
  .description("Apply migrations, then serve the web app and the API (and run the workers)")
  .option("--build-web", "build the web app first if it is missing or stale")
  .action(async (opts: { buildWeb?: boolean }) => {
    try {
      const config = loadConfig();
      if (opts.buildWeb) buildWebIfNeeded(config.webDir);
      const { serve } = await import("./main.ts");
      await serve(config);
    } catch (error) {
      fail(error);
    }
  });

program
  .command("worker")
  .description("Run background workers only (PostgreSQL; scale out beside `serve`)")
  .action(async () => {
    try {
      const config = loadConfig();
      if (!config.databaseUrl) {
        fail(
          "`steward worker` needs DATABASE_URL (PostgreSQL). With the embedded database, `steward serve` runs the workers itself.",
        );
      }
      const { worker } = await import("./main.ts");
      await worker(config);
    } catch (error) {
      fail(error);
    }
  });

program
  .command("migrate")
  .description("Apply pending database migrations and exit")
  .action(async () => {
    try {
      const config = loadConfig();
      const database = await openAndMigrate(config, createLogger(config));
      await database.close();
      console.log("Database schema is up to date.");
    } catch (error) {
      fail(error);
    }
  });

program
  .command("create-admin")
  .description("Create an administrator, or make an existing agent an administrator with a new password")
  .requiredOption("--email <email>", "the administrator's e-mail")
  .option("--name <name>", "display name", "Administrator")
  .option(
    "--password <password>",
    "at least 12 characters (default: STEWARD_ADMIN_PASSWORD, else generated and printed)",
  )
  .action(async (opts: { email: string; name: string; password?: string }) => {
    try {
      const config = loadConfig();
      const database = await openAndMigrate(config, createLogger({ ...config, logLevel: "warn" }));
      try {
        const result = await createAdmin(
          { db: database.db },
          { email: opts.email, name: opts.name, password: opts.password ?? config.adminPassword },
        );
        console.log(`${result.created ? "Created" : "Updated"} administrator ${result.email}.`);
        if (result.generatedPassword) console.log(`Password (shown once): ${result.generatedPassword}`);
      } finally {
        await database.close();
      }
    } catch (error) {
      fail(error);
    }
  });

const importCommand = program.command("import").description("Import data from files");

importCommand
  .command("cis")
  .description(
    "Import configuration items of a class from CSV or XLSX: new rows become CIs, rows whose identifiers match update them",
  )
  .argument("<file>", "a CSV (UTF-8, comma or semicolon) or XLSX file; the first row names the columns")
  .requiredOption("--class <class>", "the class: its name (Server), code (server) or id")
  .option("--dry-run", "report what would be created, updated and rejected; change nothing")
  .option("--id <fields>", "comma-separated fields that find the CI a row updates (default: name)")
  .option(
    "--map <column=field>",
    "map a column to a field (name, deploymentState, organization, an attribute key; empty to skip); repeatable",
    (value: string, all: string[]) => [...all, value],
    [] as string[],
  )
  .action(async (file: string, opts: { class: string; dryRun?: boolean; id?: string; map: string[] }) => {
    try {
      const config = loadConfig();
      const log = createLogger({ ...config, logLevel: "warn" });
      const database = await openAndMigrate(config, log);
      try {
        const { findClassRef, importFile } = await import("./modules/cmdb/index.ts");
        const { createDeps } = await import("./runtime.ts");
        const { systemContext } = await import("./platform/context.ts");
        const { PERMISSIONS } = await import("../common/permissions.ts");
        const cls = await findClassRef(database.db, opts.class);
        if (!cls) fail(`No class "${opts.class}"`);
        const mapping = Object.fromEntries(
          opts.map.map((m) => {
            const at = m.indexOf("=");
            if (at < 1) fail(`--map takes column=field, not "${m}"`);
            return [m.slice(0, at), m.slice(at + 1)];
          }),
        );
        const deps = createDeps(config, database, log);
        const bar = new SingleBar(
          { format: "{bar} {percentage}% | {value}/{total} rows", hideCursor: true, clearOnComplete: true },
          Presets.shades_classic,
        );
        let started = false;
        const report = await importFile(deps, systemContext(PERMISSIONS, "cli"), fs.readFileSync(file), {
          classId: cls.id,
          dryRun: opts.dryRun === true,
          mapping: opts.map.length ? mapping : undefined,
          identifiers: opts.id?.split(",").map((s) => s.trim()),
          onProgress: (done, total) => {
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
          },
        });
        if (started) bar.stop();
        const mode = report.dryRun ? "Dry run (nothing changed)" : "Imported";
        console.log(
          `${mode}: ${report.rows} rows into ${cls.name}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected.`,
        );
        for (const e of report.errors) {
          console.log(
            `  line ${e.line}: ${e.errors.map((x) => (x.column ? `${x.column}: ${x.message}` : x.message)).join("; ")}`,
          );
        }
        if (report.rejected > report.errors.length)
          console.log(`  … and ${report.rejected - report.errors.length} more`);
        process.exitCode = report.rejected > 0 ? 2 : 0;
      } finally {
        await database.close();
      }
    } catch (error) {
      fail(error);
    }
  });

await program.parseAsync(process.argv);
