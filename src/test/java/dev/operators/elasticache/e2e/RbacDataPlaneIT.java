package dev.operators.elasticache.e2e;

import static dev.operators.elasticache.e2e.EndToEndIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import dev.operators.elasticache.aws.UserSpec;
import dev.operators.elasticache.aws.sdk.SdkElastiCache;
import dev.operators.elasticache.decide.AuthTokens;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The RBAC data plane with real peers: the AWS emulator (through the operator's SDK adapter), a real
 * redis-server bridged to the emulator's users ({@link DataPlaneBridge}), and the apps' real clients
 * (redis-py, Lettuce) given only a binding (host, port, username, password, tls). A cache with an AUTH
 * token moves to a user group by AWS's migration path (AuthTokenUpdateStrategy DELETE with
 * UserGroupIdsToAdd) without refusing the clients that hold the token, then each app can do exactly
 * what its access string allows and is refused the rest.
 *
 * <p>The steps are taken here by hand through the same port, to show AWS's path and the data plane
 * on their own; the operator takes them for spec.users (EndToEndIT's users tests, UsersComponentTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RbacDataPlaneIT {
  static final Path DIR = Path.of("target/rbac-dataplane");
  AwsEmulator aws;
  AwsTestClients clients;

  @BeforeAll
  void start() {
    aws = AwsEmulator.start("--creating-seconds", "1", "--modifying-seconds", "2", "--deleting-seconds", "1");
    aws.config(Map.of("userSeconds", 1));
    clients = AwsTestClients.of(aws);
  }

  @AfterAll
  void stop() {
    if (clients != null) clients.close();
    if (aws != null) aws.close();
  }

  @Test
  void eachAppCanDoWhatItsAccessStringAllowsAndTheTokenHoldersKeepWorkingThroughTheSwitch() throws Exception {
    Path redisServer = Stream.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    assumeThat(redisServer).as("redis-server (Debian package redis-server; .ci/run installs it)").isNotNull();
    EndToEndIT.makeCertificates(DIR);
    Path ca = DIR.resolve("ca.crt");
    AppClients apps = AppClients.install(Path.of("."), ca);
    SdkElastiCache ec = clients.elastiCachePort();

    // A cache as the operator makes it today: TLS and an AUTH token.
    var raw = clients.ec2();
    String vpc = raw.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String subnet = raw.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
    ec.createSubnetGroup("rc-rbac", "rbac", List.of(subnet), Map.of());
    String token = AuthTokens.generate();
    int port = EndToEndIT.freePort();
    aws.config(Map.of("endpointHost", "localhost", "endpointPort", port));
    ec.createReplicationGroup(ReplicationGroupSpecBuilder.builder().replicationGroupId("rc-rbac").description("rbac")
        .engine("valkey").engineVersion("8.0").cacheNodeType("cache.t4g.micro").numNodeGroups(1).replicasPerNodeGroup(0)
        .clusterMode(false).automaticFailover(false).multiAZ(false).port(6379).cacheSubnetGroupName("rc-rbac")
        .securityGroupIds(List.of()).transitEncryption(true).atRestEncryption(true).authToken(token).snapshotRetentionLimit(0)
        .tags(Map.of()).build());
    await(Duration.ofSeconds(30), () -> ec.describeReplicationGroup("rc-rbac").map(g -> g.group().available()).orElse(false));

    Path conf = DIR.resolve("redis.conf");
    Files.writeString(conf, String.join("\n", "port 0", "tls-port " + port, "bind 127.0.0.1",
        "tls-cert-file " + DIR.resolve("server.crt").toAbsolutePath(), "tls-key-file " + DIR.resolve("server.key").toAbsolutePath(),
        "tls-ca-cert-file " + ca.toAbsolutePath(), "tls-auth-clients no", "requirepass " + token, DataPlaneBridge.ADMIN_CONFIG,
        "save \"\"", "appendonly no", "daemonize no", ""));
    Process redis = new ProcessBuilder(redisServer.toString(), conf.toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(DIR.resolve("redis.log").toFile()).start();
    try (DataPlaneBridge bridge = DataPlaneBridge.start(aws, "rc-rbac", port, ca, List.of(token))) {
      Path tokenApp = binding("token-app", null, token, port);
      await(Duration.ofSeconds(20), () -> apps.lettuce(tokenApp, "set", "orders:1", "first").exit() == 0);

      // Users: the group's default user keeps the token (same rights as the token had), two apps with their own rights.
      String ordersPassword = AuthTokens.generate();
      String reportsPassword = AuthTokens.generate();
      ec.createUser(new UserSpec("rc-rbac-compat", "default", "valkey", "on ~* &* +@all", "password", List.of(token), Map.of()));
      ec.createUser(new UserSpec("rc-rbac-orders", "orders", "valkey", "on ~orders:* +@read +@write -@dangerous", "password",
          List.of(ordersPassword), Map.of()));
      ec.createUser(new UserSpec("rc-rbac-reports", "reports", "valkey", "on ~orders:* +@read", "password", List.of(reportsPassword), Map.of()));
      ec.createUserGroup("rc-rbac", "valkey", List.of("rc-rbac-compat", "rc-rbac-orders", "rc-rbac-reports"), Map.of());
      await(Duration.ofSeconds(20), () -> ec.describeUserGroup("rc-rbac").orElseThrow().active());

      ec.modifyReplicationGroup(ModifyRequest.of("rc-rbac", true).token(null, "DELETE").userGroups(List.of("rc-rbac"), null));
      // Through the switch, the app holding the token is served (before: requirepass; after: the group's default user).
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (bridge.users().isEmpty()) {
        assertThat(apps.lettuce(tokenApp, "get", "orders:1").ok().out()).isEqualTo("first\n");
        assertThat(System.nanoTime()).as("the user group reached the data plane").isLessThan(deadline);
      }
      assertThat(bridge.users()).containsOnlyKeys("default", "orders", "reports");
      assertThat(apps.lettuce(tokenApp, "get", "orders:1").ok().out()).isEqualTo("first\n");

      // orders: read and write its own keys, nothing else
      Path orders = binding("orders", "orders", ordersPassword, port);
      assertThat(apps.redisPy(orders, "orders:2", "from orders").ok().out()).isEqualTo("from orders\n");
      Proc.Result otherKeys = apps.redisPy(orders, "payments:1", "not mine");
      assertThat(otherKeys.exit()).isNotZero();
      assertThat(otherKeys.err()).contains("NoPermissionError");
      Proc.Result dangerous = apps.lettuce(orders, "keys", "*");
      assertThat(dangerous.exit()).as("KEYS is in @dangerous").isNotZero();
      assertThat(dangerous.err()).contains("NOPERM");
      // reports: read orders' keys, never write
      Path reports = binding("reports", "reports", reportsPassword, port);
      assertThat(apps.lettuce(reports, "get", "orders:2").ok().out()).isEqualTo("from orders\n");
      Proc.Result write = apps.lettuce(reports, "set", "orders:3", "nope");
      assertThat(write.exit()).isNotZero();
      assertThat(write.err()).contains("NOPERM");
      // a wrong password is refused
      Proc.Result wrong = apps.lettuce(binding("wrong", "reports", ordersPassword, port), "get", "orders:2");
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.err()).contains("WRONGPASS");

      // Once every app has its own user, the default user is swapped for a disabled one: the token stops working.
      ec.createUser(new UserSpec("rc-rbac-default", "default", "valkey", "off -@all", "password", List.of(AuthTokens.generate()), Map.of()));
      ec.modifyUserGroup("rc-rbac", List.of("rc-rbac-default"), List.of("rc-rbac-compat"));
      await(Duration.ofSeconds(20), () -> "off -@all".equals(bridge.users().get("default")));
      Proc.Result stale = apps.lettuce(tokenApp, "get", "orders:1");
      assertThat(stale.exit()).isNotZero();
      assertThat(stale.err()).contains("WRONGPASS");
      assertThat(apps.redisPy(orders, "orders:4", "still here").ok().out()).isEqualTo("still here\n");
      for (Proc.Result r : List.of(otherKeys, dangerous, write, wrong, stale)) {
        assertThat(r.out() + r.err()).doesNotContain(token).doesNotContain(ordersPassword).doesNotContain(reportsPassword);
      }
    } finally {
      redis.destroy();
      Map<String, Object> clear = new java.util.HashMap<>();
      clear.put("endpointHost", null);
      clear.put("endpointPort", null);
      aws.config(clear);
    }
  }

  /** A binding as the operator will write an app's Secret: host, port, username, password, tls, url. */
  static Path binding(String name, String user, String password, int port) {
    Map<String, String> secret = new LinkedHashMap<>();
    secret.put("type", "redis");
    secret.put("host", "localhost");
    secret.put("port", Integer.toString(port));
    if (user != null) secret.put("username", user);
    secret.put("password", password);
    secret.put("ssl", "true");
    String url = "rediss://" + (user == null ? "" : user) + ":" + password + "@localhost:" + port;
    secret.put("url", url);
    secret.put("pythonUrl", url + "?ssl_cert_reqs=required");
    Path root = DIR.resolve("bindings-" + name);
    AppClients.bindingDirectory(root, name, secret);
    return root;
  }
}
