package dev.bulwark.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint of a running service × every kind of caller, over real HTTP, as JUnit dynamic
 * tests. The endpoints come from the service's {@link RequestMappingHandlerMapping} (actuator,
 * springdoc and the error page are skipped), and the test must declare who may call each one:
 * an endpoint without a rule is a failing test, so one added later without a rule breaks the
 * build. So does a rule for an endpoint that no longer exists. Router-function endpoints (such as
 * Spring for GraphQL's {@code /graphql}) are not in that mapping and need tests of their own.
 *
 * <p>Each cell calls the endpoint as {@link Caller#ANONYMOUS} (no token), {@link Caller#PLAYER}
 * (a player token whose subject is the path's player id), {@link Caller#OTHER_PLAYER} (another
 * player's token), {@link Caller#GAME_SERVER}, {@link Caller#ADMIN} or {@link Caller#VIEWER} (an operator
 * who may read but not act), with tokens from
 * {@link TestKeys#primary()}. Every cell uses fresh player ids, so a cell that changes state (a
 * ban, a claim) cannot affect another. A denied caller must get 401 or 403; an allowed one
 * anything but a refusal or a server error; a 401/403 that is the endpoint's own business answer
 * rather than an authorization refusal (e.g. login's {@code bad-credentials}) counts as allowed:
 * a refusal is recognised by the platform's problem types {@code unauthorized} and
 * {@code forbidden}.
 *
 * <p>Requests must get past argument binding to reach method security, so declare a sample body
 * and headers where the endpoint validates them; values need only be well formed.
 *
 * <pre>{@code
 * @IntegrationTest
 * class AuthorizationMatrixTests {
 *
 *     @Autowired
 *     ApplicationContext context;
 *
 *     @TestFactory
 *     Stream<DynamicNode> everyEndpointAsEveryCaller() {
 *         return AuthorizationMatrix.of(context)
 *                 .endpoint("GET /api/v1/players/{playerId}/wallet").allow(PLAYER, GAME_SERVER, ADMIN)
 *                 .endpoint("POST /api/v1/players/{playerId}/grants")
 *                         .header("Authority-Lease", "not-a-lease").header("Idempotency-Key", "drop-1")
 *                         .body("""
 *                                 {"currency": {"GOLD": 1}, "items": [], "reason": "loot"}""")
 *                         .allow(GAME_SERVER)
 *                 .pathVariable("guildId", () -> UUID.randomUUID().toString())
 *                 .tests();
 *     }
 * }
 * }</pre>
 */
public final class AuthorizationMatrix {

    /** The kinds of caller every endpoint is tried with. */
    public enum Caller {
        ANONYMOUS, PLAYER, OTHER_PLAYER, GAME_SERVER, ADMIN, VIEWER;

        /** Every caller, including anonymous ones: for open endpoints. */
        public static Caller[] anyone() {
            return values();
        }
    }

    private static final Set<String> SKIPPED_PREFIXES = Set.of("/actuator", "/v3/api-docs", "/swagger-ui", "/error");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/:]+)(:[^}]*)?}");
    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*/problems/(unauthorized|forbidden)\"");

    private final URI base;
    private final Set<String> endpoints;
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final Map<String, Supplier<String>> pathVariables = new LinkedHashMap<>();
    private final Set<String> playerVariables = new LinkedHashSet<>(List.of("playerId"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TestKeys keys = TestKeys.primary();

    private AuthorizationMatrix(URI base, Set<String> endpoints) {
        this.base = base;
        this.endpoints = endpoints;
    }

    /** The matrix of the service running in {@code context} (a {@code RANDOM_PORT} test). */
    public static AuthorizationMatrix of(ApplicationContext context) {
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        return new AuthorizationMatrix(URI.create("http://localhost:" + port), endpoints(mapping.getHandlerMethods()));
    }

    static Set<String> endpoints(Map<RequestMappingInfo, HandlerMethod> handlers) {
        Set<String> found = new TreeSet<>();
        handlers.forEach((info, handler) -> {
            if (handler.getBeanType().getName().startsWith("org.springdoc")) {
                return;
            }
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) {
                methods.add("GET");
            }
            for (String pattern : info.getPatternValues()) {
                if (SKIPPED_PREFIXES.stream().anyMatch(pattern::startsWith)) {
                    continue;
                }
                methods.forEach(method -> found.add(method + " " + pattern));
            }
        });
        return found;
    }

    /** Starts the rule for one endpoint, written {@code "METHOD /path/{var}"} as it is mapped. */
    public Endpoint endpoint(String endpoint) {
        return new Endpoint(endpoint);
    }

    /** Path variables whose value is the calling player's id (default {@code playerId}). */
    public AuthorizationMatrix playerPathVariables(String... names) {
        playerVariables.clear();
        playerVariables.addAll(Arrays.asList(names));
        return this;
    }

    /** A value for another path variable (by default a random UUID per call). */
    public AuthorizationMatrix pathVariable(String name, Supplier<String> value) {
        pathVariables.put(name, value);
        return this;
    }

    /**
     * The dynamic tests: one container per mapped endpoint with one test per caller, a failing
     * test per endpoint without a rule, and one per rule whose endpoint is not mapped.
     */
    public Stream<DynamicNode> tests() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (String endpoint : endpoints) {
            Rule rule = rules.get(endpoint);
            if (rule == null) {
                nodes.add(DynamicTest.dynamicTest(endpoint + " has a rule", () -> {
                    throw new AssertionFailedError("No authorization rule is declared for " + endpoint
                            + ": declare who may call it in the authorization matrix");
                }));
                continue;
            }
            nodes.add(DynamicContainer.dynamicContainer(endpoint, Arrays.stream(Caller.values())
                    .map(caller -> DynamicTest.dynamicTest(
                            caller + (rule.allowed.contains(caller) ? " is allowed" : " is refused"),
                            () -> check(endpoint, rule, caller)))));
        }
        nodes.add(DynamicContainer.dynamicContainer("the actuator and the probes", actuatorTests()));
        for (String declared : rules.keySet()) {
            if (!endpoints.contains(declared)) {
                nodes.add(DynamicTest.dynamicTest(declared + " exists", () -> {
                    throw new AssertionFailedError("A rule is declared for " + declared + ", which is not mapped; mapped: "
                            + endpoints);
                }));
            }
        }
        return nodes.stream();
    }

    /**
     * The actuator on the service port, the same in every service (platform defaults): the bare
     * health status and the probe paths for anyone, with no components unless the caller is an
     * operator; metrics, breaker and bulkhead reads for operators only (an operator may get a 404
     * where a service has no breakers, never a refusal or a 5xx).
     */
    private Stream<DynamicNode> actuatorTests() {
        Rule open = new Rule(EnumSet.allOf(Caller.class), Map.of(), null, "");
        Rule operators = new Rule(EnumSet.of(Caller.ADMIN), Map.of(), null, "");
        Map<String, Rule> actuator = new LinkedHashMap<>();
        List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/livez", "/readyz")
                .forEach(path -> actuator.put("GET " + path, open));
        List.of("/actuator/prometheus", "/actuator/circuitbreakers", "/actuator/bulkheads")
                .forEach(path -> actuator.put("GET " + path, operators));
        return actuator.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(),
                Arrays.stream(Caller.values()).map(caller -> DynamicTest.dynamicTest(
                        caller + (e.getValue().allowed.contains(caller) ? " is allowed" : " is refused"), () -> {
                            check(e.getKey(), e.getValue(), caller);
                            if (e.getValue() == open && caller != Caller.ADMIN) {
                                String body = send("GET", e.getKey().substring(4), caller, UUID.randomUUID(), Map.of(), null)
                                        .body();
                                if (body.contains("\"components\"") || body.contains("\"details\"")) {
                                    throw new AssertionFailedError(e.getKey() + " shows " + caller + " what is inside: " + body);
                                }
                            }
                        }))));
    }

    /**
     * The bad-input suite over the same endpoints and sample requests, as the first allowed
     * caller: every path variable malformed ({@code not-an-id}, then a NUL); the sample body's
     * first string value given a NUL, its first whole number a fraction, and its first key twice.
     * None may be a 5xx; every 4xx must be problem+json naming no Java class; a mutated body must
     * be refused (4xx), never applied. Endpoints without a rule are left to {@link #tests()}.
     */
    public Stream<DynamicNode> hostileInputTests() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (String endpoint : endpoints) {
            Rule rule = rules.get(endpoint);
            if (rule == null || rule.allowed.isEmpty()) {
                continue;
            }
            Caller caller = Stream.of(Caller.PLAYER, Caller.ADMIN, Caller.GAME_SERVER, Caller.OTHER_PLAYER, Caller.ANONYMOUS,
                    Caller.VIEWER)
                    .filter(rule.allowed::contains).findFirst().orElseThrow();
            List<DynamicTest> cases = new ArrayList<>();
            String pattern = endpoint.substring(endpoint.indexOf(' ') + 1);
            if (VARIABLE.matcher(pattern).find()) {
                for (String bad : List.of("not-an-id", "%00", "x%01y")) {
                    cases.add(DynamicTest.dynamicTest("path variables " + bad,
                            () -> checkHostile(endpoint, rule, caller, bad, rule.body, false)));
                }
            }
            if (rule.body != null) {
                mutations(rule.body).forEach((what, body) -> cases.add(DynamicTest.dynamicTest("body with " + what,
                        () -> checkHostile(endpoint, rule, caller, null, body, true))));
            }
            if (!cases.isEmpty()) {
                nodes.add(DynamicContainer.dynamicContainer(endpoint + " as " + caller, cases.stream()));
            }
        }
        return nodes.stream();
    }

    static Map<String, String> mutations(String body) {
        Map<String, String> mutated = new LinkedHashMap<>();
        Matcher text = Pattern.compile("(\"\\s*:\\s*\")").matcher(body);
        if (text.find()) {
            mutated.put("a NUL in a string", body.substring(0, text.end()) + "\\u0000" + body.substring(text.end()));
        }
        Matcher number = Pattern.compile("(:\\s*)(\\d+)(\\s*[,}\\]])").matcher(body);
        if (number.find()) {
            mutated.put("a fraction for a whole number",
                    body.substring(0, number.end(2)) + ".5" + body.substring(number.end(2)));
        }
        Matcher key = Pattern.compile("\\{\\s*(\"[^\"]+\"\\s*:\\s*(\"[^\"]*\"|-?\\d+|true|false|null))").matcher(body);
        if (key.find()) {
            mutated.put("a duplicate key", body.substring(0, key.end()) + ", " + key.group(1) + body.substring(key.end()));
        }
        return mutated;
    }

    private void checkHostile(String endpoint, Rule rule, Caller caller, String badVariable, String body,
            boolean mustRefuse) throws Exception {
        UUID player = UUID.randomUUID();
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String pattern = endpoint.substring(endpoint.indexOf(' ') + 1);
        String path = badVariable == null ? expand(pattern, player) : VARIABLE.matcher(pattern).replaceAll(badVariable);
        HttpResponse<String> response = send(method, path + rule.query, caller, player, rule.headers, body);

        int status = response.statusCode();
        String seen = method + " " + path + " as " + caller + " with " + body + " answered " + status + " "
                + response.headers().firstValue("Content-Type").orElse("") + " " + response.body();
        if (status >= 500) {
            throw new AssertionFailedError("A server error for bad input: " + seen);
        }
        if (mustRefuse && status < 400) {
            throw new AssertionFailedError("Bad input was accepted: " + seen);
        }
        if (status >= 400) {
            boolean problem = response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
            if (!problem || response.body().contains("java.") || response.body().contains("Exception")) {
                throw new AssertionFailedError("A refusal that is not a clean problem+json: " + seen);
            }
        }
    }

    private void check(String endpoint, Rule rule, Caller caller) throws Exception {
        UUID player = UUID.randomUUID();
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = expand(endpoint.substring(endpoint.indexOf(' ') + 1), player);
        HttpResponse<String> response = send(method, path + rule.query, caller, player, rule.headers, rule.body);

        int status = response.statusCode();
        String seen = method + " " + path + " as " + caller + " answered " + status + " " + response.body();
        if (rule.allowed.contains(caller)) {
            boolean refusal = (status == 401 || status == 403)
                    && (response.body().isBlank() || PROBLEM_TYPE.matcher(response.body()).find());
            if (refusal) {
                throw new AssertionFailedError("Expected to be allowed: " + seen);
            }
            if (status >= 500) {
                throw new AssertionFailedError("Allowed, but the sample request failed on the server: " + seen);
            }
        }
        else if (status != 401 && status != 403) {
            throw new AssertionFailedError("Expected 401 or 403: " + seen);
        }
    }

    private HttpResponse<String> send(String method, String path, Caller caller, UUID player,
            Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        String token = token(caller, player);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.replace("${playerId}", player.toString())));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(Caller caller, UUID player) {
        return switch (caller) {
            case ANONYMOUS -> null;
            case PLAYER -> keys.playerToken(player);
            case OTHER_PLAYER -> keys.playerToken(UUID.randomUUID());
            case GAME_SERVER -> keys.gameServerToken("gs-matrix");
            case ADMIN -> keys.adminToken("ops-matrix");
            case VIEWER -> keys.viewerToken("operator:viewer-matrix");
        };
    }

    private String expand(String pattern, UUID player) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = playerVariables.contains(name) ? player.toString()
                    : pathVariables.getOrDefault(name, () -> UUID.randomUUID().toString()).get();
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        m.appendTail(path);
        return path.toString();
    }

    private record Rule(Set<Caller> allowed, Map<String, String> headers, String body, String query) {
    }

    /** The rule being declared for one endpoint. */
    public final class Endpoint {

        private final String endpoint;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private String query = "";

        private Endpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        /** A header every call carries (e.g. a well-formed {@code Idempotency-Key}). */
        public Endpoint header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A query string every call carries (e.g. a required parameter), without the {@code ?}. */
        public Endpoint query(String query) {
            this.query = "?" + query;
            return this;
        }

        /** A JSON body every call carries; {@code ${playerId}} is replaced by the calling player's id. */
        public Endpoint body(String json) {
            this.body = json;
            return this;
        }

        /** Who may call it; everyone else must be refused. Returns the matrix for the next rule. */
        public AuthorizationMatrix allow(Caller... callers) {
            Set<Caller> allowed = callers.length == 0 ? EnumSet.noneOf(Caller.class) : EnumSet.copyOf(Arrays.asList(callers));
            if (rules.putIfAbsent(endpoint, new Rule(allowed, Map.copyOf(headers), body, query)) != null) {
                throw new IllegalStateException("Two rules for " + endpoint);
            }
            return AuthorizationMatrix.this;
        }
    }
}
