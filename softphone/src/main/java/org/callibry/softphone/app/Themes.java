package org.callibry.softphone.app;

import javafx.scene.Scene;

/** The colour themes (CSS beside the views), switchable at runtime. */
public final class Themes {
    private Themes() {
    }

    public static void apply(Scene scene, String theme) {
        String css = ("dark".equals(theme) ? "dark" : "light") + ".css";
        scene.getStylesheets().setAll(Themes.class.getResource("/org/callibry/softphone/ui/" + css).toExternalForm());
    }
}
