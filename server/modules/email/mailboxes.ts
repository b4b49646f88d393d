import type { Selectable, Updateable } from "kysely";
import type { Mailbox, MailboxCreate, MailboxUpdate } from "../../../common/email.ts";
import { inTransaction, type Tx } from "../../db/database.ts";
import type { MailboxesTable } from "../../db/types.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Conflict, type FieldError, Invalid, NotFound, StaleVersion } from "../../platform/errors.ts";
import { recordChange } from "../../platform/events.ts";
import { decodeCursor, page } from "../../platform/pagination.ts";
import type { SecretBox } from "../../platform/secret-box.ts";

type MailboxRow = Selectable<MailboxesTable>;

interface ImapStored {
  host: string;
  port: number;
  secure: "tls" | "starttls" | "plain";
  user: string;
  folder: string;
  moveTo: string | null;
}

export function presentMailbox(r: MailboxRow): Mailbox {
  const imap = r.imap as ImapStored | null;
  return {
    id: r.id,
    version: r.version,
    kind: r.kind,
    name: r.name,
    address: r.address,
    groupId: r.group_id,
    ticketType: r.ticket_type,
    categoryId: r.category_id,
    unknownSenders: r.unknown_senders,
    acknowledge: r.acknowledge,
    closedReplies: r.closed_replies,
    active: r.active,
    imap: imap ? { ...imap, passwordSet: !!r.imap_password } : null,
    lastCheckedAt: r.last_checked_at?.toISOString() ?? null,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What an audit row may show: no password. */
function auditable(m: Mailbox) {
  return { ...m, lastCheckedAt: undefined, lastError: undefined, updatedAt: undefined };
}

export async function listMailboxes(
  deps: Deps,
  query: { cursor?: string | undefined; limit: number },
): Promise<{ items: Mailbox[]; nextCursor: string | null }> {
  let q = deps.db.selectFrom("mailboxes").selectAll();
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, ["string", "string"]) as [string, string];
    q = q.where((eb) => eb.or([eb("name", ">", name), eb.and([eb("name", "=", name), eb("id", ">", id)])]));
  }
  const rows = await q
    .orderBy("name")
    .orderBy("id")
    .limit(query.limit + 1)
    .execute();
  const p = page(rows, query.limit, (r) => [r.name, r.id]);
  return { items: p.items.map(presentMailbox), nextCursor: p.nextCursor };
}

export async function getMailbox(deps: Deps, id: string): Promise<Mailbox> {
  return presentMailbox(await mailboxRow(deps.db as unknown as Tx, id));
}

export async function mailboxRow(db: Tx, id: string, lock = false): Promise<MailboxRow> {
  let q = db.selectFrom("mailboxes").selectAll().where("id", "=", id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound("Mailbox");
  return row;
}

async function checkReferences(
  tx: Tx,
  input: { groupId?: string | undefined; categoryId?: string | null | undefined; address?: string | undefined },
  exceptId?: string,
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.groupId) {
    const g = await tx.selectFrom("groups").select("active").where("id", "=", input.groupId).executeTakeFirst();
    if (!g) errors.push({ field: "body.groupId", message: "no such group" });
    else if (!g.active) errors.push({ field: "body.groupId", message: "the group is deactivated" });
  }
  if (input.categoryId) {
    const c = await tx.selectFrom("categories").select("id").where("id", "=", input.categoryId).executeTakeFirst();
    if (!c) errors.push({ field: "body.categoryId", message: "no such category" });
  }
  if (errors.length) throw new Invalid(errors);
  if (input.address) {
    let q = tx.selectFrom("mailboxes").select("id").where("address", "=", input.address);
    if (exceptId) q = q.where("id", "!=", exceptId);
    if (await q.executeTakeFirst()) {
      throw new Conflict("Another mailbox has this address", [{ field: "body.address", message: "already in use" }]);
    }
  }
}

export async function createMailbox(deps: Deps, ctx: RequestContext, input: MailboxCreate): Promise<Mailbox> {
  return inTransaction(deps.db, async (tx) => {
    await checkReferences(tx, input);
    const now = deps.now();
    const { password, ...imap } = input.imap ?? { password: null };
    const row = await tx
      .insertInto("mailboxes")
      .values({
        kind: input.kind,
        name: input.name,
        address: input.address,
        group_id: input.groupId,
        ticket_type: input.ticketType,
        category_id: input.categoryId ?? null,
        unknown_senders: input.unknownSenders,
        acknowledge: input.acknowledge,
        closed_replies: input.closedReplies,
        active: input.active,
        imap: input.kind === "imap" ? JSON.stringify(imap) : null,
        imap_password: input.kind === "imap" && password ? deps.secrets.seal(password) : null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const mailbox = presentMailbox(row);
    await recordChange(tx, ctx, {
      entityType: "mailbox",
      entityId: row.id,
      action: "created",
      before: null,
      after: auditable(mailbox),
    });
    return mailbox;
  });
}

export async function updateMailbox(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: MailboxUpdate,
  ifMatch: number | undefined,
): Promise<Mailbox> {
  return inTransaction(deps.db, async (tx) => {
    const before = await mailboxRow(tx, id, true);
    const expected = input.version ?? ifMatch;
    if (expected === undefined) {
      throw new Invalid([{ field: "body.version", message: "send the version you edited (or If-Match)" }]);
    }
    if (expected !== before.version) throw new StaleVersion("The mailbox", before.version);
    if (input.imap && before.kind !== "imap") {
      throw new Invalid([{ field: "body.imap", message: "only for IMAP mailboxes" }]);
    }
    await checkReferences(tx, input, id);
    const set: Updateable<MailboxesTable> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.address !== undefined) set.address = input.address;
    if (input.groupId !== undefined) set.group_id = input.groupId;
    if (input.ticketType !== undefined) set.ticket_type = input.ticketType;
    if (input.categoryId !== undefined) set.category_id = input.categoryId;
    if (input.unknownSenders !== undefined) set.unknown_senders = input.unknownSenders;
    if (input.acknowledge !== undefined) set.acknowledge = input.acknowledge;
    if (input.closedReplies !== undefined) set.closed_replies = input.closedReplies;
    if (input.active !== undefined) set.active = input.active;
    if (input.imap) {
      const { password, ...imap } = input.imap;
      set.imap = JSON.stringify(imap);
      if (password) set.imap_password = deps.secrets.seal(password);
    }
    const row = await tx
      .updateTable("mailboxes")
      .set({ ...set, version: before.version + 1, updated_at: deps.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const mailbox = presentMailbox(row);
    await recordChange(tx, ctx, {
      entityType: "mailbox",
      entityId: id,
      action: "updated",
      before: auditable(presentMailbox(before)),
      after: {
        ...auditable(mailbox),
        ...(input.imap?.password ? { imapPassword: "changed" } : {}),
      },
    });
    return mailbox;
  });
}

/** A mailbox no message came through yet can be deleted; otherwise it is deactivated instead. */
export async function deleteMailbox(deps: Deps, ctx: RequestContext, id: string): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const before = await mailboxRow(tx, id, true);
    const used =
      (await tx.selectFrom("mail_messages").select("id").where("mailbox_id", "=", id).limit(1).executeTakeFirst()) ??
      (await tx.selectFrom("mail_quarantine").select("id").where("mailbox_id", "=", id).limit(1).executeTakeFirst());
    if (used) {
      throw new Conflict("Mail has come through this mailbox; deactivate it instead", [
        { field: "id", message: "in use" },
      ]);
    }
    await tx.deleteFrom("mailboxes").where("id", "=", id).execute();
    await recordChange(tx, ctx, {
      entityType: "mailbox",
      entityId: id,
      action: "deleted",
      before: auditable(presentMailbox(before)),
      after: null,
    });
  });
}

/** The IMAP settings with the password opened, for the poller and the connection test. */
export function imapCredentials(row: MailboxRow, box: SecretBox): (ImapStored & { password: string }) | null {
  const imap = row.imap as ImapStored | null;
  if (!imap || !row.imap_password) return null;
  return { ...imap, password: box.open(row.imap_password) };
}
