package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.json.Json;
import dev.parley.llm.embed.LocalEmbeddingModels;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.pipeline.PipelineConfig;
import dev.parley.pipeline.assign.OnlineAssigner;
import dev.parley.pipeline.assign.RunFolderRuns;
import dev.parley.pipeline.folder.RunFolder;
import dev.parley.pipeline.store.RunStore;
import dev.parley.server.insights.InsightsApi;
import dev.parley.store.ApiKeys;
import dev.parley.store.ConversationRepository;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import dev.parley.store.runs.ClusterRunRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The insights API (DESIGN §5) over real HTTP: embedded PostgreSQL, the in-process MiniLM model, and a run
 * made by the real clustering code. One server and one run for the class (embedding and clustering are the
 * slow part); tests use their own conversation ids and run ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class InsightsApiTest {
  private ServerHarness h;
  private TinyRun tiny;
  private TenantId acme;
  private TenantId globex;
  private String globexKey;
  private ConversationRepository conversations;

  private Path runFolder;

  @BeforeAll
  void start(@TempDir Path temp) {
    h = ServerHarness.withRoutes(db -> new InsightsApi(PipelineComponents.over(db, PipelineConfig.builder().build())));
    globexKey = new ApiKeys(h.db.jdbi()).create("globex").key();
    Tenants tenants = new Tenants(h.db.jdbi());
    acme = tenants.find("acme").orElseThrow();
    globex = tenants.find("globex").orElseThrow();
    conversations = new ConversationRepository(h.db.jdbi());
    tiny = new TinyRun(LocalEmbeddingModels.miniLm());
    ClusterRunRepository runs = new ClusterRunRepository(h.db.jdbi());
    Path folder = temp.resolve("run-folder");
    runFolder = folder;
    tiny.writeCentroids(folder);
    Instant t0 = Instant.parse("2025-05-01T10:00:00Z");
    // r-folder: a current run (centroids and thresholds stored); r-store: one stored before thresholds were.
    tiny.save(runs, acme, "r-folder", t0.plusSeconds(60), Optional.of(folder), true, true);
    tiny.save(runs, acme, "r-store", t0, Optional.of(folder.resolve("moved-away")), true, false);
    tiny.save(runs, acme, "r-none", t0.minusSeconds(60), Optional.empty(), false, false);
    tiny.save(runs, globex, "r-globex", t0, Optional.of(folder), true, true);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private ServerHarness.Reply post(String path, String body) {
    return h.post(path, body);
  }

  private ServerHarness.Reply asGlobex(String method, String path, Optional<String> body) {
    return h.send(method, path, body, Map.of("Authorization", "Bearer " + globexKey));
  }

  private static String conversation(String id, String text) {
    return "{\"id\":\"" + id + "\",\"user\":\"u1\",\"messages\":[{\"speaker\":\"user\",\"text\":\"" + text
        + "\"},{\"speaker\":\"assistant\",\"text\":\"Sure.\"}]}";
  }

  // --- POST /v1/conversations

  @Test
  void ingest_objectArrayAndJsonLines_upsertForTheCallersTenant() {
    ServerHarness.Reply one = post("/v1/conversations", conversation("ing-1", "hello"));
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json()).isEqualTo(Json.parse("{\"imported\":1,\"updated\":0,\"unchanged\":0}"));

    String array = "[" + conversation("ing-1", "hello") + ",\n" + conversation("ing-2", "second") + "]";
    assertThat(post("/v1/conversations", array).json()).isEqualTo(Json.parse("{\"imported\":1,\"updated\":0,\"unchanged\":1}"));

    String lines = conversation("ing-1", "hello, changed") + "\n" + conversation("ing-2", "second") + "\n\n" + conversation("ing-3", "third") + "\n";
    assertThat(post("/v1/conversations", lines).json()).isEqualTo(Json.parse("{\"imported\":1,\"updated\":1,\"unchanged\":1}"));

    Conversation stored = conversations.find(acme, "ing-1").orElseThrow();
    assertThat(stored.messages().getFirst().text()).isEqualTo("hello, changed");
    assertThat(stored.tenant()).contains("acme");
    assertThat(conversations.exists(globex, "ing-1")).isFalse();

    // The same id from another tenant is that tenant's own conversation.
    ServerHarness.Reply other = asGlobex("POST", "/v1/conversations", Optional.of(conversation("ing-1", "globex's")));
    assertThat(other.json().path("imported").asInt()).isEqualTo(1);
    assertThat(conversations.find(acme, "ing-1").orElseThrow().messages().getFirst().text()).isEqualTo("hello, changed");
    assertThat(conversations.find(globex, "ing-1").orElseThrow().messages().getFirst().text()).isEqualTo("globex's");
  }

  @Test
  void ingest_badItem_400NamingTheItemAndNothingStored() {
    String array = "[" + conversation("bad-0", "fine") + "," + conversation("bad-1", "fine") + ",{\"id\":\"bad-2\",\"messages\":[]}]";
    ServerHarness.Reply r = post("/v1/conversations", array);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("bad_request");
    assertThat(r.json().at("/error/message").asText()).startsWith("item 2 (line 1)").contains("'messages' is empty");
    assertThat(conversations.exists(acme, "bad-0")).isFalse();

    String lines = conversation("bad-3", "fine") + "\n" + conversation("bad-4", "fine") + "\n{\"id\":\"bad-5\",\"messages\":[{\"speaker\":\"user\"";
    ServerHarness.Reply truncated = post("/v1/conversations", lines);
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.json().at("/error/message").asText()).startsWith("item 2 (line 3): malformed JSON");
    assertThat(conversations.exists(acme, "bad-3")).isFalse();

    String speaker = conversation("bad-6", "fine") + "\n{\"id\":\"bad-7\",\"messages\":[{\"speaker\":\"robot\",\"text\":\"x\"}]}";
    assertThat(post("/v1/conversations", speaker).json().at("/error/message").asText())
        .startsWith("item 1 (line 2): conversation 'bad-7' message 0:");

    // A NUL character passes JSON but not PostgreSQL, a lone surrogate would be stored as '?': the item's problem, nothing stored.
    String nul = conversation("bad-8", "fine") + "\n" + conversation("bad-9", "nul \\u0000 here");
    ServerHarness.Reply stored = post("/v1/conversations", nul);
    assertThat(stored.status()).isEqualTo(400);
    assertThat(stored.json().at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(stored.json().at("/error/field").asText()).isEqualTo("messages[0].text");
    assertThat(stored.json().at("/error/message").asText())
        .isEqualTo("item 1 (line 2): 'messages[0].text' contains a NUL character (U+0000) at index 4");
    assertThat(conversations.exists(acme, "bad-8")).isFalse();
    ServerHarness.Reply surrogate = post("/v1/conversations", conversation("bad-10", "cut \\ud83d"));
    assertThat(surrogate.json().at("/error/code").asText()).isEqualTo("invalid_text");
    assertThat(surrogate.json().at("/error/message").asText()).startsWith("item 0 (line 1): 'messages[0].text' contains a lone high surrogate");
    assertThat(conversations.exists(acme, "bad-10")).isFalse();
    // Jetty refuses an encoded NUL in a path itself; the refusal still comes in the API's shape.
    ServerHarness.Reply nulId = h.get("/v1/runs/r%00");
    assertThat(nulId.status()).isEqualTo(400);
    assertThat(nulId.json().at("/error/code").asText()).as(nulId.text()).isEqualTo("bad_request");
    assertThat(h.get("/v1/clusters?run=r%00").json().at("/error/code").asText()).isEqualTo("invalid_text");

    assertThat(post("/v1/conversations", "  ").status()).isEqualTo(400);
    assertThat(post("/v1/conversations", "[1]").json().at("/error/message").asText()).isEqualTo("item 0 (line 1): expected a JSON object");
    assertThat(post("/v1/conversations", "[]").json()).isEqualTo(Json.parse("{\"imported\":0,\"updated\":0,\"unchanged\":0}"));
  }

  @Test
  void ingest_conversationNamingAnotherTenant_400() {
    String body = "{\"id\":\"ten-1\",\"tenant\":\"globex\",\"messages\":[{\"speaker\":\"user\",\"text\":\"hi\"}]}";
    ServerHarness.Reply r = post("/v1/conversations", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/message").asText()).contains("names tenant 'globex'").contains("tenant 'acme'");
    assertThat(conversations.exists(globex, "ten-1")).isFalse();

    String own = "{\"id\":\"ten-2\",\"tenant\":\"acme\",\"messages\":[{\"speaker\":\"user\",\"text\":\"hi\"}]}";
    assertThat(post("/v1/conversations", own).json().path("imported").asInt()).isEqualTo(1);
  }

  @Test
  void insightsRoutes_needAKey() {
    for (String path : List.of("/v1/runs", "/v1/runs/r-folder", "/v1/clusters?run=r-folder")) {
      assertThat(h.send("GET", path, Optional.empty(), Map.of()).status()).as(path).isEqualTo(401);
    }
    for (String path : List.of("/v1/conversations", "/v1/assign")) {
      ServerHarness.Reply r = h.send("POST", path, Optional.of("{}"), Map.of("Authorization", "Bearer nope"));
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("unauthorized");
    }
    assertThat(h.get("/v1/issues").status()).isEqualTo(404);
  }

  // --- GET /v1/runs, /v1/clusters

  @Test
  void runs_listOnlyTheTenantsRunsNewestFirst() {
    ServerHarness.Reply r = h.get("/v1/runs");
    assertThat(r.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().path("runs").forEach(run -> ids.add(run.path("id").asText()));
    assertThat(ids).containsExactly("r-folder", "r-store", "r-none");
    JsonNode first = r.json().at("/runs/0");
    assertThat(first.path("kind").asText()).isEqualTo("cluster");
    assertThat(first.path("created").asText()).isEqualTo("2025-05-01T10:01:00Z");
    assertThat(first.at("/parameters/embedding_model").asText()).isEqualTo(LocalEmbeddingModels.miniLm().id());
    assertThat(first.at("/parameters/engine").asText()).isEqualTo("hierarchical-birch-umap-hdbscan");
    assertThat(first.at("/parameters/seed").asLong()).isEqualTo(42);
    assertThat(first.at("/sizes/items").asInt()).isEqualTo(tiny.texts.size());
    assertThat(first.at("/sizes/leaves").asInt()).isEqualTo((int) tiny.run.leafCount());
    assertThat(r.text()).doesNotContain(runFolder.toString()); // server paths stay on the server

    assertThat(h.get("/v1/runs?limit=1").json().path("runs")).hasSize(1);
    assertThat(h.get("/v1/runs?limit=0").status()).isEqualTo(400);
    assertThat(h.get("/v1/runs/r-folder").json().at("/timings_ms/cluster").asInt()).isEqualTo(34);

    List<String> theirs = new ArrayList<>();
    asGlobex("GET", "/v1/runs", Optional.empty()).json().path("runs").forEach(run -> theirs.add(run.path("id").asText()));
    assertThat(theirs).containsExactly("r-globex");
    assertThat(h.get("/v1/runs/r-globex").status()).isEqualTo(404);
  }

  @Test
  void clusters_theRunsTreeParentsFirst() {
    ServerHarness.Reply r = h.get("/v1/clusters?run=r-folder");
    assertThat(r.status()).isEqualTo(200);
    JsonNode list = r.json().path("clusters");
    assertThat(list).hasSize(tiny.run.clusters().size());
    Map<String, JsonNode> byId = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode c : list) {
      byId.put(c.path("id").asText(), c);
      if (!c.path("parent").isNull()) {
        assertThat(seen).as("parent before child").contains(c.path("parent").asText());
      }
      seen.add(c.path("id").asText());
      assertThat(c.path("label").asText()).isNotBlank();
      assertThat(c.has("description") && c.has("keywords") && c.has("examples") && c.has("depth") && c.has("size")).isTrue();
    }
    for (JsonNode c : list) {
      int childSizes = 0;
      for (JsonNode child : c.path("children")) {
        assertThat(byId.getOrDefault(child.asText(), MissingNode.getInstance()).path("parent").asText()).isEqualTo(c.path("id").asText());
        childSizes += byId.getOrDefault(child.asText(), MissingNode.getInstance()).path("size").asInt();
      }
      if (!c.path("children").isEmpty()) {
        assertThat(childSizes).isEqualTo(c.path("size").asInt());
      }
    }
    // The run is a real one: each topic its own leaf.
    Set<String> topicLeaves = new HashSet<>();
    for (int t = 0; t < TinyRun.TOPICS.length; t++) {
      topicLeaves.add(tiny.leafOfTopic(t));
    }
    assertThat(topicLeaves).hasSize(TinyRun.TOPICS.length);
    // Topic leaves show their texts as examples.
    String cardLeaf = tiny.leafOfTopic(0);
    assertThat(byId.getOrDefault(cardLeaf, MissingNode.getInstance()).path("examples").toString()).containsIgnoringCase("card");

    assertThat(h.get("/v1/clusters").status()).isEqualTo(400);
    assertThat(h.get("/v1/clusters?run=nope").status()).isEqualTo(404);
    ServerHarness.Reply foreign = h.get("/v1/clusters?run=r-globex");
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().at("/error/message").asText()).isEqualTo("run 'r-globex' not found");
  }

  // --- POST /v1/assign

  /** For each topic, a training text that went to the topic's main leaf. */
  private List<String> memberTexts() {
    List<String> texts = new ArrayList<>();
    for (int t = 0; t < TinyRun.TOPICS.length; t++) {
      String leaf = tiny.leafOfTopic(t);
      for (int i = 0; i < tiny.ids.size(); i++) {
        if (tiny.topic.get(i) == t && tiny.run.assignments().get(i).leaf().equals(leaf)) {
          texts.add(tiny.texts.get(i));
          break;
        }
      }
    }
    return texts;
  }

  private static String assignBody(String run, List<String> texts) {
    var body = Json.object().put("run", run);
    var array = body.putArray("texts");
    texts.forEach(array::add);
    return Json.write(body);
  }

  @Test
  void assign_fromTheStore_membersToTheirLeafAndOffTopicToNoise() {
    List<String> texts = new ArrayList<>(memberTexts());
    texts.add("quarterly corporate tax filing deadlines and depreciation schedules");
    ServerHarness.Reply r = post("/v1/assign", assignBody("r-folder", texts));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("centroids").asText()).isEqualTo("store");
    assertThat(r.json().path("noise_thresholds").asBoolean()).isTrue();
    JsonNode out = r.json().path("assignments");
    assertThat(out).hasSize(texts.size());
    for (int t = 0; t < TinyRun.TOPICS.length; t++) {
      JsonNode a = out.get(t);
      assertThat(a.path("id").asText()).isEqualTo(Integer.toString(t));
      assertThat(a.path("leaf").asText()).as(texts.get(t)).isEqualTo(tiny.leafOfTopic(t));
      List<String> path = new ArrayList<>();
      a.path("path").forEach(p -> path.add(p.asText()));
      String leaf = tiny.leafOfTopic(t);
      assertThat(path.getLast()).isEqualTo(leaf);
      assertThat(path).containsExactlyElementsOf(tiny.run.assignments().stream()
          .filter(x -> x.leaf().equals(leaf)).findFirst().orElseThrow().path());
      assertThat(a.path("similarity").asDouble()).isGreaterThan(0.5);
    }
    JsonNode offTopic = out.get(texts.size() - 1);
    assertThat(offTopic.path("leaf").asText()).isEqualTo("noise");
    assertThat(offTopic.path("path")).isEmpty();
    assertThat(r.json().path("noise").asInt()).isEqualTo(1);
  }

  @Test
  void assign_runStoredWithoutThresholds_nearestLeafWithoutNoise() {
    List<String> texts = List.of("has my new credit card been shipped yet", "quarterly corporate tax filing deadlines and depreciation schedules");
    ServerHarness.Reply r = post("/v1/assign", assignBody("r-store", texts));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("centroids").asText()).isEqualTo("store");
    assertThat(r.json().path("noise_thresholds").asBoolean()).isFalse();
    assertThat(r.json().at("/assignments/0/leaf").asText()).isEqualTo(tiny.leafOfTopic(0));
    assertThat(r.json().at("/assignments/1/leaf").asText()).isNotEqualTo("noise");
    assertThat(r.json().path("noise").asInt()).isZero();
  }

  /** The store alone serves a run: once stored, its folder can go and the server assigns as the folder would. */
  @Test
  void assign_runFolderDeletedAfterStoring_sameAssignmentsAsFromTheFolder(@TempDir Path temp) throws java.io.IOException {
    Path dir = temp.resolve("r-deleted");
    var runJson = Json.object().put("id", "r-deleted").put("input_hash", "cd".repeat(32)).put("seed", 42);
    runJson.putObject("parameters");
    runJson.putObject("timings_ms");
    RunFolder.write(dir, "r-deleted", tiny.run, runJson, "<!doctype html><title>r</title>");
    new RunStore(h.db.jdbi(), acme).save("r-deleted", "cluster", Instant.parse("2025-05-02T10:00:00Z"), tiny.run, runJson, dir);
    List<String> texts = new ArrayList<>(memberTexts());
    texts.add("quarterly corporate tax filing deadlines and depreciation schedules");
    List<OnlineAssigner.Input> inputs = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      inputs.add(new OnlineAssigner.Input(Integer.toString(i), texts.get(i)));
    }
    List<JsonNode> fromFolder = new OnlineAssigner(RunFolderRuns.read(dir), LocalEmbeddingModels.miniLm()).assign(inputs).stream()
        .map(a -> (JsonNode) a.toJson()).toList();
    try (var files = java.nio.file.Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    assertThat(dir).doesNotExist();

    ServerHarness.Reply r = post("/v1/assign", assignBody("r-deleted", texts));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("noise_thresholds").asBoolean()).isTrue();
    List<JsonNode> served = new ArrayList<>();
    r.json().path("assignments").forEach(served::add);
    assertThat(served).containsExactlyElementsOf(fromFolder);
    assertThat(fromFolder.getLast().path("leaf").asText()).isEqualTo("noise");
  }

  @Test
  void assign_itemsAndConversations_keepTheirIds() {
    String body = "{\"run\":\"r-folder\",\"items\":[{\"id\":\"t-1\",\"text\":\"" + memberTexts().get(1) + "\"},"
        + conversation("c-9", memberTexts().get(3)) + "]}";
    ServerHarness.Reply r = post("/v1/assign", body);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/assignments/0/id").asText()).isEqualTo("t-1");
    assertThat(r.json().at("/assignments/0/leaf").asText()).isEqualTo(tiny.leafOfTopic(1));
    assertThat(r.json().at("/assignments/1/id").asText()).isEqualTo("c-9");
    assertThat(r.json().at("/assignments/1/leaf").asText()).isEqualTo(tiny.leafOfTopic(3));
  }

  @Test
  void assign_errors() {
    ServerHarness.Reply none = post("/v1/assign", assignBody("r-none", List.of("hello")));
    assertThat(none.status()).isEqualTo(409);
    assertThat(none.json().at("/error/code").asText()).isEqualTo("centroids_unavailable");

    ServerHarness.Reply foreign = post("/v1/assign", assignBody("r-globex", List.of("hello")));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(asGlobex("POST", "/v1/assign", Optional.of(assignBody("r-folder", List.of("hello")))).status()).isEqualTo(404);

    assertThat(post("/v1/assign", "{\"texts\":[\"x\"]}").json().at("/error/message").asText()).contains("'run' is required");
    assertThat(post("/v1/assign", "{\"run\":\"r-folder\"}").status()).isEqualTo(400);
    assertThat(post("/v1/assign", "{\"run\":\"r-folder\",\"texts\":[\"ok\", 3]}").json().at("/error/message").asText())
        .isEqualTo("texts[1] must be a string");
    assertThat(post("/v1/assign", "{\"run\":\"r-folder\",\"items\":[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"a\",\"text\":\"y\"}]}")
        .json().at("/error/message").asText()).isEqualTo("duplicate item ids: a");
    assertThat(post("/v1/assign", "not json").status()).isEqualTo(400);
    ServerHarness.Reply typo = post("/v1/assign", "{\"run\":\"r-folder\",\"text\":[\"x\"]}");
    assertThat(typo.json().at("/error/code").asText()).isEqualTo("unknown_field");
    assertThat(typo.json().at("/error/field").asText()).isEqualTo("text");
    assertThat(post("/v1/assign", "{\"run\":\"r-folder\",\"texts\":[\"a\\u0000\"]}").json().at("/error/field").asText()).isEqualTo("texts[0]");
    assertThat(post("/v1/assign", assignBody("r-folder", List.of())).json().path("assignments")).isEmpty();
  }
}
