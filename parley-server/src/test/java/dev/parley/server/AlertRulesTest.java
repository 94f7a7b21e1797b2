package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.parley.agent.AgentException;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeReply;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped alerting rules ({@code deploy/prometheus/parley-alerts.yml}) and Grafana dashboard
 * ({@code deploy/grafana/parley-dashboard.json}): valid for Prometheus, proven by their promtool unit tests, and
 * naming only metrics (and labels) that a real server's scrape contains, so a renamed meter breaks this test
 * instead of silently muting an alert. The promtool checks are skipped where promtool is not installed
 * (Debian: {@code apt-get install prometheus}; {@code .ci/run} installs it).
 */
final class AlertRulesTest {
  private static final Path ROOT = ServerHarness.repoRoot();
  private static final Path RULES = ROOT.resolve("deploy/prometheus/parley-alerts.yml");
  private static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/parley-alerts.test.yml");
  private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/parley-dashboard.json");

  private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "and", "or", "unless", "on", "ignoring", "group_left",
      "group_right", "bool", "offset", "inf", "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

  @Test
  void promtool_checkRules_valid() throws Exception {
    Path promtool = promtool();
    Result r = run(promtool.toString(), "check", "rules", RULES.toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: 7 rules found");
  }

  @Test
  void promtool_testRules_everyAlertFiresOverItsThresholdAndNotUnder() throws Exception {
    Path promtool = promtool();
    Result r = run(promtool.toString(), "test", "rules", RULE_TESTS.toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
    // Every alert has a unit test that fires it.
    JsonNode tests = new YAMLMapper().readTree(RULE_TESTS.toFile());
    Set<String> fired = new TreeSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (!check.path("exp_alerts").isEmpty()) {
          fired.add(check.path("alertname").asText());
        }
      }
    }
    assertThat(fired).isEqualTo(alertNames());
  }

  @Test
  void rulesAndDashboard_nameOnlyMetricsAndLabelsTheScrapeHas() throws IOException {
    Map<String, Set<String>> scraped;
    try (ServerHarness h = new ServerHarness()) {
      driveEveryMeter(h);
      scraped = samples(h.scrape());
    }
    List<String> exprs = new ArrayList<>();
    for (JsonNode rule : rules()) {
      exprs.add(rule.path("expr").asText());
    }
    JsonNode dashboard = Json.mapper().readTree(DASHBOARD.toFile());
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    assertThat(panels).isNotEmpty();
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    for (String expr : exprs) {
      Set<String> metrics = metricNames(expr);
      assertThat(metrics).as("metrics in %s", expr).isNotEmpty();
      assertThat(scraped.keySet()).as("scrape vs %s", expr).containsAll(metrics);
      Matcher selector = SELECTOR.matcher(stripStrings(expr));
      while (selector.find()) {
        Matcher label = MATCHER.matcher(selector.group(2));
        while (label.find()) {
          assertThat(scraped.get(selector.group(1))).as("labels of %s in %s", selector.group(1), expr).contains(label.group(1));
        }
      }
      Matcher grouping = GROUPING.matcher(expr);
      while (grouping.find()) {
        for (String label : grouping.group(1).split(",")) {
          assertThat(metrics.stream().anyMatch(m -> scraped.getOrDefault(m, Set.of()).contains(label.strip())))
              .as("some metric of %s has label %s", expr, label.strip()).isTrue();
        }
      }
    }
    // The timeout alert's label value is the engine's own error code.
    assertThat(Files.readString(RULES)).contains("code=\"" + AgentException.Kind.TURN_TIMEOUT.code() + "\"");
    // Each alert has its panel.
    String descriptions = panels.stream().map(p -> p.path("description").asText()).reduce("", String::concat);
    assertThat(alertNames()).allMatch(descriptions::contains);
  }

  /** A turn with a blocked, then an executed tool call and a phase change, and a failed turn: every meter the files name. */
  private static void driveEveryMeter(ServerHarness h) {
    String id = h.newSession();
    h.fake.enqueue(
        FakeReply.toolUse("toolu_1", "identify_constraint", (ObjectNode) Json.parse("{\"constraint\":\"pricing\",\"category\":\"strategy\"}")),
        FakeReply.toolUse("toolu_2", "complete_profile", (ObjectNode) Json.parse("{\"business_type\":\"team coaching\",\"surface_challenge\":\"churn\"}")),
        FakeReply.text("Let's explore."));
    assertThat(h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"I coach teams.\"}").status()).isEqualTo(200);
    h.fake.enqueue(FakeReply.overloaded());
    assertThat(h.post("/v1/sessions/" + id + "/messages", "{\"text\":\"And?\"}").status()).isEqualTo(502);
    h.get("/v1/nothing");
  }

  private static Set<String> alertNames() {
    Set<String> names = new TreeSet<>();
    rules().forEach(r -> names.add(r.path("alert").asText()));
    return names;
  }

  private static List<JsonNode> rules() {
    JsonNode file;
    try {
      file = new YAMLMapper().readTree(RULES.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot read " + RULES, e);
    }
    List<JsonNode> rules = new ArrayList<>();
    file.path("groups").forEach(g -> g.path("rules").forEach(rules::add));
    assertThat(rules).isNotEmpty();
    return rules;
  }

  /** Metric names of a PromQL expression: identifiers that are not functions, keywords, labels or Grafana variables. */
  static Set<String> metricNames(String expr) {
    String s = stripStrings(expr).replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^\\]]*]", " ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = s.replaceAll("\\b(?:on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String rest = s.substring(m.end()).stripLeading();
      if (!rest.startsWith("(") && !PROMQL_WORDS.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
        names.add(m.group());
      }
    }
    return names;
  }

  @Test
  void metricNames_ignoreFunctionsLabelsRangesAndVariables() {
    assertThat(metricNames("histogram_quantile(0.95, sum by (le, route) (rate(http_server_requests_seconds_bucket{status=~\"5..\"}[$__rate_interval])))"))
        .containsExactly("http_server_requests_seconds_bucket");
    assertThat(metricNames("sum(rate(a_total[5m])) / sum(rate(b_total[5m])) > 0.01 and on (job) c")).containsExactly("a_total", "b_total", "c");
  }

  private static String stripStrings(String expr) {
    return expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
  }

  /** Metric name to the label names its samples carry, from Prometheus text format. */
  private static Map<String, Set<String>> samples(String scrape) {
    Map<String, Set<String>> samples = new HashMap<>();
    Pattern line = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s.*");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    for (String l : scrape.lines().toList()) {
      if (l.isBlank() || l.startsWith("#")) {
        continue;
      }
      Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      Set<String> labels = samples.computeIfAbsent(m.group(1), k -> new HashSet<>());
      if (m.group(3) != null) {
        Matcher lm = label.matcher(m.group(3));
        while (lm.find()) {
          labels.add(lm.group(1));
        }
      }
    }
    return samples;
  }

  private static Path promtool() {
    Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(d -> !d.isBlank()).map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst();
    Assumptions.assumeTrue(found.isPresent(),
        "promtool is not on PATH, so the alert rules are not checked; install it (Debian: apt-get install prometheus) to run these checks");
    return found.orElseThrow();
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
