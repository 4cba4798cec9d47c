package org.callibry.server.portal.internal;

import java.util.Set;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.callibry.shared.api.Role;
import org.springframework.core.MethodParameter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * The API caller behind the current portal session, as the user is now: a disabled user ends the
 * session, and a user whose role changed to one the portal does not serve is refused. Passed to the
 * portal's controllers as a {@link Caller} argument.
 */
@Component
class PortalCallers implements HandlerMethodArgumentResolver {
    static final Set<Role> PORTAL_ROLES = Set.of(Role.ADMIN, Role.SUPERVISOR, Role.CUSTOMER);

    private final ApiAuthentication api;

    PortalCallers(ApiAuthentication api) {
        this.api = api;
    }

    Caller current() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null || !(a.getPrincipal() instanceof PortalUser user)) {
            throw new InsufficientAuthenticationException("not logged in to the portal");
        }
        Caller caller = api.current(user.userId())
                .orElseThrow(() -> new InsufficientAuthenticationException("user disabled or deleted"));
        if (!PORTAL_ROLES.contains(caller.role())) {
            throw new AccessDeniedException("role " + caller.role() + " may not use the portal");
        }
        return caller;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class
                && parameter.getContainingClass().getPackageName().startsWith(PortalCallers.class.getPackageName());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binders) {
        return current();
    }
}
