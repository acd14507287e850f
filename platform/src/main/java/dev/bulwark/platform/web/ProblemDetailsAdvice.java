package dev.bulwark.platform.web;

import java.net.URI;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import jakarta.validation.ConstraintViolationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * One mapping from failures to RFC 9457 problems for all services. Services throw
 * {@link ApiException}s; framework failures (validation, malformed JSON, unknown fields, bad
 * path variables, optimistic locking) get stable types here.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final URI ABOUT_BLANK = URI.create("about:blank");
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        e.headers().forEach((name, value) -> response.header(name, value));
        return response.body(e.toProblem());
    }

    @ExceptionHandler({ AccessDeniedException.class, AuthorizationDeniedException.class })
    ResponseEntity<ProblemDetail> denied(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .body(Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this caller"));
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentUpdate(OptimisticLockingFailureException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Problems.of(HttpStatus.CONFLICT, "concurrent-update",
                "Changed by another request meanwhile; read it again and retry"));
    }

    /** The violated constraints by parameter name, without the Java method they belong to. */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> invalidParameter(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", detail));
    }

    /**
     * A path variable or query parameter that does not convert (a malformed id, an unknown enum
     * constant): names the parameter and the expected form, never the Java type or the converter.
     */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> invalidParameter(MethodArgumentTypeMismatchException e) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request",
                e.getName() + " must be " + expectedForm(e.getParameter().nestedIfOptional().getNestedParameterType())));
    }

    static String expectedForm(Class<?> type) {
        if (type == null) {
            return "well formed";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (UUID.class.equals(type)) {
            return "a UUID";
        }
        if (Number.class.isAssignableFrom(ClassUtils.resolvePrimitiveIfNecessary(type))) {
            return "a whole number";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant";
        }
        return "well formed";
    }

    private static String lastNode(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.putIfAbsent(error.getField(), error.getDefaultMessage());
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "The request has invalid fields");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request",
                "The request has invalid parameters"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException refusal) {
                return ResponseEntity.status(refusal.status()).body(refusal.toProblem());
            }
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", malformedDetail(e));
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * Says what is wrong in the caller's terms (the field's path, the kind of mistake) without
     * the parser's message, which names Java classes.
     */
    static String malformedDetail(HttpMessageNotReadableException e) {
        String base = "The body is not valid JSON for this request";
        if (!(e.getCause() instanceof JacksonException json)) {
            return base;
        }
        String field = json.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String at = field.isEmpty() ? "" : " at " + field;
        if (json instanceof UnrecognizedPropertyException) {
            return base + ": unknown field" + at + " (unknown fields are refused)";
        }
        if (json instanceof StreamReadException && String.valueOf(json.getOriginalMessage()).startsWith("Duplicate")) {
            return base + ": a key appears twice" + at;
        }
        if (json instanceof MismatchedInputException) {
            return base + ": wrong type of value" + at
                    + " (amounts and quantities are whole numbers without fraction or exponent, not strings; no empty strings for non-text values)";
        }
        return base + at;
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = switch (e) {
            case MissingRequestHeaderException missing -> "Header " + missing.getHeaderName() + " is required";
            default -> "A required part of the request is missing";
        };
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "missing-parameter", detail));
    }

    /**
     * Spring's own refusals (405, 406, 415, 404 for an unknown path, ...) keep their status and
     * detail but get a stable type like every other problem instead of {@code about:blank}.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && ABOUT_BLANK.equals(problem.getType())) {
            problem.setType(URI.create(Problems.TYPE_BASE + Problems.typeFor(status)));
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unhandled failure", e);
        return ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "Something went wrong on our side"));
    }
}
