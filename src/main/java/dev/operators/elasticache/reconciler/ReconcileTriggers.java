package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.resources.ReplicationGroups;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a RedisCache start a reconcile: a spec change (generation), the rotate-token and
 * recreate annotations (a person asking for something now), deletion and finalizer changes. Not status writes: the operator's own status patch
 * must not loop back into a reconcile.
 */
public class ReconcileTriggers implements OnUpdateFilter<RedisCache> {
  @Override
  public boolean accept(RedisCache updated, RedisCache old) {
    if (!Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())) return true;
    if (!Objects.equals(annotation(updated, Rotation.REQUEST_ANNOTATION), annotation(old, Rotation.REQUEST_ANNOTATION))) return true;
    if (!Objects.equals(annotation(updated, ReplicationGroups.RECREATE_ANNOTATION), annotation(old, ReplicationGroups.RECREATE_ANNOTATION))) {
      return true;
    }
    if (updated.isMarkedForDeletion()) return true;
    return !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers());
  }

  private static String annotation(RedisCache rc, String key) {
    return rc.getMetadata().getAnnotations() == null ? null : rc.getMetadata().getAnnotations().get(key);
  }
}
