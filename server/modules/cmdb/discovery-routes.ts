import { IdParamsSchema } from "../../../common/api.ts";
import {
  DiscoveryLogPageSchema,
  DiscoveryLogQuerySchema,
  InventoryKeyCreatedSchema,
  InventoryKeyCreateSchema,
  InventoryKeyListSchema,
} from "../../../common/cmdb.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import {
  createInventoryKey,
  discoveryLog,
  INVENTORY_REALM,
  InventoryUnauthorized,
  listInventoryKeys,
  receiveInventory,
  revokeInventoryKey,
} from "./discovery.ts";

/** Compressed agent payloads are at most this big on the wire (they inflate tenfold; decoding has its own cap). */
const MAX_INVENTORY_BODY = 10 * 1024 * 1024;

export function discoveryRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "POST",
      url: "/api/v1/inventory",
      access: "public",
      summary:
        "Inventory agents (FusionInventory, OCS Inventory, GLPI agent) send here, with HTTP basic auth and an inventory key as the password",
      tags: ["cmdb"],
      bodyLimit: MAX_INVENTORY_BODY,
      response: { status: 200, raw: { contentType: "what the agent's protocol expects (zlib XML or JSON)" } },
      handler: async ({ request, reply }) => {
        const raw = request.body;
        const body = Buffer.isBuffer(raw)
          ? raw
          : Buffer.from(raw === undefined || raw === null ? "" : JSON.stringify(raw), "utf8");
        try {
          const answer = await receiveInventory(deps, {
            body,
            contentType: request.headers["content-type"],
            userAgent: request.headers["user-agent"],
            authorization: request.headers.authorization,
          });
          // The agents read the type exactly: no charset is added to it.
          return reply.code(200).header("content-type", answer.contentType).send(answer.body);
        } catch (error) {
          if (error instanceof InventoryUnauthorized) {
            reply.header("www-authenticate", `Basic realm="${INVENTORY_REALM}"`);
          }
          throw error;
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/cmdb/inventory-keys",
      access: "cmdb.admin",
      summary: "Inventory keys (never the keys themselves)",
      tags: ["cmdb"],
      response: { status: 200, schema: InventoryKeyListSchema },
      handler: () => listInventoryKeys(deps),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/cmdb/inventory-keys",
      access: "cmdb.admin",
      summary: "Create an inventory key; the key is shown once",
      tags: ["cmdb"],
      body: InventoryKeyCreateSchema,
      response: { status: 201, schema: InventoryKeyCreatedSchema },
      handler: ({ ctx, body }) => createInventoryKey(deps, ctx, body.name),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/v1/cmdb/inventory-keys/:id",
      access: "cmdb.admin",
      summary: "Revoke an inventory key",
      tags: ["cmdb"],
      params: IdParamsSchema,
      response: { status: 204 },
      handler: ({ ctx, params }) => revokeInventoryKey(deps, ctx, params.id),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/cmdb/discovery-log",
      access: "cmdb.admin",
      summary: "What each inventory run did: created, updated, unchanged, or a conflict for an administrator",
      tags: ["cmdb"],
      query: DiscoveryLogQuerySchema,
      response: { status: 200, schema: DiscoveryLogPageSchema },
      handler: ({ query }) => discoveryLog(deps, query),
    }),
  ];
}
