package dev.bulwark.testsupport.checker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The economy's ledgers, wallets, inventories and audit, read through its API with an admin token. */
public final class EconomyAdminApi implements Ledgers {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE = 500;

    private final URI economy;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public EconomyAdminApi(URI economy, String adminToken) {
        this.economy = economy;
        this.adminToken = adminToken;
    }

    @Override
    public List<Entry> ledger(UUID player) throws Exception {
        List<Entry> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = send("GET", "/api/v1/players/" + player + "/ledger?limit=" + PAGE + "&after=" + after);
            for (JsonNode event : page.get("events")) {
                entries.add(new Entry(event.get("sequence").asLong(), event.get("type").asString(),
                        event.get("payload")));
            }
            JsonNode next = page.get("nextAfter");
            if (next == null || next.isNull()) {
                return entries;
            }
            after = next.asLong();
        }
    }

    @Override
    public Holdings holdings(UUID player) throws Exception {
        JsonNode wallet = send("GET", "/api/v1/players/" + player + "/wallet");
        JsonNode inventory = send("GET", "/api/v1/players/" + player + "/inventory");
        Map<String, Long> supply = new HashMap<>();
        List<String> negative = new ArrayList<>();
        for (String part : List.of("balances", "held")) {
            for (Map.Entry<String, JsonNode> currency : wallet.get(part).properties()) {
                long amount = currency.getValue().asLong();
                supply.merge(currency.getKey(), amount, Long::sum);
                if (amount < 0) {
                    negative.add(player + " " + part + " " + currency.getKey() + " " + amount);
                }
            }
        }
        for (JsonNode item : inventory.get("items")) {
            long quantity = item.get("quantity").asLong();
            supply.merge(item.get("itemId").asString(), quantity, Long::sum);
            if (quantity < 0) {
                negative.add(player + " item " + item.get("itemId").asString() + " " + quantity);
            }
        }
        return new Holdings(supply, negative);
    }

    @Override
    public OptionalLong auditDrift() throws Exception {
        return OptionalLong.of(send("POST", "/api/v1/admin/audit").get("drift").asLong());
    }

    private JsonNode send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(economy.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }
}
