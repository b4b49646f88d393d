/**
 * Running real mail programs in tests: whether they are installed, running one to completion,
 * keeping a daemon in the foreground (stopped after the tests, or when the test process exits),
 * free ports, polling with a deadline, and a scratch directory the programs' unprivileged
 * users can reach.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Whether all these programs are installed. */
export function installed(...files: string[]): boolean {
  return files.every((f) => {
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, with `input` on stdin; killed after `timeoutMs`. Never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on("error", () => {}); // a program that exits without reading its input
    child.stdin.end(options.input ?? "");
  });
}

/** Like `run`, but a non-zero exit is an error that shows what the program said. */
export async function runOk(command: string, args: string[], options: Parameters<typeof run>[2] = {}): Promise<Ran> {
  const r = await run(command, args, options);
  if (r.code !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

const daemons = new Set<ChildProcess>();
process.once("exit", () => {
  for (const d of daemons) d.kill("SIGKILL");
});

export interface Daemon {
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
}

/** Starts a program that stays in the foreground (`dovecot -F`, `exim -bdf`). */
export function startDaemon(command: string, args: string[]): Daemon {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  daemons.add(child);
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (e) => {
      output += String(e);
      resolve();
    });
  });
  exited.then(() => daemons.delete(child));
  return {
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns something other than undefined/false, or throws after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Resolves once something accepts connections on 127.0.0.1:port. */
export function listening(port: number, ms = 15_000, detail: () => string = () => ""): Promise<true> {
  return until(
    `a listener on port ${port} ${detail()}`,
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    ms,
  );
}

/**
 * The account mail programs drop privileges to. Dovecot refuses uid 0 for mail users and Exim
 * will not deliver as root, so as root (CI) that is `nobody`; otherwise the current user.
 */
export function unprivileged(): { name: string; uid: number; gid: number } {
  const me = os.userInfo();
  if (me.uid !== 0) return { name: me.username, uid: me.uid, gid: me.gid };
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("nobody:"));
  const [, , uid = "65534", gid = "65534"] = line?.split(":") ?? [];
  return { name: "nobody", uid: Number(uid), gid: Number(gid) };
}

/** A new directory under the system temp dir that other users may pass through (not list). */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o711);
  return dir;
}

/** A directory owned by the unprivileged account, for the programs to write to. */
export function ownedDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const u = unprivileged();
  if (os.userInfo().uid === 0) fs.chownSync(dir, u.uid, u.gid);
  return dir;
}
