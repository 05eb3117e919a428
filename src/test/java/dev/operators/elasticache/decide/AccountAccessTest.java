package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.ElastiCacheAccount;
import dev.operators.elasticache.api.ElastiCacheAccountSpec;
import dev.operators.elasticache.aws.AwsTarget;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which namespaces may use an ElastiCacheAccount, decided before any AWS call. */
class AccountAccessTest {
  static final String ROLE = "arn:aws:iam::222222222222:role/rediscache-operator";

  static ElastiCacheAccount account(List<String> namespaces, LabelSelector selector) {
    ElastiCacheAccount a = new ElastiCacheAccount();
    ElastiCacheAccountSpec s = new ElastiCacheAccountSpec();
    s.setRoleArn(ROLE);
    s.setExternalId("shop-42");
    s.setRegion("eu-west-1");
    s.setNamespaces(namespaces);
    s.setNamespaceSelector(selector);
    a.setSpec(s);
    return a;
  }

  @Test
  void aListedNamespaceGetsTheAccountsRoleAndRegion() {
    AccountAccess.Decision d = AccountAccess.decide("partner", account(List.of("shop", "web"), null), "shop", null);
    assertThat(d.allowed()).isTrue();
    assertThat(d.target()).isEqualTo(new AwsTarget(ROLE, "shop-42", "eu-west-1"));
    assertThat(d.target().accountId()).isEqualTo("222222222222");
    assertThat(d.target().toString()).doesNotContain("shop-42"); // the external id is not logged
  }

  @Test
  void aNamespaceNeitherListedNorSelectedIsRefusedNamingSpecAccount() {
    AccountAccess.Decision d = AccountAccess.decide("partner", account(List.of("shop"), null), "intruder", Map.of());
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo("AccountNotAllowed");
    assertThat(d.message()).startsWith("spec.account:").contains("partner", "intruder");
  }

  @Test
  void anAccountThatAllowsNothingRefusesEveryone() {
    assertThat(AccountAccess.decide("partner", account(null, null), "shop", Map.of("team", "a")).allowed()).isFalse();
    // An empty selector selects nothing here (Kubernetes' "everything" would open the account to every namespace by accident).
    assertThat(AccountAccess.decide("partner", account(null, new LabelSelector()), "shop", Map.of("team", "a")).allowed()).isFalse();
  }

  @Test
  void aMissingAccountIsRefused() {
    AccountAccess.Decision d = AccountAccess.decide("nowhere", null, "shop", null);
    assertThat(d.reason()).isEqualTo("AccountNotFound");
    assertThat(d.message()).startsWith("spec.account:").contains("no ElastiCacheAccount nowhere");
  }

  @Test
  void theSelectorFollowsKubernetesLabelSelectorRules() {
    LabelSelector s = new LabelSelectorBuilder().addToMatchLabels("env", "prod")
        .addNewMatchExpression().withKey("team").withOperator("In").withValues("payments", "shop").endMatchExpression()
        .addNewMatchExpression().withKey("sandbox").withOperator("DoesNotExist").endMatchExpression()
        .build();
    assertThat(AccountAccess.matches(s, Map.of("env", "prod", "team", "shop"))).isTrue();
    assertThat(AccountAccess.matches(s, Map.of("env", "dev", "team", "shop"))).isFalse();
    assertThat(AccountAccess.matches(s, Map.of("env", "prod", "team", "web"))).isFalse();
    assertThat(AccountAccess.matches(s, Map.of("env", "prod", "team", "shop", "sandbox", "yes"))).isFalse();
    LabelSelector notIn = new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("public")
        .endMatchExpression().addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression().build();
    assertThat(AccountAccess.matches(notIn, Map.of("team", "a"))).isTrue();
    assertThat(AccountAccess.matches(notIn, Map.of("team", "a", "tier", "public"))).isFalse();
    assertThat(AccountAccess.matches(notIn, Map.of("tier", "internal"))).isFalse();

    ElastiCacheAccount a = account(null, s);
    assertThat(AccountAccess.decide("partner", a, "pay", Map.of("env", "prod", "team", "payments")).allowed()).isTrue();
    assertThat(AccountAccess.decide("partner", a, "pay", null).allowed()).isFalse();
  }
}
