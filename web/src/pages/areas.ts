import { IconBook2, IconChartBar, type TablerIcon } from "@tabler/icons-react";

export type Area = "knowledge" | "reports";

/** What each part of the workspace is for, while it is still being built. */
export const AREAS: Record<Area, { title: string; icon: TablerIcon; summary: string; coming: string[] }> = {
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
