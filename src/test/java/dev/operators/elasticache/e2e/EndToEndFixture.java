package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsIam;
import dev.operators.elasticache.testsupport.OtherAccount;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * The peers every end-to-end class runs against, started once per class (each class its own, so
 * two classes run side by side in failsafe's forks): the extended moto emulator with IAM enforced
 * (the operator an IAM user holding deploy/iam-policy.json, two more AWS accounts for spec.account)
 * and the samples' network made in it, a real kube-apiserver with RBAC on (CRDs from crds/, RBAC from
 * deploy/), and the built operator as its own process under the deploy/ ServiceAccount's identity;
 * then the helpers the tests share. Each class ends with {@link #afterEveryTestNothingIsLeftInAws}.
 *
 * <p>A new end-to-end test goes into the class whose area it belongs to ({@link EndToEndIT},
 * {@link EndToEndDayTwoIT}), or into a new {@code EndToEnd*IT extends EndToEndFixture} with its own
 * {@link #name()}: failsafe runs classes two at a time, so a class of its own runs beside the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EndToEndFixture {
  static final String CLUSTER_ID = "e2e";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

  Path root;
  AwsEmulator aws;
  AwsTestClients clients;
  ControlPlane k8s;
  OperatorProcess operator;
  /** The operator's AWS identity: an IAM user in the emulator holding deploy/iam-policy.json. */
  Map<String, String> operatorAws;
  Map<String, String> ids;
  /** The emulator's default account: the operator's own (its IAM user lives there). */
  static final String OWN_ACCOUNT = "123456789012";
  /** samples/other-account.yaml's account (eu-west-1), and one for the refusal test (us-west-2). */
  OtherAccount partner;
  OtherAccount vault;
  AwsBasicCredentials admin;

  /**
   * This class's peers' name: its control plane's directory ({@code target/control-plane-<name>-<pid>})
   * and its operator's log ({@code target/operator-<name>.log}; a test that restarts the operator
   * logs to {@code target/operator-<name>-restarted.log}).
   */
  abstract String name();

  @BeforeAll
  void start() throws Exception {
    aws = AwsEmulator.start("--creating-seconds", "3", "--modifying-seconds", "2", "--deleting-seconds", "3");
    // moto's IAM access control on: the operator is an IAM user holding deploy/iam-policy.json, so an
    // action the code calls and the policy lacks fails the suite; the tests' own calls use an administrator.
    // Two more AWS accounts (spec.account): their role trusting the operator's account, and their subnets.
    partner = OtherAccount.prepare(aws, "222222222222", Region.EU_WEST_1, OWN_ACCOUNT, Path.of("deploy/iam-policy.json"), CLUSTER_ID,
        "subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88");
    vault = OtherAccount.prepare(aws, "333333333333", Region.US_WEST_2, OWN_ACCOUNT, Path.of("deploy/iam-policy.json"), CLUSTER_ID,
        "subnet-vault-a", "subnet-vault-b");
    AwsIam.Users users = AwsIam.enforce(aws, Path.of("deploy/iam-policy.json"), CLUSTER_ID);
    admin = users.admin();
    // the look at service updates every 5 s, not every 6 hours; a TLS change waits 8 s in preferred, a cluster mode change 8 s in compatible, not 5 minutes
    operatorAws = Map.of("AWS_ACCESS_KEY_ID", users.operator().accessKeyId(), "AWS_SECRET_ACCESS_KEY", users.operator().secretAccessKey(),
        "REDISCACHE_SWEEP_SERVICE_UPDATE_PERIOD", "5s", "REDISCACHE_TLS_MIGRATION_GRACE", "8s",
        "REDISCACHE_CLUSTER_MODE_MIGRATION_GRACE", "8s");
    clients = new AwsTestClients(aws.uri(), users.admin());
    ids = createNetwork(clients);
    ids.putAll(partner.ids);
    k8s = ControlPlane.start(name());
    root = Path.of(System.getProperty("user.dir"));
    k8s.installCrd();
    for (String f : List.of("deploy/namespace.yaml", "deploy/serviceaccount.yaml", "deploy/rbac.yaml")) {
      k8s.kubectl("apply", "-f", f).ok();
    }
    for (String log : List.of(name(), name() + "-restarted")) Files.deleteIfExists(Path.of("target/operator-" + log + ".log"));
    operator = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), CLUSTER_ID, name(), operatorAws);
  }

  @AfterAll
  void stop() {
    if (operator != null) operator.close();
    if (k8s != null) k8s.close();
    if (clients != null) clients.close();
    if (partner != null) partner.close();
    if (vault != null) vault.close();
    if (aws != null) aws.close();
  }

  /** The samples' placeholder ids, replaced by real ones made in the emulator (as a user replaces them with theirs). */
  static Map<String, String> createNetwork(AwsTestClients clients) {
    var ec2 = clients.ec2();
    var created = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc();
    String vpc = created.vpcId();
    String v6 = created.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock();
    String subnetA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
    String subnetB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")).subnet().subnetId();
    // dual-stack subnets (an IPv4 and an IPv6 CIDR block each) for samples/dual-stack.yaml
    String dualA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.3.0/24").ipv6CidrBlock(AwsEmulator.ipv6Subnet(v6, 3))
        .availabilityZone("us-east-1a")).subnet().subnetId();
    String dualB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.4.0/24").ipv6CidrBlock(AwsEmulator.ipv6Subnet(v6, 4))
        .availabilityZone("us-east-1b")).subnet().subnetId();
    // samples/subnet-selector.yaml picks the subnets of the VPC tagged tier: internal (A and B, two zones)
    ec2.createTags(r -> r.resources(subnetA, subnetB).tags(software.amazon.awssdk.services.ec2.model.Tag.builder().key("tier").value("internal").build()));
    String app = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("app").description("the app")).groupId();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("vpc-0123456789abcdef0", vpc);
    m.put("subnet-0a1b2c3d4e5f60718", subnetA);
    m.put("subnet-0f1e2d3c4b5a69788", subnetB);
    m.put("sg-0123456789abcdef0", app);
    m.put("subnet-0d5a1c2e3f4b5d6e7", dualA);
    m.put("subnet-0d5b1c2e3f4b5d6e8", dualB);
    return m;
  }

  String withRealIds(String manifest) {
    String out = manifest;
    for (var e : ids.entrySet()) out = out.replace(e.getKey(), e.getValue());
    return out;
  }

  void assertNothingLeftInAws() {
    for (OtherAccount other : List.of(partner, vault)) {
      assertThat(other.elastiCache(admin).describeReplicationGroups().replicationGroups()).as("account %s", other.id)
          .noneMatch(g -> g.replicationGroupId().startsWith("rc-"));
    }
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups())
        .noneMatch(g -> g.replicationGroupId().startsWith("rc-"));
    assertThat(clients.elastiCache().describeServerlessCaches(r -> { }).serverlessCaches())
        .noneMatch(c -> c.serverlessCacheName().startsWith("rc-"));
    assertThat(clients.elastiCache().describeCacheSubnetGroups().cacheSubnetGroups()).noneMatch(g -> g.cacheSubnetGroupName().startsWith("rc-"));
    assertThat(clients.elastiCache().describeCacheParameterGroups().cacheParameterGroups()).noneMatch(g -> g.cacheParameterGroupName().startsWith("rc-"));
    assertThat(clients.ec2Port().listSecurityGroupsTagged(Names.TAG_CLUSTER, CLUSTER_ID)).isEmpty();
    assertThat(clients.secrets().listSecrets().secretList()).noneMatch(s -> s.name().startsWith("rediscache/" + CLUSTER_ID + "/"));
    assertThat(clients.elastiCache().describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().startsWith("rc-"));
    assertThat(clients.elastiCache().describeUsers(r -> { }).users()).noneMatch(u -> u.userId().startsWith("rc-"));
  }

  /** A plain redis-server on loopback keeping its RDB file in {@code dir} (loaded at start when present). */
  static Process redis(Path server, Path dir, int port) throws Exception {
    Process p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    await(Duration.ofSeconds(10), () -> Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "PING")).out().contains("PONG"));
    return p;
  }

  void patch(String ns, String name, String json) {
    k8s.kubectl("patch", "rediscache", name, "-n", ns, "--type=merge", "-p", json).ok();
  }

  ReplicationGroup group(String id) {
    return clients.elastiCache().describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().get(0);
  }

  String events(String ns, String name) {
    return k8s.kubectl("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + name, "-o", "json").out();
  }

  /** Until the operator has seen the latest generation, Ready is True and nothing is pending. */
  void awaitConverged(String ns, String name) {
    await(READY_TIMEOUT, () -> {
      try {
        JsonNode c = JSON.readTree(k8s.kubectl("get", "rediscache", name, "-n", ns, "-o", "json").ok().out());
        boolean ready = false;
        for (JsonNode cond : c.at("/status/conditions")) {
          if (cond.get("type").asText().equals("Ready") && cond.get("status").asText().equals("True")) ready = true;
        }
        return ready && c.at("/status/observedGeneration").asLong() == c.at("/metadata/generation").asLong()
            && !c.at("/status").has("pendingChanges");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The emulator reports its own endpoint addresses again (after a test pointed them at its redis-server). */
  void clearEndpointOverride() {
    Map<String, Object> clear = new java.util.HashMap<>();
    clear.put("endpointHost", null);
    clear.put("endpointPort", null);
    aws.config(clear);
  }

  /** How often the operator (its IAM user's access key) called this AWS action. */
  int operatorCalls(String action) {
    return aws.callsByAccessKey().getOrDefault(operatorAws.get("AWS_ACCESS_KEY_ID"), Map.of()).getOrDefault(action, 0);
  }

  /** Last in every class that extends this one (its tests have lower orders, or none). */
  @Test
  @Order(Integer.MAX_VALUE)
  void afterEveryTestNothingIsLeftInAws() throws Exception {
    await(Duration.ofSeconds(30), () -> caches().isEmpty());
    assertNothingLeftInAws();
    // Every AWS call the operator made was within deploy/iam-policy.json (moto's IAM check answers AccessDenied otherwise).
    for (String log : List.of(name(), name() + "-restarted")) {
      Path file = Path.of("target/operator-" + log + ".log");
      if (Files.exists(file)) assertThat(Files.readString(file)).as(file.toString()).doesNotContain("not authorized to perform");
    }
    assertThat(k8s.kubectl("get", "events", "-A", "-o", "json").ok().out()).doesNotContain("not authorized to perform");
  }

  // ---------------------------------------------------------------- helpers

  String cache(String ns, String name, String extraSpec) {
    String extra = extraSpec.isBlank() ? "" : "  " + extraSpec + "\n";
    return withRealIds("apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: " + name
        + "\n  namespace: " + ns + "\nspec:\n" + extra + "  network:\n    subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]\n"
        + "    allowedCidrBlocks: [10.0.0.0/16]\n");
  }

  List<JsonNode> caches() {
    try {
      JsonNode list = JSON.readTree(k8s.kubectl("get", "rediscaches", "-A", "-o", "json").ok().out());
      List<JsonNode> out = new ArrayList<>();
      list.get("items").forEach(out::add);
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, String> secret(String ns, String name) {
    Proc.Result r = k8s.kubectl("get", "secret", name, "-n", ns, "-o", "json");
    if (r.exit() != 0) return Map.of();
    try {
      Map<String, String> out = new LinkedHashMap<>();
      JSON.readTree(r.out()).path("data").fields().forEachRemaining(e ->
          out.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String describe(String ns, String name) {
    return k8s.kubectl("get", "rediscache", name, "-n", ns, "-o", "yaml").out()
        + k8s.kubectl("get", "events", "-n", ns).out();
  }

  static void await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
      OperatorProcess.sleep(500);
    }
  }

  static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void makeCertificates(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path d = dir.toAbsolutePath();
    Map<String, String> env = Map.of();
    Proc.run(d, env, null, 60, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=e2e-test-ca")).ok();
    Proc.run(d, env, null, 60, List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")).ok();
    Files.writeString(d.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    Proc.run(d, env, null, 60, List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "ext.cnf")).ok();
  }

  /** Debian's redis-server (.ci/run installs it); a test that needs it is skipped where there is none. */
  static Path redisServer() {
    Path server = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(server).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    return server;
  }

  /**
   * A TLS-only redis-server on {@code port} with the certificates of {@link #makeCertificates} in
   * {@code tls}, the data-plane bridge's admin user, and {@code requirepass} when given (a token).
   */
  static Process tlsRedis(Path redisServer, Path tls, int port, String requirepass) throws Exception {
    List<String> conf = new ArrayList<>(List.of("port 0", "tls-port " + port, "bind 127.0.0.1",
        "tls-cert-file " + tls.resolve("server.crt").toAbsolutePath(), "tls-key-file " + tls.resolve("server.key").toAbsolutePath(),
        "tls-ca-cert-file " + tls.resolve("ca.crt").toAbsolutePath(), "tls-auth-clients no", DataPlaneBridge.ADMIN_CONFIG,
        "save \"\"", "appendonly no", "daemonize no", ""));
    if (requirepass != null) conf.add(0, "requirepass " + requirepass);
    Files.writeString(tls.resolve("redis.conf"), String.join("\n", conf));
    return new ProcessBuilder(redisServer.toString(), tls.resolve("redis.conf").toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(tls.resolve("redis.log").toFile()).start();
  }

  /**
   * A cache's data plane as the tests stand it in for AWS's (the shared setup of every test that
   * talks to a cache with a real client), first its files: a test CA and a server certificate for
   * localhost made in {@code dir} (the CA stands in for the public CA AWS's certificates chain to:
   * the one input from outside the Secret) and a free port; {@link DataPlane#serve} then starts the
   * server. Made before the cache is applied (certificates take a while on a busy machine), so that
   * serve() points the emulator at the server while AWS still creates the group. Skips the test
   * where there is no redis-server.
   */
  DataPlane tlsDataPlane(Path dir) throws Exception {
    Path server = redisServer();
    makeCertificates(dir);
    return new DataPlane(server, dir, freePort());
  }

  /** What {@link #tlsDataPlane} made: close it in a finally. */
  final class DataPlane implements AutoCloseable {
    private final Path server;
    /** The certificates' directory (a test's own files go below it too). */
    final Path dir;
    /** The test CA's certificate, the one an app is given beside the Secret. */
    final Path ca;
    final int port;
    private Process redis;
    private DataPlaneBridge bridge;

    DataPlane(Path server, Path dir, int port) {
      this.server = server;
      this.dir = dir;
      this.ca = dir.resolve("ca.crt");
      this.port = port;
    }

    /**
     * Starts the TLS-only redis-server on {@link #port}, requiring {@code requirepass} when given; for
     * a {@code replicationGroupId}, a {@link DataPlaneBridge} that makes the tokens and users AWS
     * accepts for that group the passwords and users the server accepts (starting from {@code
     * requirepass}); then the emulator reports this server as the caches' endpoint. Returns the
     * bridge (null without a replication group).
     */
    DataPlaneBridge serve(String replicationGroupId, String requirepass) throws Exception {
      redis = tlsRedis(server, dir, port, requirepass);
      if (replicationGroupId != null) {
        bridge = DataPlaneBridge.start(aws, replicationGroupId, port, ca, requirepass == null ? List.of() : List.of(requirepass));
      }
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      return bridge;
    }

    /** Stops the bridge and the server and gives the emulator its own endpoints back. */
    @Override
    public void close() {
      if (bridge != null) bridge.close();
      if (redis != null) redis.destroy();
      clearEndpointOverride();
    }
  }

  /** The replication group as AWS describes it now. */
  software.amazon.awssdk.services.elasticache.model.ReplicationGroup rgOf(String id) {
    return clients.elastiCache().describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().get(0);
  }
}
