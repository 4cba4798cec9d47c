package org.callibry.server.portal.internal.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's language: {@code ?lang=ru} (or {@code en}) wins over the browser's Accept-Language, for
 * this request only (no session, no cookie: the softphone passes it in the URL when it wants one).
 * A filter on {@code /console/*} alone, so the portal's own locale handling is untouched.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleLanguage {
    static final Set<String> LANGUAGES = Set.of("en", "ru");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> consoleLanguageFilter() {
        FilterRegistrationBean<OncePerRequestFilter> r = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String lang = request.getParameter("lang");
                if (lang == null || !LANGUAGES.contains(lang)) {
                    chain.doFilter(request, response);
                    return;
                }
                Locale locale = Locale.forLanguageTag(lang);
                chain.doFilter(new HttpServletRequestWrapper(request) {
                    @Override
                    public Locale getLocale() {
                        return locale;
                    }

                    @Override
                    public Enumeration<Locale> getLocales() {
                        return Collections.enumeration(java.util.List.of(locale));
                    }
                }, response);
            }
        });
        r.addUrlPatterns("/console/*");
        r.setName("consoleLanguage");
        return r;
    }
}
