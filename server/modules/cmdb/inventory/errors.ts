import { AppError } from "../../../platform/errors.ts";

const TITLES: Record<InventoryErrorStatus, string> = {
  400: "Bad Request",
  413: "Content Too Large",
  415: "Unsupported Media Type",
};

export type InventoryErrorStatus = 400 | 413 | 415;

/**
 * A request an inventory agent sent that we refuse: 400 (malformed, not a
 * protocol message, refused XML constructs), 413 (over a size, depth or
 * decompression limit) or 415 (a Content-Type we do not take). An `AppError`,
 * so the route's error mapping turns it into problem+json as it is.
 */
export class InventoryError extends AppError {
  declare readonly status: InventoryErrorStatus;

  constructor(status: InventoryErrorStatus, detail: string) {
    super(status, TITLES[status], detail);
    this.name = "InventoryError";
  }
}

export const badRequest = (detail: string) => new InventoryError(400, detail);
export const tooLarge = (detail: string) => new InventoryError(413, detail);
export const unsupportedMediaType = (detail: string) => new InventoryError(415, detail);
