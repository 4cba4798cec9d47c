-- A tenant's time zone: "today" and day boundaries of its queue statistics and KPIs, its business hours.
alter table tenant add column time_zone text not null default 'UTC';
