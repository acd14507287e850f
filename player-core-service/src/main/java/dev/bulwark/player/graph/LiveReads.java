package dev.bulwark.player.graph;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import graphql.GraphQLContext;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * Starts the query's live reads in parallel, each on its own executor thread carrying the
 * caller's security context (the factory relays its bearer token) and trace. The executor is private so
 * that no request or login thread ever blocks on a downstream; virtual threads suffice because
 * the bulkhead of each downstream bounds how many calls are in flight, and the read timeout how
 * long each may take.
 * <p>
 * Reads are memoised per request in its {@link GraphQLContext}: however often a query names a
 * player's wallet (aliases, {@code me} and {@code player(id)} together), the economy is asked
 * once per player and read, and every field waits on that one answer.
 */
@Component
class LiveReads implements DisposableBean {

    private enum Read {
        WALLET, INVENTORY, FRIENDS
    }

    private record Key(Read read, UUID playerId) {
    }

    private final Downstreams.Economy economy;
    private final Downstreams.Social social;
    // Each task runs in the caller's observation, so the downstream call continues the query's trace.
    private final ExecutorService executor = ContextExecutorService.wrap(
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("downstream-", 0).factory()),
            ContextSnapshotFactory.builder().build()::captureAll);

    LiveReads(Downstreams.Economy economy, Downstreams.Social social) {
        this.economy = economy;
        this.social = social;
    }

    CompletableFuture<Downstreams.Wallet> wallet(UUID playerId, GraphQLContext request) {
        return once(request, new Key(Read.WALLET, playerId), Downstreams.ECONOMY, () -> economy.wallet(playerId));
    }

    CompletableFuture<Downstreams.Inventory> inventory(UUID playerId, GraphQLContext request) {
        return once(request, new Key(Read.INVENTORY, playerId), Downstreams.ECONOMY, () -> economy.inventory(playerId));
    }

    CompletableFuture<List<Downstreams.Friend>> friends(UUID playerId, GraphQLContext request) {
        return once(request, new Key(Read.FRIENDS, playerId), Downstreams.SOCIAL, () -> social.friends(playerId));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> once(GraphQLContext request, Key key, String downstream, Supplier<T> call) {
        return (CompletableFuture<T>) request.computeIfAbsent(key, k -> async(downstream, call));
    }

    private <T> CompletableFuture<T> async(String downstream, Supplier<T> call) {
        SecurityContext caller = SecurityContextHolder.getContext();
        return CompletableFuture.supplyAsync(() -> {
            SecurityContextHolder.setContext(caller);
            try {
                return call.get();
            }
            catch (RuntimeException e) {
                throw new DownstreamFailure(downstream, e);
            }
            finally {
                SecurityContextHolder.clearContext();
            }
        }, executor);
    }

    @Override
    public void destroy() {
        executor.close();
    }
}
