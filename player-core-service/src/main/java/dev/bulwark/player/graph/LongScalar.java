package dev.bulwark.player.graph;

import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/** The schema's {@code Long}: amounts and quantities do not fit GraphQL's 32-bit {@code Int}. */
@Configuration(proxyBeanMethods = false)
class LongScalar {

    @Bean
    RuntimeWiringConfigurer longScalarWiring() {
        GraphQLScalarType scalar = GraphQLScalarType.newScalar().name("Long").description("A 64-bit integer")
                .coercing(new Coercing<Long, Long>() {
                    @Override
                    public Long serialize(Object value, GraphQLContext context, Locale locale) {
                        if (value instanceof Number number) {
                            return number.longValue();
                        }
                        throw new CoercingSerializeException("Not a number: " + value);
                    }

                    @Override
                    public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                        if (input instanceof Number number) {
                            return number.longValue();
                        }
                        throw new CoercingParseValueException("Not a number: " + input);
                    }

                    @Override
                    public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                            Locale locale) {
                        if (input instanceof IntValue integer) {
                            return integer.getValue().longValueExact();
                        }
                        throw new CoercingParseLiteralException("Not an integer literal");
                    }
                }).build();
        return wiring -> wiring.scalar(scalar);
    }
}
