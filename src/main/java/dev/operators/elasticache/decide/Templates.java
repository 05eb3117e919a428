package dev.operators.elasticache.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders the Secret's template keys: {{ .key }} is replaced by the standard key's value. */
public final class Templates {
  public static final Set<String> KEYS = Set.of("type", "provider", "host", "port", "password", "tls", "ssl", "url", "pythonUrl", "readerHost", "clusterMode");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\.([A-Za-z]+)\\s*}}");
  private static final Pattern SECRET_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

  private Templates() {}

  /** Problems with a template, each naming the key. */
  public static List<Problem> check(Map<String, String> template) {
    List<Problem> problems = new ArrayList<>();
    template.forEach((key, text) -> {
      String field = "spec.connectionSecret.template." + key;
      if (!SECRET_KEY.matcher(key).matches()) {
        problems.add(new Problem(field, "a Secret key may only hold letters, digits, '-', '_' and '.'"));
      }
      if (KEYS.contains(key)) {
        problems.add(new Problem(field, "this key is one of the standard keys; choose another name"));
      }
      Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
      while (m.find()) {
        if (!KEYS.contains(m.group(1))) {
          problems.add(new Problem(field, "unknown placeholder {{ ." + m.group(1) + " }}; use one of " + KEYS.stream().sorted().toList()));
        }
      }
      if (text != null && text.replaceAll(PLACEHOLDER.pattern(), "").contains("{{")) {
        problems.add(new Problem(field, "malformed placeholder; write {{ .name }}"));
      }
    });
    return problems;
  }

  /** Renders one template; a key missing from {@code values} (e.g. password with auth off) renders empty. */
  public static String render(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
