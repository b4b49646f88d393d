import type { z } from "zod";
import { BulkResultSchema, type BulkSchema } from "../../../common/tickets.ts";
import { request } from "./client.ts";

export type BulkBody = z.input<typeof BulkSchema>;
export type BulkResult = z.infer<typeof BulkResultSchema>["results"][number];

/** One update, transition or merge on many tickets; the answer reports on each ticket (200, or its error). */
export const bulkTickets = (body: BulkBody) => request("POST", "/tickets/bulk", BulkResultSchema, { body });
