package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.Engine;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.EngineVersionInfo;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine versions AWS offers, and what the operator decides from them. */
class EngineVersionsTest {
  static final EngineVersions AWS = new EngineVersions(FakeAws.ENGINE_VERSIONS);

  @Test
  void familiesComeFromWhatAwsLists() {
    assertThat(AWS.family(Engine.VALKEY, "9.1")).contains("valkey9");
    assertThat(AWS.family(Engine.VALKEY, "9.0")).contains("valkey9");
    assertThat(AWS.family(Engine.VALKEY, "8.2")).contains("valkey8");
    assertThat(AWS.family(Engine.VALKEY, "7.2")).contains("valkey7");
    assertThat(AWS.family(Engine.REDIS, "7.1")).contains("redis7");
    assertThat(AWS.family(Engine.REDIS, "6.2")).contains("redis6.x");
    assertThat(AWS.family(Engine.REDIS, "5.0")).contains("redis5.0");
    assertThat(AWS.family(Engine.REDIS, "4.0")).contains("redis4.0");
    assertThat(AWS.family(Engine.VALKEY, "6.2")).isEmpty();
    assertThat(AWS.families()).containsExactly("redis4.0", "redis5.0", "redis6.x", "redis7", "valkey7", "valkey8", "valkey9");
  }

  @Test
  void aVersionAwsAddsIsAcceptedWithTheFamilyAwsGivesIt() {
    EngineVersions older = new EngineVersions(List.of(new EngineVersionInfo("valkey", "8.1", "valkey8")));
    assertThat(older.isSupported(Engine.VALKEY, "9.1")).isFalse();
    EngineVersions newer = new EngineVersions(List.of(new EngineVersionInfo("valkey", "8.1", "valkey8"),
        new EngineVersionInfo("valkey", "10.0", "valkey10")));
    assertThat(newer.isSupported(Engine.VALKEY, "10.0")).isTrue();
    assertThat(newer.family(Engine.VALKEY, "10.0")).contains("valkey10");
  }

  @Test
  void majorMinorFindsTheVersionAwsListsWithItsPatchLevel() {
    assertThat(AWS.awsVersion(Engine.REDIS, "5.0")).isEqualTo("5.0.6");
    assertThat(AWS.awsVersion(Engine.REDIS, "4.0")).isEqualTo("4.0.10");
    assertThat(AWS.awsVersion(Engine.VALKEY, "9.1")).isEqualTo("9.1");
    assertThat(AWS.awsVersion(Engine.VALKEY, "7.9")).isEqualTo("7.9");
    assertThat(AWS.isSupported(Engine.REDIS, "7.2")).as("no Redis OSS 7.2 on ElastiCache").isFalse();
    assertThat(EngineVersions.sameMinor("7.2", "7.2.4")).isTrue();
    assertThat(EngineVersions.sameMinor("7.2", "7.20.1")).isFalse();
  }

  @Test
  void theDefaultsAreKept() {
    assertThat(EngineVersions.effective(Engine.VALKEY, null)).isEqualTo("8.0");
    assertThat(EngineVersions.effective(Engine.REDIS, "")).isEqualTo("7.1");
    assertThat(AWS.isSupported(Engine.VALKEY, EngineVersions.defaultVersion(Engine.VALKEY))).isTrue();
    assertThat(AWS.isSupported(Engine.REDIS, EngineVersions.defaultVersion(Engine.REDIS))).isTrue();
  }

  @Test
  void anUnknownVersionIsAProblemNamingTheFieldAndListingWhatAwsOffers() {
    RedisCache rc = Harness.cache("ns", "n");
    rc.getSpec().setEngineVersion("7.9");
    List<Problem> p = SpecValidation.validate(rc.getSpec(), AWS);
    assertThat(p).extracting(Problem::field).containsExactly("spec.engineVersion");
    assertThat(p.get(0).message()).contains("\"7.9\"").contains("[7.2, 8.0, 8.1, 8.2, 9.0, 9.1]");
    rc.getSpec().setEngineVersion("9.1");
    assertThat(SpecValidation.validate(rc.getSpec(), AWS)).isEmpty();
  }

  @Test
  void desiredSendsAwsItsOwnVersionAndNamesTheFamilysGroup() {
    RedisCache rc = Harness.cache("ns", "n");
    rc.getSpec().setEngine(Engine.REDIS);
    rc.getSpec().setEngineVersion("5.0");
    rc.getSpec().setParameters(new java.util.LinkedHashMap<>(java.util.Map.of("timeout", "300")));
    Desired d = Desired.of(rc, "c", AWS);
    assertThat(d.engineVersion()).isEqualTo("5.0.6");
    assertThat(d.family()).isEqualTo("redis5.0");
    assertThat(d.parameterGroupName()).endsWith("-redis5-0");
    assertThat(d.staleParameterGroupNames()).hasSize(AWS.families().size() - 1).noneMatch(n -> n.endsWith("-redis5-0"));
  }

  @Test
  void redisOss4And5AreInExtendedSupportFromFebruary2026AndRedis6FromFebruary2027() {
    LocalDate day = LocalDate.of(2026, 12, 1);
    assertThat(EngineVersions.extendedSupport(Engine.REDIS, "5.0.6", day)).hasValueSatisfying(l -> {
      assertThat(l.begins()).isEqualTo(LocalDate.of(2026, 2, 1));
      assertThat(l.ends()).isEqualTo(LocalDate.of(2029, 1, 31));
    });
    assertThat(EngineVersions.extendedSupport(Engine.REDIS, "4.0.10", day)).isPresent();
    assertThat(EngineVersions.extendedSupport(Engine.REDIS, "5.0.6", LocalDate.of(2026, 1, 31))).as("the last day of standard support").isEmpty();
    assertThat(EngineVersions.extendedSupport(Engine.REDIS, "6.2", day)).isEmpty();
    assertThat(EngineVersions.extendedSupport(Engine.REDIS, "6.2", LocalDate.of(2027, 2, 1))).isPresent();
    assertThat(EngineVersions.extendedSupport(Engine.REDIS, "7.1", day)).isEmpty();
    assertThat(EngineVersions.extendedSupport(Engine.VALKEY, "7.2", day)).isEmpty();
    String note = EngineVersions.describe(EngineVersions.extendedSupport(Engine.REDIS, "5.0.6", day).orElseThrow());
    assertThat(note).contains("Redis OSS 5", "2026-02-01", "2029-01-31", "2026-01-31");
  }
}
