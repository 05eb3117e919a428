package dev.operators.elasticache.resources;

import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.aws.KmsPort;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Problem;
import dev.operators.elasticache.fleet.Fleet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The step before a replication group is created: what AWS knows and the spec cannot show (the KMS
 * key's state, the subnets' IP versions), checked so that a cache AWS would refuse, or fail to
 * create, stalls naming the field instead. Only while the group is still to be created.
 */
@ApplicationScoped
public class CreateChecks {
  private final KmsPort kms;
  private final ElastiCachePort elastiCache;
  private final Fleet fleet;

  public CreateChecks(KmsPort kms, ElastiCachePort elastiCache, Fleet fleet) {
    this.kms = kms;
    this.elastiCache = elastiCache;
    this.fleet = fleet;
  }

  public Outcome check(Reconcile r) {
    Desired d = r.desired();
    if (d.adopted() || fleet.get(d.replicationGroupId()).isPresent()) return Outcome.DONE;
    List<Problem> problems = new ArrayList<>();
    if (d.atRest() && d.kmsKeyId() != null) {
      problems.addAll(dev.operators.elasticache.decide.CreateChecks.kmsKey(d.kmsKeyId(), kms.describeKey(d.kmsKeyId())));
    }
    if (d.networkType() != null && !d.networkType().equals("ipv4")) {
      problems.addAll(dev.operators.elasticache.decide.CreateChecks.networkType(d, elastiCache.findSubnetGroup(d.subnetGroupName())));
    }
    if (problems.isEmpty()) return Outcome.DONE;
    String reason = problems.get(0).field().endsWith("kmsKeyId") ? "KmsKeyNotUsable" : "SubnetsDoNotFitNetworkType";
    return Outcome.stalled(reason, Problem.describe(problems));
  }
}
