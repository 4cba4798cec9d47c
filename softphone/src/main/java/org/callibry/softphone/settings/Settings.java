package org.callibry.softphone.settings;

/**
 * What the operator chose, saved between runs. Audio devices are named by their mixer names; empty
 * means the system default.
 *
 * @param crmUrlTemplate  the embedded browser's page for a call, with {@code {caller}}-style variables
 * @param crmLoadOn       {@code ring} or {@code answer}: when the page loads for an incoming call
 */
public record Settings(String server, String transport, String user, String password, String displayName,
                       boolean autoAnswer, String language, String theme, String microphone, String speaker,
                       String ringDevice, String crmUrlTemplate, String crmLoadOn, String stunServer, boolean dtmfInfo) {

    public static Settings defaults() {
        return new Settings("", "udp", "", "", "", false, "en", "light", "", "", "", "", "ring", "", false);
    }

    public Settings withServer(String v) {
        return new Settings(v, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo);
    }

    public Settings withUser(String v) {
        return new Settings(server, transport, v, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo);
    }

    public Settings withPassword(String v) {
        return new Settings(server, transport, user, v, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo);
    }

    public Settings withAutoAnswer(boolean v) {
        return new Settings(server, transport, user, password, displayName, v, language, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo);
    }

    public Settings withLanguage(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, v, theme, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo);
    }

    public Settings withTheme(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, v, microphone, speaker,
                ringDevice, crmUrlTemplate, crmLoadOn, stunServer, dtmfInfo);
    }

    public Settings withCrmUrlTemplate(String v) {
        return new Settings(server, transport, user, password, displayName, autoAnswer, language, theme, microphone, speaker,
                ringDevice, v, crmLoadOn, stunServer, dtmfInfo);
    }
}
