package org.callibry.shared.i18n;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the translations of a resource bundle: every key of the base bundle must exist, non-blank,
 * in each language file, and no language may have keys the base lacks. The desktop apps' tests use it
 * so a missing translation fails the build.
 */
public final class BundleAudit {
    private BundleAudit() {
    }

    /** The problems found, one line each ({@code ru: missing key app.title}); empty when complete. */
    public static List<String> problems(String baseName, ClassLoader loader, Locale... locales) {
        ResourceBundle.Control exact = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
        ResourceBundle base = ResourceBundle.getBundle(baseName, Locale.ROOT, loader, exact);
        List<String> problems = new ArrayList<>();
        for (Locale locale : locales) {
            ResourceBundle bundle = ResourceBundle.getBundle(baseName, locale, loader, exact);
            if (!bundle.getLocale().equals(locale)) {
                problems.add(locale + ": no bundle file");
                continue;
            }
            Set<String> own = own(bundle);
            for (String key : new TreeSet<>(base.keySet())) {
                if (!own.contains(key)) {
                    problems.add(locale + ": missing key " + key);
                } else if (bundle.getString(key).isBlank()) {
                    problems.add(locale + ": blank value for " + key);
                }
            }
            for (String key : own) {
                if (!base.containsKey(key)) {
                    problems.add(locale + ": key " + key + " is not in the base bundle");
                }
            }
        }
        return problems;
    }

    /** Keys defined in this bundle's own file, not inherited from its parent. */
    private static Set<String> own(ResourceBundle bundle) {
        Set<String> keys = new TreeSet<>();
        for (String key : bundle.keySet()) {
            if (!(bundle instanceof PropertyResourceBundle p) || p.handleGetObject(key) != null) {
                keys.add(key);
            }
        }
        return keys;
    }
}
