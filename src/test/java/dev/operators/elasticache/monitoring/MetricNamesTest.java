package dev.operators.elasticache.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names read out of PromQL are the metrics it selects, and nothing else (labels, functions, durations). */
class MetricNamesTest {

  @Test
  void selectorsAggregationsAndBinaryOperators() {
    assertThat(MetricNames.of("absent(up{job=\"rediscache-operator\"} == 1)")).containsExactly("up");
    assertThat(MetricNames.of("sum by (reason) (rate(rediscache_reconcile_errors_total[15m])) > 0"))
        .containsExactly("rediscache_reconcile_errors_total");
    assertThat(MetricNames.of("(max by (namespace, name) (a_metric) == 1) and on (namespace, name) (max by (namespace, name) "
        + "(b_metric{state!=\"Ready\"}) == 1)")).containsExactly("a_metric", "b_metric");
    assertThat(MetricNames.of("sum(rate(x_total{outcome=\"throttled\"}[10m])) / sum(rate(x_total[10m] offset 5m)) > 0.05"))
        .containsExactly("x_total");
    assertThat(MetricNames.of("topk(10, sum without (pod) (rate(calls_total{namespace=~\"$namespace\"}[5m])))"))
        .containsExactly("calls_total");
    assertThat(MetricNames.of("label_replace(m1, \"dst\", \"$1\", \"src\", \"(.*)\") * on() group_left(version) m2"))
        .containsExactly("m1", "m2");
  }

  @Test
  void theRulesAndTheDashboardNameTheOperatorsMetrics() {
    assertThat(MetricNames.expectedFromOperator())
        .contains("rediscache_cache_state", "rediscache_aws_calls_total", "rediscache_reconcile_errors_total",
            "rediscache_token_rotation_in_progress")
        .doesNotContain("up", "namespace", "state", "reason", "by", "rate", "sum");
  }

  @Test
  void namesInAScrape() {
    String scrape = """
        # HELP rediscache_cache_state 1 for each RedisCache
        # TYPE rediscache_cache_state gauge
        rediscache_cache_state{name="a",namespace="shop",state="Ready"} 1.0
        jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1234.0
        process_cpu_usage 0.01
        """;
    assertThat(MetricNames.inScrape(scrape)).containsExactly("jvm_memory_used_bytes", "process_cpu_usage", "rediscache_cache_state");
  }
}
