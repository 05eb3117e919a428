package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of the connection Secret. Before the cache is available only the keys that do not need
 * an endpoint are there (the token is stored before the replication group is created).
 */
public final class ConnectionDetails {
  private ConnectionDetails() {}

  /** The endpoint apps use: the configuration endpoint in cluster mode, else the primary endpoint. */
  public static Endpoint endpoint(ReplicationGroupInfo g) {
    if (g == null) return null;
    return g.clusterEnabled() && g.configurationEndpoint() != null ? g.configurationEndpoint() : g.primaryEndpoint();
  }

  public static Map<String, String> data(Desired d, ReplicationGroupInfo group, String token) {
    Map<String, String> data = new LinkedHashMap<>();
    Endpoint ep = endpoint(group);
    int port = ep != null && ep.port() > 0 ? ep.port() : d.port();
    if (ep != null) data.put("host", ep.host());
    data.put("port", Integer.toString(port));
    if (d.auth() && token != null) data.put("password", token);
    data.put("tls", Boolean.toString(d.tls()));
    data.put("clusterMode", Boolean.toString(d.clusterMode()));
    if (ep != null) {
      String scheme = d.tls() ? "rediss" : "redis";
      String userInfo = d.auth() && token != null ? ":" + token + "@" : "";
      data.put("url", scheme + "://" + userInfo + ep.host() + ":" + port);
      Endpoint reader = group.readerEndpoint();
      if (!d.clusterMode() && d.replicasPerShard() > 0 && reader != null) data.put("readerHost", reader.host());
      Map<String, String> values = new LinkedHashMap<>(data);
      d.template().forEach((k, text) -> data.put(k, Templates.render(text, values)));
    }
    return data;
  }

  /** True once every key an app needs is there. */
  public static boolean complete(Map<String, String> data) {
    return data.containsKey("host") && data.containsKey("url");
  }
}
