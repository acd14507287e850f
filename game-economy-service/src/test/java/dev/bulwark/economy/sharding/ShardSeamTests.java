package dev.bulwark.economy.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.bulwark.platform.messaging.Inbox;
import dev.bulwark.platform.messaging.Outbox;
import dev.bulwark.testsupport.IntegrationTest;

/**
 * The seam for sharding: no economy bean reaches a database except through {@link Shards} — not
 * the service's DataSource, nor its transaction manager, outbox or inbox, which are shard 0's
 * only — so every write runs on its player's shard, in that shard's transaction.
 */
@IntegrationTest
class ShardSeamTests {

    private static final List<Class<?>> DATABASE_HANDLES = List.of(JdbcClient.class, JdbcTemplate.class,
            NamedParameterJdbcTemplate.class, DataSource.class, PlatformTransactionManager.class,
            TransactionTemplate.class, Outbox.class, Inbox.class);

    @Autowired
    ApplicationContext context;

    @Test
    void onlyTheShardsHoldADatabaseHandleOrATransactionManager() {
        List<String> offenders = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = AopUtils.getTargetClass(context.getBean(name));
            if (!type.getPackageName().startsWith("dev.bulwark.economy") || type.getPackageName().equals(Shards.class.getPackageName())) {
                continue;
            }
            checked.add(type.getSimpleName());
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (Arrays.stream(constructor.getParameterTypes()).anyMatch(DATABASE_HANDLES::contains)) {
                    offenders.add(type.getName());
                }
            }
        }
        assertThat(checked).contains("Ledger", "PlayerStore", "Purchases", "IdempotentRequests", "Catalog", "Snapshots");
        assertThat(offenders).isEmpty();
    }
}
