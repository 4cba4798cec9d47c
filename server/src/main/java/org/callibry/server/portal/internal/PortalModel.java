package org.callibry.server.portal.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.support.RequestContextUtils;

/** What every portal page's layout needs: who is logged in, the language, the current path for the navbar. */
@ControllerAdvice(basePackageClasses = PortalModel.class)
class PortalModel {

    @ModelAttribute("me")
    PortalUser me() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a != null && a.getPrincipal() instanceof PortalUser u ? u : null;
    }

    @ModelAttribute("lang")
    String lang(HttpServletRequest request) {
        return RequestContextUtils.getLocale(request).getLanguage();
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
