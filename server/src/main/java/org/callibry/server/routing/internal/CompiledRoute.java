package org.callibry.server.routing.internal;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callibry.server.routing.Destination;
import org.callibry.server.routing.RouteTarget;
import org.callibry.shared.api.dto.Routes;

/**
 * One route ready for evaluation: masks compiled once, rewrites checked, destination parsed, days and
 * hours as numbers. Immutable; built by {@link RouteCompiler}.
 *
 * @param aNumber    null when the mask is empty (matches anything); likewise the other masks
 * @param bRewriteBy the expression whose groups {@code bRewrite} uses (the B-number mask, or "anything")
 * @param dayMask    bit {@code 1 << d} for each ISO day {@code d} the route is open; 0 = every day
 * @param from       second of the day the route opens, -1 = all day
 * @param to         second of the day it closes (exclusive)
 * @param broken     why a stored route could not be compiled (it then never matches), else null
 */
record CompiledRoute(Routes.Route route, Mask aNumber, Mask aHost, Mask bNumber, Mask bHost,
                     Pattern bRewriteBy, String bRewrite, Pattern aRewriteBy, String aRewrite,
                     Destination destination, Duration maxDuration, String callerId,
                     int dayMask, int from, int to, ZoneId zone, String broken) {

    static final Pattern ANYTHING = Pattern.compile("(?s).*");

    long id() {
        return route.id();
    }

    boolean enabled() {
        return route.enabled() && broken == null;
    }

    boolean continueOnFailure() {
        return route.continueOnFailure();
    }

    boolean timed() {
        return dayMask != 0 || from >= 0;
    }

    /** Do the masks take this call? (Not the time condition, nor the enabled flag.) */
    boolean masksMatch(String a, String aHostValue, String source, String b, String bHostValue) {
        return (bNumber == null || bNumber.matches(b))
                && (bHost == null || bHost.matches(bHostValue))
                && (aNumber == null || aNumber.matches(a))
                && (aHost == null || aHost.matches(aHostValue) || aHost.matches(source));
    }

    /** Is the route open at this local day ({@code 1..7}) and second of the day? */
    boolean open(int isoDay, int secondOfDay) {
        if (dayMask != 0 && (dayMask & (1 << isoDay)) == 0) {
            return false;
        }
        if (from < 0) {
            return true;
        }
        return from < to ? secondOfDay >= from && secondOfDay < to : secondOfDay >= from || secondOfDay < to;
    }

    /** Why the masks do not take the call, or null when they do. */
    String mismatch(String a, String aHostValue, String source, String b, String bHostValue) {
        if (bNumber != null && !bNumber.matches(b)) {
            return "bNumberMask " + bNumber.regex() + " does not match " + shown(b);
        }
        if (bHost != null && !bHost.matches(bHostValue)) {
            return "bHostMask " + bHost.regex() + " does not match " + shown(bHostValue);
        }
        if (aNumber != null && !aNumber.matches(a)) {
            return "aNumberMask " + aNumber.regex() + " does not match " + shown(a);
        }
        if (aHost != null && !aHost.matches(aHostValue) && !aHost.matches(source)) {
            return "aHostMask " + aHost.regex() + " matches neither aHost " + shown(aHostValue)
                    + " nor source address " + shown(source);
        }
        return null;
    }

    /** "outside its hours (...)" for a call at this local day and second, or null when the route is open. */
    String closed(int isoDay, int secondOfDay) {
        if (open(isoDay, secondOfDay)) {
            return null;
        }
        StringBuilder hours = new StringBuilder();
        if (dayMask != 0) {
            hours.append("days ").append(RouteCompiler.days(route.days()));
        }
        if (from >= 0) {
            hours.append(hours.isEmpty() ? "" : " ").append(route.timeFrom()).append('-').append(route.timeTo());
        }
        return String.format(Locale.ROOT, "outside its hours (%s %s; it is %s %02d:%02d there)", hours, zone.getId(),
                java.time.DayOfWeek.of(isoDay).getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT),
                secondOfDay / 3600, secondOfDay / 60 % 60);
    }

    /** The target this route makes of a call it matched: numbers rewritten, destination, options. */
    RouteTarget target(String a, String b) {
        String bOut = bRewrite == null ? b : rewrite(bRewriteBy, b, bRewrite);
        String aOut = a;
        if (aRewrite != null && aRewriteBy.matcher(a).matches()) {
            aOut = rewrite(aRewriteBy, a, aRewrite);
        }
        return new RouteTarget(route.id(), route.name(), aOut, bOut, destination, route.recordCall(), route.relayMedia(),
                maxDuration, route.continueOnFailure(), callerId);
    }

    /** The replacement applied to a whole match: {@code $1}, {@code ${name}} refer to the expression's groups. */
    static String rewrite(Pattern by, String value, String replacement) {
        Matcher m = by.matcher(value);
        if (!m.matches()) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        m.appendReplacement(out, replacement);
        return out.toString();
    }

    private static String shown(String value) {
        return value.isEmpty() ? "(empty)" : value;
    }

    /** The DTO of a target, for {@code route.test}. */
    static Routes.Target dto(RouteTarget t, Routes.Route route) {
        return new Routes.Target(t.routeId(), t.routeName(), route.priority(), t.aNumber(), t.bNumber(),
                route.destinationType(), route.destination(), t.record(), t.relayMedia(),
                t.maxDuration() == null ? null : (int) t.maxDuration().toSeconds(), t.continueOnFailure(), t.callerId());
    }

    static final Map<Routes.DestinationType, Destination.MediaService.Kind> MEDIA = Map.of(
            Routes.DestinationType.QUEUE, Destination.MediaService.Kind.QUEUE,
            Routes.DestinationType.IVR, Destination.MediaService.Kind.IVR,
            Routes.DestinationType.DIALER, Destination.MediaService.Kind.DIALER,
            Routes.DestinationType.VOICEMAIL, Destination.MediaService.Kind.VOICEMAIL,
            Routes.DestinationType.ECHO, Destination.MediaService.Kind.ECHO,
            Routes.DestinationType.MUSIC_ON_HOLD, Destination.MediaService.Kind.MUSIC_ON_HOLD);

}
