-- Lists the query-plan guard (npm run bench:plans) found without an index at scale.
-- The audit trail of one record, whatever its type.
create index audit_log_entity_id on audit_log (entity_id, id);
-- Every ticket (not only open ones) by priority and by SLA due time.
create index tickets_priority on tickets (priority, created_at, id);
create index tickets_sla_due on tickets ((coalesce(sla_due_at, 'infinity'::timestamptz)), id);
-- A filter on one workflow state, newest first.
create index tickets_state on tickets (state, created_at desc, id desc);
