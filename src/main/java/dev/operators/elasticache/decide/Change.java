package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.ModifyRequest;
import java.util.List;

/** One modification of a running replication group; the operator sends one at a time. */
public sealed interface Change permits Change.Modify, Change.Replicas, Change.Shards {
  /** What changes, for people: "nodeType cache.t4g.micro -> cache.t4g.small". Never holds a token. */
  String summary();

  record Modify(ModifyRequest request, String summary) implements Change {}

  record Replicas(int from, int to, String summary) implements Change {}

  record Shards(int from, int to, List<String> retain, String summary) implements Change {}
}
