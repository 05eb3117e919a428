package dev.operators.elasticache.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring/ carries the chart's alerts and dashboard (charts/rediscache-operator/files/):
 * `make monitoring` writes them; this fails when they differ.
 */
class MonitoringManifestsTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void thePrometheusRuleHoldsTheChartsRules() throws Exception {
    JsonNode rule = YAML.readTree(Files.readString(Path.of("deploy/monitoring/prometheusrule.yaml")));
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.path("spec")).as("deploy/monitoring/prometheusrule.yaml differs from %s: run `make monitoring`", MetricNames.RULES)
        .isEqualTo(YAML.readTree(Files.readString(MetricNames.RULES)));
  }

  @Test
  void theDashboardConfigMapHoldsTheChartsDashboard() throws Exception {
    JsonNode cm = YAML.readTree(Files.readString(Path.of("deploy/monitoring/grafana-dashboard.yaml")));
    assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = JSON.readTree(cm.at("/data/rediscache-operator.json").asText());
    assertThat(dashboard).as("deploy/monitoring/grafana-dashboard.yaml differs from %s: run `make monitoring`", MetricNames.DASHBOARD)
        .isEqualTo(JSON.readTree(Files.readString(MetricNames.DASHBOARD)));
  }
}
