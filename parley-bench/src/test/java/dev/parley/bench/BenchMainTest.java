package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** The development command line: the product's commands plus {@code bench} and {@code simulate}. */
final class BenchMainTest {
  @Test
  void help_listsProductAndDevelopmentCommands() {
    StringWriter out = new StringWriter();
    int exit = BenchMain.newCommandLine().setOut(new PrintWriter(out, true)).execute("--help");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("  analyze", "  bench", "  simulate");
  }

  @Test
  void unknownBenchmark_exitsTwoWithOneLine() {
    StringWriter err = new StringWriter();
    int exit = BenchMain.newCommandLine().setErr(new PrintWriter(err, true)).execute("bench", "no-such-bench", "--help");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("parley: unknown command 'bench no-such-bench'");
  }

  @Test
  void everyDevelopmentHelpText_isAValidFormatString() {
    // picocli formats descriptions with String.format: a lone '%' makes it warn and print the raw text.
    CommandLine cli = BenchMain.newCommandLine();
    List<String> texts = new ArrayList<>();
    collect(subcommand(cli, "bench"), texts);
    collect(subcommand(cli, "simulate"), texts);
    assertThat(texts).isNotEmpty();
    for (String text : texts) {
      assertThatCode(() -> String.format(Locale.ROOT, text)).as(text).doesNotThrowAnyException();
    }
  }

  private static CommandLine subcommand(CommandLine cli, String name) {
    CommandLine sub = cli.getSubcommands().get(name);
    if (sub == null) {
      throw new AssertionError("no subcommand " + name);
    }
    return sub;
  }

  private static void collect(CommandLine cli, List<String> texts) {
    CommandSpec spec = cli.getCommandSpec();
    texts.addAll(List.of(spec.usageMessage().description()));
    for (OptionSpec option : spec.options()) {
      texts.addAll(List.of(option.description()));
    }
    cli.getSubcommands().values().forEach(sub -> collect(sub, texts));
  }
}
