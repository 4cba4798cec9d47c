package org.callibry.softphone.settings;

/**
 * A server as the operator writes it, {@code HOST[:PORT]} ({@code [v6-address]} in brackets, 0 when
 * no port is given): the one reading of it for the command line, the settings dialog and the phone.
 */
public record ServerAddress(String host, int port) {

    /**
     * Reads {@code value}.
     *
     * @throws IllegalArgumentException saying what is wrong: {@code needs HOST[:PORT], not '...'} or
     *                                  {@code port must be 1-65535 in '...'}
     */
    public static ServerAddress parse(String value) {
        String v = value.strip();
        int colon = v.lastIndexOf(':');
        if (v.isEmpty() || colon == 0) {
            throw new IllegalArgumentException("needs HOST[:PORT], not '" + value + "'");
        }
        if (colon < 0 || v.endsWith("]")) {
            return new ServerAddress(v, 0);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535 in '" + value + "'");
        }
        return new ServerAddress(v.substring(0, colon), port);
    }
}
