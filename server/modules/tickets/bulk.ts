import type { z } from "zod";
import type { BulkSchema } from "../../../common/tickets.ts";
import type { RequestContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import { mergeTicket } from "./links.ts";
import { getTicket, updateTicket } from "./service.ts";
import { transitionTicket } from "./transitions.ts";

type Bulk = z.infer<typeof BulkSchema>;

/**
 * One action on many tickets. Each ticket goes through the same use case (and
 * checks) as a single edit, in its own transaction; the answer reports per id.
 */
export async function bulk(deps: Deps, ctx: RequestContext, input: Bulk) {
  const results: { id: string; status: number; title?: string; detail?: string }[] = [];
  for (const id of [...new Set(input.ids)]) {
    try {
      if (input.update) {
        const current = await getTicket(deps, ctx, id);
        await updateTicket(deps, ctx, id, { ...input.update, version: current.version });
      } else if (input.transition) {
        await transitionTicket(deps, ctx, id, input.transition);
      } else if (input.mergeInto) {
        await mergeTicket(deps, ctx, id, input.mergeInto);
      }
      results.push({ id, status: 200 });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ id, status: error.status, title: error.title, detail: error.message });
    }
  }
  return { results };
}
