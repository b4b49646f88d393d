import { z } from "zod";
import { IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";
import { HOLD_REASONS, RESOLUTION_CODES, TICKET_TYPES } from "./workflows.ts";

export const TicketTypeSchema = z.enum(TICKET_TYPES);
export const PrioritySchema = z.enum(["P1", "P2", "P3", "P4"]);
const level = z.number().int().min(1).max(3).describe("1 high … 3 low");
const title = z.string().trim().min(1).max(300);
const richText = z.string().max(200_000).describe("HTML; sanitized on the way in");
const tags = z.array(z.string().trim().min(1).max(50)).max(30);

export const TicketCreateSchema = z.strictObject({
  type: TicketTypeSchema,
  title,
  description: richText.default(""),
  impact: level,
  urgency: level,
  requesterId: IdSchema.nullable().optional(),
  organizationId: IdSchema.nullable().optional(),
  groupId: IdSchema.optional(),
  assigneeId: IdSchema.nullable().optional(),
  categoryId: IdSchema.nullable().optional(),
  customFields: z.record(z.string().max(60), z.unknown()).optional(),
  tags: tags.optional(),
  watcherIds: z.array(IdSchema).max(100).optional(),
});
export type TicketCreate = z.infer<typeof TicketCreateSchema>;

export const TicketUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited; or send If-Match"),
  title: title.optional(),
  description: richText.optional(),
  impact: level.optional(),
  urgency: level.optional(),
  requesterId: IdSchema.nullable().optional(),
  organizationId: IdSchema.nullable().optional(),
  groupId: IdSchema.optional(),
  assigneeId: IdSchema.nullable().optional(),
  categoryId: IdSchema.nullable().optional(),
  problemId: IdSchema.nullable().optional().describe("Link an incident to a problem"),
  customFields: z.record(z.string().max(60), z.unknown()).optional().describe("Values to set; null removes one"),
  tags: tags.optional(),
  watcherIds: z.array(IdSchema).max(100).optional(),
});
export type TicketUpdate = z.infer<typeof TicketUpdateSchema>;

export const TransitionSchema = z.strictObject({
  version: VersionSchema.optional(),
  to: z.string().min(1).max(40),
  reason: z.enum(HOLD_REASONS).optional().describe("Required when putting a ticket on hold"),
  resolutionCode: z.enum(RESOLUTION_CODES).optional(),
  resolution: z.string().trim().min(1).max(20_000).optional(),
  rootCause: z.string().trim().min(1).max(20_000).optional(),
  workaround: z.string().trim().min(1).max(20_000).optional(),
  cascade: z
    .boolean()
    .optional()
    .describe("Also move child tickets (and a problem's open incidents) to the same state where their workflow allows"),
});
export type TransitionInput = z.infer<typeof TransitionSchema>;

export const ArticleCreateSchema = z.strictObject({
  kind: z.enum(["reply", "note"]),
  body: richText.refine((v) => v.trim().length > 0, "must not be empty"),
  timeSpentMinutes: z.number().int().min(0).max(100_000).optional(),
});
export type ArticleCreate = z.infer<typeof ArticleCreateSchema>;

export const TicketSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  type: TicketTypeSchema,
  number: z.string().describe("INC-000123, REQ-…, PRB-…"),
  title: z.string(),
  description: z.string(),
  state: z.string(),
  stateType: z.enum(["new", "open", "pending", "resolved", "closed"]),
  holdReason: z.string().nullable(),
  impact: z.number().int(),
  urgency: z.number().int(),
  priority: PrioritySchema,
  categoryId: IdSchema.nullable(),
  requesterId: IdSchema.nullable(),
  organizationId: IdSchema.nullable(),
  groupId: IdSchema.nullable(),
  assigneeId: IdSchema.nullable(),
  problemId: IdSchema.nullable(),
  mergedIntoId: IdSchema.nullable(),
  customFields: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  watcherIds: z.array(IdSchema),
  resolutionCode: z.string().nullable(),
  resolution: z.string().nullable(),
  rootCause: z.string().nullable(),
  workaround: z.string().nullable(),
  firstResponseAt: TimestampSchema.nullable(),
  resolvedAt: TimestampSchema.nullable(),
  closedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({
    update: z.boolean(),
    reply: z.boolean(),
    note: z.boolean(),
    transitions: z.array(z.string()).describe("States this caller may move the ticket to"),
  }),
});
export type Ticket = z.infer<typeof TicketSchema>;
export const TicketPageSchema = pageOf(TicketSchema);

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(500)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(item).min(1).max(20));

export const TICKET_SORTS = [
  "createdAt",
  "-createdAt",
  "updatedAt",
  "-updatedAt",
  "priority",
  "-priority",
  "slaDue",
  "-slaDue",
] as const;
export const TicketSortSchema = z
  .enum(TICKET_SORTS)
  .describe(
    "A leading '-' reverses. priority: most urgent first, then oldest; slaDue: soonest SLA due first (breached first), tickets without a counting clock last",
  );
export type TicketSort = z.infer<typeof TicketSortSchema>;

export const TicketListQuerySchema = z.strictObject({
  ...ListQueryBase,
  type: csv(TicketTypeSchema).optional(),
  state: csv(z.string().max(40)).optional(),
  stateType: csv(z.enum(["new", "open", "pending", "resolved", "closed"])).optional(),
  priority: csv(PrioritySchema).optional(),
  impact: csv(z.enum(["1", "2", "3"])).optional(),
  urgency: csv(z.enum(["1", "2", "3"])).optional(),
  groupId: IdSchema.optional(),
  assigneeId: z.union([IdSchema, z.enum(["me", "none"])]).optional(),
  requesterId: z.union([IdSchema, z.literal("me")]).optional(),
  watcherId: z.union([IdSchema, z.literal("me")]).optional(),
  organizationId: IdSchema.optional(),
  categoryId: IdSchema.optional(),
  problemId: IdSchema.optional().describe("Incidents linked to this problem"),
  tag: z.string().max(50).optional(),
  customField: z
    .string()
    .max(300)
    .regex(/^[a-z][a-z0-9_]{0,39}=.*$/, "key=value")
    .optional()
    .describe("key=value; the value is read as JSON when it parses (numbers, true/false), else as text"),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "Full text over title, description and replies; parts of words in the title, requester or organization names; or a number",
    ),
  createdFrom: TimestampSchema.optional().describe("Created at or after"),
  createdTo: TimestampSchema.optional().describe("Created before"),
  updatedFrom: TimestampSchema.optional(),
  updatedTo: TimestampSchema.optional(),
  resolvedFrom: TimestampSchema.optional(),
  resolvedTo: TimestampSchema.optional(),
  closedFrom: TimestampSchema.optional(),
  closedTo: TimestampSchema.optional(),
  slaDueWithinHours: z.coerce
    .number()
    .int()
    .min(0)
    .max(8760)
    .optional()
    .describe("The earliest counting SLA clock is due within this many hours from now (overdue ones included)"),
  sla: z
    .enum(["running", "at_risk", "breached"])
    .optional()
    .describe("running: a clock runs; at_risk: a running clock passed its warning; breached: a clock is breached"),
  sort: TicketSortSchema.default("-createdAt"),
});
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

const MailAddressSchema = z.object({ name: z.string(), address: z.string() });
export const MailEnvelopeSchema = z.object({
  direction: z.enum(["in", "out"]),
  from: MailAddressSchema.nullable(),
  to: z.array(MailAddressSchema),
  cc: z.array(MailAddressSchema),
  subject: z.string(),
  messageId: z.string(),
  date: TimestampSchema.nullable(),
  remoteImages: z.number().int().describe("Remote images blocked in the body (their address is in data-remote-src)"),
  attachments: z.array(
    z.object({
      id: IdSchema,
      filename: z.string(),
      contentType: z.string(),
      size: z.number().int(),
      inline: z.boolean(),
    }),
  ),
  delivery: z
    .object({ state: z.enum(["queued", "sending", "sent", "failed", "suppressed"]), error: z.string().nullable() })
    .nullable()
    .describe("Outgoing mail: where the mail is"),
  hasSource: z.boolean().describe("Agents can read the original message at …/articles/{id}/source"),
  initial: z.boolean().describe("The message that opened the ticket (its body is also the description)"),
});
export type MailEnvelope = z.infer<typeof MailEnvelopeSchema>;

export const ArticleSchema = z.object({
  id: IdSchema,
  ticketId: IdSchema,
  kind: z.enum(["reply", "note", "system"]),
  author: z.object({ id: IdSchema, name: z.string(), kind: z.enum(["agent", "customer"]) }).nullable(),
  body: z.string(),
  event: z.record(z.string(), z.unknown()).nullable(),
  timeSpentMinutes: z.number().int().nullable(),
  source: z.string(),
  channel: z.enum(["web", "email"]),
  mail: MailEnvelopeSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Article = z.infer<typeof ArticleSchema>;
export const ArticleListSchema = z.object({ items: z.array(ArticleSchema) });

export const PriorityMatrixSchema = z.object({
  version: z.number().int(),
  cells: z.array(z.object({ impact: z.number().int(), urgency: z.number().int(), priority: PrioritySchema })),
});
export const PriorityMatrixUpdateSchema = z.strictObject({
  version: VersionSchema.optional().describe("The version you edited (or If-Match)"),
  cells: z
    .array(z.strictObject({ impact: level, urgency: level, priority: PrioritySchema }))
    .length(9)
    .refine((cells) => new Set(cells.map((c) => `${c.impact}-${c.urgency}`)).size === 9, "each impact × urgency once"),
});

export const CategoryCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  parentId: IdSchema.nullable().optional(),
});
export const CategoryUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  parentId: IdSchema.nullable().optional(),
  active: z.boolean().optional(),
});
export const CategorySchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  parentId: IdSchema.nullable(),
  active: z.boolean(),
});
export const CategoryListSchema = z.object({ items: z.array(CategorySchema) });

// ---- links and merge ----
export const LinkKindSchema = z.enum(["parent_of", "child_of", "related", "duplicate_of"]);
export const LinkCreateSchema = z.strictObject({
  targetId: IdSchema,
  kind: LinkKindSchema.describe("How this ticket relates to the target"),
});
export const LinkSchema = z.object({
  kind: z.enum(["parent_of", "child_of", "related", "duplicate_of", "duplicated_by"]),
  ticket: z.object({
    id: IdSchema,
    number: z.string(),
    title: z.string(),
    state: z.string(),
    stateType: z.string(),
    mergedIntoId: IdSchema.nullable(),
  }),
});
export const LinkListSchema = z.object({ items: z.array(LinkSchema) });
export const LinkDeleteQuerySchema = z.strictObject({
  kind: z
    .enum(["parent_of", "child_of", "related", "duplicate_of", "duplicated_by"])
    .describe("The link as this ticket sees it (as the link list names it)"),
});
export const LinkParamsSchema = z.strictObject({ id: IdSchema, targetId: IdSchema });

export const MergeSchema = z.strictObject({
  targetId: IdSchema.describe("The ticket that continues; this one becomes read-only"),
});

// ---- bulk ----
export const BulkSchema = z
  .strictObject({
    ids: z.array(IdSchema).min(1).max(200),
    update: TicketUpdateSchema.omit({ version: true, title: true, description: true, watcherIds: true }).optional(),
    transition: TransitionSchema.omit({ version: true }).optional(),
    mergeInto: IdSchema.optional(),
  })
  .refine((b) => [b.update, b.transition, b.mergeInto].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of update, transition, mergeInto",
  });
export const BulkResultSchema = z.object({
  results: z.array(
    z.object({ id: IdSchema, status: z.number().int(), title: z.string().optional(), detail: z.string().optional() }),
  ),
});

// ---- saved views ----
/** A view's filters: the work-list query without paging (a view may keep its sort). */
export const ViewFiltersSchema = TicketListQuerySchema.omit({ cursor: true, limit: true }).extend({
  sort: TicketSortSchema.optional(),
});
const ViewFiltersInput = z
  .record(z.string(), z.union([z.string().max(200), z.array(z.string().max(100)).max(20)]))
  .describe("Work-list query parameters (lists as arrays), sort included");
export const ViewCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  filters: ViewFiltersInput,
  shared: z.boolean().default(false).describe("Shared with every agent (administrators only)"),
});
export const ViewUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  filters: ViewFiltersInput.optional(),
});
export const ViewOrderSchema = z.strictObject({
  ids: z
    .array(IdSchema)
    .min(1)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, "each view once")
    .describe("The caller's sidebar order; views left out follow in their default order"),
});
export const ViewSchema = z.object({
  id: IdSchema,
  name: z.string(),
  shared: z.boolean(),
  filters: z.record(z.string(), z.unknown()),
  count: z.number().int(),
  countCapped: z.boolean().describe("count stopped at 1000"),
  abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export const ViewListSchema = z.object({ items: z.array(ViewSchema) });

// ---- attachments ----
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const AttachmentUploadSchema = z.strictObject({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine(
      (v) => ![...v].some((c) => c === "/" || c === "\\" || c.charCodeAt(0) < 32),
      "no paths or control characters",
    ),
  contentType: z
    .string()
    .max(100)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, "a media type like image/png")
    .default("application/octet-stream"),
  contentBase64: z.base64().describe("The file, base64-encoded; 10 MiB at most once decoded"),
  internal: z.boolean().default(false).describe("Visible to agents only"),
});
export const AttachmentSchema = z.object({
  id: IdSchema,
  ticketId: IdSchema,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  internal: z.boolean(),
  uploadedBy: IdSchema.nullable(),
  createdAt: TimestampSchema,
});
export const AttachmentListSchema = z.object({ items: z.array(AttachmentSchema) });
