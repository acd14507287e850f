package dev.bulwark.player.graph;

import java.util.Map;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

import dev.bulwark.platform.http.CallerLimitExceededException;
import dev.bulwark.platform.web.ApiException;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.ErrorClassification;
import graphql.schema.DataFetchingEnvironment;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

/**
 * Turns a field's failure into an {@code errors[]} entry with the field's path and a
 * classification a client can act on: FORBIDDEN (not yours to see), NOT_FOUND, or UNAVAILABLE
 * with {@code extensions.downstream} naming the service that did not answer and
 * {@code extensions.reason} saying how (timeout, server-error, breaker-open, bulkhead-full, error, or
 * caller-limit: this caller already had its share of the downstream's calls in flight), and
 * BAD_REQUEST for an argument that names nothing (an id that is not a UUID).
 */
@Component
class GraphErrors extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(GraphErrors.class);

    /** Classifications beyond Spring's {@link ErrorType}. */
    enum Classification implements ErrorClassification {
        UNAVAILABLE,
        /** The caller sent more queries than its share ({@link QueryRate}); nothing was fetched. */
        RATE_LIMITED
    }

    GraphErrors() {
        setThreadLocalContextAware(false);
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable thrown, DataFetchingEnvironment env) {
        Throwable error = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError(env);
        return switch (error) {
            case PlayerQuery.HiddenField hidden -> builder.errorType(ErrorType.FORBIDDEN).message(hidden.getMessage()).build();
            case PlayerQuery.BadArgument bad -> builder.errorType(ErrorType.BAD_REQUEST).message(bad.getMessage()).build();
            case ApiException api when api.status().value() == 404 ->
                    builder.errorType(ErrorType.NOT_FOUND).message(api.getMessage()).build();
            case DownstreamFailure failure -> downstream(builder, failure);
            default -> null;
        };
    }

    private static GraphQLError downstream(GraphqlErrorBuilder<?> builder, DownstreamFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof HttpClientErrorException refused) {
            ErrorType type = switch (refused.getStatusCode().value()) {
                case 401, 403 -> ErrorType.FORBIDDEN;
                case 404 -> ErrorType.NOT_FOUND;
                default -> ErrorType.BAD_REQUEST;
            };
            return builder.errorType(type)
                    .message(failure.downstream() + " refused the read (" + refused.getStatusCode().value() + ")")
                    .extensions(Map.of("downstream", failure.downstream())).build();
        }
        String reason = switch (cause) {
            case CallNotPermittedException open -> "breaker-open";
            case BulkheadFullException full -> "bulkhead-full";
            case CallerLimitExceededException mine -> "caller-limit";
            case ResourceAccessException io -> "timeout";
            case HttpServerErrorException server -> "server-error";
            default -> "error";
        };
        if (reason.equals("error")) {
            log.warn("{} failed unexpectedly", failure.downstream(), cause);
        }
        return builder.errorType(Classification.UNAVAILABLE)
                .message(failure.downstream() + " is unavailable (" + reason + ")")
                .extensions(Map.of("downstream", failure.downstream(), "reason", reason)).build();
    }
}
