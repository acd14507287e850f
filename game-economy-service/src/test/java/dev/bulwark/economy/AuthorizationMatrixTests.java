package dev.bulwark.economy;

import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.ADMIN;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.GAME_SERVER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.OTHER_PLAYER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.PLAYER;
import static dev.bulwark.testsupport.AuthorizationMatrix.Caller.VIEWER;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.bulwark.testsupport.AuthorizationMatrix;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * Every endpoint of the economy as every kind of caller; an endpoint without a rule fails. A
 * purchase belongs to its buyer, which the handler checks after finding it (a random purchase id
 * is 404 for every signed-in caller); that ownership rule is tested with real purchases in
 * {@code EconomyAccessTests} and {@code PurchaseTests}.
 */
@IntegrationTest
class AuthorizationMatrixTests {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Autowired
    ApplicationContext context;

    @TestFactory
    Stream<DynamicNode> everyEndpointAsEveryCaller() {
        return matrix().tests();
    }

    /** The bad-input suite over every endpoint's sample request: never a 5xx, every refusal problem+json. */
    @TestFactory
    Stream<DynamicNode> everyEndpointRefusesHostileInputAsProblemJson() {
        return matrix().hostileInputTests();
    }

    private AuthorizationMatrix matrix() {
        return AuthorizationMatrix.of(context)
                .endpoint("GET /api/v1/catalog").allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/players/{playerId}/wallet").allow(PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/players/{playerId}/inventory").allow(PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("GET /api/v1/players/{playerId}/ledger").allow(PLAYER, ADMIN, VIEWER)
                .endpoint("POST /api/v1/players/{playerId}/purchases")
                        .header(IDEMPOTENCY_KEY, UUID.randomUUID().toString()).body("""
                                {"offerId": "potion-pack", "quantity": 1}""").allow(PLAYER)
                .endpoint("GET /api/v1/purchases/{purchaseId}").allow(PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER)
                .endpoint("POST /api/v1/players/{playerId}/grants")
                        .header("Authority-Lease", "not-a-lease").header(IDEMPOTENCY_KEY, "drop-1").body("""
                                {"currency": {"GOLD": 1}, "reason": "loot"}""").allow(GAME_SERVER)
                .endpoint("POST /api/v1/players/{playerId}/consumptions")
                        .header("Authority-Lease", "not-a-lease").header(IDEMPOTENCY_KEY, "use-1").body("""
                                {"items": [{"itemId": "potion", "quantity": 1}], "reason": "drank"}""").allow(GAME_SERVER)
                .endpoint("POST /api/v1/transfers").header(IDEMPOTENCY_KEY, UUID.randomUUID().toString()).body("""
                                {"fromPlayerId": "${playerId}", "toPlayerId": "%s", "currency": {"GOLD": 1}}"""
                                .formatted(UUID.randomUUID())).allow(PLAYER, ADMIN)
                .endpoint("POST /api/v1/admin/players/{playerId}/adjustments")
                        .header(IDEMPOTENCY_KEY, UUID.randomUUID().toString()).body("""
                                {"currency": {"GOLD": 1}, "reason": "correction"}""").allow(ADMIN)
                .endpoint("POST /api/v1/admin/audit").allow(ADMIN)
                .endpoint("GET /api/v1/admin/players/{playerId}/audit-log").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/status").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/sagas").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/sagas/{sagaId}").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/shards").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/shards/load").allow(ADMIN, VIEWER)
                .endpoint("GET /api/v1/admin/players/{playerId}/shard").allow(ADMIN, VIEWER)
                .endpoint("POST /api/v1/admin/sagas/{sagaId}/retry").allow(ADMIN)
                .endpoint("POST /api/v1/admin/sagas/{sagaId}/cancel").allow(ADMIN)
                // a body naming no change: the admin is let in and refused 400, no job starts
                .endpoint("POST /api/v1/admin/resharding").body("{}").allow(ADMIN)
                .endpoint("GET /api/v1/admin/resharding/{jobId}").allow(ADMIN, VIEWER)
                .endpoint("DELETE /api/v1/admin/resharding/{jobId}").allow(ADMIN)
                ;
    }
}
