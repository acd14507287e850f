package dev.bulwark.social.moderation;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses a muted member's chat post (403 {@code muted}) before the chat's own handler runs, so
 * moderation needs no change in the chat module. The check reads the mute in its own short
 * transaction: a mute committed while a post is in flight applies from the next post.
 */
@Configuration
class MutedMembers implements WebMvcConfigurer, HandlerInterceptor {

    private final Moderation moderation;

    MutedMembers(Moderation moderation) {
        this.moderation = moderation;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/guilds/*/messages");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!"POST".equals(request.getMethod())) {
            return true;
        }
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (caller == null || !(caller.getPrincipal() instanceof Jwt jwt) || variables == null) {
            return true;
        }
        UUID guild = uuid(variables.get("guildId"));
        UUID player = uuid(jwt.getSubject());
        if (guild == null || player == null) {
            return true; // not a player's post, or a malformed id the handler refuses itself
        }
        moderation.muted(guild, player).ifPresent(mute -> {
            throw ModerationController.muted(mute);
        });
        return true;
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }
}
