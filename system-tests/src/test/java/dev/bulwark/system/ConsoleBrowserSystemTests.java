package dev.bulwark.system;

import static dev.bulwark.system.SystemStack.JSON;
import static dev.bulwark.system.SystemStack.get;
import static dev.bulwark.system.SystemStack.post;
import static dev.bulwark.system.SystemStack.register;
import static dev.bulwark.system.SystemStack.shortId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

import dev.bulwark.stack.DevClient;
import dev.bulwark.stack.Service;
import dev.bulwark.stack.StackController;
import dev.bulwark.system.SystemStack.Registered;

/**
 * The operator console in a real browser (headless Debian chromium through its chromium-driver)
 * against the whole stack: an operator signs in, finds a player, adjusts the wallet and sees the
 * ledger entry and the audit line naming them; a refused clawback shows the economy's problem;
 * a stuck saga is listed first and retried; a paused economy opens player-core's breaker on the
 * status page; the shards page shows both economy shards healthy and where a player lives; a guild
 * chat message is removed and its author muted, both in the moderation log; an operator disabled
 * from the operators page finds their token refused by the economy. Every page passes axe-core with no serious or critical violation, and is saved as a
 * screenshot under {@code target/console-screenshots} (the ones in docs/console.md).
 *
 * <p>Skipped, saying so, where chromium or chromedriver is missing: install them with
 * {@code apt-get install -y chromium chromium-driver}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserSystemTests {

    static final Path CHROMIUM = Path.of(System.getProperty("bulwark.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("bulwark.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    static final String CONSOLE = Service.CONSOLE.baseUrl().toString();
    static final List<String> SERIOUS = List.of("serious", "critical");

    private static StackController stack;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static Registered player;
    private static String username;

    @BeforeAll
    static void browserAndConsole() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium or chromedriver missing (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): install them with apt-get install -y chromium chromium-driver");
        stack = SystemStack.get();
        stack.startService(Service.CONSOLE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);

        username = "console-" + shortId();
        player = register(username);
        await().atMost(Duration.ofSeconds(60)).until(() -> get(Service.GAME_ECONOMY,
                "/api/v1/players/" + player.id() + "/wallet", player.token()).statusCode() == 200);
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.stopService(Service.CONSOLE);
        }
    }

    @Test
    @Order(1)
    void anOperatorSignsInFindsAPlayerAdjustsTheWalletAndSeesTheLedgerEntryNamingThem() throws Exception {
        browser.get(CONSOLE + "/players");
        assertThat(browser.getCurrentUrl()).as("signed out: sent to sign in").endsWith("/sign-in");
        checkPage("sign-in");
        browser.findElement(By.id("username")).sendKeys(DevClient.CONSOLE_OPERATOR);
        browser.findElement(By.id("password")).sendKeys(DevClient.CONSOLE_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/players"));

        browser.findElement(By.id("q")).sendKeys(username.toUpperCase());
        browser.findElement(By.cssSelector("form[role=search] button")).click();
        WebElement found = wait.until(d -> d.findElement(By.linkText(username)));
        checkPage("players");
        found.click();
        wait.until(d -> d.findElement(By.id("wallet")));
        long goldBefore = gold();
        checkPage("player");

        browser.findElement(By.id("amount")).sendKeys(Keys.backspaceThen("250"));
        browser.findElement(By.id("reason")).sendKeys("refund for ticket 4711");
        browser.findElement(By.cssSelector("#adjust button")).click();
        wait.until(d -> d.findElement(By.id("confirm")));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("+250 GOLD")
                .contains("refund for ticket 4711").contains("Nothing has been sent yet");
        assertThat(SystemStack.getJson(Service.GAME_ECONOMY, "/api/v1/players/" + player.id() + "/wallet", player.token())
                .get("balances").get("GOLD").asLong()).as("nothing happens before the confirmation").isEqualTo(goldBefore);
        checkPage("confirm");
        browser.findElement(By.id("confirm")).click();

        String notice = wait.until(d -> d.findElement(By.cssSelector(".notice"))).getText();
        assertThat(notice).startsWith("Adjustment applied: ledger entry #");
        String sequence = notice.replaceAll("\\D", "");
        assertThat(gold()).isEqualTo(goldBefore + 250);
        while (!browser.findElements(By.id("ledger-next")).isEmpty()) {
            browser.findElement(By.id("ledger-next")).click();
        }
        assertThat(browser.findElement(By.id("ledger")).getText()).contains(sequence + " AdjustmentApplied");
        assertThat(browser.findElement(By.id("audit")).getText())
                .contains("operator:" + DevClient.CONSOLE_OPERATOR).contains("refund for ticket 4711");
    }

    @Test
    @Order(2)
    void aRefusedClawbackShowsTheEconomysProblemAndChangesNothing() throws Exception {
        browser.get(CONSOLE + "/players/" + player.id());
        long goldBefore = wait.until(d -> gold());
        browser.findElement(By.id("amount")).sendKeys(Keys.backspaceThen("-99999999"));
        browser.findElement(By.id("reason")).sendKeys("too much");
        browser.findElement(By.cssSelector("#adjust button")).click();
        wait.until(d -> d.findElement(By.id("confirm"))).click();

        WebElement problem = wait.until(d -> d.findElement(By.cssSelector(".problem")));
        assertThat(problem.findElement(By.cssSelector(".problem-status")).getText()).isEqualTo("409");
        assertThat(problem.findElement(By.cssSelector(".problem-type")).getText()).endsWith("/insufficient-funds");
        checkPage("refused");
        browser.get(CONSOLE + "/players/" + player.id());
        long goldAfter = wait.until(d -> gold());
        assertThat(goldAfter).isEqualTo(goldBefore);
    }

    @Test
    @Order(3)
    void aStuckSagaIsListedFirstAndRetriedFromItsPage() throws Exception {
        Registered buyer = SagaSystemTests.playerWithWallet("stuck");
        UUID saga;
        stack.pauseService(Service.PLAYER_CORE);
        try {
            HttpResponse<String> bought = post(Service.GAME_ECONOMY, "/api/v1/players/" + buyer.id() + "/purchases",
                    buyer.token(), JSON.writeValueAsString(Map.of("offerId", "name-change", "quantity", 1,
                            "params", Map.of("displayName", "Stuck " + shortId()))),
                    "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(bought.statusCode()).as(bought.body()).isEqualTo(202);
            saga = UUID.fromString(JSON.readTree(bought.body()).get("purchaseId").asString());

            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                browser.get(CONSOLE + "/sagas?status=CANCELLING");
                return browser.findElements(By.linkText(saga.toString())).size() == 1;
            });
            new Select(browser.findElement(By.id("status"))).selectByVisibleText("any");
            browser.findElement(By.cssSelector("form.inline button")).click();
            WebElement first = wait.until(d -> d.findElement(By.cssSelector("#sagas tbody tr")));
            assertThat(first.getAttribute("class")).as("a stuck saga comes first").contains("stuck");
            checkPage("sagas");
            browser.findElement(By.linkText(saga.toString())).click();
            wait.until(d -> d.findElement(By.id("retry"))).click();
            checkPage("saga-confirm");
            wait.until(d -> d.findElement(By.id("confirm"))).click();
            assertThat(wait.until(d -> d.findElement(By.cssSelector(".notice"))).getText()).startsWith("Retry sent");
            assertThat(browser.findElement(By.id("steps")).getText()).contains("operator retry");
            checkPage("saga");
        } finally {
            stack.resumeService(Service.PLAYER_CORE);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            browser.get(CONSOLE + "/sagas/" + saga);
            String state = browser.findElement(By.cssSelector("[data-field=state]")).getText();
            return List.of("COMPLETED", "FAILED", "CANCELLED").contains(state);
        });
    }

    @Test
    @Order(4)
    void aPausedEconomyOpensPlayerCoresBreakerOnTheStatusPage() throws Exception {
        // player-core makes its breaker on the first live read; slow reads while the stack warms up may have opened it.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            meQuery();
            browser.get(CONSOLE + "/status");
            return !browser.findElements(BREAKER).isEmpty() && "CLOSED".equals(breaker());
        });
        checkPage("status");
        stack.pauseService(Service.GAME_ECONOMY);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (int i = 0; i < 3; i++) {
                    meQuery();
                }
                browser.get(CONSOLE + "/status");
                return "OPEN".equals(breaker());
            });
            WebElement economy = browser.findElement(By.cssSelector("[data-service=game-economy]"));
            assertThat(economy.findElement(By.cssSelector(".problem-status")).getText()).isEqualTo("503");
            checkPage("status-breaker-open");
        } finally {
            stack.resumeService(Service.GAME_ECONOMY);
        }
    }

    @Test
    @Order(5)
    void theShardsPageShowsBothShardsHealthyWithTheirPlayersAndWhereAPlayerLives() throws Exception {
        browser.get(CONSOLE + "/shards");
        List<WebElement> shards = wait.until(d -> d.findElements(By.cssSelector("#shards tbody tr")));
        assertThat(shards).extracting(row -> row.getAttribute("data-shard")).containsExactly("shard0", "shard1");
        assertThat(shards).allSatisfy(row -> assertThat(row.findElement(By.cssSelector(".health")).getText())
                .isEqualTo("healthy"));
        long players = shards.stream().mapToLong(row -> Long.parseLong(row.findElement(By.cssSelector(".players")).getText()))
                .sum();
        assertThat(players).as("wallets on both shards").isPositive();
        browser.findElement(By.id("player")).sendKeys(player.id().toString());
        browser.findElement(By.cssSelector("#where-heading + form button")).click();
        assertThat(wait.until(d -> d.findElement(By.id("player-shard"))).getText()).containsPattern("lives on shard[01]");
        checkPage("shards");
    }

    @Test
    @Order(6)
    void anOperatorRemovesAGuildChatMessageAndMutesItsAuthorBothInTheModerationLog() throws Exception {
        Registered leader = SagaSystemTests.playerWithWallet("guild");
        String guildName = "Console " + shortId();
        post(Service.GAME_ECONOMY, "/api/v1/players/" + leader.id() + "/purchases", leader.token(),
                JSON.writeValueAsString(Map.of("offerId", "guild-charter", "quantity", 1, "params", Map.of("guildName", guildName))),
                "Idempotency-Key", UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                get(Service.SOCIAL, "/api/v1/players/" + leader.id() + "/guild", leader.token()).statusCode() == 200);
        String guild = SystemStack.getJson(Service.SOCIAL, "/api/v1/players/" + leader.id() + "/guild", leader.token())
                .get("guildId").asString();
        String chat = "/api/v1/guilds/" + guild + "/messages";
        assertThat(post(Service.SOCIAL, chat, leader.token(), "{\"text\": \"buy gold at example.com\"}").statusCode())
                .isEqualTo(201);

        browser.get(CONSOLE + "/guilds?q=" + java.net.URLEncoder.encode(guildName, java.nio.charset.StandardCharsets.UTF_8));
        wait.until(d -> d.findElement(By.linkText(guildName)));
        checkPage("guilds");
        browser.findElement(By.linkText(guildName)).click();
        WebElement message = wait.until(d -> d.findElement(By.cssSelector("#messages tbody tr")));
        assertThat(message.getText()).contains("buy gold at example.com");
        checkPage("guild");
        message.findElement(By.cssSelector("input[name=reason]")).sendKeys("spam");
        message.findElement(By.cssSelector("form.remove button")).click();
        wait.until(d -> d.findElement(By.id("confirm"))).click();
        assertThat(wait.until(d -> d.findElement(By.cssSelector(".notice"))).getText()).endsWith("removed.");
        assertThat(browser.findElements(By.id("messages"))).as("the chat is empty now").isEmpty();

        WebElement member = browser.findElement(By.cssSelector("#members tbody tr[data-player='" + leader.id() + "']"));
        member.findElement(By.cssSelector("input[name=reason]")).sendKeys("flooding");
        member.findElement(By.cssSelector("form.mute button")).click();
        wait.until(d -> d.findElement(By.id("confirm"))).click();
        assertThat(wait.until(d -> d.findElement(By.cssSelector(".notice"))).getText()).startsWith("Muted until");
        HttpResponse<String> muted = post(Service.SOCIAL, chat, leader.token(), "{\"text\": \"still here\"}");
        assertThat(muted.statusCode()).isEqualTo(403);
        assertThat(muted.body()).contains("/muted");
        assertThat(browser.findElement(By.id("moderation-log")).getText())
                .contains("operator:" + DevClient.CONSOLE_OPERATOR).contains("REMOVE_MESSAGE").contains("MUTE");
        checkPage("guild-moderated");
    }

    @Test
    @Order(7)
    void anAdminDisablesAnOperatorWhoseTokenTheEconomyThenRefuses() throws Exception {
        String admin = operatorToken(DevClient.CONSOLE_OPERATOR, DevClient.CONSOLE_PASSWORD);
        String name = "leaver-" + shortId();
        assertThat(post(Service.PLAYER_CORE, "/api/v1/admin/operators", admin, JSON.writeValueAsString(
                Map.of("username", name, "password", "leaver password 1", "role", "VIEWER"))).statusCode()).isEqualTo(201);
        String viewer = operatorToken(name, "leaver password 1");
        assertThat(get(Service.GAME_ECONOMY, "/api/v1/admin/sagas", viewer).statusCode()).isEqualTo(200);

        browser.get(CONSOLE + "/operators");
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("#operators tr[data-operator='" + name + "']")));
        row.findElement(By.cssSelector("input[name=reason]")).sendKeys("left the team");
        row.findElement(By.cssSelector("form button")).click();
        wait.until(d -> d.findElement(By.id("confirm"))).click();
        assertThat(wait.until(d -> d.findElement(By.cssSelector(".notice"))).getText()).contains(name + " is disabled");
        assertThat(browser.findElement(By.cssSelector("#operators tr[data-operator='" + name + "'] .operator-state"))
                .getText()).startsWith("disabled by operator:" + DevClient.CONSOLE_OPERATOR);
        checkPage("operators");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                get(Service.GAME_ECONOMY, "/api/v1/admin/sagas", viewer).statusCode() == 401);
    }

    private static String operatorToken(String username, String password) throws Exception {
        HttpResponse<String> signedIn = post(Service.PLAYER_CORE, "/api/v1/auth/operator", null,
                JSON.writeValueAsString(Map.of("username", username, "password", password)));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        return JSON.readTree(signedIn.body()).get("accessToken").asString();
    }

    private static final By BREAKER = By.cssSelector("[data-service=player-core] [data-breaker=economy] .breaker-state");

    private static String breaker() {
        return browser.findElement(BREAKER).getText();
    }

    /** The player screen's query: player-core reads the wallet from the economy through its breaker. */
    private static void meQuery() throws Exception {
        post(Service.PLAYER_CORE, "/graphql", player.token(),
                JSON.writeValueAsString(Map.of("query", "{ me { wallet { balances { GOLD } } } }")));
    }

    private static long gold() {
        return Long.parseLong(browser.findElement(By.cssSelector("#wallet td.balance[data-currency=GOLD]")).getText());
    }

    /** axe-core finds no serious or critical violation; the page is saved for docs/console.md. */
    private static void checkPage(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(browser);
        List<String> serious = results.getViolations().stream().filter(rule -> SERIOUS.contains(rule.getImpact()))
                .map(ConsoleBrowserSystemTests::describe).toList();
        assertThat(serious).as("axe-core violations on %s", name).isEmpty();
    }

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList();
    }

    /** Clears a number field's preset value before typing. */
    private static final class Keys {

        static CharSequence[] backspaceThen(String text) {
            return new CharSequence[] {org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), text};
        }
    }
}
