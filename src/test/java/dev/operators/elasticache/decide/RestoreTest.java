package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.AdoptionSpec;
import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RestoreFromSpec;
import dev.operators.elasticache.aws.SnapshotInfo;
import dev.operators.elasticache.fake.Harness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.restoreFrom: validation, what CreateReplicationGroup is sent, and the snapshot pre-check. */
class RestoreTest {
  static final EngineVersions AWS = DecisionsTest.AWS;

  static RedisCache restoring(String snapshot, List<String> arns) {
    RedisCache rc = Harness.cache("shop", "orders");
    RestoreFromSpec r = new RestoreFromSpec();
    r.setSnapshotName(snapshot);
    r.setRdbS3Arns(arns);
    rc.getSpec().setRestoreFrom(r);
    return rc;
  }

  static SnapshotInfo snapshot(String status, String engine, String version, String nodeType, int shards) {
    return new SnapshotInfo("orders-final", status, engine, version, nodeType, shards, shards > 1, "rc-old");
  }

  @Test
  void exactlyOneSourceWellFormedAndNotWithAdoption() {
    assertThat(SpecValidation.validate(restoring("orders-final", null).getSpec(), AWS)).isEmpty();
    assertThat(SpecValidation.validate(restoring(null, List.of("arn:aws:s3:::seed/dumps/a.rdb", "arn:aws:s3:::seed/b.rdb")).getSpec(), AWS)).isEmpty();

    assertThat(SpecValidation.validate(restoring(null, null).getSpec(), AWS)).extracting(Problem::field).containsExactly("spec.restoreFrom");
    assertThat(SpecValidation.validate(restoring("x", List.of("arn:aws:s3:::seed/a.rdb")).getSpec(), AWS))
        .extracting(Problem::field).containsExactly("spec.restoreFrom");
    for (String bad : List.of("s3://seed/a.rdb", "arn:aws:s3:::seed", "arn:aws:s3:::seed/a,b.rdb", "arn:aws:elasticache:::seed/a.rdb")) {
      assertThat(SpecValidation.validate(restoring(null, List.of(bad)).getSpec(), AWS)).as(bad)
          .extracting(Problem::field).containsExactly("spec.restoreFrom.rdbS3Arns");
    }
    RedisCache adopting = restoring("orders-final", null);
    AdoptionSpec a = new AdoptionSpec();
    a.setReplicationGroupId("legacy");
    adopting.getSpec().setAdoption(a);
    adopting.getSpec().getNetwork().setSubnetIds(null);
    adopting.getSpec().getNetwork().setSubnetGroupName("legacy");
    adopting.getSpec().getNetwork().setVpcId("vpc-0123456789abcdef0");
    assertThat(SpecValidation.validate(adopting.getSpec(), AWS)).extracting(Problem::field).containsExactly("spec.restoreFrom");
  }

  @Test
  void theCreateRequestCarriesTheSourceAndStatusSaysWhatItWas() {
    Desired fromSnapshot = Desired.of(restoring("orders-final", null), "prod", AWS);
    assertThat(fromSnapshot.replicationGroupSpec("sg-1").snapshotName()).isEqualTo("orders-final");
    assertThat(fromSnapshot.replicationGroupSpec("sg-1").snapshotArns()).isEmpty();
    assertThat(fromSnapshot.restoredFrom()).isEqualTo("snapshot orders-final");

    List<String> arns = List.of("arn:aws:s3:::seed/a.rdb", "arn:aws:s3:::seed/b.rdb");
    Desired fromFiles = Desired.of(restoring(null, arns), "prod", AWS);
    assertThat(fromFiles.replicationGroupSpec("sg-1").snapshotArns()).isEqualTo(arns);
    assertThat(fromFiles.replicationGroupSpec("sg-1").snapshotName()).isNull();
    assertThat(fromFiles.restoredFrom()).isEqualTo("s3 arn:aws:s3:::seed/a.rdb,arn:aws:s3:::seed/b.rdb");

    Desired empty = Desired.of(Harness.cache("shop", "orders"), "prod", AWS);
    assertThat(empty.restoredFrom()).isNull();
    assertThat(empty.replicationGroupSpec("sg-1").snapshotName()).isNull();
    assertThat(empty.replicationGroupSpec("sg-1").toString()).doesNotContain("snapshot");
    assertThat(fromSnapshot.replicationGroupSpec("sg-1").toString()).contains("snapshot=orders-final");

    // written once: a later value never replaces it
    StatusBuilder status = new StatusBuilder(Harness.cache("shop", "orders"), java.time.Instant.now());
    status.restoredFrom("snapshot orders-final").restoredFrom("snapshot other");
    assertThat(status.status().getRestoredFrom()).isEqualTo("snapshot orders-final");
  }

  @Test
  void theSnapshotMustExistBeAvailableAndFitTheCache() {
    Desired d = Desired.of(restoring("orders-final", null), "prod", AWS); // valkey 8.0, cache.t4g.micro, 1 shard
    assertThat(RestoreCheck.judge(d, Optional.of(snapshot("available", "valkey", "8.0.1", "cache.t4g.micro", 1)))).isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judge(d, Optional.of(snapshot("available", "redis", "7.1.0", "cache.t4g.micro", 1))))
        .as("Redis OSS data into Valkey is an upgrade AWS allows").isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judge(d, Optional.of(snapshot("creating", "valkey", "8.0.1", "cache.t4g.micro", 1)))).isInstanceOf(RestoreCheck.Wait.class);

    assertThat(field(RestoreCheck.judge(d, Optional.empty()))).isEqualTo("spec.restoreFrom.snapshotName");
    assertThat(field(RestoreCheck.judge(d, Optional.of(snapshot("failed", "valkey", "8.0.1", "cache.t4g.micro", 1))))).isEqualTo("spec.restoreFrom.snapshotName");
    assertThat(field(RestoreCheck.judge(d, Optional.of(snapshot("available", "valkey", "8.1.0", "cache.t4g.micro", 1))))).isEqualTo("spec.engineVersion");
    assertThat(field(RestoreCheck.judge(d, Optional.of(snapshot("available", "valkey", "8.0.1", "cache.t4g.micro", 3))))).isEqualTo("spec.shards");
    assertThat(field(RestoreCheck.judge(d, Optional.of(snapshot("available", "valkey", "8.0.1", "cache.r7g.large", 1))))).isEqualTo("spec.nodeType");

    RedisCache redis = restoring("orders-final", null);
    redis.getSpec().setEngine(Engine.REDIS);
    Desired r = Desired.of(redis, "prod", AWS);
    RestoreCheck.Verdict back = RestoreCheck.judge(r, Optional.of(snapshot("available", "valkey", "8.0.1", "cache.t4g.micro", 1)));
    assertThat(field(back)).isEqualTo("spec.engine");
    assertThat(((RestoreCheck.Refuse) back).problem().message()).contains("set engine: valkey");

    // a non-cluster snapshot may seed a cluster-mode cache (the shard count is not the snapshot's)
    RedisCache sharded = restoring("orders-final", null);
    sharded.getSpec().setShards(3);
    assertThat(RestoreCheck.judge(Desired.of(sharded, "prod", AWS), Optional.of(snapshot("available", "valkey", "8.0.1", "cache.t4g.micro", 1))))
        .isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judge(Desired.of(sharded, "prod", AWS), Optional.of(snapshot("available", "valkey", "8.0.1", "cache.t4g.micro", 3))))
        .isInstanceOf(RestoreCheck.Go.class);
  }

  static String field(RestoreCheck.Verdict v) {
    assertThat(v).isInstanceOf(RestoreCheck.Refuse.class);
    return ((RestoreCheck.Refuse) v).problem().field();
  }

  @Test
  void aServerlessSnapshotMustExistBeAvailableAndFitTheEngineAndItsMajorVersion() {
    RedisCache rc = restoring("web-final", null);
    rc.getSpec().setServerless(new dev.operators.elasticache.api.ServerlessSpec());
    Desired d = Desired.of(rc, "test", AWS); // valkey 8.x: major 8
    java.util.function.BiFunction<String, String, Optional<dev.operators.elasticache.aws.ServerlessSnapshotInfo>> snap = (status, engineMajor) ->
        Optional.of(new dev.operators.elasticache.aws.ServerlessSnapshotInfo("web-final", "arn:aws:elasticache:us-east-1:1:serverlesscachesnapshot:web-final",
            status, engineMajor.split(" ")[0], engineMajor.split(" ")[1], "rc-web"));
    assertThat(RestoreCheck.judgeServerless(d, snap.apply("available", "valkey 8"))).isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judgeServerless(d, snap.apply("available", "valkey 7"))).isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judgeServerless(d, snap.apply("available", "redis 7"))).isInstanceOf(RestoreCheck.Go.class); // Redis OSS into Valkey
    assertThat(RestoreCheck.judgeServerless(d, snap.apply("creating", "valkey 8"))).isInstanceOf(RestoreCheck.Wait.class);
    assertThat(((RestoreCheck.Refuse) RestoreCheck.judgeServerless(d, Optional.empty())).problem().field()).isEqualTo("spec.restoreFrom.snapshotName");
    assertThat(((RestoreCheck.Refuse) RestoreCheck.judgeServerless(d, snap.apply("failed", "valkey 8"))).problem().field())
        .isEqualTo("spec.restoreFrom.snapshotName");
    assertThat(((RestoreCheck.Refuse) RestoreCheck.judgeServerless(d, snap.apply("available", "valkey 9"))).problem().field()).isEqualTo("spec.engineVersion");
    rc.getSpec().setEngine(Engine.REDIS);
    rc.getSpec().setEngineVersion("7.1");
    assertThat(((RestoreCheck.Refuse) RestoreCheck.judgeServerless(Desired.of(rc, "test", AWS), snap.apply("available", "valkey 8"))).problem().field())
        .isEqualTo("spec.engine");
  }

  @Test
  void aNodeBasedSnapshotForAServerlessCacheMustExistBeAvailableAndFitTheEngineAndItsMajorVersionButNotTheShapes() {
    RedisCache rc = restoring("orders-final", null);
    rc.getSpec().setServerless(new dev.operators.elasticache.api.ServerlessSpec());
    Desired d = Desired.of(rc, "test", AWS); // valkey 8.x: major 8
    java.util.function.BiFunction<String, String, Optional<SnapshotInfo>> snap = (status, engineVersion) ->
        Optional.of(new SnapshotInfo("orders-final", status, engineVersion.split(" ")[0], engineVersion.split(" ")[1], "cache.r7g.2xlarge", 3, true,
            "rc-old", "arn:aws:elasticache:us-east-1:123456789012:snapshot:orders-final"));
    // a cluster-mode snapshot of 3 shards on big nodes: a serverless cache has no shards or nodes to fit
    assertThat(RestoreCheck.judgeServerlessFromNodeBased(d, snap.apply("available", "valkey 8.0.1"))).isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judgeServerlessFromNodeBased(d, snap.apply("available", "valkey 7.2.4"))).isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judgeServerlessFromNodeBased(d, snap.apply("available", "redis 6.2.6"))).isInstanceOf(RestoreCheck.Go.class);
    assertThat(RestoreCheck.judgeServerlessFromNodeBased(d, snap.apply("creating", "valkey 8.0.1"))).isInstanceOf(RestoreCheck.Wait.class);
    assertThat(field(RestoreCheck.judgeServerlessFromNodeBased(d, Optional.empty()))).isEqualTo("spec.restoreFrom.snapshotName");
    assertThat(field(RestoreCheck.judgeServerlessFromNodeBased(d, snap.apply("failed", "valkey 8.0.1")))).isEqualTo("spec.restoreFrom.snapshotName");
    assertThat(field(RestoreCheck.judgeServerlessFromNodeBased(d, snap.apply("available", "valkey 9.0.0")))).isEqualTo("spec.engineVersion");
    rc.getSpec().setEngine(Engine.REDIS);
    rc.getSpec().setEngineVersion("7.1");
    assertThat(field(RestoreCheck.judgeServerlessFromNodeBased(Desired.of(rc, "test", AWS), snap.apply("available", "valkey 8.0.1")))).isEqualTo("spec.engine");
  }
}
