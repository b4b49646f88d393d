import { z } from "zod";

/** RFC 9457 problem details as Steward answers them. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z
    .array(
      z.object({
        field: z.string().describe("Dotted path of the offending field, e.g. body.email"),
        message: z.string(),
      }),
    )
    .optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const IdSchema = z.uuid();
export const IdParamsSchema = z.strictObject({ id: IdSchema });

export const TimestampSchema = z.iso.datetime({ offset: true });

/** Cursor-paginated list envelope: `{items, nextCursor}`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const ListQueryBase = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

/** Query strings carry booleans as text. */
export const BoolQuery = z.enum(["true", "false"]).transform((v) => v === "true");

/** `version` for optimistic concurrency: a PATCH must name the version it edits. */
export const VersionSchema = z.number().int().min(1);
