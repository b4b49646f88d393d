import { z } from "zod";
import { IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";

/** CMDB request and response shapes, shared by the server and the web app. */

const key = z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, "a letter, then letters, digits and _");
const name = z.string().trim().min(1).max(200);

// ---- general catalog ----
export const CATALOG_LIST = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "lower-case letters, digits and _");
export const CatalogParamsSchema = z.strictObject({ listName: CATALOG_LIST });
export const CatalogItemParamsSchema = z.strictObject({ listName: CATALOG_LIST, id: IdSchema });
export const CatalogItemCreateSchema = z.strictObject({
  name,
  properties: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
  position: z.number().int().min(0).max(100_000).default(100),
});
export const CatalogItemUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: name.optional(),
  properties: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  active: z.boolean().optional(),
});
export const CatalogItemSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  list: z.string(),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()),
  position: z.number().int(),
  active: z.boolean(),
});
export type CatalogItem = z.infer<typeof CatalogItemSchema>;
export const CatalogNamesSchema = z.object({
  items: z.array(z.object({ list: z.string(), count: z.number().int(), active: z.number().int() })),
});
export const CatalogListSchema = z.object({ items: z.array(CatalogItemSchema) });

// ---- classes ----
export const ATTRIBUTE_TYPES = [
  "text",
  "longtext",
  "number",
  "date",
  "boolean",
  "catalog",
  "ci",
  "user",
  "organization",
  "location",
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const AttributeDefinitionSchema = z
  .strictObject({
    key,
    label: z.string().trim().min(1).max(100),
    type: z.enum(ATTRIBUTE_TYPES),
    required: z.boolean().optional(),
    unique: z.boolean().optional().describe("No two CIs of the class share a value"),
    multiple: z.boolean().optional().describe("A list of values"),
    searchable: z.boolean().optional().describe("Found by the CI list's text search"),
    catalog: CATALOG_LIST.optional().describe("For type catalog: the list the value comes from"),
  })
  .refine((a) => (a.type === "catalog") === (a.catalog !== undefined), {
    message: "a catalog attribute names its list (and only a catalog attribute does)",
    path: ["catalog"],
  });
export type AttributeDefinition = z.infer<typeof AttributeDefinitionSchema>;

const attributeList = z
  .array(AttributeDefinitionSchema)
  .max(200)
  .refine((list) => new Set(list.map((a) => a.key)).size === list.length, "each key once");

export const CiClassCreateSchema = z.strictObject({
  name,
  description: z.string().max(2000).default(""),
  attributes: attributeList.default([]),
  groupIds: z.array(IdSchema).max(100).default([]).describe("Agent groups that may see the class; empty = all agents"),
});
export const CiClassUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: name.optional(),
  description: z.string().max(2000).optional(),
  attributes: attributeList.optional(),
  groupIds: z.array(IdSchema).max(100).optional(),
  active: z.boolean().optional(),
});
export const CiClassSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  code: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  attributes: z.array(AttributeDefinitionSchema),
  groupIds: z.array(IdSchema),
  builtin: z.boolean(),
  active: z.boolean(),
});
export type CiClass = z.infer<typeof CiClassSchema>;
export const CiClassListSchema = pageOf(CiClassSchema);
export const CiClassListQuerySchema = z.strictObject({ ...ListQueryBase });

// ---- configuration items ----
export const INCIDENT_STATES = ["operational", "warning", "incident"] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export const CI_SOURCES = ["web", "api", "import", "discovery", "system"] as const;

/** Attribute values as the API takes them: scalars or lists of scalars (ids for references). */
const AttributeValue = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string().max(10_000), z.number(), z.boolean()])).max(500),
]);
export const AttributesSchema = z.record(z.string(), AttributeValue);

export const CiCreateSchema = z.strictObject({
  classId: IdSchema,
  name,
  deploymentStateId: IdSchema.optional().describe("Catalog deployment_state; Production when left out"),
  incidentState: z.enum(["operational", "incident"]).optional().describe("Set by hand: operational or incident"),
  organizationId: IdSchema.nullable().optional(),
  groupId: IdSchema.nullable().optional(),
  locationId: IdSchema.nullable().optional().describe("A CI of the Location class"),
  attributes: AttributesSchema.default({}),
  locks: z.array(key).max(200).optional().describe("Attributes discovery and import must not overwrite"),
  serviceOrganizationIds: z.array(IdSchema).max(1000).optional().describe("Business services: subscribed customers"),
});
export const CiUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: name.optional(),
  deploymentStateId: IdSchema.optional(),
  incidentState: z.enum(["operational", "incident"]).optional(),
  organizationId: IdSchema.nullable().optional(),
  groupId: IdSchema.nullable().optional(),
  locationId: IdSchema.nullable().optional(),
  attributes: AttributesSchema.optional().describe("Replaces the named attributes; null clears one"),
  locks: z.array(key).max(200).optional(),
  serviceOrganizationIds: z.array(IdSchema).max(1000).optional(),
});

export const CiSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  number: z.string().describe("CI-000123"),
  classId: IdSchema,
  className: z.string(),
  classVersion: z.number().int(),
  name: z.string(),
  deploymentState: z.object({ id: IdSchema, name: z.string(), group: z.string() }),
  incidentState: z.enum(INCIDENT_STATES),
  incidentManual: z.boolean().describe("In incident by hand or by a linked open incident (not derived)"),
  organizationId: IdSchema.nullable(),
  groupId: IdSchema.nullable(),
  locationId: IdSchema.nullable(),
  attributes: z.record(z.string(), z.unknown()),
  locks: z.array(z.string()),
  serviceOrganizationIds: z.array(IdSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({ update: z.boolean() }),
});
export type Ci = z.infer<typeof CiSchema>;
export const CiPageSchema = pageOf(CiSchema);

export const CiListQuerySchema = z.strictObject({
  ...ListQueryBase,
  classId: IdSchema.optional(),
  q: z.string().trim().min(1).max(200).optional().describe("Name, number and searchable attributes"),
  organizationId: IdSchema.optional(),
  incidentState: z.enum(INCIDENT_STATES).optional(),
  deploymentStateId: IdSchema.optional(),
  ids: z
    .string()
    .max(4000)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(IdSchema).min(1).max(100))
    .optional()
    .describe("Comma-separated CI ids (100 at most): fetch several at once"),
  attribute: z
    .string()
    .max(300)
    .regex(/^[a-z][a-zA-Z0-9_]{0,39}=.*$/, "key=value")
    .optional()
    .describe("key=value; the value is read as JSON when it parses (numbers, true/false), else as text"),
});
export type CiListQuery = z.infer<typeof CiListQuerySchema>;

export const CiVersionSchema = z.object({
  version: z.number().int(),
  classVersion: z.number().int(),
  snapshot: z.record(z.string(), z.unknown()),
  diff: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
  actorId: IdSchema.nullable(),
  actorName: z.string().nullable(),
  source: z.enum(CI_SOURCES),
  createdAt: TimestampSchema,
});
export const CiVersionListSchema = z.object({ items: z.array(CiVersionSchema) });

// ---- relations ----
export const RelationTypeSchema = z.object({
  key: z.string(),
  label: z.string(),
  reverseLabel: z.string(),
  impact: z.enum(["forward", "reverse", "both", "none"]),
  builtin: z.boolean(),
});
export const RelationTypeListSchema = z.object({ items: z.array(RelationTypeSchema) });
export const RelationTypeCreateSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "lower-case letters, digits and _"),
  label: z.string().trim().min(1).max(100),
  reverseLabel: z.string().trim().min(1).max(100),
  impact: z
    .enum(["forward", "reverse", "both", "none"])
    .describe("forward: the source failing hits the target; reverse: the target failing hits the source"),
});

export const RelationCreateSchema = z.strictObject({
  sourceId: IdSchema,
  targetId: IdSchema,
  type: z.string().min(1).max(40),
});
export const RelationSchema = z.object({
  id: IdSchema,
  type: z.string(),
  source: z.object({ id: IdSchema, number: z.string(), name: z.string(), incidentState: z.enum(INCIDENT_STATES) }),
  target: z.object({ id: IdSchema, number: z.string(), name: z.string(), incidentState: z.enum(INCIDENT_STATES) }),
  createdAt: TimestampSchema,
});
export const RelationListSchema = z.object({ items: z.array(RelationSchema) });

// ---- impact ----
export const ImpactQuerySchema = z.strictObject({
  direction: z.enum(["downstream", "upstream"]).default("downstream"),
  depth: z.coerce.number().int().min(1).max(10).default(5),
});
export const ImpactSimulationSchema = z.strictObject({
  ciIds: z.array(IdSchema).min(1).max(500),
  depth: z.number().int().min(1).max(10).default(5),
});
const CiRef = z.object({
  id: IdSchema,
  number: z.string(),
  name: z.string(),
  classId: IdSchema,
  className: z.string(),
  incidentState: z.enum(INCIDENT_STATES),
});
export const ImpactSchema = z.object({
  direction: z.enum(["downstream", "upstream"]),
  depth: z.number().int(),
  nodes: z.array(
    z.object({
      ciId: IdSchema,
      depth: z.number().int(),
      path: z.array(IdSchema).describe("One shortest path from the start to this CI"),
    }),
  ),
  cis: z.array(CiRef).describe("The CIs reached (that the caller may see)"),
  services: z.array(CiRef),
  organizations: z.array(z.object({ id: IdSchema, name: z.string() })),
  tickets: z.array(z.object({ id: IdSchema, number: z.string(), title: z.string(), state: z.string() })),
  total: z.number().int().describe("CIs reached that the caller may see; nodes and cis list the nearest 2,000"),
  truncated: z
    .boolean()
    .describe("Not every CI reached is listed (services, customers and tickets still count them all)"),
});
export type Impact = z.infer<typeof ImpactSchema>;

// ---- redundancy groups ----
export const RedundancyGroupCreateSchema = z
  .strictObject({
    ciId: IdSchema.describe("The CI that stays up while enough members are up (a service, a cluster)"),
    name,
    memberIds: z.array(IdSchema).min(2).max(1000),
    minUp: z.number().int().min(1).optional(),
    minPercent: z.number().int().min(1).max(100).optional(),
  })
  .refine((g) => (g.minUp === undefined) !== (g.minPercent === undefined), {
    message: "give minUp or minPercent",
    path: ["minUp"],
  });
export const RedundancyGroupSchema = z.object({
  id: IdSchema,
  ciId: IdSchema,
  name: z.string(),
  memberIds: z.array(IdSchema),
  minUp: z.number().int().nullable(),
  minPercent: z.number().int().nullable(),
});
export const RedundancyGroupListSchema = z.object({ items: z.array(RedundancyGroupSchema) });

// ---- tickets ↔ CIs ----
export const TicketCisUpdateSchema = z.strictObject({
  ciIds: z.array(IdSchema).max(200).describe("The affected CIs and services; replaces the list"),
});
export const TicketCiListSchema = z.object({
  items: z.array(
    z.object({
      id: IdSchema,
      number: z.string(),
      name: z.string(),
      classId: IdSchema,
      className: z.string(),
      incidentState: z.enum(INCIDENT_STATES),
    }),
  ),
});

// ---- dependency graph (for drawing) ----
export const GraphQuerySchema = z.strictObject({
  depth: z.coerce.number().int().min(1).max(6).default(2),
});
export const GraphSchema = z.object({
  rootId: IdSchema,
  nodes: z.array(
    z.object({
      id: IdSchema,
      number: z.string(),
      name: z.string(),
      classId: IdSchema,
      className: z.string(),
      incidentState: z.enum(INCIDENT_STATES),
      depth: z.number().int().describe("Hops from the root, over relations of any type and direction"),
    }),
  ),
  edges: z.array(z.object({ id: IdSchema, sourceId: IdSchema, targetId: IdSchema, type: z.string() })),
  truncated: z.boolean().describe("More CIs are related than the graph shows (300 at most)"),
});
export type Graph = z.infer<typeof GraphSchema>;

// ---- import and export ----
export const CiExportQuerySchema = CiListQuerySchema.omit({ cursor: true, limit: true }).extend({
  format: z.enum(["csv", "xlsx"]).default("csv"),
});
export const ImportFieldsSchema = z.strictObject({
  classId: IdSchema,
  dryRun: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  mapping: z
    .string()
    .max(20_000)
    .optional()
    .describe(
      'JSON object: column name → field ("name", "deploymentState", "organization", an attribute key; "" skips)',
    ),
  identifiers: z
    .string()
    .max(500)
    .optional()
    .describe("Comma-separated fields that find the CI a row updates (default: name)"),
});
export const ImportReportSchema = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  mapping: z.array(z.object({ column: z.string(), field: z.string().nullable() })),
  identifiers: z.array(z.string()),
  errors: z
    .array(
      z.object({
        line: z.number().int(),
        errors: z.array(z.object({ column: z.string().nullable(), message: z.string() })),
      }),
    )
    .describe("The first 1,000 rejected rows with their reasons"),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

// ---- discovery ----
export const InventoryKeyCreateSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const InventoryKeySchema = z.object({
  id: IdSchema,
  name: z.string(),
  prefix: z.string().describe("The key's first characters, to tell keys apart"),
  createdAt: TimestampSchema,
  lastUsedAt: TimestampSchema.nullable(),
  revokedAt: TimestampSchema.nullable(),
});
export const InventoryKeyCreatedSchema = InventoryKeySchema.extend({
  key: z.string().describe("Shown once: the password agents send with HTTP basic auth (any user name)"),
});
export const InventoryKeyListSchema = z.object({ items: z.array(InventoryKeySchema) });
export const DiscoveryLogQuerySchema = z.strictObject({
  ...ListQueryBase,
  outcome: z.enum(["created", "updated", "unchanged", "conflict", "rejected"]).optional(),
});
export const DiscoveryLogEntrySchema = z.object({
  id: IdSchema,
  at: TimestampSchema,
  deviceId: z.string(),
  protocol: z.string(),
  keyId: IdSchema.nullable(),
  outcome: z.enum(["created", "updated", "unchanged", "conflict", "rejected"]),
  ciId: IdSchema.nullable(),
  detail: z.string(),
  candidateIds: z.array(IdSchema).describe("For a conflict: the CIs the inventory could belong to"),
  ci: z.object({ id: IdSchema, number: z.string(), name: z.string() }).nullable(),
  candidates: z.array(z.object({ id: IdSchema, number: z.string(), name: z.string() })),
});
export const DiscoveryLogPageSchema = pageOf(DiscoveryLogEntrySchema);
