package org.callibry.softphone.settings;

/**
 * What the operator chose, saved between runs. Audio devices are named by their mixer names; empty
 * means the system default.
 *
 * @param crmUrlTemplate  the embedded browser's page for a call, with {@code {caller}}-style variables
 * @param crmLoadOn       {@code ring} or {@code answer}: when the page loads for an incoming call
 * @param apiUrl          the server's HTTP API (company directory, operator status); empty = http://SIP host:8080/
 * @param apiUser         the operator's API user; empty = the SIP user
 * @param apiPassword     its password; empty = the SIP password
 * @param tlsFingerprint  SHA-256 fingerprint of a server certificate the operator accepted (self-signed), or empty
 * @param moreAccounts    further SIP accounts registered at the same time as the first one (another
 *                        extension, a queue line, another server); calls come in on any of them
 */
public record Settings(String server, String transport, String user, String password, String displayName,
                       boolean autoAnswer, String language, String theme, String microphone, String speaker,
                       String ringDevice, String crmUrlTemplate, String crmLoadOn, String stunServer, boolean dtmfInfo,
                       String apiUrl, String apiUser, String apiPassword, String tlsFingerprint,
                       java.util.List<Account> moreAccounts) {

    /** A further SIP account: its server ({@code HOST[:PORT]}), transport (udp, tcp, tls), user, password and display name. */
    public record Account(String server, String transport, String user, String password, String displayName) {
        /** How the window names it: {@code user@server}. */
        public String label() {
            return user + "@" + server;
        }
    }

    public Settings {
        moreAccounts = moreAccounts == null ? java.util.List.of() : java.util.List.copyOf(moreAccounts);
    }

    /** The first account (the one these settings' own fields describe). */
    public Account account() {
        return new Account(server, transport, user, password, displayName);
    }

    /** Every account to register: the first one, then the further ones. */
    public java.util.List<Account> accounts() {
        java.util.List<Account> all = new java.util.ArrayList<>();
        all.add(account());
        all.addAll(moreAccounts);
        return all;
    }

    public Settings withMoreAccounts(java.util.List<Account> v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, v);
    }

    public static Settings defaults() {
        return new Settings("", "udp", "", "", "", false, "en", "light", "", "", "", org.callibry.softphone.crm.UrlTemplate.CONSOLE,
                "ring", "", false, "", "", "", "", java.util.List.of());
    }

    public Settings withServer(String v) {
        return new Settings(v, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withUser(String v) {
        return new Settings(server, transport, v, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withPassword(String v) {
        return new Settings(server, transport, user, v, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withAutoAnswer(boolean v) {
        return new Settings(server, transport, user, password, displayName, v, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withLanguage(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, v, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withTheme(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, v, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withCrmUrlTemplate(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, v, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    /** The HTTP API address to use. */
    public java.net.URI effectiveApiUrl() {
        if (!apiUrl.isBlank()) {
            return java.net.URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        }
        String host = server.contains(":") && !server.endsWith("]") ? server.substring(0, server.lastIndexOf(':')) : server;
        return java.net.URI.create("http://" + host + ":8080/");
    }

    public String effectiveApiUser() {
        return apiUser.isBlank() ? user : apiUser;
    }

    public String effectiveApiPassword() {
        return apiPassword.isBlank() ? password : apiPassword;
    }

    /** {@code host[:port]} of a STUN server (RFC 5389) for the public address in Contact and SDP; empty = none. */
    public Settings withStunServer(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, v, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withDtmfInfo(boolean v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, v, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withApiUrl(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, v, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }

    public Settings withTlsFingerprint(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, v, moreAccounts);
    }

    /** The account part of the settings, as the settings dialog edits it. */
    public Settings withAccount(String server, String transport, String user, String password, String displayName,
                                boolean autoAnswer, String crmUrlTemplate, String crmLoadOn, String microphone, String speaker,
                                String ringDevice) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo, apiUrl, apiUser, apiPassword, tlsFingerprint, moreAccounts);
    }
}
