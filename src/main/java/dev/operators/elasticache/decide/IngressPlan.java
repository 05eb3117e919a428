package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.IngressRule;
import java.util.List;
import java.util.Set;

/** What to authorize and revoke so the owned security group holds exactly the rules asked for. */
public record IngressPlan(List<IngressRule> authorize, List<IngressRule> revoke) {
  public static IngressPlan of(Set<IngressRule> desired, Set<IngressRule> actual) {
    List<IngressRule> add = desired.stream().filter(r -> !actual.contains(r)).sorted(IngressRule.ORDER).toList();
    List<IngressRule> remove = actual.stream().filter(r -> !desired.contains(r)).sorted(IngressRule.ORDER).toList();
    return new IngressPlan(add, remove);
  }

  public boolean empty() { return authorize.isEmpty() && revoke.isEmpty(); }
}
