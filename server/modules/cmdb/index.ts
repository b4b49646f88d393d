/** CMDB: the general catalog, CI classes, versioned configuration items, relations and impact. The only import surface. */

export { findClassRef, isBusinessService } from "./classes.ts";
export { importFile } from "./import.ts";
export { incidentPropagationConsumer } from "./propagation.ts";
export { cmdbRoutes } from "./routes.ts";
