package dev.operators.elasticache.infra;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.decide.StatusBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
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

/**
 * The operator's metrics stay bounded at any fleet size. JOSDK's reconcile metrics per controller,
 * not per cache: the Quarkus extension's default keeps a set of series for every RedisCache (about
 * 80 per cache: 81,000 series and a 22 MB scrape for a fleet of 1,000). Per cache, one series only:
 * {@code rediscache_cache_state{namespace,name,state}} = 1, state one of Ready, Reconciling,
 * Stalled, Deleting (what alerts such as "Stalled for 15 minutes" need), refreshed at each turn of
 * the fleet poller from the informer's cache.
 */
@ApplicationScoped
public class OperatorMetrics {
  private final MultiGauge states;

  @Inject
  public OperatorMetrics(MeterRegistry registry) {
    states = MultiGauge.builder("rediscache.cache.state")
        .description("1 for each RedisCache, labelled with its state: Ready, Reconciling, Stalled or Deleting").register(registry);
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
  }

  static String state(RedisCache c) {
    if (c.getMetadata().getDeletionTimestamp() != null) return "Deleting";
    if (StatusBuilder.isTrue(c.getStatus(), StatusBuilder.STALLED)) return "Stalled";
    if (StatusBuilder.isTrue(c.getStatus(), StatusBuilder.READY)) return "Ready";
    return "Reconciling";
  }
}
