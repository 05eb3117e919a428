package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.Proc;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a person sees with kubectl, against a real kube-apiserver 1.34.10 with the CRD from crds/
 * (no operator needed): the columns of `kubectl get`, the short name, CEL refusals that name their
 * field, and `kubectl explain` describing every spec field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlIT {
  static final String CRD = "crds/rediscaches.elasticache.operators.dev-v1.yml";
  ControlPlane k8s;

  @BeforeAll
  void start() {
    k8s = ControlPlane.start("kubectl");
    k8s.kubectl("apply", "-f", CRD).ok();
    k8s.established("rediscaches.elasticache.operators.dev");
  }

  @AfterAll
  void stop() {
    if (k8s != null) k8s.close();
  }

  @Test
  void getPrintsReadyReasonEngineVersionNodeTypeShardsReplicasEndpointThenAge() {
    k8s.kubectlWithInput(cache("columns", "replicasPerShard: 1"), "apply", "-f", "-").ok();
    k8s.kubectl("patch", "rediscache", "columns", "-n", "default", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"observedGeneration\":1,\"engineVersion\":\"8.0.1\",\"endpoint\":\"master.rc-default-columns.use1.cache.amazonaws.com:6379\","
            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Available\",\"message\":\"ok\",\"lastTransitionTime\":\"2026-12-01T10:00:00Z\"}]}}").ok();
    List<String> lines = k8s.kubectl("get", "rcache", "columns", "-n", "default").ok().out().lines().toList();
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly("NAME", "READY", "REASON", "ENGINE", "VERSION", "NODE TYPE", "SHARDS", "REPLICAS", "ENDPOINT", "AGE");
    String[] row = lines.get(1).split("\\s+");
    assertThat(List.of(row).subList(0, 9)).containsExactly("columns", "True", "Available", "valkey", "8.0.1", "cache.t4g.micro", "1", "1",
        "master.rc-default-columns.use1.cache.amazonaws.com:6379");
    assertThat(row[9]).matches("\\d+[smh].*");
    k8s.kubectl("delete", "rediscache", "columns", "-n", "default").ok();
  }

  @Test
  void theShortNameIsRcacheAndRedisIsLeftToOthers() {
    String resources = k8s.kubectl("api-resources", "--api-group=elasticache.operators.dev").ok().out();
    assertThat(resources.lines().skip(1).findFirst().orElseThrow().split("\\s+")).startsWith("rediscaches", "rcache", "elasticache.operators.dev/v1alpha1");
    assertThat(k8s.kubectl("get", "rcache", "-A").exit()).isZero();
    Proc.Result redis = k8s.kubectl("get", "redis", "-A");
    assertThat(redis.exit()).isNotZero();
    assertThat(redis.err()).contains("doesn't have a resource type \"redis\"");
  }

  @Test
  void everyCelRefusalNamesTheFieldItIsAbout() throws Exception {
    Map<String, String> seen = new LinkedHashMap<>();
    // Refused at create.
    seen.put("spec.multiAZ", create("multiAZ: true\n  replicasPerShard: 0"));
    seen.put("spec.tls", create("tls: false"));
    seen.put("spec.tags", create("tags: {\"aws:team\": x}"));
    seen.put("spec.network.subnetIds", k8s.kubectlWithInput(cache("invalid", "").replace("    subnetIds:", "    subnetGroupName: theirs\n    subnetIds:"),
        "apply", "--dry-run=server", "-f", "-").err());
    seen.put("spec.network.vpcId", k8s.kubectlWithInput(cache("invalid", "").replace("    subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]\n",
        "    subnetGroupName: theirs\n"), "apply", "--dry-run=server", "-f", "-").err());
    seen.put("spec.network.subnetGroupName", create("adoption: {replicationGroupId: legacy}"));
    // subnetSelector: one source with subnetIds, its VPC the only one, at least one tag
    String ids = "    subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]\n";
    String selector = "    subnetSelector: {vpcId: vpc-0123456789abcdef0, tags: {tier: internal}}\n";
    k8s.kubectlWithInput(cache("selecting", "").replace(ids, selector), "apply", "--dry-run=server", "-f", "-").ok();
    assertThat(network(selector)).contains("spec.network.subnetIds: Invalid value").contains("give exactly one subnet source");
    seen.put("spec.network.vpcId ", k8s.kubectlWithInput(cache("invalid", "").replace(ids, "    vpcId: vpc-0fffffffffffffff0\n" + selector),
        "apply", "--dry-run=server", "-f", "-").err());
    assertThat(k8s.kubectlWithInput(cache("invalid", "").replace(ids, "    subnetSelector: {vpcId: vpc-0123456789abcdef0, tags: {}}\n"),
        "apply", "--dry-run=server", "-f", "-").err()).contains("spec.network.subnetSelector.tags");
    seen.put("spec.restoreFrom", create("restoreFrom: {}"));
    seen.put("spec.restoreFrom ", create("restoreFrom: {snapshotName: orders-final, rdbS3Arns: [\"arn:aws:s3:::seed/a.rdb\"]}"));
    seen.put("spec.restoreFrom  ", create("restoreFrom: {snapshotName: orders-final}\n  adoption: {replicationGroupId: legacy}"));
    assertThat(create("restoreFrom: {rdbS3Arns: [\"s3://seed/a.rdb\"]}")).contains("spec.restoreFrom.rdbS3Arns[0]");
    seen.put("spec.dataTiering", create("nodeType: cache.r6gd.xlarge"));
    // durability: valkey 9.0+, cluster mode, Multi-AZ, a durable node family (all missed here), TLS, encryption at rest not off
    seen.put("spec.durability", create("durability: Sync"));
    seen.put("spec.durability ", create("durability: Sync\n  tls: false\n  auth: {enabled: false}"));
    seen.put("spec.durability  ", create("durability: Async\n  atRestEncryption: {enabled: false}"));
    seen.put("spec.network.ipDiscovery", network("    ipDiscovery: ipv6\n"));
    seen.put("spec.network.ipDiscovery ", network("    networkType: ipv6\n    ipDiscovery: ipv4\n"));
    seen.put("spec.serverless", create("serverless: {maxDataStorageGB: 10}\n  shards: 2"));
    seen.put("spec.serverless ", create("serverless: {}\n  auth: {enabled: false}"));
    seen.put("spec.serverless  ", create("serverless: {}\n  adoption: {replicationGroupId: legacy}"));
    k8s.kubectlWithInput(cache("restored", "serverless: {}\n  restoreFrom: {snapshotName: orders-final}"), "apply", "--dry-run=server", "-f", "-").ok();
    assertThat(create("serverless: {}\n  atRestEncryption: {enabled: false}")).contains("always uses TLS and encryption at rest");
    assertThat(create("serverless: {maxDataStorageGB: 5001, maxECPUPerSecond: 999}"))
        .contains("spec.serverless.maxDataStorageGB").contains("spec.serverless.maxECPUPerSecond");
    // spec.users: TLS, no AUTH token beside them, unique names other than default; on serverless too (no tls/auth there)
    String orders = "users: [{name: orders, accessString: \"on ~orders:* +@all\"}]";
    seen.put("spec.users", create("tls: false\n  auth: {enabled: false}\n  " + orders));
    seen.put("spec.users ", create(orders));
    seen.put("spec.users  ", create("auth: {enabled: false}\n  users: [{name: a, accessString: \"on ~a:* +@all\"}, {name: a, accessString: \"on ~b:* +@all\"}]"));
    assertThat(create("auth: {enabled: false}\n  users: [{name: default, accessString: \"on ~* +@all\"}]")).contains("spec.users: Invalid value");
    k8s.kubectlWithInput(cache("serverless-users", "serverless: {}\n  " + orders), "apply", "--dry-run=server", "-f", "-").ok();
    assertThat(create("auth: {enabled: false}\n  users: [{name: 9lives, accessString: on}]")).contains("spec.users[0].name");
    // Refused on change.
    k8s.kubectlWithInput(cache("fixed", ""), "apply", "-f", "-").ok();
    seen.put("spec.port", change("{\"spec\":{\"port\":6380}}"));
    seen.put("spec.shards", create("shards: 3\n  clusterMode: Compatible"));
    seen.put("spec.engine", change("{\"spec\":{\"engine\":\"redis\"}}"));
    seen.put("spec.atRestEncryption", change("{\"spec\":{\"atRestEncryption\":{\"enabled\":false}}}"));
    seen.put("spec.adoption", change("{\"spec\":{\"adoption\":{\"replicationGroupId\":\"legacy\"},\"network\":{\"subnetIds\":null,\"subnetGroupName\":\"theirs\",\"vpcId\":\"vpc-0123456789abcdef0\"}}}"));
    seen.put("spec.network.subnetGroupName ", change("{\"spec\":{\"network\":{\"subnetIds\":null,\"subnetGroupName\":\"theirs\",\"vpcId\":\"vpc-0123456789abcdef0\"}}}"));
    seen.put("spec.dataTiering ", change("{\"spec\":{\"dataTiering\":true,\"nodeType\":\"cache.r6gd.xlarge\"}}"));
    seen.put("spec.network.networkType", change("{\"spec\":{\"network\":{\"networkType\":\"dual_stack\"}}}"));
    seen.put("spec.account", change("{\"spec\":{\"account\":\"payments-eu\"}}")); // a cache cannot move to another account
    // restoreFrom cannot be added to an existing cache, nor changed or removed once set.
    seen.put("spec.restoreFrom   ", change("{\"spec\":{\"restoreFrom\":{\"snapshotName\":\"orders-final\"}}}"));
    seen.put("spec.serverless   ", change("{\"spec\":{\"serverless\":{\"maxDataStorageGB\":10}}}"));
    // cluster mode: the ways AWS migrates a running group are accepted (disabled -> compatible -> disabled, -> enabled,
    // more shards once enabled); leaving enabled is refused, also by dropping to one shard without clusterMode
    for (String mode : List.of("Compatible", "Disabled", "Compatible", "Enabled")) {
      k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"clusterMode\":\"" + mode + "\"}}").ok();
    }
    k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"shards\":3}}").ok();
    seen.put("spec.clusterMode", change("{\"spec\":{\"clusterMode\":\"Compatible\"}}"));
    assertThat(change("{\"spec\":{\"clusterMode\":null,\"shards\":1}}")).contains("spec.clusterMode: Invalid value");
    k8s.kubectl("delete", "rediscache", "fixed", "-n", "default").ok();
    // nor switched off a serverless cache; its limits may change
    k8s.kubectlWithInput(cache("fixed", "serverless: {maxDataStorageGB: 10}"), "apply", "-f", "-").ok();
    k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"serverless\":{\"maxDataStorageGB\":20}}}").ok();
    seen.put("spec.serverless    ", change("{\"spec\":{\"serverless\":null}}"));
    k8s.kubectl("delete", "rediscache", "fixed", "-n", "default").ok();
    k8s.kubectlWithInput(cache("fixed", "restoreFrom: {snapshotName: orders-final}"), "apply", "-f", "-").ok();
    seen.put("spec.restoreFrom    ", change("{\"spec\":{\"restoreFrom\":{\"snapshotName\":\"other\"}}}"));
    seen.put("spec.restoreFrom     ", change("{\"spec\":{\"restoreFrom\":null}}"));
    // an unrelated change of a restored cache is accepted
    k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"replicasPerShard\":1}}").ok();
    k8s.kubectl("delete", "rediscache", "fixed", "-n", "default").ok();

    for (var e : seen.entrySet()) {
      assertThat(e.getValue()).as("the refusal names %s", e.getKey()).contains(e.getKey().trim() + ": Invalid value");
    }
    // Every rule of the CRD was met, and each refusal that carried its message named its field first.
    String all = String.join("\n", seen.values());
    for (ValidationRule rule : rules()) {
      String message = rule.getMessage();
      assertThat(all).as("a refusal carried: %s", message).contains(message);
      for (String line : all.lines().filter(l -> l.contains(message)).toList()) {
        assertThat(line).as(line).matches("^(\\* |The RedisCache \"\\w+\" is invalid: )?spec(\\.\\w+)*: Invalid value: .*");
      }
    }
  }

  /** A refused create with these lines added to spec.network. */
  String network(String lines) {
    Proc.Result r = k8s.kubectlWithInput(cache("invalid", "") + lines, "apply", "--dry-run=server", "-f", "-");
    assertThat(r.exit()).as(lines).isNotZero();
    return r.err();
  }

  String create(String extraSpec) {
    Proc.Result r = k8s.kubectlWithInput(cache("invalid", extraSpec), "apply", "--dry-run=server", "-f", "-");
    assertThat(r.exit()).as(extraSpec).isNotZero();
    return r.err();
  }

  String change(String patch) {
    Proc.Result r = k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", patch);
    assertThat(r.exit()).as(patch).isNotZero();
    return r.err();
  }

  @Test
  void explainDescribesTheResourceTheSpecAndEverySpecField() throws Exception {
    JSONSchemaProps root = schema();
    String top = k8s.kubectl("explain", "rediscache").ok().out();
    assertThat(description(top)).contains("ElastiCache");
    List<String> explained = new ArrayList<>();
    List<String> undescribed = new ArrayList<>();
    explainObjects(root.getProperties().get("spec"), "spec", explained, undescribed);
    assertThat(explained).hasSizeGreaterThan(40).contains("spec.network.subnetIds", "spec.auth.rotation.gracePeriod", "spec.logDelivery.slowLog.format");
    assertThat(undescribed).as("fields kubectl explain shows without a description").isEmpty();
  }

  /** kubectl explain on the object at path: its own description, and one for each of its fields. */
  void explainObjects(JSONSchemaProps node, String path, List<String> explained, List<String> undescribed) {
    String out = k8s.kubectl("explain", "rediscache." + path).ok().out();
    if (description(out).isBlank()) undescribed.add(path);
    Map<String, String> fields = fields(out);
    for (var e : node.getProperties().entrySet()) {
      String child = path + "." + e.getKey();
      explained.add(child);
      assertThat(fields).as("kubectl explain rediscache.%s lists %s", path, e.getKey()).containsKey(e.getKey());
      if (fields.get(e.getKey()).isBlank()) undescribed.add(child);
      if (e.getValue().getProperties() != null && !e.getValue().getProperties().isEmpty()) {
        explainObjects(e.getValue(), child, explained, undescribed);
      }
    }
  }

  /** The text under DESCRIPTION:, up to FIELDS:. */
  static String description(String explain) {
    int start = explain.indexOf("DESCRIPTION:");
    int end = explain.indexOf("FIELDS:");
    String text = explain.substring(start + "DESCRIPTION:".length(), end < 0 ? explain.length() : end).strip();
    return text.equals("<empty>") || text.equals("<no description>") ? "" : text;
  }

  /** Under FIELDS:, each "  name<TAB><type>" line and the description lines (indented 4) after it. */
  static Map<String, String> fields(String explain) {
    Map<String, String> out = new LinkedHashMap<>();
    String current = null;
    boolean inFields = false;
    for (String line : explain.lines().toList()) {
      if (line.startsWith("FIELDS:")) { inFields = true; continue; }
      if (!inFields) continue;
      if (line.matches("^  \\S+\\t<.*")) {
        current = line.trim().split("\\t")[0];
        out.put(current, "");
      } else if (current != null && line.startsWith("    ") && !line.isBlank() && !line.trim().equals("<no description>")) {
        out.put(current, (out.get(current) + " " + line.trim()).trim());
      }
    }
    return out;
  }

  static JSONSchemaProps schema() throws Exception {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(Path.of(CRD)), CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  static List<ValidationRule> rules() throws Exception {
    List<ValidationRule> out = new ArrayList<>();
    collect(schema().getProperties().get("spec"), out);
    return out;
  }

  static void collect(JSONSchemaProps node, List<ValidationRule> out) {
    if (node.getXKubernetesValidations() != null) out.addAll(node.getXKubernetesValidations());
    if (node.getProperties() != null) node.getProperties().values().forEach(p -> collect(p, out));
  }

  static String cache(String name, String extraSpec) {
    String extra = extraSpec.isBlank() ? "" : "  " + extraSpec + "\n";
    return "apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: " + name
        + "\n  namespace: default\nspec:\n" + extra + "  network:\n    subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]\n";
  }
}
