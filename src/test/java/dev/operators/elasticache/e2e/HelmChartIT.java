package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.operators.elasticache.monitoring.MetricNames;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Helm chart (charts/rediscache-operator) with helm v3.22.0 (test/tools/helm, built from the Go
 * module proxy) and a real kube-apiserver: helm lint --strict against values.schema.json, every
 * rendering accepted by a server-side dry run (the monitoring objects against the Prometheus
 * Operator's own CRDs, test/tools/monitoring-crds), the rendered CRD equal to crds/, and an install.
 *
 * <p>The install: no container runtime runs here (no kubelet, no Docker), so the rendered Deployment
 * is applied but no Pod runs it. The nearest honest thing: every rendered object is applied to the
 * API server, and the built operator runs as a process with the rendered Deployment's environment
 * and JVM options, authenticated as the chart's ServiceAccount with a token the API server itself
 * issues for it (TokenRequest), so the chart's RBAC is what allows or refuses each call. It then
 * makes a RedisCache Ready against the AWS emulator, and its /q/metrics holds every metric the
 * chart's alerts and dashboard query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmChartIT {
  static final Path CHART = Path.of("charts/rediscache-operator");
  static final String CRD_FILE = "crds/rediscaches.elasticache.operators.dev-v1.yml";
  static final String ACCOUNT_CRD_FILE = "crds/elasticacheaccounts.elasticache.operators.dev-v1.yml";
  static final String NS = "platform";
  static final String RELEASE = "cache-op";
  static final String FULLNAME = "cache-op-rediscache-operator";
  static final String CLUSTER_ID = "chart-e2e";
  static final List<String> ALL_MONITORING = List.of("monitoring.serviceMonitor.enabled=true", "monitoring.prometheusRule.enabled=true",
      "monitoring.grafanaDashboard.enabled=true");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  Path root;
  String helm;
  ControlPlane k8s;
  AwsEmulator aws;
  AwsTestClients clients;
  OperatorProcess operator;

  @BeforeAll
  void start() {
    root = Path.of(System.getProperty("user.dir"));
    helm = lastLine(Proc.run(root, Map.of(), null, 1200, List.of("bash", "test/tools/helm/build.sh")).ok().out());
    String monitoringCrds = lastLine(Proc.run(root, Map.of(), null, 1200, List.of("bash", "test/tools/monitoring-crds/build.sh")).ok().out());
    assertThat(Proc.run(root, Map.of(), null, 30, List.of(helm, "version", "--short")).ok().out()).startsWith("v3.22.0");
    k8s = ControlPlane.start("chart");
    k8s.kubectl("apply", "--server-side", "-f", monitoringCrds).ok();
    k8s.established("servicemonitors.monitoring.coreos.com", "podmonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com");
    k8s.kubectl("create", "namespace", NS).ok();
    k8s.kubectl("create", "namespace", "rediscache-system").ok(); // deploy/monitoring's
  }

  @AfterAll
  void stop() {
    if (operator != null) operator.close();
    if (k8s != null) k8s.close();
    if (clients != null) clients.close();
    if (aws != null) aws.close();
  }

  // ---------------------------------------------------------------- lint and schema

  @Test
  @Order(1)
  void helmLintStrictPassesAndTheSchemaRefusesWrongValues() {
    helm("lint", "--strict", CHART.toString()).ok();
    helm(withSets(List.of("lint", "--strict", CHART.toString()), ALL_MONITORING)).ok();
    Map<String, String> wrong = Map.of(
        "clusterId=Prod_1", "/clusterId",
        "replicaCount=0", "/replicaCount",
        "aws.maxCallsPerSecond=0", "/aws/maxCallsPerSecond",
        "region=Europe", "/region",
        "crds.keep=maybe", "/crds/keep",
        "replicas=3", "additional properties 'replicas' not allowed");
    for (var e : wrong.entrySet()) {
      Proc.Result r = helm("lint", "--strict", CHART.toString(), "--set", e.getKey());
      assertThat(r.exit()).as(e.getKey()).isNotZero();
      assertThat(r.out() + r.err()).as(e.getKey()).contains(e.getValue());
    }
  }

  // ---------------------------------------------------------------- server-side dry run

  @Test
  @Order(2)
  void everyRenderingIsAcceptedByTheApiServer() {
    List<List<String>> variants = List.of(
        List.of(),
        ALL_MONITORING,
        List.of("replicaCount=1", "crds.keep=false", "podDisruptionBudget.enabled=false"),
        List.of("watchNamespaces={shop,orders}", "adoptionAllowed={shop/sessions=legacy-sessions}",
            "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::111122223333:role/rediscache-operator",
            "replicaCount=3", "crds.enabled=false"));
    for (List<String> sets : variants) {
      String rendered = render(sets);
      Proc.Result r = k8s.kubectlWithInput(rendered, "apply", "--dry-run=server", "-f", "-");
      assertThat(r.exit()).as("%s: %s", sets, r.err()).isZero();
      int objects = docs(rendered).size();
      assertThat(r.out().lines().filter(l -> l.endsWith("(server dry run)")).count()).as("%s: %s", sets, r.out()).isEqualTo(objects);
    }
    // deploy/monitoring/ (PodMonitor, PrometheusRule, dashboard ConfigMap) too.
    Proc.Result plain = k8s.kubectl("apply", "--dry-run=server", "-k", "deploy/monitoring");
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.out()).contains("podmonitor.monitoring.coreos.com/rediscache-operator created (server dry run)")
        .contains("prometheusrule.monitoring.coreos.com/rediscache-operator created (server dry run)")
        .contains("configmap/rediscache-operator-dashboard created (server dry run)");
  }

  // ---------------------------------------------------------------- what the values do

  @Test
  @Order(3)
  void theRenderingFollowsTheValuesAndMirrorsDeploy() throws Exception {
    List<JsonNode> defaults = docs(render(List.of()));
    JsonNode deployment = only(defaults, "Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    Map<String, String> env = env(deployment);
    assertThat(env).containsEntry("REDISCACHE_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("REDISCACHE_LEADER_ELECTION_LEASE_NAMESPACE", NS)
        .containsEntry("REDISCACHE_CLUSTER_ID", "default").containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("REDISCACHE_AWS_MAX_CALLS_PER_SECOND", "10").doesNotContainKey("REDISCACHE_WATCH_NAMESPACES");
    assertThat(only(defaults, "PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(kinds(defaults)).doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap");

    // deploy/'s operator: the same JVM options, malloc arenas, resources, security contexts, probes.
    JsonNode deploy = YAML.readTree(Files.readString(Path.of("deploy/operator.yaml")));
    JsonNode deployContainer = deploy.at("/spec/template/spec/containers/0");
    JsonNode chartContainer = deployment.at("/spec/template/spec/containers/0");
    Map<String, String> deployEnv = env(deploy);
    assertThat(env.get("JAVA_OPTS_APPEND")).isEqualTo(deployEnv.get("JAVA_OPTS_APPEND"));
    assertThat(env.get("MALLOC_ARENA_MAX")).isEqualTo(deployEnv.get("MALLOC_ARENA_MAX"));
    assertThat(env.get("REDISCACHE_LEADER_ELECTION_ENABLED")).isEqualTo(deployEnv.get("REDISCACHE_LEADER_ELECTION_ENABLED"));
    assertThat(fieldRefs(deployment)).isEqualTo(fieldRefs(deploy)).containsKeys("POD_NAME", "POD_NAMESPACE");
    for (String field : List.of("resources", "securityContext", "startupProbe", "livenessProbe", "readinessProbe", "ports", "volumeMounts")) {
      assertThat(chartContainer.get(field)).as(field).isEqualTo(deployContainer.get(field));
    }
    assertThat(deployment.at("/spec/template/spec/securityContext")).isEqualTo(deploy.at("/spec/template/spec/securityContext"));
    assertThat(deployment.at("/spec/template/spec/volumes")).isEqualTo(deploy.at("/spec/template/spec/volumes"));
    // deploy/'s RBAC, rule for rule.
    List<JsonNode> deployRbac = YAML.readValues(YAML.createParser(Files.readString(Path.of("deploy/rbac.yaml"))), JsonNode.class).readAll();
    assertThat(only(defaults, "ClusterRole").get("rules")).isEqualTo(only(deployRbac, "ClusterRole").get("rules"));
    assertThat(only(defaults, "Role").get("rules")).isEqualTo(only(deployRbac, "Role").get("rules"));
    assertThat(only(defaults, "Role").at("/metadata/namespace").asText()).isEqualTo(NS);

    List<JsonNode> single = docs(render(List.of("replicaCount=1")));
    assertThat(only(single, "Deployment").at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThat(env(only(single, "Deployment"))).containsEntry("REDISCACHE_LEADER_ELECTION_ENABLED", "false");
    assertThat(kinds(single)).doesNotContain("PodDisruptionBudget");

    Map<String, String> scoped = env(only(docs(render(List.of("watchNamespaces={shop,orders}", "clusterId=prod-eks-1",
        "region=eu-west-1", "aws.maxCallsPerSecond=5", "jvm.mallocArenaMax=4"))), "Deployment"));
    assertThat(scoped).containsEntry("REDISCACHE_WATCH_NAMESPACES", "shop,orders").containsEntry("REDISCACHE_CLUSTER_ID", "prod-eks-1")
        .containsEntry("AWS_REGION", "eu-west-1").containsEntry("REDISCACHE_AWS_MAX_CALLS_PER_SECOND", "5").containsEntry("MALLOC_ARENA_MAX", "4");

    JsonNode sa = only(docs(render(List.of("serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::111122223333:role/x"))),
        "ServiceAccount");
    assertThat(sa.at("/metadata/annotations").get("eks.amazonaws.com/role-arn").asText()).isEqualTo("arn:aws:iam::111122223333:role/x");

    List<JsonNode> monitoring = docs(render(ALL_MONITORING));
    assertThat(only(monitoring, "PrometheusRule").get("spec")).isEqualTo(YAML.readTree(Files.readString(MetricNames.RULES)));
    JsonNode dashboard = only(monitoring, "ConfigMap");
    assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(JSON.readTree(dashboard.at("/data/rediscache-operator.json").asText())).isEqualTo(JSON.readTree(Files.readString(MetricNames.DASHBOARD)));
    JsonNode serviceMonitor = only(monitoring, "ServiceMonitor");
    assertThat(serviceMonitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
    assertThat(serviceMonitor.at("/spec/jobLabel").asText()).isEqualTo("app.kubernetes.io/name");
    assertThat(only(monitoring, "Service").at("/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo("rediscache-operator");
  }

  @Test
  @Order(4)
  void theChartsCrdIsTheGeneratedOneAndIsKeptOnUninstall() throws Exception {
    for (String file : List.of(CRD_FILE, ACCOUNT_CRD_FILE)) {
      JsonNode generated = YAML.readTree(Files.readString(Path.of(file)));
      String name = generated.at("/metadata/name").asText();
      JsonNode kept = crd(docs(render(List.of())), name);
      assertThat(kept.get("spec")).as("the chart's CRD differs from %s: run `make crds`", file).isEqualTo(generated.get("spec"));
      assertThat(kept.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");

      JsonNode notKept = crd(docs(render(List.of("crds.keep=false"))), name);
      assertThat(notKept.at("/metadata/annotations").isMissingNode() || notKept.at("/metadata/annotations").isNull()).isTrue();
    }
    assertThat(kinds(docs(render(List.of())))).filteredOn("CustomResourceDefinition"::equals).hasSize(2);
    assertThat(kinds(docs(render(List.of("crds.enabled=false"))))).doesNotContain("CustomResourceDefinition");
  }

  /** The one CustomResourceDefinition of that name. */
  static JsonNode crd(List<JsonNode> docs, String name) {
    List<JsonNode> found = docs.stream().filter(d -> d.get("kind").asText().equals("CustomResourceDefinition")
        && d.at("/metadata/name").asText().equals(name)).toList();
    assertThat(found).as("one CustomResourceDefinition %s", name).hasSize(1);
    return found.get(0);
  }

  // ---------------------------------------------------------------- install

  @Test
  @Order(5)
  void theOperatorRunAsTheChartsServiceAccountMakesACacheReadyAndExportsWhatTheAlertsQuery() throws Exception {
    String rendered = render(List.of());
    k8s.kubectlWithInput(rendered, "apply", "--server-side", "-f", "-").ok();
    k8s.established("rediscaches.elasticache.operators.dev");
    String serviceAccount = only(docs(rendered), "ServiceAccount").at("/metadata/name").asText();
    assertThat(serviceAccount).isEqualTo(FULLNAME);

    // A token the API server issues for the chart's ServiceAccount, as the kubelet would mount it.
    String token = k8s.kubectl("create", "token", serviceAccount, "-n", NS, "--duration=2h").ok().out().trim();
    Path kubeconfig = root.resolve("target/chart-operator.kubeconfig");
    Files.writeString(kubeconfig, Files.readString(k8s.operatorKubeconfig()).replaceFirst("(?m)^(\\s*token:).*$",
        "$1 " + Matcher.quoteReplacement(token)));
    Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-------"));
    String user = "system:serviceaccount:" + NS + ":" + serviceAccount;
    assertThat(Proc.run(root, Map.of(), null, 60, List.of(k8s.kubectlPath(), "--kubeconfig", kubeconfig.toString(), "auth", "whoami",
        "-o", "jsonpath={.status.userInfo.username}")).ok().out()).isEqualTo(user);
    // The leader-election Lease: allowed in the release namespace only.
    assertThat(k8s.kubectl("auth", "can-i", "create", "leases.coordination.k8s.io", "-n", NS, "--as", user).out().trim()).isEqualTo("yes");
    assertThat(k8s.kubectl("auth", "can-i", "update", "leases.coordination.k8s.io", "-n", NS, "--as", user).out().trim()).isEqualTo("yes");
    assertThat(k8s.kubectl("auth", "can-i", "patch", "leases.coordination.k8s.io", "-n", NS, "--as", user).out().trim()).isEqualTo("yes");
    assertThat(k8s.kubectl("auth", "can-i", "create", "leases.coordination.k8s.io", "-n", "default", "--as", user).out().trim()).isEqualTo("no");

    // The rendered Deployment's environment and JVM options; the container's memory limit told to the JVM (MaxRAM).
    JsonNode deployment = only(docs(rendered), "Deployment");
    Map<String, String> env = new LinkedHashMap<>(env(deployment));
    List<String> jvm = new ArrayList<>(List.of(env.remove("JAVA_OPTS_APPEND").trim().split("\\s+")));
    Matcher limit = Pattern.compile("^(\\d+)Mi$").matcher(deployment.at("/spec/template/spec/containers/0/resources/limits/memory").asText());
    assertThat(limit.matches()).isTrue();
    jvm.add("-XX:MaxRAM=" + limit.group(1) + "m");
    env.put("REDISCACHE_CLUSTER_ID", CLUSTER_ID);
    // What the downward API would give the pod: leader election (on, two replicas by default) takes the Lease as it.
    env.put("POD_NAMESPACE", NS);
    env.put("POD_NAME", "rediscache-operator-0");

    aws = AwsEmulator.start("--creating-seconds", "3", "--modifying-seconds", "2", "--deleting-seconds", "3");
    clients = AwsTestClients.of(aws);
    Map<String, String> ids = EndToEndIT.createNetwork(clients);
    operator = OperatorProcess.start(kubeconfig, aws.uri(), CLUSTER_ID, "chart", env, jvm);

    // Secrets Manager (called by reconciles only, never by the poller) throttles the first six calls: with
    // the SDK's three attempts, at least one reconcile ends Throttled before the cache comes up.
    aws.faults("secretsmanager", "*", 6, 0, 0);
    String sample = Files.readString(Path.of("samples/dev-matchmaking.yaml"));
    for (var e : ids.entrySet()) sample = sample.replace(e.getKey(), e.getValue());
    k8s.kubectlWithInput(sample, "apply", "-f", "-").ok();
    Proc.Result ready = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/matchmaking", "-n", "games", "--timeout=150s");
    assertThat(ready.exit()).as("Ready; operator log:\n%s", operator.tail()).isZero();
    assertThat(k8s.kubectl("get", "secret", "matchmaking-redis", "-n", "games", "-o", "jsonpath={.data.host}").ok().out()).isNotBlank();

    // Every metric the alerts and the dashboard query is in a scrape of the running operator.
    Set<String> expected = MetricNames.expectedFromOperator();
    assertThat(expected).contains("rediscache_cache_state", "rediscache_token_rotation_in_progress");
    // The per-cache series follow the poller's turns (every 5 s here): the cache shows Ready at the next one.
    String readyLine = "rediscache_cache_state{name=\"matchmaking\",namespace=\"games\",state=\"Ready\"} 1.0";
    String scrape = "";
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      scrape = operator.metrics();
      if (MetricNames.inScrape(scrape).containsAll(expected) && scrape.contains(readyLine)) break;
      OperatorProcess.sleep(1000);
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(MetricNames.inScrape(scrape));
    assertThat(missing).as("metrics the rules or the dashboard query but the operator does not export").isEmpty();
    assertThat(scrape).contains(readyLine);
    assertThat(scrape).contains("rediscache_token_rotation_in_progress{name=\"matchmaking\",namespace=\"games\"} 0.0");
    Matcher throttled = Pattern.compile("(?m)^rediscache_reconcile_errors_total\\{reason=\"Throttled\"} (\\S+)$").matcher(scrape);
    assertThat(throttled.find()).as(scrape).isTrue();
    assertThat(Double.parseDouble(throttled.group(1))).as("reconciles that ended Throttled").isGreaterThanOrEqualTo(1);
    assertThat(scrape).containsPattern("rediscache_aws_calls_total\\{operation=\"\\w+\",outcome=\"throttled\",service=\"secretsmanager\"}");
  }

  // ---------------------------------------------------------------- helpers

  Proc.Result helm(String... args) {
    return helm(List.of(args));
  }

  Proc.Result helm(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(helm));
    cmd.addAll(args);
    // No repositories, no plugins, no cache outside target/.
    Path home = root.resolve("target/helm-home");
    return Proc.run(root, Map.of("HELM_CACHE_HOME", home.resolve("cache").toString(), "HELM_CONFIG_HOME", home.resolve("config").toString(),
        "HELM_DATA_HOME", home.resolve("data").toString()), null, 120, cmd);
  }

  String render(List<String> sets) {
    return helm(withSets(List.of("template", RELEASE, CHART.toString(), "--namespace", NS), sets)).ok().out();
  }

  static List<String> withSets(List<String> args, List<String> sets) {
    List<String> out = new ArrayList<>(args);
    sets.forEach(s -> {
      out.add("--set");
      out.add(s);
    });
    return out;
  }

  static List<JsonNode> docs(String yaml) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode d : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
        if (d != null && !d.isNull() && !d.isMissingNode() && d.has("kind")) out.add(d);
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> kinds(List<JsonNode> docs) {
    return docs.stream().map(d -> d.get("kind").asText()).toList();
  }

  static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> d.get("kind").asText().equals(kind)).toList();
    assertThat(found).as("one %s among %s", kind, kinds(docs)).hasSize(1);
    return found.get(0);
  }

  static Map<String, String> env(JsonNode deployment) {
    Map<String, String> out = new LinkedHashMap<>();
    // Values only: what the downward API fills in (POD_NAME, POD_NAMESPACE) is compared as fieldRefs.
    deployment.at("/spec/template/spec/containers/0/env").forEach(e -> {
      if (e.has("value")) out.put(e.get("name").asText(), e.get("value").asText());
    });
    return out;
  }

  /** The environment the downward API fills in: name → field path. */
  static Map<String, String> fieldRefs(JsonNode deployment) {
    Map<String, String> out = new LinkedHashMap<>();
    deployment.at("/spec/template/spec/containers/0/env").forEach(e -> {
      if (e.has("valueFrom")) out.put(e.get("name").asText(), e.at("/valueFrom/fieldRef/fieldPath").asText());
    });
    return out;
  }

  static String lastLine(String out) {
    String[] lines = out.trim().split("\n");
    return lines[lines.length - 1].trim();
  }
}
