import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from "@tanstack/react-router";
import { z } from "zod";
import type { Me } from "../../common/identity.ts";
import type { Permission } from "../../common/permissions.ts";
import { meQuery } from "./api/queries.ts";
import { can, canAdminister, firstAdminPage, safeRedirect } from "./auth.tsx";
import { AgentShell } from "./layout/agent-shell.tsx";
import { PortalShell } from "./layout/portal-shell.tsx";
import { CabPage } from "./pages/admin/changes/cab-page.tsx";
import { ChangeSettingsPage } from "./pages/admin/changes/change-settings-page.tsx";
import { ChangeTemplatesPage } from "./pages/admin/changes/change-templates-page.tsx";
import { ChangeWindowsPage } from "./pages/admin/changes/change-windows-page.tsx";
import { CmdbCatalogPage } from "./pages/admin/cmdb/cmdb-catalog-page.tsx";
import { CmdbClassesPage } from "./pages/admin/cmdb/cmdb-classes-page.tsx";
import { DiscoveryPage } from "./pages/admin/cmdb/discovery-page.tsx";
import { ImportPage } from "./pages/admin/cmdb/import-page.tsx";
import { RelationTypesPage } from "./pages/admin/cmdb/relation-types-page.tsx";
import { MailboxesPage } from "./pages/admin/email/mailboxes-page.tsx";
import { OutboundPage } from "./pages/admin/email/outbound-page.tsx";
import { QuarantinePage } from "./pages/admin/email/quarantine-page.tsx";
import { SmtpSettingsPage } from "./pages/admin/email/smtp-settings-page.tsx";
import { GroupsPage } from "./pages/admin/groups-page.tsx";
import { NotificationTemplatesPage } from "./pages/admin/notification-templates-page.tsx";
import { OrganizationsPage } from "./pages/admin/organizations-page.tsx";
import { CalendarsPage } from "./pages/admin/settings/calendars-page.tsx";
import { CategoriesPage } from "./pages/admin/settings/categories-page.tsx";
import { CustomFieldsPage } from "./pages/admin/settings/custom-fields-page.tsx";
import { PriorityMatrixPage } from "./pages/admin/settings/priority-matrix-page.tsx";
import { SlaPoliciesPage } from "./pages/admin/settings/sla-policies-page.tsx";
import { UsersPage } from "./pages/admin/users-page.tsx";
import { ChangeCalendarPage } from "./pages/changes/change-calendar-page.tsx";
import { ChangePage } from "./pages/changes/change-page.tsx";
import { ChangeReportPage } from "./pages/changes/change-report-page.tsx";
import { ChangesPage } from "./pages/changes/changes-page.tsx";
import { MyApprovalsPage } from "./pages/changes/my-approvals-page.tsx";
import { NewChangePage } from "./pages/changes/new-change-page.tsx";
import { CiPage } from "./pages/cmdb/ci-page.tsx";
import { CiPageSearchSchema, CiSearchSchema } from "./pages/cmdb/ci-search.ts";
import { CisPage } from "./pages/cmdb/cis-page.tsx";
import { ComingSoonPage } from "./pages/coming-soon-page.tsx";
import { ErrorPage, NotFoundPage, PendingPage } from "./pages/fallback-pages.tsx";
import { ForgotPasswordPage } from "./pages/forgot-password-page.tsx";
import { HomePage } from "./pages/home-page.tsx";
import { LoginPage } from "./pages/login-page.tsx";
import { NotificationSettingsPage } from "./pages/notifications/notification-settings-page.tsx";
import { NotificationsPage } from "./pages/notifications/notifications-page.tsx";
import { NewRequestPage } from "./pages/portal/new-request-page.tsx";
import { PortalHomePage } from "./pages/portal/portal-home-page.tsx";
import { RequestPage } from "./pages/portal/request-page.tsx";
import { ResetPasswordPage } from "./pages/reset-password-page.tsx";
import { TicketPage } from "./pages/tickets/ticket-page.tsx";
import { TicketSearchSchema } from "./pages/tickets/ticket-views.ts";
import { TicketsPage } from "./pages/tickets/tickets-page.tsx";
import { TokensPage } from "./pages/tokens-page.tsx";

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
  errorComponent: ErrorPage,
  pendingComponent: PendingPage,
});

/** Sends anyone without a session to /login, remembering where they were going. */
async function requireMe(context: RouterContext, href: string): Promise<Me> {
  const me = await context.queryClient.ensureQueryData(meQuery);
  if (!me) throw redirect({ to: "/login", search: { redirect: href } });
  return me;
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "login",
  validateSearch: z.object({ redirect: z.string().max(2000).optional() }),
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) throw redirect({ href: safeRedirect(search.redirect, me) });
  },
  component: LoginPage,
});

/** Signed-out pages for a forgotten password; the mailed link carries its token in the fragment. */
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "forgot-password",
  component: ForgotPasswordPage,
});
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "reset-password",
  component: ResetPasswordPage,
});

// ---- agent workspace ----

const agentRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "agent",
  beforeLoad: async ({ context, location }) => {
    const me = await requireMe(context, location.href);
    if (me.kind === "customer") throw redirect({ to: "/portal" });
  },
  component: AgentShell,
});

const homeRoute = createRoute({ getParentRoute: () => agentRoute, path: "/", component: HomePage });

const ticketsRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "tickets",
  validateSearch: TicketSearchSchema,
  component: TicketsPage,
});
const ticketRoute = createRoute({ getParentRoute: () => agentRoute, path: "tickets/$id", component: TicketPage });
/** The CMDB, for agents who may read it. */
async function requireCmdb({ context }: { context: RouterContext }) {
  const me = await context.queryClient.ensureQueryData(meQuery);
  if (!can(me, "cmdb.read")) throw redirect({ to: "/" });
}
const cmdbRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "cmdb",
  validateSearch: CiSearchSchema,
  beforeLoad: requireCmdb,
  component: CisPage,
});
const ciRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "cmdb/cis/$id",
  validateSearch: CiPageSearchSchema,
  beforeLoad: requireCmdb,
  component: CiPage,
});
/** Change management, for agents who may read changes. */
async function requireChanges({ context }: { context: RouterContext }) {
  const me = await context.queryClient.ensureQueryData(meQuery);
  if (!can(me, "change.read")) throw redirect({ to: "/" });
}
const changesRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "changes",
  beforeLoad: requireChanges,
  component: ChangesPage,
});
const newChangeRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "changes/new",
  validateSearch: z.object({ templateId: z.string().uuid().optional() }),
  beforeLoad: requireChanges,
  component: NewChangePage,
});
const myApprovalsRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "changes/approvals",
  beforeLoad: requireChanges,
  component: MyApprovalsPage,
});
const changeCalendarRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "changes/calendar",
  validateSearch: z.object({
    view: z.enum(["month", "week", "list"]).optional().catch(undefined),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
      .catch(undefined),
  }),
  beforeLoad: requireChanges,
  component: ChangeCalendarPage,
});
const changeReportRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "changes/report",
  beforeLoad: requireChanges,
  component: ChangeReportPage,
});
const changeRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "changes/$id",
  beforeLoad: requireChanges,
  component: ChangePage,
});
const knowledgeRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "knowledge",
  component: () => <ComingSoonPage area="knowledge" />,
});
const reportsRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "reports",
  component: () => <ComingSoonPage area="reports" />,
});

const tokensRoute = createRoute({ getParentRoute: () => agentRoute, path: "account/tokens", component: TokensPage });
const notificationSettingsRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "account/notifications",
  component: NotificationSettingsPage,
});
const notificationsRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "notifications",
  component: NotificationsPage,
});

const adminRoute = createRoute({
  getParentRoute: () => agentRoute,
  path: "admin",
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!canAdminister(me)) throw redirect({ to: "/" });
  },
});

const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "/",
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    throw redirect({ href: firstAdminPage(me) });
  },
});

/** A service-desk settings page, for those who may change that setting. */
function settingsGuard(permission: Permission) {
  return async ({ context }: { context: RouterContext }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!can(me, permission)) throw redirect({ href: firstAdminPage(me) });
  };
}
const calendarsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "calendars",
  beforeLoad: settingsGuard("calendar.manage"),
  component: CalendarsPage,
});
const slaPoliciesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "sla-policies",
  beforeLoad: settingsGuard("sla.manage"),
  component: SlaPoliciesPage,
});
const priorityMatrixRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "priority-matrix",
  beforeLoad: settingsGuard("priority.manage"),
  component: PriorityMatrixPage,
});
const categoriesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "categories",
  beforeLoad: settingsGuard("category.manage"),
  component: CategoriesPage,
});
const customFieldsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "custom-fields",
  beforeLoad: settingsGuard("customfield.manage"),
  component: CustomFieldsPage,
});
const cmdbClassesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "cmdb-classes",
  beforeLoad: settingsGuard("cmdb.admin"),
  component: CmdbClassesPage,
});
const cmdbCatalogRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "cmdb-catalog",
  beforeLoad: settingsGuard("cmdb.admin"),
  component: CmdbCatalogPage,
});
const cmdbRelationTypesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "cmdb-relation-types",
  beforeLoad: settingsGuard("cmdb.admin"),
  component: RelationTypesPage,
});
const cmdbImportRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "cmdb-import",
  beforeLoad: settingsGuard("cmdb.admin"),
  component: ImportPage,
});
const cmdbDiscoveryRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "cmdb-discovery",
  beforeLoad: settingsGuard("cmdb.admin"),
  component: DiscoveryPage,
});
const changeSettingsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "change-settings",
  beforeLoad: settingsGuard("change.manage"),
  component: ChangeSettingsPage,
});
const changeTemplatesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "change-templates",
  beforeLoad: settingsGuard("change.manage"),
  component: ChangeTemplatesPage,
});
const cabRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "change-cab",
  beforeLoad: settingsGuard("change.manage"),
  component: CabPage,
});
const changeWindowsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "change-windows",
  beforeLoad: settingsGuard("change.manage"),
  component: ChangeWindowsPage,
});
const mailboxesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "mailboxes",
  beforeLoad: settingsGuard("mail.manage"),
  component: MailboxesPage,
});
const mailQuarantineRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "mail-quarantine",
  beforeLoad: settingsGuard("mail.manage"),
  component: QuarantinePage,
});
const outgoingMailRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "outgoing-mail",
  beforeLoad: settingsGuard("mail.manage"),
  component: OutboundPage,
});
const smtpSettingsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "smtp",
  beforeLoad: settingsGuard("mail.manage"),
  component: SmtpSettingsPage,
});
const notificationTemplatesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "notification-templates",
  beforeLoad: settingsGuard("mail.manage"),
  component: NotificationTemplatesPage,
});
const usersRoute = createRoute({ getParentRoute: () => adminRoute, path: "users", component: UsersPage });
const organizationsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "organizations",
  component: OrganizationsPage,
});
const groupsRoute = createRoute({ getParentRoute: () => adminRoute, path: "groups", component: GroupsPage });

// ---- customer portal ----

const portalRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "portal",
  beforeLoad: async ({ context, location }) => {
    await requireMe(context, location.href);
  },
  component: PortalShell,
});
const portalHomeRoute = createRoute({ getParentRoute: () => portalRoute, path: "/", component: PortalHomePage });
const portalNewRoute = createRoute({ getParentRoute: () => portalRoute, path: "new", component: NewRequestPage });
const portalRequestRoute = createRoute({
  getParentRoute: () => portalRoute,
  path: "requests/$id",
  component: RequestPage,
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  agentRoute.addChildren([
    homeRoute,
    ticketsRoute,
    ticketRoute,
    cmdbRoute,
    ciRoute,
    changesRoute,
    newChangeRoute,
    myApprovalsRoute,
    changeCalendarRoute,
    changeReportRoute,
    changeRoute,
    knowledgeRoute,
    reportsRoute,
    tokensRoute,
    notificationSettingsRoute,
    notificationsRoute,
    adminRoute.addChildren([
      adminIndexRoute,
      usersRoute,
      organizationsRoute,
      groupsRoute,
      calendarsRoute,
      slaPoliciesRoute,
      priorityMatrixRoute,
      categoriesRoute,
      customFieldsRoute,
      cmdbClassesRoute,
      cmdbCatalogRoute,
      cmdbRelationTypesRoute,
      cmdbImportRoute,
      cmdbDiscoveryRoute,
      changeSettingsRoute,
      changeTemplatesRoute,
      cabRoute,
      changeWindowsRoute,
      mailboxesRoute,
      mailQuarantineRoute,
      outgoingMailRoute,
      smtpSettingsRoute,
      notificationTemplatesRoute,
    ]),
  ]),
  portalRoute.addChildren([portalHomeRoute, portalNewRoute, portalRequestRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: "intent",
    defaultPreloadStaleTime: 0,
    defaultPendingMs: 300,
    scrollRestoration: true,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
