package org.callibry.server.portal.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security guards the portal's browser sessions only. Everything else (the JSON-RPC API, the push
 * channel, recordings, audio, the console's assets) authenticates itself with API credentials per request,
 * so this last chain lets it through: no session, no CSRF token, only two headers (no MIME sniffing, no
 * framing by other sites: the console is a page an attacker could otherwise frame).
 */
@Configuration(proxyBeanMethods = false)
class WebSecurity {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .headers(h -> h.defaultsDisabled().contentTypeOptions(Customizer.withDefaults()).frameOptions(f -> f.sameOrigin()))
                .requestCache(r -> r.disable())
                .securityContext(s -> s.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .anonymous(a -> a.disable())
                .build();
    }
}
