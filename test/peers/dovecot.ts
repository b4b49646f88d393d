/**
 * A private Dovecot (Debian: dovecot-imapd, dovecot-sieve) for tests: IMAP with plain login on
 * 127.0.0.1 without TLS, users from a passwd-file, maildirs in the scratch directory, delivery
 * with dovecot-lda (which runs the users' Sieve scripts) and mail the scripts send (vacation
 * replies) submitted over SMTP to `submission`. Nothing of the system's Dovecot is used: the
 * config, sockets, state and log all live in `dir`.
 */
import fs from "node:fs";
import path from "node:path";
import { freePort, listening, ownedDir, run, runOk, startDaemon, unprivileged } from "./programs.ts";

export const DOVECOT = "/usr/sbin/dovecot";
export const DOVEADM = "/usr/bin/doveadm";
export const DOVECOT_LDA = "/usr/lib/dovecot/dovecot-lda";
/** From dovecot-sieve: the LDA's Sieve plugin is there when this is. */
export const SIEVEC = "/usr/bin/sievec";

export interface StoredMessage {
  uid: number;
  flags: string[];
  messageId: string;
}

export interface Dovecot {
  imapPort: number;
  /** Delivers a message to a user's INBOX as an MTA would (`dovecot-lda -d user -f sender`). */
  deliver(user: string, raw: Buffer, sender: string): Promise<void>;
  /** A user's INBOX as Dovecot itself reports it (`doveadm fetch`), not through Steward's client. */
  messages(user: string): Promise<StoredMessage[]>;
  /** Makes this the user's active Sieve script. */
  sieve(user: string, script: string): void;
  log(): string;
  stop(): Promise<void>;
}

export async function startDovecot(
  dir: string,
  options: { users: Record<string, string>; submission?: number },
): Promise<Dovecot> {
  const u = unprivileged();
  const conf = path.join(dir, "dovecot.conf");
  const logFile = path.join(dir, "dovecot.log");
  const imapPort = await freePort();
  ownedDir(path.join(dir, "mail"));
  for (const user of Object.keys(options.users)) ownedDir(path.join(dir, "home", user));
  const passwd = path.join(dir, "passwd");
  fs.writeFileSync(
    passwd,
    Object.entries(options.users)
      .map(([user, password]) => `${user}:{PLAIN}${password}::::::\n`)
      .join(""),
  );
  fs.chmodSync(passwd, 0o644); // read by the auth process, which runs as the unprivileged user
  fs.writeFileSync(
    conf,
    `# Written by test/peers/dovecot.ts for one test run.
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${u.name}
default_internal_user = ${u.name}
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
hostname = dovecot.peers.test
postmaster_address = postmaster@peers.test
${options.submission ? `submission_host = 127.0.0.1:${options.submission}` : ""}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${passwd}
}
userdb {
  driver = passwd-file
  args = ${passwd}
  default_fields = uid=${u.uid} gid=${u.gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
protocol lda {
  mail_plugins = $mail_plugins sieve
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
`,
  );
  const daemon = startDaemon(DOVECOT, ["-F", "-c", conf]);
  const log = () => {
    const file = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    return `${daemon.output()}${file}`.slice(-6000);
  };
  try {
    await listening(imapPort, 15_000, log);
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  const doveadm = (args: string[]) => runOk(DOVEADM, ["-c", conf, ...args]);

  return {
    imapPort,
    log,
    stop: () => daemon.stop(),
    async deliver(user, raw, sender) {
      const r = await run(DOVECOT_LDA, ["-c", conf, "-d", user, "-f", sender], { input: raw });
      if (r.code !== 0) throw new Error(`dovecot-lda exited ${r.code}: ${r.stderr}\n${log()}`);
    },
    async messages(user) {
      const r = await doveadm([
        "-f",
        "json",
        "fetch",
        "-u",
        user,
        "uid flags hdr.message-id",
        "mailbox",
        "INBOX",
        "ALL",
      ]);
      const rows = JSON.parse(r.stdout || "[]") as Record<string, string>[];
      return rows.map((row) => ({
        uid: Number(row.uid),
        flags: (row.flags ?? "").split(/\s+/).filter(Boolean),
        messageId: (row["hdr.message-id"] ?? "").trim(),
      }));
    },
    sieve(user, script) {
      const file = path.join(dir, "home", user, ".dovecot.sieve");
      fs.writeFileSync(file, script);
      if (process.getuid?.() === 0) fs.chownSync(file, u.uid, u.gid);
    },
  };
}
