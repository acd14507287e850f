package dev.bulwark.console;

import java.time.Clock;
import java.time.Instant;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console authenticates nobody itself: player-core does, and each service authorizes the
 * operator's token. Spring Security is here for what a browser application needs around that:
 * CSRF tokens on every form (a signed-in operator's session must not be driven by another site),
 * strict security headers and a content security policy without inline scripts.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                        + "form-action 'self'; frame-ancestors 'none'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new SignedInOnly(clock())).excludePathPatterns("/sign-in", "/css/**", "/js/**",
                "/actuator/**", "/livez", "/readyz", "/error", "/favicon.ico");
    }

    /** Every page but sign-in needs an operator whose token has not expired yet. */
    private record SignedInOnly(Clock clock) implements HandlerInterceptor {

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws Exception {
            SignedInOperator operator = SignedInOperator.of(request.getSession(false));
            if (operator != null && operator.expiresAt().isAfter(Instant.now(clock))) {
                request.setAttribute("operator", operator);
                return true;
            }
            response.sendRedirect(request.getContextPath() + "/sign-in");
            return false;
        }
    }
}
