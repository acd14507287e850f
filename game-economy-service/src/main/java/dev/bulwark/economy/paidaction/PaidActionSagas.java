package dev.bulwark.economy.paidaction;

import static dev.bulwark.economy.saga.SagaDefinition.saga;

import java.time.Duration;

import dev.bulwark.events.saga.ChangeDisplayName;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.economy.saga.SagaDefinition;
import dev.bulwark.economy.saga.SagaDefinition.CommandFactory;
import dev.bulwark.economy.saga.SagaDefinition.ResultHandler;
import dev.bulwark.events.saga.GrantXpBoost;
import dev.bulwark.events.saga.SagaCommand;

/**
 * The paid actions whose effect lives in another service. Each is the same protocol (docs/architecture.md
 * §3): hold the price → command the owning service → capture on success, release on a failure
 * or a confirmed cancel. The participant's deadline starts the cancel protocol; it never
 * releases the funds by itself.
 */
public final class PaidActionSagas {

    public static final String GUILD_CHARTER = "guild-charter";
    public static final String XP_BOOST = "xp-boost";
    public static final String NAME_CHANGE = "name-change";

    /** What an xp-boost grants: +50% experience for an hour. */
    public static final int XP_BOOST_PERCENT = 50;
    public static final Duration XP_BOOST_DURATION = Duration.ofHours(1);

    private PaidActionSagas() {
    }

    public static SagaDefinition<PaidAction> guildCharter(Funds funds, Duration deadline) {
        return paidAction(funds, GUILD_CHARTER, "create-guild", CreateGuild.class,
                (id, step, p) -> new CreateGuild(id, step, p.playerId(), p.param("guildName")),
                deadline, PaidAction::withResult);
    }

    public static SagaDefinition<PaidAction> xpBoost(Funds funds, Duration deadline) {
        return paidAction(funds, XP_BOOST, "grant-xp-boost", GrantXpBoost.class,
                (id, step, p) -> new GrantXpBoost(id, step, p.playerId(), XP_BOOST_PERCENT, XP_BOOST_DURATION.toSeconds()),
                deadline, PaidAction::withResult);
    }

    public static SagaDefinition<PaidAction> nameChange(Funds funds, Duration deadline) {
        return paidAction(funds, NAME_CHANGE, "change-display-name", ChangeDisplayName.class,
                (id, step, p) -> new ChangeDisplayName(id, step, p.playerId(), p.param("displayName")),
                deadline, PaidAction::withResult);
    }

    /** The protocol all three share, read top to bottom. */
    private static SagaDefinition<PaidAction> paidAction(Funds funds, String type, String effectStep,
            Class<? extends SagaCommand> commandType, CommandFactory<PaidAction> command, Duration deadline,
            ResultHandler<PaidAction> onSuccess) {
        return saga(type, PaidAction.class)
                .invokeLocal("hold-funds", (id, p) -> funds.hold(p.playerId(), id, p.currency(), p.price(), type),
                        "release-funds", (id, p) -> funds.release(p.playerId(), id))
                .invokeParticipant(effectStep, commandType, command, deadline, onSuccess)
                .invokeLocal("capture-funds", (id, p) -> funds.capture(p.playerId(), id))
                .build();
    }
}
