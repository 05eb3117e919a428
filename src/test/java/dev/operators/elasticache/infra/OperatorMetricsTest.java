package dev.operators.elasticache.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RedisCacheStatus;
import dev.operators.elasticache.fake.Harness;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One state series per cache, whatever the fleet's size; a cache's old state and a deleted cache leave no series behind. */
class OperatorMetricsTest {

  static RedisCache cache(String name, String condition) {
    RedisCache rc = Harness.cache("shop", name);
    RedisCacheStatus s = new RedisCacheStatus();
    if (condition != null) s.setConditions(List.of(new ConditionBuilder().withType(condition).withStatus("True").build()));
    rc.setStatus(s);
    return rc;
  }

  static Map<String, String> series(SimpleMeterRegistry registry) {
    Map<String, String> out = new TreeMap<>();
    for (Gauge g : registry.find("rediscache.cache.state").gauges()) {
      if (g.value() == 1) out.put(g.getId().getTag("name"), g.getId().getTag("state"));
    }
    return out;
  }

  @Test
  void oneSeriesPerCacheWithItsCurrentState() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    metrics.cacheStates(List.of(cache("a", "Ready"), cache("b", "Stalled"), cache("c", null)));
    assertThat(series(registry)).isEqualTo(Map.of("a", "Ready", "b", "Stalled", "c", "Reconciling"));

    metrics.cacheStates(List.of(cache("a", "Stalled"), cache("c", "Ready")));
    assertThat(series(registry)).isEqualTo(Map.of("a", "Stalled", "c", "Ready"));
    assertThat(registry.find("rediscache.cache.state").gauges()).hasSize(2);
  }

  @Test
  void aRotationUnderWayIsOneForItsCacheAndZeroForTheOthers() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    RedisCache rotating = cache("a", "Ready");
    rotating.getStatus().setTokenRotation("ROTATE sent; waiting for AWS");
    metrics.cacheStates(List.of(rotating, cache("b", "Ready")));
    assertThat(rotations(registry)).isEqualTo(Map.of("a", 1.0, "b", 0.0));

    metrics.cacheStates(List.of(cache("a", "Ready")));
    assertThat(rotations(registry)).isEqualTo(Map.of("a", 0.0));
  }

  static Map<String, Double> rotations(SimpleMeterRegistry registry) {
    Map<String, Double> out = new TreeMap<>();
    for (Gauge g : registry.find("rediscache.token.rotation.in.progress").gauges()) out.put(g.getId().getTag("name"), g.value());
    return out;
  }

  @Test
  void everyErrorReasonIsThereAtZeroAndCountsItsErrors() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    assertThat(registry.find("rediscache.reconcile.errors").counters()).hasSize(OperatorMetrics.ERROR_REASONS.size())
        .allMatch(c -> c.count() == 0);
    metrics.reconcileError("Throttled");
    metrics.reconcileError("Throttled");
    assertThat(registry.get("rediscache.reconcile.errors").tag("reason", "Throttled").counter().count()).isEqualTo(2);
    assertThat(registry.get("rediscache.reconcile.errors").tag("reason", "AwsError").counter().count()).isZero();
  }

  @Test
  void pendingServiceUpdatesAreCountedBySeverityInFourSeriesWhateverTheFleetsSize() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    List<RedisCache> caches = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RedisCache rc = cache("c" + i, "Ready");
      rc.getStatus().setServiceUpdates(List.of(
          new dev.operators.elasticache.api.ServiceUpdateStatus("u1", "critical", "security-update", null, null, i < 10 ? "complete" : "not-applied"),
          new dev.operators.elasticache.api.ServiceUpdateStatus("u2", "low", "security-update", null, null, "in-progress")));
      caches.add(rc);
    }
    caches.add(cache("none", "Ready"));
    metrics.cacheStates(caches);
    Map<String, Double> bySeverity = new TreeMap<>();
    registry.find("rediscache.service.updates.pending").gauges().forEach(g -> bySeverity.put(g.getId().getTag("severity"), g.value()));
    assertThat(bySeverity).isEqualTo(Map.of("critical", 40.0, "important", 0.0, "medium", 0.0, "low", 50.0));
  }
}
