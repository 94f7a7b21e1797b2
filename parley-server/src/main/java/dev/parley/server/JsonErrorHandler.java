package dev.parley.server;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own errors in the API's shape. Requests Jetty refuses before any route sees them (headers over
 * {@link ApiLimits#MAX_REQUEST_HEADER_BYTES}: 431, a URI too long: 414, malformed HTTP: 400) and errors raised
 * outside Javalin's handlers would otherwise be Jetty's HTML pages; clients parse one error shape only.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final IntConsumer refused;

  /** @param refused told the status of every request refused before routing (the HTTP metrics count them) */
  JsonErrorHandler(IntConsumer refused) {
    this.refused = requireNonNull(refused, "refused is null");
  }

  /** @param reason Jetty's words for what was malformed; null when it has none */
  @Override
  public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
    refused.accept(status);
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(json(status, Optional.ofNullable(reason)));
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response) throws IOException {
    baseRequest.setHandled(true);
    if (response.isCommitted()) {
      return;
    }
    Object reason = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    byte[] body = json(response.getStatus(), reason instanceof String s ? Optional.of(s) : Optional.empty());
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static byte[] json(int status, Optional<String> reason) {
    String message = switch (status) {
      case 431 -> "request headers too large: the request line and headers may have at most " + ApiLimits.MAX_REQUEST_HEADER_BYTES + " bytes";
      case 414 -> "request URI too long: the request line and headers may have at most " + ApiLimits.MAX_REQUEST_HEADER_BYTES + " bytes";
      case 400 -> "malformed HTTP request" + reason.filter(r -> !r.isBlank()).map(r -> ": " + RequestChecks.abbreviated(r, 200)).orElse("");
      default -> "the HTTP server refused the request (" + status + ")";
    };
    return ErrorMapping.json(ApiError.body(ErrorMapping.code(status), message)).getBytes(StandardCharsets.UTF_8);
  }
}
