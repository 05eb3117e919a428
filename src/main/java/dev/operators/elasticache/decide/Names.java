package dev.operators.elasticache.decide;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic AWS names and ownership tags, derived from the operator's cluster id and the
 * resource's namespace and name. The same resource always maps to the same names, so a retry or a
 * restart finds what an earlier attempt created instead of creating a twin.
 */
public final class Names {
  public static final String TAG_PREFIX = "elasticache.operators.dev/";
  public static final String TAG_CLUSTER = TAG_PREFIX + "cluster-id";
  public static final String TAG_NAMESPACE = TAG_PREFIX + "namespace";
  public static final String TAG_NAME = TAG_PREFIX + "name";
  public static final String TAG_UID = TAG_PREFIX + "uid";
  /** Put on an adopted group, with the ownership tags. */
  public static final String TAG_ADOPTED = TAG_PREFIX + "adopted";
  /**
   * Set by whoever owns a replication group (never by the operator): {@code <namespace>/<name>} of
   * the one RedisCache allowed to adopt it. See {@link AdoptionConsent}.
   */
  public static final String TAG_ADOPTABLE_BY = TAG_PREFIX + "adoptable-by";
  public static final String TAG_MANAGED_BY = "managed-by";
  public static final String MANAGED_BY = "rediscache-operator";

  /** The tags that make a resource a RedisCache's; removed when a group is released (deletionPolicy Retain). */
  public static final java.util.List<String> OWNERSHIP_TAGS = java.util.List.of(TAG_MANAGED_BY, TAG_CLUSTER, TAG_NAMESPACE, TAG_NAME, TAG_UID, TAG_ADOPTED);

  /** ElastiCache replication group ids: at most 40 characters. */
  static final int REPLICATION_GROUP_ID_MAX = 40;

  private Names() {}

  /** rc-<namespace>-<name>, trimmed, plus 8 hex characters of a hash of cluster id, namespace and name. */
  public static String replicationGroupId(String clusterId, String namespace, String name) {
    String hash = hash(clusterId, namespace, name);
    String readable = sanitize(namespace + "-" + name);
    int room = REPLICATION_GROUP_ID_MAX - "rc-".length() - 1 - hash.length();
    if (readable.length() > room) readable = trimHyphens(readable.substring(0, room));
    return readable.isEmpty() ? "rc-" + hash : "rc-" + readable + "-" + hash;
  }

  public static String securityGroupName(String clusterId, String namespace, String name) {
    return "rediscache-" + replicationGroupId(clusterId, namespace, name);
  }

  public static String subnetGroupName(String clusterId, String namespace, String name) {
    return replicationGroupId(clusterId, namespace, name);
  }

  /** One parameter group per family, so a family switch creates a new group and cuts over. */
  public static String parameterGroupName(String clusterId, String namespace, String name, String family) {
    return parameterGroupName(replicationGroupId(clusterId, namespace, name), family);
  }

  public static String parameterGroupName(String replicationGroupId, String family) {
    return replicationGroupId + "-" + sanitize(family);
  }

  /**
   * An ElastiCache RBAC user id of a cache (CreateUser UserId: a letter first, letters, digits and
   * single hyphens): the cache's name base and the user name, trimmed to 31 characters, plus 8 hex
   * characters of a hash of both (so "Orders" and "orders", or two long names, never meet).
   */
  public static String userId(String nameBase, String userName) {
    String hash = hash(nameBase, "user", userName);
    String readable = sanitize(nameBase + "-" + userName);
    int room = REPLICATION_GROUP_ID_MAX - 1 - hash.length();
    if (readable.length() > room) readable = trimHyphens(readable.substring(0, room));
    return readable + "-" + hash;
  }

  /** The cache's one RBAC user group: named like its replication group. */
  public static String userGroupId(String nameBase) {
    return nameBase;
  }

  public static String authSecretName(String clusterId, String namespace, String name) {
    return "rediscache/" + clusterId + "/" + namespace + "/" + name + "/auth";
  }

  /**
   * An app user's password in Secrets Manager, beside the cache's token:
   * {@code rediscache/<cluster-id>/<ns>/<name>/users/<user>} (user names are unique in a cache).
   */
  public static String userSecretName(String authSecretName, String userName) {
    return authSecretName.substring(0, authSecretName.lastIndexOf('/')) + "/users/" + userName;
  }

  public static String finalSnapshotName(String replicationGroupId, String uid) {
    String u = uid == null ? "" : uid.replace("-", "");
    return replicationGroupId + "-final-" + u.substring(0, Math.min(8, u.length()));
  }

  public static String connectionSecretName(String resourceName, String requested) {
    return requested == null || requested.isBlank() ? resourceName + "-redis" : requested;
  }

  /** Ownership tags first; the user's tags cannot override them. */
  public static Map<String, String> tags(String clusterId, String namespace, String name, String uid, Map<String, String> userTags) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (userTags != null) {
      userTags.forEach((k, v) -> {
        if (!k.startsWith(TAG_PREFIX) && !k.startsWith("aws:")) tags.put(k, v);
      });
    }
    tags.put(TAG_MANAGED_BY, MANAGED_BY);
    tags.put(TAG_CLUSTER, clusterId);
    tags.put(TAG_NAMESPACE, namespace);
    tags.put(TAG_NAME, name);
    tags.put(TAG_UID, uid);
    return tags;
  }

  /**
   * What releasing a group (deletionPolicy Retain) removes: the ownership tags it carries,
   * managed-by only while it names the operator. Consent ({@link #TAG_ADOPTABLE_BY}) and the spec's
   * tags stay.
   */
  public static java.util.List<String> releasedTags(Map<String, String> tags) {
    return OWNERSHIP_TAGS.stream()
        .filter(k -> tags.containsKey(k) && (!k.equals(TAG_MANAGED_BY) || MANAGED_BY.equals(tags.get(k))))
        .toList();
  }

  /** Lower case letters, digits and single hyphens; starts with a letter or digit, no trailing hyphen. */
  static String sanitize(String s) {
    String lower = s.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("-{2,}", "-");
    return trimHyphens(lower);
  }

  private static String trimHyphens(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') start++;
    while (end > start && s.charAt(end - 1) == '-') end--;
    return s.substring(start, end);
  }

  static String hash(String clusterId, String namespace, String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((clusterId + "/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
