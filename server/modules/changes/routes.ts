import { z } from "zod";
import { IdParamsSchema } from "../../../common/api.ts";
import {
  ApprovalDecisionSchema,
  ApproverSetCreateSchema,
  ApproverSetListSchema,
  ApproverSetSchema,
  ChangeApprovalsSchema,
  ChangeCreateSchema,
  ChangeSchema as ChangeItem,
  ChangeListQuerySchema,
  ChangePageSchema,
  ChangeSchema,
  ChangeTransitionSchema,
  ChangeUpdateSchema,
} from "../../../common/changes.ts";
import { type AnyRoute, defineRoute } from "../../http/route.ts";
import type { Deps } from "../../platform/deps.ts";
import { changeApprovals, createApproverSet, decide, listApproverSets, myApprovals } from "./approvals.ts";
import { createChange, getChange, listChanges, presentChanges, transitionChange, updateChange } from "./service.ts";

const tags = ["changes"];

export function changeRoutes(deps: Deps): AnyRoute[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/v1/changes",
      access: "change.read",
      summary: "Requests for change, newest first; filters state, type, ciId and a planned-window range",
      tags,
      query: ChangeListQuerySchema,
      response: { status: 200, schema: ChangePageSchema },
      handler: ({ ctx, query }) => listChanges(deps, ctx, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/changes",
      access: "change.create",
      summary: "Draft a change: what, why, who, which CIs, when, and how it is rolled back",
      tags,
      body: ChangeCreateSchema,
      response: { status: 201, schema: ChangeSchema },
      handler: ({ ctx, body }) => createChange(deps, ctx, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/changes/:id",
      access: "change.read",
      summary: "Read a change",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: ChangeSchema },
      handler: ({ ctx, params }) => getChange(deps, ctx, params.id),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/v1/changes/:id",
      access: "change.update",
      summary: "Edit a change; a new plan, window or CI list withdraws its approvals",
      tags,
      params: IdParamsSchema,
      body: ChangeUpdateSchema,
      response: { status: 200, schema: ChangeSchema },
      handler: ({ ctx, params, body, ifMatch }) => updateChange(deps, ctx, params.id, body, ifMatch),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/changes/:id/transitions",
      access: "change.update",
      summary: "Move a change along its workflow (leaving draft needs the eight questions answered)",
      tags,
      params: IdParamsSchema,
      body: ChangeTransitionSchema,
      response: { status: 200, schema: ChangeSchema },
      handler: ({ ctx, params, body }) => transitionChange(deps, ctx, params.id, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/changes/:id/approvals",
      access: "change.read",
      summary: "The CAB sets a change needs, where each stands, and every decision",
      tags,
      params: IdParamsSchema,
      response: { status: 200, schema: ChangeApprovalsSchema },
      handler: ({ ctx, params }) => changeApprovals(deps, ctx, params.id),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/changes/:id/approvals",
      access: "change.read",
      summary: "Approve or reject a change's current plan, with a comment (never your own change)",
      tags,
      params: IdParamsSchema,
      body: ApprovalDecisionSchema,
      response: { status: 200, schema: ChangeApprovalsSchema },
      handler: ({ ctx, params, body }) => decide(deps, ctx, params.id, body),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/me/approvals",
      access: "change.read",
      summary: "Changes waiting for your decision",
      tags,
      response: { status: 200, schema: z.object({ items: z.array(ChangeSchema) }) },
      handler: async ({ ctx }) => ({ items: await presentChanges(deps.db, ctx, await myApprovals(deps, ctx)) }),
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/change-approver-sets",
      access: "change.read",
      summary: "CAB rules: who approves which changes, and how many of them",
      tags,
      response: { status: 200, schema: ApproverSetListSchema },
      handler: () => listApproverSets(deps),
    }),
    defineRoute({
      method: "POST",
      url: "/api/v1/change-approver-sets",
      access: "change.manage",
      summary:
        "Add a CAB rule: change types, services, approvers (users and groups), and all, any, majority or at least N",
      tags,
      body: ApproverSetCreateSchema,
      response: { status: 201, schema: ApproverSetSchema },
      handler: ({ ctx, body }) => createApproverSet(deps, ctx, body),
    }),
  ];
}
