/** Service desk: incidents, service requests and problems. The only import surface. */

export {
  affectedCiIds,
  changeAffectedCis,
  ciIdsWithOpenIncidents,
  incidentsOnCis,
  openTicketsOnCis,
} from "./affected-cis.ts";
export { autoCloseTask } from "./auto-close.ts";
export { escalationPoller } from "./escalations.ts";
export {
  addMailArticle,
  articleMail,
  attachMailFiles,
  createMailTicket,
  linkRelated,
  type MailTicket,
  mayFollowUp,
  setArticleMail,
  ticketById,
  ticketByNumber,
} from "./mail.ts";
export { ticketRoutes } from "./routes.ts";
export { editableTicket, readableTicketSummaries } from "./service.ts";
export { slaRecomputeConsumer } from "./sla-consumer.ts";
