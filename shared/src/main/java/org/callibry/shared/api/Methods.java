package org.callibry.shared.api;

/**
 * Names of the JSON-RPC methods the server offers at {@code POST /api/rpc}. Server endpoints and the
 * typed client both refer to these constants, so a rename breaks the build rather than a call.
 */
public final class Methods {
    private Methods() {
    }

    public static final String RPC_DISCOVER = "rpc.discover";

    public static final String AUTH_LOGIN = "auth.login";
    public static final String AUTH_LOGOUT = "auth.logout";
    public static final String AUTH_WHOAMI = "auth.whoami";

    public static final String SYSTEM_HEALTH = "system.health";
    public static final String SYSTEM_VERSION = "system.version";
    /** Media nodes known to this signaling node, with load and health. */
    public static final String SYSTEM_NODES = "system.nodes";

    /** Operator status (first part of the ACD): set, read, list. */
    public static final String AGENT_SET_STATUS = "agent.setStatus";
    public static final String AGENT_GET_STATUS = "agent.getStatus";
    public static final String AGENT_LIST = "agent.list";

    /** ACD queues: CRUD as {@code queue.create/get/list/update/delete}, and the supervisor's waiting-list control. */
    public static final String QUEUE = "queue";
    public static final String QUEUE_WAITING = "queue.waiting";
    public static final String QUEUE_STATS = "queue.stats";
    public static final String QUEUE_SET_PRIORITY = "queue.setPriority";
    public static final String QUEUE_MOVE = "queue.move";
    public static final String QUEUE_KICK = "queue.kick";
    public static final String QUEUE_DIRECT_TO_AGENT = "queue.directToAgent";
    /** The queue log ({@code queue.log}); the per-call export is {@code GET /api/queue-log.csv}. */
    public static final String QUEUE_LOG = "queue.log";
    /** The queue calls of a time range, one row per caller's wait (the rows of the CSV export), paged. */
    public static final String QUEUE_CALLS = "queue.calls";
    /** Call-center KPIs from the queue log. */
    public static final String KPI_QUEUES = "kpi.queues";
    public static final String KPI_AGENTS = "kpi.agents";
    /** IVR scenarios: CRUD as {@code ivr.create/get/list/update/delete}, and the methods beyond CRUD. */
    public static final String IVR = "ivr";
    public static final String IVR_VALIDATE = "ivr.validate";
    public static final String IVR_SIMULATE = "ivr.simulate";
    public static final String IVR_VERSIONS = "ivr.versions";
    public static final String IVR_RUNS = "ivr.runs";
    /** A tenant's holiday calendar: {@code holiday.create/get/list/update/delete}. */
    public static final String HOLIDAY = "holiday";
    /** Calls in progress, their transfer by a supervisor, and what is known of a caller. */
    public static final String CALL_LIST = "call.list";
    public static final String CALL_TRANSFER = "call.transfer";
    public static final String CALL_LISTEN = "call.listen";
    public static final String CALLER_INFO = "caller.info";

    /**
     * Dialing campaigns: CRUD as {@code campaign.create/get/list/update/delete} and the run control;
     * numbers are uploaded to {@code POST /api/campaigns/{id}/numbers}, results are
     * {@code GET /api/campaigns/{id}/results.csv}; {@code campaign.progress} is pushed.
     */
    public static final String CAMPAIGN = "campaign";
    public static final String CAMPAIGN_START = "campaign.start";
    public static final String CAMPAIGN_PAUSE = "campaign.pause";
    public static final String CAMPAIGN_RESUME = "campaign.resume";
    public static final String CAMPAIGN_STOP = "campaign.stop";
    /** The tenant's do-not-call list; the CSV upload is {@code POST /api/dnc}. */
    public static final String DNC_ADD = "dnc.add";
    public static final String DNC_REMOVE = "dnc.remove";
    public static final String DNC_LIST = "dnc.list";

    /** Webhooks on call events: {@code webhook.create/get/list/update/delete} and the delivery log. */
    public static final String WEBHOOK = "webhook";
    public static final String WEBHOOK_DELIVERIES = "webhook.deliveries";
    public static final String WEBHOOK_REDELIVER = "webhook.redeliver";

    /**
     * A tenant's CRM caller lookup (used by {@code caller.info}): {@code callerLookup.get/set/delete} and
     * {@code callerLookup.test}.
     */
    public static final String CALLER_LOOKUP = "callerLookup";
    public static final String CALLER_LOOKUP_SET = "callerLookup.set";
    public static final String CALLER_LOOKUP_TEST = "callerLookup.test";

    /**
     * The operator console: wrap-up codes ({@code wrapupCode.create/list/update/delete}), notes on calls
     * ({@code callNote.add/list/update/delete}, pushed as {@code callNote.changed}), queue scripts and
     * supervisors' messages to operators (pushed as {@code operator.message}).
     */
    public static final String WRAPUP_CODE_CREATE = "wrapupCode.create";
    public static final String WRAPUP_CODE_LIST = "wrapupCode.list";
    public static final String WRAPUP_CODE_UPDATE = "wrapupCode.update";
    public static final String WRAPUP_CODE_DELETE = "wrapupCode.delete";
    public static final String CALL_NOTE_ADD = "callNote.add";
    public static final String CALL_NOTE_LIST = "callNote.list";
    public static final String CALL_NOTE_UPDATE = "callNote.update";
    public static final String CALL_NOTE_DELETE = "callNote.delete";
    public static final String CALL_NOTE_CHANGED = "callNote.changed";
    public static final String QUEUE_SCRIPT_GET = "queueScript.get";
    public static final String QUEUE_SCRIPT_SET = "queueScript.set";
    public static final String OPERATOR_MESSAGE = "operator.message";

    /** Call detail records: {@code cdr.search}; the CSV export is {@code GET /api/cdr.csv}. */
    public static final String CDR_SEARCH = "cdr.search";

    public static final String TENANT = "tenant";
    public static final String DOMAIN = "domain";
    public static final String ACCOUNT = "account";
    public static final String USER = "user";
    public static final String CONTACT = "contact";
    public static final String AUDIO = "audio";
    public static final String PEER = "peer";
    public static final String ROUTE = "route";
    /** Call recordings: {@code recording.list/get/delete}; the audio is {@code GET /api/recordings/{id}.mp3}. */
    public static final String RECORDING = "recording";

    /** Routing methods beyond CRUD: renumber, dry run, CSV export and import. */
    public static final String ROUTE_REORDER = "route.reorder";
    public static final String ROUTE_TEST = "route.test";
    public static final String ROUTE_EXPORT = "route.export";
    public static final String ROUTE_IMPORT = "route.import";

    /** Verbs of the CRUD families ({@code tenant.list}, {@code account.create}, ...). */
    public static final String LIST = "list";
    public static final String GET = "get";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";

    /** {@code family.verb}, e.g. {@code crud(ACCOUNT, CREATE)} is {@code account.create}. */
    public static String crud(String family, String verb) {
        return family + "." + verb;
    }

    /** Push notifications on {@code /api/events}: {@code <family>.changed}. */
    public static String changed(String family) {
        return family + ".changed";
    }
}
