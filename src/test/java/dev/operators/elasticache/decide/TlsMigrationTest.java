package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.aws.ReplicationGroupInfoBuilder;
import org.junit.jupiter.api.Test;

class TlsMigrationTest {
  static ReplicationGroupInfo group(boolean tls, String mode) {
    return ReplicationGroupInfoBuilder.builder().id("rg").engine("valkey").status("available")
        .transitEncryption(tls).transitEncryptionMode(mode).build();
  }

  static final ReplicationGroupInfo OFF = group(false, null);
  static final ReplicationGroupInfo PREFERRED = group(true, "preferred");
  static final ReplicationGroupInfo REQUIRED = group(true, "required");

  @Test
  void onGoesThroughPreferredThenRequired() {
    Change.Modify first = TlsMigration.next(true, OFF);
    assertThat(first.request().transitEncryptionEnabled()).isTrue();
    assertThat(first.request().transitEncryptionMode()).isEqualTo("preferred");
    assertThat(first.request().applyImmediately()).isTrue();
    Change.Modify second = TlsMigration.next(true, PREFERRED);
    assertThat(second.request().transitEncryptionEnabled()).as("only the mode changes").isNull();
    assertThat(second.request().transitEncryptionMode()).isEqualTo("required");
    assertThat(TlsMigration.next(true, REQUIRED)).isNull();
    assertThat(TlsMigration.next(true, group(true, null))).as("a TLS group reporting no mode is required").isNull();
  }

  @Test
  void offGoesBackThroughPreferred() {
    Change.Modify first = TlsMigration.next(false, REQUIRED);
    assertThat(first.request().transitEncryptionEnabled()).isNull();
    assertThat(first.request().transitEncryptionMode()).isEqualTo("preferred");
    Change.Modify second = TlsMigration.next(false, PREFERRED);
    assertThat(second.request().transitEncryptionEnabled()).isFalse();
    assertThat(second.request().transitEncryptionMode()).isNull();
    assertThat(TlsMigration.next(false, OFF)).isNull();
  }

  @Test
  void theSecretSwitchesWhileAwsAcceptsBoth() {
    assertThat(TlsMigration.secretTls(true, null)).as("before the group exists: the spec").isTrue();
    assertThat(TlsMigration.secretTls(false, null)).isFalse();
    // on the way up: plain until preferred, TLS from preferred (before required is asked)
    assertThat(TlsMigration.secretTls(true, OFF)).isFalse();
    assertThat(TlsMigration.secretTls(true, PREFERRED)).isTrue();
    assertThat(TlsMigration.secretTls(true, REQUIRED)).isTrue();
    // on the way down: TLS while required, plain from preferred (before TLS is turned off)
    assertThat(TlsMigration.secretTls(false, REQUIRED)).isTrue();
    assertThat(TlsMigration.secretTls(false, PREFERRED)).isFalse();
    assertThat(TlsMigration.secretTls(false, OFF)).isFalse();
  }

  @Test
  void redisBelow7IsRefusedNamingTheField() {
    ReplicationGroupInfo redis = OFF.withEngine("redis");
    Problem p = TlsMigration.precondition(true, redis, "6.2.6");
    assertThat(p.field()).isEqualTo("spec.tls");
    assertThat(p.message()).contains("Redis OSS 7").contains("6.2.6");
    assertThat(TlsMigration.precondition(true, redis, "7.1.0")).isNull();
    assertThat(TlsMigration.precondition(true, OFF, "8.0.1")).isNull();
    assertThat(TlsMigration.precondition(false, redis, "6.2.6")).as("nothing to change").isNull();
  }
}
