package org.callibry.shared.api.dto;

import tools.jackson.databind.JsonNode;

/** A JSON-RPC notification received on the push channel ({@code /api/events}). */
public record Notification(String method, JsonNode params) {
}
