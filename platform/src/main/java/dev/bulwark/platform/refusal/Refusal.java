package dev.bulwark.platform.refusal;

import java.util.Locale;

/**
 * A domain rule's refusal: why it refused, in the domain's words, and nothing about HTTP. Each
 * feature names its reasons in an enum of its own refusal type; the service's web edge is the
 * one place that gives each reason a status. Thrown before anything is written (or rolling the
 * transaction back), so a refusal changes nothing.
 */
public abstract class Refusal extends RuntimeException {

    private final Enum<?> reason;

    protected Refusal(Enum<?> reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    /** The stable problem type callers see: the reason's name in kebab case ({@code NO_INVITATION} → {@code no-invitation}). */
    public String type() {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
