package dev.operators.elasticache.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operators.elasticache.aws.IngressRule;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * The whole product against real peers: a real kube-apiserver with RBAC on (CRDs from crds/, RBAC
 * from deploy/), the built operator as its own process under the deploy/ ServiceAccount's identity,
 * the extended moto emulator for AWS, the samples applied with kubectl, and a real redis-server for
 * the data plane.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
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
    k8s = ControlPlane.start("e2e");
    root = Path.of(System.getProperty("user.dir"));
    k8s.installCrd();
    for (String f : List.of("deploy/namespace.yaml", "deploy/serviceaccount.yaml", "deploy/rbac.yaml")) {
      k8s.kubectl("apply", "-f", f).ok();
    }
    for (String log : List.of("e2e", "e2e-restarted")) Files.deleteIfExists(Path.of("target/operator-" + log + ".log"));
    operator = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), CLUSTER_ID, "e2e", operatorAws);
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

  // ---------------------------------------------------------------- samples

  @Test
  @Order(1)
  void everySampleBecomesReadyWithExactlyWhatItAskedFor() throws Exception {
    List<Path> samples;
    try (Stream<Path> s = Files.list(Path.of("samples"))) {
      samples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(5);
    snapshotOfAHandMadeGroup(SAMPLE_SNAPSHOT);
    serverlessSnapshotOfAHandMadeCache(SAMPLE_SERVERLESS_SNAPSHOT);
    for (Path sample : samples) {
      k8s.kubectlWithInput(withRealIds(Files.readString(sample)), "apply", "-f", "-").ok();
    }
    List<JsonNode> caches = caches();
    assertThat(caches).hasSize(samples.size());
    for (JsonNode c : caches) {
      String ns = c.at("/metadata/namespace").asText();
      String name = c.at("/metadata/name").asText();
      Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/" + name, "-n", ns, "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
      assertThat(waited.exit()).as("%s/%s Ready; operator log:\n%s\n%s", ns, name, operator.tail(), describe(ns, name)).isZero();
    }
    for (JsonNode c : caches()) {
      verifyAgainstAws(c);
    }
    // The cost estimate of each sample (Valkey nodes: the us-east-1 Redis OSS price per node-hour - 20%, 730 h).
    Map<String, String> cost = new LinkedHashMap<>(Map.of(
        "games/matchmaking", "1 x cache.t3.micro=9.93",          // 0.017 * 0.8 * 730
        "orders/celery-broker", "1 x cache.t4g.small=18.69",     // 0.032 * 0.8 * 730
        "shop/sessions", "2 x cache.r7g.large=255.79",           // 0.219 * 0.8 * 730 * 2
        "feeds/feed-cache", "4 x cache.r7g.large=511.58",        // 0.219 * 0.8 * 730 * 4
        "analytics/expiring-events", "1 x cache.t4g.medium=37.96", // 0.065 * 0.8 * 730
        "ops/patched", "2 x cache.t4g.small=37.38",              // 0.032 * 0.8 * 730 * 2
        "retail/carts", "2 x cache.t4g.small=37.38",             // 0.032 * 0.8 * 730 * 2
        "carts/carts", "1 x cache.t4g.small=18.69",              // 0.032 * 0.8 * 730
        "features/feature-store", "2 x cache.r6gd.xlarge=912.21", // 0.781 * 0.8 * 730 * 2
        "platform/edge-sessions", "1 x cache.t4g.small=18.69")); // 0.032 * 0.8 * 730
    cost.put("shop-apps/shared", "1 x cache.t4g.small=18.69");     // 0.032 * 0.8 * 730
    cost.put("reports/reporting", "1 x cache.t4g.small=18.69");    // 0.032 * 0.8 * 730
    cost.put("payments/ledger", "1 x cache.t4g.small=19.86");   // in eu-west-1 (its account's region): 0.034 * 0.8 * 730
    // serverless Valkey: at least 0.1 GB (AWS's minimum) x $0.084 per GB-hour x 730 h; at most
    // 10 GB x 0.084 x 730 + 5,000 ECPU/s x 3,600 x 730 / 1e6 x $0.0023 per million
    cost.put("web/storefront-sessions", "serverless Valkey=6.13=643.42");
    // 5 GB x 0.084 x 730 + 1,000 ECPU/s x 3,600 x 730 / 1e6 x $0.0023
    cost.put("staging/storefront-sessions", "serverless Valkey=6.13=312.64");
    cost.put("checkout/checkout-sessions", "serverless Valkey=6.13=312.64"); // as staging/storefront-sessions
    cost.put("agents/agent-memory", "4 x cache.r7g.large=511.58");  // 0.219 * 0.8 * 730 * 4
    cost.put("profiles/profile-cache", "2 x cache.t4g.small=37.38"); // 0.032 * 0.8 * 730 * 2
    cost.put("leaderboards/scores", "2 x cache.t4g.small=37.38");   // 0.032 * 0.8 * 730 * 2
    for (JsonNode c : caches()) {
      String key = c.at("/metadata/namespace").asText() + "/" + c.at("/metadata/name").asText();
      String[] expected = cost.get(key).split("=");
      assertThat(c.at("/status/estimatedMonthlyCost/usd").asText()).as(key).isEqualTo(expected[1]);
      if (c.at("/spec").has("serverless")) {
        assertThat(c.at("/status/estimatedMonthlyCost/note").asText()).as(key)
            .startsWith("at least $" + expected[1] + " (" + expected[0] + " in us-east-1: ").contains("at most $" + expected[2] + " at the limits");
        continue;
      }
      String region = c.at("/spec").has("account") ? "eu-west-1" : "us-east-1";
      assertThat(c.at("/status/estimatedMonthlyCost/note").asText()).as(key).startsWith(expected[0] + " in " + region + ": $")
          .contains("Valkey 20% lower");
      assertThat(c.at("/status/estimatedMonthlyCostUSD").asText()).as(key).isEqualTo(expected[1]);
    }
    // Reconcile metrics are per controller, not per cache: a fleet of 1,000 does not make 80,000 series.
    List<String> josdk = operator.metrics().lines().filter(l -> l.startsWith("operator_sdk_")).toList();
    assertThat(josdk).as("JOSDK's metrics are exported").isNotEmpty();
    for (JsonNode c : caches) {
      String name = c.at("/metadata/name").asText();
      assertThat(josdk).as("no per-cache series").noneMatch(l -> l.contains("name=\"" + name + "\""));
    }
    theIamSampleAppConnectsWithItsSignedTokenOnly();
  }

  /**
   * samples/iam-user.yaml's app, on the cache the sample made: the README's Python example (redis-py +
   * botocore) run verbatim, only its binding directory's path replaced, as an IAM identity holding the
   * policy the operator wrote into the Secret's {@code iamPolicy}. It signs a token and, through
   * {@link IamAuthProxy} (the emulator checks the token, E74) to a redis-server holding the emulator's
   * users ({@link DataPlaneBridge}), writes and reads its keys and is refused another's. A token for
   * another user, an expired one, one signed with a wrong secret and one signed by an identity without
   * elasticache:Connect each get WRONGPASS, for the reason the emulator names.
   */
  void theIamSampleAppConnectsWithItsSignedTokenOnly() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    long started = System.nanoTime();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "reports", "reporting");
    Map<String, String> own = secret("reports", "reporting-reports");
    String user = own.get("username");
    Path tls = Path.of("target/e2e-iam");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt").toAbsolutePath();
    AppClients apps = AppClients.install(root, ca);
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, null);
    DataPlaneBridge bridge = DataPlaneBridge.start(aws, rgId, port, ca, List.of());
    IamAuthProxy proxy = null;
    try {
      await(Duration.ofSeconds(30), () -> bridge.isIamUser(user) && bridge.users().containsKey(user));
      proxy = IamAuthProxy.start(aws, bridge, rgId, port, tls);
      // The endpoint AWS reports is a name nothing listens at here: the binding points at the proxy, the rest is the Secret.
      Map<String, String> binding = new LinkedHashMap<>(own);
      binding.put("host", "localhost");
      binding.put("port", Integer.toString(proxy.port()));
      Path dir = AppClients.bindingDirectory(tls.resolve("bindings"), "reports", binding);
      String readme = Files.readString(Path.of("README.md"));
      int start = readme.indexOf("```python\nimport pathlib, botocore.session, redis");
      assertThat(start).as("the README's IAM example").isPositive();
      String example = readme.substring(start + "```python\n".length(), readme.indexOf("\n```", start) + 1)
          .replace("/bindings/reports", dir.toAbsolutePath().toString());
      AwsBasicCredentials app = AwsIam.appIdentity(aws, admin, "reports-app", own.get("iamPolicy"));
      AwsBasicCredentials noConnect = AwsIam.appIdentity(aws, admin, "reports-app-no-connect",
          own.get("iamPolicy").replace("elasticache:Connect", "elasticache:DescribeUsers"));

      Proc.Result ok = iamApp(apps, ca, app, example + "r.set('reports:daily', '42')\nprint(r.get('reports:daily').decode())\n"
          + "try:\n    r.set('orders:1', 'not mine')\nexcept redis.exceptions.NoPermissionError:\n    print('NOPERM')\n");
      assertThat(ok.exit()).as("the README's example; stderr:\n%s\nverdicts %s", ok.err(), proxy.verdicts()).isZero();
      assertThat(ok.out()).isEqualTo("42\nNOPERM\n");
      assertThat(proxy.verdicts()).containsExactly("valid");
      // redis-py 8 logs in with HELLO 3 AUTH; with RESP2 it sends AUTH <user> <token>
      String resp2 = example.replace("ssl=True,", "ssl=True, protocol=2,");
      assertThat(resp2).isNotEqualTo(example);
      assertThat(iamApp(apps, ca, app, resp2 + "print(r.get('reports:daily').decode())\n").ok().out()).isEqualTo("42\n");
      assertThat(proxy.verdicts()).containsExactly("valid", "valid");

      // a refused login is not retried (redis-py 8 retries one with back-off, its AuthenticationError being a ConnectionError)
      String once = "import redis.retry, redis.backoff\n" + example.replace("ssl=True,", "ssl=True, retry=redis.retry.Retry(redis.backoff.NoBackoff(), 0),");
      String otherUser = once.replace("\"User\": b[\"username\"]", "\"User\": \"rc-someone-else\"");
      String clock = "import datetime, unittest.mock, botocore.auth\nunittest.mock.patch.object(botocore.auth, 'get_current_datetime', "
          + "return_value=datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=16)).start()\n";
      assertThat(otherUser).isNotEqualTo(once);
      // the four at once
      AwsBasicCredentials wrongSecret = AwsBasicCredentials.create(app.accessKeyId(), "x" + app.secretAccessKey().substring(1));
      List<java.util.concurrent.CompletableFuture<Proc.Result>> refusing = List.of(
          java.util.concurrent.CompletableFuture.supplyAsync(() -> iamApp(apps, ca, app, otherUser + "r.ping()\n")),
          java.util.concurrent.CompletableFuture.supplyAsync(() -> iamApp(apps, ca, app, clock + once + "r.ping()\n")),
          java.util.concurrent.CompletableFuture.supplyAsync(() -> iamApp(apps, ca, wrongSecret, once + "r.ping()\n")),
          java.util.concurrent.CompletableFuture.supplyAsync(() -> iamApp(apps, ca, noConnect, once + "r.ping()\n")));
      for (Proc.Result r : refusing.stream().map(java.util.concurrent.CompletableFuture::join).toList()) {
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("AuthenticationError").contains("invalid username-password pair");
      }
      assertThat(proxy.verdicts().stream().distinct().toList()).containsExactlyInAnyOrder("valid",
          "refused: the token is signed for the user rc-someone-else, not " + user,
          "refused: the token has expired",
          "refused: the signature does not match",
          "refused: arn:aws:iam::" + OWN_ACCOUNT + ":user/reports-app-no-connect is not allowed elasticache:Connect on " + rgOf(rgId).arn());
      System.out.printf("samples/iam-user.yaml's app on the data plane: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    } finally {
      if (proxy != null) proxy.close();
      bridge.close();
      redis.destroy();
    }
  }

  /** A Python app with these AWS credentials in its environment (as IRSA or Pod Identity would give them) and the test CA trusted. */
  static Proc.Result iamApp(AppClients apps, Path ca, AwsBasicCredentials creds, String script) {
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", creds.accessKeyId(), "AWS_SECRET_ACCESS_KEY", creds.secretAccessKey(),
        "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_EC2_METADATA_DISABLED", "true",
        "SSL_CERT_FILE", ca.toString(), "PYTHONDONTWRITEBYTECODE", "1");
    return Proc.run(Path.of("."), env, script, 60, List.of(apps.python().toString(), "-"));
  }

  /** The snapshot samples/restore-from-snapshot.yaml restores from, as a user has it in their account. */
  static final String SAMPLE_SNAPSHOT = "carts-before-migration";

  /** The serverless snapshot samples/serverless-restore.yaml restores from. */
  static final String SAMPLE_SERVERLESS_SNAPSHOT = "storefront-nightly";

  /** A serverless cache made by hand, deleted with a final snapshot: only the snapshot stays. */
  void serverlessSnapshotOfAHandMadeCache(String snapshotName) {
    var ec = clients.elastiCache();
    String source = "hand-made-storefront";
    ec.createServerlessCache(r -> r.serverlessCacheName(source).engine("valkey").majorEngineVersion("8")
        .subnetIds(ids.get("subnet-0a1b2c3d4e5f60718"), ids.get("subnet-0f1e2d3c4b5a69788")));
    await(Duration.ofSeconds(60), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(source)).serverlessCaches().get(0).status().equals("available"));
    ec.deleteServerlessCache(r -> r.serverlessCacheName(source).finalSnapshotName(snapshotName));
  }

  /** A snapshot of a group made by hand (not by the operator), which is then deleted: only the snapshot stays. */
  void snapshotOfAHandMadeGroup(String snapshotName) {
    var ec = clients.elastiCache();
    String source = "hand-made-carts";
    ec.createReplicationGroup(r -> r.replicationGroupId(source).replicationGroupDescription("made by hand").engine("valkey")
        .engineVersion("8.0").cacheNodeType("cache.t4g.micro").numCacheClusters(1));
    await(Duration.ofSeconds(60), () -> ec.describeReplicationGroups(r -> r.replicationGroupId(source)).replicationGroups().get(0).status().equals("available"));
    ec.createSnapshot(r -> r.replicationGroupId(source).snapshotName(snapshotName));
    await(Duration.ofSeconds(60), () -> ec.describeSnapshots(r -> r.snapshotName(snapshotName)).snapshots().get(0).snapshotStatus().equals("available"));
    await(Duration.ofSeconds(60), () -> ec.describeReplicationGroups(r -> r.replicationGroupId(source)).replicationGroups().get(0).status().equals("available"));
    ec.deleteReplicationGroup(r -> r.replicationGroupId(source));
  }

  void verifyAgainstAws(JsonNode c) throws Exception {
    String ns = c.at("/metadata/namespace").asText();
    String name = c.at("/metadata/name").asText();
    JsonNode spec = c.get("spec");
    JsonNode status = c.get("status");
    String rgId = Names.replicationGroupId(CLUSTER_ID, ns, name);
    assertThat(status.at("/replicationGroupId").asText()).isEqualTo(rgId);
    assertThat(status.at("/observedGeneration").asLong()).isEqualTo(c.at("/metadata/generation").asLong());
    if (spec.has("account")) {
      verifyInOtherAccount(partner, ns, name, rgId);
      return;
    }
    if (spec.has("serverless")) {
      verifyServerless(c, rgId);
      return;
    }

    int shards = spec.path("shards").asInt(1);
    int replicas = spec.path("replicasPerShard").asInt(0);
    boolean tls = spec.path("tls").asBoolean(true);
    boolean auth = spec.path("auth").path("enabled").asBoolean(true);
    boolean atRest = spec.path("atRestEncryption").path("enabled").asBoolean(true);
    boolean multiAZ = spec.path("multiAZ").asBoolean(false);
    int port = spec.path("port").asInt(6379);
    String engine = spec.path("engine").asText("valkey");

    ReplicationGroup rg = clients.elastiCache().describeReplicationGroups(r -> r.replicationGroupId(rgId)).replicationGroups().get(0);
    assertThat(rg.status()).isEqualTo("available");
    assertThat(rg.cacheNodeType()).isEqualTo(spec.path("nodeType").asText("cache.t4g.micro"));
    assertThat(rg.nodeGroups()).hasSize(shards);
    assertThat(rg.memberClusters()).hasSize(shards * (1 + replicas));
    String clusterMode = spec.path("clusterMode").asText(shards > 1 ? "Enabled" : "Disabled");
    assertThat(Boolean.TRUE.equals(rg.clusterEnabled())).isEqualTo(clusterMode.equals("Enabled"));
    assertThat(rg.clusterModeAsString()).isEqualTo(clusterMode.toLowerCase());
    if (!clusterMode.equals("Disabled")) assertThat(rg.configurationEndpoint()).isNotNull();
    assertThat(rg.automaticFailoverAsString()).isEqualTo(replicas >= 1 ? "enabled" : "disabled");
    assertThat(rg.multiAZAsString()).isEqualTo(multiAZ ? "enabled" : "disabled");
    assertThat(rg.transitEncryptionEnabled()).isEqualTo(tls);
    assertThat(rg.atRestEncryptionEnabled()).isEqualTo(atRest);
    assertThat(rg.authTokenEnabled()).isEqualTo(auth);
    assertThat(rg.snapshotRetentionLimit()).isEqualTo(spec.path("backups").path("retentionDays").asInt(0));
    if (spec.path("backups").has("window")) assertThat(rg.snapshotWindow()).isEqualTo(spec.at("/backups/window").asText());
    assertThat(rg.engine()).isEqualTo(engine);
    // restoreFrom: AWS was asked to seed the group from it, and status says so.
    JsonNode restore = aws.restoreInfo(rgId);
    if (spec.has("restoreFrom")) {
      String snapshot = spec.at("/restoreFrom/snapshotName").asText();
      assertThat(restore.path("snapshotName").asText()).isEqualTo(snapshot);
      assertThat(status.at("/restoredFrom").asText()).isEqualTo("snapshot " + snapshot);
    } else {
      assertThat(restore.path("snapshotName").isNull()).isTrue();
      assertThat(status.has("restoredFrom")).isFalse();
    }
    assertThat(rg.dataTieringAsString()).isEqualTo(spec.path("dataTiering").asBoolean(false) ? "enabled" : "disabled");
    // durability: sent only when asked; AWS reports it in effect, with the encryption at rest it turned on
    String durability = spec.path("durability").asText("").toLowerCase();
    assertThat(rg.durabilityAsString()).isEqualTo(durability.isEmpty() ? null : durability);
    assertThat(rg.effectiveDurabilityAsString()).isEqualTo(durability.isEmpty() ? "disabled" : durability);
    assertThat(status.at("/durability").asText()).isEqualTo(rg.effectiveDurabilityAsString());
    assertThat(rg.storageEncryptionTypeAsString()).isEqualTo(atRest || !durability.isEmpty() ? "sse-elasticache" : "none");
    assertThat(status.at("/storageEncryption").asText()).isEqualTo(rg.storageEncryptionTypeAsString());
    String networkType = spec.at("/network/networkType").asText("ipv4");
    assertThat(rg.networkTypeAsString()).isEqualTo(networkType);
    assertThat(rg.ipDiscoveryAsString()).isEqualTo(spec.at("/network/ipDiscovery").asText(networkType.equals("ipv6") ? "ipv6" : "ipv4"));

    CacheCluster member = clients.elastiCache().describeCacheClusters(r -> r.cacheClusterId(rg.memberClusters().get(0))).cacheClusters().get(0);
    String version = spec.path("engineVersion").asText(engine.equals("valkey") ? "8.0" : "7.1");
    assertThat(member.engineVersion()).startsWith(version + ".");
    assertThat(status.at("/engineVersion").asText()).isEqualTo(member.engineVersion());
    assertThat(member.cacheSubnetGroupName()).isEqualTo(rgId);
    String sgId = status.at("/securityGroupId").asText();
    assertThat(member.securityGroups()).extracting(m -> m.securityGroupId()).containsExactly(sgId);
    if (spec.has("maintenanceWindow")) assertThat(member.preferredMaintenanceWindow()).isEqualTo(spec.get("maintenanceWindow").asText());

    // Security group: exactly the ingress asked for, on the cache port.
    Set<IngressRule> expected = new HashSet<>();
    spec.at("/network/allowedSecurityGroupIds").forEach(g -> expected.add(IngressRule.fromGroup(port, g.asText())));
    spec.at("/network/allowedCidrBlocks").forEach(cidr -> expected.add(IngressRule.fromCidr(port, cidr.asText())));
    var sg = clients.ec2Port().findSecurityGroup(ids.get("vpc-0123456789abcdef0"), Names.securityGroupName(CLUSTER_ID, ns, name)).orElseThrow();
    assertThat(sg.groupId()).isEqualTo(sgId);
    assertThat(sg.ingress()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(sg.tags()).containsEntry(Names.TAG_UID, c.at("/metadata/uid").asText()).containsEntry(Names.TAG_CLUSTER, CLUSTER_ID);

    // Subnet group: the subnets asked for (by id, or those the selector picked: A and B carry tier: internal).
    var subnetGroup = clients.elastiCachePort().findSubnetGroup(rgId).orElseThrow();
    List<String> subnets = subnetsAskedFor(spec, status);
    assertThat(subnetGroup.subnetIds()).containsExactlyInAnyOrderElementsOf(subnets);

    // Parameter group: the parameters asked for.
    if (spec.has("parameters")) {
      String pg = status.at("/parameterGroupName").asText();
      assertThat(member.cacheParameterGroup().cacheParameterGroupName()).isEqualTo(pg);
      // Of the family AWS lists for the engine version (valkey9 for the Valkey 9.1 sample).
      String family = clients.elastiCachePort().describeEngineVersions().stream()
          .filter(v -> v.engine().equals(engine) && dev.operators.elasticache.decide.EngineVersions.sameMinor(v.version(), member.engineVersion()))
          .map(dev.operators.elasticache.aws.EngineVersionInfo::family).findFirst().orElseThrow();
      assertThat(clients.elastiCachePort().findParameterGroup(pg).orElseThrow().family()).isEqualTo(family);
      Map<String, String> params = clients.elastiCachePort().userParameters(pg);
      spec.get("parameters").fields().forEachRemaining(e -> assertThat(params).containsEntry(e.getKey(), e.getValue().asText()));
    }

    // The Secret: the keys an app needs, and the token AWS holds.
    Map<String, String> secret = secret(ns, spec.at("/connectionSecret/name").asText(name + "-redis"));
    String host = secret.get("host");
    assertThat(host).isNotBlank();
    assertThat(secret).containsEntry("port", Integer.toString(port)).containsEntry("tls", Boolean.toString(tls))
        .containsEntry("clusterMode", Boolean.toString(!clusterMode.equals("Disabled")));
    if (auth) {
      String token = secret.get("password");
      assertThat(token).hasSize(64);
      assertThat(secret.get("url")).isEqualTo("rediss://:" + token + "@" + host + ":" + port);
      assertThat(aws.authTokens(rgId)).containsExactly(token);
      String stored = clients.secrets().getSecretValue(r -> r.secretId(Names.authSecretName(CLUSTER_ID, ns, name))).secretString();
      assertThat(stored).isEqualTo(token);
      assertThat(c.toString()).doesNotContain(token);
    } else {
      assertThat(secret).doesNotContainKey("password");
      assertThat(secret.get("url")).isEqualTo((tls ? "rediss://" : "redis://") + host + ":" + port);
    }
    // spec.users: the cache's user group on the group, and each app's Secret with a password AWS holds for its user
    if (spec.has("users")) {
      assertThat(rg.userGroupIds()).containsExactly(status.at("/userGroupId").asText());
      Map<String, List<String>> accepted = aws.acceptedUsers(rgId);
      List<String> names = new ArrayList<>();
      for (JsonNode u : spec.get("users")) {
        String user = u.get("name").asText();
        Map<String, String> own = secret(ns, name + "-" + user);
        if ("iam".equals(u.path("authentication").asText("password"))) {
          // no password: the app signs a token; AWS's IAM user is named by its id
          assertThat(own).doesNotContainKey("password").containsEntry("region", "us-east-1").containsEntry("cacheName", rgId)
              .containsEntry("url", "rediss://" + host + ":" + port);
          assertThat(own.get("username")).startsWith("rc-");
          assertThat(own.get("iamPolicy")).contains("elasticache:Connect").contains(rg.arn()).contains(":user:" + own.get("username"));
          names.add(own.get("username"));
          continue;
        }
        names.add(user);
        assertThat(own).containsEntry("username", user).containsEntry("host", host)
            .containsEntry("url", "rediss://" + user + ":" + own.get("password") + "@" + host + ":" + port);
        assertThat(accepted.get(user)).containsExactly(own.get("password"));
        assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.userSecretName(Names.authSecretName(CLUSTER_ID, ns, name), user)))
            .secretString()).as("kept in Secrets Manager too").isEqualTo(own.get("password"));
        assertThat(c.toString()).doesNotContain(own.get("password"));
      }
      assertThat(accepted).as("the group's default user is disabled").containsOnlyKeys(names.toArray(String[]::new));
    }
    if (replicas > 0 && clusterMode.equals("Disabled")) assertThat(secret.get("readerHost")).isNotBlank();
    else assertThat(secret).doesNotContainKey("readerHost");
    spec.at("/connectionSecret/template").fields().forEachRemaining(e ->
        assertThat(secret.get(e.getKey())).isEqualTo(e.getValue().asText().replace("{{ .url }}", secret.get("url"))));
  }

  /**
   * The subnets a sample asked for: its subnetIds, or for a subnetSelector the subnets the test tagged
   * tier: internal (A and B), which status.network must show with their zones.
   */
  List<String> subnetsAskedFor(JsonNode spec, JsonNode status) {
    List<String> subnets = new ArrayList<>();
    spec.at("/network/subnetIds").forEach(s -> subnets.add(s.asText()));
    if (spec.at("/network").has("subnetSelector")) {
      assertThat(spec.at("/network/subnetSelector/tags/tier").asText()).isEqualTo("internal");
      subnets.addAll(List.of(ids.get("subnet-0a1b2c3d4e5f60718"), ids.get("subnet-0f1e2d3c4b5a69788")));
      List<String> shown = new ArrayList<>();
      status.at("/network/subnetIds").forEach(s -> shown.add(s.asText()));
      assertThat(shown).isEqualTo(subnets.stream().sorted().toList());
      assertThat(status.at("/network/availabilityZones").toString()).isEqualTo("[\"us-east-1a\",\"us-east-1b\"]");
    }
    return subnets;
  }

  /** A serverless sample: the serverless cache AWS has, its security group on both ports, and the Secret. */
  void verifyServerless(JsonNode c, String name) {
    String ns = c.at("/metadata/namespace").asText();
    JsonNode spec = c.get("spec");
    JsonNode status = c.get("status");
    var cache = clients.elastiCache().describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0);
    assertThat(cache.status()).isEqualTo("available");
    assertThat(cache.engine()).isEqualTo(spec.path("engine").asText("valkey"));
    assertThat(cache.cacheUsageLimits().dataStorage().maximum()).isEqualTo(spec.at("/serverless/maxDataStorageGB").asInt());
    assertThat(cache.cacheUsageLimits().ecpuPerSecond().maximum()).isEqualTo(spec.at("/serverless/maxECPUPerSecond").asInt());
    assertThat(cache.snapshotRetentionLimit()).isEqualTo(spec.at("/backups/retentionDays").asInt(0));
    assertThat(cache.dailySnapshotTime()).isEqualTo(spec.at("/backups/window").asText().split("-")[0]);
    List<String> subnets = subnetsAskedFor(spec, status);
    assertThat(cache.subnetIds()).containsExactlyInAnyOrderElementsOf(subnets);
    String sgId = status.at("/securityGroupId").asText();
    assertThat(cache.securityGroupIds()).containsExactly(sgId);
    assertThat(clients.elastiCachePort().tagsOf(cache.arn())).containsEntry(Names.TAG_UID, c.at("/metadata/uid").asText());
    assertThat(status.at("/replicationGroupArn").asText()).isEqualTo(cache.arn());
    assertThat(status.at("/endpoint").asText()).isEqualTo(cache.endpoint().address() + ":" + cache.endpoint().port());
    assertThat(status.at("/readerEndpoint").asText()).isEqualTo(cache.readerEndpoint().address() + ":" + cache.readerEndpoint().port());
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(name));
    // restoreFrom: the serverless snapshot's ARN was sent as SnapshotArnsToRestore, and the status says so
    if (spec.has("restoreFrom")) {
      String snapshot = spec.at("/restoreFrom/snapshotName").asText();
      String arn = clients.elastiCache().describeServerlessCacheSnapshots(r -> r.serverlessCacheSnapshotName(snapshot)).serverlessCacheSnapshots().get(0).arn();
      assertThat(aws.serverlessRestoredFrom(name)).containsExactly(arn);
      assertThat(status.at("/restoredFrom").asText()).isEqualTo("snapshot " + snapshot);
    } else {
      assertThat(aws.serverlessRestoredFrom(name)).isEmpty();
      assertThat(status.has("restoredFrom")).isFalse();
    }
    // the app's security group may reach both ports: 6379, and 6380 for reads from replicas
    Set<IngressRule> expected = new HashSet<>();
    for (int port : List.of(6379, 6380)) {
      spec.at("/network/allowedSecurityGroupIds").forEach(g -> expected.add(IngressRule.fromGroup(port, g.asText())));
    }
    var sg = clients.ec2Port().findSecurityGroup(ids.get("vpc-0123456789abcdef0"), Names.securityGroupName(CLUSTER_ID, ns, c.at("/metadata/name").asText())).orElseThrow();
    assertThat(sg.ingress()).containsExactlyInAnyOrderElementsOf(expected);
    // spec.users (E66): the cache uses its user group, and each app's Secret holds a password AWS accepts for its user
    if (spec.has("users")) {
      assertThat(cache.userGroupId()).isEqualTo(status.at("/userGroupId").asText()).startsWith("rc-");
      Map<String, List<String>> accepted = aws.acceptedServerlessUsers(name);
      assertThat(accepted).as("the group's default user is disabled").hasSize(spec.get("users").size());
      for (JsonNode u : spec.get("users")) {
        Map<String, String> app = secret(ns, c.at("/metadata/name").asText() + "-" + u.get("name").asText());
        assertThat(app).containsEntry("username", u.get("name").asText()).containsEntry("host", cache.endpoint().address())
            .containsEntry("readerPort", "6380").containsEntry("tls", "true");
        assertThat(accepted.get(u.get("name").asText())).containsExactly(app.get("password"));
      }
    } else {
      assertThat(cache.userGroupId()).isNull();
    }
    // The Secret: TLS always, no password (AWS takes no AUTH token for a serverless cache).
    Map<String, String> secret = secret(ns, c.at("/metadata/name").asText() + "-redis");
    assertThat(secret).containsEntry("host", cache.endpoint().address()).containsEntry("port", "6379")
        .containsEntry("readerHost", cache.readerEndpoint().address()).containsEntry("readerPort", "6380")
        .containsEntry("tls", "true").containsEntry("url", "rediss://" + cache.endpoint().address() + ":6379")
        .doesNotContainKey("password");
  }

  @Test
  @Order(2)
  void deletingTheSamplesRemovesEverythingTheOperatorCreated() {
    List<JsonNode> before = caches();
    assertThat(before).isNotEmpty();
    k8s.kubectl("delete", "rediscaches", "--all", "--all-namespaces", "--wait=true", "--timeout=180s").ok();
    assertThat(caches()).isEmpty();
    assertNothingLeftInAws();
  }

  /**
   * A cache in another account (spec.account): its replication group is there, in that account's
   * region, named and tagged as anywhere else, and not in the operator's own account.
   */
  void verifyInOtherAccount(OtherAccount account, String ns, String name, String rgId) {
    ReplicationGroup rg = account.elastiCache(admin).describeReplicationGroups(r -> r.replicationGroupId(rgId)).replicationGroups().get(0);
    assertThat(rg.status()).isEqualTo("available");
    assertThat(rg.arn()).isEqualTo("arn:aws:elasticache:" + account.region.id() + ":" + account.id + ":replicationgroup:" + rgId);
    assertThat(account.elastiCache(admin).listTagsForResource(r -> r.resourceName(rg.arn())).tagList())
        .anyMatch(t -> t.key().equals(Names.TAG_NAMESPACE) && t.value().equals(ns))
        .anyMatch(t -> t.key().equals(Names.TAG_NAME) && t.value().equals(name));
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).as("not in the operator's own account")
        .noneMatch(g -> g.replicationGroupId().equals(rgId));
    assertThat(secret(ns, name + "-redis")).containsKeys("host", "password", "url");
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

  // ---------------------------------------------------------------- validation

  @Test
  @Order(3)
  void theApiServerRefusesInvalidSpecsWithMessagesThatSayWhatToDo() {
    Map<String, String> invalid = Map.of(
        "multiAZ: true\n  replicasPerShard: 0", "multiAZ needs replicasPerShard >= 1",
        "tls: false", "auth needs tls",
        "replicasPerShard: 9", "spec.replicasPerShard",
        "tags: {\"aws:team\": x}", "tags: keys starting with aws: or elasticache.operators.dev/ are reserved");
    for (var e : invalid.entrySet()) {
      Proc.Result r = k8s.kubectlWithInput(cache("default", "invalid", e.getKey()), "apply", "--dry-run=server", "-f", "-");
      assertThat(r.exit()).as(e.getKey()).isNotZero();
      assertThat(r.err()).as(e.getKey()).contains(e.getValue());
    }
    Proc.Result both = k8s.kubectlWithInput(cache("default", "invalid", "").replace("    subnetIds:", "    subnetGroupName: theirs\n    subnetIds:"),
        "apply", "--dry-run=server", "-f", "-");
    assertThat(both.err()).contains("give exactly one subnet source");

    // Immutable fields: the first apply is accepted; the change is refused.
    k8s.kubectlWithInput(cache("default", "fixed", "nodeType: cache.t4g.micro"), "apply", "-f", "-").ok();
    Proc.Result port = k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"port\":6380}}");
    assertThat(port.exit()).isNotZero();
    assertThat(port.err()).contains("port is immutable");
    Proc.Result cluster = k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"shards\":3,\"clusterMode\":\"Compatible\"}}");
    assertThat(cluster.err()).contains("shards > 1 needs clusterMode Enabled");
    Proc.Result atRest = k8s.kubectl("patch", "rediscache", "fixed", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"atRestEncryption\":{\"enabled\":false}}}");
    assertThat(atRest.err()).contains("atRestEncryption is immutable");
    k8s.kubectl("delete", "rediscache", "fixed", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(4)
  void aSpecTheApiServerCannotJudgeIsStalledAndNothingIsCreated() {
    aws.clearCalls();
    k8s.kubectlWithInput(cache("default", "oldversion", "engineVersion: \"6.2\""), "apply", "-f", "-").ok();
    k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/oldversion", "-n", "default", "--timeout=60s").ok();
    String message = k8s.kubectl("get", "rediscache", "oldversion", "-n", "default", "-o", "jsonpath={.status.conditions[?(@.type==\"Stalled\")].message}").ok().out();
    // The versions AWS offers, read from AWS (the emulator's DescribeCacheEngineVersions), not a list in the operator.
    assertThat(message).contains("spec.engineVersion").contains("valkey").contains("AWS offers [7.2, 8.0, 8.1, 8.2, 9.0, 9.1]");
    assertThat(aws.calls().keySet()).noneMatch(k -> k.contains("Create"));
    k8s.kubectl("delete", "rediscache", "oldversion", "-n", "default", "--timeout=60s").ok();
  }

  // ---------------------------------------------------------------- faults

  @Test
  @Order(5)
  void aThrottlingBurstDuringCreationStillEndsReadyWithNoDuplicate() {
    // In the operator's own account: AWS throttles each account on its own, and the poller of the
    // samples' other account (spec.account) must not spend this account's throttles.
    aws.throttleIn(OWN_ACCOUNT, "elasticache", 12);
    aws.throttleIn(OWN_ACCOUNT, "ec2", 4);
    k8s.kubectlWithInput(cache("default", "throttled", ""), "apply", "-f", "-").ok();
    Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/throttled", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
    assertThat(waited.exit()).as(operator.tail()).isZero();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "throttled");
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    assertThat(clients.ec2Port().listSecurityGroupsTagged(Names.TAG_NAME, "throttled")).hasSize(1);
    String events = k8s.kubectl("get", "events", "-n", "default", "--field-selector", "involvedObject.name=throttled", "-o", "json").ok().out();
    assertThat(events).contains("Rate exceeded");
    aws.clearFaults();
    k8s.kubectl("delete", "rediscache", "throttled", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(6)
  void theOperatorKilledMidCreationEndsReadyWithTheSameTokenAndNoDuplicate() throws Exception {
    aws.config(Map.of("creatingSeconds", 25));
    aws.clearCalls();
    k8s.kubectlWithInput(cache("default", "crashy", ""), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "crashy");
    await(Duration.ofSeconds(60), () -> clients.elastiCache().describeReplicationGroups().replicationGroups().stream()
        .anyMatch(g -> g.replicationGroupId().equals(rgId) && g.status().equals("creating")));
    String token = secret("default", "crashy-redis").get("password");
    assertThat(token).hasSize(64);
    operator.kill();
    aws.config(Map.of("creatingSeconds", 3));
    operator = OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), CLUSTER_ID, "e2e-restarted", operatorAws);
    Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/crashy", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
    assertThat(waited.exit()).as(operator.tail()).isZero();
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    assertThat(aws.authTokens(rgId)).containsExactly(token);
    assertThat(secret("default", "crashy-redis")).containsEntry("password", token);
    assertThat(aws.calls("secretsmanager", "CreateSecret")).isEqualTo(1);
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isEqualTo(1);
    k8s.kubectl("delete", "rediscache", "crashy", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(7)
  void aDeletedSecretIsWrittenAgainWithTheSameToken() {
    k8s.kubectlWithInput(cache("default", "rewrite", ""), "apply", "-f", "-").ok();
    k8s.kubectl("wait", "--for=condition=Ready", "rediscache/rewrite", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
    String token = secret("default", "rewrite-redis").get("password");
    k8s.kubectl("delete", "secret", "rewrite-redis", "-n", "default").ok();
    await(Duration.ofSeconds(60), () -> k8s.kubectl("get", "secret", "rewrite-redis", "-n", "default").exit() == 0);
    await(Duration.ofSeconds(30), () -> secret("default", "rewrite-redis").containsKey("host"));
    assertThat(secret("default", "rewrite-redis")).containsEntry("password", token);
    k8s.kubectl("delete", "rediscache", "rewrite", "-n", "default", "--timeout=120s").ok();
  }

  // ---------------------------------------------------------------- data plane

  @Test
  @Order(8)
  void appsUsingOnlyTheSecretConnectWithTheirOwnClientsAndSurviveARotation() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-tls");
    makeCertificates(tls);
    // The CA stands in for the public CA AWS's certificates chain to: the one input from outside the Secret.
    Path ca = tls.resolve("ca.crt");
    AppClients apps = AppClients.install(root, ca);

    k8s.kubectlWithInput(cache("default", "dataplane", "auth: {enabled: true, rotation: {gracePeriod: 20s}}"), "apply", "-f", "-").ok();
    await(Duration.ofSeconds(60), () -> secret("default", "dataplane-redis").containsKey("password"));
    String token = secret("default", "dataplane-redis").get("password");
    int port = freePort();
    Path conf = tls.resolve("redis.conf");
    // The server trusts only the test CA's certificate chain, serves TLS only, and requires the password.
    Files.writeString(conf, String.join("\n", "port 0", "tls-port " + port, "bind 127.0.0.1",
        "tls-cert-file " + tls.resolve("server.crt").toAbsolutePath(), "tls-key-file " + tls.resolve("server.key").toAbsolutePath(),
        "tls-ca-cert-file " + ca.toAbsolutePath(), "tls-auth-clients no", "requirepass " + token,
        DataPlaneBridge.ADMIN_CONFIG,
        "save \"\"", "appendonly no", "daemonize no", "") );
    Process redis = new ProcessBuilder(redisServer.toString(), conf.toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(tls.resolve("redis.log").toFile()).start();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "dataplane");
    // Stands in for AWS's data plane: the tokens the emulator's group accepts become the passwords redis accepts.
    DataPlaneBridge bridge = DataPlaneBridge.start(aws, rgId, port, ca, List.of(token));
    Path bindings = tls.resolve("bindings");
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/dataplane", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> ("localhost").equals(secret("default", "dataplane-redis").get("host")));
      Map<String, String> mounted = secret("default", "dataplane-redis");
      // The Provisioned Service duck type: a ServiceBinding finds the Secret through status.binding.name.
      JsonNode rc = JSON.readTree(k8s.kubectl("get", "rediscache", "dataplane", "-n", "default", "-o", "json").ok().out());
      assertThat(rc.at("/status/binding/name").asText()).isEqualTo("dataplane-redis");
      assertThat(mounted).containsEntry("type", "redis").containsEntry("provider", "aws-elasticache").containsEntry("ssl", "true")
          .containsEntry("pythonUrl", mounted.get("url") + "?ssl_cert_reqs=required");
      AppClients.bindingDirectory(bindings, "dataplane-redis", mounted);

      // Each app's own client, given only the Secret's keys (and the CA), talks TLS + AUTH to the server.
      assertThat(apps.redisPy(bindings, "from:redis-py", "hello from redis-py").ok().out()).isEqualTo("hello from redis-py\n");
      assertThat(apps.djangoRedis(mounted.get("pythonUrl"), "from:django", "hello from django-redis").ok().out()).isEqualTo("hello from django-redis\n");
      assertThat(apps.ioredis(mounted.get("url"), "from:ioredis", "hello from ioredis").ok().out()).isEqualTo("hello from ioredis\n");
      assertThat(apps.celery(mounted.get("pythonUrl")).ok().out()).contains("add(2, 3) = 5");
      assertThat(apps.lettuce(bindings, "set", "greeting", "hello from Lettuce").ok().out()).isEqualTo("hello from Lettuce\n");
      // They all wrote to this server: one client reads what the others wrote.
      assertThat(apps.lettuce(bindings, "get", "from:redis-py").ok().out()).isEqualTo("hello from redis-py\n");
      assertThat(apps.lettuce(bindings, "get", "from:ioredis").ok().out()).isEqualTo("hello from ioredis\n");
      assertThat(apps.lettuce(bindings, "keys", "*from:django").ok().out()).isEqualTo("1\n");
      assertThat(apps.lettuce(bindings, "keys", "celery-task-meta-*").ok().out()).isEqualTo("1\n");

      // Why pythonUrl: Celery's Redis backend refuses a rediss:// URL without ssl_cert_reqs.
      Proc.Result celeryPlain = apps.celery(mounted.get("url"));
      assertThat(celeryPlain.exit()).isNotZero();
      assertThat(celeryPlain.err()).contains("ssl_cert_reqs");
      // Without the token the server refuses to serve; a client that does not trust the CA refuses the server.
      Path noPassword = tls.resolve("no-password");
      AppClients.bindingDirectory(noPassword, "dataplane-redis", withoutKey(mounted, "password"));
      Proc.Result intruder = apps.lettuce(noPassword, "get", "greeting");
      assertThat(intruder.exit()).isNotZero();
      assertThat(intruder.err()).contains("NOAUTH");
      Proc.Result untrusted = Proc.run(root, Map.of("REDIS_URL", mounted.get("pythonUrl"), "SSL_CERT_FILE", "/dev/null"), null, 60,
          List.of(apps.python().toString(), "test/app-clients/django_app.py", "k", "v"));
      assertThat(untrusted.exit()).isNotZero();
      assertThat(untrusted.err()).contains("CERTIFICATE_VERIFY_FAILED");
      for (Proc.Result r : List.of(celeryPlain, intruder, untrusted)) assertThat(r.out() + r.err()).doesNotContain(token);

      // A rotation: apps holding the old token keep working through the grace period, then only the new one works.
      Path before = tls.resolve("before");
      AppClients.bindingDirectory(before, "dataplane-redis", mounted);
      k8s.kubectl("annotate", "rediscache", "dataplane", "-n", "default", "elasticache.operators.dev/rotate-token=now").ok();
      await(Duration.ofSeconds(60), () -> !token.equals(secret("default", "dataplane-redis").get("password")));
      Map<String, String> after = secret("default", "dataplane-redis");
      String fresh = after.get("password");
      await(Duration.ofSeconds(10), () -> bridge.tokens().contains(fresh));
      AppClients.bindingDirectory(bindings, "dataplane-redis", after); // the kubelet updates the mounted files
      assertThat(apps.lettuce(before, "get", "greeting").ok().out()).isEqualTo("hello from Lettuce\n");
      assertThat(apps.lettuce(bindings, "get", "greeting").ok().out()).isEqualTo("hello from Lettuce\n");
      await(Duration.ofSeconds(90), () -> bridge.tokens().equals(List.of(fresh)));
      Proc.Result stale = apps.lettuce(before, "get", "greeting");
      assertThat(stale.exit()).isNotZero();
      assertThat(stale.err()).contains("WRONGPASS").doesNotContain(token);
      assertThat(apps.redisPy(bindings, "from:redis-py", "after the rotation").ok().out()).isEqualTo("after the rotation\n");
      assertThat(apps.lettuce(bindings, "get", "from:redis-py").ok().out()).isEqualTo("after the rotation\n");
    } finally {
      bridge.close();
      redis.destroy();
      clearEndpointOverride();
      k8s.kubectl("delete", "rediscache", "dataplane", "-n", "default", "--timeout=120s");
    }
  }

  static Map<String, String> withoutKey(Map<String, String> m, String key) {
    Map<String, String> out = new LinkedHashMap<>(m);
    out.remove(key);
    return out;
  }

  // ---------------------------------------------------------------- day 2

  @Test
  @Order(9)
  void aRunningCacheIsChangedInPlaceAndDriftIsPutBack() throws Exception {
    k8s.kubectlWithInput(cache("default", "daytwo", "parameters: {timeout: \"300\"}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "daytwo");
    awaitConverged("default", "daytwo");

    patch("default", "daytwo", "{\"spec\":{\"nodeType\":\"cache.t4g.small\"}}");
    awaitConverged("default", "daytwo");
    assertThat(group(rgId).cacheNodeType()).isEqualTo("cache.t4g.small");

    patch("default", "daytwo", "{\"spec\":{\"replicasPerShard\":1}}");
    awaitConverged("default", "daytwo");
    assertThat(group(rgId).memberClusters()).hasSize(2);
    assertThat(group(rgId).automaticFailoverAsString()).isEqualTo("enabled");
    await(Duration.ofSeconds(30), () -> secret("default", "daytwo-redis").containsKey("readerHost"));

    patch("default", "daytwo", "{\"spec\":{\"parameters\":{\"timeout\":\"300\",\"maxmemory-policy\":\"allkeys-lru\"}}}");
    awaitConverged("default", "daytwo");
    String pg = Names.parameterGroupName(CLUSTER_ID, "default", "daytwo", "valkey8");
    assertThat(clients.elastiCachePort().userParameters(pg)).containsEntry("maxmemory-policy", "allkeys-lru").containsEntry("timeout", "300");
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isGreaterThanOrEqualTo(1);
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);

    // Someone changes the group behind the operator's back.
    long start = System.nanoTime();
    clients.elastiCache().modifyReplicationGroup(r -> r.replicationGroupId(rgId).snapshotRetentionLimit(5).applyImmediately(true));
    await(Duration.ofSeconds(60), () -> group(rgId).status().equals("available") && group(rgId).snapshotRetentionLimit() == 0
        && events("default", "daytwo").contains("DriftCorrected"));
    System.out.printf("drift corrected in %.1f s (steady sweep period 5 s, emulator modifying time 2 s)%n", (System.nanoTime() - start) / 1e9);
    k8s.kubectl("delete", "rediscache", "daytwo", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(10)
  void tokenRotationKeepsTheOldTokenThroughTheGracePeriodThenOnlyTheNewOne() {
    k8s.kubectlWithInput(cache("default", "rotator", "auth: {enabled: true, rotation: {gracePeriod: 20s}}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "rotator");
    awaitConverged("default", "rotator");
    String old = secret("default", "rotator-redis").get("password");
    assertThat(aws.authTokens(rgId)).containsExactly(old);

    k8s.kubectl("annotate", "rediscache", "rotator", "-n", "default", "elasticache.operators.dev/rotate-token=first").ok();
    await(Duration.ofSeconds(60), () -> {
      String now = secret("default", "rotator-redis").get("password");
      return now != null && !now.equals(old);
    });
    String fresh = secret("default", "rotator-redis").get("password");
    // The Secret holds the new token; AWS accepts both until the grace period ends.
    assertThat(aws.authTokens(rgId)).containsExactlyInAnyOrder(old, fresh);
    assertThat(secret("default", "rotator-redis").get("url")).contains(fresh);
    assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.authSecretName(CLUSTER_ID, "default", "rotator"))).secretString()).isEqualTo(fresh);
    OperatorProcess.sleep(5_000);
    assertThat(aws.authTokens(rgId)).containsExactlyInAnyOrder(old, fresh);

    await(Duration.ofSeconds(90), () -> aws.authTokens(rgId).equals(List.of(fresh)));
    await(Duration.ofSeconds(30), () -> !k8s.kubectl("get", "rediscache", "rotator", "-n", "default", "-o", "jsonpath={.status.tokenLastRotated}").out().isBlank());
    awaitConverged("default", "rotator");
    assertThat(events("default", "rotator")).contains("TokenRotationStarted").contains("TokenRotated").contains("TokenRotationCompleted")
        .doesNotContain(old).doesNotContain(fresh);
    k8s.kubectl("delete", "rediscache", "rotator", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(11)
  void anExistingGroupIsAdoptedWithoutBeingRecreated() {
    var ec = clients.elastiCache();
    ec.createCacheSubnetGroup(r -> r.cacheSubnetGroupName("legacy-subnets").cacheSubnetGroupDescription("made by hand")
        .subnetIds(ids.get("subnet-0a1b2c3d4e5f60718"), ids.get("subnet-0f1e2d3c4b5a69788")));
    String legacySg = clients.ec2().createSecurityGroup(r -> r.vpcId(ids.get("vpc-0123456789abcdef0")).groupName("legacy").description("by hand")).groupId();
    String legacyToken = "handMadeTokenNobodyToldTheOperator0123";
    ec.createReplicationGroup(r -> r.replicationGroupId("legacy-sessions").replicationGroupDescription("made by hand").engine("valkey")
        .engineVersion("8.0").cacheNodeType("cache.t4g.small").numNodeGroups(1).replicasPerNodeGroup(0).cacheSubnetGroupName("legacy-subnets")
        .securityGroupIds(legacySg).transitEncryptionEnabled(true).atRestEncryptionEnabled(true).authToken(legacyToken));
    await(Duration.ofSeconds(30), () -> group("legacy-sessions").status().equals("available"));
    aws.clearCalls();

    k8s.kubectlWithInput(withRealIds("apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: legacy\n  namespace: default\n"
        + "spec:\n  nodeType: cache.t4g.small\n  deletionPolicy: Delete\n  adoption: {replicationGroupId: legacy-sessions}\n"
        + "  auth: {enabled: true, rotation: {gracePeriod: 10s}}\n"
        + "  network:\n    vpcId: vpc-0123456789abcdef0\n    subnetGroupName: legacy-subnets\n    allowedCidrBlocks: [10.0.0.0/16]\n"), "apply", "-f", "-").ok();
    // Without the owner's consent: refused, and the group is left as it was.
    k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/legacy", "-n", "default", "--timeout=60s").ok();
    assertThat(k8s.kubectl("get", "rediscache", "legacy", "-n", "default", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Stalled\")].reason}").ok().out()).isEqualTo("AdoptionNotAllowed");
    assertThat(aws.calls("elasticache", "AddTagsToResource")).isZero();
    assertThat(aws.calls("elasticache", "ModifyReplicationGroup")).isZero();
    assertThat(aws.calls("ec2", "CreateSecurityGroup")).isZero();
    assertThat(aws.calls("secretsmanager", "CreateSecret")).isZero();
    assertThat(aws.authTokens("legacy-sessions")).containsExactly(legacyToken);
    assertThat(clients.elastiCachePort().tagsOf(group("legacy-sessions").arn())).doesNotContainKey(Names.TAG_UID);

    // The group's owner consents; the operator looks at a refused adoption again every steady sweep period.
    clients.elastiCachePort().addTags(group("legacy-sessions").arn(), Map.of(Names.TAG_ADOPTABLE_BY, "default/legacy"));
    await(READY_TIMEOUT, () -> {
      String token = secret("default", "legacy-redis").get("password");
      return token != null && aws.authTokens("legacy-sessions").equals(List.of(token));
    });
    awaitConverged("default", "legacy");
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isZero();
    assertThat(clients.elastiCachePort().tagsOf(group("legacy-sessions").arn()))
        .containsEntry(Names.TAG_NAME, "legacy").containsEntry("elasticache.operators.dev/adopted", "true");
    assertThat(events("default", "legacy")).contains("Adopted");
    k8s.kubectl("delete", "rediscache", "legacy", "-n", "default", "--timeout=120s").ok();
    assertThat(ec.describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals("legacy-sessions"));
    ec.deleteCacheSubnetGroup(r -> r.cacheSubnetGroupName("legacy-subnets"));
    clients.ec2().deleteSecurityGroup(r -> r.groupId(legacySg));
  }

  @Test
  @Order(12)
  void aSecurityGroupRuleAddedBehindTheOperatorsBackIsRevoked() {
    k8s.kubectlWithInput(cache("default", "sgdrift", ""), "apply", "-f", "-").ok();
    awaitConverged("default", "sgdrift");
    String sgId = k8s.kubectl("get", "rediscache", "sgdrift", "-n", "default", "-o", "jsonpath={.status.securityGroupId}").ok().out();
    clients.ec2Port().authorizeIngress(sgId, List.of(IngressRule.fromCidr(6379, "0.0.0.0/0")));
    long start = System.nanoTime();
    await(Duration.ofSeconds(60), () -> clients.ec2Port().findSecurityGroup(ids.get("vpc-0123456789abcdef0"),
        Names.securityGroupName(CLUSTER_ID, "default", "sgdrift")).orElseThrow().ingress().equals(Set.of(IngressRule.fromCidr(6379, "10.0.0.0/16"))));
    System.out.printf("security group drift corrected in %.1f s (steady sweep period 5 s)%n", (System.nanoTime() - start) / 1e9);
    assertThat(events("default", "sgdrift")).contains("IngressRevoked");
    k8s.kubectl("delete", "rediscache", "sgdrift", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(13)
  void logDeliveryAndAlarmsComeAndGoWithTheCache() {
    k8s.kubectlWithInput(cache("default", "watched", "replicasPerShard: 1\n  logDelivery: {slowLog: {logGroup: /elasticache/default/watched}}\n"
        + "  alarms: {cpuPercent: 75, memoryPercent: 85, connections: 50000, evictions: 0, snsTopicArn: \"arn:aws:sns:us-east-1:123456789012:oncall\"}"),
        "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "watched");
    awaitConverged("default", "watched");
    assertThat(group(rgId).logDeliveryConfigurations()).singleElement().satisfies(l -> {
      assertThat(l.logTypeAsString()).isEqualTo("slow-log");
      assertThat(l.destinationDetails().cloudWatchLogsDetails().logGroup()).isEqualTo("/elasticache/default/watched");
    });
    try (var cw = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder().endpointOverride(aws.uri())
        .region(AwsTestClients.REGION).credentialsProvider(clients.credentialsProvider())
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
      var alarms = cw.describeAlarms(r -> r.alarmNamePrefix("rediscache-" + rgId + "-")).metricAlarms();
      assertThat(alarms).hasSize(8); // 2 nodes x 4 metrics
      assertThat(alarms).allSatisfy(a -> assertThat(a.alarmActions()).containsExactly("arn:aws:sns:us-east-1:123456789012:oncall"));
      k8s.kubectl("delete", "rediscache", "watched", "-n", "default", "--timeout=120s").ok();
      assertThat(cw.describeAlarms(r -> r.alarmNamePrefix("rediscache-" + rgId + "-")).metricAlarms()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- restore

  /**
   * Cache A's data comes back in cache B restored from A's final snapshot, read through B's Secret
   * with a real client. The data plane is the test's, as for AUTH tokens above: each cache's
   * redis-server is started by the test, and the snapshot's data is A's RDB file, saved when the
   * emulator records the snapshot. B's server is seeded with the RDB of the snapshot the emulator
   * says B was created from (E27), so the key only reaches B when the operator asked AWS to restore
   * B from A's snapshot.
   */
  @Test
  @Order(14)
  void aCacheRestoredFromTheFinalSnapshotOfAnotherServesItsData() throws Exception {
    Path redisServer = Path.of("/usr/bin/redis-server");
    Path redisCli = Path.of("/usr/bin/redis-cli");
    assumeThat(Files.isExecutable(redisServer) && Files.isExecutable(redisCli)).as("redis-server and redis-cli (Debian redis-server, redis-tools)").isTrue();
    Path dir = Path.of("target/e2e-restore").toAbsolutePath();
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Files.createDirectories(dir.resolve("snapshots"));
    String plain = "tls: false\n  auth: {enabled: false}";
    List<Process> servers = new ArrayList<>();
    try {
      // Cache A, its data written through its Secret.
      int portA = freePort();
      servers.add(redis(redisServer, dir.resolve("a"), portA));
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", portA));
      k8s.kubectlWithInput(cache("default", "carts-old", plain + "\n  deletionPolicy: Snapshot"), "apply", "-f", "-").ok();
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/carts-old", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> Integer.toString(portA).equals(secret("default", "carts-old-redis").get("port")));
      Map<String, String> a = secret("default", "carts-old-redis");
      assertThat(cli(redisCli, a, "SET", "cart:42", "3 apples").trim()).isEqualTo("OK");
      String rgA = Names.replicationGroupId(CLUSTER_ID, "default", "carts-old");
      String uidA = k8s.kubectl("get", "rediscache", "carts-old", "-n", "default", "-o", "jsonpath={.metadata.uid}").ok().out();
      String finalSnapshot = Names.finalSnapshotName(rgA, uidA);

      // Deleted with deletionPolicy Snapshot: the emulator records the final snapshot; its data is A's RDB file.
      k8s.kubectl("delete", "rediscache", "carts-old", "-n", "default", "--timeout=120s").ok();
      await(Duration.ofSeconds(30), () -> clients.elastiCache().describeSnapshots().snapshots().stream()
          .anyMatch(sn -> sn.snapshotName().equals(finalSnapshot) && "available".equals(sn.snapshotStatus())));
      assertThat(cli(redisCli, a, "SAVE").trim()).isEqualTo("OK");
      Files.copy(dir.resolve("a/dump.rdb"), dir.resolve("snapshots/" + finalSnapshot + ".rdb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      servers.remove(0).destroy();

      // Cache B, restored from that snapshot: its server gets the data of the snapshot AWS was asked to restore.
      int portB = freePort();
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", portB));
      Files.deleteIfExists(dir.resolve("b/dump.rdb"));
      k8s.kubectlWithInput(cache("default", "carts-new", plain + "\n  restoreFrom: {snapshotName: " + finalSnapshot + "}"), "apply", "-f", "-").ok();
      String rgB = Names.replicationGroupId(CLUSTER_ID, "default", "carts-new");
      await(Duration.ofSeconds(60), () -> {
        try {
          return aws.restoreInfo(rgB) != null;
        } catch (RuntimeException e) {
          return false; // not created yet
        }
      });
      String restoredFrom = aws.restoreInfo(rgB).path("snapshotName").asText(null);
      Path rdb = restoredFrom == null ? null : dir.resolve("snapshots/" + restoredFrom + ".rdb");
      if (rdb != null && Files.exists(rdb)) Files.copy(rdb, dir.resolve("b/dump.rdb"));
      servers.add(redis(redisServer, dir.resolve("b"), portB));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/carts-new", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> Integer.toString(portB).equals(secret("default", "carts-new-redis").get("port")));
      Map<String, String> b = secret("default", "carts-new-redis");
      assertThat(cli(redisCli, b, "GET", "cart:42").trim()).isEqualTo("3 apples");
      assertThat(k8s.kubectl("get", "rediscache", "carts-new", "-n", "default", "-o", "jsonpath={.status.restoredFrom}").ok().out())
          .isEqualTo("snapshot " + finalSnapshot);

      // A snapshot that does not exist: Stalled naming the field, nothing created.
      k8s.kubectlWithInput(cache("default", "carts-none", plain + "\n  restoreFrom: {snapshotName: no-such-snapshot}"), "apply", "-f", "-").ok();
      k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/carts-none", "-n", "default", "--timeout=60s").ok();
      String message = k8s.kubectl("get", "rediscache", "carts-none", "-n", "default", "-o", "jsonpath={.status.conditions[?(@.type==\"Stalled\")].message}").ok().out();
      assertThat(message).startsWith("spec.restoreFrom.snapshotName: snapshot no-such-snapshot does not exist");
      assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups())
          .noneMatch(g -> g.replicationGroupId().equals(Names.replicationGroupId(CLUSTER_ID, "default", "carts-none")));
    } finally {
      servers.forEach(Process::destroy);
      clearEndpointOverride();
      for (String name : List.of("carts-old", "carts-new", "carts-none")) {
        k8s.kubectl("delete", "rediscache", name, "-n", "default", "--ignore-not-found", "--timeout=120s");
      }
    }
  }

  /** A plain redis-server on loopback keeping its RDB file in {@code dir} (loaded at start when present). */
  static Process redis(Path server, Path dir, int port) throws Exception {
    Process p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    await(Duration.ofSeconds(10), () -> Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "PING")).out().contains("PONG"));
    return p;
  }

  /** redis-cli given only the Secret's host and port (the cache has no TLS and no AUTH). */
  String cli(Path redisCli, Map<String, String> secret, String... command) {
    List<String> args = new ArrayList<>(List.of(redisCli.toString(), "-h", secret.get("host"), "-p", secret.get("port")));
    args.addAll(List.of(command));
    return Proc.run(root, Map.of(), null, 30, args).ok().out();
  }

  @Test
  @Order(16)
  void aCustomerManagedKeyIsCheckedBeforeCreateAndADisabledOneStalls() {
    var disabledKey = clients.kms().createKey(r -> r.description("e2e disabled")).keyMetadata();
    clients.kms().disableKey(r -> r.keyId(disabledKey.keyId())); // moto's DisableKey takes only the id
    String disabled = disabledKey.arn();
    String enabled = clients.kms().createKey(r -> r.description("e2e")).keyMetadata().arn();
    aws.clearCalls();
    k8s.kubectlWithInput(cache("default", "lockedkey", "atRestEncryption: {kmsKeyId: \"" + disabled + "\"}"), "apply", "-f", "-").ok();
    k8s.kubectlWithInput(cache("default", "ownkey", "atRestEncryption: {kmsKeyId: \"" + enabled + "\"}"), "apply", "-f", "-").ok();
    k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/lockedkey", "-n", "default", "--timeout=60s").ok();
    String message = k8s.kubectl("get", "rediscache", "lockedkey", "-n", "default", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Stalled\")].message}").ok().out();
    assertThat(message).isEqualTo("spec.atRestEncryption.kmsKeyId: KMS key " + disabled + " is Disabled; ElastiCache needs an Enabled key: enable it or name another");
    awaitConverged("default", "ownkey");
    assertThat(group(Names.replicationGroupId(CLUSTER_ID, "default", "ownkey")).kmsKeyId()).isEqualTo(enabled);
    String locked = Names.replicationGroupId(CLUSTER_ID, "default", "lockedkey");
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(locked));
    assertThat(aws.calls("kms", "DescribeKey")).isGreaterThanOrEqualTo(2);
    assertThat(operator.tail()).doesNotContain("not authorized");
    k8s.kubectl("delete", "rediscache", "lockedkey", "ownkey", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(15)
  void aPublishedServiceUpdateIsListedInStatusAndAutoAppliesItInTheWindow() throws Exception {
    // samples/auto-patched.yaml, first with Manual and a window open now (UTC, two hours from ten minutes ago)
    java.time.ZonedDateTime from = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(10);
    java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("EEE:HH:mm", java.util.Locale.ROOT);
    String window = (from.format(f) + "-" + from.plusHours(2).format(f)).toLowerCase(java.util.Locale.ROOT);
    String sample = withRealIds(Files.readString(Path.of("samples/auto-patched.yaml")))
        .replace("\"tue:03:00-tue:04:00\"", "\"" + window + "\"");
    assertThat(sample).contains(window).contains("serviceUpdates: Auto");
    k8s.kubectlWithInput(sample.replace("serviceUpdates: Auto", "serviceUpdates: Manual"), "apply", "-f", "-").ok();
    awaitConverged("ops", "patched");
    String rgId = Names.replicationGroupId(CLUSTER_ID, "ops", "patched");

    aws.publishServiceUpdate("elasticache-valkey-e2e-001", "valkey", "critical", java.time.Instant.parse("2027-03-01T00:00:00Z"));
    await(Duration.ofSeconds(60), () -> "not-applied".equals(serviceUpdate("ops", "patched").path("status").asText()));
    JsonNode listed = serviceUpdate("ops", "patched");
    assertThat(listed.path("severity").asText()).isEqualTo("critical");
    assertThat(listed.path("type").asText()).isEqualTo("security-update");
    assertThat(listed.path("recommendedApplyBy").asText()).isEqualTo("2027-03-01T00:00:00Z");
    assertThat(listed.path("releaseDate").asText()).isNotBlank();
    assertThat(events("ops", "patched")).contains("ServiceUpdateAvailable");
    Thread.sleep(12_000); // two more looks at service updates: Manual applies nothing
    assertThat(aws.calls("elasticache", "BatchApplyUpdateAction")).isZero();
    assertThat(group(rgId).status()).isEqualTo("available");

    k8s.kubectlWithInput(sample, "apply", "-f", "-").ok(); // Auto
    // The event stays; status.serviceUpdates says complete only until the next listing of pending
    // actions (5 s here, 6 h by default) leaves it out (ServiceUpdatesComponentTest shows both).
    await(Duration.ofSeconds(90), () -> events("ops", "patched").contains("ServiceUpdateApplied"));
    assertThat(serviceUpdate("ops", "patched").path("status").asText()).isIn("complete", "");
    assertThat(aws.calls("elasticache", "BatchApplyUpdateAction")).isEqualTo(1);
    assertThat(clients.elastiCache().describeUpdateActions(r -> r.serviceUpdateName("elasticache-valkey-e2e-001")
        .replicationGroupIds(rgId)).updateActions()).singleElement()
        .satisfies(a -> assertThat(a.updateActionStatusAsString()).isEqualTo("complete"));
    assertThat(events("ops", "patched")).contains("ServiceUpdateApplying").contains("ServiceUpdateApplied");
    awaitConverged("ops", "patched");
    k8s.kubectl("delete", "rediscache", "patched", "-n", "ops", "--timeout=120s").ok();
  }

  /** The cache's first status.serviceUpdates entry (a missing node when there is none). */
  JsonNode serviceUpdate(String ns, String name) {
    try {
      return JSON.readTree(k8s.kubectl("get", "rediscache", name, "-n", ns, "-o", "json").ok().out()).at("/status/serviceUpdates/0");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(17)
  void theApiServerRefusesDataTieringOffR6gdAndNetworkTypeChanges() {
    Proc.Result noTiering = k8s.kubectlWithInput(cache("default", "invalid", "nodeType: cache.r6gd.xlarge"), "apply", "--dry-run=server", "-f", "-");
    assertThat(noTiering.err()).contains("AWS offers data tiering only on r6gd node types, and an r6gd node type needs it");
    Proc.Result wrongType = k8s.kubectlWithInput(cache("default", "invalid", "dataTiering: true"), "apply", "--dry-run=server", "-f", "-");
    assertThat(wrongType.err()).contains("AWS offers data tiering only on r6gd node types");
    Proc.Result v6OnV4 = k8s.kubectlWithInput(cache("default", "invalid", "").replace("    allowedCidrBlocks:", "    ipDiscovery: ipv6\n    allowedCidrBlocks:"),
        "apply", "--dry-run=server", "-f", "-");
    assertThat(v6OnV4.err()).contains("network.ipDiscovery: ipv6 needs networkType ipv6 or dual_stack");
    // immutable: the first apply is accepted, the switch refused
    k8s.kubectlWithInput(cache("default", "fixednet", "replicasPerShard: 0"), "apply", "-f", "-").ok();
    Proc.Result change = k8s.kubectl("patch", "rediscache", "fixednet", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"network\":{\"networkType\":\"dual_stack\"}}}");
    assertThat(change.exit()).isNotZero();
    assertThat(change.err()).contains("network.networkType is immutable");
    Proc.Result tier = k8s.kubectl("patch", "rediscache", "fixednet", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"nodeType\":\"cache.r6gd.xlarge\",\"dataTiering\":true}}");
    assertThat(tier.err()).contains("dataTiering is immutable");
    k8s.kubectl("delete", "rediscache", "fixednet", "-n", "default", "--timeout=120s").ok();
  }

  @Test
  @Order(21)
  void durabilityIsSwitchedOnTheRunningClusterAndRefusedWhereAwsHasNone() {
    Proc.Result v8 = k8s.kubectlWithInput(cache("default", "invalid", "durability: Sync\n  engineVersion: \"8.2\"\n  shards: 2\n"
        + "  replicasPerShard: 1\n  multiAZ: true\n  nodeType: cache.r7g.large"), "apply", "--dry-run=server", "-f", "-");
    assertThat(v8.exit()).isNotZero();
    assertThat(v8.err()).contains("durability needs valkey 9.0 or later").doesNotContain("needs cluster mode");
    String durable = "engineVersion: \"9.0\"\n  shards: 2\n  replicasPerShard: 1\n  multiAZ: true\n  nodeType: cache.r7g.large";
    k8s.kubectlWithInput(cache("default", "ledger", durable + "\n  durability: Async"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "ledger");
    awaitConverged("default", "ledger");
    assertThat(group(rgId).effectiveDurabilityAsString()).isEqualTo("async");
    assertThat(group(rgId).storageEncryptionTypeAsString()).isEqualTo("sse-elasticache");

    int modifies = aws.calls("elasticache", "ModifyReplicationGroup");
    patch("default", "ledger", "{\"spec\":{\"durability\":\"Sync\"}}");
    awaitConverged("default", "ledger");
    assertThat(group(rgId).effectiveDurabilityAsString()).isEqualTo("sync");
    assertThat(aws.calls("elasticache", "ModifyReplicationGroup")).isEqualTo(modifies + 1);
    assertThat(events("default", "ledger").replace("\\u003e", ">")).contains("durability async -> sync"); // kubectl's JSON escapes >
    // off: removing the field switches durability off on the running cluster, without recreating it
    patch("default", "ledger", "{\"spec\":{\"durability\":null}}");
    awaitConverged("default", "ledger");
    assertThat(group(rgId).effectiveDurabilityAsString()).isEqualTo("disabled");
    assertThat(aws.calls("elasticache", "CreateReplicationGroup")).isGreaterThanOrEqualTo(1);
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    k8s.kubectl("delete", "rediscache", "ledger", "-n", "default", "--timeout=120s").ok();
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

  /**
   * samples/serverless.yaml through Ready, a change, drift and delete. The data plane: a TLS-only
   * redis-server without a password stands in for the serverless endpoint (the emulator reports its
   * address for both endpoints, E34); it is not a cluster, so only what a plain client does over
   * the Secret's URL is tested, not cluster-mode routing or reads on 6380.
   */
  @Test
  @Order(18)
  void aServerlessCacheServesOverTlsWithoutAPasswordFollowsItsLimitsAndIsDeletedWithAFinalSnapshot() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-serverless-tls");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    int port = freePort();
    Path conf = tls.resolve("redis.conf");
    Files.writeString(conf, String.join("\n", "port 0", "tls-port " + port, "bind 127.0.0.1",
        "tls-cert-file " + tls.resolve("server.crt").toAbsolutePath(), "tls-key-file " + tls.resolve("server.key").toAbsolutePath(),
        "tls-ca-cert-file " + ca.toAbsolutePath(), "tls-auth-clients no", "save \"\"", "appendonly no", "daemonize no", ""));
    Process redis = new ProcessBuilder(redisServer.toString(), conf.toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(tls.resolve("redis.log").toFile()).start();
    String name = Names.replicationGroupId(CLUSTER_ID, "web", "storefront-sessions");
    var ec = clients.elastiCache();
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectlWithInput(withRealIds(Files.readString(Path.of("samples/serverless.yaml"))), "apply", "-f", "-").ok();
      Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/storefront-sessions", "-n", "web", "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
      assertThat(waited.exit()).as("Ready; operator log:\n%s\n%s", operator.tail(), describe("web", "storefront-sessions")).isZero();
      Map<String, String> s = secret("web", "storefront-sessions-redis");
      assertThat(s).containsEntry("host", "localhost").containsEntry("port", Integer.toString(port)).containsEntry("tls", "true")
          .doesNotContainKey("password");
      assertThat(s.get("url")).isEqualTo("rediss://localhost:" + port);
      // A client given the Secret's host and port, TLS on, no password: the cache serves it.
      List<String> cli = List.of("redis-cli", "--tls", "--cacert", ca.toAbsolutePath().toString(), "-h", s.get("host"), "-p", s.get("port"));
      List<String> set = new ArrayList<>(cli);
      set.addAll(List.of("SET", "cart:1", "3 items"));
      assertThat(Proc.run(root, Map.of(), null, 30, set).out().strip()).isEqualTo("OK");
      List<String> get = new ArrayList<>(cli);
      get.addAll(List.of("GET", "cart:1"));
      assertThat(Proc.run(root, Map.of(), null, 30, get).out().strip()).isEqualTo("3 items");

      // A change: a higher ECPU limit goes to AWS (ModifyServerlessCache), and the cache is Ready at the new generation.
      k8s.kubectl("patch", "rediscache", "storefront-sessions", "-n", "web", "--type=merge", "-p",
          "{\"spec\":{\"serverless\":{\"maxECPUPerSecond\":8000}}}").ok();
      await(Duration.ofSeconds(60), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0)
          .cacheUsageLimits().ecpuPerSecond().maximum() == 8000);
      await(Duration.ofSeconds(60), () -> {
        JsonNode c = caches().stream().filter(x -> x.at("/metadata/name").asText().equals("storefront-sessions")).findFirst().orElseThrow();
        return c.at("/status/observedGeneration").asLong() == c.at("/metadata/generation").asLong()
            && c.at("/status/estimatedMonthlyCost/note").asText().contains("8000 ECPU/s");
      });
      assertThat(k8s.kubectl("get", "events", "-n", "web").ok().out()).contains("ServerlessCacheModified");

      // Drift: a limit changed behind the operator's back is put back by the shared sweep.
      await(Duration.ofSeconds(30), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).status().equals("available"));
      ec.modifyServerlessCache(r -> r.serverlessCacheName(name).cacheUsageLimits(l -> l.ecpuPerSecond(e -> e.maximum(20000))));
      await(Duration.ofSeconds(60), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0)
          .cacheUsageLimits().ecpuPerSecond().maximum() == 8000);

      // Delete: the serverless cache goes (with the final snapshot deletionPolicy Snapshot asks for), then its groups.
      String uid = caches().stream().filter(x -> x.at("/metadata/name").asText().equals("storefront-sessions")).findFirst().orElseThrow()
          .at("/metadata/uid").asText();
      k8s.kubectl("delete", "rediscache", "storefront-sessions", "-n", "web", "--wait=true", "--timeout=120s").ok();
      assertThat(ec.describeServerlessCaches(r -> { }).serverlessCaches()).noneMatch(c -> c.serverlessCacheName().equals(name));
      assertThat(ec.describeServerlessCacheSnapshots(r -> r.serverlessCacheSnapshotName(Names.finalSnapshotName(name, uid)))
          .serverlessCacheSnapshots()).hasSize(1);
      assertThat(ec.describeCacheSubnetGroups().cacheSubnetGroups()).noneMatch(g -> g.cacheSubnetGroupName().equals(name));
      assertThat(clients.ec2Port().listSecurityGroupsTagged(Names.TAG_CLUSTER, CLUSTER_ID))
          .noneMatch(g -> g.groupName().equals(Names.securityGroupName(CLUSTER_ID, "web", "storefront-sessions")));
    } finally {
      clearEndpointOverride();
      redis.destroy();
    }
  }

  /**
   * Issue 10, live migrations: TLS switched on a running cache and back. The test watches AWS (the
   * emulator's TransitEncryptionMode) and the Secret together: at every look, the URL in the Secret
   * is one AWS accepts, and the Secret switches while AWS is in preferred.
   */
  @Test
  @Order(19)
  void tlsIsSwitchedOnARunningCacheWithTheSecretFollowingAtTheRightMoment() {
    k8s.kubectlWithInput(cache("default", "tlsmove", "tls: false\n  auth: {enabled: false}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "tlsmove");
    awaitConverged("default", "tlsmove");
    assertThat(secret("default", "tlsmove-redis")).containsEntry("tls", "false");
    assertThat(group(rgId).transitEncryptionEnabled()).isFalse();

    patch("default", "tlsmove", "{\"spec\":{\"tls\":true}}");
    List<String> up = watchTls(rgId, "tlsmove-redis", "required/rediss");
    // "preferred/redis" may be seen for a moment (AWS accepts both; the operator has not looked yet); never "required/redis"
    assertThat(up).containsSubsequence("off/redis", "preferred/rediss", "required/rediss");
    awaitConverged("default", "tlsmove");
    assertThat(secret("default", "tlsmove-redis")).containsEntry("tls", "true").containsEntry("ssl", "true");
    assertThat(events("default", "tlsmove")).contains("tls off").contains("tls preferred");

    patch("default", "tlsmove", "{\"spec\":{\"tls\":false}}");
    List<String> down = watchTls(rgId, "tlsmove-redis", "off/redis");
    assertThat(down).containsSubsequence("required/rediss", "preferred/redis", "off/redis");
    awaitConverged("default", "tlsmove");
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    k8s.kubectl("delete", "rediscache", "tlsmove", "-n", "default", "--timeout=120s").ok();
  }

  /**
   * Issue 10, live migrations: AUTH turned on for a running TLS cache. At every look the Secret's
   * password (or none) is one AWS accepts: none until AWS applied ROTATE, then the new token; after
   * the grace period SET leaves only it.
   */
  @Test
  @Order(20)
  void authIsTurnedOnForARunningCacheWithoutGivingAppsATokenAwsRefuses() {
    k8s.kubectlWithInput(cache("default", "authmove", "auth: {enabled: false}"), "apply", "-f", "-").ok();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "authmove");
    awaitConverged("default", "authmove");
    assertThat(secret("default", "authmove-redis")).doesNotContainKey("password");
    assertThat(aws.authTokens(rgId)).isEmpty();

    patch("default", "authmove", "{\"spec\":{\"auth\":{\"enabled\":true,\"rotation\":{\"gracePeriod\":\"10s\"}}}}");
    List<String> seen = new ArrayList<>();
    long[] window = {0, 0, 0}; // when AWS first held a token while the Secret had none, for how long, in how many looks
    await(READY_TIMEOUT, () -> {
      Map<String, String> s = secret("default", "authmove-redis");
      List<String> accepted = aws.authTokens(rgId);
      String password = s.get("password");
      // a password in the Secret is always one AWS accepts (never given before AWS applied ROTATE)
      if (password != null) assertThat(accepted).as("AWS's tokens while the Secret has a password").contains(password);
      if (password == null && !accepted.isEmpty()) {
        if (window[0] == 0) window[0] = System.nanoTime();
        window[1] = System.nanoTime() - window[0];
        window[2]++;
      }
      String entry = (password == null ? "no password" : "password") + "/" + accepted.size();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
      return password != null && accepted.equals(List.of(password)) && "available".equals(group(rgId).status())
          && events("default", "authmove").contains("TokenRotationCompleted"); // SET sent after the grace period
    });
    assertThat(seen).startsWith("no password/0").endsWith("password/1").doesNotContain("password/0");
    // In the emulator's model AWS requires the token once ROTATE is applied (AWS does not document what a
    // group that had none accepts then): apps without the password are refused until the Secret has it.
    System.out.printf("token brought in: Secret without the token while AWS required it: seen in %d look(s) over %.1f s%n", window[2], window[1] / 1e9);
    assertThat(Duration.ofNanos(window[1])).isLessThan(Duration.ofSeconds(15));
    awaitConverged("default", "authmove");
    String token = secret("default", "authmove-redis").get("password");
    assertThat(secret("default", "authmove-redis").get("url")).isEqualTo("rediss://:" + token + "@" + secret("default", "authmove-redis").get("host") + ":6379");
    assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.authSecretName(CLUSTER_ID, "default", "authmove"))).secretString()).isEqualTo(token);
    assertThat(events("default", "authmove")).contains("TokenRotationCompleted").doesNotContain(token);

    // turning it off again: authAndNothingElseIsTurnedOffInOneEditWhileTokenHoldersAreServed
    k8s.kubectl("delete", "rediscache", "authmove", "-n", "default", "--timeout=120s").ok();
  }

  /**
   * Issue 10, live migrations: cluster mode on a running cache, disabled -> compatible -> enabled, with
   * an app (redis-py, given only the Secret) before and after. The data plane is the test's own, and
   * follows what the emulator reports: a plain redis-server while the group is disabled, the same data
   * in a one-node cluster-enabled redis-server (all 16384 slots) from compatible on, which serves plain
   * and cluster clients as AWS's compatible mode does. At every look the Secret's clusterMode is one
   * AWS serves: never cluster while disabled, never plain once enabled.
   */
  @Test
  @Order(27)
  void clusterModeIsMigratedOnARunningCacheWithTheAppFollowingTheSecret() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path dir = Path.of("target/e2e-clustermode").toAbsolutePath();
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("dump.rdb"));
    Files.deleteIfExists(dir.resolve("nodes.conf"));
    makeCertificates(dir.resolve("tls")); // the cache has no TLS; the apps' installer wants a CA all the same
    AppClients apps = AppClients.install(root, dir.resolve("tls/ca.crt"));
    Path bindings = dir.resolve("bindings");
    int port = freePort();
    List<Process> servers = new ArrayList<>(List.of(redis(redisServer, dir, port)));
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "cmmove");
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectlWithInput(cache("default", "cmmove", "tls: false\n  auth: {enabled: false}\n  replicasPerShard: 1"), "apply", "-f", "-").ok();
      awaitConverged("default", "cmmove");
      assertThat(group(rgId).clusterModeAsString()).isEqualTo("disabled");
      Map<String, String> before = secret("default", "cmmove-redis");
      assertThat(before).containsEntry("clusterMode", "false").containsEntry("host", "localhost");
      AppClients.bindingDirectory(bindings, "cmmove-redis", before);
      assertThat(apps.redisPy(bindings, "session:1", "written before").ok().out()).isEqualTo("written before\n");
      // the same app given clusterMode true speaks the cluster protocol, which a cluster-mode-disabled node refuses
      Path early = dir.resolve("early");
      Map<String, String> asCluster = new LinkedHashMap<>(before);
      asCluster.put("clusterMode", "true");
      AppClients.bindingDirectory(early, "cmmove-redis", asCluster);
      assertThat(apps.redisPy(early, "session:1").exit()).isNotZero();

      patch("default", "cmmove", "{\"spec\":{\"clusterMode\":\"Enabled\"}}");
      List<String> seen = new ArrayList<>();
      boolean[] clusterServer = {false};
      await(READY_TIMEOUT, () -> {
        String secretMode = secret("default", "cmmove-redis").get("clusterMode");
        ReplicationGroup g = group(rgId);
        String aws = g.clusterModeAsString();
        boolean cluster = "true".equals(secretMode);
        assertThat(cluster ? !"disabled".equals(aws) : !"enabled".equals(aws)).as("Secret clusterMode %s while AWS is %s", secretMode, aws).isTrue();
        String entry = aws + "/" + (cluster ? "cluster" : "plain");
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
        if (!"disabled".equals(aws) && !clusterServer[0]) {
          // AWS went compatible: the test's node becomes a one-shard cluster with the same data
          try {
            servers.add(clusterRedis(redisServer, dir, port, servers.remove(0)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          clusterServer[0] = true;
        }
        return "enabled".equals(aws) && "available".equals(g.status());
      });
      System.out.println("cluster mode migration, AWS/Secret as seen: " + seen);
      assertThat(seen).containsSubsequence("disabled/plain", "compatible/cluster", "enabled/cluster");
      awaitConverged("default", "cmmove");
      Map<String, String> after = secret("default", "cmmove-redis");
      assertThat(after).containsEntry("clusterMode", "true").doesNotContainKey("readerHost");
      assertThat(group(rgId).configurationEndpoint()).isNotNull();
      assertThat(k8s.kubectl("get", "rediscache", "cmmove", "-n", "default", "-o", "jsonpath={.status.clusterMode}").ok().out()).isEqualTo("enabled");
      assertThat(events("default", "cmmove")).contains("clusterMode disabled").contains("clusterMode compatible"); // "->" is escaped in JSON
      // the app, given the Secret as it is now, reads what it wrote before through redis-py's cluster client
      AppClients.bindingDirectory(bindings, "cmmove-redis", after); // the kubelet updates the mounted files
      assertThat(apps.redisPy(bindings, "session:1").ok().out()).isEqualTo("written before\n");
      assertThat(apps.redisPy(bindings, "session:2", "written after").ok().out()).isEqualTo("written after\n");
      // going back is refused by the API server (AWS cannot revert cluster mode enabled)
      Proc.Result back = k8s.kubectl("patch", "rediscache", "cmmove", "-n", "default", "--type=merge", "-p", "{\"spec\":{\"clusterMode\":\"Disabled\"}}");
      assertThat(back.exit()).isNotZero();
      assertThat(back.err()).contains("clusterMode cannot leave Enabled");
      assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).filteredOn(g -> g.replicationGroupId().equals(rgId)).hasSize(1);
    } finally {
      servers.forEach(Process::destroy);
      clearEndpointOverride();
      k8s.kubectl("delete", "rediscache", "cmmove", "-n", "default", "--ignore-not-found", "--timeout=120s");
    }
  }

  /** The plain server's data (SAVE) in a cluster-enabled redis-server on the same port that owns every slot. */
  static Process clusterRedis(Path server, Path dir, int port, Process plain) throws Exception {
    Proc.run(dir, Map.of(), null, 30, List.of("redis-cli", "-p", Integer.toString(port), "SAVE")).ok();
    plain.destroy();
    plain.waitFor();
    Process p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-cluster.log").toFile()).start();
    await(Duration.ofSeconds(10), () -> Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "PING")).out().contains("PONG"));
    // A node that loads keys takes the slots they are in by itself; it gets every other slot
    String nodes = Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "MYID")).ok().out().strip();
    String line = Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "NODES")).ok().out()
        .lines().filter(l -> l.startsWith(nodes)).findFirst().orElseThrow();
    java.util.BitSet owned = new java.util.BitSet(16384);
    String[] fields = line.strip().split(" ");
    for (int i = 8; i < fields.length; i++) {
      String[] range = fields[i].split("-");
      owned.set(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) + 1);
    }
    List<String> add = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "ADDSLOTSRANGE"));
    for (int from = owned.nextClearBit(0); from < 16384; from = owned.nextClearBit(owned.nextSetBit(from) < 0 ? 16384 : owned.nextSetBit(from))) {
      int to = owned.nextSetBit(from) < 0 ? 16383 : owned.nextSetBit(from) - 1;
      add.add(Integer.toString(from));
      add.add(Integer.toString(to));
    }
    assertThat(Proc.run(dir, Map.of(), null, 10, add).ok().out()).contains("OK");
    await(Duration.ofSeconds(10), () -> Proc.run(dir, Map.of(), null, 10, List.of("redis-cli", "-p", Integer.toString(port), "CLUSTER", "INFO"))
        .out().contains("cluster_state:ok"));
    return p;
  }

  /** The emulator reports its own endpoint addresses again (after a test pointed them at its redis-server). */
  void clearEndpointOverride() {
    Map<String, Object> clear = new java.util.HashMap<>();
    clear.put("endpointHost", null);
    clear.put("endpointPort", null);
    aws.config(clear);
  }

  /** Looks at the Secret, then AWS, until {@code end}; each distinct "awsMode/scheme" once, the invariant checked at every look. */
  List<String> watchTls(String rgId, String secretName, String end) {
    List<String> seen = new ArrayList<>();
    await(READY_TIMEOUT, () -> {
      String url = secret("default", secretName).getOrDefault("url", "");
      ReplicationGroup g = group(rgId);
      String aws = Boolean.TRUE.equals(g.transitEncryptionEnabled()) ? g.transitEncryptionModeAsString() : "off";
      boolean tls = url.startsWith("rediss://");
      assertThat(tls ? !"off".equals(aws) : !"required".equals(aws)).as("Secret %s while AWS is %s", url, aws).isTrue();
      String entry = aws + "/" + (tls ? "rediss" : "redis");
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) seen.add(entry);
      return entry.equals(end) && "available".equals(g.status());
    });
    return seen;
  }

  /**
   * spec.users end to end: a cache with two apps' users whose key prefixes and rights differ; each
   * app's own Secret, used by a real client (redis-py, Lettuce) against a redis-server the bridge
   * gives the emulator's users to, is allowed and refused as its access string says; a user removed
   * from the spec leaves the group, is deleted, and its Secret goes; the cache deleted takes its user
   * group and its users with it. The operator runs as the IAM user of deploy/iam-policy.json.
   */
  @Test
  @Order(22)
  void twoAppsWithTheirOwnUsersAreAllowedAndRefusedAsTheirAccessStringsSayAndAreRemovedInOrder() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-users");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    AppClients apps = AppClients.install(root, ca);
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, null);
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "twoapps");
    DataPlaneBridge bridge = DataPlaneBridge.start(aws, rgId, port, ca, List.of());
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectlWithInput(cache("default", "twoapps", "auth: {enabled: false}\n  users:\n"
          + "  - {name: orders, accessString: \"on ~orders:* +@read +@write -@dangerous\"}\n"
          + "  - {name: analytics, accessString: \"on %R~orders:* ~analytics:* +@read +@write -@dangerous\"}"), "apply", "-f", "-").ok();
      Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/twoapps", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
      assertThat(waited.exit()).as("Ready; operator log:\n%s\n%s", operator.tail(), describe("default", "twoapps")).isZero();
      await(Duration.ofSeconds(30), () -> "localhost".equals(secret("default", "twoapps-orders").get("host"))
          && "localhost".equals(secret("default", "twoapps-analytics").get("host")));
      await(Duration.ofSeconds(30), () -> bridge.users().keySet().equals(java.util.Set.of("default", "orders", "analytics")));
      assertThat(bridge.users()).containsEntry("default", "off -@all");
      Map<String, String> ordersSecret = secret("default", "twoapps-orders");
      Map<String, String> analyticsSecret = secret("default", "twoapps-analytics");
      assertThat(ordersSecret).containsEntry("username", "orders").containsEntry("tls", "true").containsEntry("ssl", "true");
      assertThat(secret("default", "twoapps-redis")).doesNotContainKey("password");
      assertThat(rgOf(rgId).authTokenEnabled()).isFalse();
      Path orders = AppClients.bindingDirectory(tls.resolve("orders"), "twoapps-orders", ordersSecret).getParent();
      Path analytics = AppClients.bindingDirectory(tls.resolve("analytics"), "twoapps-analytics", analyticsSecret).getParent();

      // orders: its own keys, read and write; nothing else
      assertThat(apps.redisPy(orders, "orders:1", "from orders").ok().out()).isEqualTo("from orders\n");
      Proc.Result ordersElsewhere = apps.redisPy(orders, "analytics:1", "not mine");
      assertThat(ordersElsewhere.exit()).isNotZero();
      assertThat(ordersElsewhere.err()).contains("NoPermissionError");
      Proc.Result dangerous = apps.lettuce(orders, "keys", "*");
      assertThat(dangerous.exit()).as("KEYS is in @dangerous").isNotZero();
      assertThat(dangerous.err()).contains("NOPERM");
      // analytics: reads orders' keys, never writes them; reads and writes its own
      assertThat(apps.lettuce(analytics, "get", "orders:1").ok().out()).isEqualTo("from orders\n");
      Proc.Result analyticsWrites = apps.lettuce(analytics, "set", "orders:2", "nope");
      assertThat(analyticsWrites.exit()).isNotZero();
      assertThat(analyticsWrites.err()).contains("NOPERM");
      assertThat(apps.redisPy(analytics, "analytics:daily", "42").ok().out()).isEqualTo("42\n");
      // no password, no service: the group's default user is disabled
      Proc.Result anonymous = apps.lettuce(AppClients.bindingDirectory(tls.resolve("anonymous"), "anonymous",
          withoutKey(withoutKey(ordersSecret, "password"), "username")).getParent(), "get", "orders:1");
      assertThat(anonymous.exit()).isNotZero();

      // passwords kept like the token (connectionSecret.secretsManager, the default): in Secrets Manager, tagged as the cache's
      String kept = Names.authSecretName(CLUSTER_ID, "default", "twoapps");
      String ordersKept = Names.userSecretName(kept, "orders");
      assertThat(clients.secrets().getSecretValue(r -> r.secretId(ordersKept)).secretString()).isEqualTo(ordersSecret.get("password"));
      assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.userSecretName(kept, "analytics"))).secretString())
          .isEqualTo(analyticsSecret.get("password"));
      String uid = k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o", "jsonpath={.metadata.uid}").ok().out();
      assertThat(clients.secrets().describeSecret(r -> r.secretId(ordersKept)).tags())
          .anyMatch(t -> t.key().equals(Names.TAG_UID) && t.value().equals(uid));
      // analytics' Secret deleted: the next reconcile (the spec change below) writes it again from Secrets Manager
      k8s.kubectl("delete", "secret", "twoapps-analytics", "-n", "default").ok();

      // orders removed: out of the group, then its user deleted, then its Secret
      String ordersUserId = JSON.readTree(k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o", "json").ok().out())
          .at("/status/users/0/userId").asText();
      assertThat(ordersUserId).startsWith("rc-");
      patch("default", "twoapps", "{\"spec\":{\"users\":[{\"name\":\"analytics\",\"accessString\":\"on %R~orders:* ~analytics:* +@read +@write -@dangerous\"}]}}");
      await(Duration.ofSeconds(120), () -> secret("default", "twoapps-orders").isEmpty());
      assertThat(clients.elastiCache().describeUsers(r -> { }).users()).noneMatch(u -> u.userId().equals(ordersUserId));
      await(Duration.ofSeconds(30), () -> !bridge.users().containsKey("orders"));
      Proc.Result gone = apps.lettuce(orders, "get", "orders:1");
      assertThat(gone.exit()).isNotZero();
      assertThat(gone.err()).contains("WRONGPASS");
      await(Duration.ofSeconds(60), () -> "localhost".equals(secret("default", "twoapps-analytics").get("host")));
      assertThat(secret("default", "twoapps-analytics").get("password")).as("rebuilt with the kept password")
          .isEqualTo(analyticsSecret.get("password"));
      assertThat(apps.lettuce(analytics, "get", "orders:1").ok().out()).as("analytics untouched").isEqualTo("from orders\n");
      assertThat(clients.secrets().listSecrets().secretList()).as("orders' password deleted after its user")
          .noneMatch(x -> x.name().equals(ordersKept));

      // authentication switched. analytics (a password user named analytics, not by its id) to iam: AWS cannot, Stalled naming the field
      String analyticsUser = "{\"name\":\"analytics\",\"accessString\":\"on %R~orders:* ~analytics:* +@read +@write -@dangerous\"";
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + ",\"authentication\":\"iam\"}]}}");
      k8s.kubectl("wait", "--for=condition=Stalled", "rediscache/twoapps", "-n", "default", "--timeout=60s").ok();
      assertThat(k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Stalled\")].message}").ok().out()).contains("spec.users[0].authentication");
      // reports, an iam user (named by its id), to password and back, by ModifyUser: its Secret follows
      String reports = "{\"name\":\"reports\",\"accessString\":\"on ~reports:* +@read +@write\",\"authentication\":";
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + "}," + reports + "\"iam\"}]}}");
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/twoapps", "-n", "default", "--timeout=120s").ok();
      await(Duration.ofSeconds(30), () -> secret("default", "twoapps-reports").containsKey("iamPolicy"));
      String reportsId = secret("default", "twoapps-reports").get("username");
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + "}," + reports + "\"password\"}]}}");
      await(Duration.ofSeconds(120), () -> secret("default", "twoapps-reports").containsKey("password")
          && "password".equals(clients.elastiCache().describeUsers(r -> r.userId(reportsId)).users().get(0).authentication().typeAsString()));
      Map<String, String> reportsSecret = secret("default", "twoapps-reports");
      assertThat(reportsSecret).containsEntry("username", reportsId).doesNotContainKey("iamPolicy");
      assertThat(clients.secrets().getSecretValue(r -> r.secretId(Names.userSecretName(kept, "reports"))).secretString())
          .isEqualTo(reportsSecret.get("password"));
      Path reportsApp = AppClients.bindingDirectory(tls.resolve("reports"), "twoapps-reports", reportsSecret).getParent();
      Proc.Result[] last = new Proc.Result[1];
      await(Duration.ofSeconds(30), () -> (last[0] = apps.lettuce(reportsApp, "set", "reports:1", "switched")).exit() == 0); // once bridged
      assertThat(last[0].out()).isEqualTo("switched\n");
      patch("default", "twoapps", "{\"spec\":{\"users\":[" + analyticsUser + "}," + reports + "\"iam\"}]}}");
      await(Duration.ofSeconds(120), () -> !secret("default", "twoapps-reports").containsKey("password")
          && "iam".equals(clients.elastiCache().describeUsers(r -> r.userId(reportsId)).users().get(0).authentication().typeAsString()));
      await(Duration.ofSeconds(30), () -> (last[0] = apps.lettuce(reportsApp, "get", "reports:1")).exit() != 0); // once bridged
      assertThat(last[0].err()).as("its password is gone with the switch to iam").contains("WRONGPASS");
      assertThat(clients.secrets().listSecrets().secretList()).noneMatch(x -> x.name().equals(Names.userSecretName(kept, "reports")));
      assertThat(operator.tail()).doesNotContain(reportsSecret.get("password"));
      for (Proc.Result r : List.of(ordersElsewhere, dangerous, analyticsWrites, anonymous, gone)) {
        assertThat(r.out() + r.err()).doesNotContain(ordersSecret.get("password")).doesNotContain(analyticsSecret.get("password"));
      }
      assertThat(operator.tail()).doesNotContain(ordersSecret.get("password")).doesNotContain(analyticsSecret.get("password"));
      assertThat(k8s.kubectl("get", "events", "-n", "default", "-o", "json").ok().out())
          .doesNotContain(ordersSecret.get("password")).doesNotContain(analyticsSecret.get("password"));

      // every user removed: AWS's way to no access control, the user group off the cache, then the group and the users go
      patch("default", "twoapps", "{\"spec\":{\"users\":[]}}");
      await(Duration.ofSeconds(120), () -> rgOf(rgId).userGroupIds().isEmpty() && secret("default", "twoapps-analytics").isEmpty()
          && clients.elastiCache().describeUserGroups(r -> { }).userGroups().stream().noneMatch(g -> g.userGroupId().startsWith("rc-")));
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUsers(r -> { }).users().stream().noneMatch(u -> u.userId().startsWith("rc-")));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/twoapps", "-n", "default", "--timeout=60s").ok();
      assertThat(k8s.kubectl("get", "rediscache", "twoapps", "-n", "default", "-o", "jsonpath={.status.userGroupId}").ok().out()).isEmpty();
      assertThat(events("default", "twoapps")).contains("UserGroupDetached");
    } finally {
      bridge.close();
      redis.destroy();
      Map<String, Object> clear = new java.util.HashMap<>();
      clear.put("endpointHost", null);
      clear.put("endpointPort", null);
      aws.config(clear);
    }
    // the cache deleted: its replication group, then its user group, then its users
    k8s.kubectl("delete", "rediscache", "twoapps", "-n", "default", "--wait=true", "--timeout=180s").ok();
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(rgId));
    assertThat(clients.elastiCache().describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().startsWith("rc-"));
    assertThat(clients.elastiCache().describeUsers(r -> { }).users()).noneMatch(u -> u.userId().startsWith("rc-"));
  }

  /**
   * A running cache with an AUTH token switched to spec.users without an outage: an app holding the
   * token (Lettuce, from the cache Secret) is served through AWS's switch (DELETE + UserGroupIdsToAdd;
   * the group's default user takes the token) and the grace period, the new app's own Secret works,
   * then the default user is swapped for a disabled one and the token is refused. Then back to a
   * token in one edit (AWS's "Migrating from RBAC to AUTH", E71): the app's own user is served until
   * AWS takes the user group off, and Lettuce holding the cache Secret's new token is served after.
   */
  @Test
  @Order(23)
  void aRunningCacheSwitchesFromItsTokenToUsersWhileTokenHoldersAreServed() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-switch");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    AppClients apps = AppClients.install(root, ca);
    k8s.kubectlWithInput(cache("default", "switching", "auth: {enabled: true, rotation: {gracePeriod: 20s}}"), "apply", "-f", "-").ok();
    await(Duration.ofSeconds(60), () -> secret("default", "switching-redis").containsKey("password"));
    String token = secret("default", "switching-redis").get("password");
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, token);
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "switching");
    DataPlaneBridge bridge = DataPlaneBridge.start(aws, rgId, port, ca, List.of(token));
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/switching", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> "localhost".equals(secret("default", "switching-redis").get("host")));
      Path tokenApp = AppClients.bindingDirectory(tls.resolve("token-app"), "switching-redis", secret("default", "switching-redis")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenApp, "set", "orders:1", "first").exit() == 0);

      patch("default", "switching", "{\"spec\":{\"auth\":{\"enabled\":false},\"users\":[{\"name\":\"orders\",\"accessString\":\"on ~orders:* +@read +@write -@dangerous\"}]}}");
      // Until the default user is the disabled one, the app holding the token is served: before the switch by
      // the token, after it by the group's default user that takes the token.
      int servedByTheGroupsDefaultUser = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      while (!"off -@all".equals(bridge.users().get("default"))) {
        boolean onUsers = "on ~* &* +@all".equals(bridge.users().get("default"));
        Proc.Result r = apps.lettuce(tokenApp, "get", "orders:1");
        if (r.exit() != 0) {
          // only the swap at the end of the grace period may refuse it (the bridge records the swap just after applying it)
          OperatorProcess.sleep(1000);
          assertThat(bridge.users().get("default")).as("refused before the swap: %s", r.err()).isEqualTo("off -@all");
          break;
        }
        assertThat(r.out()).isEqualTo("first\n");
        if (onUsers) servedByTheGroupsDefaultUser++;
        assertThat(System.nanoTime()).as("the switch ends; operator log:\n%s", operator.tail()).isLessThan(deadline);
      }
      assertThat(servedByTheGroupsDefaultUser).as("served by the group's default user during the grace period").isPositive();
      assertThat(rgOf(rgId).authTokenEnabled()).isFalse();
      Proc.Result stale = apps.lettuce(tokenApp, "get", "orders:1");
      assertThat(stale.exit()).isNotZero();
      assertThat(stale.err()).contains("WRONGPASS").doesNotContain(token);
      Path orders = AppClients.bindingDirectory(tls.resolve("orders"), "switching-orders", secret("default", "switching-orders")).getParent();
      assertThat(apps.lettuce(orders, "get", "orders:1").ok().out()).isEqualTo("first\n");
      await(Duration.ofSeconds(60), () -> !secret("default", "switching-redis").containsKey("password"));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/switching", "-n", "default", "--timeout=60s").ok();
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUsers(r -> { }).users().stream()
          .noneMatch(u -> u.userId().startsWith("rc-") && u.accessString().equals("on ~* &* +@all")));
      assertThat(k8s.kubectl("get", "events", "-n", "default", "-o", "json").ok().out()).doesNotContain(token).contains("UsersSwitched");

      // A password rotation on demand: the old and the new password both work through the grace period (20 s), then only the new one.
      String before = secret("default", "switching-orders").get("password");
      k8s.kubectl("annotate", "rediscache", "switching", "-n", "default", "elasticache.operators.dev/rotate-token=now").ok();
      await(Duration.ofSeconds(60), () -> !before.equals(secret("default", "switching-orders").get("password")));
      Path rotated = AppClients.bindingDirectory(tls.resolve("orders-rotated"), "switching-orders", secret("default", "switching-orders")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(rotated, "get", "orders:1").exit() == 0);
      assertThat(apps.lettuce(orders, "get", "orders:1").ok().out()).as("the old password in the grace period").isEqualTo("first\n");
      await(Duration.ofSeconds(90), () -> apps.lettuce(orders, "get", "orders:1").exit() != 0);
      Proc.Result old = apps.lettuce(orders, "get", "orders:1");
      assertThat(old.err()).contains("WRONGPASS").doesNotContain(before);
      assertThat(apps.lettuce(rotated, "get", "orders:1").ok().out()).isEqualTo("first\n");

      // And back to a token in one edit, AWS's "Migrating from RBAC to AUTH" (RemoveUserGroups with the token and ROTATE,
      // then SET): the orders app is served until AWS has taken its user group off, then the cache Secret's token is.
      String gid = k8s.kubectl("get", "rediscache", "switching", "-n", "default", "-o", "jsonpath={.status.userGroupId}").ok().out();
      patch("default", "switching", "{\"spec\":{\"auth\":{\"enabled\":true},\"users\":[]}}");
      int ordersServed = 0;
      long backDeadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      while (bridge.users().containsKey("orders")) {
        Proc.Result r = apps.lettuce(rotated, "get", "orders:1");
        if (r.exit() != 0) {
          // only the user group's removal by AWS may refuse it (the bridge records it just after applying it)
          OperatorProcess.sleep(1000);
          assertThat(bridge.users()).as("refused while its user is on the cache: %s", r.err()).doesNotContainKey("orders");
          break;
        }
        assertThat(r.out()).isEqualTo("first\n");
        ordersServed++;
        String inSecret = secret("default", "switching-redis").get("password");
        if (inSecret != null) assertThat(aws.authTokens(rgId)).as("the cache Secret gets the token only once AWS takes it").contains(inSecret);
        assertThat(System.nanoTime()).as("the user group comes off; operator log:\n%s", operator.tail()).isLessThan(backDeadline);
      }
      assertThat(ordersServed).as("the orders app served while AWS applies the switch").isPositive();
      await(Duration.ofSeconds(120), () -> secret("default", "switching-redis").containsKey("password") && secret("default", "switching-orders").isEmpty());
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/switching", "-n", "default", "--timeout=120s").ok();
      String newToken = secret("default", "switching-redis").get("password");
      assertThat(newToken).isNotEqualTo(token);
      Path tokenAgain = AppClients.bindingDirectory(tls.resolve("token-again"), "switching-redis", secret("default", "switching-redis")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenAgain, "get", "orders:1").exit() == 0);
      assertThat(apps.lettuce(tokenAgain, "get", "orders:1").ok().out()).as("Lettuce holding the cache Secret's token").isEqualTo("first\n");
      assertThat(apps.lettuce(rotated, "get", "orders:1").exit()).as("the removed user's password").isNotZero();
      assertThat(rgOf(rgId).authTokenEnabled()).isTrue();
      assertThat(rgOf(rgId).userGroupIds()).isEmpty();
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUserGroups(r -> { }).userGroups().stream().noneMatch(g -> g.userGroupId().equals(gid))
          && clients.elastiCache().describeUsers(r -> { }).users().stream().noneMatch(u -> u.userId().startsWith(rgId)));
      assertThat(k8s.kubectl("get", "events", "-n", "default", "-o", "json").ok().out()).doesNotContain(newToken)
          .contains("SwitchingToToken").contains("SwitchedToToken");
    } finally {
      bridge.close();
      redis.destroy();
      Map<String, Object> clear = new java.util.HashMap<>();
      clear.put("endpointHost", null);
      clear.put("endpointPort", null);
      aws.config(clear);
      k8s.kubectl("delete", "rediscache", "switching", "-n", "default", "--timeout=180s");
    }
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

  ReplicationGroup rgOf(String id) {
    return clients.elastiCache().describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().get(0);
  }

  /**
   * spec.network.subnetSelector on a running cache: no match is Stalled naming the field with nothing
   * made; the subnets tagged then are picked when the selector changes (one DescribeSubnets each
   * time, none for other changes), and the cache subnet group follows a selector that picks others.
   */
  @Test
  @Order(24)
  void aSubnetSelectorIsResolvedOnceAndTheSubnetGroupFollowsWhenItChanges() throws Exception {
    var ec2 = clients.ec2();
    String vpc = ids.get("vpc-0123456789abcdef0");
    String ns = "selector";
    k8s.kubectl("create", "namespace", ns).ok();
    String manifest = cache(ns, "picky", "").replace("    subnetIds: [" + ids.get("subnet-0a1b2c3d4e5f60718") + ", " + ids.get("subnet-0f1e2d3c4b5a69788") + "]\n",
        "    subnetSelector: {vpcId: " + vpc + ", tags: {stage: blue}}\n");
    k8s.kubectlWithInput(manifest, "apply", "-f", "-").ok();
    await(READY_TIMEOUT, () -> k8s.kubectl("get", "rediscache", "picky", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type=='Stalled')].reason}")
        .out().equals("NoSubnetsSelected"));
    assertThat(k8s.kubectl("get", "rediscache", "picky", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type=='Stalled')].message}").out())
        .startsWith("spec.network.subnetSelector: no subnet of " + vpc + " carries the tags {stage=blue}");
    String rgId = Names.replicationGroupId(CLUSTER_ID, ns, "picky");
    assertThat(clients.elastiCache().describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(rgId));

    // Subnets tagged stage: green (A and B), and the selector changed to them: Ready in those subnets.
    String a = ids.get("subnet-0a1b2c3d4e5f60718");
    String b = ids.get("subnet-0f1e2d3c4b5a69788");
    ec2.createTags(r -> r.resources(a, b).tags(software.amazon.awssdk.services.ec2.model.Tag.builder().key("stage").value("green").build()));
    int before = operatorCalls("ec2:DescribeSubnets");
    patch(ns, "picky", "{\"spec\":{\"network\":{\"subnetSelector\":{\"tags\":{\"stage\":\"green\"}}}}}");
    awaitConverged(ns, "picky");
    assertThat(clients.elastiCachePort().findSubnetGroup(rgId).orElseThrow().subnetIds()).containsExactlyInAnyOrder(a, b);
    JsonNode status = JSON.readTree(k8s.kubectl("get", "rediscache", "picky", "-n", ns, "-o", "json").ok().out()).get("status");
    assertThat(status.at("/network/subnetIds").toString()).isEqualTo(JSON.writeValueAsString(List.of(a, b).stream().sorted().toList()));
    assertThat(operatorCalls("ec2:DescribeSubnets")).isEqualTo(before + 1);

    // Another change, and time for a few sweeps: EC2 is not asked again.
    patch(ns, "picky", "{\"spec\":{\"backups\":{\"retentionDays\":2}}}");
    awaitConverged(ns, "picky");
    Thread.sleep(6_000);
    assertThat(operatorCalls("ec2:DescribeSubnets")).isEqualTo(before + 1);

    // A selector that picks the dual-stack subnets instead: the subnet group follows (ModifyCacheSubnetGroup).
    String dualA = ids.get("subnet-0d5a1c2e3f4b5d6e7");
    String dualB = ids.get("subnet-0d5b1c2e3f4b5d6e8");
    ec2.createTags(r -> r.resources(dualA, dualB).tags(software.amazon.awssdk.services.ec2.model.Tag.builder().key("stage").value("teal").build()));
    patch(ns, "picky", "{\"spec\":{\"network\":{\"subnetSelector\":{\"tags\":{\"stage\":\"teal\"}}}}}");
    awaitConverged(ns, "picky");
    await(READY_TIMEOUT, () -> new java.util.HashSet<>(clients.elastiCachePort().findSubnetGroup(rgId).orElseThrow().subnetIds()).equals(java.util.Set.of(dualA, dualB)));
    assertThat(operatorCalls("ec2:DescribeSubnets")).isEqualTo(before + 2);
    assertThat(events(ns, "picky")).contains("SubnetGroupModified").contains("SubnetsSelected");

    k8s.kubectl("delete", "rediscache", "picky", "-n", ns, "--wait=true", "--timeout=180s").ok();
    assertNothingLeftInAws();
  }

  /**
   * restoreFrom on a serverless cache: a serverless RedisCache deleted with deletionPolicy Snapshot,
   * then a new one in another namespace restored from its final snapshot (SnapshotArnsToRestore with
   * that snapshot's ARN, status.restoredFrom); a snapshot that does not exist is Stalled naming the
   * field with no cache made. The data plane is not followed (the emulator moves no data).
   */
  @Test
  @Order(25)
  void aServerlessCacheIsRestoredFromTheFinalSnapshotOfAnother() throws Exception {
    k8s.kubectl("create", "namespace", "nightly").ok();
    k8s.kubectl("create", "namespace", "staging-2").ok();
    k8s.kubectlWithInput(cache("nightly", "orders", "serverless: {maxDataStorageGB: 2}\n  deletionPolicy: Snapshot"), "apply", "-f", "-").ok();
    awaitConverged("nightly", "orders");
    String uid = k8s.kubectl("get", "rediscache", "orders", "-n", "nightly", "-o", "jsonpath={.metadata.uid}").ok().out();
    k8s.kubectl("delete", "rediscache", "orders", "-n", "nightly", "--wait=true", "--timeout=180s").ok();
    String snapshot = Names.finalSnapshotName(Names.replicationGroupId(CLUSTER_ID, "nightly", "orders"), uid);
    var snap = clients.elastiCache().describeServerlessCacheSnapshots(r -> r.serverlessCacheSnapshotName(snapshot)).serverlessCacheSnapshots().get(0);

    k8s.kubectlWithInput(cache("staging-2", "ghost", "serverless: {}\n  restoreFrom: {snapshotName: no-such-snapshot}"), "apply", "-f", "-").ok();
    k8s.kubectlWithInput(cache("staging-2", "orders", "serverless: {maxDataStorageGB: 2}\n  restoreFrom: {snapshotName: " + snapshot + "}"),
        "apply", "-f", "-").ok();
    awaitConverged("staging-2", "orders");
    String name = Names.replicationGroupId(CLUSTER_ID, "staging-2", "orders");
    assertThat(aws.serverlessRestoredFrom(name)).containsExactly(snap.arn());
    assertThat(k8s.kubectl("get", "rediscache", "orders", "-n", "staging-2", "-o", "jsonpath={.status.restoredFrom}").ok().out())
        .isEqualTo("snapshot " + snapshot);
    assertThat(events("staging-2", "orders")).contains("restored from snapshot " + snapshot);

    await(READY_TIMEOUT, () -> k8s.kubectl("get", "rediscache", "ghost", "-n", "staging-2", "-o",
        "jsonpath={.status.conditions[?(@.type=='Stalled')].reason}").out().equals("RestoreSourceUnusable"));
    assertThat(k8s.kubectl("get", "rediscache", "ghost", "-n", "staging-2", "-o", "jsonpath={.status.conditions[?(@.type=='Stalled')].message}").out())
        .startsWith("spec.restoreFrom.snapshotName: no serverless cache snapshot no-such-snapshot");
    assertThat(clients.elastiCache().describeServerlessCaches(r -> { }).serverlessCaches())
        .noneMatch(c -> c.serverlessCacheName().equals(Names.replicationGroupId(CLUSTER_ID, "staging-2", "ghost")));

    // E67: a node-based group's snapshot, found by name (DescribeSnapshots), goes to CreateServerlessCache by its ARN
    snapshotOfAHandMadeGroup("orders-nodes-nightly");
    String nodeArn = clients.elastiCache().describeSnapshots(r -> r.snapshotName("orders-nodes-nightly")).snapshots().get(0).arn();
    k8s.kubectlWithInput(cache("staging-2", "from-nodes", "serverless: {maxDataStorageGB: 2}\n  restoreFrom: {snapshotName: orders-nodes-nightly}"),
        "apply", "-f", "-").ok();
    awaitConverged("staging-2", "from-nodes");
    assertThat(aws.serverlessRestoredFrom(Names.replicationGroupId(CLUSTER_ID, "staging-2", "from-nodes"))).containsExactly(nodeArn);
    assertThat(k8s.kubectl("get", "rediscache", "from-nodes", "-n", "staging-2", "-o", "jsonpath={.status.restoredFrom}").ok().out())
        .isEqualTo("snapshot orders-nodes-nightly");
    assertThat(events("staging-2", "from-nodes")).contains("restored from node-based snapshot orders-nodes-nightly of replication group hand-made-carts");

    k8s.kubectl("delete", "rediscaches", "--all", "-n", "staging-2", "--wait=true", "--timeout=180s").ok();
    assertNothingLeftInAws();
  }

  /** deletionPolicy Retain on a serverless cache: left in AWS, its ownership tags removed, a Retained event; then cleaned up by hand. */
  @Test
  @Order(26)
  void aServerlessCacheWithRetainIsLeftInAwsWithoutItsOwnershipTags() throws Exception {
    String ns = "kept";
    k8s.kubectl("create", "namespace", ns).ok();
    k8s.kubectlWithInput(cache(ns, "sessions", "serverless: {}\n  deletionPolicy: Retain\n  tags: {team: web}"), "apply", "-f", "-").ok();
    awaitConverged(ns, "sessions");
    String name = Names.replicationGroupId(CLUSTER_ID, ns, "sessions");
    String sg = k8s.kubectl("get", "rediscache", "sessions", "-n", ns, "-o", "jsonpath={.status.securityGroupId}").ok().out();
    k8s.kubectl("delete", "rediscache", "sessions", "-n", ns, "--wait=true", "--timeout=180s").ok();
    var ec = clients.elastiCache();
    var cache = ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0);
    assertThat(cache.status()).isEqualTo("available");
    Map<String, String> tags = clients.elastiCachePort().tagsOf(cache.arn());
    assertThat(tags).containsEntry("team", "web").doesNotContainKeys(Names.TAG_UID, Names.TAG_CLUSTER);
    assertThat(events(ns, "sessions")).contains("Retained").contains("ownership tags were removed");

    // cleaned up by hand, as a person would once the retained cache is no longer needed
    ec.deleteServerlessCache(r -> r.serverlessCacheName(name));
    await(READY_TIMEOUT, () -> ec.describeServerlessCaches(r -> { }).serverlessCaches().stream().noneMatch(c -> c.serverlessCacheName().equals(name)));
    ec.deleteCacheSubnetGroup(r -> r.cacheSubnetGroupName(name));
    await(READY_TIMEOUT, () -> {
      try {
        clients.ec2().deleteSecurityGroup(r -> r.groupId(sg));
        return true;
      } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
        return false; // DependencyViolation while AWS releases the cache's network interfaces
      }
    });
    assertNothingLeftInAws();
  }

  /** How often the operator (its IAM user's access key) called this AWS action. */
  int operatorCalls(String action) {
    return aws.callsByAccessKey().getOrDefault(operatorAws.get("AWS_ACCESS_KEY_ID"), Map.of()).getOrDefault(action, 0);
  }

  // ---------------------------------------------------------------- accounts and regions

  /**
   * spec.account: an ElastiCacheAccount allows namespace vault only. A cache in another namespace
   * naming it is Stalled and makes no call at all in that account; one in vault is made there (its
   * account and region only), and both go on delete.
   */
  @Test
  @Order(28)
  void aCacheInAnotherAccountIsMadeThereOnlyAndANamespaceNotAllowedMakesNoCallThere() throws Exception {
    String account = "apiVersion: elasticache.operators.dev/v1alpha1\nkind: ElastiCacheAccount\nmetadata:\n  name: vault-west\nspec:\n"
        + "  roleArn: " + vault.roleArn + "\n  region: us-west-2\n  namespaces: [vault]\n";
    k8s.kubectlWithInput(account, "apply", "-f", "-").ok();
    for (String ns : List.of("vault", "intruders")) k8s.kubectlWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n", "apply", "-f", "-").ok();
    String spec = "spec:\n  account: vault-west\n  nodeType: cache.t4g.micro\n  network:\n    subnetIds: [" + vault.ids.get("subnet-vault-a") + ", "
        + vault.ids.get("subnet-vault-b") + "]\n    allowedCidrBlocks: [10.20.0.0/16]\n";

    Map<String, Map<String, Integer>> before = callsIn(vault); // the tests' own looks at it so far (assertNothingLeftInAws)
    k8s.kubectlWithInput("apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: secrets\n  namespace: intruders\n" + spec,
        "apply", "-f", "-").ok();
    Proc.Result stalled = k8s.kubectl("wait", "--for=jsonpath={.status.conditions[?(@.type==\"Stalled\")].reason}=AccountNotAllowed",
        "rediscache/secrets", "-n", "intruders", "--timeout=60s");
    assertThat(stalled.exit()).as("Stalled; %s", describe("intruders", "secrets")).isZero();
    JsonNode refused = JSON.readTree(k8s.kubectl("get", "rediscache", "secrets", "-n", "intruders", "-o", "json").ok().out());
    assertThat(refused.at("/status/conditions").toString()).contains("spec.account: ElastiCacheAccount vault-west does not allow namespace intruders");
    assertThat(k8s.kubectl("get", "events", "-n", "intruders").ok().out()).contains("AccountNotAllowed");
    OperatorProcess.sleep(12_000); // two fast sweep periods and more: the refused cache's rechecks, any poller's turns
    assertThat(callsIn(vault)).as("no call in account %s", vault.id).isEqualTo(before);

    k8s.kubectlWithInput("apiVersion: elasticache.operators.dev/v1alpha1\nkind: RedisCache\nmetadata:\n  name: secrets\n  namespace: vault\n" + spec,
        "apply", "-f", "-").ok();
    Proc.Result ready = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/secrets", "-n", "vault", "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
    assertThat(ready.exit()).as("Ready; operator log:\n%s\n%s", operator.tail(), describe("vault", "secrets")).isZero();
    String rgId = Names.replicationGroupId(CLUSTER_ID, "vault", "secrets");
    verifyInOtherAccount(vault, "vault", "secrets", rgId);
    // The measure is not vacuous: the allowed cache's calls are counted in that account and region.
    assertThat(aws.callsByAccount()).containsKey(vault.id + "/us-west-2");
    assertThat(aws.callsByAccount().get(vault.id + "/us-west-2")).containsKeys("elasticache:CreateReplicationGroup", "ec2:CreateSecurityGroup");
    // Still nothing of the refused one there, nor anywhere: it never got a replication group id.
    refused = JSON.readTree(k8s.kubectl("get", "rediscache", "secrets", "-n", "intruders", "-o", "json").ok().out());
    assertThat(refused.at("/status/replicationGroupId").isMissingNode()).isTrue();

    k8s.kubectl("delete", "rediscache", "secrets", "-n", "intruders", "--wait=true", "--timeout=60s").ok();
    k8s.kubectl("delete", "rediscache", "secrets", "-n", "vault", "--wait=true", "--timeout=180s").ok();
    assertThat(vault.elastiCache(admin).describeReplicationGroups().replicationGroups()).noneMatch(g -> g.replicationGroupId().equals(rgId));
    k8s.kubectl("delete", "elasticacheaccount", "vault-west").ok();
  }

  /**
   * Issue 10 item 5, AUTH on -> off in one edit, AWS's way: a Lettuce app holding the token (from the
   * cache Secret, through the data-plane bridge's redis-server) is served at every look while the
   * operator makes a user group whose default user takes the token, AWS moves the group to it
   * (DELETE + UserGroupIdsToAdd) and removes it (UserGroupIdsToRemove); then a client without a
   * password is served too, and Lettuce and redis-py still holding the token. A watcher with
   * redis-cli shows, phase by phase, that AUTH default <token> is never refused while the
   * one-argument AUTH <token> is refused once there is no password at all: measured and asserted,
   * as the README says.
   */
  @Test
  @Order(29)
  void authAndNothingElseIsTurnedOffInOneEditWhileTokenHoldersAreServed() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-authoff");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    AppClients apps = AppClients.install(root, ca);
    k8s.kubectlWithInput(cache("default", "opening", "auth: {enabled: true}"), "apply", "-f", "-").ok();
    await(Duration.ofSeconds(60), () -> secret("default", "opening-redis").containsKey("password"));
    String token = secret("default", "opening-redis").get("password");
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, token);
    String rgId = Names.replicationGroupId(CLUSTER_ID, "default", "opening");
    DataPlaneBridge bridge = DataPlaneBridge.start(aws, rgId, port, ca, List.of(token));
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/opening", "-n", "default", "--timeout=" + READY_TIMEOUT.toSeconds() + "s").ok();
      await(Duration.ofSeconds(30), () -> "localhost".equals(secret("default", "opening-redis").get("host")));
      Path tokenApp = AppClients.bindingDirectory(tls.resolve("token-app"), "opening-redis", secret("default", "opening-redis")).getParent();
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenApp, "set", "orders:1", "first").exit() == 0);
      assertThat(apps.redisPy(tokenApp, "orders:1").ok().out()).isEqualTo("first\n");

      // A watcher, every ~100 ms, with redis-cli holding the token: AUTH default <token> (two arguments, as Lettuce's
      // HELLO sends it) and AUTH <token> (one argument, as redis-py without a user name), by the data plane's phase.
      java.util.concurrent.ConcurrentLinkedQueue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          String before = phase(bridge);
          String two = tokenCli(port, ca, List.of("--user", "default", "--pass", token), "GET", "orders:1");
          String one = tokenCli(port, ca, List.of("-a", token), "GET", "orders:1");
          String after = phase(bridge);
          seen.add((before.equals(after) ? before : before + " -> " + after) + " | two-argument " + (two.equals("first") ? "served" : "refused: " + two)
              + " | one-argument " + (one.equals("first") ? "served" : "refused: " + one));
          OperatorProcess.sleep(100);
        }
      }, "token-watcher");
      watcher.setDaemon(true);
      watcher.start();
      patch("default", "opening", "{\"spec\":{\"auth\":{\"enabled\":false}}}");
      List<String> lettuceServed = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      while (true) {
        String phase = phase(bridge);
        Proc.Result r = apps.lettuce(tokenApp, "get", "orders:1");
        assertThat(r.exit()).as("the Lettuce app holding the token is served (%s): %s", phase, r.err()).isZero();
        assertThat(r.out()).isEqualTo("first\n");
        if (lettuceServed.isEmpty() || !lettuceServed.get(lettuceServed.size() - 1).equals(phase)) lettuceServed.add(phase);
        boolean done = !secret("default", "opening-redis").containsKey("password") && phase.equals("no access control")
            && k8s.kubectl("get", "rediscache", "opening", "-n", "default", "-o", "jsonpath={.status.userGroupId}").ok().out().isEmpty();
        if (done) break;
        assertThat(System.nanoTime()).as("auth is off in time; operator log:\n%s", operator.tail()).isLessThan(deadline);
      }
      OperatorProcess.sleep(1000);
      watching.set(false);
      watcher.join(10_000);
      List<String> looks = List.copyOf(seen);
      List<String> phases = new ArrayList<>();
      for (String l : looks) {
        String ph = l.substring(0, l.indexOf(" |"));
        if (!ph.contains("->") && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(ph))) phases.add(ph);
      }
      System.out.println("auth off in one edit: data plane phases " + phases + "; Lettuce served in " + lettuceServed + "; "
          + looks.size() + " redis-cli looks; one-argument AUTH refused: " + looks.stream().filter(l -> l.contains("one-argument refused")).findFirst().orElse("never"));
      assertThat(phases).containsSubsequence("token", "user group", "no access control");
      assertThat(looks).as("AUTH default <token> is never refused").noneMatch(l -> l.contains("two-argument refused"));
      assertThat(looks).as("served by the group's default user").anyMatch(l -> l.startsWith("user group | two-argument served | one-argument served"));
      // the one-argument AUTH <token>: served while a password is required, refused once there is none (redis-server's rule)
      assertThat(looks.stream().filter(l -> l.contains("one-argument refused"))).isNotEmpty()
          .allMatch(l -> l.substring(0, l.indexOf(" |")).endsWith("no access control") && l.contains("without any password configured"));
      assertThat(looks).anyMatch(l -> l.startsWith("token | two-argument served | one-argument served"));
      assertThat(rgOf(rgId).authTokenEnabled()).isFalse();
      assertThat(rgOf(rgId).userGroupIds()).isEmpty();
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/opening", "-n", "default", "--timeout=60s").ok();
      // a client without a password, from the Secret as it is now
      Path open = AppClients.bindingDirectory(tls.resolve("open-app"), "opening-redis", secret("default", "opening-redis")).getParent();
      assertThat(secret("default", "opening-redis")).doesNotContainKey("password");
      assertThat(apps.lettuce(open, "get", "orders:1").ok().out()).isEqualTo("first\n");
      assertThat(apps.redisPy(open, "orders:1").ok().out()).isEqualTo("first\n");
      // Lettuce 7 and redis-py 8.1 still holding the token are served: both send HELLO 3 AUTH default <token>
      assertThat(apps.lettuce(tokenApp, "get", "orders:1").ok().out()).isEqualTo("first\n");
      assertThat(apps.redisPy(tokenApp, "orders:1").ok().out()).isEqualTo("first\n");
      await(Duration.ofSeconds(60), () -> clients.elastiCache().describeUsers(r -> { }).users().stream().noneMatch(u -> u.userId().startsWith("rc-")));
      assertThat(clients.elastiCache().describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().equals(rgId));
      String events = events("default", "opening");
      assertThat(events).contains("TurningAuthOff").contains("AuthTurnedOff").doesNotContain(token);
    } finally {
      bridge.close();
      redis.destroy();
      Map<String, Object> clear = new java.util.HashMap<>();
      clear.put("endpointHost", null);
      clear.put("endpointPort", null);
      aws.config(clear);
      k8s.kubectl("delete", "rediscache", "opening", "-n", "default", "--timeout=180s");
    }
  }

  /** What the data-plane bridge has applied: a user group (with its default user), the token, or no access control. */
  static String phase(DataPlaneBridge bridge) {
    return !bridge.users().isEmpty() ? "user group" : bridge.tokens().isEmpty() ? "no access control" : "token";
  }

  /** redis-cli over TLS with the given AUTH arguments, one command, its reply (or error) on one line. */
  static String tokenCli(int port, Path ca, List<String> auth, String... command) {
    List<String> cli = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", ca.toAbsolutePath().toString(), "-h", "localhost",
        "-p", Integer.toString(port), "--no-auth-warning"));
    cli.addAll(auth);
    cli.addAll(List.of(command));
    Proc.Result r = Proc.run(Path.of("."), Map.of(), null, 30, cli);
    return (r.out() + r.err()).strip().replace('\n', ' ');
  }

  /** The calls the emulator counted in that account, in any region. */
  Map<String, Map<String, Integer>> callsIn(OtherAccount account) {
    Map<String, Map<String, Integer>> out = new java.util.TreeMap<>(aws.callsByAccount());
    out.keySet().removeIf(k -> !k.startsWith(account.id + "/"));
    return out;
  }

  /**
   * spec.users on a serverless cache (samples/serverless-users.yaml): the user group is made and
   * active, then the serverless cache is created with it (UserGroupId). A TLS redis-server stands in
   * for the serverless endpoint and the bridge gives it the emulator's users of the cache's group
   * (E66): each app's Secret, used by redis-cli, is allowed and refused as its access string says;
   * every user removed is RemoveUserGroup (the server takes clients without a password again, no
   * access control), then the group, the users and their Secrets go; delete takes the cache, then
   * the group. The operator runs as the IAM user of deploy/iam-policy.json.
   */
  @Test
  @Order(29)
  void aServerlessCacheWithUsersServesEachAppAsItsAccessStringSaysAndOpensWhenTheyAreRemoved() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    Path tls = Path.of("target/e2e-serverless-users");
    makeCertificates(tls);
    Path ca = tls.resolve("ca.crt");
    int port = freePort();
    Process redis = tlsRedis(redisServer, tls, port, null);
    String name = Names.replicationGroupId(CLUSTER_ID, "till", "checkout-sessions");
    DataPlaneBridge bridge = DataPlaneBridge.startServerless(aws, name, port, ca);
    var ec = clients.elastiCache();
    try {
      aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
      // in a namespace of its own: the samples test's app Secrets stay in checkout (no garbage collector runs here)
      k8s.kubectlWithInput(withRealIds(Files.readString(Path.of("samples/serverless-users.yaml")))
          .replace("name: checkout\n", "name: till\n").replace("namespace: checkout\n", "namespace: till\n"), "apply", "-f", "-").ok();
      Proc.Result waited = k8s.kubectl("wait", "--for=condition=Ready", "rediscache/checkout-sessions", "-n", "till",
          "--timeout=" + READY_TIMEOUT.toSeconds() + "s");
      assertThat(waited.exit()).as("Ready; operator log:\n%s\n%s", operator.tail(), describe("till", "checkout-sessions")).isZero();
      String gid = k8s.kubectl("get", "rediscache", "checkout-sessions", "-n", "till", "-o", "jsonpath={.status.userGroupId}").ok().out();
      assertThat(ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).userGroupId()).isEqualTo(gid);
      assertThat(ec.describeUserGroups(r -> r.userGroupId(gid)).userGroups().get(0).serverlessCaches()).containsExactly(name);
      await(Duration.ofSeconds(30), () -> bridge.users().keySet().equals(java.util.Set.of("default", "cart", "reports")));
      assertThat(bridge.users()).containsEntry("default", "off -@all");
      Map<String, String> cart = secret("till", "checkout-sessions-cart");
      Map<String, String> reports = secret("till", "checkout-sessions-reports");
      assertThat(cart).containsEntry("host", "localhost").containsEntry("port", Integer.toString(port)).containsEntry("tls", "true")
          .containsEntry("username", "cart").containsEntry("clusterMode", "true");
      assertThat(secret("till", "checkout-sessions-redis")).doesNotContainKey("password");

      // cart writes its keys; reports reads them and may not write; nobody gets in without a password
      assertThat(tlsCli(port, ca, "cart", cart.get("password"), List.of("SET", "cart:1", "3 items"))).isEqualTo("OK");
      assertThat(tlsCli(port, ca, "reports", reports.get("password"), List.of("GET", "cart:1"))).isEqualTo("3 items");
      assertThat(tlsCli(port, ca, "reports", reports.get("password"), List.of("SET", "cart:2", "x"))).contains("NOPERM");
      assertThat(tlsCli(port, ca, "cart", cart.get("password"), List.of("SET", "other:1", "x"))).contains("NOPERM");
      assertThat(tlsCli(port, ca, null, null, List.of("GET", "cart:1"))).as("the default user is disabled").doesNotContain("3 items");

      // every user removed: RemoveUserGroup, then the group, the users and their Secrets; the cache takes everyone again
      List<String> userIds = List.of(k8s.kubectl("get", "rediscache", "checkout-sessions", "-n", "till", "-o",
          "jsonpath={.status.users[*].userId}").ok().out().trim().split(" "));
      assertThat(userIds).hasSize(2).allMatch(id -> id.startsWith("rc-"));
      patch("till", "checkout-sessions", "{\"spec\":{\"users\":[]}}");
      await(Duration.ofSeconds(150), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).userGroupId() == null
          && secret("till", "checkout-sessions-cart").isEmpty() && secret("till", "checkout-sessions-reports").isEmpty()
          && ec.describeUserGroups(r -> { }).userGroups().stream().noneMatch(g -> g.userGroupId().equals(gid)));
      await(Duration.ofSeconds(60), () -> ec.describeUsers(r -> { }).users().stream().noneMatch(u -> userIds.contains(u.userId())));
      k8s.kubectl("wait", "--for=condition=Ready", "rediscache/checkout-sessions", "-n", "till", "--timeout=60s").ok();
      assertThat(events("till", "checkout-sessions")).contains("UserGroupDetached");
      await(Duration.ofSeconds(30), () -> bridge.users().isEmpty());
      assertThat(tlsCli(port, ca, null, null, List.of("GET", "cart:1"))).as("no access control: no password needed").isEqualTo("3 items");
      assertThat(operator.tail()).doesNotContain(cart.get("password")).doesNotContain(reports.get("password"));

      // users again on the running cache: ModifyServerlessCache UserGroupId once the new group is active
      patch("till", "checkout-sessions", "{\"spec\":{\"users\":[{\"name\":\"cart\",\"accessString\":\"on ~cart:* +@all\"}]}}");
      await(Duration.ofSeconds(150), () -> ec.describeServerlessCaches(r -> r.serverlessCacheName(name)).serverlessCaches().get(0).userGroupId() != null
          && !secret("till", "checkout-sessions-cart").isEmpty());
      await(Duration.ofSeconds(30), () -> bridge.users().containsKey("cart"));
      Map<String, String> again = secret("till", "checkout-sessions-cart");
      await(Duration.ofSeconds(30), () -> "3 items".equals(tlsCli(port, ca, "cart", again.get("password"), List.of("GET", "cart:1"))));
    } finally {
      bridge.close();
      clearEndpointOverride();
      redis.destroy();
    }
    // the cache deleted: the serverless cache, then its user group, then its users
    k8s.kubectl("delete", "rediscache", "checkout-sessions", "-n", "till", "--wait=true", "--timeout=180s").ok();
    assertThat(ec.describeServerlessCaches(r -> { }).serverlessCaches()).noneMatch(c -> c.serverlessCacheName().equals(name));
    assertThat(ec.describeUserGroups(r -> { }).userGroups()).noneMatch(g -> g.userGroupId().startsWith("rc-"));
    assertThat(ec.describeUsers(r -> { }).users()).noneMatch(u -> u.userId().startsWith("rc-"));
    assertNothingLeftInAws();
  }

  /** redis-cli over TLS as this user (none: the default user, no password); what it answered, errors included. */
  static String tlsCli(int port, Path ca, String user, String password, List<String> command) {
    List<String> cli = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", ca.toAbsolutePath().toString(), "-h", "localhost",
        "-p", Integer.toString(port), "--no-auth-warning"));
    if (user != null) cli.addAll(List.of("--user", user, "--pass", password));
    cli.addAll(command);
    Proc.Result r = Proc.run(Path.of("."), Map.of(), null, 30, cli);
    return (r.out() + r.err()).strip();
  }

  @Test
  @Order(30)
  void afterEveryTestNothingIsLeftInAws() throws Exception {
    await(Duration.ofSeconds(30), () -> caches().isEmpty());
    assertNothingLeftInAws();
    // Every AWS call the operator made was within deploy/iam-policy.json (moto's IAM check answers AccessDenied otherwise).
    for (String log : List.of("e2e", "e2e-restarted")) {
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
}
