/**
 * Real SMTP clients for tests: swaks (Debian: swaks) and mutt in batch mode (Debian: mutt), each
 * talking plain SMTP to a server on 127.0.0.1, with their configuration in a scratch directory.
 */
import fs from "node:fs";
import path from "node:path";
import { run } from "./programs.ts";

export const SWAKS = "/usr/bin/swaks";
export const MUTT = "/usr/bin/mutt";

export interface SwaksRun {
  code: number | null;
  /** The whole SMTP conversation as swaks printed it. */
  transcript: string;
  /** The server's last reply to the message data (`250 accepted: created <ticket id>`), if it got that far. */
  dataReply: string | null;
}

/** `swaks --server 127.0.0.1:port` plus `args` (--from, --to, --header, --body, --attach …). */
export async function swaks(port: number, args: string[]): Promise<SwaksRun> {
  const r = await run(SWAKS, ["--server", `127.0.0.1:${port}`, "--helo", "swaks.peers.test", ...args]);
  const transcript = r.stdout + r.stderr;
  const lines = transcript.split("\n");
  const dot = lines.findIndex((l) => /^ -> \.\s*$/.test(l));
  const reply = dot >= 0 ? lines.slice(dot + 1).find((l) => /^<[-*~]/.test(l)) : undefined;
  return { code: r.code, transcript, dataReply: reply ? reply.replace(/^<[-*~]+\s*/, "").trim() : null };
}

/**
 * Sends one message with mutt in batch mode over SMTP (`mutt -F muttrc -s subject -a file -- to`),
 * as a person's mail program would: its own MIME, Message-ID and Date.
 */
export async function mutt(
  dir: string,
  port: number,
  m: { from: string; to: string; subject: string; body: string; attach?: string },
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const muttrc = path.join(dir, "muttrc");
  fs.writeFileSync(
    muttrc,
    [
      `set smtp_url = "smtp://127.0.0.1:${port}/"`,
      `set from = "${m.from}"`,
      "set use_envelope_from = yes",
      "set ssl_starttls = no",
      "set ssl_force_tls = no",
      "set copy = no",
      'set record = ""',
      'set postponed = ""',
      `set folder = "${dir}"`,
      'set spoolfile = ""',
      "set send_charset = utf-8",
      "",
    ].join("\n"),
  );
  const args = ["-n", "-F", muttrc, "-s", m.subject, ...(m.attach ? ["-a", m.attach] : []), "--", m.to];
  // HOME too: mutt looks there for its cache and header files.
  const r = await run(MUTT, args, { input: m.body, env: { ...process.env, HOME: dir }, cwd: dir });
  if (r.code !== 0) throw new Error(`mutt exited ${r.code}: ${r.stdout}${r.stderr}`);
}
