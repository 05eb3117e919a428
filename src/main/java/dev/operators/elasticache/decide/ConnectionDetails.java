package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.Endpoint;
import dev.operators.elasticache.aws.ReplicationGroupInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of the connection Secret. Before the cache is available only the keys that do not need
 * an endpoint are there (the token is stored before the replication group is created).
 *
 * <p>The keys follow the Service Binding specification for Kubernetes (servicebinding.io): {@code type}
 * and {@code provider} name the kind of service, {@code host}, {@code port}, {@code password} and
 * {@code ssl} are the well-known entries Spring Cloud Bindings and other binding-aware runtimes map
 * to their Redis settings. {@code url} stays the plain {@code rediss://} URL every client parses;
 * {@code pythonUrl} is the same URL with {@code ssl_cert_reqs=required} when TLS is on, which
 * Celery's Redis backend insists on and redis-py accepts (a plain {@code redis://} URL gets no
 * query, as Celery then refuses the parameter).
 */
public final class ConnectionDetails {
  /** The Service Binding {@code type} of the Secret. */
  public static final String BINDING_TYPE = "redis";
  /** The Service Binding {@code provider} of the Secret. */
  public static final String BINDING_PROVIDER = "aws-elasticache";

  private ConnectionDetails() {}

  /** The endpoint apps use: the configuration endpoint in cluster mode, else the primary endpoint. */
  public static Endpoint endpoint(ReplicationGroupInfo g) {
    if (g == null) return null;
    return g.clusterEnabled() && g.configurationEndpoint() != null ? g.configurationEndpoint() : g.primaryEndpoint();
  }

  /**
   * The endpoint the Secret gives apps: during a cluster mode migration (AWS in compatible, both
   * endpoints there) the configuration endpoint once the Secret has switched, else the primary one.
   */
  static Endpoint endpoint(ReplicationGroupInfo g, boolean clusterMode) {
    if (g == null) return null;
    if (clusterMode && g.configurationEndpoint() != null) return g.configurationEndpoint();
    return g.primaryEndpoint() != null ? g.primaryEndpoint() : g.configurationEndpoint();
  }

  public static Map<String, String> data(Desired d, ReplicationGroupInfo group, String token) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("type", BINDING_TYPE);
    data.put("provider", BINDING_PROVIDER);
    // during a cluster mode migration, the mode AWS serves now (both in compatible: the way the spec goes)
    boolean clusterMode = ClusterModeMigration.secretClusterMode(d.clusterModeTargetOrDefault(), group);
    Endpoint ep = endpoint(group, clusterMode);
    int port = ep != null && ep.port() > 0 ? ep.port() : d.port();
    if (ep != null) data.put("host", ep.host());
    data.put("port", Integer.toString(port));
    if (token != null) data.put("password", token); // the caller passes none when auth is off

    boolean tls = TlsMigration.secretTls(d.tls(), group); // during a TLS migration, what AWS accepts now
    data.put("tls", Boolean.toString(tls));
    data.put("ssl", Boolean.toString(tls));
    data.put("clusterMode", Boolean.toString(clusterMode));
    if (ep != null) {
      String scheme = tls ? "rediss" : "redis";
      String userInfo = token != null ? ":" + token + "@" : "";
      String url = scheme + "://" + userInfo + ep.host() + ":" + port;
      data.put("url", url);
      data.put("pythonUrl", tls ? url + "?ssl_cert_reqs=required" : url);
      Endpoint reader = group.readerEndpoint();
      if (!clusterMode && d.replicasPerShard() > 0 && reader != null) data.put("readerHost", reader.host());
      Map<String, String> values = new LinkedHashMap<>(data);
      d.template().forEach((k, text) -> data.put(k, Templates.render(text, values)));
    }
    return data;
  }

  /**
   * The keys of an app's own Secret (spec.users): the cache's keys, with the app's user name and
   * password ({@code url} {@code rediss://<user>:<password>@host:port}); no template (that is the
   * cache Secret's). Before the cache has endpoints: no host or url.
   */
  public static Map<String, String> user(Desired d, ReplicationGroupInfo group, String username, String password) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("type", BINDING_TYPE);
    data.put("provider", BINDING_PROVIDER);
    Endpoint ep = endpoint(group);
    int port = ep != null && ep.port() > 0 ? ep.port() : d.port();
    if (ep != null) data.put("host", ep.host());
    data.put("port", Integer.toString(port));
    data.put("username", username);
    data.put("password", password);
    boolean tls = TlsMigration.secretTls(d.tls(), group);
    data.put("tls", Boolean.toString(tls));
    data.put("ssl", Boolean.toString(tls));
    data.put("clusterMode", Boolean.toString(d.clusterMode()));
    if (ep != null) {
      String url = (tls ? "rediss" : "redis") + "://" + username + ":" + password + "@" + ep.host() + ":" + port;
      data.put("url", url);
      data.put("pythonUrl", tls ? url + "?ssl_cert_reqs=required" : url);
      Endpoint reader = group.readerEndpoint();
      if (!d.clusterMode() && d.replicasPerShard() > 0 && reader != null) data.put("readerHost", reader.host());
    }
    return data;
  }

  /**
   * The keys of an IAM user's Secret (spec.users, authentication iam): no password (the app signs a
   * short-lived token with its own IAM role): host, port, username (the user id, which AWS requires
   * to equal the user name), region and cacheName (what the token is signed for), tls, url without
   * credentials, and iamPolicy (the policy the app's role needs). Before the cache exists: no host,
   * url, region, cacheName or policy.
   */
  public static Map<String, String> iamUser(Desired d, ReplicationGroupInfo group, String userId) {
    Map<String, String> data = user(d, group, userId, "");
    data.remove("password");
    data.remove("url");
    data.remove("pythonUrl");
    Endpoint ep = endpoint(group);
    if (ep != null && group.arn() != null) {
      data.put("url", (TlsMigration.secretTls(d.tls(), group) ? "rediss" : "redis") + "://" + ep.host() + ":" + data.get("port"));
      data.put("region", CacheUsers.region(group.arn()));
      data.put("cacheName", d.replicationGroupId());
      data.put("iamPolicy", CacheUsers.iamPolicy(group.arn(), d.replicationGroupId(), userId));
    }
    return data;
  }

  /**
   * The keys of an app's own Secret on a serverless cache (spec.users with spec.serverless): the
   * serverless cache's keys (endpoint, reader endpoint, port, TLS always, cluster mode) with the
   * app's user name and password; no template. Null cache (not created yet): no endpoint keys.
   */
  public static Map<String, String> serverlessUser(Desired d, dev.operators.elasticache.aws.ServerlessCacheInfo cache, String username, String password) {
    Map<String, String> data = serverlessKeys(cache);
    data.put("username", username);
    data.put("password", password);
    Endpoint ep = cache == null ? null : cache.endpoint();
    if (ep != null) {
      String url = "rediss://" + username + ":" + password + "@" + ep.host() + ":" + data.get("port");
      data.put("url", url);
      data.put("pythonUrl", url + "?ssl_cert_reqs=required");
    }
    return data;
  }

  /**
   * An IAM user's Secret on a serverless cache: as {@link #iamUser}, with the serverless cache's name
   * as {@code cacheName} (what the app's token is signed for) and its ARN in the policy.
   */
  public static Map<String, String> serverlessIamUser(Desired d, dev.operators.elasticache.aws.ServerlessCacheInfo cache, String userId) {
    Map<String, String> data = serverlessKeys(cache);
    data.put("username", userId);
    Endpoint ep = cache == null ? null : cache.endpoint();
    if (ep != null && cache.arn() != null) {
      data.put("url", "rediss://" + ep.host() + ":" + data.get("port"));
      data.put("region", CacheUsers.region(cache.arn()));
      data.put("cacheName", cache.name());
      data.put("iamPolicy", CacheUsers.iamPolicy(cache.arn(), cache.name(), userId));
    }
    return data;
  }

  /** True once every key an app needs is there. */
  public static boolean complete(Map<String, String> data) {
    return data.containsKey("host") && data.containsKey("url");
  }

  /**
   * The keys for a serverless cache: TLS always, no password (AWS takes no AUTH token for a
   * serverless cache; access is by network, the security group), the endpoint and the reader
   * endpoint (reads from replicas, port 6380), and cluster mode: a serverless cache presents itself
   * as a cluster (clients should be cluster-aware). Null cache (not created yet): no endpoint keys.
   */
  public static Map<String, String> serverless(Desired d, dev.operators.elasticache.aws.ServerlessCacheInfo cache) {
    Map<String, String> data = serverlessKeys(cache);
    Endpoint ep = cache == null ? null : cache.endpoint();
    if (ep != null) {
      String url = "rediss://" + ep.host() + ":" + ep.port();
      data.put("url", url);
      data.put("pythonUrl", url + "?ssl_cert_reqs=required");
      Map<String, String> values = new LinkedHashMap<>(data);
      d.template().forEach((k, text) -> data.put(k, Templates.render(text, values)));
    }
    return data;
  }

  /** The keys every Secret of a serverless cache has: type, provider, host, port, reader host and port, tls, ssl, clusterMode. */
  private static Map<String, String> serverlessKeys(dev.operators.elasticache.aws.ServerlessCacheInfo cache) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("type", BINDING_TYPE);
    data.put("provider", BINDING_PROVIDER);
    Endpoint ep = cache == null ? null : cache.endpoint();
    if (ep != null) data.put("host", ep.host());
    data.put("port", Integer.toString(ep != null && ep.port() > 0 ? ep.port() : Desired.SERVERLESS_PORT));
    Endpoint reader = cache == null ? null : cache.readerEndpoint();
    if (reader != null) {
      data.put("readerHost", reader.host());
      data.put("readerPort", Integer.toString(reader.port()));
    }
    data.put("tls", "true");
    data.put("ssl", "true");
    data.put("clusterMode", "true");
    return data;
  }
}
