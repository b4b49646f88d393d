/** SLA: business calendars, policies and clocks. The only import surface. */

// ---- business calendars: the pure engine, and the stored calendars ----
export { type BusinessCalendar, compileCalendar } from "./calendar.ts";
export { calendarRoutes } from "./calendar-routes.ts";

// ---- SLA policies and clocks ----
export {
  type Clock,
  type ClockEvent,
  type ClockStatus,
  type ClockTarget,
  computeClocks,
  nextEscalation,
  type StateChange,
  type WorkingTime,
} from "./clocks.ts";
export { slaPolicyRoutes } from "./policy-routes.ts";
export { slaFor } from "./policy-service.ts";
