package dev.operators.elasticache.decide;

import java.util.List;
import java.util.stream.Collectors;

/** A spec field that cannot work, and what to do about it. */
public record Problem(String field, String message) {
  public static String describe(List<Problem> problems) {
    return problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; "));
  }
}
