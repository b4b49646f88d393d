import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { useCallback } from "react";
import type { Me } from "../../common/identity.ts";
import type { Permission } from "../../common/permissions.ts";
import { isApiError } from "./api/client.ts";
import { logout } from "./api/identity.ts";
import { keys, meQuery } from "./api/queries.ts";
import { notifyError } from "./lib/notify.ts";

/** The signed-in user; null while signing out or before a session exists. */
export function useMe(): Me | null {
  return useQuery(meQuery).data ?? null;
}

export function can(me: Me | null, permission: Permission): boolean {
  return !!me && (me.admin || me.permissions.includes(permission));
}

const ADMIN_PERMISSIONS: readonly Permission[] = [
  "user.create",
  "user.update",
  "organization.create",
  "organization.update",
  "group.create",
  "group.update",
  "calendar.manage",
  "sla.manage",
  "priority.manage",
  "category.manage",
  "customfield.manage",
  "cmdb.admin",
  "change.manage",
  "mail.manage",
];

/**
 * Whether the Admin area is offered: admins and anyone who may manage users, organizations, groups or
 * the service desk's settings (calendars, SLA policies, priority matrix, categories), the CMDB's classes
 * and catalog, change management or e-mail.
 */
export function canAdminister(me: Me | null): boolean {
  return !!me && (me.admin || ADMIN_PERMISSIONS.some((p) => me.permissions.includes(p)));
}

/** The first admin page this user may use. */
export function firstAdminPage(me: Me | null): string {
  if (can(me, "user.create") || can(me, "user.update")) return "/admin/users";
  if (can(me, "organization.create") || can(me, "organization.update")) return "/admin/organizations";
  if (can(me, "group.create") || can(me, "group.update")) return "/admin/groups";
  if (can(me, "calendar.manage")) return "/admin/calendars";
  if (can(me, "sla.manage")) return "/admin/sla-policies";
  if (can(me, "priority.manage")) return "/admin/priority-matrix";
  if (can(me, "category.manage")) return "/admin/categories";
  if (can(me, "customfield.manage")) return "/admin/custom-fields";
  if (can(me, "cmdb.admin")) return "/admin/cmdb-classes";
  if (can(me, "change.manage")) return "/admin/change-settings";
  if (can(me, "mail.manage")) return "/admin/mailboxes";
  return "/admin/custom-fields";
}

/** The place a user lands on after signing in, unless they were on their way somewhere. */
export function homeFor(me: Me): string {
  return me.kind === "customer" ? "/portal" : "/";
}

/** Only same-origin paths are followed after login, never `//host` or absolute URLs. */
export function safeRedirect(target: string | undefined, me: Me): string {
  if (!target?.startsWith("/")) return homeFor(me);
  if (target.startsWith("//") || target.startsWith("/\\") || target.startsWith("/login")) return homeFor(me);
  return target;
}

export function useLogout(): () => Promise<void> {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useCallback(async () => {
    try {
      await logout();
    } catch (error) {
      // 401: the session had already ended, which is what we wanted.
      if (!isApiError(error, 401)) {
        notifyError(error, "Could not log out");
        return;
      }
    }
    queryClient.setQueryData(keys.me, null);
    notifications.clean();
    await router.navigate({ to: "/login" });
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.me[0] });
  }, [queryClient, router]);
}
