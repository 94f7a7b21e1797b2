package dev.parley.cli.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.error.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local fake of Intercom's REST API (JDK HttpServer) returning Intercom's JSON shapes. */
final class IntercomClientTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  static String conversation(String id, boolean withNote) {
    return """
        {"type":"conversation","id":"%s","created_at":1700000000,"updated_at":1700000500,"state":"open",
         "source":{"type":"conversation","id":"s%s","delivered_as":"customer_initiated","subject":"",
           "body":"<p>Hi, I was <b>charged twice</b> this month&nbsp;&amp; need a refund</p>",
           "author":{"type":"user","id":"u1","name":"Ana","email":"ana@example.com"}},
         "conversation_parts":{"type":"conversation_part.list","total_count":4,"conversation_parts":[
           {"type":"conversation_part","id":"p1","part_type":"comment","body":"<p>Let me look at this for you.</p>","created_at":1700000100,
            "author":{"type":"bot","id":"b1","name":"Fin"}},
           {"type":"conversation_part","id":"p2","part_type":"assignment","body":null,"created_at":1700000150,
            "author":{"type":"admin","id":"a1","name":"Sam"}},
           %s
           {"type":"conversation_part","id":"p4","part_type":"comment","body":"<p>I can confirm the double charge.<br>Refund issued.</p>","created_at":1700000300,
            "author":{"type":"admin","id":"a1","name":"Sam"}}]}}
        """.formatted(id, id, withNote
            ? "{\"type\":\"conversation_part\",\"id\":\"p3\",\"part_type\":\"note\",\"body\":\"<p>internal: VIP customer</p>\",\"created_at\":1700000200,\"author\":{\"type\":\"admin\",\"id\":\"a1\"}},"
            : "");
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      String path = exchange.getRequestURI().getPath();
      String reply;
      int status = 200;
      if (!"Bearer secret".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
        reply = "{\"type\":\"error.list\",\"errors\":[{\"code\":\"unauthorized\",\"message\":\"Access Token Invalid\"}]}";
      } else if (path.equals("/conversations/search")) {
        boolean second = body.contains("\"starting_after\":\"cursor-2\"");
        reply = second
            ? "{\"type\":\"conversation.list\",\"conversations\":[{\"type\":\"conversation\",\"id\":\"102\"}],\"total_count\":2,"
                + "\"pages\":{\"type\":\"pages\",\"page\":2,\"per_page\":1,\"total_pages\":2}}"
            : "{\"type\":\"conversation.list\",\"conversations\":[{\"type\":\"conversation\",\"id\":\"101\"}],\"total_count\":2,"
                + "\"pages\":{\"type\":\"pages\",\"page\":1,\"per_page\":1,\"total_pages\":2,\"next\":{\"page\":2,\"starting_after\":\"cursor-2\"}}}";
      } else if (path.startsWith("/conversations/")) {
        String id = path.substring("/conversations/".length());
        reply = conversation(id, id.equals("101"));
      } else {
        status = 404;
        reply = "{}";
      }
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void recentConversations_pagesThroughSearchAndMapsParts() {
    IntercomClient client = IntercomClient.fromEnv(Map.of("INTERCOM_TOKEN", "secret"), Optional.of(url()));
    List<Conversation> conversations = client.recentConversations(Instant.ofEpochSecond(1_699_000_000), 10);
    assertThat(conversations).extracting(Conversation::id).containsExactly("intercom-101", "intercom-102");
    Conversation c = conversations.getFirst();
    assertThat(c.messages()).extracting(m -> m.speaker()).containsExactly(Speaker.USER, Speaker.ASSISTANT, Speaker.SUPPORT);
    assertThat(c.messages().get(0).text()).isEqualTo("Hi, I was charged twice this month & need a refund");
    assertThat(c.messages().get(2).text()).isEqualTo("I can confirm the double charge.\nRefund issued.");
    assertThat(requests.get(0)).startsWith("POST /conversations/search").contains("\"field\":\"updated_at\"").contains("1699000000");
    assertThat(requests.get(1)).contains("\"starting_after\":\"cursor-2\"");
    assertThat(authorizations).allMatch("Bearer secret"::equals);
  }

  @Test
  void recentConversations_maxStopsPaging() {
    IntercomClient client = IntercomClient.fromEnv(Map.of("INTERCOM_TOKEN", "secret"), Optional.of(url()));
    assertThat(client.recentConversations(Instant.EPOCH, 1)).hasSize(1);
    assertThat(requests.stream().filter(r -> r.startsWith("POST")).count()).isEqualTo(1);
  }

  @Test
  void badToken_badInputNamingTheVariable() {
    IntercomClient client = IntercomClient.fromEnv(Map.of("INTERCOM_TOKEN", "wrong"), Optional.of(url()));
    var e = assertThrows(BadInputException.class, () -> client.recentConversations(Instant.EPOCH, 5));
    assertThat(e.getMessage()).contains("INTERCOM_TOKEN").contains("401");
  }

  @Test
  void fromEnv_noToken_badInput() {
    var e = assertThrows(BadInputException.class, () -> IntercomClient.fromEnv(Map.of(), Optional.empty()));
    assertThat(e.getMessage()).contains("INTERCOM_TOKEN is not set");
  }

  @Test
  void triageCommand_sourceIntercomDryRun_printsWithoutStoring() {
    System.setProperty("parley.env.INTERCOM_TOKEN", "secret");
    try {
      var r = dev.parley.cli.commands.CliRun.of("triage", "--source", "intercom", "--intercom-url", url(), "--days", "7", "--max", "10", "--dry-run");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().lines().toList()).hasSize(2).allMatch(l -> l.contains("\"stage2\"") && l.contains("\"conversation_id\":\"intercom-10"));
    } finally {
      System.clearProperty("parley.env.INTERCOM_TOKEN");
    }
  }
}
