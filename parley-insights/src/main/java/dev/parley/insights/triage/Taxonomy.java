package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The triage taxonomy: conversation types in a fixed order, plus urgency rules that apply to every type.
 *
 * @param version format version of the file it came from
 * @param name display name
 */
public record Taxonomy(int version, String name, List<ConversationType> types, List<UrgencyRule> globalUrgencyRules) {
  public static final int CURRENT_VERSION = 1;

  public Taxonomy {
    requireNonNull(name, "name is null");
    types = List.copyOf(requireNonNull(types, "types is null"));
    globalUrgencyRules = List.copyOf(requireNonNull(globalUrgencyRules, "globalUrgencyRules is null"));
    if (types.isEmpty()) {
      throw new IllegalArgumentException("types is empty");
    }
    Set<String> ids = new HashSet<>();
    for (ConversationType t : types) {
      if (!ids.add(t.id())) {
        throw new IllegalArgumentException("duplicate type id '" + t.id() + "'");
      }
    }
  }

  public Optional<ConversationType> type(String id) {
    return types.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  public List<String> typeIds() {
    return types.stream().map(ConversationType::id).toList();
  }

  /**
   * The taxonomy for a set of example labels: each label becomes a type, taking its routing attributes
   * from {@code base} where {@code base} defines a type of that id.
   */
  public static Taxonomy fromLabels(List<String> labels, Optional<Taxonomy> base) {
    Map<String, ConversationType> types = new LinkedHashMap<>();
    for (String label : labels) {
      types.computeIfAbsent(label, l -> base.flatMap(b -> b.type(l)).orElseGet(() -> ConversationType.ofLabel(l)));
    }
    return new Taxonomy(CURRENT_VERSION, base.map(Taxonomy::name).orElse("labels from examples"), new ArrayList<>(types.values()),
        base.map(Taxonomy::globalUrgencyRules).orElse(List.of()));
  }
}
