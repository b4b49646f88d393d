import { z } from "zod";
import { IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";

/**
 * Change management as data: the workflows per change type, and the request
 * and response shapes shared by the server and the web app.
 */

export const CHANGE_TYPES = ["standard", "normal", "emergency"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_STATES = [
  "draft",
  "assessment",
  "authorization",
  "scheduled",
  "implementing",
  "rolled_back",
  "review",
  "closed",
  "rejected",
  "canceled",
] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

/** States after which nothing changes any more. */
export const FINAL_CHANGE_STATES: readonly ChangeState[] = ["closed", "rejected", "canceled"];

export interface ChangeTransition {
  from: readonly ChangeState[];
  to: ChangeState;
  /** Only the approval rules move a change here (approving or rejecting), never a person directly. */
  byApproval?: boolean;
}

const OPEN_BEFORE_WORK: readonly ChangeState[] = ["draft", "assessment", "authorization", "scheduled"];

export const CHANGE_WORKFLOWS: Readonly<Record<ChangeType, readonly ChangeTransition[]>> = {
  normal: [
    { from: ["draft"], to: "assessment" },
    { from: ["assessment"], to: "authorization" },
    { from: ["authorization"], to: "scheduled", byApproval: true },
    { from: ["authorization"], to: "rejected", byApproval: true },
    { from: ["scheduled"], to: "implementing" },
    { from: ["implementing"], to: "review" },
    { from: ["implementing"], to: "rolled_back" },
    { from: ["rolled_back"], to: "review" },
    { from: ["review"], to: "closed" },
    { from: ["assessment", "authorization"], to: "draft" },
    { from: ["draft", "assessment"], to: "rejected" },
    { from: OPEN_BEFORE_WORK, to: "canceled" },
  ],
  // Pre-approved: no CAB.
  standard: [
    { from: ["draft"], to: "scheduled" },
    { from: ["scheduled"], to: "implementing" },
    { from: ["implementing"], to: "review" },
    { from: ["implementing"], to: "rolled_back" },
    { from: ["rolled_back"], to: "review" },
    { from: ["review"], to: "closed" },
    { from: ["draft", "scheduled"], to: "canceled" },
  ],
  // The emergency CAB only; the review afterwards is mandatory.
  emergency: [
    { from: ["draft"], to: "authorization" },
    { from: ["authorization"], to: "scheduled", byApproval: true },
    { from: ["authorization"], to: "rejected", byApproval: true },
    { from: ["scheduled"], to: "implementing" },
    { from: ["implementing"], to: "review" },
    { from: ["implementing"], to: "rolled_back" },
    { from: ["rolled_back"], to: "review" },
    { from: ["review"], to: "closed" },
    { from: ["authorization"], to: "draft" },
    { from: ["draft", "authorization", "scheduled"], to: "canceled" },
  ],
};

export function changeTransition(type: ChangeType, from: ChangeState, to: ChangeState): ChangeTransition | undefined {
  return CHANGE_WORKFLOWS[type].find((t) => t.to === to && t.from.includes(from));
}

/** Where a person may move a change from `state` (approval-driven steps excluded). */
export function nextChangeStates(type: ChangeType, state: ChangeState): ChangeState[] {
  return CHANGE_WORKFLOWS[type].filter((t) => t.from.includes(state) && !t.byApproval).map((t) => t.to);
}

export const changeNumber = (n: number) => `CHG-${String(n).padStart(6, "0")}`;

const text = (max: number) => z.string().max(max);
export const OutageSchema = z.strictObject({
  kind: z.enum(["none", "partial", "full"]),
  minutes: z.number().int().min(0).max(525_600).optional(),
});

export const ChangeCreateSchema = z
  .strictObject({
    type: z.enum(CHANGE_TYPES),
    title: z.string().trim().min(1).max(300),
    description: text(20_000).default("").describe("What changes"),
    justification: text(20_000).default("").describe("Why"),
    requestedById: IdSchema.optional().describe("Who asked for it (default: you)"),
    ownerId: IdSchema.nullable().optional().describe("Who is responsible"),
    assigneeId: IdSchema.nullable().optional(),
    groupId: IdSchema.nullable().optional().describe("The implementer group"),
    plannedStart: TimestampSchema.nullable().optional(),
    plannedEnd: TimestampSchema.nullable().optional(),
    ciIds: z.array(IdSchema).max(500).default([]).describe("Affected CIs and services"),
    implementationPlan: text(50_000).default(""),
    testPlan: text(50_000).default(""),
    rollbackPlan: text(50_000).default(""),
    outage: OutageSchema.default({ kind: "none" }),
    categoryId: IdSchema.nullable().optional().describe('From the general catalog list "change_category"'),
    templateId: IdSchema.optional().describe("Standard changes: the approved template they are made from"),
    ticketIds: z.array(IdSchema).max(100).default([]).describe("Linked incidents and problems"),
    riskAnswers: z
      .record(z.string().max(40), z.boolean())
      .default({})
      .describe("Risk questionnaire: question id → yes/no"),
  })
  .refine((c) => c.type !== "standard" || c.templateId !== undefined, {
    message: "a standard change is made from an approved template",
    path: ["templateId"],
  })
  .refine((c) => !c.plannedStart || !c.plannedEnd || Date.parse(c.plannedStart) < Date.parse(c.plannedEnd), {
    message: "ends before it starts",
    path: ["plannedEnd"],
  });
export type ChangeCreate = z.infer<typeof ChangeCreateSchema>;

export const ChangeUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  title: z.string().trim().min(1).max(300).optional(),
  description: text(20_000).optional(),
  justification: text(20_000).optional(),
  ownerId: IdSchema.nullable().optional(),
  assigneeId: IdSchema.nullable().optional(),
  groupId: IdSchema.nullable().optional(),
  plannedStart: TimestampSchema.nullable().optional(),
  plannedEnd: TimestampSchema.nullable().optional(),
  ciIds: z.array(IdSchema).max(500).optional(),
  implementationPlan: text(50_000).optional(),
  testPlan: text(50_000).optional(),
  rollbackPlan: text(50_000).optional(),
  outage: OutageSchema.optional(),
  categoryId: IdSchema.nullable().optional(),
  ticketIds: z.array(IdSchema).max(100).optional(),
  riskAnswers: z.record(z.string().max(40), z.boolean()).optional(),
});
export type ChangeUpdate = z.infer<typeof ChangeUpdateSchema>;

export const ChangeTransitionSchema = z.strictObject({
  version: VersionSchema.optional(),
  to: z.enum(CHANGE_STATES),
  reason: z.string().trim().min(1).max(5000).optional(),
});

export const ApprovalDecisionSchema = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().min(1).max(5000),
});

export const ApprovalSchema = z.object({
  id: IdSchema,
  approverId: IdSchema,
  approverName: z.string(),
  decision: z.enum(["approve", "reject"]),
  comment: z.string(),
  planRevision: z.number().int().describe("The version of the plan that was approved"),
  withdrawn: z.boolean().describe("The plan, window or CIs changed after this decision"),
  createdAt: TimestampSchema,
});

export const ApproverSetStatusSchema = z.object({
  id: IdSchema,
  name: z.string(),
  rule: z.enum(["all", "any", "majority", "at_least"]),
  atLeast: z.number().int().nullable(),
  eligible: z.number().int().describe("Approvers in the set (the requester and owner excepted)"),
  changeOnly: z.boolean().describe("Added to this change from a CAB template (not a rule)"),
  approvers: z
    .array(z.object({ id: IdSchema, name: z.string(), decision: z.enum(["approve", "reject"]).nullable() }))
    .describe("Who may decide for this set, and their decision on the current plan"),
  approvals: z.number().int(),
  rejections: z.number().int(),
  status: z.enum(["waiting", "approved", "rejected"]),
});

export const ChangeSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  number: z.string(),
  type: z.enum(CHANGE_TYPES),
  state: z.enum(CHANGE_STATES),
  title: z.string(),
  description: z.string(),
  justification: z.string(),
  requestedById: IdSchema.nullable(),
  ownerId: IdSchema.nullable(),
  assigneeId: IdSchema.nullable(),
  groupId: IdSchema.nullable(),
  plannedStart: TimestampSchema.nullable(),
  plannedEnd: TimestampSchema.nullable(),
  actualStart: TimestampSchema.nullable(),
  actualEnd: TimestampSchema.nullable(),
  ciIds: z.array(IdSchema),
  implementationPlan: z.string(),
  testPlan: z.string(),
  rollbackPlan: z.string(),
  outage: OutageSchema,
  planRevision: z.number().int().describe("Bumped when the plan, the window or the CIs change"),
  categoryId: IdSchema.nullable(),
  templateId: IdSchema.nullable(),
  ticketIds: z.array(IdSchema).describe("Linked incidents and problems you may read"),
  riskAnswers: z.record(z.string(), z.boolean()),
  risk: z
    .object({
      score: z.number().int(),
      level: z.enum(["low", "medium", "high", "very_high"]),
      reasons: z.array(z.object({ label: z.string(), points: z.number().int() })),
      unanswered: z.array(z.string()),
    })
    .describe("Assessed from the questionnaire and the CIs' impact when they last changed"),
  serviceIds: z.array(IdSchema).describe("Business services hit, as last assessed"),
  reviewOutcome: z.enum(["successful", "partially_successful", "failed", "rolled_back"]).nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({
    update: z.boolean(),
    transitions: z.array(z.enum(CHANGE_STATES)),
    approve: z.boolean().describe("You may decide on it now"),
  }),
});
export type Change = z.infer<typeof ChangeSchema>;
export const ChangePageSchema = pageOf(ChangeSchema);

export const ChangeListQuerySchema = z.strictObject({
  ...ListQueryBase,
  state: z
    .string()
    .max(300)
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(z.enum(CHANGE_STATES)).min(1))
    .optional(),
  type: z.enum(CHANGE_TYPES).optional(),
  ciId: IdSchema.optional(),
  categoryId: IdSchema.optional(),
  groupId: IdSchema.optional(),
  ticketId: IdSchema.optional().describe("Changes linked to this incident or problem"),
  riskLevel: z.enum(["low", "medium", "high", "very_high"]).optional(),
  from: TimestampSchema.optional().describe("Planned windows ending after this instant"),
  to: TimestampSchema.optional().describe("Planned windows starting before this instant"),
});

export const ChangeApprovalsSchema = z.object({
  sets: z.array(ApproverSetStatusSchema),
  decisions: z.array(ApprovalSchema),
});

// ---- approver sets (CAB rules) ----
export const ApproverSetCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    types: z.array(z.enum(CHANGE_TYPES)).max(3).default([]).describe("Change types it applies to; empty = normal"),
    serviceIds: z
      .array(IdSchema)
      .max(500)
      .default([])
      .describe("Applies when the change affects one of these; empty = any"),
    riskLevels: z
      .array(z.enum(["low", "medium", "high", "very_high"]))
      .max(4)
      .default([])
      .describe("Applies at these risk levels; empty = any"),
    userIds: z.array(IdSchema).max(200).default([]),
    groupIds: z.array(IdSchema).max(50).default([]),
    rule: z.enum(["all", "any", "majority", "at_least"]),
    atLeast: z.number().int().min(1).max(200).optional(),
  })
  .refine((s) => (s.rule === "at_least") === (s.atLeast !== undefined), {
    message: "at_least takes atLeast (and only it does)",
    path: ["atLeast"],
  })
  .refine((s) => s.userIds.length + s.groupIds.length > 0, { message: "name approvers", path: ["userIds"] });
export const ApproverSetUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  types: z.array(z.enum(CHANGE_TYPES)).max(3).optional(),
  serviceIds: z.array(IdSchema).max(500).optional(),
  riskLevels: z
    .array(z.enum(["low", "medium", "high", "very_high"]))
    .max(4)
    .optional(),
  userIds: z.array(IdSchema).max(200).optional(),
  groupIds: z.array(IdSchema).max(50).optional(),
  rule: z.enum(["all", "any", "majority", "at_least"]).optional(),
  atLeast: z.number().int().min(1).max(200).nullable().optional(),
  active: z.boolean().optional(),
});
export const ApproverSetSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  types: z.array(z.enum(CHANGE_TYPES)),
  serviceIds: z.array(IdSchema),
  riskLevels: z.array(z.enum(["low", "medium", "high", "very_high"])),
  userIds: z.array(IdSchema),
  groupIds: z.array(IdSchema),
  rule: z.enum(["all", "any", "majority", "at_least"]),
  atLeast: z.number().int().nullable(),
  active: z.boolean(),
});
export const ApproverSetListSchema = z.object({ items: z.array(ApproverSetSchema) });

// ---- work orders ----
export const WORK_ORDER_STATES = ["created", "ready", "in_progress", "done", "failed", "canceled"] as const;
export type WorkOrderState = (typeof WORK_ORDER_STATES)[number];
/** created → ready → in_progress → done | failed; canceled from any open state. */
export const WORK_ORDER_FLOW: Readonly<Record<WorkOrderState, readonly WorkOrderState[]>> = {
  created: ["ready", "canceled"],
  ready: ["in_progress", "created", "canceled"],
  in_progress: ["done", "failed", "canceled"],
  done: [],
  failed: [],
  canceled: [],
};
export const OPEN_WORK_ORDER_STATES: readonly WorkOrderState[] = ["created", "ready", "in_progress"];

export const WorkOrderCreateSchema = z
  .strictObject({
    kind: z.enum(["implementation", "test", "rollback", "review"]),
    title: z.string().trim().min(1).max(300),
    instructions: z.string().max(20_000).default(""),
    assigneeId: IdSchema.nullable().optional(),
    plannedStart: TimestampSchema.nullable().optional(),
    plannedEnd: TimestampSchema.nullable().optional(),
    position: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .describe("Order among the change's work orders (default: last)"),
  })
  .refine((w) => !w.plannedStart || !w.plannedEnd || Date.parse(w.plannedStart) < Date.parse(w.plannedEnd), {
    message: "ends before it starts",
    path: ["plannedEnd"],
  });
export const WorkOrderUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  title: z.string().trim().min(1).max(300).optional(),
  instructions: z.string().max(20_000).optional(),
  assigneeId: IdSchema.nullable().optional(),
  state: z.enum(WORK_ORDER_STATES).optional(),
  plannedStart: TimestampSchema.nullable().optional(),
  plannedEnd: TimestampSchema.nullable().optional(),
});
export const WorkOrderSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  changeId: IdSchema,
  position: z.number().int(),
  kind: z.enum(["implementation", "test", "rollback", "review"]),
  title: z.string(),
  instructions: z.string(),
  state: z.enum(WORK_ORDER_STATES),
  assigneeId: IdSchema.nullable(),
  plannedStart: TimestampSchema.nullable(),
  plannedEnd: TimestampSchema.nullable(),
  actualStart: TimestampSchema.nullable(),
  actualEnd: TimestampSchema.nullable(),
});
export const WorkOrderListSchema = z.object({ items: z.array(WorkOrderSchema) });
export const WorkOrderParamsSchema = z.strictObject({ id: IdSchema, workOrderId: IdSchema });

// ---- windows, conflicts, gate ----
export const MaintenanceWindowCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    ciIds: z.array(IdSchema).max(500).default([]),
    serviceIds: z.array(IdSchema).max(500).default([]),
    start: TimestampSchema.optional().describe("A one-off window: start and end"),
    end: TimestampSchema.optional(),
    rrule: z.string().trim().min(1).max(500).optional().describe('A recurring window: e.g. "FREQ=WEEKLY;BYDAY=SU"'),
    dtstart: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "local date and time, YYYY-MM-DDTHH:MM")
      .optional()
      .describe("The first occurrence's local start, on the time zone's wall clock"),
    durationMinutes: z.number().int().min(1).max(527_040).optional(),
    timezone: z.string().max(100).optional(),
  })
  .refine((w) => w.ciIds.length + w.serviceIds.length > 0, { message: "name CIs or services", path: ["ciIds"] })
  .refine(
    (w) =>
      (w.rrule === undefined &&
        w.start !== undefined &&
        w.end !== undefined &&
        w.dtstart === undefined &&
        w.durationMinutes === undefined) ||
      (w.rrule !== undefined &&
        w.dtstart !== undefined &&
        w.durationMinutes !== undefined &&
        w.timezone !== undefined &&
        w.start === undefined &&
        w.end === undefined),
    { message: "give start and end, or rrule, dtstart, durationMinutes and timezone", path: ["rrule"] },
  )
  .refine((w) => !w.start || !w.end || Date.parse(w.start) < Date.parse(w.end), {
    message: "ends before it starts",
    path: ["end"],
  });
export const MaintenanceWindowSchema = z.object({
  id: IdSchema,
  name: z.string(),
  ciIds: z.array(IdSchema),
  serviceIds: z.array(IdSchema),
  start: TimestampSchema.nullable(),
  end: TimestampSchema.nullable(),
  rrule: z.string().nullable(),
  dtstart: z.string().nullable(),
  durationMinutes: z.number().int().nullable(),
  timezone: z.string().nullable(),
});
export const MaintenanceWindowListSchema = z.object({ items: z.array(MaintenanceWindowSchema) });

export const BlackoutWindowCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    start: TimestampSchema,
    end: TimestampSchema,
    serviceIds: z.array(IdSchema).max(500).default([]).describe("None: a global freeze"),
  })
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: "ends before it starts", path: ["end"] });
export const BlackoutWindowSchema = z.object({
  id: IdSchema,
  name: z.string(),
  serviceIds: z.array(IdSchema),
  start: TimestampSchema,
  end: TimestampSchema,
});
export const BlackoutWindowListSchema = z.object({ items: z.array(BlackoutWindowSchema) });

export const ConflictSchema = z.object({
  rule: z.enum(["same_ci", "related_ci", "outside_maintenance", "blackout", "assignee_busy"]),
  ciId: IdSchema.optional(),
  relatedCiId: IdSchema.optional(),
  otherChangeId: IdSchema.optional(),
  windowId: IdSchema.optional(),
  message: z.string(),
});
export const ConflictListSchema = z.object({
  conflicts: z.array(ConflictSchema),
  override: z
    .object({ reason: z.string(), byId: IdSchema.nullable() })
    .nullable()
    .describe("The owner's recorded override for the current plan, if any"),
});
export const ConflictOverrideSchema = z.strictObject({ reason: z.string().trim().min(1).max(5000) });

export const GateQuerySchema = z.strictObject({
  ci: z.string().trim().min(1).max(200).describe("A CI id, number (CI-000123) or exact name"),
  at: TimestampSchema.optional().describe("Default: now"),
});
export const GateSchema = z.object({
  allowed: z.boolean(),
  changeId: IdSchema.nullable(),
  reason: z.string(),
});

// ---- risk, impact and settings ----
export const RISK_LEVELS = ["low", "medium", "high", "very_high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RiskQuestionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "lower-case letters, digits and _"),
  text: z.string().trim().min(1).max(500),
  weight: z.number().int().min(0).max(100).describe("Points a yes adds to the score"),
});
export type RiskQuestion = z.infer<typeof RiskQuestionSchema>;

export const RiskThresholdsSchema = z
  .strictObject({
    medium: z.number().int().min(1).max(1000),
    high: z.number().int().min(1).max(1000),
    veryHigh: z.number().int().min(1).max(1000),
  })
  .refine((t) => t.medium < t.high && t.high < t.veryHigh, {
    message: "medium < high < veryHigh",
    path: ["high"],
  });

/** Admin settings of change management: the risk questionnaire, level thresholds and the review window. */
export const ChangeSettingsSchema = z.object({
  version: z.number().int(),
  riskQuestions: z.array(RiskQuestionSchema),
  riskThresholds: RiskThresholdsSchema,
  reviewWindowHours: z
    .number()
    .int()
    .describe("Incidents on the affected CIs this long after a change count as following it"),
});
export type ChangeSettings = z.infer<typeof ChangeSettingsSchema>;
export const ChangeSettingsUpdateSchema = z
  .strictObject({
    version: VersionSchema.optional(),
    riskQuestions: z.array(z.strictObject(RiskQuestionSchema.shape)).max(50),
    riskThresholds: RiskThresholdsSchema,
    reviewWindowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
  })
  .refine((s) => new Set(s.riskQuestions.map((q) => q.id)).size === s.riskQuestions.length, {
    message: "question ids must be unique",
    path: ["riskQuestions"],
  });

export const RiskAnswersSchema = z.record(z.string().max(40), z.boolean());

export const RiskSchema = z.object({
  score: z.number().int(),
  level: z.enum(RISK_LEVELS),
  reasons: z.array(z.object({ label: z.string(), points: z.number().int() })),
  unanswered: z.array(z.string()).describe("Ids of questions without an answer"),
});
export type Risk = z.infer<typeof RiskSchema>;

const ImpactRefSchema = z.object({ id: IdSchema, number: z.string(), name: z.string() });
export const ChangeImpactSchema = z.object({
  services: z.array(ImpactRefSchema).describe("Business services the affected CIs are or hit downstream"),
  organizations: z.array(z.object({ id: IdSchema, name: z.string() })).describe("Customers subscribed to them"),
  cisReached: z.number().int(),
});
export const AssessmentSchema = z.object({ impact: ChangeImpactSchema, risk: RiskSchema });
export type Assessment = z.infer<typeof AssessmentSchema>;
export const AssessRequestSchema = z.strictObject({
  type: z.enum(CHANGE_TYPES).default("normal"),
  ciIds: z.array(IdSchema).max(500).default([]),
  riskAnswers: RiskAnswersSchema.default({}),
  outage: OutageSchema.default({ kind: "none" }),
});

// ---- post-implementation review ----
export const REVIEW_OUTCOMES = ["successful", "partially_successful", "failed", "rolled_back"] as const;
export const ReviewUpdateSchema = z.strictObject({
  outcome: z.enum(REVIEW_OUTCOMES),
  notes: z.string().max(20_000).default(""),
});
export const ReviewSchema = z.object({
  outcome: z.enum(REVIEW_OUTCOMES).nullable(),
  notes: z.string(),
  reviewedById: IdSchema.nullable(),
  reviewedAt: TimestampSchema.nullable(),
  windowHours: z.number().int(),
  incidents: z
    .array(
      z.object({
        id: IdSchema,
        number: z.string(),
        title: z.string(),
        state: z.string(),
        createdAt: TimestampSchema,
      }),
    )
    .describe("Incidents opened on the affected CIs from the change's start until the review window after its end"),
});

// ---- standard change templates ----
const TemplateWorkOrderSchema = z.strictObject({
  kind: z.enum(["implementation", "test", "rollback", "review"]),
  title: z.string().trim().min(1).max(300),
  instructions: z.string().max(20_000).default(""),
});
export const ChangeTemplateCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(300).describe("Title of changes made from it"),
  description: text(20_000).default(""),
  justification: text(20_000).default(""),
  categoryId: IdSchema.nullable().optional(),
  ciIds: z.array(IdSchema).max(500).default([]),
  durationMinutes: z.number().int().min(1).max(43_200),
  implementationPlan: text(50_000).default(""),
  testPlan: text(50_000).default(""),
  rollbackPlan: z.string().trim().min(1).max(50_000),
  outage: OutageSchema.default({ kind: "none" }),
  workOrders: z.array(TemplateWorkOrderSchema).max(50).default([]),
});
export const ChangeTemplateUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  title: z.string().trim().min(1).max(300).optional(),
  description: text(20_000).optional(),
  justification: text(20_000).optional(),
  categoryId: IdSchema.nullable().optional(),
  ciIds: z.array(IdSchema).max(500).optional(),
  durationMinutes: z.number().int().min(1).max(43_200).optional(),
  implementationPlan: text(50_000).optional(),
  testPlan: text(50_000).optional(),
  rollbackPlan: z.string().trim().min(1).max(50_000).optional(),
  outage: OutageSchema.optional(),
  workOrders: z.array(TemplateWorkOrderSchema).max(50).optional(),
  active: z.boolean().optional(),
});
export const ChangeTemplateSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  justification: z.string(),
  categoryId: IdSchema.nullable(),
  ciIds: z.array(IdSchema),
  durationMinutes: z.number().int(),
  implementationPlan: z.string(),
  testPlan: z.string(),
  rollbackPlan: z.string(),
  outage: OutageSchema,
  workOrders: z.array(TemplateWorkOrderSchema),
  approved: z
    .boolean()
    .describe("Approved templates make pre-approved standard changes; any edit needs a new approval"),
  approvedById: IdSchema.nullable(),
  approvedAt: TimestampSchema.nullable(),
  active: z.boolean(),
});
export const ChangeTemplatePageSchema = pageOf(ChangeTemplateSchema);
export const ChangeTemplateListQuerySchema = z.strictObject({ ...ListQueryBase });

// ---- CAB templates: a saved board added to one change ----
export const CabTemplateCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    userIds: z.array(IdSchema).max(200).default([]),
    groupIds: z.array(IdSchema).max(50).default([]),
    rule: z.enum(["all", "any", "majority", "at_least"]),
    atLeast: z.number().int().min(1).max(200).optional(),
  })
  .refine((s) => (s.rule === "at_least") === (s.atLeast !== undefined), {
    message: "at_least takes atLeast (and only it does)",
    path: ["atLeast"],
  })
  .refine((s) => s.userIds.length + s.groupIds.length > 0, { message: "name approvers", path: ["userIds"] });
export const CabTemplateSchema = z.object({
  id: IdSchema,
  name: z.string(),
  userIds: z.array(IdSchema),
  groupIds: z.array(IdSchema),
  rule: z.enum(["all", "any", "majority", "at_least"]),
  atLeast: z.number().int().nullable(),
});
export const CabTemplateListSchema = z.object({ items: z.array(CabTemplateSchema) });
export const AddCabSchema = z.strictObject({ templateId: IdSchema });

// ---- calendar and report ----
export const ChangeCalendarQuerySchema = z
  .strictObject({
    from: TimestampSchema,
    to: TimestampSchema,
    serviceId: IdSchema.optional(),
    ciId: IdSchema.optional(),
    groupId: IdSchema.optional(),
    type: z.enum(CHANGE_TYPES).optional(),
    state: z
      .string()
      .max(300)
      .transform((v) => v.split(",").filter(Boolean))
      .pipe(z.array(z.enum(CHANGE_STATES)).min(1))
      .optional(),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: "ends before it starts", path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86_400_000, {
    message: "at most 62 days",
    path: ["to"],
  });
export const ChangeCalendarSchema = z.object({
  changes: z.array(
    z.object({
      id: IdSchema,
      number: z.string(),
      title: z.string(),
      type: z.enum(CHANGE_TYPES),
      state: z.enum(CHANGE_STATES),
      riskLevel: z.enum(RISK_LEVELS),
      groupId: IdSchema.nullable(),
      assigneeId: IdSchema.nullable(),
      start: TimestampSchema,
      end: TimestampSchema,
      conflicts: z.array(ConflictSchema).describe("Empty for closed, rejected and canceled changes"),
      overridden: z.boolean().describe("The owner accepted the current plan's conflicts"),
    }),
  ),
  maintenance: z.array(
    z.object({ windowId: IdSchema, name: z.string(), start: TimestampSchema, end: TimestampSchema }),
  ),
  blackouts: z.array(
    z.object({
      windowId: IdSchema,
      name: z.string(),
      start: TimestampSchema,
      end: TimestampSchema,
      global: z.boolean(),
    }),
  ),
  truncated: z.boolean(),
});

export const ChangeReportQuerySchema = z
  .strictObject({ from: TimestampSchema, to: TimestampSchema })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: "ends before it starts", path: ["to"] });
export const ChangeReportSchema = z.object({
  from: TimestampSchema,
  to: TimestampSchema,
  total: z.number().int().describe("Changes whose planned start falls in the range (canceled ones left out)"),
  byType: z.object({ standard: z.number().int(), normal: z.number().int(), emergency: z.number().int() }),
  emergencyShare: z.number().describe("0..1"),
  reviewed: z.number().int(),
  byOutcome: z.object({
    successful: z.number().int(),
    partially_successful: z.number().int(),
    failed: z.number().int(),
    rolled_back: z.number().int(),
  }),
  successRate: z.number().nullable().describe("Successful share of reviewed changes, 0..1; null when none"),
  followedByIncidents: z
    .number()
    .int()
    .describe("Implemented changes with incidents on their CIs within the review window"),
  months: z.array(
    z.object({
      month: z.string().describe("YYYY-MM (UTC)"),
      total: z.number().int(),
      emergency: z.number().int(),
      successful: z.number().int(),
      failed: z.number().int().describe("failed or rolled back"),
      followedByIncidents: z.number().int(),
    }),
  ),
});
