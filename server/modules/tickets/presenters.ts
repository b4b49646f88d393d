import type { Article, MailEnvelope, Ticket } from "../../../common/tickets.ts";
import { ticketNumber } from "../../../common/workflows.ts";
import type { ArticleRow, TicketRow } from "../../db/types.ts";
import { allowedTransitions, canNote, canReply, canUpdateTicket, type TicketAccess } from "./policy.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentTicket(row: TicketRow, watcherIds: string[], access: TicketAccess): Ticket {
  return {
    id: row.id,
    version: row.version,
    type: row.type,
    number: ticketNumber(row.type, row.number),
    title: row.title,
    description: row.description,
    state: row.state,
    stateType: row.state_type,
    holdReason: row.hold_reason,
    impact: row.impact,
    urgency: row.urgency,
    priority: row.priority,
    categoryId: row.category_id,
    requesterId: row.requester_id,
    organizationId: row.organization_id,
    groupId: row.group_id,
    assigneeId: row.assignee_id,
    problemId: row.problem_id,
    mergedIntoId: row.merged_into_id,
    customFields: row.custom_fields ?? {},
    tags: row.tags,
    watcherIds,
    resolutionCode: row.resolution_code,
    resolution: row.resolution,
    rootCause: row.root_cause,
    workaround: row.workaround,
    firstResponseAt: iso(row.first_response_at),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    abilities: {
      update: canUpdateTicket(access, row),
      reply: canReply(access, row),
      note: canNote(access, row),
      transitions: allowedTransitions(access, row),
    },
  };
}

export interface Author {
  name: string;
  kind: "agent" | "customer";
}

export function presentArticle(row: ArticleRow, authors: Map<string, Author>): Article {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind,
    author: row.author_id
      ? { id: row.author_id, ...(authors.get(row.author_id) ?? { name: "Unknown", kind: "agent" as const }) }
      : null,
    body: row.body,
    event: row.event,
    timeSpentMinutes: row.time_spent_minutes,
    source: row.source,
    channel: row.channel,
    mail: (row.mail as MailEnvelope | null) ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
