/** Audit trail (read side). Rows are written by platform/audit.ts inside each use case's transaction. */
export { auditRoutes } from "./routes.ts";
