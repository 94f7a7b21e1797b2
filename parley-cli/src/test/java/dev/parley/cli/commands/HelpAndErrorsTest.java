package dev.parley.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.parley.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** The CLI contract of DESIGN §3 across commands: help texts and error output. */
final class HelpAndErrorsTest {
  @TempDir Path dir;

  @Test
  void everyHelpText_isAValidFormatString() {
    // picocli formats descriptions with String.format: a lone '%' makes it warn and print the raw text.
    List<String> texts = new ArrayList<>();
    collect(Main.newCommandLine(), texts);
    assertThat(texts).isNotEmpty();
    for (String text : texts) {
      assertThatCode(() -> String.format(Locale.ROOT, text)).as(text).doesNotThrowAnyException();
    }
  }

  private static void collect(CommandLine cli, List<String> texts) {
    CommandSpec spec = cli.getCommandSpec();
    texts.addAll(List.of(spec.usageMessage().description()));
    texts.addAll(List.of(spec.usageMessage().header()));
    texts.addAll(List.of(spec.usageMessage().footer()));
    for (OptionSpec option : spec.options()) {
      texts.addAll(List.of(option.description()));
    }
    cli.getSubcommands().values().forEach(sub -> collect(sub, texts));
  }

  @Test
  void unknownCommand_withHelp_saysUnknownAndExitsTwo() {
    CliRun run = CliRun.withWriters("NO-SUCH-COMMAND", "--help");
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly("parley: unknown command 'NO-SUCH-COMMAND'", "Try 'parley --help' for more information.");
  }

  @Test
  void unknownCommand_withoutHelp_saysUnknownAndExitsTwo() {
    CliRun run = CliRun.withWriters("NO-SUCH-COMMAND");
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.errLines()).containsExactly("parley: unknown command 'NO-SUCH-COMMAND'", "Try 'parley --help' for more information.");
  }

  @Test
  void unknownSubcommand_withHelp_namesTheCommandPath() {
    CliRun run = CliRun.withWriters("eval", "no-such-eval", "--help");
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.errLines()).containsExactly("parley: unknown command 'eval no-such-eval'", "Try 'parley eval --help' for more information.");
  }

  @Test
  void developmentCommand_inTheProductJar_pointsToTheLauncher() {
    CliRun run = CliRun.withWriters("bench", "cluster");
    assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run.errLines()).first().isEqualTo("parley: unknown command 'bench'");
    assertThat(run.err()).contains("run it through ./parley");
  }

  @Test
  void help_mentionsTheDevelopmentTools() {
    CliRun run = CliRun.withWriters("--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("  bench ", "  simulate ");
  }

  @Test
  void failure_withVerboseOnTheSubcommand_printsTheStackTrace() throws IOException {
    Path in = Files.write(dir.resolve("in.jsonl"), List.of(
        "{\"id\":\"c1\",\"messages\":[{\"speaker\":\"user\",\"text\":\"My card was charged twice.\"}]}"));
    Path notADir = Files.writeString(dir.resolve("file"), "x");
    String out = notADir.resolve("o.jsonl").toString();

    CliRun quiet = CliRun.of("segment", "--in", in.toString(), "--out", out, "--no-store");
    assertThat(quiet.exit()).isEqualTo(1);
    assertThat(quiet.err()).contains("(run with --verbose for details)").doesNotContain("\tat ");

    CliRun verbose = CliRun.of("segment", "--in", in.toString(), "--out", out, "--no-store", "--verbose");
    assertThat(verbose.exit()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ").doesNotContain("(run with --verbose for details)");
  }
}
