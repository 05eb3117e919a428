package dev.operators.elasticache.infra;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.decide.StatusBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;

/**
 * The operator's metrics stay bounded at any fleet size. JOSDK's reconcile metrics per controller,
 * not per cache: the Quarkus extension's default keeps a set of series for every RedisCache (about
 * 80 per cache: 81,000 series and a 22 MB scrape for a fleet of 1,000). Per cache, one series only:
 * {@code rediscache_cache_state{namespace,name,state}} = 1, state one of Ready, Reconciling,
 * Stalled, Deleting (what alerts such as "Stalled for 15 minutes" need), and
 * {@code rediscache_token_rotation_in_progress{namespace,name}} = 1 while an AUTH token rotation is
 * under way (status.tokenRotation set), else 0, both refreshed at each turn of the fleet poller from
 * the informer's cache. {@code rediscache_reconcile_errors_total{reason}}: reconciles that ended in an
 * error, by reason (the AWS failure kinds, and Exception), each series there from the start at 0.
 * {@code rediscache_service_updates_pending{severity}}: AWS service updates not yet complete on the
 * caches' groups (from their status), one series per severity (critical, important, medium, low),
 * whatever the fleet's size.
 */
@ApplicationScoped
public class OperatorMetrics {
  /** The reasons a reconcile ends in an error: {@code Outcome.AwsFailed}'s, and an exception thrown out of a reconcile. */
  public static final List<String> ERROR_REASONS = List.of("Throttled", "AwsBusy", "AwsCapacity", "AwsUnavailable", "AwsError", "Exception");

  private final MultiGauge states;
  private final MultiGauge rotations;
  private final MultiGauge serviceUpdates;
  /** ServiceUpdateSeverity's values (API reference, data type UpdateAction). */
  static final List<String> SEVERITIES = List.of("critical", "important", "medium", "low");
  private final MeterRegistry registry;

  @Inject
  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    states = MultiGauge.builder("rediscache.cache.state")
        .description("1 for each RedisCache, labelled with its state: Ready, Reconciling, Stalled or Deleting").register(registry);
    rotations = MultiGauge.builder("rediscache.token.rotation.in.progress")
        .description("1 for each RedisCache whose AUTH token rotation is under way, else 0").register(registry);
    serviceUpdates = MultiGauge.builder("rediscache.service.updates.pending")
        .description("AWS service updates not yet complete on the caches' replication groups, by severity").register(registry);
    // Present from the start at 0, so that rate() sees the first error.
    ERROR_REASONS.forEach(this::errorCounter);
  }

  private Counter errorCounter(String reason) {
    return Counter.builder("rediscache.reconcile.errors").description("Reconciles that ended in an error, by reason")
        .tag("reason", reason).register(registry);
  }

  /** A reconcile ended in an error of this reason (one of {@link #ERROR_REASONS}). */
  public void reconcileError(String reason) {
    errorCounter(reason).increment();
  }

  @Produces
  @Singleton
  @Alternative
  @Priority(10)
  Metrics metrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** Replace the per-cache state series with these caches' (a cache gone loses its series). */
  public void cacheStates(Collection<RedisCache> caches) {
    states.register(caches.stream().map(c -> MultiGauge.Row.of(Tags.of("namespace", c.getMetadata().getNamespace(),
        "name", c.getMetadata().getName(), "state", state(c)), 1)).toList(), true);
    rotations.register(caches.stream().map(c -> MultiGauge.Row.of(Tags.of("namespace", c.getMetadata().getNamespace(),
        "name", c.getMetadata().getName()), rotating(c) ? 1 : 0)).toList(), true);
    java.util.Map<String, Long> pending = new java.util.HashMap<>();
    caches.stream().filter(c -> c.getStatus() != null && c.getStatus().getServiceUpdates() != null)
        .flatMap(c -> c.getStatus().getServiceUpdates().stream()).filter(u -> !"complete".equals(u.getStatus()))
        .forEach(u -> pending.merge(u.getSeverity(), 1L, Long::sum));
    serviceUpdates.register(SEVERITIES.stream().map(sev -> MultiGauge.Row.of(Tags.of("severity", sev), pending.getOrDefault(sev, 0L)))
        .toList(), true);
  }

  static boolean rotating(RedisCache c) {
    return c.getStatus() != null && c.getStatus().getTokenRotation() != null;
  }

  static String state(RedisCache c) {
    if (c.getMetadata().getDeletionTimestamp() != null) return "Deleting";
    if (StatusBuilder.isTrue(c.getStatus(), StatusBuilder.STALLED)) return "Stalled";
    if (StatusBuilder.isTrue(c.getStatus(), StatusBuilder.READY)) return "Ready";
    return "Reconciling";
  }
}
