package dev.bulwark.economy.ledger;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Positive;

/** @param snapshotEvery a player's state is snapshotted at every multiple of this ledger position */
@Validated
@ConfigurationProperties("bulwark.economy.ledger")
record LedgerProperties(@Positive int snapshotEvery) {
}
