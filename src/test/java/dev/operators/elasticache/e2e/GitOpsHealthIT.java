package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The health GitOps tools read, on live RedisCaches: a real kube-apiserver with the CRD from crds/,
 * the operator as its own process, the AWS emulator. A cache is taken through the states a user
 * meets (just created, creating, Ready, spec edited and not yet observed, modified by AWS, Stalled,
 * deleting); each is dumped as the API server serves it to target/health-live/ and run through
 * test/tools/health: the Argo CD health check (deploy/argocd, gopher-lua with Argo CD's restricted and
 * full libraries) and kstatus must agree, and each must say what the state is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitOpsHealthIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String HEALTH_LUA = "deploy/argocd/resource_customizations/elasticache.operators.dev/RedisCache/health.lua";
  static final Duration TIMEOUT = Duration.ofSeconds(120);
  static final Path OUT = Path.of("target/health-live");

  AwsEmulator aws;
  AwsTestClients clients;
  ControlPlane k8s;
  OperatorProcess operator;
  String subnetA;
  String subnetB;

  @BeforeAll
  void start() throws Exception {
    aws = AwsEmulator.start("--creating-seconds", "4", "--modifying-seconds", "4", "--deleting-seconds", "4");
    clients = AwsTestClients.of(aws);
    var ec2 = clients.ec2();
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    subnetA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
    subnetB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
    k8s = ControlPlane.start("gitops");
    k8s.installCrd();
    for (String f : List.of("deploy/namespace.yaml", "deploy/serviceaccount.yaml", "deploy/rbac.yaml")) {
      k8s.kubectl("apply", "-f", f).ok();
    }
    operator = startOperator();
    Files.createDirectories(OUT);
    try (var old = Files.list(OUT)) {
      for (Path p : old.toList()) Files.delete(p);
    }
  }

  OperatorProcess startOperator() {
    return OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), "gitops", "gitops");
  }

  @AfterAll
  void stop() {
    if (operator != null) operator.close();
    if (k8s != null) k8s.close();
    if (clients != null) clients.close();
    if (aws != null) aws.close();
  }

  @Test
  void argoCdAndKstatusAgreeOnEveryStateALiveRedisCachePassesThrough() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();   // file -> "<Argo CD> <kstatus>"

    // Just created: the API server's answer to the create, before the operator wrote anything.
    JsonNode created = JSON.readTree(k8s.kubectlWithInput(cache("web", "cache.t4g.micro", ""), "create", "-f", "-", "-o", "json").ok().out());
    assertThat(created.at("/status/observedGeneration").asLong()).isZero();
    dump("1-just-created", created);
    expected.put("1-just-created", "Progressing InProgress");

    dump("2-creating", await("web", c -> isTrue(c, "Reconciling") && generation(c) == 1));
    expected.put("2-creating", "Progressing InProgress");

    dump("3-ready", await("web", c -> isTrue(c, "Ready") && observed(c) == generation(c)));
    expected.put("3-ready", "Healthy Current");

    // Spec edited while the operator is down: nothing has observed generation 2 yet.
    operator.kill();
    k8s.kubectl("patch", "rediscache", "web", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"nodeType\":\"cache.t4g.small\"}}").ok();
    JsonNode edited = get("web");
    assertThat(generation(edited)).isEqualTo(2);
    assertThat(observed(edited)).isEqualTo(1);
    dump("4-spec-changed-not-observed", edited);
    expected.put("4-spec-changed-not-observed", "Progressing InProgress");
    operator = startOperator();

    dump("5-reconciling-modifying", await("web", c -> isTrue(c, "Reconciling") && observed(c) == 2 && "Modifying".equals(reason(c, "Reconciling"))));
    expected.put("5-reconciling-modifying", "Progressing InProgress");
    await("web", c -> isTrue(c, "Ready") && observed(c) == 2);

    k8s.kubectlWithInput(cache("old", "cache.t4g.micro", "  engineVersion: \"6.2\"\n"), "apply", "-f", "-").ok();
    dump("6-stalled", await("old", c -> isTrue(c, "Stalled")));
    expected.put("6-stalled", "Degraded Failed");

    // Deleting: the finalizer holds the object while AWS deletes the group.
    k8s.kubectl("delete", "rediscache", "web", "-n", "default", "--wait=false").ok();
    dump("7-deleting", await("web", c -> c.at("/metadata/deletionTimestamp").isTextual()));
    expected.put("7-deleting", "Progressing Terminating");

    List<String> command = new ArrayList<>(List.of("bash", "test/tools/health/run.sh", "live", HEALTH_LUA));
    for (String name : expected.keySet()) command.add(OUT.resolve(name + ".json").toString());
    Proc.Result r = Proc.run(Path.of(System.getProperty("user.dir")), Map.of(), null, 600, command);
    System.out.print(r.out());
    assertThat(r.exit()).as("Argo CD and kstatus agree on every live object:\n%s%s", r.out(), r.err()).isZero();
    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : r.out().lines().toList()) {
      String[] f = line.split("\t");
      seen.put(f[0].replace(".json", ""), f[1] + " " + f[2]);
    }
    assertThat(seen).isEqualTo(expected);

    k8s.kubectl("delete", "rediscache", "old", "-n", "default", "--timeout=120s").ok();
    k8s.kubectl("wait", "--for=delete", "rediscache/web", "-n", "default", "--timeout=120s");
  }

  @Test
  void theArgoCdConfigMapPatchFromTheReadmeAddsHealthLuaAsItIsAndKeepsTheRest() throws Exception {
    k8s.kubectl("create", "namespace", "argocd");
    k8s.kubectl("create", "configmap", "argocd-cm", "-n", "argocd", "--from-literal=url=https://argocd.example.com").ok();
    k8s.kubectl("-n", "argocd", "patch", "configmap", "argocd-cm", "--type", "merge", "--patch-file", "deploy/argocd/argocd-cm.yaml").ok();
    assertThat(k8s.kubectl("get", "configmap", "argocd-cm", "-n", "argocd", "-o", "jsonpath={.data.url}").ok().out()).isEqualTo("https://argocd.example.com");
    String held = k8s.kubectl("get", "configmap", "argocd-cm", "-n", "argocd", "-o",
        "jsonpath={.data.resource\\.customizations\\.health\\.elasticache\\.operators\\.dev_RedisCache}").ok().out();
    assertThat(held.stripTrailing()).isEqualTo(Files.readString(Path.of(HEALTH_LUA)).stripTrailing());
  }

  // ---------------------------------------------------------------- helpers

  String cache(String name, String nodeType, String extra) {
    return "apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: " + name + "\n  namespace: default\nspec:\n"
        + "  nodeType: " + nodeType + "\n" + extra + "  network:\n    subnetIds: [" + subnetA + ", " + subnetB + "]\n"
        + "    allowedCidrBlocks: [10.0.0.0/16]\n";
  }

  JsonNode get(String name) throws Exception {
    return JSON.readTree(k8s.kubectl("get", "rediscache", name, "-n", "default", "-o", "json").ok().out());
  }

  /** Polls the object until it matches, and returns it as it was then. */
  JsonNode await(String name, Predicate<JsonNode> state) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(name);
      if (state.test(last)) return last;
      OperatorProcess.sleep(100);
    }
    throw new AssertionError("state not reached within " + TIMEOUT + "; last seen:\n" + last + "\noperator log:\n" + operator.tail());
  }

  void dump(String name, JsonNode object) throws Exception {
    Files.writeString(OUT.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(object));
  }

  static long generation(JsonNode c) { return c.at("/metadata/generation").asLong(); }

  static long observed(JsonNode c) { return c.at("/status/observedGeneration").asLong(-1); }

  static boolean isTrue(JsonNode c, String type) {
    for (JsonNode cond : c.at("/status/conditions")) {
      if (type.equals(cond.path("type").asText()) && "True".equals(cond.path("status").asText())) return true;
    }
    return false;
  }

  static String reason(JsonNode c, String type) {
    for (JsonNode cond : c.at("/status/conditions")) {
      if (type.equals(cond.path("type").asText())) return cond.path("reason").asText();
    }
    return null;
  }
}
