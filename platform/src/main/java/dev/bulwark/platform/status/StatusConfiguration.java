package dev.bulwark.platform.status;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Import;

/** The operator status read every service offers ({@code GET /api/v1/admin/status}). */
@AutoConfiguration
@ConditionalOnWebApplication
@Import(ServiceStatusController.class)
public class StatusConfiguration {
}
