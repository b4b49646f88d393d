import { z } from "zod";
import {
  type ApprovalDecisionSchema,
  type ApprovalSchema,
  type ApproverSetStatusSchema,
  AssessmentSchema,
  type AssessRequestSchema,
  CabTemplateListSchema,
  type CabTemplateSchema,
  type Change,
  ChangeApprovalsSchema,
  type ChangeCreateSchema,
  ChangePageSchema,
  ChangeSchema,
  type ChangeSettings,
  ChangeSettingsSchema,
  type ChangeState,
  ChangeTemplatePageSchema,
  ChangeTemplateSchema,
  type ChangeType,
  type ChangeUpdate,
  ConflictListSchema,
  type ConflictSchema,
  ReviewSchema,
  type ReviewUpdateSchema,
  type RiskLevel,
  type WorkOrderCreateSchema,
  WorkOrderListSchema,
  WorkOrderSchema,
  type WorkOrderUpdateSchema,
} from "../../../common/changes.ts";
import { request, requestVoid } from "./client.ts";

const id = encodeURIComponent;

export type { Change, ChangeSettings, ChangeState, ChangeType, RiskLevel };
export type ChangeCreateBody = z.input<typeof ChangeCreateSchema>;
export type ChangeUpdateBody = ChangeUpdate;
export type Assessment = z.infer<typeof AssessmentSchema>;
export type AssessRequest = z.input<typeof AssessRequestSchema>;
export type ApproverSetStatus = z.infer<typeof ApproverSetStatusSchema>;
export type Approval = z.infer<typeof ApprovalSchema>;
export type ChangeApprovals = z.infer<typeof ChangeApprovalsSchema>;
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;
export type Conflict = z.infer<typeof ConflictSchema>;
export type ConflictList = z.infer<typeof ConflictListSchema>;
export type WorkOrder = z.infer<typeof WorkOrderSchema>;
export type WorkOrderCreate = z.input<typeof WorkOrderCreateSchema>;
export type WorkOrderUpdate = z.input<typeof WorkOrderUpdateSchema>;
export type ChangeTemplate = z.infer<typeof ChangeTemplateSchema>;
export type CabTemplate = z.infer<typeof CabTemplateSchema>;
export type Review = z.infer<typeof ReviewSchema>;
export type ReviewUpdate = z.input<typeof ReviewUpdateSchema>;
export type Outage = Change["outage"];

/** Query keys: everything about changes sits under one root, so a write can refresh what depends on it. */
export const changeKeys = {
  root: ["changes"] as const,
  lists: ["changes", "list"] as const,
  list: (filters: ChangeListFilters) => ["changes", "list", filters] as const,
  detail: (changeId: string) => ["changes", "detail", changeId] as const,
  approvals: (changeId: string) => ["changes", "approvals", changeId] as const,
  workOrders: (changeId: string) => ["changes", "work-orders", changeId] as const,
  conflicts: (changeId: string) => ["changes", "conflicts", changeId] as const,
  assessment: (changeId: string) => ["changes", "assessment", changeId] as const,
  review: (changeId: string) => ["changes", "review", changeId] as const,
  myApprovals: ["changes", "my-approvals"] as const,
  /** A what-if assessment of a form's answers; not under the root, no write invalidates it. */
  assess: (body: AssessRequest) => ["change-assess", body] as const,
  templates: ["change-templates"] as const,
  template: (templateId: string) => ["change-templates", templateId] as const,
  settings: ["change-settings"] as const,
  cabTemplates: ["cab-templates"] as const,
};

// ---- changes ----
export interface ChangeListFilters {
  state?: ChangeState[] | undefined;
  type?: ChangeType | undefined;
  riskLevel?: RiskLevel | undefined;
  ciId?: string | undefined;
}

export const listChanges = (filters: ChangeListFilters, cursor?: string, limit = 50) =>
  request("GET", "/changes", ChangePageSchema, {
    query: {
      state: filters.state?.length ? filters.state.join(",") : undefined,
      type: filters.type,
      riskLevel: filters.riskLevel,
      ciId: filters.ciId,
      cursor,
      limit,
    },
  });
export const getChange = (changeId: string) => request("GET", `/changes/${id(changeId)}`, ChangeSchema);
export const createChange = (body: ChangeCreateBody) => request("POST", "/changes", ChangeSchema, { body });
export const updateChange = (changeId: string, body: ChangeUpdate) =>
  request("PATCH", `/changes/${id(changeId)}`, ChangeSchema, { body });
export const transitionChange = (changeId: string, body: { to: ChangeState; reason?: string; version?: number }) =>
  request("POST", `/changes/${id(changeId)}/transitions`, ChangeSchema, { body });

/** What the answers so far would reach and how risky they are, before anything is saved. */
export const assessChange = (body: AssessRequest, signal?: AbortSignal) =>
  request("POST", "/changes/assess", AssessmentSchema, { body, ...(signal ? { signal } : {}) });
export const getAssessment = (changeId: string) =>
  request("GET", `/changes/${id(changeId)}/assessment`, AssessmentSchema);

// ---- CAB ----
export const getApprovals = (changeId: string) =>
  request("GET", `/changes/${id(changeId)}/approvals`, ChangeApprovalsSchema);
export const decideOnChange = (changeId: string, body: ApprovalDecision) =>
  request("POST", `/changes/${id(changeId)}/approvals`, ChangeApprovalsSchema, { body });
export const listMyApprovals = () => request("GET", "/me/approvals", z.object({ items: z.array(ChangeSchema) }));
export const listCabTemplates = () => request("GET", "/cab-templates", CabTemplateListSchema);
export const addCab = (changeId: string, templateId: string) =>
  requestVoid("POST", `/changes/${id(changeId)}/cab`, { body: { templateId } });
export const removeCab = (changeId: string, setId: string) =>
  requestVoid("DELETE", `/changes/${id(changeId)}/cab/${id(setId)}`);

// ---- schedule conflicts ----
export const getConflicts = (changeId: string) =>
  request("GET", `/changes/${id(changeId)}/conflicts`, ConflictListSchema);
export const overrideConflicts = (changeId: string, reason: string) =>
  request("POST", `/changes/${id(changeId)}/conflicts/override`, ConflictListSchema, { body: { reason } });

// ---- work orders ----
export const listWorkOrders = (changeId: string) =>
  request("GET", `/changes/${id(changeId)}/work-orders`, WorkOrderListSchema);
export const createWorkOrder = (changeId: string, body: WorkOrderCreate) =>
  request("POST", `/changes/${id(changeId)}/work-orders`, WorkOrderSchema, { body });
export const updateWorkOrder = (changeId: string, workOrderId: string, body: WorkOrderUpdate) =>
  request("PATCH", `/changes/${id(changeId)}/work-orders/${id(workOrderId)}`, WorkOrderSchema, { body });

// ---- post-implementation review ----
export const getReview = (changeId: string) => request("GET", `/changes/${id(changeId)}/review`, ReviewSchema);
export const saveReview = (changeId: string, body: ReviewUpdate) =>
  request("PUT", `/changes/${id(changeId)}/review`, ReviewSchema, { body });

// ---- templates and settings ----
/** Every template the caller may use (they are few; pages are followed to the end). */
export async function listChangeTemplates(): Promise<{ items: ChangeTemplate[] }> {
  const items: ChangeTemplate[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await request("GET", "/change-templates", ChangeTemplatePageSchema, { query: { limit: 200, cursor } });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { items };
}
export const getChangeTemplate = (templateId: string) =>
  request("GET", `/change-templates/${id(templateId)}`, ChangeTemplateSchema);
export const getChangeSettings = () => request("GET", "/change-settings", ChangeSettingsSchema);
