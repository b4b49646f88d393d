import type { z } from "zod";
import type { SmtpSettings, SmtpSettingsUpdateSchema } from "../../../common/email.ts";
import { type Executor, inTransaction } from "../../db/database.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { StaleVersion } from "../../platform/errors.ts";
import { DEFAULT_LIMITS, type MailLimits } from "./parse.ts";

export interface MailCaps {
  perTicketPer10Min: number;
  perAddressPerDay: number;
}

async function setting<T>(db: Executor, key: string): Promise<T | null> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return (row?.value as T | undefined) ?? null;
}

export async function mailLimits(db: Executor): Promise<MailLimits & MailCaps> {
  const stored = (await setting<Partial<MailLimits & MailCaps>>(db, "mail.limits")) ?? {};
  return { ...DEFAULT_LIMITS, perTicketPer10Min: 10, perAddressPerDay: 40, ...stored };
}

/** The transport settings as stored: the password sealed. */
export interface StoredSmtp {
  version: number;
  host: string;
  port: number;
  secure: "tls" | "starttls" | "plain";
  user: string | null;
  password: string | null;
  from: string;
}

export async function storedSmtp(db: Executor): Promise<StoredSmtp> {
  const s = await setting<Partial<StoredSmtp>>(db, "mail.smtp");
  return {
    version: s?.version ?? 1,
    host: s?.host ?? "",
    port: s?.port ?? 587,
    secure: s?.secure ?? "starttls",
    user: s?.user ?? null,
    password: s?.password ?? null,
    from: s?.from ?? "",
  };
}

export function presentSmtp(s: StoredSmtp): SmtpSettings {
  return {
    version: s.version,
    host: s.host,
    port: s.port,
    secure: s.secure,
    user: s.user,
    passwordSet: !!s.password,
    from: s.from,
  };
}

export async function getSmtpSettings(deps: Deps): Promise<SmtpSettings> {
  return presentSmtp(await storedSmtp(deps.db));
}

export async function updateSmtpSettings(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof SmtpSettingsUpdateSchema>,
  ifMatch: number | undefined,
): Promise<SmtpSettings> {
  return inTransaction(deps.db, async (tx) => {
    await tx.selectFrom("settings").select("key").where("key", "=", "mail.smtp").forUpdate().execute();
    const before = await storedSmtp(tx);
    const expected = input.version ?? ifMatch;
    if (expected !== undefined && expected !== before.version)
      throw new StaleVersion("The SMTP settings", before.version);
    const after: StoredSmtp = {
      version: before.version + 1,
      host: input.host,
      port: input.port,
      secure: input.secure,
      user: input.user,
      password:
        input.password === undefined
          ? before.password
          : input.password === null
            ? null
            : deps.secrets.seal(input.password),
      from: input.from,
    };
    await tx
      .insertInto("settings")
      .values({ key: "mail.smtp", value: JSON.stringify(after), updated_at: deps.now() })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(after), updated_at: deps.now() }))
      .execute();
    const masked = (s: StoredSmtp) => ({ ...presentSmtp(s), password: s.password ? "set" : null });
    await appendAudit(tx, ctx, {
      action: "settings.smtp_updated",
      entityType: "settings",
      entityId: "mail.smtp",
      changes: { smtp: [masked(before), masked(after)] },
    });
    return presentSmtp(after);
  });
}

/** Steward's own addresses: every mailbox and the transport's sender. Mail from them is never answered. */
export async function ownAddresses(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom("mailboxes").select("address").limit(10_000).execute();
  const smtp = await storedSmtp(db);
  const out = new Set(rows.map((r) => r.address.toLowerCase()));
  if (smtp.from) out.add(smtp.from.toLowerCase());
  return out;
}
