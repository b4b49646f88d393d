import type { z } from "zod";
import { type Problem, ProblemSchema } from "../../../common/api.ts";

/** An answer from the API that was not a success, carrying its RFC 9457 problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field errors keyed by field name without the `body.` / `query.` prefix. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const field = e.field.replace(/^(body|query|params)\./, "");
      out[field] ??= e.message;
    }
    return out;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

let csrfFallback: string | null = null;

/** Remember the CSRF token from `Me` in case the readable cookie is unavailable. */
export function setCsrfToken(token: string | null): void {
  csrfFallback = token;
}

function csrfToken(): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === "steward_csrf") return decodeURIComponent(rest.join("="));
  }
  return csrfFallback;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

/** The problem+json of a failed response, or a generic one when the body is not that. */
export async function toApiError(response: Response): Promise<ApiError> {
  let parsed: Problem | null = null;
  try {
    const result = ProblemSchema.safeParse(await response.json());
    if (result.success) parsed = result.data;
  } catch {
    // not JSON: fall through to a generic problem
  }
  return new ApiError(
    parsed ?? {
      type: "about:blank",
      title: response.statusText || "Request failed",
      status: response.status,
      detail: `The server answered ${response.status}.`,
    },
  );
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") {
    const token = csrfToken();
    if (token) headers["X-CSRF-Token"] = token;
  }
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Steward could not be reached. Check your connection and try again.",
    });
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

/** Sends a request and parses the JSON answer with `schema`. */
export async function request<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const response = await send(method, path, options);
  const json: unknown = await response.json();
  const result = schema.safeParse(json);
  if (!result.success) {
    console.error(`Unexpected answer from ${method} ${path}`, result.error);
    throw new ApiError({
      type: "about:blank",
      title: "Unexpected answer",
      status: response.status,
      detail: `The server's answer to ${method} ${path} did not have the expected shape.`,
    });
  }
  return result.data;
}

/** Sends a request whose answer has no body (204). */
export async function requestVoid(method: string, path: string, options: RequestOptions = {}): Promise<void> {
  await send(method, path, options);
}
