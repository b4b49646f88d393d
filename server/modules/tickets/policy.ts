import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { isTerminal, nextStates, type TicketType } from "../../../common/workflows.ts";
import type { DB } from "../../db/types.ts";
import { type Actor, can } from "../../platform/context.ts";

/**
 * Who may see and work a ticket. Agents: tickets of their groups, assigned to
 * them or watched by them (administrators: all). Customers: tickets they
 * requested, and their organization's when it shares tickets. Internal notes
 * are never shown to customers.
 */
export interface TicketAccess {
  actor: Actor;
  /** Active groups the agent belongs to. */
  groupIds: ReadonlySet<string>;
  /** The customer's organization shares tickets among its members. */
  organizationShared: boolean;
}

export interface TicketFacts {
  type: TicketType;
  state: string;
  group_id: string | null;
  assignee_id: string | null;
  requester_id: string | null;
  organization_id: string | null;
  merged_into_id: string | null;
}

export function canReadTicket(access: TicketAccess, t: TicketFacts, watcherIds: readonly string[]): boolean {
  const { actor } = access;
  if (!can(actor, "ticket.read")) return false;
  if (actor.kind === "customer") {
    if (t.requester_id === actor.id) return true;
    return access.organizationShared && t.organization_id !== null && t.organization_id === actor.organizationId;
  }
  if (actor.admin) return true;
  return (
    (t.group_id !== null && access.groupIds.has(t.group_id)) ||
    t.assignee_id === actor.id ||
    watcherIds.includes(actor.id)
  );
}

/** The same rule as SQL, for lists. */
export function visibleTickets(access: TicketAccess) {
  const { actor } = access;
  return (eb: ExpressionBuilder<DB, "tickets">): Expression<SqlBool> => {
    if (!can(actor, "ticket.read")) return sql<SqlBool>`false`;
    if (actor.kind === "customer") {
      const own = eb("tickets.requester_id", "=", actor.id);
      if (!access.organizationShared || !actor.organizationId) return own;
      return eb.or([own, eb("tickets.organization_id", "=", actor.organizationId)]);
    }
    if (actor.admin) return sql<SqlBool>`true`;
    const ors = [
      eb("tickets.assignee_id", "=", actor.id),
      eb(
        "tickets.id",
        "in",
        eb
          .selectFrom("ticket_watchers")
          .select("ticket_watchers.ticket_id")
          .where("ticket_watchers.user_id", "=", actor.id),
      ),
    ];
    if (access.groupIds.size) ors.push(eb("tickets.group_id", "in", [...access.groupIds]));
    return eb.or(ors);
  };
}

/** A merged ticket is read-only; closed and canceled ones too. */
function workable(t: TicketFacts): boolean {
  return t.merged_into_id === null && !isTerminal(t.type, t.state);
}

export function canUpdateTicket(access: TicketAccess, t: TicketFacts): boolean {
  return access.actor.kind === "agent" && can(access.actor, "ticket.update") && workable(t);
}

export function canNote(access: TicketAccess, t: TicketFacts): boolean {
  return canUpdateTicket(access, t);
}

export function canReply(access: TicketAccess, t: TicketFacts): boolean {
  if (!can(access.actor, "ticket.reply") || !workable(t)) return false;
  return access.actor.kind === "agent" ? can(access.actor, "ticket.update") : true;
}

/** States this caller may move the ticket to: agents follow the workflow; customers none. */
export function allowedTransitions(access: TicketAccess, t: TicketFacts): string[] {
  if (!canUpdateTicket(access, t)) return [];
  return nextStates(t.type, t.state).map((tr) => tr.to);
}

/** Customers raise incidents and service requests for themselves; agents raise anything. */
export function canCreateType(actor: Actor, type: TicketType): boolean {
  if (!can(actor, "ticket.create")) return false;
  return actor.kind === "agent" || type !== "problem";
}
