package org.callibry.server.portal.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.callibry.server.api.RpcException;
import org.callibry.shared.api.ErrorCodes;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;
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

    /**
     * An API refusal no page expected (a queue entry already gone, an object of another tenant): the
     * portal's error page with the matching status, never a stack trace.
     */
    @ExceptionHandler(RpcException.class)
    ModelAndView refused(RpcException e, HttpServletRequest request, HttpServletResponse response) {
        HttpStatus status = switch (e.code()) {
            case ErrorCodes.FORBIDDEN -> HttpStatus.FORBIDDEN;
            case ErrorCodes.NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ErrorCodes.UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case ErrorCodes.INVALID_PARAMS -> HttpStatus.BAD_REQUEST;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        ModelAndView mav = new ModelAndView("portal/error", status);
        mav.addObject("me", me());
        mav.addObject("lang", lang(request));
        mav.addObject("path", path(request));
        mav.addObject("status", status.value());
        mav.addObject("message", e.getMessage());
        return mav;
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
