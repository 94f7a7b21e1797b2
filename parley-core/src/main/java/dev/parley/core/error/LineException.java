package dev.parley.core.error;

import static java.util.Objects.requireNonNull;

/** A malformed line in a JSON Lines input: carries the source name and the 1-based line number. */
public final class LineException extends BadInputException {
  private final String source;
  private final long line;
  private final String problem;

  public LineException(String source, long line, String problem) {
    super(requireNonNull(source, "source is null") + ":" + line + ": " + requireNonNull(problem, "problem is null"));
    this.source = source;
    this.line = line;
    this.problem = problem;
  }

  public String source() {
    return source;
  }

  public long line() {
    return line;
  }

  public String problem() {
    return problem;
  }
}
