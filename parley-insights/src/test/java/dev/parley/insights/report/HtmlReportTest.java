package dev.parley.insights.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.insights.pipeline.RunCluster;
import dev.parley.insights.pipeline.TestRuns;
import dev.parley.insights.pipeline.Trends;
import dev.parley.insights.privacy.PrivacyRule;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

final class HtmlReportTest {
  private static ReportModel model(TestRuns.Fixture fixture) {
    return new ReportModel(
        "Conversation map <test>",
        "run-test-1",
        Instant.parse("2025-04-01T12:00:00Z"),
        fixture.ids().size(),
        fixture.run().noiseCount(),
        fixture.run().clusters(),
        Trends.compute(fixture.run().assignments(), fixture.times(), 30),
        List.of(new ReportModel.Fact("Embedding model", "test:synthetic-32"), new ReportModel.Fact("Privacy rule", ">= 5 users, >= 10 conversations")),
        List.of(new ReportModel.Timing("embed", 1234, false), new ReportModel.Timing("cluster", 56, true)));
  }

  @Test
  void render_selfContained_noExternalReferences() {
    String html = HtmlReport.render(model(TestRuns.fixture(PrivacyRule.DEFAULT)));

    // The examples quote "https://example.com/help": shown as text, never as a loadable reference.
    assertThat(html).contains("example.com/help");
    assertThat(html).doesNotContainPattern(Pattern.compile("(?i)https?://"));
    assertThat(html).doesNotContainPattern(Pattern.compile("(?i)<(link|img|iframe|object|embed)\\b"));
    assertThat(html).doesNotContainPattern(Pattern.compile("(?i)<script[^>]+src="));
    assertThat(html).doesNotContainPattern(Pattern.compile("(?i)url\\("));
    assertThat(html).doesNotContain("@import");
  }

  @Test
  void render_everyClusterHasRowAndTile() {
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.DEFAULT);
    String html = HtmlReport.render(model(fixture));

    for (RunCluster c : fixture.run().clusters()) {
      assertThat(html).contains("id=\"row-" + c.id() + "\"");
      if (c.depth() < 3) {
        assertThat(html).contains("data-id=\"" + c.id() + "\"");
      }
    }
    assertThat(html).contains("id=\"row-noise\"").contains("<svg class=\"treemap\"").contains("class=\"spark\"");
  }

  @Test
  void render_textEscaped() {
    String html = HtmlReport.render(model(TestRuns.fixture(PrivacyRule.DEFAULT)));

    assertThat(html).contains("<title>Conversation map &lt;test&gt;</title>");
    assertThat(html).doesNotContain("<test>");
  }

  @Test
  void render_withoutTimestamps_noTrendColumn() {
    TestRuns.Fixture fixture = TestRuns.fixture(PrivacyRule.DEFAULT);
    ReportModel m = model(fixture);
    ReportModel undated = new ReportModel(m.title(), m.runId(), m.createdAt(), m.inputs(), m.noise(), m.clusters(),
        java.util.Optional.empty(), m.facts(), m.timings());

    assertThat(HtmlReport.render(undated)).doesNotContain("class=\"spark\"").doesNotContain("<th>Trend");
  }

  /** Writes the page for a manual look (a headless browser screenshot); not an assertion. */
  @Test
  void render_writesSampleForInspection() throws Exception {
    String html = HtmlReport.render(model(TestRuns.fixture(PrivacyRule.DEFAULT)));
    java.nio.file.Path out = java.nio.file.Path.of("target", "report-sample.html");
    java.nio.file.Files.writeString(out, html);
    assertThat(out).exists();
  }
}
