import { z } from "zod";
import { IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";
import { TICKET_TYPES } from "./workflows.ts";

const address = z
  .email()
  .max(254)
  .transform((v) => v.toLowerCase());
const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, "a host name or IP address");
const port = z.number().int().min(1).max(65535);

/** How a connection is secured: TLS from the start, STARTTLS, or plain (local test servers only). */
export const MailSecuritySchema = z.enum(["tls", "starttls", "plain"]);

export const ImapSettingsSchema = z.strictObject({
  host,
  port,
  secure: MailSecuritySchema,
  user: z.string().min(1).max(320),
  folder: z.string().min(1).max(200).default("INBOX"),
  moveTo: z
    .string()
    .min(1)
    .max(200)
    .nullable()
    .default(null)
    .describe("After the article is committed the message is moved here; null: flagged \\Seen and kept"),
});

const mailboxFields = {
  name: z.string().trim().min(1).max(120),
  address,
  groupId: IdSchema,
  ticketType: z.enum(TICKET_TYPES),
  categoryId: IdSchema.nullable().optional(),
  unknownSenders: z.enum(["create", "reject"]).describe("Unknown senders become customers, or are held"),
  acknowledge: z.boolean().describe("Send the requester an acknowledgement of a new ticket"),
  closedReplies: z
    .enum(["new_ticket", "reopen"])
    .describe("A reply to a closed ticket opens a new ticket linked to it, or reopens it"),
  active: z.boolean(),
};

export const MailboxCreateSchema = z
  .strictObject({
    kind: z.enum(["imap", "smtp"]),
    ...mailboxFields,
    categoryId: mailboxFields.categoryId,
    unknownSenders: mailboxFields.unknownSenders.default("create"),
    acknowledge: mailboxFields.acknowledge.default(false),
    closedReplies: mailboxFields.closedReplies.default("new_ticket"),
    active: mailboxFields.active.default(true),
    imap: ImapSettingsSchema.extend({ password: z.string().min(1).max(500) }).optional(),
  })
  .superRefine((v, c) => {
    if (v.kind === "imap" && !v.imap) c.addIssue({ code: "custom", path: ["imap"], message: "required for IMAP" });
    if (v.kind === "smtp" && v.imap) c.addIssue({ code: "custom", path: ["imap"], message: "only for IMAP" });
  });
export type MailboxCreate = z.infer<typeof MailboxCreateSchema>;

export const MailboxUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  name: mailboxFields.name.optional(),
  address: address.optional(),
  groupId: IdSchema.optional(),
  ticketType: mailboxFields.ticketType.optional(),
  categoryId: mailboxFields.categoryId,
  unknownSenders: mailboxFields.unknownSenders.optional(),
  acknowledge: z.boolean().optional(),
  closedReplies: mailboxFields.closedReplies.optional(),
  active: z.boolean().optional(),
  imap: ImapSettingsSchema.extend({
    password: z.string().min(1).max(500).optional().describe("Omit to keep the stored password"),
  }).optional(),
});
export type MailboxUpdate = z.infer<typeof MailboxUpdateSchema>;

export const MailboxSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  kind: z.enum(["imap", "smtp"]),
  name: z.string(),
  address: z.string(),
  groupId: IdSchema,
  ticketType: z.enum(TICKET_TYPES),
  categoryId: IdSchema.nullable(),
  unknownSenders: z.enum(["create", "reject"]),
  acknowledge: z.boolean(),
  closedReplies: z.enum(["new_ticket", "reopen"]),
  active: z.boolean(),
  imap: ImapSettingsSchema.extend({ passwordSet: z.boolean() }).nullable(),
  lastCheckedAt: TimestampSchema.nullable(),
  lastError: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Mailbox = z.infer<typeof MailboxSchema>;
export const MailboxListSchema = pageOf(MailboxSchema);
export const MailboxListQuerySchema = z.strictObject({ ...ListQueryBase });

export const MailboxTestResultSchema = z.object({
  ok: z.boolean(),
  detail: z.string().describe("What the server said, or why it failed"),
  messages: z.number().int().nullable().describe("IMAP: messages in the folder"),
});

export const QuarantineStateSchema = z.enum(["held", "processed", "discarded"]);
export const QuarantinedMailSchema = z.object({
  id: IdSchema,
  mailboxId: IdSchema.nullable(),
  size: z.number().int(),
  messageId: z.string().nullable(),
  sender: z.string().nullable(),
  subject: z.string().nullable(),
  reason: z.string(),
  state: QuarantineStateSchema,
  attempts: z.number().int(),
  ticketId: IdSchema.nullable(),
  receivedAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type QuarantinedMail = z.infer<typeof QuarantinedMailSchema>;
export const QuarantinePageSchema = pageOf(QuarantinedMailSchema);
export const QuarantineListQuerySchema = z.strictObject({
  ...ListQueryBase,
  state: QuarantineStateSchema.default("held"),
});

export const SmtpSettingsSchema = z.object({
  version: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  secure: MailSecuritySchema,
  user: z.string().nullable(),
  passwordSet: z.boolean(),
  from: z.string().describe("Sender of mail not sent for a group (and of groups without a mailbox)"),
});
export type SmtpSettings = z.infer<typeof SmtpSettingsSchema>;
export const SmtpSettingsUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  host,
  port,
  secure: MailSecuritySchema,
  user: z.string().min(1).max(320).nullable().default(null).describe("Omit or null for no authentication"),
  password: z.string().min(1).max(500).nullable().optional().describe("Omit to keep; null to remove"),
  from: address,
});

export const OutboundMailSchema = z.object({
  id: IdSchema,
  kind: z.enum(["reply", "acknowledgement", "notification", "password_reset"]),
  automatic: z.boolean(),
  ticketId: IdSchema.nullable(),
  articleId: IdSchema.nullable(),
  recipients: z.array(z.string()),
  subject: z.string(),
  messageId: z.string(),
  state: z.enum(["queued", "sending", "sent", "failed", "suppressed"]),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: TimestampSchema,
  sentAt: TimestampSchema.nullable(),
});
export const OutboundPageSchema = pageOf(OutboundMailSchema);
export const OutboundListQuerySchema = z.strictObject({
  ...ListQueryBase,
  state: z.enum(["queued", "sending", "sent", "failed", "suppressed"]).optional(),
});

/** What became of one inbound message (also the answer of a quarantine retry). */
export const IntakeResultSchema = z.object({
  outcome: z.enum(["created", "appended", "duplicate", "bounce", "quarantined"]),
  messageId: z.string().nullable(),
  ticketId: IdSchema.nullable(),
  articleId: IdSchema.nullable(),
  quarantineId: IdSchema.nullable(),
  reason: z.string().nullable(),
});
export type IntakeResultBody = z.infer<typeof IntakeResultSchema>;

export const SmtpTestResultSchema = z.object({ ok: z.boolean(), detail: z.string() });
