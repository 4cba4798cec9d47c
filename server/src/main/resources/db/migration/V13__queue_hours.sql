-- A queue's opening hours (JSON: [{"days": ["MONDAY", ...], "from": "09:00", "to": "18:00"}], in the
-- tenant's time zone; empty: always open), whether the tenant's holidays close it, and where callers go
-- while it is closed (null: refused).
alter table acd_queue add column hours text not null default '[]';
alter table acd_queue add column closed_on_holidays boolean not null default false;
alter table acd_queue add column overflow_closed_kind text;
alter table acd_queue add column overflow_closed_target text;
