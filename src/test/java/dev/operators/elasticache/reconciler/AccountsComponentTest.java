package dev.operators.elasticache.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsTarget;
import dev.operators.elasticache.fake.FakeAws;
import dev.operators.elasticache.fake.Harness;
import dev.operators.elasticache.fleet.FleetEventSource;
import dev.operators.elasticache.infra.Leadership;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Caches in other AWS accounts and regions (spec.account naming an ElastiCacheAccount), through the
 * reconciler with a FakeAws per account: allowed namespaces get their cache there and only there,
 * refused ones are Stalled with no call in any account, and each account and region has one sweep.
 */
class AccountsComponentTest {
  /** What the operator's own poller reads of its own account (Harness#sweep). */
  static final List<String> OWN_SWEEP = List.of("elasticache:DescribeReplicationGroups", "elasticache:DescribeCacheClusters", "ec2:DescribeSecurityGroups");

  @Test
  void aCacheInAnAllowedNamespaceIsCreatedInTheOtherAccountOnly() {
    Harness h = new Harness();
    FakeAws partner = h.addAccount("222222222222", "eu-west-1");
    h.putAccount("partner", "222222222222", "eu-west-1", "shop");
    RedisCache rc = Harness.cache("shop", "sessions");
    rc.getSpec().setAccount("partner");

    h.reconcile(rc);
    h.sweepAccounts(); // the account's own poller's first look (registered by the first reconcile under JOSDK)
    h.reconcileUntilReady(rc, 30);

    assertThat(partner.groups).hasSize(1);
    FakeAws.Group g = partner.groups.values().iterator().next();
    assertThat(g.arn).startsWith("arn:aws:elasticache:eu-west-1:222222222222:replicationgroup:");
    // Named and tagged as in the operator's own account.
    assertThat(g.spec.replicationGroupId()).isEqualTo(rc.getStatus().getReplicationGroupId());
    assertThat(g.tags).containsEntry("elasticache.operators.dev/namespace", "shop").containsEntry("elasticache.operators.dev/name", "sessions");
    assertThat(partner.calls).contains("ec2:CreateSecurityGroup", "elasticache:CreateReplicationGroup");
    // Nothing in the operator's own account: only its own poller's reads of it.
    assertThat(h.aws.calls).isNotEmpty().allMatch(OWN_SWEEP::contains);
    assertThat(h.aws.groups).isEmpty();
    assertThat(h.aws.securityGroups).isEmpty();
    // The cost estimate is the account's region's.
    assertThat(rc.getStatus().getEstimatedMonthlyCost().getNote()).contains("in eu-west-1");
    assertThat(h.secretData(rc)).containsKey("host");
    assertThat(h.namespaceReads).as("a namespace listed by name needs no read of the Namespace").isZero();

    // Deleted there too.
    assertThat(h.deleteUntilGone(rc, 30)).isTrue();
    assertThat(partner.calls).contains("elasticache:DeleteReplicationGroup");
    assertThat(h.aws.calls).allMatch(OWN_SWEEP::contains);
  }

  @Test
  void aNamespaceTheAccountDoesNotAllowIsStalledAndMakesNoCallInAnyAccount() {
    Harness h = new Harness();
    FakeAws partner = h.addAccount("222222222222", "eu-west-1");
    h.putAccount("partner", "222222222222", "eu-west-1", "shop");
    RedisCache rc = Harness.cache("intruder", "sessions");
    rc.getSpec().setAccount("partner");

    for (int i = 0; i < 3; i++) {
      h.reconcile(rc);
      h.sweepAccounts();
    }

    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("AccountNotAllowed");
    assertThat(stalled.getMessage()).startsWith("spec.account:").contains("partner", "intruder");
    assertThat(partner.calls).as("no call in the refused account").isEmpty();
    assertThat(h.aws.calls).as("nor in the operator's own").isEmpty();
    assertThat(h.accounts.scopes()).as("no clients built for it").isEmpty();
    assertThat(h.lastControl.getScheduleDelay()).contains(RedisCacheReconciler.ACCOUNT_RECHECK.toMillis());
    // A cache refused from the start made nothing there: it is deleted at once, still without a call.
    assertThat(h.delete(rc).isRemoveFinalizer()).isTrue();
    assertThat(partner.calls).isEmpty();

    // Allowed later (the platform engineer adds the namespace): it goes on there.
    h.putAccount("partner", "222222222222", "eu-west-1", "shop", "intruder");
    h.reconcileUntilReady(rc, 30);
    assertThat(partner.groups).hasSize(1);
  }

  @Test
  void aMissingAccountIsStalledNamingSpecAccount() {
    Harness h = new Harness();
    RedisCache rc = Harness.cache("shop", "sessions");
    rc.getSpec().setAccount("nowhere");

    h.reconcile(rc);

    var stalled = Harness.condition(rc, "Stalled").orElseThrow();
    assertThat(stalled.getReason()).isEqualTo("AccountNotFound");
    assertThat(stalled.getMessage()).startsWith("spec.account:").contains("no ElastiCacheAccount nowhere");
    assertThat(h.aws.calls).isEmpty();
    assertThat(h.kube.events).anyMatch(e -> e.type().equals("Warning") && e.reason().equals("AccountNotFound"));
  }

  @Test
  void aNamespaceSelectorAllowsByLabel() {
    Harness h = new Harness();
    FakeAws partner = h.addAccount("222222222222", "eu-west-1");
    h.putAccount("partner", "222222222222", "eu-west-1").getSpec()
        .setNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("team", "payments").build());
    h.namespaceLabels.put("pay", Map.of("team", "payments"));
    h.namespaceLabels.put("web", Map.of("team", "web"));
    RedisCache allowed = Harness.cache("pay", "sessions");
    allowed.getSpec().setAccount("partner");
    RedisCache refused = Harness.cache("web", "sessions");
    refused.getSpec().setAccount("partner");

    h.reconcile(refused);
    assertThat(Harness.condition(refused, "Stalled").orElseThrow().getReason()).isEqualTo("AccountNotAllowed");
    assertThat(h.namespaceReads).isEqualTo(1);
    h.reconcile(allowed);
    h.sweepAccounts();
    h.reconcileUntilReady(allowed, 30);
    assertThat(partner.groups).hasSize(1);
    assertThat(partner.groups.values().iterator().next().tags).containsEntry("elasticache.operators.dev/namespace", "pay");
  }

  @Test
  void oneSetOfClientsAndOneSweepPerAccountAndRegion() {
    Harness h = new Harness();
    h.addAccount("222222222222", "eu-west-1");
    h.addAccount("222222222222", "us-west-2");
    // Two ElastiCacheAccounts for the same role and region share everything; another region does not.
    h.putAccount("partner", "222222222222", "eu-west-1", "a", "b");
    h.putAccount("partner-again", "222222222222", "eu-west-1", "a", "b");
    h.putAccount("partner-oregon", "222222222222", "us-west-2", "a", "b");
    List<RedisCache> caches = new ArrayList<>();
    String[][] which = {{"a", "partner"}, {"b", "partner"}, {"a", "partner-again"}, {"b", "partner-oregon"}};
    for (String[] w : which) {
      RedisCache rc = Harness.cache(w[0], "c-" + w[1]);
      rc.getSpec().setAccount(w[1]);
      caches.add(rc);
      h.reconcile(rc);
    }
    assertThat(h.accounts.scopes()).extracting(Accounts.Scope::target).containsExactlyInAnyOrder(
        new AwsTarget("arn:aws:iam::222222222222:role/rediscache-operator", null, "eu-west-1"),
        new AwsTarget("arn:aws:iam::222222222222:role/rediscache-operator", null, "us-west-2"));

    List<EventSource<?, RedisCache>> registered = new ArrayList<>();
    EventSourceRetriever<RedisCache> retriever = retriever(registered);
    h.accounts.registerSweeps(retriever, Leadership.granted());
    h.accounts.registerSweeps(retriever, Leadership.granted()); // again, as every reconcile does: nothing new
    assertThat(registered).hasSize(2).allMatch(s -> s instanceof FleetEventSource);
    assertThat(registered).extracting(EventSource::name).doesNotHaveDuplicates()
        .allMatch(n -> n.startsWith("fleet-222222222222-"));
    // Each sweep serves exactly the caches of its account and region, and the operator's own none of them.
    Accounts.Scope ireland = h.accounts.scopes().stream().filter(s -> s.target().region().equals("eu-west-1")).findFirst().orElseThrow();
    assertThat(caches).filteredOn(rc -> h.accounts.inTarget(rc, ireland.target())).hasSize(3);
  }

  private static EventSourceRetriever<RedisCache> retriever(List<EventSource<?, RedisCache>> registered) {
    return new EventSourceRetriever<>() {
      @Override public <R> EventSource<R, RedisCache> getEventSourceFor(Class<R> c, String name) { return null; }
      @Override public <R> List<EventSource<R, RedisCache>> getEventSourcesFor(Class<R> c) { return List.of(); }
      @Override public ControllerEventSource<RedisCache> getControllerEventSource() { return null; }
      @Override public <R> EventSource<R, RedisCache> dynamicallyRegisterEventSource(EventSource<R, RedisCache> s) {
        registered.add(s);
        return s;
      }
      @Override public <R> Optional<EventSource<R, RedisCache>> dynamicallyDeRegisterEventSource(String name) { return Optional.empty(); }
      @Override public EventSourceContext<RedisCache> eventSourceContextForDynamicRegistration() { return null; }
    };
  }
}
