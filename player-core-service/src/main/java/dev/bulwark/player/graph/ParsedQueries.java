package dev.bulwark.player.graph;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

/**
 * Parses and validates each distinct query text once, not on every request: clients send the
 * same few queries over and over, and parsing plus validation was a measurable part of the player
 * screen's time in player-core. Only valid documents are kept (a malformed one costs its sender
 * every time), in a bounded cache, so unique queries cannot grow memory. The limits of
 * {@link QueryLimits} are checked when an operation starts executing, so they apply to cached
 * documents too.
 */
@Configuration(proxyBeanMethods = false)
class ParsedQueries implements PreparsedDocumentProvider {

    private final Cache<String, PreparsedDocumentEntry> documents = Caffeine.newBuilder().maximumSize(1_000).build();

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        PreparsedDocumentEntry entry = documents.getIfPresent(input.getQuery());
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (!entry.hasErrors()) {
                documents.put(input.getQuery(), entry);
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    @Bean
    GraphQlSourceBuilderCustomizer parsedQueryCache() {
        return source -> source.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(this));
    }
}
