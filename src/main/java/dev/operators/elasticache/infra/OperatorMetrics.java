package dev.operators.elasticache.infra;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's reconcile metrics per controller, not per cache: the Quarkus extension's default keeps a
 * set of series for every RedisCache (about 80 per cache: 81,000 series and a 22 MB scrape for a
 * fleet of 1,000). Per-cache state belongs in status and events; the metrics stay bounded.
 */
@ApplicationScoped
public class OperatorMetrics {
  @Produces
  @Singleton
  @Alternative
  @Priority(10)
  Metrics metrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }
}
