package dev.parley.cli.insights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Readers for the public evaluation datasets under the data folder ({@code --data}, else
 * {@code PARLEY_DATA}, else {@code ../shared/data}): TIAGE, SGD (multi-service dialogues, and spliced
 * dialogues built from SGD as DialSeg711 was built), BANKING77 and Bitext.
 */
public final class Datasets {
  private Datasets() {}

  /** A dialogue with reference segments (lengths in messages). */
  public record LabelledDialogue(String id, List<Message> messages, int[] masses) {
    public LabelledDialogue {
      requireNonNull(id, "id is null");
      messages = List.copyOf(requireNonNull(messages, "messages is null"));
      requireNonNull(masses, "masses is null");
    }
  }

  /** A labelled utterance; {@code label2} is the second level where the set has one (Bitext category). */
  public record Row(String text, String label, Optional<String> label2) {
    public Row {
      requireNonNull(text, "text is null");
      requireNonNull(label, "label is null");
      requireNonNull(label2, "label2 is null");
    }

    /** A row of a set with one level of labels. */
    public Row(String text, String label) {
      this(text, label, Optional.empty());
    }
  }

  /** The data folder: {@code option} (the command's {@code --data}) when given, else PARLEY_DATA, else ../shared/data. */
  public static Path root(Optional<Path> option) {
    if (option.isPresent()) {
      return option.get();
    }
    String env = System.getenv("PARLEY_DATA");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared", "data");
  }

  /** TIAGE dialogues of a split (train, dev, test); speakers alternate starting with the user. */
  public static List<LabelledDialogue> tiage(Path root, String split) {
    JsonNode all = readJson(root.resolve("tiage").resolve("tiage.json"));
    List<LabelledDialogue> out = new ArrayList<>();
    for (JsonNode d : all) {
      if (!d.path("set").asText().equals(split)) {
        continue;
      }
      List<Message> messages = new ArrayList<>();
      int i = 0;
      for (JsonNode u : d.path("utterances")) {
        messages.add(Message.of(i++ % 2 == 0 ? Speaker.USER : Speaker.ASSISTANT, u.asText()));
      }
      int[] masses = new int[d.path("segments").size()];
      for (int j = 0; j < masses.length; j++) {
        masses[j] = d.path("segments").get(j).asInt();
      }
      out.add(new LabelledDialogue("tiage-" + d.path("dial_id").asText(), messages, masses));
    }
    if (out.isEmpty()) {
      throw new BadInputException("no TIAGE dialogues of split '" + split + "' under " + root.resolve("tiage"));
    }
    return out;
  }

  /**
   * SGD dialogues of a split (dev or test here) with their service segments: a new segment starts at a
   * user turn whose service (that of the system turn answering it) differs from the previous user turn's.
   *
   * @param multiServiceOnly keep only dialogues spanning several services
   */
  public static List<LabelledDialogue> sgd(Path root, String split, boolean multiServiceOnly) {
    Path dir = root.resolve("sgd").resolve(split);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().startsWith("dialogues_")).sorted().toList();
    } catch (IOException e) {
      throw new BadInputException("cannot list SGD split '" + split + "' at " + dir + ": " + e.getMessage());
    }
    List<LabelledDialogue> out = new ArrayList<>();
    for (Path f : files) {
      for (JsonNode d : readJson(f)) {
        if (multiServiceOnly && d.path("services").size() < 2) {
          continue;
        }
        List<JsonNode> turns = new ArrayList<>();
        d.path("turns").forEach(turns::add);
        List<Message> messages = new ArrayList<>();
        List<Integer> masses = new ArrayList<>();
        String previous = null;
        int run = 0;
        for (int t = 0; t < turns.size(); t++) {
          JsonNode turn = turns.get(t);
          boolean user = turn.path("speaker").asText().equals("USER");
          messages.add(Message.of(user ? Speaker.USER : Speaker.ASSISTANT, turn.path("utterance").asText()));
          if (user) {
            JsonNode frames = turn.path("frames");
            String service = frames.isEmpty() ? "" : frames.get(frames.size() - 1).path("service").asText();
            if (t + 1 < turns.size() && !turns.get(t + 1).path("frames").isEmpty()) {
              service = turns.get(t + 1).path("frames").get(0).path("service").asText();
            }
            if (previous != null && !service.equals(previous)) {
              masses.add(run);
              run = 0;
            }
            previous = service;
          }
          run++;
        }
        masses.add(run);
        out.add(new LabelledDialogue(d.path("dialogue_id").asText(), messages, masses.stream().mapToInt(Integer::intValue).toArray()));
      }
    }
    return out;
  }

  /**
   * Spliced dialogues as DialSeg711 was built (Xu et al., "Topic-Aware Multi-turn Dialogue Modeling",
   * AAAI 2021): each joins 3 to 6 service segments of different SGD dialogues of the split, seeded.
   */
  public static List<LabelledDialogue> sgdSpliced(Path root, String split, int count, long seed) {
    List<LabelledDialogue> pieces = new ArrayList<>();
    for (LabelledDialogue d : sgd(root, split, false)) {
      int position = 0;
      for (int m : d.masses()) {
        List<Message> part = d.messages().subList(position, position + m);
        if (part.size() >= 2 && part.getFirst().speaker() == Speaker.USER) {
          pieces.add(new LabelledDialogue(d.id(), part, new int[] {m}));
        }
        position += m;
      }
    }
    Random random = new Random(seed);
    List<LabelledDialogue> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int k = 3 + random.nextInt(4);
      List<Message> messages = new ArrayList<>();
      int[] masses = new int[k];
      String previous = null;
      for (int j = 0; j < k; j++) {
        LabelledDialogue piece;
        do {
          piece = pieces.get(random.nextInt(pieces.size()));
        } while (piece.id().equals(previous));
        previous = piece.id();
        messages.addAll(piece.messages());
        masses[j] = piece.messages().size();
      }
      out.add(new LabelledDialogue("splice-" + split + "-" + i, messages, masses));
    }
    return out;
  }

  public static List<Row> banking77(Path root, String split) {
    return csv(root.resolve("banking77").resolve(split + ".csv"), "text", "category", Optional.empty());
  }

  /** The 8,175-utterance Bitext customer-service sample: intent (label) and category (label2). */
  public static List<Row> bitext(Path root) {
    return csv(root.resolve("bitext_customer_support").resolve("Bitext_Sample_Customer_Service_Training_Dataset")
        .resolve("Bitext_Sample_Customer_Service_Training_Dataset.csv"), "utterance", "intent", Optional.of("category"));
  }

  /** A seeded split of rows into (train, test) with {@code testShare} of each label held out. */
  public static List<List<Row>> split(List<Row> rows, double testShare, long seed) {
    Map<String, List<Row>> byLabel = new java.util.TreeMap<>();
    for (Row r : rows) {
      byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
    }
    Random random = new Random(seed);
    List<Row> train = new ArrayList<>();
    List<Row> test = new ArrayList<>();
    for (List<Row> group : byLabel.values()) {
      Collections.shuffle(group, random);
      int cut = (int) Math.round(group.size() * testShare);
      test.addAll(group.subList(0, cut));
      train.addAll(group.subList(cut, group.size()));
    }
    return List.of(train, test);
  }

  /** RFC 4180 CSV with a header row; columns are picked by name ({@code label2Column} where the set has a second level). */
  static List<Row> csv(Path file, String textColumn, String labelColumn, Optional<String> label2Column) {
    String all = readText(file);
    if (all.startsWith("\uFEFF")) {
      all = all.substring(1);
    }
    List<List<String>> records = parseCsv(all, true);
    List<String> header = records.getFirst();
    int text = header.indexOf(textColumn);
    int label = header.indexOf(labelColumn);
    int label2 = label2Column.map(header::indexOf).orElse(-1);
    if (text < 0 || label < 0 || (label2Column.isPresent() && label2 < 0)) {
      throw new BadInputException(file + ": expected columns " + textColumn + ", " + labelColumn + label2Column.map(c -> ", " + c).orElse("") + "; found " + header);
    }
    List<Row> rows = new ArrayList<>();
    for (List<String> r : records.subList(1, records.size())) {
      if (r.size() > Math.max(text, Math.max(label, label2))) {
        rows.add(new Row(r.get(text), r.get(label), label2 < 0 ? Optional.empty() : Optional.of(r.get(label2))));
      }
    }
    return rows;
  }

  /** A file's content as UTF-8; a file that cannot be read is bad input. */
  public static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; CR LF, LF and CR end a
   * record.
   *
   * @param skipBlankLines drop empty lines rather than keep each as a record of one empty field
   */
  public static List<List<String>> parseCsv(String all, boolean skipBlankLines) {
    List<List<String>> records = new ArrayList<>();
    List<String> current = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < all.length(); i++) {
      char c = all.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < all.length() && all.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        current.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < all.length() && all.charAt(i + 1) == '\n') {
          i++;
        }
        current.add(field.toString());
        field.setLength(0);
        if (!(skipBlankLines && current.size() == 1 && current.getFirst().isEmpty())) {
          records.add(current);
        }
        current = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (!field.isEmpty() || !current.isEmpty()) {
      current.add(field.toString());
      records.add(current);
    }
    return records;
  }

  private static JsonNode readJson(Path file) {
    try {
      return Json.mapper().readTree(file.toFile());
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new BadInputException("dataset file not found: " + file + " (point --data at the datasets folder)");
      }
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
