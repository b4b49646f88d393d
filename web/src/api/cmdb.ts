import { z } from "zod";
import {
  type AttributeDefinition,
  AttributeDefinitionSchema,
  type CatalogItem,
  type CatalogItemCreateSchema,
  CatalogItemSchema,
  type CatalogItemUpdateSchema,
  CatalogListSchema,
  CatalogNamesSchema,
  type Ci,
  type CiClass,
  type CiClassCreateSchema,
  CiClassListSchema,
  CiClassSchema,
  type CiClassUpdateSchema,
  type CiCreateSchema,
  CiPageSchema,
  CiSchema,
  type CiUpdateSchema,
  CiVersionListSchema,
  GraphSchema,
  ImpactSchema,
  type IncidentState,
  type RedundancyGroupCreateSchema,
  RedundancyGroupListSchema,
  RedundancyGroupSchema,
  RelationListSchema,
  RelationSchema,
  type RelationTypeCreateSchema,
  RelationTypeListSchema,
  RelationTypeSchema,
  TicketCiListSchema,
} from "../../../common/cmdb.ts";
import { request, requestVoid } from "./client.ts";

const id = encodeURIComponent;

export type { AttributeDefinition, CatalogItem, Ci, CiClass, IncidentState };
export type CiCreate = z.input<typeof CiCreateSchema>;
export type CiUpdate = z.input<typeof CiUpdateSchema>;
export type CiClassCreate = z.input<typeof CiClassCreateSchema>;
export type CiClassUpdate = z.input<typeof CiClassUpdateSchema>;
export type CatalogItemCreate = z.input<typeof CatalogItemCreateSchema>;
export type CatalogItemUpdate = z.input<typeof CatalogItemUpdateSchema>;
export type CiVersion = z.infer<typeof CiVersionListSchema>["items"][number];
export type Relation = z.infer<typeof RelationSchema>;
export type RelationType = z.infer<typeof RelationTypeListSchema>["items"][number];
export type RelationTypeCreate = z.input<typeof RelationTypeCreateSchema>;
export type RelationImpact = RelationType["impact"];
export type RedundancyGroup = z.infer<typeof RedundancyGroupSchema>;
export type RedundancyGroupCreate = z.input<typeof RedundancyGroupCreateSchema>;
export type CatalogListSummary = z.infer<typeof CatalogNamesSchema>["items"][number];
export type Impact = z.infer<typeof ImpactSchema>;
export type Graph = z.infer<typeof GraphSchema>;
export type TicketCi = z.infer<typeof TicketCiListSchema>["items"][number];

/** Query keys: everything CMDB sits under one root, so a write can refresh what depends on it. */
export const cmdbKeys = {
  root: ["cmdb"] as const,
  classes: ["cmdb", "classes"] as const,
  classVersion: (classId: string, version: number) => ["cmdb", "classes", classId, "version", version] as const,
  catalog: (list: string) => ["cmdb", "catalog", list] as const,
  /** Not under `catalog(…)`: a list may be called anything, "lists" included. */
  catalogLists: ["cmdb", "catalog-lists"] as const,
  cis: ["cmdb", "cis"] as const,
  /** Several CIs by id, fetched together (names for references, history, pickers). */
  cisByIds: (ids: readonly string[]) => ["cmdb", "cis", "by-ids", ...ids] as const,
  ci: (ciId: string) => ["cmdb", "cis", "detail", ciId] as const,
  versions: (ciId: string) => ["cmdb", "cis", "versions", ciId] as const,
  relations: ["cmdb", "relations"] as const,
  relationTypes: ["cmdb", "relation-types"] as const,
  graph: (ciId: string, depth: number) => ["cmdb", "relations", "graph", ciId, depth] as const,
  impact: (ciId: string, direction: string, depth: number) =>
    ["cmdb", "relations", "impact", ciId, direction, depth] as const,
  redundancyGroups: (ciId: string) => ["cmdb", "redundancy-groups", ciId] as const,
  ticketCis: (ticketId: string) => ["cmdb", "ticket-cis", ticketId] as const,
};

// ---- catalog ----
/** The catalog's lists, with how many values each has (and how many are active). */
export const listCatalogLists = () => request("GET", "/cmdb/catalog", CatalogNamesSchema);
export const listCatalog = (list: string) => request("GET", `/cmdb/catalog/${id(list)}`, CatalogListSchema);
export const createCatalogItem = (list: string, body: CatalogItemCreate) =>
  request("POST", `/cmdb/catalog/${id(list)}`, CatalogItemSchema, { body });
export const updateCatalogItem = (list: string, itemId: string, body: CatalogItemUpdate) =>
  request("PATCH", `/cmdb/catalog/${id(list)}/${id(itemId)}`, CatalogItemSchema, { body });

// ---- classes ----
/** Every class the caller may see (they are few; pages are followed to the end). */
export async function listClasses(): Promise<{ items: CiClass[] }> {
  const items: CiClass[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await request("GET", "/cmdb/classes", CiClassListSchema, { query: { limit: 200, cursor } });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { items };
}
export const getClass = (classId: string) => request("GET", `/cmdb/classes/${id(classId)}`, CiClassSchema);
export const createClass = (body: CiClassCreate) => request("POST", "/cmdb/classes", CiClassSchema, { body });
export const updateClass = (classId: string, body: CiClassUpdate) =>
  request("PATCH", `/cmdb/classes/${id(classId)}`, CiClassSchema, { body });
export const getClassVersion = (classId: string, version: number) =>
  request(
    "GET",
    `/cmdb/classes/${id(classId)}/versions/${version}`,
    z.object({ attributes: z.array(AttributeDefinitionSchema) }),
  );

// ---- configuration items ----
export interface CiListParams {
  classId?: string | undefined;
  q?: string | undefined;
  organizationId?: string | undefined;
  incidentState?: IncidentState | undefined;
  deploymentStateId?: string | undefined;
  attribute?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}
export const listCis = (params: CiListParams) => request("GET", "/cmdb/cis", CiPageSchema, { query: { ...params } });

/** The largest number of ids one `GET /cmdb/cis?ids=` takes. */
const IDS_PER_REQUEST = 100;

/** Several CIs by id, a hundred per request; ids the caller may not see (or that do not exist) are left out. */
export async function getCisByIds(ids: readonly string[]): Promise<Ci[]> {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_REQUEST) chunks.push(unique.slice(i, i + IDS_PER_REQUEST));
  const pages = await Promise.all(
    chunks.map((chunk) =>
      request("GET", "/cmdb/cis", CiPageSchema, { query: { ids: chunk.join(","), limit: IDS_PER_REQUEST } }),
    ),
  );
  return pages.flatMap((p) => p.items);
}

/** The list's filters, as the export takes them. */
export type CiExportFilters = Pick<
  CiListParams,
  "classId" | "q" | "organizationId" | "incidentState" | "deploymentStateId" | "attribute"
>;

/** Where the CIs these filters find download from, as a CSV or XLSX file that imports back. */
export function ciExportUrl(filters: CiExportFilters, format: "csv" | "xlsx"): string {
  const params = new URLSearchParams();
  const ordered = ["classId", "q", "organizationId", "incidentState", "deploymentStateId", "attribute"] as const;
  for (const key of ordered) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  params.set("format", format);
  return `/api/v1/cmdb/cis/export?${params.toString()}`;
}
export const getCi = (ciId: string) => request("GET", `/cmdb/cis/${id(ciId)}`, CiSchema);
export const createCi = (body: CiCreate) => request("POST", "/cmdb/cis", CiSchema, { body });
export const updateCi = (ciId: string, body: CiUpdate) => request("PATCH", `/cmdb/cis/${id(ciId)}`, CiSchema, { body });
export const listCiVersions = (ciId: string) => request("GET", `/cmdb/cis/${id(ciId)}/versions`, CiVersionListSchema);

// ---- relations, graph, impact ----
export const listRelationTypes = () => request("GET", "/cmdb/relation-types", RelationTypeListSchema);
export const createRelationType = (body: RelationTypeCreate) =>
  request("POST", "/cmdb/relation-types", RelationTypeSchema, { body });
export const listCiRelations = (ciId: string) => request("GET", `/cmdb/cis/${id(ciId)}/relations`, RelationListSchema);
export const createRelation = (body: { sourceId: string; targetId: string; type: string }) =>
  request("POST", "/cmdb/relations", RelationSchema, { body });
export const deleteRelation = (relationId: string) => requestVoid("DELETE", `/cmdb/relations/${id(relationId)}`);
export const getCiGraph = (ciId: string, depth: number) =>
  request("GET", `/cmdb/cis/${id(ciId)}/graph`, GraphSchema, { query: { depth } });
export const getCiImpact = (ciId: string, direction: "downstream" | "upstream", depth: number) =>
  request("GET", `/cmdb/cis/${id(ciId)}/impact`, ImpactSchema, { query: { direction, depth } });

// ---- redundancy groups ----
export const listRedundancyGroups = (ciId: string) =>
  request("GET", `/cmdb/cis/${id(ciId)}/redundancy-groups`, RedundancyGroupListSchema);
export const createRedundancyGroup = (body: RedundancyGroupCreate) =>
  request("POST", "/cmdb/redundancy-groups", RedundancyGroupSchema, { body });
export const deleteRedundancyGroup = (groupId: string) =>
  requestVoid("DELETE", `/cmdb/redundancy-groups/${id(groupId)}`);

// ---- tickets ↔ CIs ----
export const listTicketCis = (ticketId: string) => request("GET", `/tickets/${id(ticketId)}/cis`, TicketCiListSchema);
export const setTicketCis = (ticketId: string, ciIds: string[]) =>
  request("PUT", `/tickets/${id(ticketId)}/cis`, TicketCiListSchema, { body: { ciIds } });
