package org.callibry.server.portal.internal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.callibry.server.api.ApiAuthentication;
import org.callibry.server.api.Caller;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Files for the browser session: the recording player's MP3 (with HTTP Range, so it can seek) and the
 * CSV exports. Each forwards to the API's own endpoint acting as the session's user, so the role check,
 * the tenant wall, the query parameter checks and the streaming are the API's, not a copy.
 */
@Controller
class PortalFiles {
    private final ApiAuthentication api;

    PortalFiles(ApiAuthentication api) {
        this.api = api;
    }

    @GetMapping("/portal/recordings/{id}.mp3")
    void recording(Caller caller, @PathVariable("id") long id, HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        forward(caller, "/api/recordings/" + id + ".mp3", request, response);
    }

    /** The query parameters are those of {@code GET /api/cdr.csv} (the call log page builds the link). */
    @GetMapping("/portal/calls.csv")
    void calls(Caller caller, HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        forward(caller, "/api/cdr.csv", request, response);
    }

    /** The query parameters are those of {@code GET /api/queue-log.csv}. */
    @GetMapping("/portal/queue-log.csv")
    void queueLog(Caller caller, HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        forward(caller, "/api/queue-log.csv", request, response);
    }

    private void forward(Caller caller, String path, HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        api.actAs(request, caller);
        request.getRequestDispatcher(path).forward(request, response);
    }
}
