-- SIP: registrations (location service, written through from memory) and trusted peers (trunks, gateways).

create table sip_location (
    account_id  bigint      not null references sip_account (id) on delete cascade,
    contact     text        not null,
    expires_at  timestamptz not null,
    q           real        not null default 1,
    call_id     text        not null,
    cseq        bigint      not null,
    -- where the REGISTER came from: transport, address and port (RFC 3581 received/rport)
    transport   text        not null,
    source_ip   text        not null,
    source_port int         not null,
    user_agent  text        not null default '',
    updated_at  timestamptz not null default now(),
    primary key (account_id, contact)
);
create index sip_location_expiry_idx on sip_location (expires_at);

create table sip_peer (
    id         bigint generated always as identity primary key,
    name       text        not null,
    -- an IP address or a CIDR block the peer sends from
    address    cidr        not null,
    tenant_id  bigint references tenant (id),
    enabled    boolean     not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index sip_peer_name_uq on sip_peer (lower(name));
