import {
  CHANGE_STATES,
  CHANGE_TYPES,
  type ChangeState,
  type ChangeType,
  type RiskLevel,
} from "../../../../common/changes.ts";

export const CHANGE_TYPE_LABELS: Record<ChangeType, string> = {
  standard: "Standard",
  normal: "Normal",
  emergency: "Emergency",
};
export const CHANGE_TYPE_COLORS: Record<ChangeType, string> = {
  standard: "teal",
  normal: "indigo",
  emergency: "orange",
};
export const CHANGE_TYPE_OPTIONS = CHANGE_TYPES.map((t) => ({ value: t, label: CHANGE_TYPE_LABELS[t] }));

export const CHANGE_STATE_LABELS: Record<ChangeState, string> = {
  draft: "Draft",
  assessment: "Assessment",
  authorization: "Authorization",
  scheduled: "Scheduled",
  implementing: "Implementing",
  rolled_back: "Rolled back",
  review: "Review",
  closed: "Closed",
  rejected: "Rejected",
  canceled: "Canceled",
};
export const CHANGE_STATE_OPTIONS = CHANGE_STATES.map((s) => ({ value: s, label: CHANGE_STATE_LABELS[s] }));

export const RISK_LABELS: Record<RiskLevel, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  very_high: "Very high",
};
export const RISK_COLORS: Record<RiskLevel, string> = {
  low: "gray",
  medium: "yellow",
  high: "orange",
  very_high: "red",
};

export const CONFLICT_RULE_LABELS: Record<string, string> = {
  same_ci: "Same CI",
  related_ci: "Related CI",
  outside_maintenance: "Outside maintenance",
  blackout: "Blackout",
  assignee_busy: "Assignee busy",
};

/** "1 conflict", "2 conflicts". */
export const conflictCount = (n: number) => `${n} conflict${n === 1 ? "" : "s"}`;
