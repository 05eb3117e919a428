package dev.operators.elasticache.decide;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to add and remove so a resource carries exactly the spec's tags plus the operator's own.
 * The operator's keys and AWS's reserved ones are never removed.
 */
public record TagPlan(Map<String, String> add, List<String> remove) {
  public static TagPlan of(Map<String, String> desired, Map<String, String> actual) {
    Map<String, String> add = new TreeMap<>();
    desired.forEach((k, v) -> {
      if (!v.equals(actual.get(k))) add.put(k, v);
    });
    List<String> remove = actual.keySet().stream()
        .filter(k -> !desired.containsKey(k) && !k.startsWith(Names.TAG_PREFIX) && !k.startsWith("aws:"))
        .sorted().toList();
    return new TagPlan(add, remove);
  }

  public boolean empty() { return add.isEmpty() && remove.isEmpty(); }
}
