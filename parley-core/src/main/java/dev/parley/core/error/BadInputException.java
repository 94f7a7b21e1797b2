package dev.parley.core.error;

/**
 * Input the user gave us is wrong (malformed file, bad option, unknown field value).
 * The CLI maps it to exit code 2 and the HTTP layer to a 400; the message is shown to the user as is,
 * so it must say where the problem is and what is wrong.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
