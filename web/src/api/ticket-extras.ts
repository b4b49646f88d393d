import type { z } from "zod";
import {
  AttachmentListSchema,
  AttachmentSchema,
  type AttachmentUploadSchema,
  type LinkKindSchema,
  LinkListSchema,
  TicketSchema,
} from "../../../common/tickets.ts";
import { request, requestVoid } from "./client.ts";

const id = encodeURIComponent;

export type Attachment = z.infer<typeof AttachmentSchema>;
export type AttachmentUpload = z.input<typeof AttachmentUploadSchema>;
export type LinkKind = z.infer<typeof LinkKindSchema>;
export type TicketLink = z.infer<typeof LinkListSchema>["items"][number];

// Custom-field definitions are read with `listCustomFields` from ./custom-fields.ts (shared with the admin screens).

// ---- attachments ----
export const listAttachments = (ticketId: string) =>
  request("GET", `/tickets/${id(ticketId)}/attachments`, AttachmentListSchema);
export const uploadAttachment = (ticketId: string, body: AttachmentUpload) =>
  request("POST", `/tickets/${id(ticketId)}/attachments`, AttachmentSchema, { body });
/** Where a file downloads from; the server always sends it as an attachment, never inline. */
export const attachmentUrl = (attachmentId: string) => `/api/v1/attachments/${id(attachmentId)}`;

// ---- links and merge ----
export const listLinks = (ticketId: string) => request("GET", `/tickets/${id(ticketId)}/links`, LinkListSchema);
export const addLink = (ticketId: string, body: { targetId: string; kind: LinkKind }) =>
  request("POST", `/tickets/${id(ticketId)}/links`, LinkListSchema, { body });
export const removeLink = (ticketId: string, targetId: string, kind: LinkKind) =>
  requestVoid("DELETE", `/tickets/${id(ticketId)}/links/${id(targetId)}`, { query: { kind } });
/** Merges the ticket into `targetId`; answers with the merged (now read-only) ticket. */
export const mergeTicket = (ticketId: string, targetId: string) =>
  request("POST", `/tickets/${id(ticketId)}/merge`, TicketSchema, { body: { targetId } });
