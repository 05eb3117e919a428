package dev.operators.elasticache.decide;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes users write them: 720h, 10m, 1h30m, 45s. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+)(h|m|s)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("empty duration");
    Matcher m = PART.matcher(text);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) throw new IllegalArgumentException("not a duration: " + text);
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    if (end != text.length()) throw new IllegalArgumentException("not a duration: " + text);
    return d;
  }
}
