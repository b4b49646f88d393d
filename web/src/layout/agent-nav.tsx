import { NavLink, Stack } from "@mantine/core";
import {
  IconArrowsExchange,
  IconBook2,
  IconBuildingSkyscraper,
  IconChartBar,
  IconHome,
  IconSettings,
  IconTicket,
  IconTopologyStar3,
  IconUser,
  IconUsersGroup,
} from "@tabler/icons-react";
import { Link, useRouterState } from "@tanstack/react-router";
import { type ReactNode, useEffect, useState } from "react";
import { can, canAdminister, useMe } from "../auth.tsx";

type To = "/" | "/tickets" | "/cmdb" | "/changes" | "/knowledge" | "/reports";

const MAIN: { to: To; label: string; icon: ReactNode }[] = [
  { to: "/", label: "Home", icon: <IconHome size={18} stroke={1.7} aria-hidden /> },
  { to: "/tickets", label: "Tickets", icon: <IconTicket size={18} stroke={1.7} aria-hidden /> },
  { to: "/cmdb", label: "CMDB", icon: <IconTopologyStar3 size={18} stroke={1.7} aria-hidden /> },
  { to: "/changes", label: "Changes", icon: <IconArrowsExchange size={18} stroke={1.7} aria-hidden /> },
  { to: "/knowledge", label: "Knowledge", icon: <IconBook2 size={18} stroke={1.7} aria-hidden /> },
  { to: "/reports", label: "Reports", icon: <IconChartBar size={18} stroke={1.7} aria-hidden /> },
];

function isActive(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

export function AgentNav({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const showUsers = can(me, "user.create") || can(me, "user.update");
  const showOrgs = can(me, "organization.create") || can(me, "organization.update");
  const showGroups = can(me, "group.create") || can(me, "group.update");
  const inAdmin = pathname.startsWith("/admin");
  const [adminOpen, setAdminOpen] = useState(inAdmin);
  useEffect(() => {
    if (inAdmin) setAdminOpen(true);
  }, [inAdmin]);
  const linkProps = { onClick: onNavigate, variant: "light" as const };
  return (
    <Stack gap={2}>
      {MAIN.map((item) => (
        <NavLink
          key={item.to}
          component={Link}
          to={item.to}
          label={item.label}
          leftSection={item.icon}
          active={isActive(pathname, item.to)}
          aria-current={isActive(pathname, item.to) ? "page" : undefined}
          {...linkProps}
        />
      ))}
      {canAdminister(me) && (
        <NavLink
          component="button"
          type="button"
          label="Admin"
          leftSection={<IconSettings size={18} stroke={1.7} aria-hidden />}
          opened={adminOpen}
          onChange={setAdminOpen}
          aria-expanded={adminOpen}
          childrenOffset={28}
        >
          {showUsers && (
            <NavLink
              component={Link}
              to="/admin/users"
              label="Users"
              leftSection={<IconUser size={16} stroke={1.7} aria-hidden />}
              active={isActive(pathname, "/admin/users")}
              {...linkProps}
            />
          )}
          {showOrgs && (
            <NavLink
              component={Link}
              to="/admin/organizations"
              label="Organizations"
              leftSection={<IconBuildingSkyscraper size={16} stroke={1.7} aria-hidden />}
              active={isActive(pathname, "/admin/organizations")}
              {...linkProps}
            />
          )}
          {showGroups && (
            <NavLink
              component={Link}
              to="/admin/groups"
              label="Groups"
              leftSection={<IconUsersGroup size={16} stroke={1.7} aria-hidden />}
              active={isActive(pathname, "/admin/groups")}
              {...linkProps}
            />
          )}
        </NavLink>
      )}
    </Stack>
  );
}
