package dev.operators.elasticache.decide;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What to set and what to reset so the owned parameter group holds exactly the parameters asked for. */
public record ParameterPlan(Map<String, String> set, List<String> reset) {
  public static ParameterPlan of(Map<String, String> desired, Map<String, String> actualUserParameters) {
    Map<String, String> set = new TreeMap<>();
    desired.forEach((k, v) -> {
      if (!v.equals(actualUserParameters.get(k))) set.put(k, v);
    });
    List<String> reset = actualUserParameters.keySet().stream().filter(k -> !desired.containsKey(k)).sorted().toList();
    return new ParameterPlan(set, reset);
  }

  public boolean empty() { return set.isEmpty() && reset.isEmpty(); }
}
