-- Full-text search over tickets and their replies from one table: the replies' lexemes are kept on the
-- ticket, so a search is a bitmap OR of indexes on tickets (or an index scan in date order for a common
-- word) instead of a semi-join over every matching reply.
alter table tickets add column replies_search tsvector not null default '';

update tickets t set replies_search = r.v
from (
  select ticket_id, to_tsvector('simple', string_agg(body_text, ' ')) as v
  from ticket_articles where kind = 'reply' group by ticket_id
) r
where t.id = r.ticket_id;

-- Statement triggers: one update per statement, however many replies it wrote (bulk loads included).
create function tickets_add_reply_lexemes() returns trigger language plpgsql as $$
begin
  update tickets t set replies_search = t.replies_search || r.v
  from (
    select ticket_id, to_tsvector('simple', string_agg(body_text, ' ')) as v
    from new_articles where kind = 'reply' group by ticket_id
  ) r
  where t.id = r.ticket_id;
  return null;
end $$;
create trigger ticket_articles_reply_search_insert after insert on ticket_articles
  referencing new table as new_articles for each statement execute function tickets_add_reply_lexemes();
-- A merge moves replies to another ticket: the target learns their words.
create function tickets_move_reply_lexemes() returns trigger language plpgsql as $$
begin
  update tickets t set replies_search = t.replies_search || r.v
  from (
    select n.ticket_id, to_tsvector('simple', string_agg(n.body_text, ' ')) as v
    from new_articles n join old_articles o on o.id = n.id
    where n.kind = 'reply' and n.ticket_id <> o.ticket_id group by n.ticket_id
  ) r
  where t.id = r.ticket_id;
  return null;
end $$;
create trigger ticket_articles_reply_search_move after update on ticket_articles
  referencing old table as old_articles new table as new_articles
  for each statement execute function tickets_move_reply_lexemes();

create index tickets_full_search on tickets using gin ((search || replies_search));
drop index tickets_search;
