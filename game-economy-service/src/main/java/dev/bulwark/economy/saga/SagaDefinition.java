package dev.bulwark.economy.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.bulwark.events.MessageType;
import dev.bulwark.events.saga.SagaCommand;

/**
 * A saga as a readable list of steps: local steps run in the economy's own transaction and may
 * have a compensation; participant steps send a command to another service and wait for its
 * reply, with a deadline after which the cancel protocol starts. Read top to bottom, it is the
 * whole protocol of one paid action.
 *
 * @param <D> the saga's data, stored as JSON with the instance
 */
public final class SagaDefinition<D> {

    /** Creates the command of a participant step; the command must carry the given saga id and step. */
    @FunctionalInterface
    public interface CommandFactory<D> {
        SagaCommand create(UUID sagaId, String step, D data);
    }

    /** A local action or compensation, given the saga id and its data. */
    @FunctionalInterface
    public interface LocalAction<D> {
        void run(UUID sagaId, D data);
    }

    sealed interface Step<D> permits Local, Participant {
        String name();
    }

    record Local<D>(String name, LocalAction<D> action, String compensationName, LocalAction<D> compensation)
            implements Step<D> {
        boolean compensable() {
            return compensation != null;
        }
    }

    record Participant<D>(String name, CommandFactory<D> command, String commandType, Duration deadline,
            ResultHandler<D> onSuccess) implements Step<D> {
    }

    /** Takes what a participant's success reply returned (e.g. {@code guildId}) into the data. */
    @FunctionalInterface
    public interface ResultHandler<D> {
        D apply(D data, Map<String, String> result);
    }

    private final String type;
    private final Class<D> dataType;
    private final List<Step<D>> steps;

    private SagaDefinition(String type, Class<D> dataType, List<Step<D>> steps) {
        this.type = type;
        this.dataType = dataType;
        this.steps = List.copyOf(steps);
    }

    public String type() {
        return type;
    }

    public Class<D> dataType() {
        return dataType;
    }

    List<Step<D>> steps() {
        return steps;
    }

    Step<D> step(int index) {
        return steps.get(index);
    }

    public static <D> Builder<D> saga(String type, Class<D> dataType) {
        return new Builder<>(type, dataType);
    }

    public static final class Builder<D> {

        private final String type;
        private final Class<D> dataType;
        private final List<Step<D>> steps = new ArrayList<>();

        private Builder(String type, Class<D> dataType) {
            this.type = type;
            this.dataType = dataType;
        }

        /** A step in the economy's own transaction, without compensation. */
        public Builder<D> invokeLocal(String name, LocalAction<D> action) {
            steps.add(new Local<>(name, action, null, null));
            return this;
        }

        /** A step in the economy's own transaction, undone by {@code compensation} if a later step fails. */
        public Builder<D> invokeLocal(String name, LocalAction<D> action, String compensationName,
                LocalAction<D> compensation) {
            steps.add(new Local<>(name, action, Objects.requireNonNull(compensationName), Objects.requireNonNull(compensation)));
            return this;
        }

        /** A command to another service; its reply decides whether the saga goes on or compensates. */
        public Builder<D> invokeParticipant(String name, Class<? extends SagaCommand> commandType,
                CommandFactory<D> command, Duration deadline) {
            return invokeParticipant(name, commandType, command, deadline, (data, result) -> data);
        }

        public Builder<D> invokeParticipant(String name, Class<? extends SagaCommand> commandType,
                CommandFactory<D> command, Duration deadline, ResultHandler<D> onSuccess) {
            steps.add(new Participant<>(name, command, MessageType.of(commandType).id(), deadline, onSuccess));
            return this;
        }

        public SagaDefinition<D> build() {
            if (steps.stream().map(Step::name).distinct().count() != steps.size()) {
                throw new IllegalStateException(type + ": step names must be unique");
            }
            return new SagaDefinition<>(type, dataType, steps);
        }
    }

}
