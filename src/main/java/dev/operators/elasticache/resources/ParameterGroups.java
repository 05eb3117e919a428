package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.ElastiCachePort;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.ParameterPlan;
import dev.operators.elasticache.infra.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;

/** The owned cache parameter group, when the spec sets parameters; family from engine and version. */
@ApplicationScoped
public class ParameterGroups {
  private final ElastiCachePort elastiCache;
  private final EventRecorder events;

  public ParameterGroups(ElastiCachePort elastiCache, EventRecorder events) {
    this.elastiCache = elastiCache;
    this.events = events;
  }

  /** Deletes owned groups of other families (after a family switch or once parameters are removed). */
  public void deleteStale(RedisCache rc, Desired d) {
    for (String name : d.staleParameterGroupNames()) {
      try {
        elastiCache.deleteParameterGroup(name);
        events.normal(rc, "ParameterGroupDeleted", "Deleted cache parameter group " + name + ", no longer used");
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.NOT_FOUND)) throw e;
      }
    }
  }

  /** The step: the group in line with the spec's parameters, its name (null when none are set) in the status. */
  public Outcome ensure(Reconcile r) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    if (d.parameterGroupName() == null) {
      r.status().parameterGroup(null);
      return Outcome.DONE;
    }
    // A group this cache never recorded is created straight away, and a group just created holds
    // only defaults: nothing to describe. A retry after a crash finds it through "already exists".
    boolean recorded = d.parameterGroupName().equals(rc.getStatus() == null ? null : rc.getStatus().getParameterGroupName());
    boolean created = false;
    if (!recorded || elastiCache.findParameterGroup(d.parameterGroupName()).isEmpty()) {
      try {
        elastiCache.createParameterGroup(d.parameterGroupName(), d.family(),
            "RedisCache " + d.namespace() + "/" + d.name() + " (managed by rediscache-operator)", d.tags());
        events.normal(rc, "ParameterGroupCreated", "Created cache parameter group " + d.parameterGroupName() + " (family " + d.family() + ")");
        created = true;
      } catch (AwsException e) {
        if (!e.is(AwsException.Kind.ALREADY_EXISTS)) throw e;
      }
    }
    ParameterPlan plan = ParameterPlan.of(d.parameters(), created ? java.util.Map.of() : elastiCache.userParameters(d.parameterGroupName()));
    try {
      if (!plan.set().isEmpty()) elastiCache.modifyParameterGroup(d.parameterGroupName(), plan.set());
      if (!plan.reset().isEmpty()) elastiCache.resetParameters(d.parameterGroupName(), plan.reset());
    } catch (AwsException e) {
      if (e.is(AwsException.Kind.INVALID_INPUT)) {
        return Outcome.stalled("InvalidParameters", "spec.parameters: AWS refused them: " + e.awsMessage());
      }
      throw e;
    }
    if (!plan.empty()) {
      events.normal(rc, "ParametersApplied", "Parameter group " + d.parameterGroupName() + ": set " + plan.set().keySet()
          + (plan.reset().isEmpty() ? "" : ", reset " + plan.reset()));
    }
    r.status().parameterGroup(d.parameterGroupName());
    return Outcome.DONE;
  }
}
