package dev.bulwark.events;

import java.util.Arrays;

import dev.bulwark.events.economy.AdjustmentApplied;
import dev.bulwark.events.economy.CurrencyGranted;
import dev.bulwark.events.economy.HoldCaptured;
import dev.bulwark.events.economy.HoldPlaced;
import dev.bulwark.events.economy.HoldReleased;
import dev.bulwark.events.economy.ItemsConsumed;
import dev.bulwark.events.economy.LootGranted;
import dev.bulwark.events.economy.PurchaseCompleted;
import dev.bulwark.events.economy.TransferReceived;
import dev.bulwark.events.economy.TransferSent;
import dev.bulwark.events.economy.WalletOpened;
import dev.bulwark.events.player.AuthorityChanged;
import dev.bulwark.events.player.OperatorDisabled;
import dev.bulwark.events.player.PlayerBanned;
import dev.bulwark.events.player.PlayerLeveledUp;
import dev.bulwark.events.player.PlayerRegistered;
import dev.bulwark.events.player.PlayerRenamed;
import dev.bulwark.events.player.PlayerUnbanned;
import dev.bulwark.events.saga.CancelStep;
import dev.bulwark.events.saga.ChangeDisplayName;
import dev.bulwark.events.saga.CreateGuild;
import dev.bulwark.events.saga.GrantXpBoost;
import dev.bulwark.events.saga.SagaReply;
import dev.bulwark.events.social.FriendshipChanged;
import dev.bulwark.events.social.GuildCreated;
import dev.bulwark.events.social.GuildMemberJoined;
import dev.bulwark.events.social.GuildMemberLeft;
import dev.bulwark.events.social.GuildRoleChanged;

/**
 * The registry of logical type ids. The id, not the Java class, is what travels; a breaking
 * change to a payload is a new entry with a new id, never an edit of an old one.
 */
public enum MessageType {

    PLAYER_REGISTERED("PlayerRegistered", 2, PlayerRegistered.class, Topics.PLAYER_EVENTS),
    PLAYER_LEVELED_UP("PlayerLeveledUp", 1, PlayerLeveledUp.class, Topics.PLAYER_EVENTS),
    PLAYER_RENAMED("PlayerRenamed", 1, PlayerRenamed.class, Topics.PLAYER_EVENTS),
    AUTHORITY_CHANGED("AuthorityChanged", 1, AuthorityChanged.class, Topics.PLAYER_EVENTS),
    PLAYER_BANNED("PlayerBanned", 1, PlayerBanned.class, Topics.PLAYER_EVENTS),
    PLAYER_UNBANNED("PlayerUnbanned", 1, PlayerUnbanned.class, Topics.PLAYER_EVENTS),
    OPERATOR_DISABLED("OperatorDisabled", 1, OperatorDisabled.class, Topics.PLAYER_EVENTS),
    WALLET_OPENED("WalletOpened", 1, WalletOpened.class, Topics.ECONOMY_EVENTS),
    CURRENCY_GRANTED("CurrencyGranted", 1, CurrencyGranted.class, Topics.ECONOMY_EVENTS),
    HOLD_PLACED("HoldPlaced", 1, HoldPlaced.class, Topics.ECONOMY_EVENTS),
    HOLD_CAPTURED("HoldCaptured", 1, HoldCaptured.class, Topics.ECONOMY_EVENTS),
    HOLD_RELEASED("HoldReleased", 1, HoldReleased.class, Topics.ECONOMY_EVENTS),
    PURCHASE_COMPLETED("PurchaseCompleted", 1, PurchaseCompleted.class, Topics.ECONOMY_EVENTS),
    LOOT_GRANTED("LootGranted", 1, LootGranted.class, Topics.ECONOMY_EVENTS),
    ITEMS_CONSUMED("ItemsConsumed", 1, ItemsConsumed.class, Topics.ECONOMY_EVENTS),
    ADJUSTMENT_APPLIED("AdjustmentApplied", 1, AdjustmentApplied.class, Topics.ECONOMY_EVENTS),
    TRANSFER_SENT("TransferSent", 1, TransferSent.class, Topics.ECONOMY_EVENTS),
    TRANSFER_RECEIVED("TransferReceived", 1, TransferReceived.class, Topics.ECONOMY_EVENTS),
    CREATE_GUILD("CreateGuild", 1, CreateGuild.class, Topics.SOCIAL_COMMANDS),
    GRANT_XP_BOOST("GrantXpBoost", 1, GrantXpBoost.class, Topics.PLAYER_COMMANDS),
    CHANGE_DISPLAY_NAME("ChangeDisplayName", 1, ChangeDisplayName.class, Topics.PLAYER_COMMANDS),
    /** Travels on the topic of the command it cancels (see {@link CancelStep#cancels()}). */
    CANCEL_STEP("CancelStep", 1, CancelStep.class, null),
    SAGA_REPLY("SagaReply", 1, SagaReply.class, Topics.ECONOMY_SAGA_REPLIES),
    GUILD_CREATED("GuildCreated", 1, GuildCreated.class, Topics.SOCIAL_EVENTS),
    GUILD_MEMBER_JOINED("GuildMemberJoined", 1, GuildMemberJoined.class, Topics.SOCIAL_EVENTS),
    GUILD_MEMBER_LEFT("GuildMemberLeft", 1, GuildMemberLeft.class, Topics.SOCIAL_EVENTS),
    GUILD_ROLE_CHANGED("GuildRoleChanged", 1, GuildRoleChanged.class, Topics.SOCIAL_EVENTS),
    FRIENDSHIP_CHANGED("FriendshipChanged", 1, FriendshipChanged.class, Topics.SOCIAL_EVENTS);

    private final String id;
    private final int schemaVersion;
    private final Class<? extends Payload> payloadType;
    private final Topic topic;

    MessageType(String id, int schemaVersion, Class<? extends Payload> payloadType, Topic topic) {
        this.id = id;
        this.schemaVersion = schemaVersion;
        this.payloadType = payloadType;
        this.topic = topic;
    }

    public String id() {
        return id;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Class<? extends Payload> payloadType() {
        return payloadType;
    }

    /** The topic a message of this type goes to. */
    public Topic topicFor(Payload payload) {
        if (payload instanceof CancelStep cancel) {
            return of(cancel.cancels()).topicFor(null);
        }
        if (topic == null) {
            throw new IllegalArgumentException(id + " has no topic of its own");
        }
        return topic;
    }

    public static MessageType of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst()
                .orElseThrow(() -> new UnknownMessageTypeException(id));
    }

    public static MessageType of(Class<?> payloadType) {
        return Arrays.stream(values()).filter(t -> t.payloadType.equals(payloadType)).findFirst()
                .orElseThrow(() -> new UnknownMessageTypeException(payloadType.getName()));
    }

    /** Raised for a type id this build does not know: consumers skip such messages, they do not fail. */
    public static final class UnknownMessageTypeException extends IllegalArgumentException {
        public UnknownMessageTypeException(String type) {
            super("Unknown message type " + type);
        }
    }
}
