import { IdParamsSchema } from "../../../common/api.ts";
import {
  CalendarAddResultSchema,
  CalendarAddSchema,
  CalendarCreateSchema,
  CalendarElapsedResultSchema,
  CalendarElapsedSchema,
  CalendarListQuerySchema,
  CalendarPageSchema,
  CalendarSchema,
  CalendarUpdateSchema,
} from "../../../common/calendars.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import * as calendars from "./calendar-service.ts";

export function calendarRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/v1/calendars",
      access: "calendar.read",
      summary: "List business calendars",
      tags: ["calendars"],
      query: CalendarListQuerySchema,
      response: { status: 200, schema: CalendarPageSchema },
      handler: ({ ctx, query }) => calendars.listCalendars(deps, ctx, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/calendars",
      access: "calendar.manage",
      summary: "Create a business calendar: time zone, weekly working hours (empty = 24×7), holidays",
      tags: ["calendars"],
      body: CalendarCreateSchema,
      response: { status: 201, schema: CalendarSchema },
      handler: ({ ctx, body }) => calendars.createCalendar(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/calendars/:id",
      access: "calendar.read",
      summary: "Read a business calendar",
      tags: ["calendars"],
      params: IdParamsSchema,
      response: { status: 200, schema: CalendarSchema },
      handler: ({ ctx, params }) => calendars.getCalendar(deps, ctx, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/calendars/:id",
      access: "calendar.manage",
      summary: "Edit a business calendar; `hours` and `holidays` replace the whole list",
      tags: ["calendars"],
      params: IdParamsSchema,
      body: CalendarUpdateSchema,
      response: { status: 200, schema: CalendarSchema },
      handler: ({ ctx, params, body, ifMatch }) => calendars.updateCalendar(deps, ctx, params.id, body, ifMatch),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/calendars/:id/add",
      access: "calendar.read",
      summary: "The instant when `minutes` working minutes after `start` have passed",
      tags: ["calendars"],
      params: IdParamsSchema,
      body: CalendarAddSchema,
      response: { status: 200, schema: CalendarAddResultSchema },
      handler: ({ ctx, params, body }) => calendars.addMinutes(deps, ctx, params.id, body),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/calendars/:id/elapsed",
      access: "calendar.read",
      summary: "Working minutes between two instants (negative when `to` is before `from`)",
      tags: ["calendars"],
      params: IdParamsSchema,
      body: CalendarElapsedSchema,
      response: { status: 200, schema: CalendarElapsedResultSchema },
      handler: ({ ctx, params, body }) => calendars.elapsedMinutes(deps, ctx, params.id, body),
    }),
  ];
}
