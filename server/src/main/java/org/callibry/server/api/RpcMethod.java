package org.callibry.server.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.callibry.shared.api.Role;

/**
 * Marks a bean method as a JSON-RPC method of {@code POST /api/rpc}. The method may declare, in any
 * order, a {@link Caller}, a {@link CallContext}, and one parameters record (validated with Jakarta
 * Validation before the call); its return value is the result. Every method says who may call it:
 * {@link #roles()}, or {@link #anonymous()} for the few that need no login.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RpcMethod {
    /** The method name, e.g. {@code account.create}. */
    String value();

    /** The roles that may call it; a method that is not anonymous must name at least one. */
    Role[] roles() default {};

    /** Callable without credentials (login, discovery, version). */
    boolean anonymous() default false;

    /** One line for the OpenRPC document. */
    String summary();
}
