package dev.operators.elasticache.infra;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with jitter per resource, for throttling and transient AWS failures. */
@ApplicationScoped
public class Backoff {
  static final Duration BASE = Duration.ofSeconds(2);
  static final Duration MAX = Duration.ofMinutes(5);
  static final Duration SPREAD = Duration.ofSeconds(15);
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  public Duration next(String key) {
    int n = failures.merge(key, 1, Integer::sum);
    long base = Math.min(MAX.toMillis(), BASE.toMillis() * (1L << Math.min(n - 1, 16)));
    long jitter = ThreadLocalRandom.current().nextLong(base / 4 + 1);
    return Duration.ofMillis(Math.min(MAX.toMillis(), base + jitter));
  }

  /**
   * A retry after the operator's own rate limit turned a call away: not a failure of AWS, so no
   * growing back-off; a random delay spreads the waiting reconciles over the next seconds.
   */
  public Duration spread() {
    return Duration.ofMillis(1000 + ThreadLocalRandom.current().nextLong(SPREAD.toMillis()));
  }

  public void reset(String key) {
    failures.remove(key);
  }
}
