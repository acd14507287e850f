package dev.bulwark.player.graph;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.web.servlet.function.AsyncServerResponse;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Writes each GraphQL answer on the request's own thread. Spring for GraphQL's handler answers
 * with {@code ServerResponse.async}: the servlet request goes asynchronous, and when the last
 * downstream read completes, on its own thread, the request is dispatched again to a new
 * container thread and through the filter chain once more before the answer is written. Two
 * extra hand-offs per query, each a wait for a core on a loaded machine, on the player screen's
 * critical path. Request threads are virtual here ({@code spring.threads.virtual.enabled}), so
 * waiting on one for the answer holds no pooled thread: login and tokens are never queued behind
 * a slow downstream, which the asynchronous answer was for. The answer itself is the handler's,
 * built by it from the finished result.
 */
@Configuration(proxyBeanMethods = false)
class AnswerOnRequestThread {

    @Bean
    GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler graphQlHandler) {
        return new GraphQlHttpHandler(graphQlHandler) {
            @Override
            protected ServerResponse prepareResponse(ServerRequest request, Mono<WebGraphQlResponse> answer) {
                // The downstream reads are bounded by their read timeouts, so this wait is too.
                Mono<WebGraphQlResponse> finished = Mono.justOrEmpty(answer.block());
                ServerResponse response = super.prepareResponse(request, finished);
                return response instanceof AsyncServerResponse done ? done.block() : response;
            }
        };
    }
}
