/** Service desk: incidents, service requests and problems. The only import surface. */

export { escalateDue, escalationPoller } from "./escalations.ts";
export { ticketRoutes } from "./routes.ts";
