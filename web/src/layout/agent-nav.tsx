import { NavLink, Stack, Text } from "@mantine/core";
import {
  IconArrowsExchange,
  IconBellCog,
  IconBook2,
  IconBoxModel2,
  IconBuildingSkyscraper,
  IconCalendarOff,
  IconCalendarTime,
  IconCategory,
  IconChartBar,
  IconForms,
  IconGauge,
  IconGavel,
  IconGridDots,
  IconHome,
  IconHourglass,
  IconInbox,
  IconLink,
  IconListDetails,
  IconMailShare,
  IconRadar,
  IconServer2,
  IconSettings,
  IconShieldExclamation,
  IconTableImport,
  IconTemplate,
  IconTicket,
  IconTopologyStar3,
  IconUser,
  IconUsersGroup,
  type TablerIcon,
} from "@tabler/icons-react";
import { Link, useRouterState } from "@tanstack/react-router";
import { type ReactNode, useEffect, useState } from "react";
import type { Me } from "../../../common/identity.ts";
import { can, canAdminister, useMe } from "../auth.tsx";

type To = "/" | "/tickets" | "/cmdb" | "/changes" | "/knowledge" | "/reports";
type AdminTo =
  | "/admin/users"
  | "/admin/organizations"
  | "/admin/groups"
  | "/admin/calendars"
  | "/admin/sla-policies"
  | "/admin/priority-matrix"
  | "/admin/categories"
  | "/admin/custom-fields"
  | "/admin/cmdb-classes"
  | "/admin/cmdb-catalog"
  | "/admin/cmdb-relation-types"
  | "/admin/cmdb-import"
  | "/admin/cmdb-discovery"
  | "/admin/change-settings"
  | "/admin/change-templates"
  | "/admin/change-cab"
  | "/admin/change-windows"
  | "/admin/mailboxes"
  | "/admin/mail-quarantine"
  | "/admin/outgoing-mail"
  | "/admin/smtp"
  | "/admin/notification-templates";

const MAIN: { to: To; label: string; icon: ReactNode }[] = [
  { to: "/", label: "Home", icon: <IconHome size={18} stroke={1.7} aria-hidden /> },
  { to: "/tickets", label: "Tickets", icon: <IconTicket size={18} stroke={1.7} aria-hidden /> },
  { to: "/cmdb", label: "CMDB", icon: <IconTopologyStar3 size={18} stroke={1.7} aria-hidden /> },
  { to: "/changes", label: "Changes", icon: <IconArrowsExchange size={18} stroke={1.7} aria-hidden /> },
  { to: "/knowledge", label: "Knowledge", icon: <IconBook2 size={18} stroke={1.7} aria-hidden /> },
  { to: "/reports", label: "Reports", icon: <IconChartBar size={18} stroke={1.7} aria-hidden /> },
];

interface AdminEntry {
  to: AdminTo;
  label: string;
  icon: TablerIcon;
  shown: (me: Me | null) => boolean;
}

const PEOPLE: AdminEntry[] = [
  {
    to: "/admin/users",
    label: "Users",
    icon: IconUser,
    shown: (me) => can(me, "user.create") || can(me, "user.update"),
  },
  {
    to: "/admin/organizations",
    label: "Organizations",
    icon: IconBuildingSkyscraper,
    shown: (me) => can(me, "organization.create") || can(me, "organization.update"),
  },
  {
    to: "/admin/groups",
    label: "Groups",
    icon: IconUsersGroup,
    shown: (me) => can(me, "group.create") || can(me, "group.update"),
  },
];

/** Service desk settings. */
const SERVICE_DESK: AdminEntry[] = [
  { to: "/admin/calendars", label: "Calendars", icon: IconCalendarTime, shown: (me) => can(me, "calendar.manage") },
  { to: "/admin/sla-policies", label: "SLA policies", icon: IconHourglass, shown: (me) => can(me, "sla.manage") },
  {
    to: "/admin/priority-matrix",
    label: "Priority matrix",
    icon: IconGridDots,
    shown: (me) => can(me, "priority.manage"),
  },
  { to: "/admin/categories", label: "Categories", icon: IconCategory, shown: (me) => can(me, "category.manage") },
  {
    to: "/admin/custom-fields",
    label: "Custom fields",
    icon: IconForms,
    shown: (me) => can(me, "customfield.manage"),
  },
];

/** CMDB settings. */
const CMDB: AdminEntry[] = [
  { to: "/admin/cmdb-classes", label: "CI classes", icon: IconBoxModel2, shown: (me) => can(me, "cmdb.admin") },
  { to: "/admin/cmdb-catalog", label: "CMDB catalog", icon: IconListDetails, shown: (me) => can(me, "cmdb.admin") },
  {
    to: "/admin/cmdb-relation-types",
    label: "Relation types",
    icon: IconLink,
    shown: (me) => can(me, "cmdb.admin"),
  },
  { to: "/admin/cmdb-import", label: "Import CIs", icon: IconTableImport, shown: (me) => can(me, "cmdb.admin") },
  { to: "/admin/cmdb-discovery", label: "Discovery", icon: IconRadar, shown: (me) => can(me, "cmdb.admin") },
];

/** Change management settings. */
const CHANGES: AdminEntry[] = [
  {
    to: "/admin/change-settings",
    label: "Risk and review",
    icon: IconGauge,
    shown: (me) => can(me, "change.manage"),
  },
  {
    to: "/admin/change-templates",
    label: "Standard changes",
    icon: IconTemplate,
    shown: (me) => can(me, "change.manage"),
  },
  { to: "/admin/change-cab", label: "CAB", icon: IconGavel, shown: (me) => can(me, "change.manage") },
  {
    to: "/admin/change-windows",
    label: "Change windows",
    icon: IconCalendarOff,
    shown: (me) => can(me, "change.manage"),
  },
];

/** E-mail in and out. */
const EMAIL: AdminEntry[] = [
  { to: "/admin/mailboxes", label: "Mailboxes", icon: IconInbox, shown: (me) => can(me, "mail.manage") },
  {
    to: "/admin/mail-quarantine",
    label: "Quarantine",
    icon: IconShieldExclamation,
    shown: (me) => can(me, "mail.manage"),
  },
  {
    to: "/admin/outgoing-mail",
    label: "Outgoing mail",
    icon: IconMailShare,
    shown: (me) => can(me, "mail.manage"),
  },
  { to: "/admin/smtp", label: "Mail server", icon: IconServer2, shown: (me) => can(me, "mail.manage") },
  {
    to: "/admin/notification-templates",
    label: "Notification templates",
    icon: IconBellCog,
    shown: (me) => can(me, "mail.manage"),
  },
];

function isActive(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

export function AgentNav({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const inAdmin = pathname.startsWith("/admin");
  const [adminOpen, setAdminOpen] = useState(inAdmin);
  useEffect(() => {
    if (inAdmin) setAdminOpen(true);
  }, [inAdmin]);
  const linkProps = { onClick: onNavigate, variant: "light" as const };
  const adminLink = (entry: AdminEntry) => (
    <NavLink
      key={entry.to}
      component={Link}
      to={entry.to}
      label={entry.label}
      leftSection={<entry.icon size={16} stroke={1.7} aria-hidden />}
      active={isActive(pathname, entry.to)}
      aria-current={isActive(pathname, entry.to) ? "page" : undefined}
      {...linkProps}
    />
  );
  const people = PEOPLE.filter((e) => e.shown(me));
  const desk = SERVICE_DESK.filter((e) => e.shown(me));
  const cmdb = CMDB.filter((e) => e.shown(me));
  const changes = CHANGES.filter((e) => e.shown(me));
  const email = EMAIL.filter((e) => e.shown(me));
  return (
    <Stack gap={2}>
      {MAIN.filter(
        (item) => (item.to !== "/cmdb" || can(me, "cmdb.read")) && (item.to !== "/changes" || can(me, "change.read")),
      ).map((item) => (
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
          {people.map(adminLink)}
          {desk.length > 0 && (
            <Text fz={11} fw={600} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
              Service desk
            </Text>
          )}
          {desk.map(adminLink)}
          {cmdb.length > 0 && (
            <Text fz={11} fw={600} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
              CMDB
            </Text>
          )}
          {cmdb.map(adminLink)}
          {changes.length > 0 && (
            <Text fz={11} fw={600} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
              Changes
            </Text>
          )}
          {changes.map(adminLink)}
          {email.length > 0 && (
            <Text fz={11} fw={600} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
              E-mail
            </Text>
          )}
          {email.map(adminLink)}
        </NavLink>
      )}
    </Stack>
  );
}
