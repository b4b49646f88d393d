import { type Actor, can } from "../../platform/context.ts";

/**
 * Who may see and change SLA records. Pure functions of the actor. Calendars
 * are shared configuration: agents holding `calendar.read` read them (and ask
 * them for due times), holders of `calendar.manage` change them; customers
 * never see them.
 */

export function canReadCalendar(actor: Actor): boolean {
  return actor.kind === "agent" && can(actor, "calendar.read");
}

export function canManageCalendar(actor: Actor): boolean {
  return actor.kind === "agent" && can(actor, "calendar.manage");
}
