package dev.operators.elasticache.aws.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.MetricAlarm;
import dev.operators.elasticache.aws.AwsException.Kind;
import dev.operators.elasticache.aws.CacheClusterInfo;
import dev.operators.elasticache.aws.EngineVersionInfo;
import dev.operators.elasticache.aws.IngressRule;
import dev.operators.elasticache.aws.KmsPort;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ObservedGroup;
import dev.operators.elasticache.aws.ParameterGroupInfo;
import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpec;
import dev.operators.elasticache.aws.SnapshotInfo;
import dev.operators.elasticache.aws.ReplicationGroupSpecBuilder;
import dev.operators.elasticache.aws.SecretsPort.StoredSecret;
import dev.operators.elasticache.aws.SecurityGroupInfo;
import dev.operators.elasticache.aws.SubnetInfo;
import dev.operators.elasticache.aws.ServerlessCacheChange;
import dev.operators.elasticache.aws.ServerlessCacheInfo;
import dev.operators.elasticache.aws.ServerlessCacheSpec;
import dev.operators.elasticache.aws.SubnetGroupInfo;
import dev.operators.elasticache.aws.UserGroupInfo;
import dev.operators.elasticache.aws.UserInfo;
import dev.operators.elasticache.aws.UserSpec;
import dev.operators.elasticache.decide.AuthTokens;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The real SDK adapters ({@link SdkEc2}, {@link SdkElastiCache}, {@link SdkSecrets}) over real SDK
 * clients, on the wire against the AWS emulator (test/aws-emulator). SDK retries are off, so every
 * injected fault and every emulator gap surfaces at once. Emulator state is reset before each test;
 * group state transitions take 1 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkAdaptersWireTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Map<String, String> TAGS = tags("rediscache.dev/owner", "team-a/orders", "env", "test");

  private AwsEmulator emulator;
  private AwsTestClients aws;
  private SdkEc2 ec2;
  private SdkElastiCache elastiCache;
  private SdkSecrets secrets;

  @BeforeAll
  void startClients() {
    emulator = AwsEmulator.shared();
    aws = AwsTestClients.of(emulator);
    ec2 = aws.ec2Port();
    elastiCache = aws.elastiCachePort();
    secrets = aws.secretsPort();
  }

  @AfterAll
  void closeClients() {
    if (aws != null) aws.close();
  }

  @BeforeEach
  void resetEmulator() {
    emulator.reset();
  }

  // ---------------------------------------------------------------------------------------------
  // EC2

  @Test
  void vpcOfSubnetsReturnsTheirVpcAndNotFoundForAMissingSubnet() {
    Network net = network();
    assertThat(ec2.vpcOfSubnets(net.subnets())).isEqualTo(net.vpcId());
    assertThat(ec2.vpcOfSubnets(List.of(net.subnets().get(1)))).isEqualTo(net.vpcId());

    AwsException missing = awsError(() -> ec2.vpcOfSubnets(List.of(net.subnets().get(0), "subnet-0123456789abcdef0")));
    assertThat(missing.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(missing.operation()).isEqualTo("ec2:DescribeSubnets");

    Network other = network("10.1.0.0/16");
    AwsException spanning = awsError(() -> ec2.vpcOfSubnets(List.of(net.subnets().get(0), other.subnets().get(0))));
    assertThat(spanning.kind()).isEqualTo(Kind.INVALID_INPUT);
  }

  @Test
  void subnetsTaggedSendsTheVpcAndEveryTagAsFiltersInOneCall() {
    Network net = network();
    Ec2Client raw = aws.ec2();
    java.util.function.BiFunction<String, Map<String, String>, String> tagged = (cidr, tags) -> raw.createSubnet(r -> r.vpcId(net.vpcId())
        .cidrBlock(cidr).availabilityZone(cidr.startsWith("10.0.3") ? "us-east-1a" : "us-east-1c")
        .tagSpecifications(software.amazon.awssdk.services.ec2.model.TagSpecification.builder().resourceType("subnet")
            .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList()).build())).subnet().subnetId();
    String a = tagged.apply("10.0.3.0/24", tags("tier", "internal", "team", "shop"));
    String c = tagged.apply("10.0.4.0/24", tags("tier", "internal"));
    tagged.apply("10.0.5.0/24", tags("tier", "public"));
    Network other = network("10.1.0.0/16");
    raw.createTags(r -> r.resources(other.subnets().get(0)).tags(software.amazon.awssdk.services.ec2.model.Tag.builder().key("tier").value("internal").build()));

    assertThat(ec2.subnetsTagged(net.vpcId(), tags("tier", "internal")))
        .containsExactlyElementsOf(java.util.stream.Stream.of(new SubnetInfo(a, net.vpcId(), "us-east-1a"), new SubnetInfo(c, net.vpcId(), "us-east-1c"))
            .sorted(java.util.Comparator.comparing(SubnetInfo::subnetId)).toList());
    assertThat(emulator.calls("ec2", "DescribeSubnets")).isEqualTo(1);
    assertThat(ec2.subnetsTagged(net.vpcId(), tags("team", "shop", "tier", "internal"))).extracting(SubnetInfo::subnetId).containsExactly(a);
    assertThat(ec2.subnetsTagged(net.vpcId(), tags("tier", "data"))).isEmpty();
    assertThat(ec2.subnetsTagged(other.vpcId(), tags("tier", "internal"))).extracting(SubnetInfo::subnetId).containsExactly(other.subnets().get(0));
  }

  @Test
  void securityGroupCreateFindAuthorizeRevokeAndListByTag() {
    Network net = network();
    String client = ec2.createSecurityGroup(net.vpcId(), "orders-clients", "clients", tags("role", "client"));

    String id = ec2.createSecurityGroup(net.vpcId(), "rc-orders", "RedisCache team-a/orders", TAGS);
    assertThat(id).startsWith("sg-");

    SecurityGroupInfo found = ec2.findSecurityGroup(net.vpcId(), "rc-orders").orElseThrow();
    assertThat(found.groupId()).isEqualTo(id);
    assertThat(found.groupName()).isEqualTo("rc-orders");
    assertThat(found.vpcId()).isEqualTo(net.vpcId());
    assertThat(found.tags()).containsAllEntriesOf(TAGS);
    assertThat(found.ingress()).isEmpty();
    assertThat(found.otherIngress()).isZero();
    assertThat(ec2.findSecurityGroup(net.vpcId(), "no-such-group")).isEmpty();
    assertThat(ec2.findSecurityGroup(defaultVpc(), "rc-orders")).isEmpty();

    AwsException again = awsError(() -> ec2.createSecurityGroup(net.vpcId(), "rc-orders", "again", TAGS));
    assertThat(again.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(again.code()).isEqualTo("InvalidGroup.Duplicate");

    IngressRule cidr = IngressRule.fromCidr(6379, "10.0.0.0/16");
    IngressRule fromClients = IngressRule.fromGroup(6379, client);
    ec2.authorizeIngress(id, List.of(cidr, fromClients));
    assertThat(ec2.findSecurityGroup(net.vpcId(), "rc-orders").orElseThrow().ingress())
        .containsExactlyInAnyOrder(cidr, fromClients);

    // the same rules again: InvalidPermission.Duplicate, which is not an error for the adapter
    assertThatCode(() -> ec2.authorizeIngress(id, List.of(cidr, fromClients))).doesNotThrowAnyException();
    assertThat(ec2.findSecurityGroup(net.vpcId(), "rc-orders").orElseThrow().ingress())
        .containsExactlyInAnyOrder(cidr, fromClients);

    ec2.revokeIngress(id, List.of(cidr));
    SecurityGroupInfo afterRevoke = ec2.findSecurityGroup(net.vpcId(), "rc-orders").orElseThrow();
    assertThat(afterRevoke.ingress()).containsExactly(fromClients);
    assertThat(afterRevoke.otherIngress()).isZero();
    // revoking a rule that is not there (InvalidPermission.NotFound) is not an error either
    assertThatCode(() -> ec2.revokeIngress(id, List.of(cidr))).doesNotThrowAnyException();

    List<SecurityGroupInfo> tagged = ec2.listSecurityGroupsTagged("rediscache.dev/owner", "team-a/orders");
    assertThat(tagged).extracting(SecurityGroupInfo::groupId).containsExactly(id);
    assertThat(tagged.get(0).ingress()).containsExactly(fromClients);
    assertThat(ec2.listSecurityGroupsTagged("rediscache.dev/owner", "team-b/other")).isEmpty();
    assertThat(ec2.listSecurityGroupsTagged("role", "client")).extracting(SecurityGroupInfo::groupId)
        .containsExactly(client);
  }

  @Test
  void deletingAMissingSecurityGroupIsNotFound() {
    assertThat(awsError(() -> ec2.deleteSecurityGroup("sg-0123456789abcdef0")).kind()).isEqualTo(Kind.NOT_FOUND);
  }

  // ---------------------------------------------------------------------------------------------
  // ElastiCache: subnet and parameter groups

  @Test
  void subnetGroupCreateFindDelete() {
    Network net = network();
    assertThat(elastiCache.findSubnetGroup("rc-orders")).isEmpty();

    elastiCache.createSubnetGroup("rc-orders", "RedisCache team-a/orders", net.subnets(), TAGS);
    SubnetGroupInfo found = elastiCache.findSubnetGroup("rc-orders").orElseThrow();
    assertThat(found.name()).isEqualTo("rc-orders");
    assertThat(found.vpcId()).isEqualTo(net.vpcId());
    assertThat(found.subnetIds()).containsExactlyInAnyOrderElementsOf(net.subnets());
    assertThat(found.arn()).isEqualTo("arn:aws:elasticache:us-east-1:123456789012:subnetgroup:rc-orders");
    assertThat(elastiCache.tagsOf(found.arn())).containsAllEntriesOf(TAGS);

    AwsException again = awsError(() -> elastiCache.createSubnetGroup("rc-orders", "again", net.subnets(), TAGS));
    assertThat(again.kind()).isEqualTo(Kind.ALREADY_EXISTS);

    elastiCache.deleteSubnetGroup("rc-orders");
    assertThat(elastiCache.findSubnetGroup("rc-orders")).isEmpty();
    assertThat(awsError(() -> elastiCache.deleteSubnetGroup("rc-orders")).kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void parameterGroupCreateFindModifyResetDelete() {
    assertThat(elastiCache.findParameterGroup("rc-orders")).isEmpty();

    elastiCache.createParameterGroup("rc-orders", "valkey8", "RedisCache team-a/orders", TAGS);
    ParameterGroupInfo found = elastiCache.findParameterGroup("rc-orders").orElseThrow();
    assertThat(found.name()).isEqualTo("rc-orders");
    assertThat(found.family()).isEqualTo("valkey8");
    assertThat(found.arn()).isEqualTo("arn:aws:elasticache:us-east-1:123456789012:parametergroup:rc-orders");
    assertThat(elastiCache.tagsOf(found.arn())).containsAllEntriesOf(TAGS);
    assertThat(elastiCache.userParameters("rc-orders")).isEmpty();

    AwsException again = awsError(() -> elastiCache.createParameterGroup("rc-orders", "valkey8", "again", TAGS));
    assertThat(again.kind()).isEqualTo(Kind.ALREADY_EXISTS);

    elastiCache.modifyParameterGroup("rc-orders", tags("maxmemory-policy", "allkeys-lru", "timeout", "300"));
    assertThat(elastiCache.userParameters("rc-orders"))
        .containsOnly(entry("maxmemory-policy", "allkeys-lru"), entry("timeout", "300"));

    elastiCache.resetParameters("rc-orders", List.of("timeout"));
    assertThat(elastiCache.userParameters("rc-orders")).containsOnly(entry("maxmemory-policy", "allkeys-lru"));

    AwsException badValue = awsError(() -> elastiCache.modifyParameterGroup("rc-orders", tags("timeout", "5")));
    assertThat(badValue.kind()).isEqualTo(Kind.INVALID_INPUT);

    elastiCache.deleteParameterGroup("rc-orders");
    assertThat(elastiCache.findParameterGroup("rc-orders")).isEmpty();
    assertThat(awsError(() -> elastiCache.userParameters("rc-orders")).kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void modifyParameterGroupSendsAtMostTwentyParametersPerCall() {
    elastiCache.createParameterGroup("rc-many", "valkey8", "many", Map.of());
    Map<String, String> many = new LinkedHashMap<>();
    // 25 real valkey8 parameters (AWS refuses unknown names), each at a value the catalogue allows
    List.of("active-defrag-cycle-max", "active-defrag-cycle-min", "active-defrag-threshold-lower",
        "active-defrag-threshold-upper", "active-expire-effort", "client-output-buffer-limit-normal-hard-limit",
        "client-output-buffer-limit-normal-soft-limit", "client-output-buffer-limit-normal-soft-seconds",
        "client-output-buffer-limit-pubsub-hard-limit", "client-output-buffer-limit-pubsub-soft-limit",
        "client-output-buffer-limit-pubsub-soft-seconds", "commandlog-large-reply-max-len",
        "commandlog-large-request-max-len", "hash-max-listpack-entries", "hash-max-listpack-value", "lfu-decay-time",
        "lfu-log-factor", "list-compress-depth", "maxmemory-samples", "min-replicas-max-lag", "min-replicas-to-write",
        "set-max-intset-entries", "slowlog-max-len", "zset-max-listpack-entries", "zset-max-listpack-value")
        .forEach(name -> many.put(name, String.valueOf(1 + many.size() % 10)));
    emulator.clearCalls();
    elastiCache.modifyParameterGroup("rc-many", many);
    assertThat(emulator.calls("elasticache", "ModifyCacheParameterGroup")).isEqualTo(2);
    assertThat(elastiCache.userParameters("rc-many")).isEqualTo(many);

    emulator.clearCalls();
    elastiCache.resetParameters("rc-many", List.copyOf(many.keySet()));
    assertThat(emulator.calls("elasticache", "ResetCacheParameterGroup")).isEqualTo(2);
    assertThat(elastiCache.userParameters("rc-many")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // ElastiCache: replication groups

  @Test
  void createDescribeAndDeleteAReplicationGroup() {
    // 2 s rather than 1 s, so the creating and deleting states are surely seen on a slow machine
    assertThat(emulator.config(Map.of("creatingSeconds", 2, "deletingSeconds", 2)))
        .containsEntry("creatingSeconds", 2.0);
    Network net = network();
    elastiCache.createSubnetGroup("rc-orders", "subnets", net.subnets(), TAGS);
    String sg = ec2.createSecurityGroup(net.vpcId(), "rc-orders", "sg", TAGS);
    String token = token64();
    ReplicationGroupSpec spec = fullSpec("rc-orders", "rc-orders", List.of(sg), token);

    ReplicationGroupInfo created = elastiCache.createReplicationGroup(spec);
    assertThat(created.id()).isEqualTo("rc-orders");
    assertThat(created.status()).isEqualTo("creating");
    assertThat(created.arn()).isEqualTo("arn:aws:elasticache:us-east-1:123456789012:replicationgroup:rc-orders");

    ObservedGroup creating = elastiCache.describeAll().get("rc-orders");
    assertThat(creating).isNotNull();
    assertThat(creating.group().status()).isEqualTo("creating");
    assertThat(creating.group().primaryEndpoint()).isNull();

    ObservedGroup available = awaitGroup("rc-orders", g -> g != null && g.group().available());
    ReplicationGroupInfo g = available.group();
    assertThat(g.engine()).isEqualTo("valkey");
    assertThat(g.cacheNodeType()).isEqualTo("cache.t4g.small");
    assertThat(g.clusterEnabled()).isFalse();
    assertThat(g.numNodeGroups()).isEqualTo(1);
    assertThat(g.replicasPerNodeGroup()).isEqualTo(1);
    assertThat(g.memberClusters()).containsExactly("rc-orders-001", "rc-orders-002");
    assertThat(available.members()).isEqualTo(2);
    assertThat(g.primaryEndpoint()).isNotNull();
    assertThat(g.primaryEndpoint().port()).isEqualTo(6379);
    assertThat(g.readerEndpoint()).isNotNull();
    assertThat(g.readerEndpoint().host()).isNotEqualTo(g.primaryEndpoint().host());
    assertThat(g.configurationEndpoint()).isNull();
    assertThat(g.automaticFailover()).isTrue();
    assertThat(g.multiAZ()).isTrue();
    assertThat(g.transitEncryption()).isTrue();
    assertThat(g.atRestEncryption()).isTrue();
    assertThat(g.authTokenEnabled()).isTrue();
    assertThat(g.snapshotRetentionLimit()).isEqualTo(7);
    assertThat(g.snapshotWindow()).isEqualTo("03:00-04:00");

    assertThat(available.clusters()).extracting(CacheClusterInfo::id).containsExactly("rc-orders-001", "rc-orders-002");
    assertThat(available.clusters()).allSatisfy(c -> {
      assertThat(c.replicationGroupId()).isEqualTo("rc-orders");
      assertThat(c.status()).isEqualTo("available");
      assertThat(c.cacheSubnetGroupName()).isEqualTo("rc-orders");
    });
    assertThat(available.engineVersion()).isEqualTo("8.0.1");
    assertThat(available.parameterGroupName()).isEqualTo("default.valkey8");
    assertThat(available.securityGroupIds()).containsExactly(sg);
    assertThat(available.maintenanceWindow()).isEqualTo("sun:05:00-sun:06:00");

    assertThat(emulator.authTokens("rc-orders")).containsExactly(token);
    assertThat(elastiCache.tagsOf(g.arn())).isEqualTo(TAGS);

    ObservedGroup single = elastiCache.describeReplicationGroup("rc-orders").orElseThrow();
    assertThat(single.group()).isEqualTo(g);
    assertThat(single.clusters()).isEqualTo(available.clusters());

    AwsException again = awsError(() -> elastiCache.createReplicationGroup(spec));
    assertThat(again.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(again.code()).isEqualTo("ReplicationGroupAlreadyExists");
    assertThat(again.getMessage()).doesNotContain(token);

    elastiCache.deleteReplicationGroup("rc-orders", null);
    assertThat(elastiCache.describeAll().get("rc-orders").group().status()).isEqualTo("deleting");
    awaitGroup("rc-orders", gone -> gone == null);
    assertThat(elastiCache.describeReplicationGroup("rc-orders")).isEmpty();
    assertThat(elastiCache.describeAll()).isEmpty();
  }

  @Test
  void restoreSendsSnapshotNameOrSnapshotArnsAndDescribeSnapshotReadsTheSnapshot() {
    emulator.config(Map.of("creatingSeconds", 0, "deletingSeconds", 0));
    Network net = network();
    elastiCache.createSubnetGroup("rc-src", "subnets", net.subnets(), TAGS);
    elastiCache.createReplicationGroup(fullSpec("rc-src", "rc-src", List.of(), null).withTransitEncryption(false));
    awaitGroup("rc-src", g -> g != null && g.group().available());
    // the final snapshot of deletionPolicy: Snapshot, as the operator takes it
    elastiCache.deleteReplicationGroup("rc-src", "rc-src-final-1");
    assertThat(elastiCache.describeSnapshot("no-such-snapshot")).isEmpty();
    SnapshotInfo snap = elastiCache.describeSnapshot("rc-src-final-1").orElseThrow();
    assertThat(snap.name()).isEqualTo("rc-src-final-1");
    assertThat(snap.status()).isEqualTo("available");
    assertThat(snap.engine()).isEqualTo("valkey");
    assertThat(snap.engineVersion()).isEqualTo("8.0.1");
    assertThat(snap.cacheNodeType()).isEqualTo("cache.t4g.small");
    assertThat(snap.numNodeGroups()).isEqualTo(1);
    assertThat(snap.clusterMode()).isFalse();
    assertThat(snap.replicationGroupId()).isEqualTo("rc-src");
    assertThat(snap.arn()).as("DescribeSnapshots ARN: what SnapshotArnsToRestore takes (E67)")
        .isEqualTo("arn:aws:elasticache:us-east-1:123456789012:snapshot:rc-src-final-1");

    ReplicationGroupSpec restore = fullSpec("rc-restored", "rc-src", List.of(), null).withTransitEncryption(false);
    AwsException unknown = awsError(() -> elastiCache.createReplicationGroup(restore.withSnapshotName("no-such-snapshot")));
    assertThat(unknown.code()).isEqualTo("SnapshotNotFoundFault");
    assertThat(unknown.kind()).isEqualTo(Kind.NOT_FOUND);
    elastiCache.createReplicationGroup(restore.withSnapshotName("rc-src-final-1"));
    var info = emulator.restoreInfo("rc-restored");
    assertThat(info.path("snapshotName").asText()).isEqualTo("rc-src-final-1");
    assertThat(info.path("sourceReplicationGroupId").asText()).isEqualTo("rc-src");

    emulator.putS3Object("seed-bucket", "dumps/orders.rdb", "REDIS0011".getBytes());
    String arn = "arn:aws:s3:::seed-bucket/dumps/orders.rdb";
    elastiCache.createReplicationGroup(fullSpec("rc-seeded", "rc-src", List.of(), null).withTransitEncryption(false).withSnapshotArns(List.of(arn)));
    assertThat(emulator.restoreInfo("rc-seeded").path("snapshotArns").get(0).asText()).isEqualTo(arn);
    assertThat(emulator.restoreInfo("rc-seeded").path("snapshotName").isNull()).isTrue();
  }

  @Test
  void describeReplicationGroupOfAMissingIdIsEmpty() {
    assertThat(elastiCache.describeReplicationGroup("no-such-group")).isEmpty();
    assertThat(elastiCache.describeAll()).isEmpty();
    assertThat(awsError(() -> elastiCache.deleteReplicationGroup("no-such-group", null)).kind())
        .isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void anAuthTokenWithoutTlsIsInvalidInput() {
    Network net = network();
    elastiCache.createSubnetGroup("rc-orders", "subnets", net.subnets(), Map.of());
    String token = token64();
    ReplicationGroupSpec noTls = smallSpec("rc-no-tls", "rc-orders", 0).withDescription("no tls").withAuthToken(token).withTags(TAGS);

    AwsException e = awsError(() -> elastiCache.createReplicationGroup(noTls));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(e.code()).isEqualTo("InvalidParameterCombination");
    assertThat(e.operation()).isEqualTo("elasticache:CreateReplicationGroup");
    assertThat(elastiCache.describeReplicationGroup("rc-no-tls")).isEmpty();
  }

  @Test
  void aFailedCreateNeverCarriesTheAuthToken() {
    Network net = network();
    elastiCache.createSubnetGroup("rc-orders", "subnets", net.subnets(), Map.of());
    String token = token64();
    ReplicationGroupSpec good = fullSpec("rc-leak", "rc-orders", List.of(), token);
    ReplicationGroupSpec noTls = smallSpec("rc-leak", "rc-orders", 0).withDescription("d").withAuthToken(token).withTags(TAGS);
    String badToken = token64().substring(0, 40) + "@@@" + token64().substring(0, 20);

    AwsException withoutTls = awsError(() -> elastiCache.createReplicationGroup(noTls));
    AwsException invalidToken = awsError(() -> elastiCache.createReplicationGroup(good.withAuthToken(badToken)));
    emulator.faults("elasticache", "CreateReplicationGroup", 1, 1, 0);
    AwsException throttled = awsError(() -> elastiCache.createReplicationGroup(good));
    AwsException serverError = awsError(() -> elastiCache.createReplicationGroup(good));
    emulator.clearFaults();
    elastiCache.createReplicationGroup(good);
    AwsException duplicate = awsError(() -> elastiCache.createReplicationGroup(good));

    assertThat(withoutTls.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(invalidToken.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(invalidToken.code()).isEqualTo("InvalidParameterValue");
    assertThat(throttled.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(serverError.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(duplicate.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    for (AwsException e : List.of(withoutTls, invalidToken, throttled, serverError, duplicate)) {
      String everything = e.getMessage() + " " + e + " " + e.awsMessage() + " " + e.getCause();
      assertThat(everything).doesNotContain(token).doesNotContain(badToken);
    }
    assertThat(good.toString()).doesNotContain(token).contains("<redacted>");
  }

  @Test
  void rbacUsersAndUserGroupsGoOverTheWireAndPasswordsNeverComeBack() throws InterruptedException {
    emulator.config(Map.of("userSeconds", 0.2, "creatingSeconds", 0, "modifyingSeconds", 0.2));
    Network net = network();
    elastiCache.createSubnetGroup("rc-orders", "subnets", net.subnets(), Map.of());
    String pw1 = token64();
    String pw2 = token64();
    UserSpec app = new UserSpec("rc-orders-app", "app", "valkey", "on ~app:* +@read", "password", List.of(pw1), TAGS);
    UserInfo created = elastiCache.createUser(app);
    assertThat(created).isEqualTo(new UserInfo("rc-orders-app", "app", "active", "valkey", "on ~app:* +@read", "password", 1,
        List.of(), "arn:aws:elasticache:us-east-1:123456789012:user:rc-orders-app"));
    assertThat(elastiCache.tagsOf(created.arn())).isEqualTo(TAGS);
    elastiCache.createUser(new UserSpec("rc-orders-default", "default", "valkey", "off -@all", "password", List.of(pw2), Map.of()));
    elastiCache.createUser(new UserSpec("rc-orders-iam", "rc-orders-iam", "valkey", "on ~* +@read", "iam", List.of(), Map.of()));
    assertThat(elastiCache.describeUser("rc-orders-iam").orElseThrow().authenticationType()).isEqualTo("iam");
    elastiCache.modifyUser("rc-orders-iam", null, "password", List.of(pw1)); // AuthenticationMode Type password (E78)
    Thread.sleep(400);
    assertThat(elastiCache.describeUser("rc-orders-iam").orElseThrow().authenticationType()).isEqualTo("password");
    elastiCache.modifyUser("rc-orders-iam", null, "iam", null); // and back: Type iam, no Passwords
    assertThat(elastiCache.describeUser("rc-orders-iam").orElseThrow().authenticationType()).isEqualTo("iam");
    assertThat(elastiCache.describeUser("rc-orders-nobody")).isEmpty();
    assertThat(elastiCache.describeUserGroup("rc-orders-nogroup")).isEmpty();

    AwsException invalid = awsError(() -> elastiCache.createUser(
        new UserSpec("rc-orders-bad", "bad", "valkey", "on >" + pw1 + " ~*", "password", List.of(pw1), Map.of())));
    AwsException missing = awsError(() -> elastiCache.modifyUser("rc-orders-nobody", null, List.of(pw1)));
    assertThat(List.of(invalid.code(), invalid.kind())).containsExactly("InvalidParameterValue", Kind.INVALID_INPUT);
    assertThat(List.of(missing.code(), missing.kind())).containsExactly("UserNotFound", Kind.NOT_FOUND);

    elastiCache.createUserGroup("rc-orders", "valkey", List.of("rc-orders-default", "rc-orders-app"), TAGS);
    assertThat(elastiCache.describeUserGroup("rc-orders").orElseThrow().status()).isEqualTo("creating");
    elastiCache.modifyUser("rc-orders-app", "on ~app:* +@read +@write", List.of(pw1, pw2)); // the two-password window
    Thread.sleep(400);
    UserInfo two = elastiCache.describeUser("rc-orders-app").orElseThrow();
    assertThat(List.of(two.status(), two.accessString(), two.passwordCount(), two.userGroupIds()))
        .containsExactly("active", "on ~app:* +@read +@write", 2, List.of("rc-orders"));

    elastiCache.createReplicationGroup(smallSpec("rc-orders", "rc-orders", 0).withTransitEncryption(true));
    awaitGroup("rc-orders", g -> g != null && g.group().available());
    elastiCache.modifyReplicationGroup(ModifyRequest.of("rc-orders", true).userGroups(List.of("rc-orders"), null));
    ReplicationGroupInfo withUsers = awaitGroup("rc-orders", g -> g != null && g.group().available()).group();
    assertThat(withUsers.userGroupIds()).containsExactly("rc-orders");
    // the passwords reached AWS (the emulator's data-plane view) in AuthenticationMode
    assertThat(emulator.acceptedUsers("rc-orders")).containsExactly(entry("app", List.of(pw1, pw2)));

    elastiCache.modifyUserGroup("rc-orders", null, List.of("rc-orders-app"));
    UserGroupInfo modifying = elastiCache.describeUserGroup("rc-orders").orElseThrow();
    assertThat(List.of(modifying.status(), modifying.pendingRemove(), modifying.replicationGroups()))
        .containsExactly("modifying", List.of("rc-orders-app"), List.of("rc-orders"));
    Thread.sleep(400);
    AwsException inUse = awsError(() -> elastiCache.deleteUserGroup("rc-orders"));
    assertThat(List.of(inUse.code(), inUse.kind())).containsExactly("InvalidUserGroupState", Kind.BUSY);
    elastiCache.deleteUser("rc-orders-app");
    assertThat(elastiCache.describeUser("rc-orders-app").orElseThrow().status()).isEqualTo("deleting");

    // E71: RemoveUserGroups with AuthToken and ROTATE ("Migrating from RBAC to AUTH") reaches AWS as such
    String token = dev.operators.elasticache.decide.AuthTokens.generate();
    elastiCache.modifyReplicationGroup(ModifyRequest.of("rc-orders", true).backToToken(token));
    assertThat(elastiCache.describeReplicationGroup("rc-orders").orElseThrow().group().userGroupIds()).as("until AWS applied it").containsExactly("rc-orders");
    ReplicationGroupInfo back = awaitGroup("rc-orders", g -> g != null && g.group().available()).group();
    assertThat(back.userGroupIds()).isEmpty();
    assertThat(back.authTokenEnabled()).isTrue();
    assertThat(emulator.authTokens("rc-orders")).containsExactly(token);

    for (AwsException e : List.of(invalid, missing, inUse)) {
      String everything = e.getMessage() + " " + e + " " + e.awsMessage();
      assertThat(everything).doesNotContain(pw1).doesNotContain(pw2);
    }
    assertThat(app.toString()).doesNotContain(pw1).contains("<redacted>");
    assertThat(ModifyRequest.of("x", true).backToToken(token).toString()).doesNotContain(token).contains("removeUserGroups=true");
    assertThat(ModifyRequest.of("x", true).userGroups(List.of("a"), List.of("b")).toString()).contains("userGroups=+[a]-[b]");
  }

  @Test
  void describeAllReturnsAllOfTwentyFiveGroups() {
    Network net = network();
    elastiCache.createSubnetGroup("rc-small", "subnets", net.subnets(), Map.of());
    for (int i = 0; i < 25; i++) {
      elastiCache.createReplicationGroup(smallSpec(String.format("rc-small-%02d", i), "rc-small", 0));
    }
    Map<String, ObservedGroup> all = elastiCache.describeAll();
    assertThat(all).hasSize(25);
    assertThat(all.values()).allSatisfy(g -> {
      assertThat(g.clusters()).extracting(CacheClusterInfo::replicationGroupId).containsOnly(g.id());
      assertThat(g.members()).isEqualTo(1);
    });
  }

  @Test
  void describeAllPagesThroughMoreThanOneHundredGroupsAndClusters() {
    // The groups stay creating for the whole test, so the two describes below see one state
    // (at the default 1 s the first groups became available between them on a slow CI machine).
    emulator.config(Map.of("creatingSeconds", 600));
    Network net = network();
    elastiCache.createSubnetGroup("rc-many", "subnets", net.subnets(), Map.of());
    for (int i = 0; i < 105; i++) {
      elastiCache.createReplicationGroup(smallSpec(String.format("rc-many-%03d", i), "rc-many", i < 10 ? 1 : 0));
    }
    emulator.clearCalls();
    Map<String, ObservedGroup> all = elastiCache.describeAll();
    assertThat(all).hasSize(105);
    assertThat(all.values().stream().mapToInt(g -> g.clusters().size()).sum()).isEqualTo(115);
    assertThat(all.get("rc-many-000").clusters()).extracting(CacheClusterInfo::id)
        .containsExactly("rc-many-000-001", "rc-many-000-002");
    // MaxRecords 100: two pages of groups, two of clusters; nothing else
    assertThat(emulator.calls()).containsOnly(entry("elasticache:DescribeReplicationGroups", 2),
        entry("elasticache:DescribeCacheClusters", 2));

    // Each group handed over as soon as the page that completes it is read: most before the last page.
    emulator.clearCalls();
    Map<String, Integer> pagesReadWhenComplete = new java.util.HashMap<>();
    Map<String, ObservedGroup> handed = new java.util.HashMap<>();
    Map<String, ObservedGroup> again = elastiCache.describeAll(g -> {
      handed.put(g.id(), g);
      pagesReadWhenComplete.put(g.id(), emulator.calls().getOrDefault("elasticache:DescribeCacheClusters", 0));
    });
    assertThat(handed).isEqualTo(again).hasSize(105);
    assertThat(handed.get("rc-many-000").clusters()).hasSize(2);
    assertThat(pagesReadWhenComplete.values()).contains(1).allSatisfy(pages -> assertThat(pages).isBetween(1, 2));

    // The groups alone (a restart's first sweep): the groups' two pages, members unknown.
    emulator.clearCalls();
    Map<String, ObservedGroup> groups = elastiCache.describeGroups();
    assertThat(groups.keySet()).isEqualTo(all.keySet());
    assertThat(groups.values()).allSatisfy(g -> assertThat(g.membersKnown()).isFalse());
    assertThat(groups.get("rc-many-000").group()).isEqualTo(all.get("rc-many-000").group());
    assertThat(emulator.calls()).containsOnly(entry("elasticache:DescribeReplicationGroups", 2));
  }

  @Test
  void engineVersionsAreBothEnginesWithTheirFamiliesInOneCallAndAThrottleIsThrottled() {
    emulator.clearCalls();
    List<EngineVersionInfo> offered = elastiCache.describeEngineVersions();
    assertThat(offered).contains(new EngineVersionInfo("valkey", "9.1", "valkey9"), new EngineVersionInfo("valkey", "8.2", "valkey8"),
        new EngineVersionInfo("redis", "5.0.6", "redis5.0"), new EngineVersionInfo("redis", "6.2", "redis6.x"));
    assertThat(offered).extracting(EngineVersionInfo::engine).containsOnly("valkey", "redis");
    // Both engines in one page (MaxRecords 100, no Engine filter), nothing else.
    assertThat(emulator.calls()).containsOnly(entry("elasticache:DescribeCacheEngineVersions", 1));

    emulator.faults("elasticache", "DescribeCacheEngineVersions", 1, 0, 0);
    AwsException e = awsError(() -> elastiCache.describeEngineVersions());
    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.operation()).isEqualTo("elasticache:DescribeCacheEngineVersions");
  }

  @Test
  void serviceUpdateActionsArePagedAndAppliedTwentyGroupsACall() {
    // available at once, and modifying long enough for the test to see the actions in progress
    emulator.config(Map.of("creatingSeconds", 0, "modifyingSeconds", 600));
    Network net = network();
    elastiCache.createSubnetGroup("rc-upd", "subnets", net.subnets(), Map.of());
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 105; i++) {
      ids.add(String.format("rc-upd-%03d", i));
      elastiCache.createReplicationGroup(smallSpec(ids.get(i), "rc-upd", 0));
    }
    emulator.publishServiceUpdate("elasticache-valkey-wire-1", "valkey", "medium", java.time.Instant.parse("2027-02-01T00:00:00Z"));
    emulator.clearCalls();
    List<dev.operators.elasticache.aws.UpdateAction> pending = elastiCache.sweepUpdateActions();
    assertThat(pending).hasSize(105).allSatisfy(a -> {
      assertThat(a.serviceUpdateName()).isEqualTo("elasticache-valkey-wire-1");
      assertThat(a.severity()).isEqualTo("medium");
      assertThat(a.type()).isEqualTo("security-update");
      assertThat(a.status()).isEqualTo("not-applied");
      assertThat(a.recommendedApplyByDate()).isEqualTo(java.time.Instant.parse("2027-02-01T00:00:00Z"));
    });
    assertThat(pending).extracting(dev.operators.elasticache.aws.UpdateAction::replicationGroupId).containsExactlyInAnyOrderElementsOf(ids);
    // MaxRecords 100: two pages, whatever the number of caches
    assertThat(emulator.calls()).containsOnly(entry("elasticache:DescribeUpdateActions", 2));

    emulator.clearCalls();
    Map<String, String> taken = elastiCache.applyServiceUpdate("elasticache-valkey-wire-1", ids.subList(0, 20));
    assertThat(taken).hasSize(20).containsValue("in-progress").doesNotContainValue("not-applied");
    assertThat(elastiCache.describeReplicationGroup("rc-upd-000").orElseThrow().group().status()).isEqualTo("modifying");
    assertThat(elastiCache.sweepUpdateActions("elasticache-valkey-wire-1", ids.subList(0, 20)))
        .hasSize(20).allSatisfy(a -> assertThat(a.status()).isEqualTo("in-progress"));
    assertThat(emulator.calls()).contains(entry("elasticache:BatchApplyUpdateAction", 1), entry("elasticache:DescribeUpdateActions", 1));
    AwsException tooMany = awsError(() -> elastiCache.applyServiceUpdate("elasticache-valkey-wire-1", ids.subList(0, 21)));
    assertThat(tooMany.code()).isEqualTo("InvalidParameterValue");
    assertThat(tooMany.is(AwsException.Kind.INVALID_INPUT)).isTrue();
  }

  @Test
  void resourcesInUseAreBusyUntilTheReplicationGroupIsGone() {
    emulator.config(Map.of("creatingSeconds", 2, "deletingSeconds", 2));
    Network net = network();
    elastiCache.createSubnetGroup("rc-orders", "subnets", net.subnets(), TAGS);
    elastiCache.createParameterGroup("rc-orders", "valkey8", "params", TAGS);
    String sg = ec2.createSecurityGroup(net.vpcId(), "rc-orders", "sg", TAGS);
    ReplicationGroupSpec spec = smallSpec("rc-orders", "rc-orders", 0);
    elastiCache.createReplicationGroup(spec.withSecurityGroupIds(List.of(sg)).withCacheParameterGroupName("rc-orders").withTags(TAGS));

    AwsException sgBusy = awsError(() -> ec2.deleteSecurityGroup(sg));
    assertThat(sgBusy.kind()).isEqualTo(Kind.BUSY);
    assertThat(sgBusy.code()).isEqualTo("DependencyViolation");
    assertThat(awsError(() -> elastiCache.deleteSubnetGroup("rc-orders")).kind()).isEqualTo(Kind.BUSY);
    assertThat(awsError(() -> elastiCache.deleteParameterGroup("rc-orders")).kind()).isEqualTo(Kind.BUSY);
    // a group that is not available yet cannot be deleted
    assertThat(awsError(() -> elastiCache.deleteReplicationGroup("rc-orders", null)).kind()).isEqualTo(Kind.BUSY);

    ObservedGroup available = awaitGroup("rc-orders", g -> g != null && g.group().available());
    assertThat(available.parameterGroupName()).isEqualTo("rc-orders");
    elastiCache.deleteReplicationGroup("rc-orders", null);
    assertThat(awsError(() -> ec2.deleteSecurityGroup(sg)).kind()).isEqualTo(Kind.BUSY);
    awaitGroup("rc-orders", g -> g == null);

    ec2.deleteSecurityGroup(sg);
    elastiCache.deleteSubnetGroup("rc-orders");
    elastiCache.deleteParameterGroup("rc-orders");
    assertThat(ec2.findSecurityGroup(net.vpcId(), "rc-orders")).isEmpty();
    assertThat(elastiCache.findSubnetGroup("rc-orders")).isEmpty();
    assertThat(elastiCache.findParameterGroup("rc-orders")).isEmpty();
  }

  @Test
  void describeAllCopesWithAGroupWhoseClustersAreGoneBetweenItsTwoCalls() {
    Network net = network();
    elastiCache.createSubnetGroup("rc-race", "subnets", net.subnets(), Map.of());
    elastiCache.createReplicationGroup(smallSpec("rc-race", "rc-race", 0));
    awaitGroup("rc-race", g -> g != null && g.group().available());
    elastiCache.deleteReplicationGroup("rc-race", null);
    // DescribeReplicationGroups still sees it deleting; by the time DescribeCacheClusters is answered it is gone
    emulator.faults("elasticache", "DescribeCacheClusters", 0, 0, 1500);

    Map<String, ObservedGroup> all = elastiCache.describeAll();
    assertThat(all.get("rc-race").group().status()).isEqualTo("deleting");
    assertThat(all.get("rc-race").clusters()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Secrets Manager

  @Test
  void createGetDelete() throws InterruptedException {
    String value = "{\"password\":\"" + token64() + "\"}";
    StoredSecret created = secrets.create("rediscache/team-a/orders", "AUTH token of team-a/orders", value, TAGS);
    assertThat(created.arn()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:rediscache/team-a/orders");
    assertThat(created.value()).isEqualTo(value);
    assertThat(created.toString()).doesNotContain(value).doesNotContain("password");

    StoredSecret read = secrets.get("rediscache/team-a/orders").orElseThrow();
    assertThat(read).isEqualTo(created);
    assertThat(read.toString()).doesNotContain(value);

    AwsException again = awsError(() -> secrets.create("rediscache/team-a/orders", "again", "other", TAGS));
    assertThat(again.kind()).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(again.code()).isEqualTo("ResourceExistsException");
    assertThat(again.getMessage()).doesNotContain(value);

    secrets.delete("rediscache/team-a/orders");
    // Deletion is asynchronous, even without a recovery window: the name stays taken a while, and
    // AWS's refusals are "busy" (retried), never a bad spec.
    AwsException marked = awsError(() -> secrets.get("rediscache/team-a/orders"));
    assertThat(marked.code()).isEqualTo("InvalidRequestException");
    assertThat(marked.kind()).isEqualTo(Kind.BUSY);
    AwsException held = awsError(() -> secrets.create("rediscache/team-a/orders", "again", "v2", Map.of()));
    assertThat(held.kind()).isEqualTo(Kind.BUSY);
    assertThat(held.awsMessage()).contains("scheduled for deletion");
    assertThatCode(() -> secrets.delete("rediscache/team-a/orders")).doesNotThrowAnyException();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (secrets.get("rediscache/team-a/orders").isEmpty()) break;
      } catch (AwsException e) {
        assertThat(e.kind()).isEqualTo(Kind.BUSY);
      }
      Thread.sleep(200);
    }
    // once the deletion completed the name is free again
    assertThat(secrets.create("rediscache/team-a/orders", "again", "v2", Map.of()).value()).isEqualTo("v2");
  }

  @Test
  void getOfAMissingSecretIsEmpty() {
    assertThat(secrets.get("rediscache/no/such")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Faults (SDK retries off: one attempt per adapter call)

  @Test
  void elastiCacheThrottlingIsThrottled() {
    emulator.faults("elasticache", "DescribeReplicationGroups", 2, 0, 0);
    AwsException first = awsError(() -> elastiCache.describeAll());
    assertThat(first.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(first.code()).isEqualTo("Throttling");
    assertThat(first.retryable()).isTrue();
    assertThat(awsError(() -> elastiCache.describeAll()).kind()).isEqualTo(Kind.THROTTLED);
    assertThat(elastiCache.describeAll()).isEmpty();
    assertThat(emulator.calls("elasticache", "DescribeReplicationGroups")).isEqualTo(3);
  }

  @Test
  void elastiCacheServerErrorsAreTransient() {
    emulator.faults("elasticache", "DescribeReplicationGroups", 0, 1, 0);
    AwsException e500 = awsError(() -> elastiCache.describeAll());
    assertThat(e500.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e500.code()).isEqualTo("InternalFailure");

    emulator.faults("elasticache", "DescribeCacheClusters", 0, 1, 0, 503);
    AwsException e503 = awsError(() -> elastiCache.describeAll());
    assertThat(e503.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e503.code()).isEqualTo("ServiceUnavailable");
    assertThat(e503.operation()).isEqualTo("elasticache:DescribeCacheClusters");
    assertThat(elastiCache.describeAll()).isEmpty();
  }

  @Test
  void ec2RequestLimitExceededIsThrottledAndServerErrorsTransient() {
    Network net = network();
    emulator.faults("ec2", "DescribeSubnets", 1, 1, 0);
    AwsException throttled = awsError(() -> ec2.vpcOfSubnets(net.subnets()));
    assertThat(throttled.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(throttled.code()).isEqualTo("RequestLimitExceeded");
    AwsException serverError = awsError(() -> ec2.vpcOfSubnets(net.subnets()));
    assertThat(serverError.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(serverError.code()).isEqualTo("InternalError");
    assertThat(ec2.vpcOfSubnets(net.subnets())).isEqualTo(net.vpcId());
  }

  @Test
  void secretsManagerThrottlingExceptionIsThrottled() {
    emulator.faults("secretsmanager", "GetSecretValue", 1, 1, 0);
    AwsException throttled = awsError(() -> secrets.get("rediscache/any"));
    assertThat(throttled.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(throttled.code()).isEqualTo("ThrottlingException");
    AwsException serverError = awsError(() -> secrets.get("rediscache/any"));
    assertThat(serverError.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(serverError.code()).isEqualTo("InternalServiceError");
    assertThat(secrets.get("rediscache/any")).isEmpty();
  }

  @Test
  void cloudWatchAlarmsGoOverSmithyRpcV2CborAndAThrottleIsThrottled() {
    // The SDK (2.4x on) speaks Smithy RPC v2 CBOR to CloudWatch; the emulator answers it (E65).
    SdkMonitoring monitoring = aws.monitoringPort();
    var alarm = new MetricAlarm("rediscache-wire-cbor-001-cpu", "EngineCPUUtilization", "Average", 85.5, "wire-cbor-001", 60, 5,
        List.of("arn:aws:sns:us-east-1:123456789012:alerts"));
    monitoring.putAlarm(alarm, TAGS);
    assertThat(monitoring.alarms("rediscache-wire-cbor-")).containsExactly(alarm);
    assertThat(emulator.calls()).containsEntry("monitoring:PutMetricAlarm", 1).containsEntry("monitoring:DescribeAlarms", 1);

    emulator.faults("monitoring", "DescribeAlarms", 1, 1, 0);
    AwsException throttled = awsError(() -> monitoring.alarms("rediscache-wire-cbor-"));
    assertThat(throttled.kind()).isEqualTo(Kind.THROTTLED);
    AwsException serverError = awsError(() -> monitoring.alarms("rediscache-wire-cbor-"));
    assertThat(serverError.kind()).isEqualTo(Kind.TRANSIENT);

    monitoring.deleteAlarms(List.of(alarm.name()));
    assertThat(monitoring.alarms("rediscache-wire-cbor-")).isEmpty();
  }

  @Test
  void theOperatorsOwnRateLimitThrottlesBeforeAnyCall() {
    AwsCalls tight = new AwsCalls(new dev.operators.elasticache.aws.CallGate(0.001, 1), null);
    SdkSecrets limited = new SdkSecrets(aws.secrets(), tight);
    assertThat(limited.get("rediscache/any")).isEmpty();
    emulator.clearCalls();
    AwsException e = awsError(() -> limited.get("rediscache/any"));
    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.code()).isEqualTo("ClientRateLimit");
    assertThat(emulator.calls()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  // ---------------------------------------------------------------------------------------------
  // Node features: data tiering, network type, IPv6 ingress, KMS

  @Test
  void createSendsDataTieringNetworkTypeIpDiscoveryAndTheKmsKey() {
    Ec2Client raw = aws.ec2();
    var vpc = raw.createVpc(r -> r.cidrBlock("10.3.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc();
    String v6 = vpc.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock();
    List<String> subnets = List.of(
        raw.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.3.1.0/24").ipv6CidrBlock(AwsEmulator.ipv6Subnet(v6, 1)).availabilityZone("us-east-1a")).subnet().subnetId(),
        raw.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.3.2.0/24").ipv6CidrBlock(AwsEmulator.ipv6Subnet(v6, 2)).availabilityZone("us-east-1b")).subnet().subnetId());
    elastiCache.createSubnetGroup("rc-dual", "dual", subnets, TAGS);
    assertThat(elastiCache.findSubnetGroup("rc-dual").orElseThrow().supportedNetworkTypes()).containsExactlyInAnyOrder("ipv4", "dual_stack");

    String key = aws.kms().createKey(r -> r.description("cache")).keyMetadata().arn();
    KmsPort.KeyInfo info = aws.kmsPort().describeKey(key).orElseThrow();
    assertThat(List.of(info.keyState(), info.keyUsage(), info.keySpec())).containsExactly("Enabled", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT");
    assertThat(aws.kmsPort().describeKey("alias/no-such-key")).isEmpty();

    ReplicationGroupInfo created = elastiCache.createReplicationGroup(fullSpec("rc-tiered", "rc-dual", List.of(), null)
        .withCacheNodeType("cache.r6gd.xlarge").withDataTiering(true).withNetworkType("dual_stack").withIpDiscovery("ipv6").withKmsKeyId(key));
    assertThat(List.of(created.dataTiering(), created.networkType(), created.ipDiscovery(), created.kmsKeyId()))
        .containsExactly(true, "dual_stack", "ipv6", key);
    // what AWS was sent, read with the raw client
    var sent = aws.elastiCache().describeReplicationGroups(r -> r.replicationGroupId("rc-tiered")).replicationGroups().get(0);
    assertThat(List.of(sent.dataTieringAsString(), sent.networkTypeAsString(), sent.ipDiscoveryAsString(), sent.kmsKeyId()))
        .containsExactly("enabled", "dual_stack", "ipv6", key);
  }

  @Test
  void modifySendsTransitEncryptionAndItsModeAndDescribeReadsTheMode() {
    assertThat(emulator.config(Map.of("modifyingSeconds", 1))).containsEntry("modifyingSeconds", 1.0);
    Network net = network();
    elastiCache.createSubnetGroup("rc-tlsmove", "subnets", net.subnets(), TAGS);
    elastiCache.createReplicationGroup(fullSpec("rc-tlsmove", "rc-tlsmove", List.of(), null).withTransitEncryption(false));
    assertThat(awaitGroup("rc-tlsmove", g -> g != null && g.group().available()).group().transitEncryptionMode()).isNull();
    elastiCache.modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest.of("rc-tlsmove", true).transit(true, "preferred"));
    ReplicationGroupInfo preferred = awaitGroup("rc-tlsmove", g -> g.group().available() && g.group().transitEncryption()).group();
    assertThat(preferred.transitEncryptionMode()).isEqualTo("preferred");
    // what AWS holds, read with the raw client
    var raw = aws.elastiCache().describeReplicationGroups(r -> r.replicationGroupId("rc-tlsmove")).replicationGroups().get(0);
    assertThat(raw.transitEncryptionModeAsString()).isEqualTo("preferred");
    elastiCache.modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest.of("rc-tlsmove", true).transit(null, "required"));
    assertThat(awaitGroup("rc-tlsmove", g -> g.group().available() && "required".equals(g.group().transitEncryptionMode())).group().transitEncryption()).isTrue();
  }

  @Test
  void modifySendsClusterModeAndDescribeReadsItWithBothEndpointsInCompatible() {
    assertThat(emulator.config(Map.of("modifyingSeconds", 1))).containsEntry("modifyingSeconds", 1.0);
    Network net = network();
    elastiCache.createSubnetGroup("rc-cmmove", "subnets", net.subnets(), TAGS);
    elastiCache.createReplicationGroup(fullSpec("rc-cmmove", "rc-cmmove", List.of(), null).withTransitEncryption(false).withAuthToken(null));
    assertThat(awaitGroup("rc-cmmove", g -> g != null && g.group().available()).group().clusterMode()).isEqualTo("disabled");
    elastiCache.modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest.of("rc-cmmove", true).withClusterMode("compatible"));
    // what AWS was sent, read with the raw client: pending while modifying
    var raw = aws.elastiCache().describeReplicationGroups(r -> r.replicationGroupId("rc-cmmove")).replicationGroups().get(0);
    assertThat(raw.pendingModifiedValues().clusterModeAsString()).isEqualTo("compatible");
    ReplicationGroupInfo compatible = awaitGroup("rc-cmmove", g -> g.group().available() && "compatible".equals(g.group().clusterMode())).group();
    assertThat(compatible.configurationEndpoint()).isNotNull();
    assertThat(compatible.primaryEndpoint()).isNotNull();
    assertThat(compatible.clusterEnabled()).isFalse();
    elastiCache.modifyReplicationGroup(dev.operators.elasticache.aws.ModifyRequest.of("rc-cmmove", true).withClusterMode("enabled"));
    ReplicationGroupInfo enabled = awaitGroup("rc-cmmove", g -> g.group().available() && "enabled".equals(g.group().clusterMode())).group();
    assertThat(enabled.clusterEnabled()).isTrue();
    assertThat(enabled.primaryEndpoint()).isNull();
  }

  @Test
  void durabilityIsSentOnCreateAndModifyAndReadBackWithTheEncryptionItTurnedOn() {
    Network net = network();
    elastiCache.createSubnetGroup("rc-durable", "subnets", net.subnets(), TAGS);
    ReplicationGroupSpec spec = fullSpec("rc-durable", "rc-durable", List.of(), null).withEngineVersion("9.0")
        .withCacheNodeType("cache.r7g.large").withNumNodeGroups(2).withClusterMode(true).withAtRestEncryption(false).withDurability("async");
    ReplicationGroupInfo created = elastiCache.createReplicationGroup(spec);
    assertThat(List.of(created.durability(), created.storageEncryption())).containsExactly("async", "sse-elasticache");
    // what AWS was sent, read with the raw client
    var sent = aws.elastiCache().describeReplicationGroups(r -> r.replicationGroupId("rc-durable")).replicationGroups().get(0);
    assertThat(List.of(sent.durabilityAsString(), sent.effectiveDurabilityAsString(), sent.storageEncryptionTypeAsString()))
        .containsExactly("async", "async", "sse-elasticache");

    awaitGroup("rc-durable", g -> g != null && g.group().available());
    elastiCache.modifyReplicationGroup(ModifyRequest.of("rc-durable", true).withDurability("sync"));
    assertThat(awaitGroup("rc-durable", g -> g != null && g.group().available()).group().durability()).isEqualTo("sync");
    assertThat(aws.elastiCache().describeReplicationGroups(r -> r.replicationGroupId("rc-durable")).replicationGroups().get(0)
        .durabilityAsString()).isEqualTo("sync");

    AwsException refused = awsError(() -> elastiCache.createReplicationGroup(spec.withReplicationGroupId("rc-durable-2").withNumNodeGroups(1).withClusterMode(false)));
    assertThat(List.of(refused.kind(), refused.code())).containsExactly(Kind.INVALID_INPUT, "InvalidParameterCombination");
  }

  @Test
  void ipv6CidrRulesGoToIpv6RangesAndComeBack() {
    Network net = network();
    String id = ec2.createSecurityGroup(net.vpcId(), "rc-v6", "v6", TAGS);
    IngressRule v4 = IngressRule.fromCidr(6379, "10.0.0.0/16");
    IngressRule v6 = IngressRule.fromCidr(6379, "2001:db8:1234::/56");
    ec2.authorizeIngress(id, List.of(v4, v6));
    var perms = aws.ec2().describeSecurityGroups(r -> r.groupIds(id)).securityGroups().get(0).ipPermissions();
    assertThat(perms.stream().flatMap(p -> p.ipv6Ranges().stream()).map(r -> r.cidrIpv6()).toList()).containsExactly("2001:db8:1234::/56");
    assertThat(perms.stream().flatMap(p -> p.ipRanges().stream()).map(r -> r.cidrIp()).toList()).containsExactly("10.0.0.0/16");
    SecurityGroupInfo found = ec2.findSecurityGroup(net.vpcId(), "rc-v6").orElseThrow();
    assertThat(found.ingress()).containsExactlyInAnyOrder(v4, v6);
    assertThat(found.otherIngress()).isZero();
    ec2.revokeIngress(id, List.of(v6));
    assertThat(ec2.findSecurityGroup(net.vpcId(), "rc-v6").orElseThrow().ingress()).containsExactly(v4);
  }

  // ---------------------------------------------------------------------------------------------
  // Serverless caches

  @Test
  void aServerlessCacheIsCreatedFromASnapshotArnAndDescribeServerlessSnapshotReadsIt() {
    Network net = network();
    elastiCache.createServerlessCache(new ServerlessCacheSpec("rc-sl-src", "source", "valkey", "8", null, null, List.of(), net.subnets(),
        null, 0, null, TAGS));
    awaitServerless("rc-sl-src", ServerlessCacheInfo::available);
    elastiCache.deleteServerlessCache("rc-sl-src", "rc-sl-src-final");
    var snap = elastiCache.describeServerlessSnapshot("rc-sl-src-final").orElseThrow();
    assertThat(List.of(snap.name(), snap.status(), snap.engine(), snap.majorEngineVersion(), snap.serverlessCacheName()))
        .containsExactly("rc-sl-src-final", "available", "valkey", "8", "rc-sl-src");
    assertThat(snap.arn()).isEqualTo("arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:rc-sl-src-final");
    assertThat(elastiCache.describeServerlessSnapshot("rc-none")).isEmpty(); // ServerlessCacheSnapshotNotFoundFault

    elastiCache.createServerlessCache(new ServerlessCacheSpec("rc-sl-copy", "copy", "valkey", "8", null, null, List.of(), net.subnets(),
        null, 0, null, TAGS, List.of(snap.arn())));
    assertThat(emulator.serverlessRestoredFrom("rc-sl-copy")).containsExactly(snap.arn());
    // none sent for a cache created empty
    elastiCache.createServerlessCache(new ServerlessCacheSpec("rc-sl-empty", "empty", "valkey", "8", null, null, List.of(), net.subnets(),
        null, 0, null, TAGS));
    assertThat(emulator.serverlessRestoredFrom("rc-sl-empty")).isEmpty();
    assertThat(emulator.calls("elasticache", "DescribeServerlessCacheSnapshots")).isEqualTo(2);
  }

  @Test
  void serverlessCacheCreateDescribeModifyAndDeleteWithAFinalSnapshotOnTheWire() {
    Network net = network();
    String sg = ec2.createSecurityGroup(net.vpcId(), "rc-sl", "serverless", TAGS);
    String sg2 = ec2.createSecurityGroup(net.vpcId(), "rc-sl-2", "serverless", TAGS);
    String key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    ServerlessCacheInfo created = elastiCache.createServerlessCache(new ServerlessCacheSpec("rc-sl-orders", "RedisCache team-a/orders",
        "valkey", "8", 10, 5000, List.of(sg), net.subnets(), key, 3, "04:30", TAGS));
    assertThat(created.status()).isEqualTo("creating");
    assertThat(created.endpoint()).isNull();
    // every field went over the wire as the request's members
    var raw = aws.elastiCache().describeServerlessCaches(r -> r.serverlessCacheName("rc-sl-orders")).serverlessCaches().get(0);
    assertThat(raw.cacheUsageLimits().dataStorage().maximum()).isEqualTo(10);
    assertThat(raw.cacheUsageLimits().dataStorage().unitAsString()).isEqualTo("GB");
    assertThat(raw.cacheUsageLimits().ecpuPerSecond().maximum()).isEqualTo(5000);
    assertThat(List.of(raw.kmsKeyId(), raw.dailySnapshotTime(), raw.description(), raw.majorEngineVersion(), raw.engine()))
        .containsExactly(key, "04:30", "RedisCache team-a/orders", "8", "valkey");
    assertThat(raw.snapshotRetentionLimit()).isEqualTo(3);
    assertThat(raw.subnetIds()).isEqualTo(net.subnets());
    assertThat(elastiCache.tagsOf(created.arn())).containsAllEntriesOf(TAGS);

    ServerlessCacheInfo up = awaitServerless("rc-sl-orders", ServerlessCacheInfo::available);
    assertThat(up.endpoint().port()).isEqualTo(6379);
    assertThat(up.readerEndpoint().port()).isEqualTo(6380);
    assertThat(up.fullEngineVersion()).isEqualTo("8.0");

    elastiCache.modifyServerlessCache(ServerlessCacheChange.of("rc-sl-orders").withLimits(null, 8000)
        .withSecurityGroupIds(List.of(sg, sg2)).withSnapshots(5, "02:00").withDescription("changed"));
    ServerlessCacheInfo modified = awaitServerless("rc-sl-orders", ServerlessCacheInfo::available);
    assertThat(List.of(modified.maxDataStorageGB(), modified.maxECPUPerSecond(), modified.snapshotRetentionLimit()))
        .containsExactly(10, 8000, 5);
    assertThat(modified.securityGroupIds()).containsExactly(sg, sg2);
    assertThat(List.of(modified.dailySnapshotTime(), modified.description())).containsExactly("02:00", "changed");

    AwsException refused = awsError(() -> elastiCache.modifyServerlessCache(ServerlessCacheChange.of("rc-sl-orders").withLimits(6000, null)));
    assertThat(refused.kind()).isEqualTo(Kind.INVALID_INPUT);
    assertThat(refused.operation()).isEqualTo("elasticache:ModifyServerlessCache");

    elastiCache.deleteServerlessCache("rc-sl-orders", "rc-sl-orders-final-1");
    assertThat(aws.elastiCache().describeServerlessCacheSnapshots(r -> r.serverlessCacheSnapshotName("rc-sl-orders-final-1"))
        .serverlessCacheSnapshots()).hasSize(1);
    awaitServerless("rc-sl-orders", c -> c == null);
    assertThat(elastiCache.describeServerlessCache("rc-sl-orders")).isEmpty();
    AwsException gone = awsError(() -> elastiCache.deleteServerlessCache("rc-sl-orders", null));
    assertThat(gone.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(gone.code()).isEqualTo("ServerlessCacheNotFoundFault");
  }

  @Test
  void aServerlessCacheTakesAndLosesItsUserGroupOnTheWire() throws Exception {
    // E66: CreateServerlessCache UserGroupId, DescribeServerlessCaches UserGroupId, UserGroup ServerlessCaches, ModifyServerlessCache RemoveUserGroup / UserGroupId
    emulator.config(Map.of("userSeconds", 0, "creatingSeconds", 0, "modifyingSeconds", 0.2));
    Network net = network();
    elastiCache.createUser(new UserSpec("rc-slw-default", "default", "valkey", "off -@all", "password", List.of(AuthTokens.generate()), Map.of()));
    String pw = AuthTokens.generate();
    elastiCache.createUser(new UserSpec("rc-slw-app", "app", "valkey", "on ~app:* +@all", "password", List.of(pw), Map.of()));
    elastiCache.createUserGroup("rc-slw", "valkey", List.of("rc-slw-default", "rc-slw-app"), TAGS);
    Thread.sleep(100);
    elastiCache.createServerlessCache(new ServerlessCacheSpec("rc-slw", "users", "valkey", "8", null, null, List.of(), net.subnets(),
        null, 0, null, TAGS, List.of(), "rc-slw"));
    assertThat(awaitServerless("rc-slw", ServerlessCacheInfo::available).userGroupId()).isEqualTo("rc-slw");
    assertThat(elastiCache.describeUserGroup("rc-slw").orElseThrow().serverlessCaches()).containsExactly("rc-slw");
    assertThat(emulator.acceptedServerlessUsers("rc-slw")).containsExactly(entry("app", List.of(pw)));
    elastiCache.modifyServerlessCache(ServerlessCacheChange.of("rc-slw").withoutUserGroup());
    assertThat(awaitServerless("rc-slw", ServerlessCacheInfo::available).userGroupId()).isNull();
    assertThat(elastiCache.describeUserGroup("rc-slw").orElseThrow().unused()).isTrue();
    elastiCache.modifyServerlessCache(ServerlessCacheChange.of("rc-slw").withUserGroup("rc-slw"));
    assertThat(awaitServerless("rc-slw", ServerlessCacheInfo::available).userGroupId()).isEqualTo("rc-slw");
  }

  @Test
  void serverlessSweepPagesThroughEveryCacheFiftyAtATime() {
    emulator.config(Map.of("creatingSeconds", 600, "maxServerlessCaches", 60));
    Network net = network();
    for (int i = 0; i < 55; i++) {
      elastiCache.createServerlessCache(new ServerlessCacheSpec(String.format("rc-sl-%02d", i), "d", "valkey", null, null, null,
          List.of(), net.subnets(), null, null, null, Map.of()));
    }
    emulator.clearCalls();
    Map<String, ServerlessCacheInfo> all = elastiCache.sweepServerlessCaches();
    assertThat(all).hasSize(55).containsKeys("rc-sl-00", "rc-sl-54");
    assertThat(all.get("rc-sl-54").majorEngineVersion()).isEqualTo("8"); // AWS's default major version
    assertThat(emulator.calls()).containsOnly(entry("elasticache:DescribeServerlessCaches", 2));
  }

  private ServerlessCacheInfo awaitServerless(String name, Predicate<ServerlessCacheInfo> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      ServerlessCacheInfo c = elastiCache.describeServerlessCache(name).orElse(null);
      if (condition.test(c)) return c;
      if (System.nanoTime() > deadline) throw new AssertionError(name + " never reached the expected state; last: " + c);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  record Network(String vpcId, List<String> subnets) {}

  private Network network() {
    return network("10.0.0.0/16");
  }

  /** A VPC with two subnets in two zones, made with the raw EC2 client (the operator takes them as given). */
  private Network network(String cidr) {
    Ec2Client raw = aws.ec2();
    String vpc = raw.createVpc(r -> r.cidrBlock(cidr)).vpc().vpcId();
    String prefix = cidr.substring(0, cidr.indexOf(".0.0/16"));
    String a = raw.createSubnet(r -> r.vpcId(vpc).cidrBlock(prefix + ".1.0/24").availabilityZone("us-east-1a"))
        .subnet().subnetId();
    String b = raw.createSubnet(r -> r.vpcId(vpc).cidrBlock(prefix + ".2.0/24").availabilityZone("us-east-1b"))
        .subnet().subnetId();
    return new Network(vpc, List.of(a, b));
  }

  private String defaultVpc() {
    return aws.ec2().describeVpcs(r -> r.filters(f -> f.name("is-default").values("true"))).vpcs().get(0).vpcId();
  }

  private static ReplicationGroupSpec fullSpec(String id, String subnetGroup, List<String> securityGroups, String token) {
    return ReplicationGroupSpecBuilder.builder()
        .replicationGroupId(id)
        .description("RedisCache team-a/orders")
        .engine("valkey")
        .engineVersion("8.0")
        .cacheNodeType("cache.t4g.small")
        .numNodeGroups(1)
        .replicasPerNodeGroup(1)
        .clusterMode(false)
        .automaticFailover(true)
        .multiAZ(true)
        .port(6379)
        .cacheSubnetGroupName(subnetGroup)
        .securityGroupIds(securityGroups)
        .transitEncryption(true)
        .atRestEncryption(true)
        .authToken(token)
        .snapshotRetentionLimit(7)
        .snapshotWindow("03:00-04:00")
        .preferredMaintenanceWindow("sun:05:00-sun:06:00")
        .tags(TAGS)
        .build();
  }

  private static ReplicationGroupSpec smallSpec(String id, String subnetGroup, int replicas) {
    return ReplicationGroupSpecBuilder.builder()
        .replicationGroupId(id)
        .description("small")
        .engine("valkey")
        .engineVersion("8.0")
        .cacheNodeType("cache.t4g.micro")
        .numNodeGroups(1)
        .replicasPerNodeGroup(replicas)
        .clusterMode(false)
        .automaticFailover(false)
        .multiAZ(false)
        .port(6379)
        .cacheSubnetGroupName(subnetGroup)
        .securityGroupIds(List.of())
        .transitEncryption(false)
        .atRestEncryption(false)
        .snapshotRetentionLimit(0)
        .tags(tags("size", "small"))
        .build();
  }

  /** Polls describeAll (bounded) until the group (null when absent) satisfies the condition. */
  private ObservedGroup awaitGroup(String id, Predicate<ObservedGroup> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    ObservedGroup g;
    while (true) {
      g = elastiCache.describeAll().get(id);
      if (condition.test(g)) return g;
      if (System.nanoTime() > deadline) {
        throw new AssertionError("replication group " + id + " did not reach the expected state within " + WAIT
            + "; last seen: " + (g == null ? "absent" : g.group()));
      }
      sleep(100);
    }
  }

  private static AwsException awsError(Runnable call) {
    AwsException e = catchThrowableOfType(call::run, AwsException.class);
    assertThat(e).as("an AwsException").isNotNull();
    return e;
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** A 64-character alphanumeric AUTH token, as the operator generates them. */
  private static String token64() {
    StringBuilder b = new StringBuilder(64);
    for (int i = 0; i < 64; i++) b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
    return b.toString();
  }

  private static Map<String, String> tags(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
    return m;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
