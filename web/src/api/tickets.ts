import {
  type ArticleCreate,
  ArticleListSchema,
  ArticleSchema,
  CategoryListSchema,
  PriorityMatrixSchema,
  type TicketCreate,
  TicketPageSchema,
  TicketSchema,
  type TicketUpdate,
  type TransitionInput,
} from "../../../common/tickets.ts";
import { request } from "./client.ts";

const id = encodeURIComponent;

/**
 * The work list's query string, as `GET /tickets` takes it (lists are comma-separated). Saved views
 * may name any of the query's filters, so other keys pass through as they are.
 */
export interface TicketListParams {
  [key: string]: string | number | undefined;
  type?: string;
  state?: string;
  stateType?: string;
  priority?: string;
  groupId?: string;
  assigneeId?: string;
  requesterId?: string;
  organizationId?: string;
  categoryId?: string;
  tag?: string;
  q?: string;
  sla?: string;
  createdFrom?: string;
  createdTo?: string;
  sort?: "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt" | "priority" | "-priority" | "slaDue" | "-slaDue";
  cursor?: string;
  limit?: number;
}

export const listTickets = (params: TicketListParams) =>
  request("GET", "/tickets", TicketPageSchema, { query: { ...params } });
export const getTicket = (ticketId: string) => request("GET", `/tickets/${id(ticketId)}`, TicketSchema);
export const createTicket = (body: TicketCreate) => request("POST", "/tickets", TicketSchema, { body });
export const updateTicket = (ticketId: string, body: TicketUpdate) =>
  request("PATCH", `/tickets/${id(ticketId)}`, TicketSchema, { body });
export const transitionTicket = (ticketId: string, body: TransitionInput) =>
  request("POST", `/tickets/${id(ticketId)}/transitions`, TicketSchema, { body });

export const listArticles = (ticketId: string) =>
  request("GET", `/tickets/${id(ticketId)}/articles`, ArticleListSchema);
export const addArticle = (ticketId: string, body: ArticleCreate) =>
  request("POST", `/tickets/${id(ticketId)}/articles`, ArticleSchema, { body });

export const getPriorityMatrix = () => request("GET", "/priority-matrix", PriorityMatrixSchema);
export const listCategories = () => request("GET", "/categories", CategoryListSchema);
