import type { z } from "zod";
import {
  type CustomFieldCreateSchema,
  CustomFieldListSchema,
  CustomFieldSchema,
  type CustomFieldUpdateSchema,
} from "../../../common/custom-fields.ts";
import type { TicketType } from "../../../common/workflows.ts";
import { request } from "./client.ts";

export type { CustomField } from "../../../common/custom-fields.ts";
export type CustomFieldCreate = z.input<typeof CustomFieldCreateSchema>;
export type CustomFieldUpdate = z.input<typeof CustomFieldUpdateSchema>;

/** One root for every custom-field query, so a write refreshes them all. */
export const customFieldsKey = ["custom-fields"] as const;

const id = encodeURIComponent;

export const listCustomFields = (ticketType?: TicketType) =>
  request("GET", "/custom-fields", CustomFieldListSchema, { query: { ticketType } });
export const createCustomField = (body: CustomFieldCreate) =>
  request("POST", "/custom-fields", CustomFieldSchema, { body });
export const updateCustomField = (fieldId: string, body: CustomFieldUpdate) =>
  request("PATCH", `/custom-fields/${id(fieldId)}`, CustomFieldSchema, { body });

/** There is no single-field read: the list (a few dozen fields) answers it. */
export async function getCustomField(fieldId: string) {
  const field = (await listCustomFields()).items.find((f) => f.id === fieldId);
  if (!field) throw new Error("This custom field no longer exists.");
  return field;
}
