/**
 * A private Exim (Debian: exim4-daemon-light) for tests: a daemon on a free port of 127.0.0.1 that
 * relays mail for `relayDomain` to `127.0.0.1::relayPort` (Steward's SMTP listener), fails every
 * address of `failDomain` (so it sends a bounce to the envelope sender, as a real MTA does for
 * an unknown user) and silently drops everything else. Spool, log and pid file live in `dir`;
 * `-C` makes Exim give up root, so it runs as the unprivileged user, which owns the spool.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, listening, ownedDir, runOk, startDaemon, unprivileged } from "./programs.ts";

export const EXIM = "/usr/sbin/exim4";

export interface Exim {
  port: number;
  /** Puts a message on Exim's queue without delivering it (`exim -odq -f sender rcpt`). */
  enqueue(sender: string, recipient: string, raw: Buffer): Promise<void>;
  /** One queue run: delivers everything queued, in the foreground (`exim -qf`). */
  flush(): Promise<void>;
  /** How many messages are on the queue (`exim -bpc`). */
  queued(): Promise<number>;
  /** The main log. */
  log(): string;
  stop(): Promise<void>;
}

export async function startExim(
  dir: string,
  options: { relayDomain: string; relayPort: number; failDomain: string },
): Promise<Exim> {
  const u = unprivileged();
  const port = await freePort();
  const conf = path.join(dir, "exim.conf");
  const spool = ownedDir(path.join(dir, "spool"));
  const logs = ownedDir(path.join(dir, "log"));
  fs.writeFileSync(
    conf,
    `# Written by test/peers/exim.ts for one test run.
primary_hostname = exim.peers.test
qualify_domain = peers.test
spool_directory = ${spool}
log_file_path = ${logs}/%slog
pid_file_path = ${dir}/exim.pid
exim_user = ${u.uid}
exim_group = ${u.gid}
trusted_users = ${os.userInfo().username}
never_users =
local_interfaces = 127.0.0.1
daemon_smtp_ports = ${port}
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
keep_environment =
acl_smtp_rcpt = accept

begin routers

no_such_user:
  driver = redirect
  domains = ${options.failDomain}
  allow_fail
  data = :fail: no such user

steward:
  driver = manualroute
  domains = ${options.relayDomain}
  route_list = * 127.0.0.1::${options.relayPort}
  transport = remote_smtp
  self = send

elsewhere:
  driver = redirect
  data = :blackhole:

begin transports

remote_smtp:
  driver = smtp
  hosts_avoid_tls = *
  allow_localhost

begin retry

* * F,10m,15s
`,
  );
  const exim = (args: string[], input?: Buffer) => runOk(EXIM, ["-C", conf, ...args], input ? { input } : {});
  await exim(["-bV"]); // a configuration error shows here, with its line
  const daemon = startDaemon(EXIM, ["-C", conf, "-bdf"]);
  const log = () => {
    const file = path.join(logs, "mainlog");
    return `${daemon.output()}${fs.existsSync(file) ? fs.readFileSync(file, "utf8") : ""}`;
  };
  try {
    await listening(port, 15_000, log);
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return {
    port,
    log,
    stop: () => daemon.stop(),
    async enqueue(sender, recipient, raw) {
      await exim(["-odq", "-f", sender, "--", recipient], raw);
    },
    async flush() {
      await exim(["-qf"]);
    },
    async queued() {
      return Number((await exim(["-bpc"])).stdout.trim());
    },
  };
}
