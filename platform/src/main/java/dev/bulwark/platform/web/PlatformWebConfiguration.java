package dev.bulwark.platform.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureBefore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import dev.bulwark.platform.ratelimit.RateLimitConfiguration;
import dev.bulwark.platform.ratelimit.RateLimits;

/**
 * Every refusal is problem+json without internals, from wherever it comes: the services'
 * exceptions and Spring MVC's ({@link ProblemDetailsAdvice}), strict request bodies
 * ({@link StrictJson}), the query string ({@link QueryTextFilter}), the container's error page
 * ({@link ProblemErrorController}) and Tomcat itself ({@link ProblemErrorReportValve}).
 */
@AutoConfiguration(after = RateLimitConfiguration.class)
@AutoConfigureBefore(ErrorMvcAutoConfiguration.class)
@EnableConfigurationProperties(WebProperties.class)
@Import({ ProblemDetailsAdvice.class, ProblemErrorController.class })
public class PlatformWebConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return new StrictJson();
    }

    /** After the query check, before security: an anonymous flood is refused before any token work. */
    @Bean
    @ConditionalOnBean(RateLimits.class)
    FilterRegistrationBean<AnonymousReadLimiter> anonymousReadLimiter(RateLimits rateLimits, WebProperties properties) {
        FilterRegistrationBean<AnonymousReadLimiter> registration = new FilterRegistrationBean<>(
                new AnonymousReadLimiter(rateLimits, properties.anonymousReadsPerAddress()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<QueryTextFilter> queryTextFilter() {
        FilterRegistrationBean<QueryTextFilter> registration = new FilterRegistrationBean<>(new QueryTextFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TomcatServletWebServerFactory.class)
    static class TomcatErrors {

        /** The context is added to its host before customizers run, and the host starts later. */
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }
    }
}
