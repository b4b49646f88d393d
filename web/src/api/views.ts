import type { z } from "zod";
import { type ViewCreateSchema, ViewListSchema, ViewSchema } from "../../../common/tickets.ts";
import { request, requestVoid } from "./client.ts";

/** A saved work-list view with its live count; `filters` has the work-list query's keys (arrays for lists). */
export type SavedView = z.infer<typeof ViewSchema>;
export type ViewCreate = z.input<typeof ViewCreateSchema>;
export type ViewFilters = ViewCreate["filters"];

export const listViews = () => request("GET", "/views", ViewListSchema);
export const createView = (body: ViewCreate) => request("POST", "/views", ViewSchema, { body });
export const deleteView = (viewId: string) => requestVoid("DELETE", `/views/${encodeURIComponent(viewId)}`);
