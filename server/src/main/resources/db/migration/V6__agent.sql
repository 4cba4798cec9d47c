-- Operator (agent) status per SIP account: the first part of the ACD's agent states.
create table agent_status (
    account_id bigint      primary key references sip_account (id) on delete cascade,
    tenant_id  bigint      not null references tenant (id) on delete cascade,
    status     text        not null check (status in ('FREE', 'UNAVAILABLE')),
    reason     text        not null default '',
    changed_at timestamptz not null default now()
);
create index agent_status_tenant_idx on agent_status (tenant_id);
