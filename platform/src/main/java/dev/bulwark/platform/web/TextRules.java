package dev.bulwark.platform.web;

import java.util.Optional;

/**
 * Characters no request text may carry, whatever the field: NUL and the other C0/C1 control
 * characters (tab, line feed and carriage return excepted), the bidirectional embedding,
 * override and isolate controls (U+202A-U+202E, U+2066-U+2069: "Trojan Source" reordering, a
 * name that displays as another) and unpaired surrogates (not encodable as UTF-8). PostgreSQL
 * refuses NUL outright, which made such input a 500; the rest would be stored and shown to other
 * players. They are refused rather than stripped even in free text: a client that sends them is
 * broken or hostile, and a silently changed chat line or reason is worse than a clear 400.
 */
public final class TextRules {

    private TextRules() {
    }

    /** What is wrong with {@code text}, e.g. "U+0000 (a control character) at 3", or empty when nothing is. */
    public static Optional<String> violation(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String kind = null;
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                kind = "a control character";
            }
            else if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                kind = "a bidirectional override";
            }
            else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                kind = "an unpaired surrogate";
            }
            else if (Character.isLowSurrogate(c)) {
                kind = "an unpaired surrogate";
            }
            if (kind != null) {
                return Optional.of(String.format("U+%04X (%s) at %d", (int) c, kind, i));
            }
        }
        return Optional.empty();
    }

    /** Throws 400 {@code invalid-characters} naming {@code field} when {@code text} breaks the rules. */
    public static void require(String field, CharSequence text) {
        if (text != null) {
            violation(text).ifPresent(v -> {
                throw new InvalidCharactersException(field, v);
            });
        }
    }

    /** 400 {@code invalid-characters}: the text is refused, nothing is stored. */
    public static final class InvalidCharactersException extends ApiException {

        InvalidCharactersException(String field, String violation) {
            super(org.springframework.http.HttpStatus.BAD_REQUEST, "invalid-characters",
                    (field == null ? "The request" : field) + " contains a character that is not allowed: " + violation);
        }
    }
}
