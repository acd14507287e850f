package dev.bulwark.player.graph;

import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.ErrorType;

import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;

/**
 * What one query may ask for, checked before any field is fetched (Spring for GraphQL installs
 * every {@code Instrumentation} bean). Depth: our own types nest four deep at most, but
 * introspection's types refer to each other without end; the limit still admits the standard
 * introspection query (thirteen deep). Cost: each field costs 1, a root {@code me}/{@code player}
 * (a profile read) 5, and each live read (wallet, inventory, friends) 10; a whole player screen
 * costs 59. Aliases are how one request multiplies its cost, so they are bounded here, by the
 * fields they repeat. A refused query gets one error classified BAD_REQUEST, with
 * {@code extensions.limit} and {@code extensions.actual}, and nothing is fetched.
 */
@Configuration(proxyBeanMethods = false)
class QueryLimits {

    static final Set<String> LIVE_READS = Set.of("wallet", "inventory", "friends");
    static final Set<String> PLAYER_ROOTS = Set.of("me", "player");

    @Bean
    MaxQueryDepthInstrumentation maxQueryDepth(@Value("${bulwark.graphql.max-depth:13}") int maxDepth) {
        return new MaxQueryDepthInstrumentation(maxDepth) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int limit) {
                return refused("depth", depth, limit);
            }
        };
    }

    @Bean
    MaxQueryComplexityInstrumentation maxQueryComplexity(
            @Value("${bulwark.graphql.max-complexity:200}") int maxComplexity) {
        return new MaxQueryComplexityInstrumentation(maxComplexity, cost()) {
            @Override
            protected AbortExecutionException mkAbortException(int complexity, int limit) {
                return refused("complexity", complexity, limit);
            }
        };
    }

    static FieldComplexityCalculator cost() {
        return (field, children) -> {
            String name = field.getFieldDefinition().getName();
            String parent = field.getParentType().getName();
            int own = parent.equals("Player") && LIVE_READS.contains(name) ? 10
                    : parent.equals("Query") && PLAYER_ROOTS.contains(name) ? 5 : 1;
            return own + children;
        };
    }

    private static AbortExecutionException refused(String measure, int actual, int limit) {
        return new AbortExecutionException(java.util.List.of(GraphqlErrorBuilder.newError()
                .errorType(ErrorType.BAD_REQUEST)
                .message("The query's %s is %d; at most %d is accepted. Ask for less in one query."
                        .formatted(measure, actual, limit))
                .extensions(Map.of("limit", limit, "actual", actual, "measure", measure))
                .build()));
    }
}
