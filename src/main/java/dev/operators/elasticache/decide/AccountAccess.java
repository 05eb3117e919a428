package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.ElastiCacheAccount;
import dev.operators.elasticache.api.ElastiCacheAccountSpec;
import dev.operators.elasticache.aws.AwsTarget;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * May a RedisCache in this namespace use the ElastiCacheAccount its spec.account names? Decided
 * before any AWS call: a namespace the account does not allow makes no call in that account.
 */
public final class AccountAccess {
  private AccountAccess() {}

  /** Either the target to use, or why not (a Stalled reason and a message naming spec.account). */
  public record Decision(AwsTarget target, String reason, String message) {
    public boolean allowed() {
      return target != null;
    }

    static Decision allow(AwsTarget target) {
      return new Decision(target, null, null);
    }

    static Decision refuse(String reason, String message) {
      return new Decision(null, reason, message);
    }
  }

  /**
   * {@code account}: the ElastiCacheAccount named by spec.account (null: there is none);
   * {@code namespaceLabels}: the labels of the cache's namespace (null when unknown).
   */
  public static Decision decide(String accountName, ElastiCacheAccount account, String namespace, Map<String, String> namespaceLabels) {
    if (account == null || account.getSpec() == null) {
      return Decision.refuse("AccountNotFound", "spec.account: there is no ElastiCacheAccount " + accountName
          + "; ask your platform team to create it (and to allow namespace " + namespace + "), or remove spec.account to use the operator's own account");
    }
    ElastiCacheAccountSpec s = account.getSpec();
    if (!allows(s, namespace, namespaceLabels)) {
      return Decision.refuse("AccountNotAllowed", "spec.account: ElastiCacheAccount " + accountName + " does not allow namespace " + namespace
          + " (its spec.namespaces and spec.namespaceSelector); nothing is done in that account. Ask its owner to allow the namespace, or use another account");
    }
    return Decision.allow(new AwsTarget(s.getRoleArn(), s.getExternalId(), s.getRegion()));
  }

  /** Listed by name, or matched by the selector; an account with neither allows no namespace. */
  static boolean allows(ElastiCacheAccountSpec s, String namespace, Map<String, String> labels) {
    if (listed(s, namespace)) return true;
    return s.getNamespaceSelector() != null && labels != null && matches(s.getNamespaceSelector(), labels);
  }

  private static boolean listed(ElastiCacheAccountSpec s, String namespace) {
    return s.getNamespaces() != null && s.getNamespaces().contains(namespace);
  }

  /** Are the namespace's labels needed to decide (a selector, and the namespace not listed by name)? Saves a read otherwise. */
  public static boolean needsLabels(ElastiCacheAccount account, String namespace) {
    return account != null && account.getSpec() != null && account.getSpec().getNamespaceSelector() != null
        && !listed(account.getSpec(), namespace);
  }

  /** Kubernetes label selector semantics: every matchLabels entry and every matchExpressions requirement holds. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> exact = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> reqs = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    if (exact.isEmpty() && reqs.isEmpty()) return false; // an empty selector here selects nothing, not everything: say so explicitly
    for (Map.Entry<String, String> e : exact.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    for (LabelSelectorRequirement r : reqs) {
      String value = labels.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> labels.containsKey(r.getKey());
        case "DoesNotExist" -> !labels.containsKey(r.getKey());
        default -> false;
      };
      if (!ok) return false;
    }
    return true;
  }
}
