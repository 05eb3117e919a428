package dev.operators.elasticache.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the operator's alerts and dashboard query, read out of their PromQL: what a
 * scrape of the operator must contain (HelmChartIT), without a list kept by hand.
 */
public final class MetricNames {
  /** Made by Prometheus itself for every target, not by the operator. */
  public static final Set<String> SYNTHETIC = Set.of("up");

  public static final Path RULES = Path.of("charts/rediscache-operator/files/prometheus-rules.yaml");
  public static final Path DASHBOARD = Path.of("charts/rediscache-operator/files/grafana-dashboard.json");

  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
      "unless", "bool", "offset", "atan2", "inf", "nan");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private MetricNames() {}

  /** Every metric name a PromQL expression selects. */
  public static Set<String> of(String expr) {
    String s = expr
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")          // strings (label values, label_replace arguments)
        .replaceAll("'(\\\\.|[^'\\\\])*'", "''")
        .replaceAll("\\{[^}]*}", "{}")                          // label matchers
        .replaceAll("\\[[^]]*]", "[]")                          // ranges and subqueries
        .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
        .replaceAll("\\$\\{?\\w+}?", " ")                       // Grafana variables
        .replaceAll("\\b\\d+(\\.\\d+)?([smhdwy]|ms)?\\b", " ");  // numbers and durations
    Set<String> names = new TreeSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String word = m.group();
      int after = m.end();
      while (after < s.length() && Character.isWhitespace(s.charAt(after))) after++;
      boolean call = after < s.length() && s.charAt(after) == '(';
      if (!call && !KEYWORDS.contains(word.toLowerCase())) names.add(word);
    }
    return names;
  }

  /** The expressions of every alerting and recording rule of a Prometheus rules file. */
  public static List<String> ruleExpressions(Path rulesFile) {
    JsonNode root = read(new ObjectMapper(new YAMLFactory()), rulesFile);
    List<String> out = new ArrayList<>();
    root.path("groups").forEach(g -> g.path("rules").forEach(r -> out.add(r.path("expr").asText())));
    return out;
  }

  /** The PromQL of every panel target and of the query variables of a Grafana dashboard. */
  public static List<String> dashboardExpressions(Path dashboardJson) {
    JsonNode root = read(new ObjectMapper(), dashboardJson);
    List<String> out = new ArrayList<>();
    root.path("panels").forEach(p -> p.path("targets").forEach(t -> {
      if (t.hasNonNull("expr")) out.add(t.get("expr").asText());
    }));
    root.path("templating").path("list").forEach(v -> {
      if (!"query".equals(v.path("type").asText())) return;
      String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
      // label_values(<series selector>, <label>): the selector is PromQL, the label is not.
      Matcher lv = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$").matcher(q);
      out.add(lv.matches() ? lv.group(1) : q);
    });
    return out;
  }

  /** The metric names the alerts and the dashboard query that the operator must export. */
  public static Set<String> expectedFromOperator() {
    Set<String> names = new TreeSet<>();
    ruleExpressions(RULES).forEach(e -> names.addAll(of(e)));
    dashboardExpressions(DASHBOARD).forEach(e -> names.addAll(of(e)));
    names.removeAll(SYNTHETIC);
    return names;
  }

  /** The metric names in a Prometheus text exposition (the families' samples, _total and all). */
  public static Set<String> inScrape(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
      Matcher m = IDENT.matcher(l);
      if (m.lookingAt()) names.add(m.group());
    });
    return names;
  }

  private static JsonNode read(ObjectMapper mapper, Path p) {
    try {
      return mapper.readTree(Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
