package org.callibry.server.dialer.internal;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.callibry.server.acd.QueueDirectory;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcException;
import org.callibry.server.api.RpcMethod;
import org.callibry.server.calls.CallControl;
import org.callibry.server.directory.AudioPrompts;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.ServiceCatalog;
import org.callibry.server.storage.Sql;
import org.callibry.shared.api.Methods;
import org.callibry.shared.api.Role;
import org.callibry.shared.api.dto.Campaigns;
import org.callibry.shared.api.dto.IdParams;
import org.callibry.shared.api.dto.Page;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * {@code campaign.create/get/list/update/delete} and {@code campaign.start/pause/resume/stop}. Admins
 * work on any tenant, supervisors and customers on their own. Every reference is checked on save (the
 * audio files and the queue are the tenant's, the time zone exists); a campaign starts only with numbers
 * left to call and, for IVR and queue campaigns, with that application running on this node.
 */
@Component
class CampaignEndpoint {
    static final Role[] ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER};
    private static final Map<String, String> UNIQUE = Map.of("dialer_campaign_name_uq", "name");
    static final Campaigns.RetryPolicy NO_RETRIES = new Campaigns.RetryPolicy(new Campaigns.Retry(0, 10),
            new Campaigns.Retry(0, 30), new Campaigns.Retry(0, 30));
    static final Campaigns.Schedule ALWAYS = new Campaigns.Schedule(List.of(), null, null, null, false);

    private final CampaignStore store;
    private final Dialer dialer;
    private final AudioPrompts audio;
    private final ObjectProvider<QueueDirectory> queues;
    private final ObjectProvider<org.callibry.server.directory.Holidays> holidays;
    private final ObjectProvider<ServiceCatalog> catalogs;

    CampaignEndpoint(CampaignStore store, Dialer dialer, AudioPrompts audio, ObjectProvider<QueueDirectory> queues,
                     ObjectProvider<org.callibry.server.directory.Holidays> holidays, ObjectProvider<ServiceCatalog> catalogs) {
        this.store = store;
        this.dialer = dialer;
        this.audio = audio;
        this.queues = queues;
        this.holidays = holidays;
        this.catalogs = catalogs;
    }

    @RpcMethod(value = "campaign.list", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Campaigns of a tenant, with their progress")
    Page<Campaigns.Campaign> list(Caller caller, Campaigns.ListParams params) {
        Long tenant = caller.scopeTenant(params.tenantId(), "tenantId");
        List<Campaigns.Campaign> all = store.campaigns(tenant, params.status()).stream().map(dialer::live).toList();
        return new Page<>(all, all.size(), 0, all.size());
    }

    @RpcMethod(value = "campaign.get", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "One campaign with its live progress, pacing and why it is not dialling")
    Campaigns.Campaign get(Caller caller, IdParams params) {
        return dialer.live(visible(caller, params.id()));
    }

    @RpcMethod(value = "campaign.create", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Create a campaign (DRAFT)")
    Campaigns.Campaign create(Caller caller, Campaigns.Create p) {
        Long tenantId = caller.scopeTenant(p.tenantId(), "tenantId");
        if (tenantId == null) {
            throw RpcException.invalid("tenantId", "must not be null");
        }
        Campaigns.Campaign c = new Campaigns.Campaign(0, tenantId, p.name().strip(), Campaigns.Status.DRAFT, p.onAnswer(),
                or(p.audioFileIds(), List.of()), or(p.playTimes(), 1), p.ivrId(), p.queueId(), p.callerId(),
                or(p.maxConcurrent(), 10), or(p.callsPerSecond(), 5), or(p.ringTimeoutSeconds(), 30), or(p.retry(), NO_RETRIES),
                schedule(or(p.schedule(), ALWAYS)), or(p.predictive(), false), or(p.maxAbandonPercent(), 3.0), p.abandonAudioId(),
                null, null, null, null, null);
        return save(null, c);
    }

    @RpcMethod(value = "campaign.update", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Change a campaign (a running one takes the change for its next calls)")
    Campaigns.Campaign update(Caller caller, Campaigns.Update p) {
        Campaigns.Campaign o = visible(caller, p.id());
        Campaigns.Campaign c = new Campaigns.Campaign(o.id(), o.tenantId(), p.name() == null ? o.name() : p.name().strip(),
                o.status(), or(p.onAnswer(), o.onAnswer()), or(p.audioFileIds(), o.audioFileIds()), or(p.playTimes(), o.playTimes()),
                or(p.ivrId(), o.ivrId()), or(p.queueId(), o.queueId()), or(p.callerId(), o.callerId()),
                or(p.maxConcurrent(), o.maxConcurrent()), or(p.callsPerSecond(), o.callsPerSecond()),
                or(p.ringTimeoutSeconds(), o.ringTimeoutSeconds()), or(p.retry(), o.retry()),
                p.schedule() == null ? o.schedule() : schedule(p.schedule()), or(p.predictive(), o.predictive()),
                or(p.maxAbandonPercent(), o.maxAbandonPercent()), or(p.abandonAudioId(), o.abandonAudioId()), o.progress(),
                o.pacing(), null, o.createdAt(), null);
        return save(o.id(), c);
    }

    @RpcMethod(value = "campaign.delete", roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Delete a campaign that is not running, with its numbers and results")
    void delete(Caller caller, IdParams params) {
        Campaigns.Campaign c = visible(caller, params.id());
        if (c.status() == Campaigns.Status.RUNNING) {
            throw RpcException.conflict("status", "a running campaign is stopped or paused before it is deleted");
        }
        dialer.removed(c.id());
        // the interrupted calls record their end first: deleting under them could deadlock with that write
        dialer.drained(c.id(), java.time.Duration.ofSeconds(10));
        for (int attempt = 1; ; attempt++) {
            try {
                store.delete(c.id());
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @RpcMethod(value = Methods.CAMPAIGN_START, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Start dialling a DRAFT, STOPPED or FINISHED campaign (where it stopped)")
    Campaigns.Campaign start(Caller caller, IdParams params) {
        Campaigns.Campaign c = visible(caller, params.id());
        if (c.status() == Campaigns.Status.RUNNING || c.status() == Campaigns.Status.PAUSED) {
            throw RpcException.conflict("status", "the campaign is " + c.status() + (c.status() == Campaigns.Status.PAUSED
                    ? "; campaign.resume continues it" : ""));
        }
        if (!store.unfinished(c.id())) {
            throw RpcException.conflict("numbers", "no numbers left to call: upload numbers first");
        }
        String kind = switch (c.onAnswer()) {
            case PLAY -> null;
            case IVR -> CallControl.IVR;
            case QUEUE -> CallControl.QUEUE;
        };
        if (kind != null && !dialer.hasApplication(kind)) {
            throw RpcException.conflict("onAnswer", "no " + kind + " application runs on this node");
        }
        return status(c, Campaigns.Status.RUNNING);
    }

    @RpcMethod(value = Methods.CAMPAIGN_PAUSE, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "No new calls until campaign.resume; calls in progress go on")
    Campaigns.Campaign pause(Caller caller, IdParams params) {
        return status(expect(visible(caller, params.id()), Campaigns.Status.RUNNING), Campaigns.Status.PAUSED);
    }

    @RpcMethod(value = Methods.CAMPAIGN_RESUME, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER}, summary = "Continue a paused campaign")
    Campaigns.Campaign resume(Caller caller, IdParams params) {
        return status(expect(visible(caller, params.id()), Campaigns.Status.PAUSED), Campaigns.Status.RUNNING);
    }

    @RpcMethod(value = Methods.CAMPAIGN_STOP, roles = {Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER},
            summary = "Stop a running or paused campaign; calls in progress go on, campaign.start continues it")
    Campaigns.Campaign stop(Caller caller, IdParams params) {
        Campaigns.Campaign c = visible(caller, params.id());
        if (c.status() != Campaigns.Status.RUNNING && c.status() != Campaigns.Status.PAUSED) {
            throw RpcException.conflict("status", "the campaign is " + c.status());
        }
        return status(c, Campaigns.Status.STOPPED);
    }

    private static Campaigns.Campaign expect(Campaigns.Campaign c, Campaigns.Status status) {
        if (c.status() != status) {
            throw RpcException.conflict("status", "the campaign is " + c.status() + ", not " + status);
        }
        return c;
    }

    private Campaigns.Campaign status(Campaigns.Campaign c, Campaigns.Status status) {
        store.status(c.id(), status);
        Campaigns.Campaign stored = store.campaign(c.id());
        dialer.changed(stored);
        return dialer.live(stored);
    }

    /** Checks the references, stores the campaign, and tells the dialer. */
    Campaigns.Campaign save(Long id, Campaigns.Campaign c) {
        check(c);
        long saved;
        try {
            saved = store.save(id, c);
        } catch (DataIntegrityViolationException e) {
            throw Sql.conflict(e, UNIQUE);
        }
        Campaigns.Campaign stored = store.campaign(saved);
        dialer.changed(stored);
        return dialer.live(stored);
    }

    private void check(Campaigns.Campaign c) {
        switch (c.onAnswer()) {
            case PLAY -> {
                if (c.audioFileIds().isEmpty()) {
                    throw RpcException.invalid("audioFileIds", "a PLAY campaign needs at least one audio file");
                }
            }
            case IVR -> {
                if (c.ivrId() == null) {
                    throw RpcException.invalid("ivrId", "an IVR campaign names its scenario");
                }
                // the IVR module says whether the scenario exists, as it does for routes
                catalogs.orderedStream().map(k -> k.refuse(Destination.MediaService.Kind.IVR, c.ivrId().toString()))
                        .flatMap(java.util.Optional::stream).findFirst().ifPresent(why -> {
                            throw RpcException.invalid("ivrId", why);
                        });
            }
            case QUEUE -> {
                if (c.queueId() == null) {
                    throw RpcException.invalid("queueId", "a QUEUE campaign names its queue");
                }
                QueueDirectory q = queues.getIfAvailable();
                QueueDirectory.Info info = q == null ? null : q.queues(List.of(c.queueId())).get(c.queueId());
                if (info == null || info.tenantId() != c.tenantId()) {
                    throw RpcException.invalid("queueId", "queue " + c.queueId() + " is not a queue of tenant " + c.tenantId());
                }
            }
        }
        for (Long file : c.audioFileIds()) {
            if (audio.playback(c.tenantId(), file).isEmpty()) {
                throw RpcException.invalid("audioFileIds", "audio file " + file + " is not an audio file of tenant " + c.tenantId());
            }
        }
        if (c.predictive()) {
            if (c.onAnswer() != Campaigns.OnAnswer.QUEUE) {
                throw RpcException.invalid("predictive", "predictive dialling is for QUEUE campaigns (agents)");
            }
            if (c.abandonAudioId() == null) {
                throw RpcException.invalid("abandonAudioId", "a predictive campaign needs the message an abandoned callee hears"
                        + " (who called and a number to call back)");
            }
        }
        if (c.abandonAudioId() != null && audio.playback(c.tenantId(), c.abandonAudioId()).isEmpty()) {
            throw RpcException.invalid("abandonAudioId", "audio file " + c.abandonAudioId() + " is not an audio file of tenant "
                    + c.tenantId());
        }
        Campaigns.Schedule s = c.schedule();
        if ((s.timeFrom() == null) != (s.timeTo() == null)) {
            throw RpcException.invalid("schedule.timeTo", "timeFrom and timeTo come together (or neither, for all day)");
        }
        if (s.timeZone() != null) {
            try {
                ZoneId.of(s.timeZone());
            } catch (RuntimeException e) {
                throw RpcException.invalid("schedule.timeZone", "unknown time zone '" + s.timeZone() + "'");
            }
        }
        if (Boolean.TRUE.equals(s.holidays()) && holidays.getIfAvailable() == null) {
            throw RpcException.invalid("schedule.holidays", "this server has no holiday calendar yet");
        }
    }

    /** Empty times and zone as null; no day list as every day. */
    private static Campaigns.Schedule schedule(Campaigns.Schedule s) {
        return new Campaigns.Schedule(s.days() == null ? List.of() : s.days().stream().distinct().sorted().toList(),
                blank(s.timeFrom()), blank(s.timeTo()), blank(s.timeZone()), Boolean.TRUE.equals(s.holidays()));
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    Campaigns.Campaign visible(Caller caller, long id) {
        Campaigns.Campaign c = store.campaign(id);
        if (c == null || !caller.canSee(c.tenantId())) {
            throw RpcException.notFound("campaign", id);
        }
        return c;
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
