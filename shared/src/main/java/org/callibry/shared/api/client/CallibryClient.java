package org.callibry.shared.api.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.callibry.shared.api.ErrorCodes;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.AudioFiles;
import org.callibry.shared.api.dto.Auth;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Cdrs;
import org.callibry.shared.api.dto.Recordings;
import org.callibry.shared.api.dto.Contacts;
import org.callibry.shared.api.dto.Domains;
import org.callibry.shared.api.dto.Notification;
import org.callibry.shared.api.dto.Peers;
import org.callibry.shared.api.dto.Routes;
import org.callibry.shared.api.dto.SystemInfo;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.api.dto.Tenants;
import org.callibry.shared.api.dto.Users;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed client of the Callibry JSON-RPC 2.0 API ({@code POST /api/rpc}), its file endpoints and its
 * push channel ({@code /api/events}). Used by the desktop apps and by the server's own API tests.
 * Thread-safe; errors from the server arrive as {@link RpcErrorException}.
 */
public final class CallibryClient {
    private final URI base;
    private final HttpClient http;
    private final JsonMapper json;
    private final AtomicLong ids = new AtomicLong();
    private volatile String authorization;

    private CallibryClient(URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    /** A client of the server at {@code base}, e.g. {@code http://127.0.0.1:8080/}. */
    public static CallibryClient of(URI base) {
        return new CallibryClient(base);
    }

    JsonMapper mapper() {
        return json;
    }

    // ---- authentication ----

    /** Logs in with {@code auth.login} and sends the token with every later call. */
    public Auth.LoginResult login(String user, String password) {
        Auth.LoginResult result = call(Methods.AUTH_LOGIN, new Auth.Login(user, password), Auth.LoginResult.class);
        useToken(result.token());
        return result;
    }

    public void useToken(String token) {
        this.authorization = token == null ? null : "Bearer " + token;
    }

    /** Sends HTTP Basic credentials with every call instead of a token. */
    public void useBasic(String user, String password) {
        String pair = user + ":" + password;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    public void logout() {
        call(Methods.AUTH_LOGOUT, null, Object.class);
        this.authorization = null;
    }

    /** The bearer token in use, or null. */
    public String token() {
        String a = authorization;
        return a != null && a.startsWith("Bearer ") ? a.substring(7) : null;
    }

    public Auth.Identity whoami() {
        return call(Methods.AUTH_WHOAMI, null, Auth.Identity.class);
    }

    // ---- typed families ----

    public CrudClient<Tenants.Tenant, Tenants.Create, Tenants.Update, Tenants.ListParams> tenants() {
        return new CrudClient<>(this, Methods.TENANT, Tenants.Tenant.class);
    }

    public CrudClient<Domains.Domain, Domains.Create, Domains.Update, Domains.ListParams> domains() {
        return new CrudClient<>(this, Methods.DOMAIN, Domains.Domain.class);
    }

    public CrudClient<Accounts.Account, Accounts.Create, Accounts.Update, Accounts.ListParams> accounts() {
        return new CrudClient<>(this, Methods.ACCOUNT, Accounts.Account.class);
    }

    public CrudClient<Users.User, Users.Create, Users.Update, Users.ListParams> users() {
        return new CrudClient<>(this, Methods.USER, Users.User.class);
    }

    public CrudClient<Contacts.Contact, Contacts.Create, Contacts.Update, Contacts.ListParams> contacts() {
        return new CrudClient<>(this, Methods.CONTACT, Contacts.Contact.class);
    }

    /** {@code audio.list/get/update/delete}; {@code audio.create} does not exist: use {@link #uploadAudio}. */
    public CrudClient<AudioFiles.AudioFile, Void, AudioFiles.Update, AudioFiles.ListParams> audio() {
        return new CrudClient<>(this, Methods.AUDIO, AudioFiles.AudioFile.class);
    }

    public CrudClient<Peers.Peer, Peers.Create, Peers.Update, Peers.ListParams> peers() {
        return new CrudClient<>(this, Methods.PEER, Peers.Peer.class);
    }

    /** {@code route.list/get/create/update/delete}: the call routing table. */
    public CrudClient<Routes.Route, Routes.Create, Routes.Update, Routes.ListParams> routes() {
        return new CrudClient<>(this, Methods.ROUTE, Routes.Route.class);
    }

    /** {@code route.reorder}: the routes in this order get priorities 10, 20, 30, ...; the others follow. */
    /** {@code ivr.*}: IVR scenarios. */
    public CrudClient<org.callibry.shared.api.dto.Ivrs.Ivr, org.callibry.shared.api.dto.Ivrs.Create,
            org.callibry.shared.api.dto.Ivrs.Update, org.callibry.shared.api.dto.Ivrs.ListParams> ivrs() {
        return new CrudClient<>(this, Methods.IVR, org.callibry.shared.api.dto.Ivrs.Ivr.class);
    }

    /** {@code ivr.simulate}: a walk through a scenario without a call. */
    public org.callibry.shared.api.dto.Ivrs.Trace simulateIvr(org.callibry.shared.api.dto.Ivrs.SimulateParams params) {
        return call(Methods.IVR_SIMULATE, params, org.callibry.shared.api.dto.Ivrs.Trace.class);
    }

    /** {@code ivr.validate}: the errors and warnings of a scenario document. */
    public org.callibry.shared.api.dto.Ivrs.Validation validateIvr(org.callibry.shared.api.dto.Ivrs.ValidateParams params) {
        return call(Methods.IVR_VALIDATE, params, org.callibry.shared.api.dto.Ivrs.Validation.class);
    }

    /** {@code holiday.*}: a tenant's holiday calendar. */
    public CrudClient<org.callibry.shared.api.dto.Holidays.Holiday, org.callibry.shared.api.dto.Holidays.Create,
            org.callibry.shared.api.dto.Holidays.Update, org.callibry.shared.api.dto.Holidays.ListParams> holidays() {
        return new CrudClient<>(this, Methods.HOLIDAY, org.callibry.shared.api.dto.Holidays.Holiday.class);
    }

    public void reorderRoutes(List<Long> ids) {
        call(Methods.ROUTE_REORDER, new Routes.Reorder(ids), Object.class);
    }

    /** {@code route.test}: how a call would be routed, with the reason each skipped route did not match. */
    public Routes.TestResult testRoute(Routes.TestCall call) {
        return call(Methods.ROUTE_TEST, call, Routes.TestResult.class);
    }

    /** {@code route.export}: every route as CSV text with a header row. */
    public String exportRoutes() {
        return call(Methods.ROUTE_EXPORT, null, String.class);
    }

    /** {@code route.import}: CSV text as {@link #exportRoutes} writes it, appended or replacing the table, all or nothing. */
    public Routes.ImportResult importRoutes(String csv, boolean replace) {
        return call(Methods.ROUTE_IMPORT, new Routes.Import(csv, replace ? Routes.REPLACE : Routes.APPEND),
                Routes.ImportResult.class);
    }

    /** {@code webhook.*}: a tenant's subscriptions to call events. */
    public CrudClient<org.callibry.shared.api.dto.Webhooks.Webhook, org.callibry.shared.api.dto.Webhooks.Create,
            org.callibry.shared.api.dto.Webhooks.Update, org.callibry.shared.api.dto.Webhooks.ListParams> webhooks() {
        return new CrudClient<>(this, Methods.WEBHOOK, org.callibry.shared.api.dto.Webhooks.Webhook.class);
    }

    /** {@code webhook.deliveries}: the webhook delivery log, newest first. */
    public org.callibry.shared.api.dto.Page<org.callibry.shared.api.dto.Webhooks.Delivery> webhookDeliveries(
            org.callibry.shared.api.dto.Webhooks.DeliveriesParams params) {
        return call(Methods.WEBHOOK_DELIVERIES, params, mapper().getTypeFactory().constructParametricType(org.callibry.shared.api.dto.Page.class,
                org.callibry.shared.api.dto.Webhooks.Delivery.class));
    }

    /** {@code webhook.redeliver}: a delivered or failed delivery is sent again (its attempts counted afresh). */
    public void redeliverWebhook(long deliveryId) {
        call(Methods.WEBHOOK_REDELIVER, org.callibry.shared.api.dto.IdParams.of(deliveryId), Object.class);
    }

    /** {@code wrapupCode.create}: a wrap-up code of the tenant. */
    public org.callibry.shared.api.dto.CallNotes.WrapupCode createWrapupCode(org.callibry.shared.api.dto.CallNotes.WrapupCreate params) {
        return call(Methods.WRAPUP_CODE_CREATE, params, org.callibry.shared.api.dto.CallNotes.WrapupCode.class);
    }

    /** {@code wrapupCode.list}: the tenant's wrap-up codes (only the enabled ones when asked). */
    public java.util.List<org.callibry.shared.api.dto.CallNotes.WrapupCode> wrapupCodes(Long tenantId, boolean enabledOnly) {
        return call(Methods.WRAPUP_CODE_LIST, new org.callibry.shared.api.dto.CallNotes.WrapupList(tenantId, enabledOnly), listOf(org.callibry.shared.api.dto.CallNotes.WrapupCode.class));
    }

    /** {@code wrapupCode.update}: a new label or enabled flag. */
    public org.callibry.shared.api.dto.CallNotes.WrapupCode updateWrapupCode(org.callibry.shared.api.dto.CallNotes.WrapupUpdate params) {
        return call(Methods.WRAPUP_CODE_UPDATE, params, org.callibry.shared.api.dto.CallNotes.WrapupCode.class);
    }

    /** {@code wrapupCode.delete}: notes keep the code they were saved with. */
    public void deleteWrapupCode(long id) {
        call(Methods.WRAPUP_CODE_DELETE, org.callibry.shared.api.dto.IdParams.of(id), Object.class);
    }

    /** {@code callNote.add}: a note (text and/or wrap-up code) on a call by its shared call id. */
    public org.callibry.shared.api.dto.CallNotes.Note addCallNote(org.callibry.shared.api.dto.CallNotes.NoteAdd params) {
        return call(Methods.CALL_NOTE_ADD, params, org.callibry.shared.api.dto.CallNotes.Note.class);
    }

    /** {@code callNote.list}: the notes of a call, oldest first. */
    public org.callibry.shared.api.dto.CallNotes.Notes callNotes(String callId) {
        return call(Methods.CALL_NOTE_LIST, new org.callibry.shared.api.dto.CallNotes.NoteList(callId), org.callibry.shared.api.dto.CallNotes.Notes.class);
    }

    /** {@code callNote.update}: absent fields keep their value. */
    public org.callibry.shared.api.dto.CallNotes.Note updateCallNote(org.callibry.shared.api.dto.CallNotes.NoteUpdate params) {
        return call(Methods.CALL_NOTE_UPDATE, params, org.callibry.shared.api.dto.CallNotes.Note.class);
    }

    /** {@code callNote.delete}. */
    public void deleteCallNote(long id) {
        call(Methods.CALL_NOTE_DELETE, org.callibry.shared.api.dto.IdParams.of(id), Object.class);
    }

    /** {@code queueScript.get}: the script of a queue, by id or by name in the caller's tenant. */
    public org.callibry.shared.api.dto.CallNotes.QueueScript queueScript(org.callibry.shared.api.dto.CallNotes.QueueScriptGet params) {
        return call(Methods.QUEUE_SCRIPT_GET, params, org.callibry.shared.api.dto.CallNotes.QueueScript.class);
    }

    /** {@code queueScript.set}: replaces the script of a queue ({@code ""} removes it). */
    public org.callibry.shared.api.dto.CallNotes.QueueScript setQueueScript(long queueId, String text) {
        return call(Methods.QUEUE_SCRIPT_SET, new org.callibry.shared.api.dto.CallNotes.QueueScriptSet(queueId, text), org.callibry.shared.api.dto.CallNotes.QueueScript.class);
    }

    /** {@code operator.message}: a supervisor's message pushed to one operator's consoles. */
    public org.callibry.shared.api.dto.CallNotes.MessageSent messageOperator(org.callibry.shared.api.dto.CallNotes.OperatorMessage params) {
        return call(Methods.OPERATOR_MESSAGE, params, org.callibry.shared.api.dto.CallNotes.MessageSent.class);
    }

    /** {@code callerLookup.get}: the tenant's CRM caller lookup, or null when it has none. */
    public org.callibry.shared.api.dto.CallerLookups.Lookup callerLookup(Long tenantId) {
        return call(Methods.crud(Methods.CALLER_LOOKUP, Methods.GET), new org.callibry.shared.api.dto.CallerLookups.GetParams(tenantId),
                org.callibry.shared.api.dto.CallerLookups.Lookup.class);
    }

    /** {@code callerLookup.set}: creates or replaces the tenant's CRM caller lookup. */
    public org.callibry.shared.api.dto.CallerLookups.Lookup setCallerLookup(org.callibry.shared.api.dto.CallerLookups.Set params) {
        return call(Methods.CALLER_LOOKUP_SET, params, org.callibry.shared.api.dto.CallerLookups.Lookup.class);
    }

    /** {@code callerLookup.delete}: the tenant no longer has a CRM caller lookup. */
    public void deleteCallerLookup(Long tenantId) {
        call(Methods.crud(Methods.CALLER_LOOKUP, Methods.DELETE), new org.callibry.shared.api.dto.CallerLookups.GetParams(tenantId),
                Object.class);
    }

    /** {@code callerLookup.test}: a lookup now, past the cache. */
    public org.callibry.shared.api.dto.CallerLookups.TestResult testCallerLookup(Long tenantId, String number) {
        return call(Methods.CALLER_LOOKUP_TEST, new org.callibry.shared.api.dto.CallerLookups.TestParams(tenantId, number),
                org.callibry.shared.api.dto.CallerLookups.TestResult.class);
    }

    /** The most recent calls the caller may see: the first page of {@code cdr.search} without filters. */
    public Cdrs.SearchResult cdrs() {
        return cdrs(null);
    }

    /** {@code cdr.search}: call detail records matching the params, most recent first. */
    public Cdrs.SearchResult cdrs(Cdrs.SearchParams params) {
        return call(Methods.CDR_SEARCH, params, Cdrs.SearchResult.class);
    }

    public SystemInfo.Version version() {
        return call(Methods.SYSTEM_VERSION, null, SystemInfo.Version.class);
    }

    public SystemInfo.Health health() {
        return call(Methods.SYSTEM_HEALTH, null, SystemInfo.Health.class);
    }

    /** {@code system.nodes}: the media nodes the server knows (admin, supervisor). */
    public SystemInfo.Nodes nodes() {
        return call(Methods.SYSTEM_NODES, null, SystemInfo.Nodes.class);
    }

    /** {@code agent.setStatus}: the operator's status (its own, or {@code accountId} for supervisors and admins). */
    public org.callibry.shared.api.dto.Agents.AgentStatus setAgentStatus(org.callibry.shared.api.dto.Agents.SetStatus params) {
        return call(Methods.AGENT_SET_STATUS, params, org.callibry.shared.api.dto.Agents.AgentStatus.class);
    }

    /** {@code agent.getStatus}: one's own status, or that of {@code accountId} (null: one's own). */
    public org.callibry.shared.api.dto.Agents.AgentStatus agentStatus(Long accountId) {
        return call(Methods.AGENT_GET_STATUS, new org.callibry.shared.api.dto.Agents.GetStatus(accountId),
                org.callibry.shared.api.dto.Agents.AgentStatus.class);
    }

    /** {@code agent.list}: the statuses of a tenant's operators (supervisor, admin). */
    public java.util.List<org.callibry.shared.api.dto.Agents.AgentStatus> agentStatuses(Long tenantId) {
        return call(Methods.AGENT_LIST, new org.callibry.shared.api.dto.Agents.ListParams(tenantId),
                json.getTypeFactory().constructCollectionType(java.util.List.class, org.callibry.shared.api.dto.Agents.AgentStatus.class));
    }

    /** {@code queue.*}: ACD queues. */
    public CrudClient<Queues.Queue, Queues.Create, Queues.Update, Queues.ListParams> queues() {
        return new CrudClient<>(this, Methods.QUEUE, Queues.Queue.class);
    }

    /** {@code queue.waiting}: callers and callbacks waiting in a queue, in service order. */
    public java.util.List<Queues.Waiting> queueWaiting(long queueId) {
        return call(Methods.QUEUE_WAITING, new Queues.WaitingParams(queueId),
                json.getTypeFactory().constructCollectionType(java.util.List.class, Queues.Waiting.class));
    }

    public Queues.Waiting setQueuePriority(String entryId, int priority) {
        return call(Methods.QUEUE_SET_PRIORITY, new Queues.SetPriority(entryId, priority), Queues.Waiting.class);
    }

    public Queues.Waiting moveToQueue(String entryId, long queueId) {
        return call(Methods.QUEUE_MOVE, new Queues.Move(entryId, queueId), Queues.Waiting.class);
    }

    /** {@code queue.kick}: hang up ({@code destination} null) or send the caller to a number. */
    public void kick(String entryId, String destination) {
        call(Methods.QUEUE_KICK, new Queues.Kick(entryId, destination), JsonNode.class);
    }

    public void directToAgent(String entryId, long accountId) {
        call(Methods.QUEUE_DIRECT_TO_AGENT, new Queues.DirectToAgent(entryId, accountId), JsonNode.class);
    }

    /** {@code call.list}: queue calls in progress. */
    public java.util.List<Calls.Call> calls(Long tenantId) {
        return call(Methods.CALL_LIST, new Calls.ListParams(tenantId),
                json.getTypeFactory().constructCollectionType(java.util.List.class, Calls.Call.class));
    }

    public void transferCall(String callId, String destination) {
        call(Methods.CALL_TRANSFER, new Calls.Transfer(callId, destination), JsonNode.class);
    }

    public Calls.CallerInfo callerInfo(String number) {
        return call(Methods.CALLER_INFO, new Calls.CallerInfoParams(number), Calls.CallerInfo.class);
    }

    /** {@code queue.log}: logged queue events of a range, paged. */
    public org.callibry.shared.api.dto.QueueLogs.SearchResult queueLog(org.callibry.shared.api.dto.QueueLogs.SearchParams params) {
        return call(Methods.QUEUE_LOG, params, org.callibry.shared.api.dto.QueueLogs.SearchResult.class);
    }

    /** {@code kpi.queues}: per-queue KPIs of a range. */
    public java.util.List<org.callibry.shared.api.dto.Kpis.QueueKpi> queueKpis(org.callibry.shared.api.dto.Kpis.QueueParams params) {
        return call(Methods.KPI_QUEUES, params, listOf(org.callibry.shared.api.dto.Kpis.QueueKpi.class));
    }

    /** {@code kpi.agents}: per-agent KPIs of a range. */
    public java.util.List<org.callibry.shared.api.dto.Kpis.AgentKpi> agentKpis(org.callibry.shared.api.dto.Kpis.AgentParams params) {
        return call(Methods.KPI_AGENTS, params, listOf(org.callibry.shared.api.dto.Kpis.AgentKpi.class));
    }

    /** The JSON type of a list of {@code type}, for {@link #call(String, Object, JavaType)}. */
    public JavaType listOf(Class<?> type) {
        return json.getTypeFactory().constructCollectionType(java.util.List.class, type);
    }

    /** The OpenRPC document of the server ({@code rpc.discover}). */
    public JsonNode discover() {
        return call(Methods.RPC_DISCOVER, null, JsonNode.class);
    }

    // ---- generic JSON-RPC ----

    public <T> T call(String method, Object params, Class<T> type) {
        return call(method, params, json.constructType(type));
    }

    public <T> T call(String method, Object params, JavaType type) {
        ObjectNode request = request(method, params);
        request.put("id", ids.incrementAndGet());
        JsonNode response = json.readTree(post(json.writeValueAsString(request)).body());
        return json.treeToValue(result(response), type);
    }

    /** Sends a notification (no id): the server answers nothing. */
    public void notify(String method, Object params) {
        post(json.writeValueAsString(request(method, params)));
    }

    /** One call of a batch; a null {@code id} makes it a notification. */
    public record BatchCall(Object id, String method, Object params) {
    }

    /** Sends the calls as one JSON-RPC batch and returns the raw response objects (an empty list when all were notifications). */
    public List<JsonNode> batch(List<BatchCall> calls) {
        ArrayNode array = json.createArrayNode();
        for (BatchCall c : calls) {
            ObjectNode r = request(c.method(), c.params());
            if (c.id() != null) {
                r.set("id", json.valueToTree(c.id()));
            }
            array.add(r);
        }
        String body = post(json.writeValueAsString(array)).body();
        List<JsonNode> out = new ArrayList<>();
        if (!body.isBlank()) {
            json.readTree(body).forEach(out::add);
        }
        return out;
    }

    /** Posts a raw body to {@code /api/rpc}: for tests of malformed input. */
    public HttpResponse<String> post(String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("api/rpc"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(b, HttpResponse.BodyHandlers.ofString());
    }

    private ObjectNode request(String method, Object params) {
        ObjectNode r = json.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.put("method", method);
        if (params != null) {
            r.set("params", json.valueToTree(params));
        }
        return r;
    }

    /** The {@code result} member of a response, or the error it carries thrown as {@link RpcErrorException}. */
    public static JsonNode result(JsonNode response) {
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            throw new RpcErrorException(error.path("code").asInt(ErrorCodes.INTERNAL_ERROR),
                    error.path("message").asString(""), error.get("data"));
        }
        return response.get("result");
    }

    // ---- audio files ----

    /** Uploads a WAV or MP3 file as {@code name}; {@code tenantId} may be null for a tenant-bound user. */
    public AudioFiles.AudioFile uploadAudio(Path file, String name, Long tenantId) {
        String boundary = "callibry-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            part(body, boundary, "name", null, name.getBytes(StandardCharsets.UTF_8));
            if (tenantId != null) {
                part(body, boundary, "tenantId", null, tenantId.toString().getBytes(StandardCharsets.UTF_8));
            }
            part(body, boundary, "file", file.getFileName().toString(), Files.readAllBytes(file));
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("api/audio"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        HttpResponse<String> response = send(b, HttpResponse.BodyHandlers.ofString());
        return json.treeToValue(result(json.readTree(response.body())), AudioFiles.AudioFile.class);
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String fileName, byte[] content)
            throws IOException {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            head.append("; filename=\"").append(fileName.replace("\"", "")).append('"');
            head.append("\r\nContent-Type: application/octet-stream");
        }
        head.append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Downloads an audio file's bytes; a missing or foreign file throws {@link RpcErrorException}. */
    public byte[] downloadAudio(long id) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("api/audio/" + id)).timeout(Duration.ofSeconds(60)).GET();
        HttpResponse<byte[]> response = send(b, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            result(json.readTree(response.body()));
            throw new RpcErrorException(ErrorCodes.INTERNAL_ERROR, "HTTP " + response.statusCode(), null);
        }
        return response.body();
    }

    // ---- call recordings ----

    /** {@code recording.list/get/delete}; recordings are made by the server, never created by clients. */
    public CrudClient<Recordings.Recording, Void, Void, Recordings.ListParams> recordings() {
        return new CrudClient<>(this, Methods.RECORDING, Recordings.Recording.class);
    }

    /** Downloads a recording's MP3; a missing or foreign recording throws {@link RpcErrorException}. */
    public byte[] downloadRecording(long id) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("api/recordings/" + id + ".mp3"))
                .timeout(Duration.ofSeconds(60)).GET();
        HttpResponse<byte[]> response = send(b, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            result(json.readTree(response.body()));
            throw new RpcErrorException(ErrorCodes.INTERNAL_ERROR, "HTTP " + response.statusCode(), null);
        }
        return response.body();
    }

    // ---- call detail records as CSV ----

    /**
     * Opens {@code GET /api/cdr.csv} for every call matching {@code filter} (null for all): RFC 4180
     * CSV in UTF-8 with a header row, streamed. The caller closes the stream. Errors (bad filter,
     * another tenant, no credentials) throw {@link RpcErrorException}.
     */
    public InputStream openCdrCsv(Cdrs.Filter filter) {
        Cdrs.Filter f = filter == null ? Cdrs.Filter.none() : filter;
        List<String> query = new ArrayList<>();
        queryParam(query, "from", f.from());
        queryParam(query, "to", f.to());
        queryParam(query, "match", f.match());
        queryParam(query, "timeFrom", f.timeFrom());
        queryParam(query, "timeTo", f.timeTo());
        queryParam(query, "disposition", f.disposition());
        queryParam(query, "route", f.route());
        queryParam(query, "tenantId", f.tenantId());
        String uri = "api/cdr.csv" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(uri)).timeout(Duration.ofMinutes(30)).GET();
        HttpResponse<InputStream> response = send(b, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream error = response.body()) {
                result(json.readTree(error.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new RpcErrorException(ErrorCodes.INTERNAL_ERROR, "HTTP " + response.statusCode(), null);
        }
        return response.body();
    }

    /** Downloads the CSV of {@link #openCdrCsv} into {@code file} (replaced); returns its size in bytes. */
    public long downloadCdrCsv(Cdrs.Filter filter, Path file) {
        try (InputStream in = openCdrCsv(filter)) {
            return Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download the CDR export to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void queryParam(List<String> query, String name, Object value) {
        if (value != null) {
            String text = value instanceof Enum<?> e ? e.name() : value.toString();
            query.add(name + "=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
    }

    // ---- push channel ----

    /** An open subscription to {@code /api/events}; close it to stop. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Opens the push channel with the current token and hands each JSON-RPC notification to
     * {@code listener} (on the client's thread).
     */
    public Subscription subscribe(Consumer<Notification> listener) {
        String token = Objects.requireNonNull(token(), "log in first: the push channel needs a token");
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "api/events?access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(ws, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            JsonNode n = json.readTree(text.toString());
                            text.setLength(0);
                            listener.accept(new Notification(n.path("method").asString(), n.get("params")));
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).join();
        return () -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    private <B> HttpResponse<B> send(HttpRequest.Builder request, HttpResponse.BodyHandler<B> handler) {
        String a = authorization;
        if (a != null) {
            request.header("Authorization", a);
        }
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
