package org.callibry.server.portal.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Links with a query string built from parameters (nulls left out, every value fully encoded, '+' too). */
final class PortalLinks {
    private PortalLinks() {
    }

    static String withQuery(String path, Map<String, ?> params) {
        StringBuilder b = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, ?> e : params.entrySet()) {
            if (e.getValue() != null) {
                b.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return b.toString();
    }

    /** {@code prevLink}, {@code nextLink}, {@code page} and {@code pages} for the pager: this request with another page. */
    static void pager(org.springframework.ui.Model model, int page, long total, boolean exact, int pageSize) {
        long pages = Math.max(1, (total + pageSize - 1) / pageSize);
        model.addAttribute("total", total);
        model.addAttribute("exact", exact);
        model.addAttribute("page", page);
        model.addAttribute("pages", pages);
        model.addAttribute("prevLink", pageLink(page - 1));
        model.addAttribute("nextLink", pageLink(page + 1));
    }

    private static String pageLink(int page) {
        var b = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("page", page).replaceQueryParam("lang");
        var c = b.build(true);
        return c.getPath() + (c.getQuery() == null ? "" : "?" + c.getQuery());
    }
}
