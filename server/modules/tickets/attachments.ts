import { createHash } from "node:crypto";
import type { FastifyReply } from "fastify";
import type { z } from "zod";
import { type AttachmentSchema, type AttachmentUploadSchema, MAX_ATTACHMENT_BYTES } from "../../../common/tickets.ts";
import { inTransaction } from "../../db/database.ts";
import { appendAudit } from "../../platform/audit.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { Forbidden, Invalid, NotFound } from "../../platform/errors.ts";
import { recordEvent } from "../../platform/events.ts";
import { canNote, canReply } from "./policy.ts";
import { loadAccess, readableTicket } from "./service.ts";

type Attachment = z.infer<typeof AttachmentSchema>;

interface AttachmentRow {
  id: string;
  ticket_id: string;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  internal: boolean;
  uploaded_by: string | null;
  created_at: Date;
}

function present(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    filename: r.filename,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    internal: r.internal,
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at.toISOString(),
  };
}

/** Stores a file once per content (SHA-256) and attaches it to a ticket; internal files are for agents only. */
export async function uploadAttachment(
  deps: Deps,
  ctx: RequestContext,
  ticketId: string,
  input: z.infer<typeof AttachmentUploadSchema>,
): Promise<Attachment> {
  const data = Buffer.from(input.contentBase64, "base64");
  if (data.length === 0) throw new Invalid([{ field: "body.contentBase64", message: "the file is empty" }]);
  if (data.length > MAX_ATTACHMENT_BYTES) {
    throw new Invalid([
      { field: "body.contentBase64", message: `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB` },
    ]);
  }
  const sha256 = createHash("sha256").update(data).digest("hex");
  return inTransaction(deps.db, async (tx) => {
    const access = await loadAccess(tx, ctx.actor);
    const { row } = await readableTicket(tx, access, ticketId, true);
    const allowed = input.internal ? canNote(access, row) : canReply(access, row);
    if (!allowed)
      throw new Forbidden(input.internal ? "Only agents add internal files" : "You cannot add files to this ticket");
    await tx
      .insertInto("attachment_blobs")
      .values({ sha256, size: data.length, data })
      .onConflict((oc) => oc.column("sha256").doNothing())
      .execute();
    const created = await tx
      .insertInto("attachments")
      .values({
        ticket_id: ticketId,
        sha256,
        filename: input.filename,
        content_type: input.contentType,
        size: data.length,
        internal: input.internal,
        uploaded_by: ctx.actor.id,
        created_at: deps.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, ctx, {
      action: "ticket.attachment_added",
      entityType: "ticket",
      entityId: ticketId,
      changes: { attachment: [null, { id: created.id, filename: created.filename, size: created.size, sha256 }] },
    });
    await recordEvent(tx, ctx, {
      type: "ticket.attachment_added",
      entityType: "ticket",
      entityId: ticketId,
      payload: { attachmentId: created.id, internal: created.internal },
    });
    return present(created);
  });
}

export async function listAttachments(deps: Deps, ctx: RequestContext, ticketId: string) {
  const access = await loadAccess(deps.db, ctx.actor);
  await readableTicket(deps.db, access, ticketId);
  let q = deps.db.selectFrom("attachments").selectAll().where("ticket_id", "=", ticketId);
  if (ctx.actor.kind === "customer") q = q.where("internal", "=", false);
  const rows = await q.orderBy("created_at").limit(1000).execute();
  return { items: rows.map(present) };
}

/**
 * Sends a file as a download, never inline: `Content-Disposition: attachment`,
 * a generic type, no sniffing, and a sandboxing CSP in case a browser renders it anyway.
 */
export async function downloadAttachment(deps: Deps, ctx: RequestContext, id: string, reply: FastifyReply) {
  const row = await deps.db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || (row.internal && ctx.actor.kind === "customer")) throw new NotFound("Attachment");
  const access = await loadAccess(deps.db, ctx.actor);
  await readableTicket(deps.db, access, row.ticket_id).catch(() => {
    throw new NotFound("Attachment");
  });
  const blob = await deps.db
    .selectFrom("attachment_blobs")
    .select("data")
    .where("sha256", "=", row.sha256)
    .executeTakeFirstOrThrow();
  const ascii = row.filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return reply
    .code(200)
    .header("content-type", "application/octet-stream")
    .header(
      "content-disposition",
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`,
    )
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .send(Buffer.from(blob.data));
}

const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * An inline image of an e-mail (`cid:`), for the `<img>` in the sanitized body: raster images only
 * (never SVG), with its type, no sniffing and a sandboxing CSP; anything else is refused.
 */
export async function inlineAttachment(deps: Deps, ctx: RequestContext, id: string, reply: FastifyReply) {
  const row = await deps.db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || (row.internal && ctx.actor.kind === "customer") || !INLINE_IMAGES.has(row.content_type)) {
    throw new NotFound("Image");
  }
  const access = await loadAccess(deps.db, ctx.actor);
  await readableTicket(deps.db, access, row.ticket_id).catch(() => {
    throw new NotFound("Image");
  });
  const blob = await deps.db
    .selectFrom("attachment_blobs")
    .select("data")
    .where("sha256", "=", row.sha256)
    .executeTakeFirstOrThrow();
  return reply
    .code(200)
    .header("content-type", row.content_type)
    .header("content-disposition", "inline")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, max-age=3600")
    .send(Buffer.from(blob.data));
}
