package dev.bulwark.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drill report: {@code drills.html} (a timeline per drill, drawn by ECharts from the webjar,
 * with the fault windows marked, and the table of invariants) and the same tables as
 * {@code drills.md}. Gatling's own report of the background load is linked beside.
 */
final class Report {

    private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private Report() {
    }

    record Run(List<DrillResult> results, String machine, String load, Optional<Path> gatlingReport, boolean shortRun) {

        boolean passed() {
            return results.stream().filter(DrillResult::available).allMatch(DrillResult::passed);
        }
    }

    static void write(Run run, Path directory) throws IOException {
        Files.createDirectories(directory);
        try (InputStream echarts = Report.class.getClassLoader().getResourceAsStream(ECHARTS)) {
            if (echarts == null) {
                throw new IOException("ECharts is not on the classpath: " + ECHARTS);
            }
            Files.copy(echarts, directory.resolve("echarts.min.js"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(directory.resolve("drills.md"), markdown(run));
        Files.writeString(directory.resolve("drills.html"), html(run, directory));
    }

    static String markdown(Run run) {
        StringBuilder md = new StringBuilder();
        md.append("Run ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)))
                .append(" UTC, ").append(run.shortRun() ? "short" : "full").append(" variant; ")
                .append(run.passed() ? "**every invariant held**" : "**an invariant broke**").append(".\n\n")
                .append("Machine: ").append(run.machine()).append("  \nBackground load: ").append(run.load()).append("\n\n");
        for (DrillResult result : run.results()) {
            md.append("### ").append(result.title).append(" (`").append(result.name).append("`)\n\n");
            if (!result.available()) {
                md.append("Not yet available: ").append(String.join("; ", result.notes)).append("\n\n");
                continue;
            }
            md.append("| invariant | figure | bound | |\n|---|---|---|---|\n");
            for (DrillResult.Invariant invariant : result.invariants) {
                md.append("| ").append(invariant.name()).append(" | ").append(invariant.figure()).append(" | ")
                        .append(invariant.bound()).append(" | ").append(invariant.passed() ? "pass" : "**FAIL**")
                        .append(" |\n");
            }
            md.append('\n');
            for (Timeline.Window window : result.timeline.windows()) {
                md.append("- fault: ").append(window.fault()).append(", from +")
                        .append(result.timeline.secondOf(window.start())).append(" s to +")
                        .append(window.end() == null ? "end" : result.timeline.secondOf(window.end())).append(" s\n");
            }
            result.notes.forEach(note -> md.append("- ").append(note).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private static String html(Run run, Path directory) {
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Bulwark drills</title>
                <script src="echarts.min.js"></script>
                <style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}
                table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
                .pass{color:#17692c}.fail{color:#b00020;font-weight:bold}.chart{width:100%;height:360px}</style>
                </head><body><h1>Bulwark drills</h1>
                """);
        html.append("<p>").append(escape(run.shortRun() ? "Short variant. " : "Full variant. "))
                .append(run.passed() ? "<span class=pass>Every invariant held.</span>"
                        : "<span class=fail>An invariant broke.</span>")
                .append("</p><p>Machine: ").append(escape(run.machine())).append("<br>Background load: ")
                .append(escape(run.load())).append("</p>");
        run.gatlingReport().ifPresent(report -> html.append("<p><a href=\"")
                .append(escape(directory.relativize(report).toString())).append("\">Gatling's report of the background load</a></p>"));
        int index = 0;
        for (DrillResult result : run.results()) {
            html.append("<h2>").append(escape(result.title)).append("</h2>");
            if (!result.available()) {
                html.append("<p>Not yet available: ").append(escape(String.join("; ", result.notes))).append("</p>");
                continue;
            }
            String id = "chart" + index++;
            html.append("<div id=").append(id).append(" class=chart></div><table><tr><th>invariant</th><th>figure</th>")
                    .append("<th>bound</th><th></th></tr>");
            for (DrillResult.Invariant invariant : result.invariants) {
                html.append("<tr><td>").append(escape(invariant.name())).append("</td><td>").append(escape(invariant.figure()))
                        .append("</td><td>").append(escape(invariant.bound())).append("</td><td class=")
                        .append(invariant.passed() ? "pass>pass" : "fail>FAIL").append("</td></tr>");
            }
            html.append("</table><ul>");
            result.notes.forEach(note -> html.append("<li>").append(escape(note)).append("</li>"));
            html.append("</ul><script>echarts.init(document.getElementById('").append(id).append("')).setOption(")
                    .append(chartOption(result.timeline)).append(");</script>");
        }
        return html.append("</body></html>\n").toString();
    }

    /** ECharts' option: throughput and errors per second (left axis), p99 (right axis), fault windows as mark areas. */
    static String chartOption(Timeline timeline) {
        List<Timeline.Second> seconds = timeline.seconds();
        List<List<Object>> areas = new ArrayList<>();
        long last = seconds.isEmpty() ? 0 : seconds.getLast().second();
        for (Timeline.Window window : timeline.windows()) {
            areas.add(List.of(Map.of("name", window.fault(), "xAxis", String.valueOf(timeline.secondOf(window.start()))),
                    Map.of("xAxis", String.valueOf(window.end() == null ? last : timeline.secondOf(window.end())))));
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("legend", Map.of("data", List.of("answers/s", "errors/s", "degraded/s", "p99 ms")));
        option.put("xAxis", Map.of("type", "category", "name", "s", "data",
                seconds.stream().map(s -> String.valueOf(s.second())).toList()));
        option.put("yAxis", List.of(Map.of("type", "value", "name", "per second"), Map.of("type", "value", "name", "p99 ms")));
        option.put("series", List.of(
                Map.of("name", "answers/s", "type", "line", "data", seconds.stream().map(Timeline.Second::requests).toList(),
                        "markArea", Map.of("itemStyle", Map.of("color", "rgba(255,120,0,0.15)"), "data", areas)),
                Map.of("name", "errors/s", "type", "line", "color", "#b00020",
                        "data", seconds.stream().map(Timeline.Second::errors).toList()),
                Map.of("name", "degraded/s", "type", "line", "color", "#c7a000",
                        "data", seconds.stream().map(Timeline.Second::degraded).toList()),
                Map.of("name", "p99 ms", "type", "line", "yAxisIndex", 1,
                        "data", seconds.stream().map(Timeline.Second::p99Millis).toList())));
        return Http.JSON.writeValueAsString(option);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
