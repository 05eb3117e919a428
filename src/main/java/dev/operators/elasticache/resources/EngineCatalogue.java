package dev.operators.elasticache.resources;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.decide.EngineVersions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The engine versions AWS offers, for every cache at once: asked of AWS (DescribeCacheEngineVersions,
 * both engines, all pages) when a reconcile first needs them, then kept, and asked again once a day.
 * A thousand caches cost one sequence of calls a day, not one per cache or per reconcile.
 *
 * <p>When AWS does not answer (throttled, unreachable, the permission missing):
 * <ul>
 * <li>before the first answer, nothing can be decided about a spec: the caches wait
 *   ({@link #waiting()}, an {@link Outcome.WaitForAws} with AWS's error in a stable message, not
 *   Stalled: no person has to act on a throttle) and the operator asks again with back-off
 *   ({@link #FIRST_RETRY}, doubling up to {@link #MAX_RETRY}); the caches are looked at again when the
 *   next ask is due, and only one of them asks;
 * <li>after it, the list already held is kept (a day-old list is still right but for a version added
 *   since) and the refresh is retried with the same back-off.
 * </ul>
 * Only one ask is under way at a time: the first reconcile that needs the list asks, the others wait
 * for its answer (a few calls) rather than asking too.
 */
@ApplicationScoped
public class EngineCatalogue {
  static final Duration REFRESH = Duration.ofDays(1);
  static final Duration FIRST_RETRY = Duration.ofSeconds(15);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);
  private static final Logger LOG = Logger.getLogger(EngineCatalogue.class);

  private final ElastiCachePort elastiCache;
  private final Clock clock;
  private EngineVersions versions;
  private Instant nextAsk = Instant.MIN;
  private Duration retry = FIRST_RETRY;
  private AwsException lastError;

  public EngineCatalogue(ElastiCachePort elastiCache, Clock clock) {
    this.elastiCache = elastiCache;
    this.clock = clock;
  }

  /** The versions AWS offers, asking AWS when it is time; empty until AWS has answered once. */
  public synchronized Optional<EngineVersions> current() {
    Instant now = clock.instant();
    if (now.isBefore(nextAsk)) return Optional.ofNullable(versions);
    try {
      versions = new EngineVersions(elastiCache.describeEngineVersions());
      lastError = null;
      retry = FIRST_RETRY;
      nextAsk = now.plus(REFRESH);
    } catch (AwsException e) {
      lastError = e;
      nextAsk = now.plus(retry);
      LOG.warnf("Could not read the engine versions AWS offers (%s: %s: %s); %s; asking again in %ss", e.operation(), e.code(),
          e.awsMessage(), versions == null ? "caches wait for them" : "keeping the list read before", retry.toSeconds());
      retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
    }
    return Optional.ofNullable(versions);
  }

  /** What a cache does while AWS has not answered yet: wait, and look again when the next ask is due. */
  public synchronized Outcome.WaitForAws waiting() {
    Duration untilNextAsk = Duration.between(clock.instant(), nextAsk);
    String cause = lastError == null ? "" : " (" + lastError.operation() + ": " + lastError.code() + ": " + lastError.awsMessage() + ")";
    return Outcome.waitForAws("WaitingForEngineVersions", "Waiting for the list of engine versions AWS offers" + cause
        + "; the operator asks again with back-off, at most " + MAX_RETRY.toMinutes() + " minutes apart",
        untilNextAsk.isNegative() || untilNextAsk.isZero() ? Duration.ofSeconds(1) : untilNextAsk);
  }
}
