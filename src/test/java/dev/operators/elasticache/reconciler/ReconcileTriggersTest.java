package dev.operators.elasticache.reconciler;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.api.RedisCacheStatus;
import dev.operators.elasticache.decide.Rotation;
import dev.operators.elasticache.fake.Harness;
import dev.operators.elasticache.resources.ReplicationGroups;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class ReconcileTriggersTest {
  final ReconcileTriggers triggers = new ReconcileTriggers();

  @Test
  void specChangesAnnotationAndDeletionTriggerStatusWritesDoNot() {
    RedisCache old = Harness.cache("ns", "n");
    RedisCache statusOnly = Harness.cache("ns", "n");
    statusOnly.getMetadata().setUid(old.getMetadata().getUid());
    statusOnly.setStatus(new RedisCacheStatus());
    assertThat(triggers.accept(statusOnly, old)).isFalse();

    RedisCache spec = Harness.cache("ns", "n");
    spec.getMetadata().setGeneration(2L);
    assertThat(triggers.accept(spec, old)).isTrue();

    RedisCache asked = Harness.cache("ns", "n");
    asked.getMetadata().setAnnotations(Map.of(Rotation.REQUEST_ANNOTATION, "now"));
    assertThat(triggers.accept(asked, old)).isTrue();

    RedisCache recreate = Harness.cache("ns", "n");
    recreate.getMetadata().setAnnotations(Map.of(ReplicationGroups.RECREATE_ANNOTATION, "1"));
    assertThat(triggers.accept(recreate, old)).as("a person asking for a failed group to be created again").isTrue();

    RedisCache deleting = Harness.cache("ns", "n");
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(triggers.accept(deleting, old)).isTrue();

    RedisCache finalized = Harness.cache("ns", "n");
    finalized.getMetadata().setFinalizers(List.of(RedisCacheReconciler.FINALIZER));
    assertThat(triggers.accept(finalized, old)).isTrue();
  }
}
