package dev.operators.elasticache.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** All configuration of the operator, in one place (prefix {@code rediscache}). */
@ConfigMapping(prefix = "rediscache")
public interface OperatorConfig {

  /** Identifies this operator installation in AWS names and ownership tags, so two clusters sharing an AWS account never touch each other's caches. */
  @WithDefault("default")
  String clusterId();

  /** Namespaces to watch, comma separated; empty means all namespaces. Applied through quarkus.operator-sdk.controllers.rediscache.namespaces. */
  Optional<String> watchNamespaces();

  Aws aws();

  Sweep sweep();

  Adoption adoption();

  LeaderElection leaderElection();

  /**
   * In-transit encryption changed on a running group: how long AWS stays in {@code preferred}
   * (plain and TLS both accepted) after the connection Secret switched to the new URL, before the
   * operator asks AWS to require TLS (or to turn it off). Long enough for the kubelet to update
   * mounted Secrets (about a minute) and for apps that read them to reconnect.
   */
  @WithDefault("5m")
  Duration tlsMigrationGrace();

  /**
   * Cluster mode changed on a running group: how long AWS stays in {@code compatible} (plain and
   * cluster-mode clients both served) after the connection Secret switched to the new endpoint,
   * before the operator asks AWS for {@code enabled} (or back to {@code disabled}).
   */
  @WithDefault("5m")
  Duration clusterModeMigrationGrace();

  /**
   * High availability: several replicas, of which only the one holding a Lease works (reconciles,
   * polls AWS, writes to Kubernetes); the others keep their caches warm and take over when the
   * Lease is not renewed. JOSDK's own leader election (through Quarkus Operator SDK, which applies it
   * in the prod profile, the one the packaged operator runs in).
   */
  interface LeaderElection {
    /** Off for a single process ({@code make run}, the tests); deploy/ turns it on. */
    @WithDefault("false")
    boolean enabled();

    /** The Lease's name: the same for every replica and every version of the operator. */
    @WithDefault("rediscache-operator-leader")
    String leaseName();

    /**
     * The Lease's namespace: the operator's own (deploy/ sets POD_NAMESPACE from the downward API).
     * Empty: the Kubernetes client's namespace (in a pod, the ServiceAccount's).
     */
    Optional<String> leaseNamespace();

    /** How long a Lease not renewed stays the holder's: the bound on a takeover after a crash. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** The leader gives up (and the process exits) when it could not renew for this long; below leaseDuration. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often a replica tries to take or renew the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();

    /** This replica's name in the Lease. Empty: POD_NAME (or HOSTNAME) followed by a random suffix, new at every start. */
    Optional<String> identity();
  }

  /** Who may adopt which existing replication group (spec.adoption), besides the group owner's own consent tag. */
  interface Adoption {
    /**
     * Entries {@code <namespace>/<name>=<replicationGroupId>}, comma separated; {@code *} in a part
     * matches any run of characters ({@code team-a/*=team-a-*}). A RedisCache may adopt a group an
     * entry matches, or one tagged {@code elasticache.operators.dev/adoptable-by=<namespace>/<name>};
     * any other adoption is refused (Stalled, AdoptionNotAllowed) before anything is written to AWS.
     * Empty: only the tag gives consent.
     */
    Optional<List<String>> allowed();
  }

  /** AWS access. */
  interface Aws {
    /** AWS region of the caches. */
    @WithDefault("us-east-1")
    String region();

    /** An endpoint override for a local emulator, such as http://127.0.0.1:5000. Empty in production. */
    Optional<URI> endpointOverride();

    /** The operator's own limit on AWS calls per second (all services together). Calls over it are retried later, never queued on a thread. */
    @WithDefault("10")
    double maxCallsPerSecond();

    /** Burst size of that limit. */
    @WithDefault("20")
    int burst();

    /**
     * How many new caches go through their creation calls at once. The others wait their turn in the
     * order they were applied (Reconciling, Queued), so that within the call budget caches come up one
     * after another instead of all advancing together and none finishing.
     */
    @WithDefault("8")
    int concurrentCreates();

    /** Attempts per AWS call by the SDK (1 = no SDK retry); the operator retries later anyway. */
    @WithDefault("3")
    int maxAttempts();

    /** Timeout of one AWS call, retries included. */
    @WithDefault("30s")
    Duration callTimeout();
  }

  /** The shared poller: a full sweep of every group now and then, and in between a look at AWS's events. */
  interface Sweep {
    /** Period while some cache is being created, changed or deleted. */
    @WithDefault("5s")
    Duration fastPeriod();

    /** Period when every cache is at rest: the bound on how long a change made behind the operator's back goes unnoticed. */
    @WithDefault("60s")
    Duration steadyPeriod();

    /**
     * Period of the full describe of every group; in between, the poller reads AWS's events and
     * only the groups they name. A safety net for a change AWS records no event for.
     */
    @WithDefault("30m")
    Duration fullPeriod();

    /**
     * Period of the security groups' listing (by the operator's tag; one or two pages at 1,000 caches): the
     * bound on noticing a rule changed behind the operator's back.
     */
    @WithDefault("4m")
    Duration securityGroupPeriod();

    /**
     * Period of the look at AWS's pending service updates (one paginated DescribeUpdateActions for
     * every cache; also at start): the bound on noticing a new one.
     */
    @WithDefault("6h")
    Duration serviceUpdatePeriod();
  }
}
