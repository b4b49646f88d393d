/** CMDB: the general catalog, CI classes, versioned configuration items, relations and impact. The only import surface. */

export { isCatalogValue } from "./catalog.ts";
export { unreadableCis } from "./cis.ts";
export { findClassRef, isBusinessService } from "./classes.ts";
export { ciNames, ciRefs, findCiByRef, relationsAround } from "./graph.ts";
export { downstreamServices, servicesHitBy, simulateImpact } from "./impact.ts";
export { importFile } from "./import.ts";
export { incidentPropagationConsumer } from "./propagation.ts";
export { cmdbRoutes } from "./routes.ts";
