package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.decide.CacheUsers.Switch;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CacheUsersTest {
  static final Pattern AWS_ID = Pattern.compile("^[a-z][a-z0-9-]*$");

  @Test
  void userIdsAreAwsIdsDeterministicAtMost40AndNeverMeet() {
    String base = Names.replicationGroupId("prod", "a-rather-long-namespace-name", "and-a-long-cache-name");
    String a = Names.userId(base, "orders");
    assertThat(a).isEqualTo(Names.userId(base, "orders")).hasSizeLessThanOrEqualTo(40).matches(AWS_ID).doesNotContain("--").doesNotEndWith("-");
    assertThat(Names.userId(base, "Orders")).as("case differs").isNotEqualTo(a);
    assertThat(Names.userId(base, "a-very-long-user-name-that-fills-the-room-1"))
        .isNotEqualTo(Names.userId(base, "a-very-long-user-name-that-fills-the-room-2"));
    assertThat(Names.userId(Names.replicationGroupId("prod", "shop", "x"), "default")).startsWith("rc-shop-x-");
  }

  @Test
  void theSwitchFromTheTokenIsReadFromAwsAndTheGraceFromStatus() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Duration grace = Duration.ofMinutes(10);
    assertThat(CacheUsers.step(true, false, null, t, grace)).isEqualTo(Switch.TOKEN);
    assertThat(CacheUsers.step(true, true, null, t, grace)).as("DELETE not applied yet").isEqualTo(Switch.TOKEN);
    assertThat(CacheUsers.step(false, true, null, t, grace)).as("grace not recorded: it starts").isEqualTo(Switch.GRACE);
    assertThat(CacheUsers.step(false, true, t, t.plus(Duration.ofMinutes(9)), grace)).isEqualTo(Switch.GRACE);
    assertThat(CacheUsers.step(false, true, t, t.plus(grace), grace)).isEqualTo(Switch.SWAP);
    assertThat(CacheUsers.step(false, false, t, t.plus(grace), grace)).as("swapped").isEqualTo(Switch.NONE);
    assertThat(CacheUsers.step(false, false, null, t, grace)).isEqualTo(Switch.NONE);
  }

  @Test
  void authOffGoesThroughAUserGroupWhereAwsHasThemAndIsRecognisedFromAwsAndTheStatus() {
    assertThat(CacheUsers.rbacAvailable(dev.operators.elasticache.api.Engine.VALKEY, "7.2")).isTrue();
    assertThat(CacheUsers.rbacAvailable(dev.operators.elasticache.api.Engine.REDIS, "6.2")).isTrue();
    assertThat(CacheUsers.rbacAvailable(dev.operators.elasticache.api.Engine.REDIS, "5.0.6")).isFalse();
    dev.operators.elasticache.api.RedisCache rc = dev.operators.elasticache.fake.Harness.cache("shop", "off");
    dev.operators.elasticache.api.AuthSpec off = new dev.operators.elasticache.api.AuthSpec();
    off.setEnabled(false);
    rc.getSpec().setAuth(off);
    Desired d = Desired.of(rc, "prod", DecisionsTest.AWS);
    var app = java.util.List.of(new dev.operators.elasticache.api.UserStatus("orders", "rc-orders", "s"));
    assertThat(CacheUsers.turningAuthOff(d, true, null, null)).as("the token still on").isTrue();
    assertThat(CacheUsers.turningAuthOff(d, false, "rc-g", java.util.List.of())).as("on the way: the group recorded, no app users").isTrue();
    assertThat(CacheUsers.turningAuthOff(d, false, "rc-g", app)).as("the two-edit way: every user removed").isFalse();
    assertThat(CacheUsers.turningAuthOff(d, false, null, null)).as("no token, nothing recorded").isFalse();
    off.setEnabled(true);
    assertThat(CacheUsers.turningAuthOff(Desired.of(rc, "prod", DecisionsTest.AWS), true, null, null)).as("auth on").isFalse();
  }
}
