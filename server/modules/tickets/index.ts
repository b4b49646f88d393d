/** Service desk: incidents, service requests and problems. The only import surface. */
export { ticketRoutes } from "./routes.ts";
