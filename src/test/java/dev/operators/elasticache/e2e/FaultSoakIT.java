package dev.operators.elasticache.e2e;

import dev.operators.elasticache.bench.FaultSoak;
import org.junit.jupiter.api.Test;

/**
 * The short fault soak inside {@code make test} (about 3 minutes): 3 caches through create, a spec
 * change (one held for the maintenance window), a token rotation and delete, with throttling, 5xx
 * and latency, a capacity refusal window, a create failure, a backup, one operator kill -9 and one
 * kube-apiserver restart. Fails when a duplicate, an orphan, a lost or leaked token, a Ready flap or
 * a stuck step is found. `make soak` runs the long one (12 caches, 10 minutes).
 */
class FaultSoakIT {
  @Test
  void shortSoakFindsNothing() throws Exception {
    new FaultSoak().with(FaultSoak.Settings.quick()).runAndReport();
  }
}
