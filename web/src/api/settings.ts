import type { z } from "zod";
import {
  CalendarAddResultSchema,
  type CalendarCreateSchema,
  CalendarPageSchema,
  CalendarSchema,
  type CalendarUpdateSchema,
} from "../../../common/calendars.ts";
import {
  type SlaPolicyCreateSchema,
  SlaPolicyListSchema,
  SlaPolicySchema,
  type SlaPolicyUpdateSchema,
  TicketSlaSchema,
} from "../../../common/sla-policies.ts";
import {
  type CategoryCreateSchema,
  CategorySchema,
  PriorityMatrixSchema,
  type PriorityMatrixUpdateSchema,
} from "../../../common/tickets.ts";
import { request } from "./client.ts";

const id = encodeURIComponent;

export interface PageParams {
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

// ---- business calendars ----

export const listCalendars = (params: PageParams) =>
  request("GET", "/calendars", CalendarPageSchema, { query: { ...params } });
export const getCalendar = (calendarId: string) => request("GET", `/calendars/${id(calendarId)}`, CalendarSchema);
// Bodies are what the schemas take (their input types): the server applies defaults and transforms.
export type CalendarBody = z.input<typeof CalendarCreateSchema>;
export const createCalendar = (body: CalendarBody) => request("POST", "/calendars", CalendarSchema, { body });
export const updateCalendar = (calendarId: string, body: z.input<typeof CalendarUpdateSchema>) =>
  request("PATCH", `/calendars/${id(calendarId)}`, CalendarSchema, { body });
/** When `minutes` working minutes after `start` (an ISO instant) have passed. */
export const addWorkingMinutes = (calendarId: string, body: { start: string; minutes: number }) =>
  request("POST", `/calendars/${id(calendarId)}/add`, CalendarAddResultSchema, { body });

// ---- SLA policies ----

export const listSlaPolicies = (params: PageParams) =>
  request("GET", "/sla-policies", SlaPolicyListSchema, { query: { ...params } });
export const getSlaPolicy = (policyId: string) => request("GET", `/sla-policies/${id(policyId)}`, SlaPolicySchema);
export type SlaPolicyBody = z.input<typeof SlaPolicyCreateSchema>;
export const createSlaPolicy = (body: SlaPolicyBody) => request("POST", "/sla-policies", SlaPolicySchema, { body });
export const updateSlaPolicy = (policyId: string, body: z.input<typeof SlaPolicyUpdateSchema>) =>
  request("PATCH", `/sla-policies/${id(policyId)}`, SlaPolicySchema, { body });

/** A ticket's SLA clocks as of now. */
export const getTicketSla = (ticketId: string) => request("GET", `/tickets/${id(ticketId)}/sla`, TicketSlaSchema);

// ---- priority matrix and categories ----

export const savePriorityMatrix = (body: z.input<typeof PriorityMatrixUpdateSchema>) =>
  request("PUT", "/priority-matrix", PriorityMatrixSchema, { body });
export const createCategory = (body: z.input<typeof CategoryCreateSchema>) =>
  request("POST", "/categories", CategorySchema, { body });
