/** Change management: requests for change, their workflow and CAB approvals. The only import surface. */

export { requiredSets } from "./approvals.ts";
export { changeRoutes } from "./routes.ts";
