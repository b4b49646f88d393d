import type { z } from "zod";
import {
  type ApproverSetCreateSchema,
  ApproverSetListSchema,
  ApproverSetSchema,
  type ApproverSetUpdateSchema,
  type BlackoutWindowCreateSchema,
  BlackoutWindowListSchema,
  BlackoutWindowSchema,
  type CabTemplateCreateSchema,
  CabTemplateListSchema,
  CabTemplateSchema,
  CHANGE_STATES,
  type ChangeCalendarQuerySchema,
  ChangeCalendarSchema,
  ChangeReportSchema,
  ChangeSettingsSchema,
  type ChangeSettingsUpdateSchema,
  type ChangeState,
  type ChangeTemplateCreateSchema,
  ChangeTemplatePageSchema,
  ChangeTemplateSchema,
  type ChangeTemplateUpdateSchema,
  type ChangeType,
  type MaintenanceWindowCreateSchema,
  MaintenanceWindowListSchema,
  MaintenanceWindowSchema,
} from "../../../common/changes.ts";
import { request, requestVoid } from "./client.ts";

const id = encodeURIComponent;

export type ChangeCalendar = z.infer<typeof ChangeCalendarSchema>;
export type CalendarChange = ChangeCalendar["changes"][number];
export type CalendarConflict = CalendarChange["conflicts"][number];
export type CalendarMaintenance = ChangeCalendar["maintenance"][number];
export type CalendarBlackout = ChangeCalendar["blackouts"][number];
export type ChangeReport = z.infer<typeof ChangeReportSchema>;
export type ChangeSettings = z.infer<typeof ChangeSettingsSchema>;
export type ChangeSettingsUpdate = z.input<typeof ChangeSettingsUpdateSchema>;
export type ChangeTemplate = z.infer<typeof ChangeTemplateSchema>;
export type ChangeTemplateCreate = z.input<typeof ChangeTemplateCreateSchema>;
export type ChangeTemplateUpdate = z.input<typeof ChangeTemplateUpdateSchema>;
export type ApproverSet = z.infer<typeof ApproverSetSchema>;
export type ApproverSetCreate = z.input<typeof ApproverSetCreateSchema>;
export type ApproverSetUpdate = z.input<typeof ApproverSetUpdateSchema>;
export type CabTemplate = z.infer<typeof CabTemplateSchema>;
export type CabTemplateCreate = z.input<typeof CabTemplateCreateSchema>;
export type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;
export type MaintenanceWindowCreate = z.input<typeof MaintenanceWindowCreateSchema>;
export type BlackoutWindow = z.infer<typeof BlackoutWindowSchema>;
export type BlackoutWindowCreate = z.input<typeof BlackoutWindowCreateSchema>;

/** The calendar's query as the page holds it; `state` is sent comma-separated. */
export interface CalendarParams {
  from: string;
  to: string;
  serviceId?: string | undefined;
  ciId?: string | undefined;
  groupId?: string | undefined;
  type?: ChangeType | undefined;
  state?: ChangeState[] | undefined;
}

/**
 * Query keys. The calendar and the report sit under "changes", so anything that writes a change and
 * invalidates that root refreshes them too; the admin resources each have their own root.
 */
export const changeAdminKeys = {
  calendar: (params: CalendarParams) => ["changes", "calendar", params] as const,
  calendarRoot: ["changes", "calendar"] as const,
  report: (from: string, to: string) => ["changes", "report", from, to] as const,
  settings: ["change-settings"] as const,
  templates: ["change-templates"] as const,
  approverSets: ["change-approver-sets"] as const,
  cabTemplates: ["cab-templates"] as const,
  maintenanceWindows: ["maintenance-windows"] as const,
  blackoutWindows: ["blackout-windows"] as const,
};

// ---- calendar and report ----

/** Keeps the query within what the server takes (states it knows, in a stable order). */
function calendarQuery(params: CalendarParams): z.input<typeof ChangeCalendarQuerySchema> {
  const states = CHANGE_STATES.filter((s) => params.state?.includes(s));
  return {
    from: params.from,
    to: params.to,
    serviceId: params.serviceId,
    ciId: params.ciId,
    groupId: params.groupId,
    type: params.type,
    state: states.length ? states.join(",") : undefined,
  };
}

/** Changes planned in [from, to) (at most 62 days), with their conflicts, and the windows in that range. */
export const getChangeCalendar = (params: CalendarParams, signal?: AbortSignal) =>
  request("GET", "/changes/calendar", ChangeCalendarSchema, { query: { ...calendarQuery(params) }, signal });

export const getChangeReport = (from: string, to: string) =>
  request("GET", "/changes/report", ChangeReportSchema, { query: { from, to } });

// ---- settings ----

export const getChangeSettings = () => request("GET", "/change-settings", ChangeSettingsSchema);
export const saveChangeSettings = (body: ChangeSettingsUpdate) =>
  request("PUT", "/change-settings", ChangeSettingsSchema, { body });

// ---- standard change templates ----

/** Templates by name, a page at a time. */
export const listChangeTemplates = (params: { cursor?: string | undefined; limit?: number }) =>
  request("GET", "/change-templates", ChangeTemplatePageSchema, { query: { ...params } });
export const getChangeTemplate = (templateId: string) =>
  request("GET", `/change-templates/${id(templateId)}`, ChangeTemplateSchema);
export const createChangeTemplate = (body: ChangeTemplateCreate) =>
  request("POST", "/change-templates", ChangeTemplateSchema, { body });
export const updateChangeTemplate = (templateId: string, body: ChangeTemplateUpdate) =>
  request("PATCH", `/change-templates/${id(templateId)}`, ChangeTemplateSchema, { body });
export const approveChangeTemplate = (templateId: string) =>
  request("POST", `/change-templates/${id(templateId)}/approve`, ChangeTemplateSchema);

// ---- CAB: approver sets and CAB templates ----

export const listApproverSets = () => request("GET", "/change-approver-sets", ApproverSetListSchema);
export const createApproverSet = (body: ApproverSetCreate) =>
  request("POST", "/change-approver-sets", ApproverSetSchema, { body });
export const updateApproverSet = (setId: string, body: ApproverSetUpdate) =>
  request("PATCH", `/change-approver-sets/${id(setId)}`, ApproverSetSchema, { body });

export const listCabTemplates = () => request("GET", "/cab-templates", CabTemplateListSchema);
export const createCabTemplate = (body: CabTemplateCreate) =>
  request("POST", "/cab-templates", CabTemplateSchema, { body });
export const deleteCabTemplate = (templateId: string) => requestVoid("DELETE", `/cab-templates/${id(templateId)}`);

// ---- maintenance and blackout windows ----

export const listMaintenanceWindows = () => request("GET", "/maintenance-windows", MaintenanceWindowListSchema);
export const createMaintenanceWindow = (body: MaintenanceWindowCreate) =>
  request("POST", "/maintenance-windows", MaintenanceWindowSchema, { body });
export const deleteMaintenanceWindow = (windowId: string) =>
  requestVoid("DELETE", `/maintenance-windows/${id(windowId)}`);

export const listBlackoutWindows = () => request("GET", "/blackout-windows", BlackoutWindowListSchema);
export const createBlackoutWindow = (body: BlackoutWindowCreate) =>
  request("POST", "/blackout-windows", BlackoutWindowSchema, { body });
export const deleteBlackoutWindow = (windowId: string) => requestVoid("DELETE", `/blackout-windows/${id(windowId)}`);
