package org.callibry.server.api.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import org.callibry.server.api.CallContext;
import org.callibry.server.api.Caller;
import org.callibry.server.api.RpcMethod;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;

/**
 * All {@link RpcMethod}s of the application's beans, collected once at start-up. A duplicate name, a
 * method that declares no roles and is not anonymous, or an unsupported signature fails the start.
 */
@Component
class RpcRegistry implements SmartInitializingSingleton {
    private final ApplicationContext context;
    private final Map<String, RegisteredMethod> methods = new TreeMap<>();

    RpcRegistry(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            if (type == null || !type.getPackageName().startsWith("org.callibry")) {
                continue;
            }
            Map<Method, RpcMethod> found = MethodIntrospector.selectMethods(type,
                    (MethodIntrospector.MetadataLookup<RpcMethod>) m -> AnnotatedElementUtils.findMergedAnnotation(m, RpcMethod.class));
            if (found.isEmpty()) {
                continue;
            }
            Object bean = context.getBean(name);
            found.forEach((m, meta) -> register(bean, AopUtils.selectInvocableMethod(m, bean.getClass()), meta));
        }
    }

    private void register(Object bean, Method method, RpcMethod meta) {
        String where = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        if (methods.containsKey(meta.value())) {
            throw new IllegalStateException("JSON-RPC method " + meta.value() + " declared twice (" + where + ")");
        }
        if (!meta.anonymous() && meta.roles().length == 0) {
            throw new IllegalStateException("JSON-RPC method " + meta.value() + " (" + where + ") declares no roles");
        }
        Parameter[] parameters = method.getParameters();
        RegisteredMethod.ArgumentKind[] kinds = new RegisteredMethod.ArgumentKind[parameters.length];
        Class<?> paramsType = null;
        for (int i = 0; i < parameters.length; i++) {
            Class<?> p = parameters[i].getType();
            if (p == Caller.class) {
                kinds[i] = RegisteredMethod.ArgumentKind.CALLER;
            } else if (p == CallContext.class) {
                kinds[i] = RegisteredMethod.ArgumentKind.CONTEXT;
            } else if (p.isRecord() && paramsType == null) {
                kinds[i] = RegisteredMethod.ArgumentKind.PARAMS;
                paramsType = p;
            } else {
                throw new IllegalStateException(where + ": a JSON-RPC method takes Caller, CallContext and one record, not " + p);
            }
        }
        if (meta.anonymous() && java.util.Arrays.asList(kinds).contains(RegisteredMethod.ArgumentKind.CALLER)) {
            throw new IllegalStateException(where + ": an anonymous method has no Caller");
        }
        method.setAccessible(true);
        EnumSet<org.callibry.shared.api.Role> roles = EnumSet.noneOf(org.callibry.shared.api.Role.class);
        Collections.addAll(roles, meta.roles());
        methods.put(meta.value(), new RegisteredMethod(meta.value(), meta, bean, method, paramsType,
                method.getGenericReturnType(), roles, kinds));
    }

    RegisteredMethod find(String name) {
        return methods.get(name);
    }

    Collection<RegisteredMethod> all() {
        return Collections.unmodifiableCollection(methods.values());
    }
}
