/**
 * Runs a real inventory agent (Debian packages fusioninventory-agent,
 * ocsinventory-agent) once against a throwaway listener, with all its state in
 * a temporary directory that is removed afterwards (tests only).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ListenerOptions, type RecordedRequest, startInventoryListener } from "./listener.ts";

export const FUSION_AGENT = "/usr/bin/fusioninventory-agent";
export const OCS_AGENT = "/usr/bin/ocsinventory-agent";

export type AgentKind = "fusion" | "ocs";

export interface AgentRunOptions {
  listener?: ListenerOptions;
  /** Send to this server instead of a throwaway listener (then `requests` is empty). */
  url?: string;
  /** Credentials the agent is given (`--user`/`--password`, and `--realm` for OCS). */
  credentials?: { user: string; password: string; realm: string };
  /** Killed (with its children) after this long. Default 60 s. */
  timeoutMs?: number;
}

export interface AgentRun {
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr together. */
  output: string;
  requests: RecordedRequest[];
  /** The command line, for failure messages. */
  command: string[];
}

export function agentInstalled(kind: AgentKind): boolean {
  try {
    fs.accessSync(kind === "fusion" ? FUSION_AGENT : OCS_AGENT, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * FusionInventory 2.6 has no option for its state directory: it comes from the
 * package's `setup.pm` (/var/lib/fusioninventory-agent). This prelude provides
 * `setup` before the script loads it, with `vardir` from the environment.
 */
const FUSION_PRELUDE = [
  "BEGIN {",
  "  require Exporter;",
  "  package setup;",
  '  our @ISA = ("Exporter");',
  '  our @EXPORT = ("%setup");',
  "  our %setup = (",
  '    datadir => "/usr/share/fusioninventory",',
  '    libdir => "/usr/share/fusioninventory/lib",',
  "    vardir => $ENV{STEWARD_AGENT_VARDIR},",
  "  );",
  '  $INC{"setup.pm"} = __FILE__;',
  "}",
  `$0 = "${FUSION_AGENT}";`,
  "do $0;",
  "die $@ if $@;",
].join("\n");

export function agentCommand(kind: AgentKind, url: string, options: AgentRunOptions, stateDir: string): string[] {
  const { credentials } = options;
  if (kind === "fusion") {
    return [
      "/usr/bin/perl",
      "-e",
      FUSION_PRELUDE,
      "--",
      `--server=${url}`,
      "--config=none", // not /etc/fusioninventory/agent.cfg (syslog logging, conf.d)
      "--tasks=Inventory",
      "--no-httpd",
      "--logger=stderr",
      "--debug",
      ...(credentials ? [`--user=${credentials.user}`, `--password=${credentials.password}`] : []),
    ];
  }
  return [
    OCS_AGENT,
    `--server=${url}`,
    "--nolocal", // /etc/ocsinventory/ocsinventory-agent.cfg sets local=…, which would skip the server
    `--basevardir=${stateDir}`,
    "--debug",
    // OCS base64-decodes --user and --password (Ocsinventory::Agent::Encrypt), and
    // answers a 401 only when --realm is exactly the server's realm.
    ...(credentials
      ? [
          `--user=${Buffer.from(credentials.user).toString("base64")}`,
          `--password=${Buffer.from(credentials.password).toString("base64")}`,
          `--realm=${credentials.realm}`,
        ]
      : []),
  ];
}

export async function runAgent(kind: AgentKind, options: AgentRunOptions = {}): Promise<AgentRun> {
  const listener = options.url ? null : await startInventoryListener(options.listener);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `steward-${kind}-agent-`));
  const command = agentCommand(kind, options.url ?? listener?.url ?? "", options, stateDir);
  try {
    const [file, ...args] = command;
    const child = spawn(file ?? "", args, {
      cwd: stateDir,
      detached: true, // its own process group: a timeout kills the agent and what it forked
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
        HOME: stateDir,
        LANG: "C.UTF-8",
        TMPDIR: stateDir,
        STEWARD_AGENT_VARDIR: path.join(stateDir, "var"),
        BLKID_FILE: path.join(stateDir, "blkid.tab"), // else blkid writes /run/blkid/blkid.tab
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs ?? 60_000);
    // "close": stdout and stderr closed, so what the agent forked (OCS's download worker) is done too.
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    }).finally(() => clearTimeout(timer));
    return { exitCode, timedOut, output, requests: listener?.requests ?? [], command };
  } finally {
    await listener?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
