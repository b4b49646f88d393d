import { IdParamsSchema } from "../../../common/api.ts";
import {
  SlaPolicyCreateSchema,
  SlaPolicyListQuerySchema,
  SlaPolicyListSchema,
  SlaPolicySchema,
  SlaPolicyUpdateSchema,
} from "../../../common/sla-policies.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import * as policies from "./policy-service.ts";

export function slaPolicyRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/v1/sla-policies",
      access: "sla.read",
      summary: "SLA policies in the order they are matched (first match wins)",
      tags: ["sla"],
      query: SlaPolicyListQuerySchema,
      response: { status: 200, schema: SlaPolicyListSchema },
      handler: ({ ctx, query }) => policies.listPolicies(deps, ctx, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/sla-policies",
      access: "sla.manage",
      summary: "Create an SLA policy",
      tags: ["sla"],
      body: SlaPolicyCreateSchema,
      response: { status: 201, schema: SlaPolicySchema },
      handler: ({ ctx, body }) => policies.createPolicy(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/sla-policies/:id",
      access: "sla.read",
      summary: "Read an SLA policy",
      tags: ["sla"],
      params: IdParamsSchema,
      response: { status: 200, schema: SlaPolicySchema },
      handler: ({ ctx, params }) => policies.getPolicy(deps, ctx, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/sla-policies/:id",
      access: "sla.manage",
      summary: "Edit an SLA policy (tickets follow on their next change)",
      tags: ["sla"],
      params: IdParamsSchema,
      body: SlaPolicyUpdateSchema,
      response: { status: 200, schema: SlaPolicySchema },
      handler: ({ ctx, params, body, ifMatch }) => policies.updatePolicy(deps, ctx, params.id, body, ifMatch),
    }),
  ];
}
