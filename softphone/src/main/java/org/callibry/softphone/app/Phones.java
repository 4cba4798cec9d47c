package org.callibry.softphone.app;

import java.nio.file.Path;
import org.callibry.softphone.phone.Phone;

/** Makes the phone the application uses: the SIP user agent with the audio engine. */
final class Phones {
    private Phones() {
    }

    static Phone create(Path configDir) {
        throw new UnsupportedOperationException("the SIP user agent arrives with the ua branch");
    }
}
