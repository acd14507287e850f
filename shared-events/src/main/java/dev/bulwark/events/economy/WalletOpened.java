package dev.bulwark.events.economy;

import java.util.UUID;

import dev.bulwark.events.Payload;

/** The first event of every player's ledger stream. */
public record WalletOpened(UUID playerId) implements Payload {
}
