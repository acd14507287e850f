package dev.bulwark.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The operator console: server-rendered pages that call the services' admin APIs with the
 * signed-in operator's own token, so it can do nothing the API would refuse that operator, and
 * every audit log names the person. It keeps no data of its own beyond the HTTP session.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
