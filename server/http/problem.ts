import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Problem } from "../../common/api.ts";
import { AppError, type FieldError, TooManyRequests } from "../platform/errors.ts";

const TYPE_BASE = "https://steward.dev/problems/";

export class BadRequest extends AppError {
  constructor(errors: FieldError[], detail = "The request has invalid fields") {
    super(400, "Bad Request", detail, errors);
  }
}

/** A body in a format the route does not take (only JSON routes have a body schema). */
export class UnsupportedMediaType extends AppError {
  constructor(detail = "Send the body as application/json") {
    super(415, "Unsupported Media Type", detail);
  }
}

/** zod issues → field errors named like `body.email`, `query.limit`. */
export function fieldErrors(where: "body" | "query" | "params" | "headers", error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      // One error per unknown key, named like any other field: `body.colour`.
      return issue.keys.map((key) => ({ field: [where, ...path, key].join("."), message: "unknown field" }));
    }
    return [{ field: [where, ...path].join("."), message: issue.message }];
  });
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .type("application/problem+json; charset=utf-8")
    .send({ ...problem, instance: request.url.split("?")[0], requestId: String(request.id) });
}

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** One place that turns every error into problem+json. A 500 is only ever our own fault. */
export function problemFor(error: unknown): Problem {
  if (error instanceof AppError) {
    return {
      type: TYPE_BASE + slug(error.title),
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  const fe = error as FastifyError & PgError;
  if (typeof fe?.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    const detail =
      fe.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? "The request body is too large"
        : fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
          ? "Send JSON with Content-Type: application/json"
          : fe instanceof SyntaxError || fe.code === "FST_ERR_CTP_INVALID_JSON_BODY"
            ? `The body is not valid JSON: ${fe.message}`
            : fe.message;
    const title =
      fe.statusCode === 413 ? "Content Too Large" : fe.statusCode === 415 ? "Unsupported Media Type" : "Bad Request";
    return { type: TYPE_BASE + slug(title), title, status: fe.statusCode, detail };
  }
  // Database constraint errors that slipped past a service's own checks are still the caller's mistake.
  if (fe?.code === "23505") {
    return {
      type: `${TYPE_BASE}conflict`,
      title: "Conflict",
      status: 409,
      detail: "A record with these values already exists",
    };
  }
  if (fe?.code === "23503" || fe?.code === "23514" || fe?.code === "22P02" || fe?.code === "22001") {
    return {
      type: `${TYPE_BASE}unprocessable-content`,
      title: "Unprocessable Content",
      status: 422,
      detail: "The request refers to something that does not exist or breaks a rule",
    };
  }
  return {
    type: `${TYPE_BASE}internal-server-error`,
    title: "Internal Server Error",
    status: 500,
    detail: "Something went wrong on our side; the request id identifies it in the log",
  };
}

export function retryAfter(error: unknown): number | undefined {
  return error instanceof TooManyRequests ? error.retryAfterSeconds : undefined;
}
