import net from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { Deps } from "../../platform/deps.ts";
import { receive } from "./intake.ts";
import { mailLimits } from "./settings.ts";

/** `host:port` → parts; `[::1]:2525` for IPv6. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  if (!m) throw new Error(`STEWARD_SMTP_LISTEN: "${value}" is not host:port`);
  return { host: m[1] ?? m[2] ?? "127.0.0.1", port: Number(m[3]) };
}

/** The allow-list of sending hosts: IP addresses and CIDR ranges, comma-separated. */
export function allowList(value: string): net.BlockList {
  const list = new net.BlockList();
  for (const entry of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = "", bits] = entry.split("/");
    const type = net.isIPv6(address) ? "ipv6" : net.isIPv4(address) ? "ipv4" : null;
    if (!type) throw new Error(`STEWARD_SMTP_ALLOW: "${entry}" is not an IP address or CIDR range`);
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

function allowed(list: net.BlockList, remote: string): boolean {
  const v4 = remote.replace(/^::ffff:/, "");
  if (net.isIPv4(v4)) return list.check(v4, "ipv4");
  return net.isIPv6(remote) && list.check(remote, "ipv6");
}

class SmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/**
 * The built-in SMTP listener MTAs deliver to (off unless `STEWARD_SMTP_LISTEN` is set). It accepts
 * recipients that are active SMTP mailboxes, from allow-listed hosts, up to the size limit, and
 * answers 250 only after each message is committed (or quarantined, which keeps it): a 4xx makes
 * the sending MTA try again later. PIPELINING is not offered, so an MTA that would pipeline QUIT
 * after the data waits for the answer to the message first.
 */
export async function startSmtpListener(deps: Deps, listen: string, allow: string): Promise<SMTPServer> {
  const { host, port } = parseListen(listen);
  const hosts = allowList(allow);
  const limits = await mailLimits(deps.db);
  const options: SMTPServerOptions = {
    name: "steward",
    banner: "Steward mail intake",
    size: limits.maxBytes,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    hidePIPELINING: true,
    logger: false,
    maxClients: 50,
    socketTimeout: 60_000,
    onConnect(session, callback) {
      if (!allowed(hosts, session.remoteAddress)) {
        return callback(new SmtpError(`${session.remoteAddress} may not deliver here`, 554));
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      deps.db
        .selectFrom("mailboxes")
        .select("id")
        .where("kind", "=", "smtp")
        .where("active", "=", true)
        .where("address", "=", address.address.toLowerCase())
        .executeTakeFirst()
        .then((row) => callback(row ? undefined : new SmtpError(`no mailbox ${address.address} here`, 550)))
        .catch(() => callback(new SmtpError("temporarily unavailable, try again later", 451)));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      // Past the limit the rest is read and dropped: memory stays bounded, and the answer is 552.
      stream.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= limits.maxBytes) chunks.push(c);
      });
      stream.on("error", (err) => callback(err));
      stream.on("end", () => {
        if (size > limits.maxBytes || (stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(new SmtpError(`message larger than ${limits.maxBytes} bytes`, 552));
        }
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const rcptTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        deliver(deps, raw, mailFrom, rcptTo)
          .then((text) => callback(null, text))
          .catch((err) => {
            deps.log.error({ err }, "SMTP intake failed; the sender will retry");
            callback(new SmtpError("temporarily unable to take the message, try again later", 451));
          });
      });
    },
  };
  const server = new SMTPServer(options);
  server.on("error", (err) => deps.log.warn({ err }, "SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  deps.log.info({ host, port }, "SMTP listener ready");
  return server;
}

/** One message to each recipient mailbox (the Message-ID record keeps it to one article). */
async function deliver(deps: Deps, raw: Buffer, mailFrom: string, rcptTo: string[]): Promise<string> {
  const mailboxes = await deps.db
    .selectFrom("mailboxes")
    .select(["id", "address"])
    .where("kind", "=", "smtp")
    .where("active", "=", true)
    .where("address", "in", rcptTo.length ? rcptTo : [""])
    .orderBy("address")
    .execute();
  const outcomes: string[] = [];
  for (const m of mailboxes) {
    const r = await receive(deps, { mailboxId: m.id, raw, envelope: { mailFrom, rcptTo } });
    outcomes.push(`${r.outcome}${r.ticketId ? ` ${r.ticketId}` : ""}`);
  }
  return `accepted: ${outcomes.join(", ") || "nothing"}`;
}
