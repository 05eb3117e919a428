package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.ElastiCacheAccount;
import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsPorts;
import dev.operators.elasticache.aws.AwsTarget;
import dev.operators.elasticache.aws.sdk.AwsClients;
import dev.operators.elasticache.config.OperatorConfig;
import dev.operators.elasticache.decide.AccountAccess;
import dev.operators.elasticache.fleet.Admission;
import dev.operators.elasticache.fleet.Fleet;
import dev.operators.elasticache.fleet.FleetEventSource;
import dev.operators.elasticache.infra.Backoff;
import dev.operators.elasticache.infra.EventRecorder;
import dev.operators.elasticache.infra.Leadership;
import dev.operators.elasticache.resources.ConnectionSecrets;
import dev.operators.elasticache.resources.CreateChecks;
import dev.operators.elasticache.resources.AppUsers;
import dev.operators.elasticache.resources.Credentials;
import dev.operators.elasticache.resources.EngineCatalogue;
import dev.operators.elasticache.resources.Monitoring;
import dev.operators.elasticache.resources.ParameterGroups;
import dev.operators.elasticache.resources.ReplicationGroups;
import dev.operators.elasticache.resources.SecurityGroups;
import dev.operators.elasticache.resources.ServerlessCaches;
import dev.operators.elasticache.resources.SubnetGroups;
import dev.operators.elasticache.resources.Teardown;
import dev.operators.elasticache.resources.TokenRotations;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The caches that live in another AWS account or region ({@code spec.account} naming an
 * {@link ElastiCacheAccount}). Whether a namespace may use an account is decided first
 * ({@link AccountAccess}), from Kubernetes alone: a refused cache makes no AWS call at all. For each
 * target (role and region) there is one {@link Scope}: a {@link RedisCacheReconciler} wired to that
 * target's ports exactly as the operator's own is wired to its own (same steps, names and tags),
 * with its own fleet view, admission line and engine catalogue, and one shared fleet sweep
 * ({@link FleetEventSource}) for all of that target's caches, registered with JOSDK when the first
 * cache of the target is reconciled.
 */
@ApplicationScoped
public class Accounts {
  private static final Logger LOG = Logger.getLogger(Accounts.class);

  /** What Kubernetes says of accounts and namespaces (replaceable in tests). */
  public interface Directory {
    /** The ElastiCacheAccount of that name, or null. */
    ElastiCacheAccount account(String name);

    /** The namespace's labels (empty when it has none or is gone). */
    Map<String, String> namespaceLabels(String namespace);
  }

  /** One account and region: its reconciler and what it keeps; its sweep once registered. */
  public static final class Scope {
    final AwsTarget target;
    final String name;
    final AwsPorts ports;
    final Fleet fleet;
    final Admission admission;
    final RedisCacheReconciler reconciler;
    volatile FleetEventSource sweep;

    Scope(AwsTarget target, String name, AwsPorts ports, Fleet fleet, Admission admission, RedisCacheReconciler reconciler) {
      this.target = target;
      this.name = name;
      this.ports = ports;
      this.fleet = fleet;
      this.admission = admission;
      this.reconciler = reconciler;
    }

    public AwsTarget target() {
      return target;
    }

    /** Its sweep's event source name. */
    public String name() {
      return name;
    }

    public Fleet fleet() {
      return fleet;
    }

    public Admission admission() {
      return admission;
    }

    public RedisCacheReconciler reconciler() {
      return reconciler;
    }
  }

  private final OperatorConfig config;
  private final Function<AwsTarget, AwsPorts> ports;
  private final Directory directory;
  private final EventRecorder events;
  private final ConnectionSecrets connectionSecrets;
  private final Backoff backoff;
  private final Clock clock;
  private final Map<AwsTarget, Scope> scopes = new ConcurrentHashMap<>();
  /** Each account name's target, as last resolved: which sweep a cache belongs to. */
  private final Map<String, AwsTarget> resolved = new ConcurrentHashMap<>();

  @Inject
  public Accounts(OperatorConfig config, AwsClients clients, KubernetesClient client, EventRecorder events,
      ConnectionSecrets connectionSecrets, Backoff backoff, Clock clock) {
    this(config, clients::ports, kubernetes(client), events, connectionSecrets, backoff, clock);
  }

  public Accounts(OperatorConfig config, Function<AwsTarget, AwsPorts> ports, Directory directory, EventRecorder events,
      ConnectionSecrets connectionSecrets, Backoff backoff, Clock clock) {
    this.config = config;
    this.ports = ports;
    this.directory = directory;
    this.events = events;
    this.connectionSecrets = connectionSecrets;
    this.backoff = backoff;
    this.clock = clock;
  }

  /** Reads the ElastiCacheAccount, and the namespace only when the account selects namespaces by label. */
  static Directory kubernetes(KubernetesClient client) {
    return new Directory() {
      @Override
      public ElastiCacheAccount account(String name) {
        return client.resources(ElastiCacheAccount.class).withName(name).get();
      }

      @Override
      public Map<String, String> namespaceLabels(String namespace) {
        Namespace ns = client.namespaces().withName(namespace).get();
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
      }
    };
  }

  /** May this cache use the account its spec.account names, and where do its calls go? No AWS call. */
  public AccountAccess.Decision resolve(RedisCache rc) {
    String name = rc.getSpec().getAccount();
    String namespace = rc.getMetadata().getNamespace();
    ElastiCacheAccount account = directory.account(name);
    Map<String, String> labels = AccountAccess.needsLabels(account, namespace) ? directory.namespaceLabels(namespace) : null;
    AccountAccess.Decision d = AccountAccess.decide(name, account, namespace, labels);
    if (d.allowed()) resolved.put(name, d.target());
    return d;
  }

  /** The target's reconciler and what it keeps, built at its first use. */
  public Scope scope(AwsTarget target) {
    return scopes.computeIfAbsent(target, this::build);
  }

  public Collection<Scope> scopes() {
    return scopes.values();
  }

  /** The caches of this target: those whose account resolved to it. */
  boolean inTarget(RedisCache rc, AwsTarget target) {
    String name = rc.getSpec() == null ? null : rc.getSpec().getAccount();
    return name != null && target.equals(resolved.get(name));
  }

  /**
   * Every target's shared sweep, registered with JOSDK once (from a reconcile: JOSDK registers event
   * sources at start, and targets appear as caches name them). It makes the target's first call.
   */
  void registerSweeps(EventSourceRetriever<RedisCache> retriever, Leadership leadership) {
    for (Scope s : scopes.values()) {
      if (s.sweep != null) continue;
      synchronized (s) {
        if (s.sweep != null) continue;
        OperatorConfig.Sweep p = config.sweep();
        FleetEventSource sweep = new FleetEventSource(s.name, rc -> inTarget(rc, s.target), s.ports.elastiCache(), s.ports.ec2(), s.fleet,
            retriever.getControllerEventSource(), config.clusterId(), // the informer's cache of every RedisCache
            new FleetEventSource.Periods(p.fastPeriod(), p.steadyPeriod(), p.fullPeriod(), p.securityGroupPeriod(), p.serviceUpdatePeriod()),
            clock, s.admission, caches -> {}, leadership);
        retriever.dynamicallyRegisterEventSource(sweep);
        s.sweep = sweep;
        LOG.infof("fleet sweep %s started for %s", s.name, s.target);
      }
    }
  }

  /** The same wiring as the operator's own reconciler (CDI), over this target's ports. */
  private Scope build(AwsTarget target) {
    AwsPorts p = ports.apply(target);
    Fleet fleet = new Fleet(clock);
    Admission admission = new Admission(config);
    SecurityGroups sgs = new SecurityGroups(p.ec2(), events, fleet);
    ParameterGroups pgs = new ParameterGroups(p.elastiCache(), events);
    Monitoring monitoring = new Monitoring(p.monitoring(), events);
    RedisCacheReconciler reconciler = new RedisCacheReconciler(config, p.elastiCache(), p.ec2(), fleet, sgs, new SubnetGroups(p.elastiCache(), p.ec2(), events),
        pgs, new Credentials(p.secrets(), events), new CreateChecks(p.kms(), p.elastiCache(), fleet),
        new ReplicationGroups(p.elastiCache(), fleet, events, pgs, monitoring, config, target.region(), clock),
        new ServerlessCaches(p.elastiCache(), fleet, events, config, target.region()), connectionSecrets,
        new Teardown(p.elastiCache(), p.ec2(), p.secrets(), fleet, sgs, monitoring, events),
        new TokenRotations(p.elastiCache(), p.secrets(), connectionSecrets, fleet, events, clock),
        new AppUsers(p.elastiCache(), connectionSecrets, p.secrets(), fleet, events, clock),
        monitoring, new EngineCatalogue(p.elastiCache(), clock), events, backoff, admission, clock);
    String name = "fleet-" + (target.own() ? "own" : target.accountId()) + "-" + target.region() + "-" + Integer.toHexString(target.hashCode());
    return new Scope(target, name, p, fleet, admission, reconciler);
  }
}
