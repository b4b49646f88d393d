import type { FastifyRequest } from "fastify";
import { CiExportQuerySchema, ImportFieldsSchema, ImportReportSchema } from "../../../common/cmdb.ts";
import { BadRequest } from "../../http/problem.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import { exportCis, importFile } from "./import.ts";

const MAX_FILE = 20 * 1024 * 1024;

/** The multipart form of an import: one file and its fields. */
async function readForm(request: FastifyRequest): Promise<{ file: Buffer; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw new BadRequest([{ field: "body", message: "send multipart/form-data with a file and its fields" }]);
  }
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  for await (const part of request.parts()) {
    if (part.type === "file") {
      if (part.fieldname !== "file" || file) {
        throw new BadRequest([{ field: `body.${part.fieldname}`, message: "one file, in the field named file" }]);
      }
      file = await part.toBuffer();
      if (part.file.truncated) throw new BadRequest([{ field: "body.file", message: "larger than 20 MiB" }]);
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (!file || file.length === 0)
    throw new BadRequest([{ field: "body.file", message: "a CSV or XLSX file is required" }]);
  return { file, fields };
}

function parseMapping(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest([{ field: "body.mapping", message: "a JSON object of column → field" }]);
  }
  if (
    !value ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== "string")
  ) {
    throw new BadRequest([{ field: "body.mapping", message: "a JSON object of column → field" }]);
  }
  return value as Record<string, string>;
}

export function importRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "POST",
      url: "/api/v1/cmdb/imports",
      access: "cmdb.admin",
      summary:
        "Import CIs of a class from CSV or XLSX (multipart: file, classId, mapping?, identifiers?, dryRun — a dry run is the default)",
      tags: ["cmdb"],
      bodyLimit: MAX_FILE + 1024 * 1024,
      response: { status: 200, schema: ImportReportSchema },
      handler: async ({ ctx, request }) => {
        const { file, fields } = await readForm(request);
        const parsed = ImportFieldsSchema.safeParse(fields);
        if (!parsed.success) {
          throw new BadRequest(
            parsed.error.issues.map((i) => ({ field: `body.${i.path.join(".") || "form"}`, message: i.message })),
          );
        }
        return importFile(deps, ctx, file, {
          classId: parsed.data.classId,
          dryRun: parsed.data.dryRun,
          mapping: parseMapping(parsed.data.mapping),
          identifiers: parsed.data.identifiers
            ?.split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        });
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/cmdb/cis/export",
      access: "cmdb.read",
      summary: "The CIs the list filters find, as CSV or XLSX that imports back",
      tags: ["cmdb"],
      query: CiExportQuerySchema,
      response: {
        status: 200,
        raw: { contentType: "text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
      },
      handler: async ({ ctx, query, reply }) => {
        const { format, ...filters } = query;
        const out = await exportCis(deps, ctx, filters, format);
        return reply
          .code(200)
          .header("content-type", out.contentType)
          .header("content-disposition", `attachment; filename="${out.filename}"`)
          .header("cache-control", "no-store")
          .send(out.body);
      },
    }),
  ];
}
