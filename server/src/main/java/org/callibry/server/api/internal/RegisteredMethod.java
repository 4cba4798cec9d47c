package org.callibry.server.api.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Set;
import org.callibry.server.api.RpcMethod;
import org.callibry.shared.api.Role;

/**
 * One JSON-RPC method found on a bean: what to invoke, its parameters record (or null), and who may call it.
 *
 * @param argumentKinds what to pass for each Java parameter, in order
 */
record RegisteredMethod(String name, RpcMethod meta, Object bean, Method method, Class<?> paramsType,
                        Type resultType, Set<Role> roles, ArgumentKind[] argumentKinds) {

    enum ArgumentKind { CALLER, CONTEXT, PARAMS }
}
