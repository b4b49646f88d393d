import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface StewardServer {
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** What the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Builds web/dist when it is missing or older than the web sources. */
export function ensureWebBuilt(): void {
  const index = path.join(repoRoot, "web/dist/index.html");
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(path.join(repoRoot, "web/src")),
    newestMtime(path.join(repoRoot, "web/public")),
    newestMtime(path.join(repoRoot, "web/index.html")),
    newestMtime(path.join(repoRoot, "web/vite.config.ts")),
  );
  if (built > 0 && built >= sources) return;
  // Vitest sets NODE_ENV=test, which would make Vite build React's development runtime.
  const env = { ...process.env, NODE_ENV: "production" };
  execFileSync("npx", ["vite", "build", "--config", "web/vite.config.ts"], { cwd: repoRoot, stdio: "inherit", env });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`steward serve exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`steward serve was not ready within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `steward serve` on a free port with a fresh embedded database; `extraEnv` adds settings. */
export async function startServer(extraEnv: NodeJS.ProcessEnv = {}): Promise<StewardServer> {
  ensureWebBuilt();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "steward-e2e-"));
  const adminEmail = "admin@example.com";
  const adminPassword = "e2e-Admin-password-2024";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    STEWARD_DATA_DIR: dataDir,
    STEWARD_ADMIN_EMAIL: adminEmail,
    STEWARD_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    ...extraEnv,
  };
  delete env.DATABASE_URL;

  const child = spawn(process.execPath, ["bin/steward.mjs", "serve"], { cwd: repoRoot, env, stdio: "pipe" });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const output = () => log;
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(url, child, output, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, adminEmail, adminPassword, output, stop };
}
