package dev.bulwark.economy.paidaction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.bulwark.economy.saga.SagaDefinition;
import dev.bulwark.economy.saga.SagaProperties;

/** The paid-action sagas, each a definition the saga engine runs. */
@Configuration(proxyBeanMethods = false)
class PaidActionConfiguration {

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
