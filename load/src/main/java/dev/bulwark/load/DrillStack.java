package dev.bulwark.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;

/**
 * The stack the drills run on: fresh data, every service behind its fault links (the drills cut
 * and slow them), no console. Started and stopped by the drill run, so that the run owns every
 * process it hurts and nothing it broke outlives it.
 */
final class DrillStack implements AutoCloseable {

    final StackController stack;
    /** An operator's token (the ops client): ledgers, audit, breaker states. */
    final String admin;
    final String gameServer1;
    final String gameServer2;

    private DrillStack(StackController stack) throws Exception {
        this.stack = stack;
        this.admin = Http.clientToken(DevClient.OPERATOR.clientId(), DevClient.OPERATOR.secret());
        this.gameServer1 = Http.clientToken(DevClient.GAME_SERVER_EU_1.clientId(), DevClient.GAME_SERVER_EU_1.secret());
        this.gameServer2 = Http.clientToken(DevClient.GAME_SERVER_EU_2.clientId(), DevClient.GAME_SERVER_EU_2.secret());
    }

    /**
     * @param c1Only the services on C1 only (faster to start, as the system tests run them); the
     *               full-JIT stack is for figures
     */
    static DrillStack start(Path repoRoot, Path state, boolean c1Only, Consumer<String> progress) throws Exception {
        StackController stack = StackController.builder()
                .repoRoot(repoRoot)
                .stateDirectory(state)
                .wipe(true)
                .faultLinks(true)
                .console(false)
                .c1Only(c1Only)
                // Short saga deadlines, as the system tests drill them.
                .serviceEnvironment(Map.of("BULWARK_SAGA_PARTICIPANT_DEADLINE", "5s", "BULWARK_SAGA_CANCEL_RETRY", "3s"))
                .healthTimeout(Duration.ofMinutes(8))
                .progress(progress)
                .build();
        try {
            stack.start();
            return new DrillStack(stack);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Restarts the economy with {@code environment} added (empty: as configured). */
    void restartEconomy(Map<String, String> environment) throws Exception {
        stack.stopService(Service.GAME_ECONOMY);
        stack.startService(Service.GAME_ECONOMY, environment);
    }

    @Override
    public void close() {
        stack.close();
    }
}
