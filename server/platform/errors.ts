/** Typed domain errors; mapped to RFC 9457 problem+json in one place (server/http/problem.ts). */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

export class NotFound extends AppError {
  constructor(what = "Resource") {
    super(404, "Not Found", `${what} not found`);
  }
}

export class Unauthorized extends AppError {
  constructor(detail = "Authentication required") {
    super(401, "Unauthorized", detail);
  }
}

export class Forbidden extends AppError {
  constructor(detail = "You are not allowed to do this") {
    super(403, "Forbidden", detail);
  }
}

export class Conflict extends AppError {
  constructor(detail: string, errors?: FieldError[]) {
    super(409, "Conflict", detail, errors);
  }
}

export class Invalid extends AppError {
  constructor(errors: FieldError[], detail = "The request is not valid") {
    super(422, "Unprocessable Content", detail, errors);
  }
}

export class TooManyRequests extends AppError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, "Too Many Requests", detail);
  }
}

/** A stale `version` on an update. */
export class StaleVersion extends Conflict {
  constructor(what: string, current: number) {
    super(`${what} was changed by someone else (now at version ${current}); reload and try again`, [
      { field: "body.version", message: `stale; current version is ${current}` },
    ]);
  }
}
