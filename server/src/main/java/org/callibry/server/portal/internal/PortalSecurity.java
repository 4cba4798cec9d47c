package org.callibry.server.portal.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.callibry.server.api.ApiAuthentication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * The portal's browser sessions ({@code /portal/**}): a login form checked by {@link PortalLoginProvider},
 * CSRF tokens on every state-changing request (forms carry a hidden field, htmx a header), a session that
 * ends after {@code callibry.portal.session-timeout} idle, and the usual security headers. Every other
 * path stays with {@link WebSecurity}'s pass-through chain.
 */
@Configuration(proxyBeanMethods = false)
class PortalSecurity {
    static final String LOGIN = "/portal/login";

    @Bean
    @Order(10)
    SecurityFilterChain portal(HttpSecurity http, ApiAuthentication api, PortalProperties properties) throws Exception {
        int timeoutSeconds = (int) Math.min(Integer.MAX_VALUE, properties.sessionTimeout().toSeconds());
        SavedRequestAwareAuthenticationSuccessHandler success = new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                                org.springframework.security.core.Authentication authentication)
                    throws jakarta.servlet.ServletException, IOException {
                request.getSession().setMaxInactiveInterval(timeoutSeconds);
                super.onAuthenticationSuccess(request, response, authentication);
            }
        };
        success.setDefaultTargetUrl("/portal/");
        return http
                .securityMatcher("/portal/**")
                // only the portal's provider, no parent: its refusals (throttled, operator) reach the failure handler as thrown
                .authenticationManager(new ProviderManager(new PortalLoginProvider(api)))
                .requestCache(r -> r.requestCache(requestCache()))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(LOGIN, "/portal/assets/**", "/portal/denied").permitAll()
                        .anyRequest().hasAnyRole("ADMIN", "SUPERVISOR", "CUSTOMER"))
                .formLogin(f -> f
                        .loginPage(LOGIN)
                        .loginProcessingUrl(LOGIN)
                        .successHandler(success)
                        .failureHandler(PortalSecurity::loginFailed))
                .logout(l -> l
                        .logoutUrl("/portal/logout")
                        .logoutSuccessUrl(LOGIN + "?logout")
                        .deleteCookies("JSESSIONID"))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(entryPoint())
                        .accessDeniedPage("/portal/denied"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h
                        .frameOptions(f -> f.deny())
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .contentSecurityPolicy(c -> c.policyDirectives("default-src 'self'; img-src 'self' data:; "
                                + "style-src 'self' 'unsafe-inline'; media-src 'self'; object-src 'none'; "
                                + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")))
                .build();
    }

    /** Back to the page asked for after the login, without Spring Security's {@code ?continue} marker. */
    private static HttpSessionRequestCache requestCache() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setMatchingRequestParameterName(null);
        return cache;
    }

    /** To the login page; an htmx request (whose answer would land inside a page) gets 401 and HX-Redirect. */
    private static AuthenticationEntryPoint entryPoint() {
        LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint(LOGIN);
        return (request, response, e) -> {
            if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", request.getContextPath() + LOGIN + "?expired");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            login.commence(request, response, e);
        };
    }

    private static void loginFailed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String query = "?error=bad";
        if (e instanceof PortalLoginProvider.Refused r) {
            query = "?error=" + r.reason + (r.retryAfterSeconds > 0 ? "&wait=" + r.retryAfterSeconds : "");
        }
        response.sendRedirect(request.getContextPath() + LOGIN + query);
    }
}
