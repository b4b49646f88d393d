import type { z } from "zod";
import {
  type ViewCreateSchema,
  ViewListSchema,
  type ViewOrderSchema,
  ViewSchema,
  type ViewUpdateSchema,
} from "../../../common/tickets.ts";
import { request, requestVoid } from "./client.ts";

/** A saved work-list view with its live count; `filters` has the work-list query's keys (arrays for lists). */
export type SavedView = z.infer<typeof ViewSchema>;
export type ViewCreate = z.input<typeof ViewCreateSchema>;
export type ViewFilters = ViewCreate["filters"];

const id = encodeURIComponent;

export const listViews = () => request("GET", "/views", ViewListSchema);
export const createView = (body: ViewCreate) => request("POST", "/views", ViewSchema, { body });
/** Rename a view or replace its filters (a personal view's owner; an administrator for a shared one). */
export const updateView = (viewId: string, body: z.input<typeof ViewUpdateSchema>) =>
  request("PATCH", `/views/${id(viewId)}`, ViewSchema, { body });
/** The caller's own order of the views they see; answers with the list in that order. */
export const orderViews = (body: z.input<typeof ViewOrderSchema>) =>
  request("PUT", "/views/order", ViewListSchema, { body });
export const deleteView = (viewId: string) => requestVoid("DELETE", `/views/${id(viewId)}`);
