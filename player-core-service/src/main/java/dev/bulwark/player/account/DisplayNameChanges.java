package dev.bulwark.player.account;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.bulwark.events.player.PlayerRenamed;
import dev.bulwark.platform.messaging.Outbox;

/**
 * A new display name for an account (the name-change offer), under the same rule as registration
 * ({@link DisplayNames}), with {@code PlayerRenamed} in the same transaction. It refuses with a
 * reason before writing anything.
 */
@Service
public class DisplayNameChanges {

    private final AccountRepository accounts;
    private final Outbox outbox;

    DisplayNameChanges(AccountRepository accounts, Outbox outbox) {
        this.accounts = accounts;
        this.outbox = outbox;
    }

    /**
     * Joins the caller's transaction (the saga step's). A unique-index race with a concurrent
     * rename throws here (the row is flushed before returning), rolls the caller back, and the
     * redelivered command then finds the name taken.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public Outcome rename(UUID playerId, String requested) {
        if (!DisplayNames.isValid(requested)) {
            return new Outcome.Refused("invalid-name");
        }
        Account account = accounts.lockById(playerId).orElse(null);
        if (account == null) {
            return new Outcome.Refused("unknown-player");
        }
        String previous = account.displayName();
        String name = DisplayNames.normalize(requested);
        if (accounts.nameTakenByAnother(name, DisplayNames.skeleton(name), playerId)) {
            return new Outcome.Refused("name-taken");
        }
        account.rename(name);
        accounts.flush();
        outbox.publish(new PlayerRenamed(playerId, previous, account.displayName()), playerId.toString());
        return new Outcome.Renamed(account.displayName());
    }

    /** What a name change did. */
    public sealed interface Outcome {

        record Renamed(String displayName) implements Outcome {
        }

        /** Nothing changed; {@code reason} is the saga step's failure reason. */
        record Refused(String reason) implements Outcome {
        }
    }
}
