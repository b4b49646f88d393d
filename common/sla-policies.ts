import { z } from "zod";
import { IdSchema, ListQueryBase, pageOf, TimestampSchema, VersionSchema } from "./api.ts";
import { HOLD_REASONS, TICKET_TYPES } from "./workflows.ts";

const minutes = z
  .number()
  .int()
  .min(1)
  .max(525_600 * 5);

export const SlaMatchSchema = z.strictObject({
  types: z.array(z.enum(TICKET_TYPES)).max(3).optional(),
  priorities: z
    .array(z.enum(["P1", "P2", "P3", "P4"]))
    .max(4)
    .optional(),
  organizationIds: z.array(IdSchema).max(500).optional(),
  categoryIds: z.array(IdSchema).max(500).optional(),
  serviceIds: z
    .array(IdSchema)
    .max(500)
    .optional()
    .describe("Business service CIs: the policy applies to tickets that affect one of them"),
});

export const SlaTargetsSchema = z
  .strictObject({
    firstResponseMinutes: minutes.optional(),
    resolutionMinutes: minutes.optional(),
    nextResponseMinutes: minutes.optional(),
  })
  .refine((t) => Object.values(t).some((v) => v !== undefined), "name at least one target");

export const PauseRuleSchema = z.strictObject({
  state: z.string().min(1).max(40),
  reason: z.enum(HOLD_REASONS).optional(),
});

/** What happens to a ticket when one of its clocks breaches, per target. */
const BreachActionSchema = z.strictObject({
  raisePriority: z.boolean().optional().describe("Raise the priority one step (P4 → P3 …), once"),
  groupId: IdSchema.optional().describe("Reassign to this group"),
});
export const BreachActionsSchema = z.strictObject({
  first_response: BreachActionSchema.optional(),
  resolution: BreachActionSchema.optional(),
  next_response: BreachActionSchema.optional(),
});
export type BreachActions = z.infer<typeof BreachActionsSchema>;

export const DEFAULT_PAUSE_ON = [
  { state: "on_hold", reason: "awaiting_customer" as const },
  { state: "on_hold", reason: "awaiting_vendor" as const },
];

export const SlaPolicyCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  calendarId: IdSchema,
  order: z.number().int().min(0).max(100_000),
  match: SlaMatchSchema.default({}),
  targets: SlaTargetsSchema,
  warningPercent: z.number().int().min(1).max(99).default(80),
  pauseOn: z.array(PauseRuleSchema).max(20).optional().describe("Default: on hold awaiting customer or vendor"),
  breachActions: BreachActionsSchema.default({}),
  active: z.boolean().default(true),
});
export type SlaPolicyCreate = z.infer<typeof SlaPolicyCreateSchema>;

export const SlaPolicyUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  calendarId: IdSchema.optional(),
  order: z.number().int().min(0).max(100_000).optional(),
  match: SlaMatchSchema.optional(),
  targets: SlaTargetsSchema.optional(),
  warningPercent: z.number().int().min(1).max(99).optional(),
  pauseOn: z.array(PauseRuleSchema).max(20).optional(),
  breachActions: BreachActionsSchema.optional(),
  active: z.boolean().optional(),
});
export type SlaPolicyUpdate = z.infer<typeof SlaPolicyUpdateSchema>;

export const SlaPolicySchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  name: z.string(),
  calendarId: IdSchema,
  order: z.number().int(),
  match: z.object({
    types: z.array(z.string()).optional(),
    priorities: z.array(z.string()).optional(),
    organizationIds: z.array(IdSchema).optional(),
    categoryIds: z.array(IdSchema).optional(),
    serviceIds: z.array(IdSchema).optional(),
  }),
  targets: z.object({
    firstResponseMinutes: z.number().int().optional(),
    resolutionMinutes: z.number().int().optional(),
    nextResponseMinutes: z.number().int().optional(),
  }),
  warningPercent: z.number().int(),
  pauseOn: z.array(z.object({ state: z.string(), reason: z.string().optional() })),
  breachActions: z.record(
    z.string(),
    z.object({ raisePriority: z.boolean().optional(), groupId: IdSchema.optional() }),
  ),
  active: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  abilities: z.object({ update: z.boolean() }),
});
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;
export const SlaPolicyListSchema = pageOf(SlaPolicySchema);
export const SlaPolicyListQuerySchema = z.strictObject({ ...ListQueryBase });

const ClockSchema = z.object({
  target: z.enum(["first_response", "resolution", "next_response"]),
  status: z.enum(["running", "paused", "met", "breached"]),
  targetMinutes: z.number(),
  dueAt: TimestampSchema.nullable(),
  warningAt: TimestampSchema.nullable(),
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  warned: z.boolean().describe("The warning threshold has passed"),
  events: z.array(
    z.object({
      at: TimestampSchema,
      kind: z.enum(["start", "pause", "resume", "stop"]),
      detail: z.string().optional(),
    }),
  ),
});
export const TicketSlaSchema = z.object({
  policyId: IdSchema.nullable(),
  policyName: z.string().nullable(),
  calendar: z
    .object({
      id: IdSchema,
      timezone: z.string().describe("IANA time zone the working hours are counted in"),
      always: z.boolean().describe("24×7: every minute counts"),
    })
    .nullable(),
  clocks: z.array(ClockSchema),
});
export type TicketSla = z.infer<typeof TicketSlaSchema>;
