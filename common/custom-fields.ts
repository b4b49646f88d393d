import { z } from "zod";
import { IdSchema, VersionSchema } from "./api.ts";
import { TICKET_TYPES } from "./workflows.ts";

export const CUSTOM_FIELD_KINDS = ["text", "number", "date", "select", "multiselect", "checkbox", "user"] as const;

const options = z.array(z.string().trim().min(1).max(100)).max(200);

export const CustomFieldCreateSchema = z
  .strictObject({
    ticketType: z.enum(TICKET_TYPES),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "lower-case letters, digits and _; starts with a letter"),
    label: z.string().trim().min(1).max(100),
    kind: z.enum(CUSTOM_FIELD_KINDS),
    options: options.optional(),
    required: z.boolean().default(false),
    position: z.number().int().min(0).max(10_000).default(100),
  })
  .refine((d) => !["select", "multiselect"].includes(d.kind) || (d.options?.length ?? 0) > 0, {
    message: "a select needs options",
    path: ["options"],
  });

export const CustomFieldUpdateSchema = z.strictObject({
  version: VersionSchema.optional(),
  label: z.string().trim().min(1).max(100).optional(),
  options: options.optional(),
  required: z.boolean().optional(),
  active: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const CustomFieldSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  ticketType: z.enum(TICKET_TYPES),
  key: z.string(),
  label: z.string(),
  kind: z.enum(CUSTOM_FIELD_KINDS),
  options: z.array(z.string()),
  required: z.boolean(),
  active: z.boolean(),
  position: z.number().int(),
});
export type CustomField = z.infer<typeof CustomFieldSchema>;
export const CustomFieldListSchema = z.object({ items: z.array(CustomFieldSchema) });
export const CustomFieldListQuerySchema = z.strictObject({ ticketType: z.enum(TICKET_TYPES).optional() });
