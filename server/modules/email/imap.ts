import { randomUUID } from "node:crypto";
import { ImapFlow } from "imapflow";
import { sql } from "kysely";
import type { Deps } from "../../platform/deps.ts";
import { receive } from "./intake.ts";
import { imapCredentials, mailboxRow } from "./mailboxes.ts";
import { mailLimits } from "./settings.ts";

type Credentials = NonNullable<ReturnType<typeof imapCredentials>>;

export function imapClient(c: Credentials): ImapFlow {
  return new ImapFlow({
    host: c.host,
    port: c.port,
    secure: c.secure === "tls",
    doSTARTTLS: c.secure === "starttls" ? true : c.secure === "plain" ? false : undefined,
    auth: { user: c.user, pass: c.password },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  });
}

/** Logs in and opens the folder: what an admin's "Test connection" shows. */
export async function testImap(c: Credentials): Promise<{ ok: boolean; detail: string; messages: number | null }> {
  const client = imapClient(c);
  client.on("error", () => {});
  try {
    await client.connect();
    const found = await client.status(c.folder, { messages: true, unseen: true });
    const status = found || { messages: 0, unseen: 0 };
    const idle = client.capabilities.has("IDLE");
    return {
      ok: true,
      detail: `Logged in to ${c.host}:${c.port}; ${c.folder} holds ${status.messages ?? 0} messages (${status.unseen ?? 0} unread)${idle ? "; the server offers IDLE" : ""}`,
      messages: status.messages ?? null,
    };
  } catch (err) {
    const e = err as { responseText?: string; message?: string; code?: string };
    return { ok: false, detail: e.responseText || e.message || String(err), messages: null };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Fetches the unread messages of a mailbox's folder, oldest first, and hands each to the intake;
 * a message is flagged \Seen (or moved) only after its article is committed, so a crash between
 * fetch and commit loses nothing, and the Message-ID record makes the refetch a no-op.
 */
export async function fetchMailbox(
  deps: Deps,
  client: ImapFlow,
  mailboxId: string,
  folder: string,
  moveTo: string | null,
  batch = 50,
): Promise<number> {
  const limits = await mailLimits(deps.db);
  const lock = await client.getMailboxLock(folder);
  let handled = 0;
  try {
    // On a session that stayed open, the server reports mail that arrived since the last command.
    await client.noop();
    const uids = (await client.search({ seen: false, deleted: false }, { uid: true })) || [];
    for (const uid of uids.slice(0, batch)) {
      const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
      if (!meta) continue;
      let raw: Buffer;
      if ((meta.size ?? 0) > limits.maxBytes) {
        // Too big to take: its headers go to the quarantine; the message stays on the server, flagged.
        const head = await client.fetchOne(String(uid), { headers: true }, { uid: true });
        const headers = head === false ? undefined : head.headers;
        raw = Buffer.concat([
          headers ?? Buffer.alloc(0),
          Buffer.from(`\r\n[${meta.size} bytes: over the ${limits.maxBytes}-byte limit; kept on the IMAP server]\r\n`),
        ]);
        const size = meta.size ?? 0;
        await receive(deps, { mailboxId, raw, oversize: size });
        await client.messageFlagsAdd(String(uid), ["\\Seen", "\\Flagged"], { uid: true });
        handled++;
        continue;
      }
      const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (msg === false || !msg.source) continue;
      raw = msg.source;
      await receive(deps, { mailboxId, raw });
      if (moveTo) await client.messageMove(String(uid), moveTo, { uid: true });
      else await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
      handled++;
    }
  } finally {
    lock.release();
  }
  return handled;
}

const LEASE_MS = 90_000;

/**
 * Watches every active IMAP mailbox from worker processes. One node holds a mailbox's lease at a
 * time; it fetches, then waits on IDLE (imapflow idles between commands when the server offers it
 * and reports new mail) or polls every `pollMs`, renewing the lease as it goes.
 */
export class ImapWatcher {
  readonly #owner = `${process.pid}-${randomUUID()}`;
  readonly #running = new Map<string, { stop: () => void; done: Promise<void> }>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly deps: Deps,
    private readonly pollMs = 60_000,
  ) {}

  start(): void {
    const scan = () => {
      this.scan().catch((err) => this.deps.log.error({ err }, "IMAP scan failed"));
    };
    this.#timer = setInterval(scan, 15_000);
    this.#timer.unref();
    scan();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const w of this.#running.values()) w.stop();
    await Promise.all([...this.#running.values()].map((w) => w.done));
  }

  /** Starts a watch for each active IMAP mailbox whose lease this node can take. */
  async scan(): Promise<void> {
    if (this.#stopped) return;
    const rows = await this.deps.db
      .selectFrom("mailboxes")
      .select("id")
      .where("kind", "=", "imap")
      .where("active", "=", true)
      .execute();
    const active = new Set(rows.map((r) => r.id));
    for (const [id, w] of this.#running) if (!active.has(id)) w.stop();
    for (const { id } of rows) {
      if (this.#running.has(id) || !(await this.lease(id))) continue;
      let stop = () => {};
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      const done = this.watch(id, stopped).finally(() => this.#running.delete(id));
      this.#running.set(id, { stop, done });
    }
  }

  async lease(id: string): Promise<boolean> {
    const now = this.deps.now();
    const row = await this.deps.db
      .updateTable("mailboxes")
      .set({ lease_owner: this.#owner, lease_until: new Date(now.getTime() + LEASE_MS) })
      .where("id", "=", id)
      .where((eb) =>
        eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now), eb("lease_owner", "=", this.#owner)]),
      )
      .returning("id")
      .executeTakeFirst();
    return !!row;
  }

  private async watch(id: string, stopped: Promise<void>): Promise<void> {
    let client: ImapFlow | null = null;
    let wake: () => void = () => {};
    // New mail announced while a fetch runs must not wait for the next poll.
    let pending = false;
    try {
      while (!this.#stopped) {
        const row = await mailboxRow(this.deps.db as never, id);
        const creds = row.active ? imapCredentials(row, this.deps.secrets) : null;
        if (!creds || !(await this.lease(id))) return;
        try {
          if (!client?.usable) {
            client = imapClient(creds);
            client.on("error", (err: Error) => this.deps.log.warn({ err, mailboxId: id }, "IMAP connection error"));
            client.on("exists", () => {
              pending = true;
              wake();
            });
            await client.connect();
          }
          pending = false;
          await fetchMailbox(this.deps, client, id, creds.folder, creds.moveTo);
          await this.mark(id, null);
        } catch (err) {
          const e = err as { responseText?: string; message?: string };
          await this.mark(id, e.responseText || e.message || String(err));
          this.deps.log.warn({ err, mailboxId: id }, "IMAP fetch failed");
          await client?.logout().catch(() => client?.close());
          client = null;
        }
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        if (pending) wake();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          woken,
          stopped,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, this.pollMs);
          }),
        ]);
        clearTimeout(timer);
        if (await Promise.race([stopped.then(() => true), Promise.resolve(false)])) return;
      }
    } finally {
      await client?.logout().catch(() => client?.close());
      await this.deps.db
        .updateTable("mailboxes")
        .set({ lease_owner: null, lease_until: null })
        .where("id", "=", id)
        .where("lease_owner", "=", this.#owner)
        .execute()
        .catch(() => {});
    }
  }

  private async mark(id: string, error: string | null): Promise<void> {
    await this.deps.db
      .updateTable("mailboxes")
      .set({ last_checked_at: sql<Date>`now()`, last_error: error ? error.slice(0, 1000) : null })
      .where("id", "=", id)
      .execute();
  }
}
