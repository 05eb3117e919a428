package dev.operators.elasticache.infra;

import dev.operators.elasticache.api.RedisCache;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on the RedisCache. A repeated event (same type, reason and message) bumps the
 * count of the existing one instead of adding another. Callers never pass a token.
 */
@ApplicationScoped
public class EventRecorder {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  static final String COMPONENT = "rediscache-operator";
  private final KubernetesClient client;
  private final Clock clock = Clock.systemUTC();

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(RedisCache rc, String reason, String message) {
    record(rc, "Normal", reason, message);
  }

  public void warning(RedisCache rc, String reason, String message) {
    record(rc, "Warning", reason, message);
  }

  protected void record(RedisCache rc, String type, String reason, String message) {
    String ns = rc.getMetadata().getNamespace();
    String msg = message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    String name = rc.getMetadata().getName() + "." + UUID.nameUUIDFromBytes(
        (rc.getMetadata().getUid() + type + reason + msg).getBytes(StandardCharsets.UTF_8)).toString().substring(0, 13).replace("-", "");
    String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    try {
      var events = client.v1().events().inNamespace(ns);
      Event existing = events.withName(name).get();
      if (existing != null) {
        int count = existing.getCount() == null ? 1 : existing.getCount();
        events.withName(name).edit(e -> new EventBuilder(e).withCount(count + 1).withLastTimestamp(now).build());
      } else {
        events.resource(new EventBuilder()
            .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
            .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(rc.getApiVersion()).withKind(rc.getKind())
                .withName(rc.getMetadata().getName()).withNamespace(ns).withUid(rc.getMetadata().getUid()).build())
            .withType(type).withReason(reason).withMessage(msg)
            .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
            .withNewSource().withComponent(COMPONENT).endSource()
            .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT)
            .build()).create();
      }
      LOG.infof("%s/%s %s %s: %s", ns, rc.getMetadata().getName(), type, reason, msg);
    } catch (KubernetesClientException e) {
      LOG.warnf("could not record event %s on %s/%s: %s", reason, ns, rc.getMetadata().getName(), e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    }
  }
}
