package org.callibry.server.portal.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.callibry.server.api.RpcException;

/**
 * Errors of a filter form by field name, shown under the field ({@code errors['dateFrom']}); one a page
 * shows above the table is under {@link #GLOBAL}. A value is a message key, or text from the API.
 */
final class FieldErrors {
    static final String GLOBAL = "_";
    private final Map<String, String> byField = new LinkedHashMap<>();

    void add(String field, String messageOrKey) {
        byField.putIfAbsent(field, messageOrKey);
    }

    /** An API error on {@code field} (mapped to the form's name for it), or a global one. */
    void add(RpcException e, Map<String, String> formNames) {
        Object field = e.data() == null ? null : e.data().get("field");
        Object reason = e.data() == null ? null : e.data().get("reason");
        String formField = field == null ? null : formNames.get(field.toString());
        add(formField == null ? GLOBAL : formField, reason == null ? e.getMessage() : reason.toString());
    }

    boolean any() {
        return !byField.isEmpty();
    }

    Map<String, String> asMap() {
        return byField;
    }
}
