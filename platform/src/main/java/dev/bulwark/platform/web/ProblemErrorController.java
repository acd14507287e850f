package dev.bulwark.platform.web;

import java.io.IOException;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet container's error page ({@code /error}) for what fails outside Spring MVC's
 * handlers (a filter's {@code sendError}, an exception thrown by a filter): problem+json with a
 * stable type and the status's reason, replacing Boot's default body with its timestamp, path
 * and, for some failures, exception names. Written directly so that no {@code Accept} header can
 * turn it into a 406 or an HTML page.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object attribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = attribute instanceof Integer code && code >= 400 ? code : 500;
        byte[] body = ProblemErrorReportValve.json(Problems.forStatus(status));
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
