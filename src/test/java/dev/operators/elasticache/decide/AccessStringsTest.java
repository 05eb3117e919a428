package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessStringsTest {

  @Test
  void aclRulesElastiCacheAcceptsPass() {
    for (String ok : new String[] {"on ~* +@all", "on ~orders:* +@read +@write -flushall", "off -@all", "on %R~cache:* &events:* +get +client|setname",
        "on allkeys allcommands", "on resetkeys ~a:* nocommands +ping", "on ~* +@all -@dangerous"}) {
      assertThat(AccessStrings.problem(ok)).as(ok).isEmpty();
    }
  }

  @Test
  void passwordsResetAndUnknownWordsAreRefusedWithoutQuotingAPassword() {
    assertThat(AccessStrings.problem("on >s3cret-password ~* +@all")).get().asString().contains("password").doesNotContain("s3cret");
    assertThat(AccessStrings.problem("on <old ~*")).isPresent();
    assertThat(AccessStrings.problem("on #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~*")).isPresent();
    assertThat(AccessStrings.problem("on nopass ~*")).isPresent();
    assertThat(AccessStrings.problem("on resetpass ~*")).isPresent();
    assertThat(AccessStrings.problem("reset on ~*")).get().asString().contains("reset");
    assertThat(AccessStrings.problem("on ~* everything")).get().asString().contains("'everything'");
    assertThat(AccessStrings.problem("  ")).isPresent();
    assertThat(AccessStrings.problem(null)).isPresent();
  }

  @Test
  void aUserIsOnOnlyWhenTheLastOnOffRuleSaysSo() {
    assertThat(AccessStrings.enabled("on ~* +@all")).isTrue();
    assertThat(AccessStrings.enabled("~* +@all")).as("neither on nor off: off").isFalse();
    assertThat(AccessStrings.enabled("on ~* off")).isFalse();
    assertThat(AccessStrings.enabled("off -@all")).isFalse();
  }
}
