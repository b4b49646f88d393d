import { IconArrowsExchange, IconBook2, IconChartBar, IconTopologyStar3, type TablerIcon } from "@tabler/icons-react";

export type Area = "cmdb" | "changes" | "knowledge" | "reports";

/** What each part of the workspace is for, while it is still being built. */
export const AREAS: Record<Area, { title: string; icon: TablerIcon; summary: string; coming: string[] }> = {
  cmdb: {
    title: "CMDB",
    icon: IconTopologyStar3,
    summary:
      "Configuration items and the dependencies between them will live here, with impact analysis that shows which services an outage touches.",
    coming: ["Classes and configuration items", "Dependency graph", "Impact analysis"],
  },
  changes: {
    title: "Changes",
    icon: IconArrowsExchange,
    summary:
      "Requests for change will be planned here: CAB approvals, risk and rollback plans, and a change calendar of what goes out when.",
    coming: ["Requests for change", "CAB approvals", "Change calendar"],
  },
  knowledge: {
    title: "Knowledge",
    icon: IconBook2,
    summary: "Knowledge articles for agents and customers will be written here, versioned and searchable.",
    coming: ["Articles with versions", "Search", "Suggestions while working a ticket"],
  },
  reports: {
    title: "Reports",
    icon: IconChartBar,
    summary: "Dashboards will show ticket volumes, SLA compliance, backlog and the trends behind them.",
    coming: ["Dashboards", "SLA compliance", "CSV and XLSX exports"],
  },
};
