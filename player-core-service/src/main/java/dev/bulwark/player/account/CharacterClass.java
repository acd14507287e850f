package dev.bulwark.player.account;

/** A player's class, chosen at registration. */
public enum CharacterClass {
    ADVENTURER, WARRIOR, MAGE, ROGUE, CLERIC
}
