package dev.operators.elasticache.resources;

import dev.operators.elasticache.api.RedisCache;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import dev.operators.elasticache.decide.ConnectionDetails;
import dev.operators.elasticache.decide.Desired;
import dev.operators.elasticache.decide.Rotation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The Secret apps mount: owned by the RedisCache, labelled so the operator watches only its own Secrets. */
@ApplicationScoped
public class ConnectionSecrets {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "rediscache-operator";
  public static final String SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  public static final String CACHE_LABEL = "elasticache.operators.dev/cache";
  static final String FIELD_MANAGER = "rediscache-operator";

  private final KubernetesClient client;

  public ConnectionSecrets(KubernetesClient client) {
    this.client = client;
  }

  public static Optional<String> token(Secret s) {
    return Optional.ofNullable(decoded(s).get("password"));
  }

  public static Map<String, String> decoded(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null) return out;
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) out.putAll(s.getStringData());
    return out;
  }

  /**
   * The step: the connection details of this group (null before it exists: no endpoints yet) and
   * the token, with the rotation under way, in the Secret.
   */
  public Outcome apply(Reconcile r, ReplicationGroupInfo group) {
    Rotation rotation = r.rotation();
    // auth on, or a cache switching to spec.users whose token still works
    String token = r.desired().auth() || r.keepToken() ? r.tokenValue() : null;
    return apply(r, rotation.decorate(ConnectionDetails.data(r.desired(), group, token)), rotation.annotations());
  }

  /** Writes the Secret when its content differs; {@link Reconcile#secret()} is then the Secret as it now is. */
  public Outcome apply(Reconcile r, Map<String, String> data, Map<String, String> annotations) {
    RedisCache rc = r.rc();
    Desired d = r.desired();
    Secret existing = r.secret();
    String ns = rc.getMetadata().getNamespace();
    if (existing != null && decoded(existing).equals(data) && owned(existing, rc) && rotationAnnotations(existing).equals(annotations)) {
      return Outcome.DONE;
    }
    if (existing == null || !owned(existing, rc)) {
      Secret other = existing != null ? existing : lookup(ns, d.connectionSecretName());
      if (other != null && !owned(other, rc) && !leftOverBySameName(other, rc)) {
        return Outcome.stalled("SecretNameTaken", "spec.connectionSecret.name: Secret " + d.connectionSecretName()
            + " exists and is not this RedisCache's; choose another name or delete it");
      }
    }
    Secret secret = owned(rc, d.connectionSecretName(), Map.of(MANAGED_BY_LABEL, MANAGED_BY, CACHE_LABEL, rc.getMetadata().getName()),
        data, annotations);
    write(secret);
    r.secret(secret);
    return Outcome.DONE;
  }

  /** A Secret in the cache's namespace, owned by it (controller owner reference), with these labels, data and annotations. */
  private static Secret owned(RedisCache rc, String name, Map<String, String> labels, Map<String, String> data, Map<String, String> annotations) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(rc.getMetadata().getNamespace())
        .withLabels(new LinkedHashMap<>(labels))
        .withAnnotations(annotations.isEmpty() ? null : new LinkedHashMap<>(annotations))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(rc.getApiVersion()).withKind(rc.getKind())
            .withName(rc.getMetadata().getName()).withUid(rc.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(false).build())
        .endMetadata()
        .withType("Opaque").withData(encoded).build();
  }

  /**
   * A Secret this operator wrote for an earlier RedisCache of the same namespace and name, since
   * deleted (its owner has another uid; Kubernetes' garbage collector removes it in its own time).
   */
  static boolean leftOverBySameName(Secret s, RedisCache rc) {
    var labels = s.getMetadata().getLabels();
    return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) && rc.getMetadata().getName().equals(labels.get(CACHE_LABEL))
        && s.getMetadata().getOwnerReferences() != null && s.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> rc.getKind().equals(o.getKind()) && rc.getMetadata().getName().equals(o.getName()));
  }

  /** The operator's rotation annotations on the Secret. */
  public static Map<String, String> rotationAnnotations(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null || s.getMetadata().getAnnotations() == null) return out;
    s.getMetadata().getAnnotations().forEach((k, v) -> {
      if (k.startsWith("elasticache.operators.dev/rotation-")) out.put(k, v);
    });
    return out;
  }

  /** Label of an app's Secret (spec.users): the user name. */
  public static final String USER_LABEL = "elasticache.operators.dev/user";

  /** A Secret of this namespace as the API server has it, or null (an app's Secret: not in the informer). */
  public Secret get(String namespace, String name) {
    return lookup(namespace, name);
  }

  /**
   * An app's Secret (spec.users), owned by the RedisCache and labelled with the cache and the user,
   * but not with managed-by: the informer holds one Secret per cache, the cache's own.
   */
  public Secret writeUserSecret(RedisCache rc, String name, String user, Map<String, String> data, Map<String, String> annotations) {
    Secret secret = owned(rc, name, Map.of(CACHE_LABEL, rc.getMetadata().getName(), USER_LABEL, user), data, annotations);
    write(secret);
    return secret;
  }

  /** Deletes a Secret (an app's, once its user is gone); a missing one is fine. */
  public void delete(String namespace, String name) {
    remove(namespace, name);
  }

  protected void remove(String namespace, String name) {
    client.secrets().inNamespace(namespace).withName(name).delete();
  }

  protected Secret lookup(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  protected void write(Secret secret) {
    client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret)
        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  public static boolean owned(Secret s, RedisCache rc) {
    return s.getMetadata().getOwnerReferences() != null && s.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> rc.getMetadata().getUid().equals(o.getUid()));
  }
}
