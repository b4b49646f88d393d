import { z } from "zod";
import { ProblemSchema } from "../../common/api.ts";
import type { AnyRoute } from "./route.ts";

type JsonSchema = Record<string, unknown>;

function schemaOf(type: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
  return schema;
}

function parametersOf(type: z.ZodType | undefined, where: "path" | "query") {
  if (!type) return [];
  const schema = schemaOf(type, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (schema.required ?? []).includes(name),
    schema: s,
    ...(typeof s.description === "string" ? { description: s.description } : {}),
  }));
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** OpenAPI 3.1 from the route table: the same zod schemas that validate requests. */
export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    const responses: Record<string, unknown> = {
      [String(route.response.status)]: route.response.raw
        ? {
            description: route.response.description ?? "The file",
            content: { [route.response.raw.contentType]: { schema: { type: "string", format: "binary" } } },
          }
        : route.response.schema
          ? {
              description: route.response.description ?? "Success",
              content: { "application/json": { schema: schemaOf(route.response.schema, "output") } },
            }
          : { description: route.response.description ?? "Done, no content" },
      "400": problem("Invalid request: `errors` names each offending field"),
    };
    if (route.access !== "public") {
      responses["401"] = problem("Not authenticated");
      responses["403"] = problem("Authenticated but not allowed");
    }
    if (route.params) responses["404"] = problem("No such record, or not visible to you");
    if (route.method === "PATCH") responses["409"] = problem("Stale version: someone else changed the record");
    if (route.method !== "GET") responses["422"] = problem("Refers to something that does not exist or breaks a rule");
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: route.tags,
      operationId: `${route.method.toLowerCase()}${path
        .replace(/\/api\/v1|[{}]/g, "")
        .replace(/\/([a-z])/g, (_m, c: string) => c.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, "")}`,
      "x-steward-permission": route.access,
      security: route.access === "public" ? [] : [{ session: [] }, { bearer: [] }],
      parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
      ...(route.body
        ? {
            requestBody: { required: true, content: { "application/json": { schema: schemaOf(route.body, "input") } } },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Steward API",
      version: info.version,
      description:
        "IT service management. JSON in camelCase; records carry `id` and `version`; lists answer `{items, nextCursor}`; errors are RFC 9457 problem+json.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas: { Problem: schemaOf(ProblemSchema, "output") },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "steward_session",
          description: "Writes also need X-CSRF-Token",
        },
        bearer: { type: "http", scheme: "bearer", description: "API token from POST /api/v1/me/tokens" },
      },
    },
  };
}
