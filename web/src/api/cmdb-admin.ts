import type { z } from "zod";
import { ProblemSchema } from "../../../common/api.ts";
import {
  type DiscoveryLogEntrySchema,
  DiscoveryLogPageSchema,
  type ImportReport,
  ImportReportSchema,
  InventoryKeyCreatedSchema,
  InventoryKeyListSchema,
  type InventoryKeySchema,
} from "../../../common/cmdb.ts";
import { ApiError, request, requestVoid } from "./client.ts";
import { ciExportUrl } from "./cmdb.ts";
import { fetchMe } from "./identity.ts";

const id = encodeURIComponent;

export type { ImportReport };
export type InventoryKey = z.infer<typeof InventoryKeySchema>;
export type InventoryKeyCreated = z.infer<typeof InventoryKeyCreatedSchema>;
export type DiscoveryLogEntry = z.infer<typeof DiscoveryLogEntrySchema>;
export type DiscoveryOutcome = DiscoveryLogEntry["outcome"];

/** Query keys under the CMDB root, so a CMDB-wide refresh reaches them too. */
export const cmdbAdminKeys = {
  inventoryKeys: ["cmdb", "inventory-keys"] as const,
  discoveryLog: ["cmdb", "discovery-log"] as const,
};

/** The largest file the import takes (the server refuses anything bigger). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

function cookieCsrf(): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === "steward_csrf") return decodeURIComponent(rest.join("="));
  }
  return null;
}

/**
 * Posts a multipart form (`request()` only sends JSON) with the session's CSRF token, and parses the
 * answer with `schema`. The browser writes the multipart boundary itself: no Content-Type is set here.
 */
export async function requestForm<S extends z.ZodType>(
  path: string,
  schema: S,
  form: FormData,
  signal?: AbortSignal,
): Promise<z.output<S>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = cookieCsrf() ?? (await fetchMe())?.csrfToken ?? null;
  if (token) headers["X-CSRF-Token"] = token;
  const init: RequestInit = { method: "POST", headers, body: form, credentials: "same-origin" };
  if (signal) init.signal = signal;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Steward could not be reached. Check your connection and try again.",
    });
  }
  let json: unknown = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    const problem = ProblemSchema.safeParse(json);
    throw new ApiError(
      problem.success
        ? problem.data
        : {
            type: "about:blank",
            title: response.statusText || "Request failed",
            status: response.status,
            detail: `The server answered ${response.status}.`,
          },
    );
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    console.error(`Unexpected answer from POST ${path}`, result.error);
    throw new ApiError({
      type: "about:blank",
      title: "Unexpected answer",
      status: response.status,
      detail: `The server's answer to POST ${path} did not have the expected shape.`,
    });
  }
  return result.data;
}

// ---- import and export ----

export interface ImportOptions {
  file: File;
  classId: string;
  dryRun: boolean;
  /** Column → field; "" skips a column. Left out, the server maps columns named like a field. */
  mapping?: Record<string, string> | undefined;
  /** Fields that find the CI a row updates; the server's default is the name. */
  identifiers?: string[] | undefined;
}

export function importCis(options: ImportOptions, signal?: AbortSignal): Promise<ImportReport> {
  const form = new FormData();
  form.set("classId", options.classId);
  form.set("dryRun", String(options.dryRun));
  if (options.mapping) form.set("mapping", JSON.stringify(options.mapping));
  if (options.identifiers?.length) form.set("identifiers", options.identifiers.join(","));
  // The file goes last: the server reads the fields as they stream in.
  form.set("file", options.file, options.file.name);
  return requestForm("/cmdb/imports", ImportReportSchema, form, signal);
}

/** Where a class's CIs download from, as a file that imports back. */
export const exportUrl = (classId: string, format: "csv" | "xlsx") => ciExportUrl({ classId }, format);

// ---- discovery ----

export const listInventoryKeys = () => request("GET", "/cmdb/inventory-keys", InventoryKeyListSchema);
export const createInventoryKey = (name: string) =>
  request("POST", "/cmdb/inventory-keys", InventoryKeyCreatedSchema, { body: { name } });
export const revokeInventoryKey = (keyId: string) => requestVoid("DELETE", `/cmdb/inventory-keys/${id(keyId)}`);

export interface DiscoveryLogParams {
  outcome?: DiscoveryOutcome | undefined;
  cursor?: string | undefined;
  limit?: number;
}
export const listDiscoveryLog = (params: DiscoveryLogParams) =>
  request("GET", "/cmdb/discovery-log", DiscoveryLogPageSchema, { query: { ...params } });

/** The address agents send their inventories to, on this server. */
export const inventoryUrl = () => `${window.location.origin}/api/v1/inventory`;
