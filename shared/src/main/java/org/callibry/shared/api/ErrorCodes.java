package org.callibry.shared.api;

/**
 * JSON-RPC 2.0 error codes: the standard ones (JSON-RPC 2.0 §5.1) and Callibry's application codes,
 * which live in the range the specification leaves to servers (-32000 to -32099).
 */
public final class ErrorCodes {
    private ErrorCodes() {
    }

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    /** No credentials, or credentials that are wrong or expired. */
    public static final int UNAUTHENTICATED = -32001;
    /** Authenticated, but the caller's role may not call the method or touch the object. */
    public static final int FORBIDDEN = -32003;
    /** The object does not exist, or belongs to a tenant the caller cannot see. */
    public static final int NOT_FOUND = -32004;
    /** A unique value is taken, or the object is still referenced by others. */
    public static final int CONFLICT = -32009;
    /** Too many failed logins from this user or address; {@code data.retryAfterSeconds} says when to retry. */
    public static final int RATE_LIMITED = -32029;
}
