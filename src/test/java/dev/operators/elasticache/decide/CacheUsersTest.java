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
}
