/**
 * E-mail intake throughput: `npm run bench:mail [-- --messages 2000 --concurrency 4]`.
 * On a fresh database (PGlite by default; a new database next to DATABASE_URL's when it is set,
 * dropped after), generates realistic messages (half new tickets with a small attachment, half
 * replies threaded by the ticket tag or In-Reply-To, a few automatic ones) and measures messages
 * per second through the whole intake (prescan, parse, threading, sanitizing, the ticket and its
 * article, acknowledgement queued), both in process and through the built-in SMTP listener.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import pino from "pino";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { migrate } from "../server/db/migrate.ts";
import { receive, startSmtpListener } from "../server/modules/email/index.ts";
import { createDeps } from "../server/runtime.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const N = Number(arg("messages", "1000"));
const CONCURRENCY = Number(arg("concurrency", "4"));

function bar(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stdout.write(`\r${label.padEnd(30)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stdout.write("\n");
}

const url = process.env.DATABASE_URL;
let dropDatabase: (() => Promise<void>) | null = null;
let databaseUrl: string | undefined;
let dataDir: string | undefined;
if (url) {
  const name = `steward_bench_mail_${randomBytes(4).toString("hex")}`;
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = await openDatabase({ databaseUrl: server.toString(), poolSize: 1 });
  await admin.executeSql(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  databaseUrl = target.toString();
  dropDatabase = async () => {
    await admin.executeSql(`drop database if exists ${name} with (force)`);
    await admin.close();
  };
} else {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "steward-bench-mail-"));
}
const database = await openDatabase({ databaseUrl, dataDir, poolSize: 8 });
const log = pino({ level: "silent" });
const config = {
  ...loadConfig({ LOG_LEVEL: "silent" }),
  databaseUrl,
  secretKey: "bench-secret-key-not-for-production",
};
const deps = createDeps(config, database, log);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

try {
  await migrate(database.db);
  const db = database.db;
  const group = await db
    .insertInto("groups")
    .values({ name: "Mail bench desk" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto("organizations")
    .values({ name: "Acme", domains: ["acme.example"] })
    .returning("id")
    .executeTakeFirstOrThrow();
  void org;
  const address = "desk@steward.test";
  const mailbox = await db
    .insertInto("mailboxes")
    .values({
      kind: "smtp",
      name: "Desk",
      address,
      group_id: group.id,
      ticket_type: "incident",
      acknowledge: true,
      unknown_senders: "create",
      closed_replies: "new_ticket",
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const attachment = randomBytes(12 * 1024).toString("base64");
  const body = (i: number) =>
    `<p>Hello,</p><p>Since this morning the <b>printer ${i % 40}</b> on floor ${i % 7} prints blank pages.</p>` +
    `<table><tr><td>Model</td><td>LaserJet ${i % 9}</td></tr></table><p>Thanks,<br>User ${i % 300}</p>`.repeat(2);
  // Messages: even i opens a ticket, odd i answers the previous one (by tag when it is known, else In-Reply-To).
  async function compose(i: number, run: string): Promise<Buffer> {
    const from = `user${i % 300}@acme.example`;
    const messageId = `<${run}-${i}@acme.example>`;
    if (i % 2 === 0 || i % 50 === 1) {
      return new MailComposer({
        from: `User ${i % 300} <${from}>`,
        to: address,
        subject: `Printer ${i % 40} prints blank pages (${run} ${i})`,
        html: body(i),
        text: `Printer ${i % 40} prints blank pages.`,
        messageId,
        headers: i % 50 === 1 ? { "Auto-Submitted": "auto-replied" } : {},
        attachments: i % 4 === 0 ? [{ filename: "printer-log.txt", content: attachment }] : [],
      })
        .compile()
        .build();
    }
    return new MailComposer({
      from: `User ${(i - 1) % 300} <user${(i - 1) % 300}@acme.example>`,
      to: address,
      subject: `Re: Printer ${(i - 1) % 40} prints blank pages (${run} ${i - 1})`,
      text: `It happened again at ${i % 24}:00.\n\n> Since this morning the printer prints blank pages.`,
      messageId,
      inReplyTo: `<${run}-${i - 1}@acme.example>`,
      references: [`<${run}-${i - 1}@acme.example>`],
    })
      .compile()
      .build();
  }

  const results: { path: string; messages: number; seconds: number; perSecond: number }[] = [];

  // 1. In process: receive() with CONCURRENCY messages at a time (replies after their ticket).
  {
    const raws: Buffer[] = [];
    for (let i = 0; i < N; i++) raws.push(await compose(i, "p"));
    const warm = Math.min(50, N);
    for (let i = 0; i < warm; i += 2) {
      await receive(deps, { mailboxId: mailbox.id, raw: await compose(i, "w") });
    }
    const t0 = performance.now();
    let done = 0;
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < N; i += 2 * CONCURRENCY) {
      const batch = [];
      for (let k = i; k < Math.min(N, i + 2 * CONCURRENCY); k += 2) {
        batch.push(
          (async () => {
            for (const j of [k, k + 1]) {
              const raw = raws[j];
              if (!raw) continue;
              const r = await receive(deps, { mailboxId: mailbox.id, raw });
              outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
              done++;
            }
          })(),
        );
      }
      await Promise.all(batch);
      bar("in process (receive)", done, N);
    }
    const seconds = (performance.now() - t0) / 1000;
    results.push({ path: "in process", messages: N, seconds, perSecond: N / seconds });
    console.log(`  outcomes: ${JSON.stringify(outcomes)}`);
  }

  // 2. Through the SMTP listener: nodemailer clients over SMTP on 127.0.0.1, CONCURRENCY connections.
  {
    const port = await freePort();
    const listener = await startSmtpListener(deps, `127.0.0.1:${port}`, "127.0.0.1");
    const raws: Buffer[] = [];
    for (let i = 0; i < N; i++) raws.push(await compose(i, "s"));
    const transports = Array.from({ length: CONCURRENCY }, () =>
      nodemailer.createTransport({
        host: "127.0.0.1",
        port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
      }),
    );
    const t0 = performance.now();
    let done = 0;
    for (let i = 0; i < N; i += 2 * CONCURRENCY) {
      const batch = [];
      for (let k = i, c = 0; k < Math.min(N, i + 2 * CONCURRENCY); k += 2, c++) {
        const transport = transports[c % transports.length];
        batch.push(
          (async () => {
            for (const j of [k, k + 1]) {
              const raw = raws[j];
              if (!raw || !transport) continue;
              await transport.sendMail({ envelope: { from: `user${j % 300}@acme.example`, to: [address] }, raw });
              done++;
            }
          })(),
        );
      }
      await Promise.all(batch);
      bar("SMTP listener", done, N);
    }
    const seconds = (performance.now() - t0) / 1000;
    results.push({ path: "SMTP listener", messages: N, seconds, perSecond: N / seconds });
    for (const t of transports) t.close();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  const tickets = await db
    .selectFrom("tickets")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  const articles = await db
    .selectFrom("ticket_articles")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("channel", "=", "email")
    .executeTakeFirstOrThrow();
  console.log(
    `\nE-mail intake on ${url ? "PostgreSQL" : "PGlite"}, ${os.cpus().length} cores, ${CONCURRENCY} at a time, ${N} messages per path`,
  );
  console.log("| path | messages | seconds | messages/s |\n| --- | ---: | ---: | ---: |");
  for (const r of results) {
    console.log(`| ${r.path} | ${r.messages} | ${r.seconds.toFixed(1)} | ${r.perSecond.toFixed(1)} |`);
  }
  console.log(`\n${tickets.n} tickets, ${articles.n} e-mail articles in the database.`);
} finally {
  await deps.jobs.stop().catch(() => {});
  await database.close();
  if (dropDatabase) await dropDatabase();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
