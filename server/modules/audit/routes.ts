import { AuditPageSchema, AuditQuerySchema } from "../../../common/identity.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import { listAudit } from "./service.ts";

export function auditRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/v1/audit",
      access: "audit.read",
      summary: "The audit trail, newest first; filter by entity or actor",
      tags: ["audit"],
      query: AuditQuerySchema,
      response: { status: 200, schema: AuditPageSchema },
      handler: ({ query }) => listAudit(deps, query),
    }),
  ];
}
