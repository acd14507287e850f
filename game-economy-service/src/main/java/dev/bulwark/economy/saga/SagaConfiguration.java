package dev.bulwark.economy.saga;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The sagas the orchestrator runs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaProperties.class)
class SagaConfiguration {

    @Bean
    SagaDefinition<PaidAction> guildCharterSaga(Funds funds, SagaProperties properties) {
        return PaidActionSagas.guildCharter(funds, properties.participantDeadline());
    }

    @Bean
    SagaDefinition<PaidAction> xpBoostSaga(Funds funds, SagaProperties properties) {
        return PaidActionSagas.xpBoost(funds, properties.participantDeadline());
    }

    @Bean
    SagaDefinition<PaidAction> nameChangeSaga(Funds funds, SagaProperties properties) {
        return PaidActionSagas.nameChange(funds, properties.participantDeadline());
    }
}
