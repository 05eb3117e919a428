package dev.operators.elasticache.e2e;

import static dev.operators.elasticache.e2e.EndToEndIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Two replicas of the operator with leader election on, as deploy/ runs them: two operator
 * processes against one kube-apiserver (RBAC on, deploy/'s Role for Leases) and one AWS emulator,
 * told apart in the emulator by their (dummy) access keys. The leader is killed with kill -9 in the
 * middle of a create (after CreateReplicationGroup, while the group is creating); the standby, which
 * made no AWS call until then and was ready all along, takes the Lease within the lease time and
 * finishes the cache with the same token and no second resource of any kind. Then a rolling update:
 * a third replica starts, the leader is stopped with SIGTERM (it exits), and the new one takes over;
 * and a leader whose Lease was taken from it exits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HighAvailabilityIT {
  static final String CLUSTER_ID = "ha";
  static final String NS = "rediscache-system";
  static final String LEASE = "rediscache-operator-leader";
  static final Duration LEASE_DURATION = Duration.ofSeconds(4);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(1);
  static final ObjectMapper JSON = new ObjectMapper();

  AwsEmulator aws;
  AwsTestClients clients;
  ControlPlane k8s;
  OperatorProcess a;
  OperatorProcess b;
  OperatorProcess c;
  Map<String, String> ids = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    aws = AwsEmulator.start("--creating-seconds", "3", "--modifying-seconds", "2", "--deleting-seconds", "3");
    clients = AwsTestClients.of(aws);
    var ec2 = clients.ec2();
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    ids.put("subnetA", ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId());
    ids.put("subnetB", ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId());
    k8s = ControlPlane.start("ha");
    k8s.installCrd();
    for (String f : List.of("deploy/namespace.yaml", "deploy/serviceaccount.yaml", "deploy/rbac.yaml")) k8s.kubectl("apply", "-f", f).ok();
  }

  @AfterAll
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (c != null) c.close();
    if (k8s != null) k8s.close();
    if (clients != null) clients.close();
    if (aws != null) aws.close();
  }

  /** A replica as deploy/operator.yaml configures it (POD_NAME, POD_NAMESPACE from the downward API), with short lease times. */
  OperatorProcess replica(String name) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("REDISCACHE_LEADER_ELECTION_ENABLED", "true");
    env.put("POD_NAMESPACE", NS);
    env.put("POD_NAME", name);
    env.put("REDISCACHE_LEADER_ELECTION_LEASE_DURATION", LEASE_DURATION.toSeconds() + "s");
    env.put("REDISCACHE_LEADER_ELECTION_RENEW_DEADLINE", "3s");
    env.put("REDISCACHE_LEADER_ELECTION_RETRY_PERIOD", RETRY_PERIOD.toSeconds() + "s");
    env.put("AWS_ACCESS_KEY_ID", "testing-" + name);
    return OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), CLUSTER_ID, "ha-" + name, env);
  }

  @Test
  void theStandbyTakesOverAKilledLeaderMidCreateWithinTheLeaseTimeWithTheSameTokenAndNoDuplicate() throws Exception {
    a = replica("a");
    await(Duration.ofSeconds(30), () -> holder().startsWith("a_"));
    b = replica("b"); // returns once b answers ready: a standby is ready, so a RollingUpdate can go on
    assertThat(b.health("live")).isEqualTo(200);
    assertThat(holder()).startsWith("a_");
    OperatorProcess.sleep(3_000); // b has had time to start its informers and its poller, were it to
    assertThat(a.isAlive()).as("the leader keeps its Lease (renews it)").isTrue();
    assertThat(callsBy("b")).as("AWS calls by the standby").isEmpty();
    assertThat(callsBy("a")).as("the leader's poller").containsKey("elasticache:DescribeReplicationGroups");

    // A create that AWS takes its time over; a is killed once it has asked for the group.
    aws.config(Map.of("creatingSeconds", 60));
    String name = "failover";
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", name);
    k8s.kubectlWithInput(cache("default", name), "apply", "-f", "-").ok();
    await(Duration.ofSeconds(60), () -> callsBy("a").containsKey("elasticache:CreateReplicationGroup"));
    String token = secret("default", name + "-redis").get("password");
    assertThat(token).hasSize(64);
    assertThat(aws.authTokens(rgId)).containsExactly(token);
    assertThat(callsBy("b")).as("AWS calls by the standby while a created the cache").isEmpty();
    assertThat(reconcilesStarted(a)).as("reconciles on the leader (the metric is there)").isPositive();
    assertThat(reconcilesStarted(b)).as("reconciles on the standby").isZero();
    assertThat(Files.readString(b.log())).contains("standby: the fleet poller waits until this replica leads");

    assertThat(a.isAlive() && b.isAlive()).isTrue();
    assertThat(holder()).startsWith("a_");
    a.kill();
    long killed = System.nanoTime();
    await(Duration.ofSeconds(30), () -> holder().startsWith("b_"));
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    await(Duration.ofSeconds(30), () -> !callsBy("b").isEmpty());
    Duration firstCall = Duration.ofNanos(System.nanoTime() - killed);
    System.out.printf("HA: leader killed mid-create; the standby held the Lease after %.1f s and made its first AWS call by %.1f s"
        + " (lease %d s, retry %d s)%n", takeover.toMillis() / 1000.0, firstCall.toMillis() / 1000.0, LEASE_DURATION.toSeconds(),
        RETRY_PERIOD.toSeconds());
    assertThat(takeover).as("takeover within the lease time and two retries").isLessThan(LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(2)).plusSeconds(2));

    aws.config(Map.of("creatingSeconds", 3));
    Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/" + name, "-n", "default", "--timeout=150s");
    assertThat(waited.exit()).as(b.tail()).isZero();

    // One of everything, made once in all, and the token a stored before the crash is the one AWS and the Secret hold.
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    assertThat(clients.ec2().describeSecurityGroups(r -> r.filters(Filter.builder().name("tag:" + Names.TAG_NAME).values(name).build()))
        .securityGroups()).hasSize(1);
    String subnetGroup = Names.subnetGroupName(CLUSTER_ID, "default", name);
    assertThat(clients.elastiCache().describeCacheSubnetGroups().cacheSubnetGroups()).filteredOn(g -> g.cacheSubnetGroupName().equals(subnetGroup)).hasSize(1);
    String authSecret = Names.authSecretName(CLUSTER_ID, "default", name);
    assertThat(clients.secrets().listSecrets().secretList()).filteredOn(s -> s.name().equals(authSecret)).hasSize(1);
    Map<String, Integer> calls = aws.calls();
    for (String create : List.of("ec2:CreateSecurityGroup", "elasticache:CreateCacheSubnetGroup", "secretsmanager:CreateSecret",
        "elasticache:CreateReplicationGroup")) {
      assertThat(calls.getOrDefault(create, 0)).as(create).isEqualTo(1);
    }
    assertThat(aws.authTokens(rgId)).containsExactly(token);
    assertThat(secret("default", name + "-redis")).containsEntry("password", token).containsKey("host");

    // A rolling update: a new replica comes up (ready as a standby), then the leader is stopped with
    // SIGTERM. It does not hand the Lease over (JOSDK does not release it), so the new one takes it
    // when it expires.
    c = replica("c");
    assertThat(holder()).startsWith("b_");
    long stopped = System.nanoTime();
    b.terminate();
    await(Duration.ofSeconds(30), () -> !b.isAlive());
    Duration exited = Duration.ofNanos(System.nanoTime() - stopped);
    await(Duration.ofSeconds(30), () -> holder().startsWith("c_"));
    Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.printf("HA: leader stopped with SIGTERM (a rolling update): it exited after %.1f s; the new replica held the Lease"
        + " after %.1f s%n", exited.toMillis() / 1000.0, handover.toMillis() / 1000.0);
    assertThat(exited).as("a stopping leader exits (it does not hang until it is killed)").isLessThan(Duration.ofSeconds(10));
    assertThat(handover).isLessThan(LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(2)).plusSeconds(2));

    // The last leader deletes it all.
    k8s.kubectl("delete", "rediscache", name, "-n", "default", "--timeout=120s").ok();
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(rgId));
    assertThat(clients.ec2Port().listSecurityGroupsTagged(Names.TAG_CLUSTER, CLUSTER_ID)).isEmpty();

    // A leader whose Lease another holder took (as after a network partition) exits rather than act without it.
    String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC).format(Instant.now());
    k8s.kubectl("patch", "lease", LEASE, "-n", NS, "--type=merge", "-p",
        "{\"spec\":{\"holderIdentity\":\"someone-else\",\"renewTime\":\"" + now + "\",\"leaseDurationSeconds\":60}}").ok();
    await(Duration.ofSeconds(30), () -> !c.isAlive());
    assertThat(Files.readString(c.log())).contains("lost the Lease: exiting");
  }

  @Test
  void theDeployedManifestsRunTwoReplicasWithLeaderElectionAndADisruptionBudget() throws Exception {
    // The API server's own reading of deploy/ (server-side dry run: validated, defaulted, not stored).
    JsonNode answer = JSON.readTree(k8s.kubectl("apply", "--dry-run=server", "-o", "json", "-f", "deploy/operator.yaml",
        "-f", "deploy/poddisruptionbudget.yaml").ok().out());
    JsonNode deployment = null;
    JsonNode pdb = null;
    for (JsonNode item : answer.path("items")) {
      if (item.path("kind").asText().equals("Deployment")) deployment = item;
      if (item.path("kind").asText().equals("PodDisruptionBudget")) pdb = item;
    }
    assertThat(deployment).isNotNull();
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asText()).isEqualTo("0");
    assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("1");
    Map<String, JsonNode> env = new LinkedHashMap<>();
    deployment.at("/spec/template/spec/containers/0/env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env.get("REDISCACHE_LEADER_ELECTION_ENABLED").path("value").asText()).isEqualTo("true");
    assertThat(env.get("POD_NAMESPACE").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
    assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
    assertThat(pdb).isNotNull();
    assertThat(pdb.at("/spec/minAvailable").asText()).isEqualTo("1");
    assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    assertThat(pdb.at("/metadata/namespace").asText()).isEqualTo(deployment.at("/metadata/namespace").asText()).isEqualTo(NS);
  }

  String holder() {
    Proc.Result r = k8s.kubectl("get", "lease", LEASE, "-n", NS, "-o", "jsonpath={.spec.holderIdentity}");
    return r.exit() == 0 ? r.out().trim() : "";
  }

  Map<String, Integer> callsBy(String replica) {
    return aws.callsByAccessKey().getOrDefault("testing-" + replica, Map.of());
  }

  /** JOSDK's count of reconciles started, from the replica's /q/metrics (0 when it has none yet). */
  static double reconcilesStarted(OperatorProcess op) {
    return op.metrics().lines().filter(l -> l.startsWith("operator_sdk_reconciliations_started_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  String cache(String ns, String name) {
    return "apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: " + name + "\n  namespace: " + ns
        + "\nspec:\n  network:\n    subnetIds: [" + ids.get("subnetA") + ", " + ids.get("subnetB") + "]\n"
        + "    allowedCidrBlocks: [10.0.0.0/16]\n";
  }

  Map<String, String> secret(String ns, String name) {
    Proc.Result r = k8s.kubectl("get", "secret", name, "-n", ns, "-o", "json");
    if (r.exit() != 0) return Map.of();
    try {
      Map<String, String> out = new LinkedHashMap<>();
      JsonNode data = JSON.readTree(r.out()).path("data");
      data.fieldNames().forEachRemaining(k -> out.put(k, new String(Base64.getDecoder().decode(data.get(k).asText()), StandardCharsets.UTF_8)));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
