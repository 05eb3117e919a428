package dev.operators.elasticache.infra;

import dev.operators.elasticache.config.OperatorConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * JOSDK's leader election, configured from {@code rediscache.leader-election.*}. Quarkus Operator SDK
 * has no configuration keys of its own for it: in the profiles of
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod by default) it uses the
 * {@link LeaderElectionConfiguration} bean when there is one; this producer gives none when the
 * election is off.
 *
 * <p>With it on, JOSDK starts every replica's informers and event sources but reconciles only on the
 * Lease holder; a leader that loses its Lease exits ({@link #stoppedLeading}). The fleet poller, the one thing that
 * works outside a reconcile, starts polling only when {@link Leadership} is granted.
 */
@ApplicationScoped
public class LeaderElection {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  @Produces
  @Dependent
  @Unremovable
  LeaderElectionConfiguration configuration(OperatorConfig config, Leadership leadership) {
    OperatorConfig.LeaderElection le = config.leaderElection();
    if (!le.enabled()) return null;
    String identity = le.identity().orElseGet(LeaderElection::defaultIdentity);
    LOG.infof("leader election on: Lease %s/%s, identity %s, lease %s, renew deadline %s, retry %s",
        le.leaseNamespace().orElse("(the client's namespace)"), le.leaseName(), identity, le.leaseDuration(), le.renewDeadline(),
        le.retryPeriod());
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
        .withLeaseNamespace(le.leaseNamespace().orElse(null))
        .withIdentity(identity)
        .withLeaseDuration(le.leaseDuration())
        .withRenewDeadline(le.renewDeadline())
        .withRetryPeriod(le.retryPeriod())
        // JOSDK 5.2 exits on a lost Lease with System.exit also when the Lease is given up by a graceful
        // stop (SIGTERM, a rolling update): called from the JVM's shutdown hook, that exit blocks for ever
        // and the pod hangs until it is killed (fixed in JOSDK 5.3.5). The operator exits itself instead.
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              LOG.infof("leading as %s", identity);
              leadership.grant();
            },
            () -> stoppedLeading(identity),
            leader -> LOG.infof("the leader is %s", leader)))
        .build();
  }

  /**
   * A leader that lost its Lease (it could not renew it in time, or another replica holds it) exits at
   * once, so that nothing acts without the Lease, and comes back as a standby. A leader that stops
   * because the operator is stopping just goes on stopping.
   */
  static void stoppedLeading(String identity) {
    if (shuttingDown()) {
      LOG.infof("%s stopped leading: the operator is stopping", identity);
      return;
    }
    LOG.warnf("%s lost the Lease: exiting, to come back as a standby", identity);
    // From another thread: this callback holds the elector's lock, which the shutdown needs too.
    new Thread(() -> System.exit(1), "rediscache-lost-lease-exit").start();
  }

  /** Whether the JVM is running its shutdown hooks (it refuses a new hook then). */
  static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  /**
   * The pod's name (POD_NAME, else HOSTNAME, which Kubernetes sets to it) and a random suffix: two
   * processes on one host never share an identity, and a restarted container does not resume a Lease
   * its previous process held.
   */
  static String defaultIdentity() {
    String base = Optional.ofNullable(System.getenv("POD_NAME")).filter(s -> !s.isBlank())
        .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank())).orElse("rediscache-operator");
    return base + "_" + UUID.randomUUID().toString().substring(0, 8);
  }
}
