-- A shared view of the tickets whose SLA is due within a day (or already overdue), soonest first.
insert into saved_views (owner_id, name, filters, position) values
  (null, 'Due in the next 24 hours', '{"slaDueWithinHours": "24", "stateType": ["new", "open", "pending"], "sort": "slaDue"}', 35);
