package dev.operators.elasticache.fake;

import dev.operators.elasticache.api.ElastiCacheAccount;
import dev.operators.elasticache.api.ElastiCacheAccountSpec;
import dev.operators.elasticache.api.NetworkSpec;
import dev.operators.elasticache.aws.AwsPorts;
import dev.operators.elasticache.aws.AwsTarget;
import dev.operators.elasticache.reconciler.Accounts;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RedisCacheSpec;
import dev.operators.elasticache.config.OperatorConfig;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.fleet.Admission;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.infra.Backoff;
import dev.operators.elasticache.infra.EventRecorder;
import dev.operators.elasticache.reconciler.RedisCacheReconciler;
import dev.operators.elasticache.resources.ConnectionSecrets;
import dev.operators.elasticache.resources.Credentials;
import dev.operators.elasticache.resources.EngineCatalogue;
import dev.operators.elasticache.resources.Monitoring;
import dev.operators.elasticache.resources.ParameterGroups;
import dev.operators.elasticache.resources.ReplicationGroups;
import dev.operators.elasticache.resources.SecurityGroups;
import dev.operators.elasticache.resources.ServerlessCaches;
import dev.operators.elasticache.resources.SubnetGroups;
import dev.operators.elasticache.resources.CreateChecks;
import dev.operators.elasticache.resources.Teardown;
import dev.operators.elasticache.resources.TokenRotations;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's reconciler wired to {@link FakeAws} and an in-memory Kubernetes (Secrets, Events,
 * status patches), so component tests drive it through whole lifecycles with fake time. A new
 * Harness over the same FakeAws and Kubernetes is an operator restart.
 */
public final class Harness {
  public record Recorded(String type, String reason, String message) {}

  /** Kubernetes state that survives an operator restart. */
  public static final class Kube {
    public final Map<String, Secret> secrets = new LinkedHashMap<>();
    public final List<Recorded> events = new ArrayList<>();
    public int statusPatches;
    /** The next Secret write fails, as the API server can (down, a timeout): the reconcile throws. */
    public boolean failNextSecretWrite;
    /** The first Secret write this matches fails (then it is cleared), as the API server can: the reconcile throws. */
    public java.util.function.Predicate<Secret> failSecretWriteIf;
  }

  public final FakeAws aws;
  public final Kube kube;
  public final Fleet fleet;
  public final RedisCacheReconciler reconciler;
  public UpdateControl<RedisCache> lastControl;
  public final Admission admission;
  public final EngineCatalogue engineCatalogue;
  /** What the informer holds, for the sweep (tests that care fill it). */
  public final List<RedisCache> informer = new ArrayList<>();
  private final String clusterId;
  private final List<String> adoptionAllowed;

  /** The ElastiCacheAccounts in the cluster, by name. */
  public final Map<String, ElastiCacheAccount> accountObjects = new LinkedHashMap<>();
  /** Namespaces' labels (for accounts that select namespaces by label), and how often they were read. */
  public final Map<String, Map<String, String>> namespaceLabels = new LinkedHashMap<>();
  public int namespaceReads;
  /** The AWS of other accounts and regions, by "accountId/region": a call into one not here fails the test. */
  public final Map<String, FakeAws> otherAccounts = new LinkedHashMap<>();
  public final Accounts accounts;

  /** A second AWS account and region, on this operator's clock. */
  public FakeAws addAccount(String accountId, String region) {
    FakeAws other = new FakeAws(accountId, region, aws.clock);
    otherAccounts.put(accountId + "/" + region, other);
    return other;
  }

  /** An ElastiCacheAccount {@code name}: the role rediscache-operator in {@code accountId}, allowing {@code namespaces}. */
  public ElastiCacheAccount putAccount(String name, String accountId, String region, String... namespaces) {
    ElastiCacheAccount a = new ElastiCacheAccount();
    a.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ElastiCacheAccountSpec spec = new ElastiCacheAccountSpec();
    spec.setRoleArn("arn:aws:iam::" + accountId + ":role/rediscache-operator");
    spec.setRegion(region);
    spec.setNamespaces(List.of(namespaces));
    a.setSpec(spec);
    accountObjects.put(name, a);
    return a;
  }

  private AwsPorts otherAccount(AwsTarget target) {
    FakeAws other = otherAccounts.get(target.accountId() + "/" + target.region());
    if (other == null) throw new AssertionError("the operator built clients for " + target + ", which the test has no FakeAws for");
    return new AwsPorts(other, other, other, other, other);
  }

  /** What each target's shared poller does: one describe of everything in that account and region. */
  public void sweepAccounts() {
    for (Accounts.Scope scope : accounts.scopes()) {
      FakeAws other = otherAccounts.get(scope.target().accountId() + "/" + scope.target().region());
      sweep(other, scope.fleet(), scope.admission(), other.describeAll(), rc -> false);
    }
  }

  /** The next status patch fails, as the API server can (a conflict, a timeout): the reconcile throws, as under JOSDK. */
  public boolean failNextStatusPatch;

  public Harness(FakeAws aws, Kube kube) {
    this(aws, kube, true);
  }

  /** With the operator's rediscache.adoption.allowed set to these entries. */
  public Harness(FakeAws aws, Kube kube, List<String> adoptionAllowed) {
    this(aws, kube, true, "test", adoptionAllowed);
  }

  /**
   * {@code sweptAtStart} false: the poller's first sweep has not finished when the first reconciles
   * run, as after a real start (JOSDK starts reconciling once the informers are synced, while the
   * first sweep of AWS is still under way).
   */
  public Harness(FakeAws aws, Kube kube, boolean sweptAtStart) {
    this(aws, kube, sweptAtStart, "test");
  }

  /** An operator running with the given cluster id (rediscache.cluster-id). */
  public Harness(FakeAws aws, Kube kube, boolean sweptAtStart, String clusterId) {
    this(aws, kube, sweptAtStart, clusterId, List.of());
  }

  public Harness(FakeAws aws, Kube kube, boolean sweptAtStart, String clusterId, List<String> adoptionAllowed) {
    this.adoptionAllowed = adoptionAllowed;
    this.aws = aws;
    this.clusterId = clusterId;
    this.kube = kube;
    this.fleet = new Fleet(aws.clock);
    EventRecorder events = new EventRecorder(null) {
      @Override
      protected void record(RedisCache rc, String type, String reason, String message) {
        kube.events.add(new Recorded(type, reason, message));
      }
    };
    ConnectionSecrets secrets = new ConnectionSecrets(null) {
      @Override
      protected Secret lookup(String namespace, String name) {
        return kube.secrets.get(namespace + "/" + name);
      }

      @Override
      protected void write(Secret secret) {
        if (kube.failNextSecretWrite) {
          kube.failNextSecretWrite = false;
          throw new io.fabric8.kubernetes.client.KubernetesClientException("Secret write failed (injected by the test)");
        }
        if (kube.failSecretWriteIf != null && kube.failSecretWriteIf.test(secret)) {
          kube.failSecretWriteIf = null;
          throw new io.fabric8.kubernetes.client.KubernetesClientException("Secret write failed (injected by the test)");
        }
        kube.secrets.put(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), secret);
      }

      @Override
      protected void remove(String namespace, String name) {
        kube.secrets.remove(namespace + "/" + name);
      }
    };
    // Caches in other accounts (spec.account): the ElastiCacheAccounts and namespaces the test puts
    // in accountObjects and namespaceLabels, each target's AWS a FakeAws of otherAccounts.
    this.accounts = new Accounts(config(clusterId, adoptionAllowed), this::otherAccount, new Accounts.Directory() {
      @Override
      public ElastiCacheAccount account(String name) {
        return accountObjects.get(name);
      }

      @Override
      public Map<String, String> namespaceLabels(String namespace) {
        namespaceReads++;
        return Harness.this.namespaceLabels.getOrDefault(namespace, Map.of());
      }
    }, events, secrets, new Backoff(), aws.clock);
    SecurityGroups sgs = new SecurityGroups(aws, events, fleet);
    ParameterGroups pgs = new ParameterGroups(aws, events);
    Monitoring monitoring = new Monitoring(aws, events);
    OperatorConfig config = config(clusterId, adoptionAllowed);
    this.reconciler = new RedisCacheReconciler(config, aws, aws, fleet, sgs, new SubnetGroups(aws, aws, events),
        pgs, new Credentials(aws, events), new CreateChecks(aws, aws, fleet), new ReplicationGroups(aws, fleet, events, pgs, monitoring, config, aws.clock),
        new ServerlessCaches(aws, fleet, events, config), secrets,
        new Teardown(aws, aws, aws, fleet, sgs, monitoring, events), new TokenRotations(aws, aws, secrets, fleet, events, aws.clock),
        new dev.operators.elasticache.resources.AppUsers(aws, secrets, aws, fleet, events, aws.clock), monitoring, engineCatalogue = new EngineCatalogue(aws, aws.clock), events, new Backoff(), admission = new Admission(config.aws().concurrentCreates()), aws.clock)
        .withAccounts(accounts);
    if (sweptAtStart) {
      // The operator's poller sweeps once at start, reading the groups alone (as FleetEventSource's
      // first sweep does); its calls are not the test's business.
      int before = aws.calls.size();
      sweep(aws.describeGroups());
      engineCatalogue.current(); // and the first reconcile asks AWS's engine versions
      aws.calls.subList(before, aws.calls.size()).clear();
    }
  }

  public Harness() {
    this(new FakeAws(), new Kube());
  }

  /** A restart: a new operator process over the same AWS and Kubernetes (its first sweep done). */
  public Harness restart() {
    return new Harness(aws, kube, adoptionAllowed);
  }

  /** A restart whose first sweep of AWS has not finished yet. */
  public Harness restartBeforeFirstSweep() {
    return new Harness(aws, kube, false);
  }

  public static RedisCache cache(String namespace, String name) {
    RedisCache rc = new RedisCache();
    rc.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(UUID.randomUUID().toString())
        .withGeneration(1L).build());
    RedisCacheSpec spec = new RedisCacheSpec();
    NetworkSpec net = new NetworkSpec();
    net.setSubnetIds(List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"));
    net.setAllowedCidrBlocks(List.of("10.0.0.0/16"));
    spec.setNetwork(net);
    rc.setSpec(spec);
    return rc;
  }

  /** One reconcile; the status patch, if any, is applied as the API server would. */
  public UpdateControl<RedisCache> reconcile(RedisCache rc) {
    Secret secret = secretOf(rc).orElse(null);
    UpdateControl<RedisCache> control = reconciler.reconcile(rc, secret, (current, fresh) -> {
      if (failNextStatusPatch) {
        failNextStatusPatch = false;
        throw new io.fabric8.kubernetes.client.KubernetesClientException("status patch failed (injected by the test)");
      }
      // What the API server stores, and what JOSDK's cache hands the next reconcile.
      rc.setStatus(fresh.getStatus());
      kube.statusPatches++;
    });
    lastControl = control;
    return control;
  }

  /** What the shared poller does: one describe of everything. */
  public void sweep() {
    sweep(aws.describeAll());
  }

  private void sweep(Map<String, dev.operators.elasticache.aws.ObservedGroup> groups0) {
    sweep(aws, fleet, admission, groups0, rc -> rc.getSpec().getAccount() == null);
  }

  private void sweep(FakeAws aws, Fleet fleet, Admission admission, Map<String, dev.operators.elasticache.aws.ObservedGroup> groups0,
      java.util.function.Predicate<RedisCache> mine) {
    var start = aws.clock.instant();
    fleet.replace(groups0, start);
    Map<String, dev.operators.elasticache.aws.SecurityGroupInfo> groups = new LinkedHashMap<>();
    aws.listSecurityGroupsTagged(dev.operators.elasticache.decide.Names.TAG_CLUSTER, clusterId).forEach(g -> groups.put(g.groupName(), g));
    fleet.replaceSecurityGroups(groups, start);
    // the poller lists serverless caches only once there are some (FleetEventSource#serverless)
    if (!aws.serverless.isEmpty() || fleet.serverlessReadAt() != null) fleet.replaceServerless(aws.sweepServerlessCaches(), start);
    admission.observe(informer.stream().filter(mine), rc -> fleet.get(Desired.replicationGroupId(rc, clusterId)).isEmpty()
        && (rc.getStatus() == null || rc.getStatus().getReplicationGroupArn() == null));
  }

  /** Reconcile, sweep and advance time until Ready or the step budget is spent. */
  public RedisCache reconcileUntilReady(RedisCache rc, int maxSteps) {
    for (int i = 0; i < maxSteps; i++) {
      reconcile(rc);
      if (ready(rc)) return rc;
      aws.clock.advance(Duration.ofMinutes(1));
      sweep();
      sweepAccounts();
    }
    throw new AssertionError("not Ready after " + maxSteps + " steps; conditions " + rc.getStatus().getConditions());
  }

  public DeleteControl delete(RedisCache rc) {
    return reconciler.cleanup(rc);
  }

  public boolean deleteUntilGone(RedisCache rc, int maxSteps) {
    for (int i = 0; i < maxSteps; i++) {
      if (delete(rc).isRemoveFinalizer()) return true;
      aws.clock.advance(Duration.ofMinutes(1));
      sweep();
      sweepAccounts();
    }
    return false;
  }

  public Optional<Secret> secretOf(RedisCache rc) {
    String name = rc.getSpec().getConnectionSecret() != null && rc.getSpec().getConnectionSecret().getName() != null
        ? rc.getSpec().getConnectionSecret().getName() : rc.getMetadata().getName() + "-redis";
    return Optional.ofNullable(kube.secrets.get(rc.getMetadata().getNamespace() + "/" + name));
  }

  public Map<String, String> secretData(RedisCache rc) {
    return ConnectionSecrets.decoded(secretOf(rc).orElseThrow());
  }

  public static boolean ready(RedisCache rc) {
    return condition(rc, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  public static Optional<io.fabric8.kubernetes.api.model.Condition> condition(RedisCache rc, String type) {
    if (rc.getStatus() == null) return Optional.empty();
    return rc.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static OperatorConfig config(String clusterId, List<String> adoptionAllowed) {
    return new OperatorConfig() {
      @Override public Adoption adoption() { return () -> Optional.of(adoptionAllowed); }
      @Override public String clusterId() { return clusterId; }
      @Override public Duration tlsMigrationGrace() { return Duration.ofMinutes(5); }
      @Override public Duration clusterModeMigrationGrace() { return Duration.ofMinutes(5); }
      @Override public Optional<String> watchNamespaces() { return Optional.empty(); }
      @Override public Aws aws() {
        return new Aws() {
          @Override public String region() { return "us-east-1"; }
          @Override public Optional<URI> endpointOverride() { return Optional.empty(); }
          @Override public double maxCallsPerSecond() { return 100; }
          @Override public int burst() { return 100; }
          @Override public int maxAttempts() { return 1; }
          @Override public int concurrentCreates() { return 8; }
          @Override public Duration callTimeout() { return Duration.ofSeconds(5); }
        };
      }
      @Override public Sweep sweep() {
        return new Sweep() {
          @Override public Duration fastPeriod() { return Duration.ofSeconds(5); }
          @Override public Duration steadyPeriod() { return Duration.ofSeconds(60); }
          @Override public Duration fullPeriod() { return Duration.ofMinutes(30); }
          @Override public Duration securityGroupPeriod() { return Duration.ofMinutes(4); }
          @Override public Duration serviceUpdatePeriod() { return Duration.ofHours(6); }
        };
      }
      @Override public LeaderElection leaderElection() {
        return new LeaderElection() {
          @Override public boolean enabled() { return false; }
          @Override public String leaseName() { return "rediscache-operator-leader"; }
          @Override public Optional<String> leaseNamespace() { return Optional.empty(); }
          @Override public Duration leaseDuration() { return Duration.ofSeconds(15); }
          @Override public Duration renewDeadline() { return Duration.ofSeconds(10); }
          @Override public Duration retryPeriod() { return Duration.ofSeconds(2); }
          @Override public Optional<String> identity() { return Optional.empty(); }
        };
      }
    };
  }
}
