package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user asks for. Rules the API server can check are CEL rules here; each message says what
 * to do. Immutable fields carry transition rules (they only run on update).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!self.multiAZ || self.replicasPerShard >= 1",
    fieldPath = ".multiAZ",
    message = "multiAZ needs replicasPerShard >= 1: add a replica or set multiAZ: false")
@ValidationRule(
    value = "(has(self.auth) && has(self.auth.enabled) && !self.auth.enabled) || self.tls",
    fieldPath = ".tls",
    message = "auth needs tls: AWS accepts an auth token only with in-transit encryption; set tls: true, or auth.enabled: false")
@ValidationRule(
    value = "(has(oldSelf.clusterMode) ? oldSelf.clusterMode : (oldSelf.shards > 1 ? 'Enabled' : 'Disabled')) != 'Enabled'"
        + " || (has(self.clusterMode) ? self.clusterMode : (self.shards > 1 ? 'Enabled' : 'Disabled')) == 'Enabled'",
    fieldPath = ".clusterMode",
    message = "clusterMode cannot leave Enabled (shards > 1 means Enabled): AWS cannot revert a cluster-mode-enabled group; only Compatible goes back to Disabled")
@ValidationRule(
    value = "self.shards == 1 || !has(self.clusterMode) || self.clusterMode == 'Enabled'",
    fieldPath = ".shards",
    message = "shards > 1 needs clusterMode Enabled: in Disabled and Compatible mode a group has one shard")
@ValidationRule(
    value = "!(oldSelf.engine == 'valkey' && self.engine == 'redis')",
    fieldPath = ".engine",
    message = "engine cannot go back from valkey to redis: AWS only upgrades redis to valkey; create a new RedisCache for redis")
@ValidationRule(
    value = "(has(self.atRestEncryption) && has(self.atRestEncryption.enabled) ? self.atRestEncryption.enabled : true)"
        + " == (has(oldSelf.atRestEncryption) && has(oldSelf.atRestEncryption.enabled) ? oldSelf.atRestEncryption.enabled : true)"
        + " && (has(self.atRestEncryption) && has(self.atRestEncryption.kmsKeyId) ? self.atRestEncryption.kmsKeyId : '')"
        + " == (has(oldSelf.atRestEncryption) && has(oldSelf.atRestEncryption.kmsKeyId) ? oldSelf.atRestEncryption.kmsKeyId : '')",
    fieldPath = ".atRestEncryption",
    message = "atRestEncryption is immutable (AWS sets it at creation): create a new RedisCache with the encryption you want and migrate the data")
@ValidationRule(
    value = "(has(self.adoption) ? self.adoption.replicationGroupId : '') == (has(oldSelf.adoption) ? oldSelf.adoption.replicationGroupId : '')",
    fieldPath = ".adoption",
    message = "adoption is immutable: a RedisCache either created its replication group or adopted one; create another RedisCache instead")
@ValidationRule(
    value = "!has(self.adoption) || has(self.network.subnetGroupName)",
    fieldPath = ".network.subnetGroupName",
    message = "adoption: an adopted replication group keeps its cache subnet group; name it in network.subnetGroupName (with network.vpcId)")
@ValidationRule(
    value = "(has(self.network.subnetGroupName) ? self.network.subnetGroupName : '')"
        + " == (has(oldSelf.network.subnetGroupName) ? oldSelf.network.subnetGroupName : '')",
    fieldPath = ".network.subnetGroupName",
    message = "network.subnetGroupName is immutable, and the subnet source cannot switch between subnetIds and subnetGroupName: create a new RedisCache instead")
@ValidationRule(
    value = "!has(self.restoreFrom) || (has(self.restoreFrom.snapshotName) != has(self.restoreFrom.rdbS3Arns))",
    fieldPath = ".restoreFrom",
    message = "restoreFrom: give exactly one of snapshotName (an ElastiCache snapshot) or rdbS3Arns (RDB files in S3)")
@ValidationRule(
    value = "has(self.restoreFrom) == has(oldSelf.restoreFrom) && (!has(self.restoreFrom) || self.restoreFrom == oldSelf.restoreFrom)",
    fieldPath = ".restoreFrom",
    message = "restoreFrom is immutable and only used at creation: it cannot be added to, changed on or removed from an existing RedisCache; to load data into a new cache, create another RedisCache with restoreFrom")
@ValidationRule(
    value = "!has(self.restoreFrom) || !has(self.adoption)",
    fieldPath = ".restoreFrom",
    message = "restoreFrom and adoption exclude each other: an adopted replication group already holds its data")
@ValidationRule(
    value = "(has(self.dataTiering) && self.dataTiering) == self.nodeType.startsWith('cache.r6gd.')",
    fieldPath = ".dataTiering",
    message = "dataTiering: AWS offers data tiering only on r6gd node types, and an r6gd node type needs it: set dataTiering: true with a cache.r6gd.* nodeType, or neither")
@ValidationRule(
    value = "(has(self.dataTiering) && self.dataTiering) == (has(oldSelf.dataTiering) && oldSelf.dataTiering)",
    fieldPath = ".dataTiering",
    message = "dataTiering is immutable (AWS sets it at creation): create a new RedisCache and migrate the data")
@ValidationRule(
    value = "(has(self.network.networkType) ? self.network.networkType : 'ipv4') == (has(oldSelf.network.networkType) ? oldSelf.network.networkType : 'ipv4')",
    fieldPath = ".network.networkType",
    message = "network.networkType is immutable (AWS cannot switch the network type of a replication group): create a new RedisCache instead")
@ValidationRule(
    value = "has(self.serverless) == has(oldSelf.serverless)",
    fieldPath = ".serverless",
    message = "serverless cannot be switched on or off on an existing RedisCache (a serverless cache and a replication group are different AWS resources): create a new RedisCache and migrate the data")
@ValidationRule(
    value = "!has(self.serverless) || (self.nodeType == 'cache.t4g.micro' && self.shards == 1 && self.replicasPerShard == 0"
        + " && !self.multiAZ && self.port == 6379 && !has(self.parameters) && !has(self.maintenanceWindow)"
        + " && !has(self.logDelivery) && !has(self.alarms) && self.serviceUpdates == 'Manual')",
    fieldPath = ".serverless",
    message = "serverless: a serverless cache has no nodes to size and AWS runs it (port 6379, reader port 6380): leave nodeType, shards, replicasPerShard, multiAZ, port, parameters, maintenanceWindow, logDelivery, alarms and serviceUpdates unset")
@ValidationRule(
    value = "!has(self.serverless) || (self.tls && !has(self.auth)"
        + " && !(has(self.atRestEncryption) && has(self.atRestEncryption.enabled) && !self.atRestEncryption.enabled))",
    fieldPath = ".serverless",
    message = "serverless: a serverless cache always uses TLS and encryption at rest and takes no AUTH token (AWS controls access to it with user groups, or none): leave tls and auth unset and atRestEncryption enabled (a kmsKeyId may be given)")
@ValidationRule(
    value = "!has(self.serverless) || !has(self.adoption)",
    fieldPath = ".serverless",
    message = "serverless: adoption is for replication groups; a serverless RedisCache is created by the operator (empty, or from restoreFrom): remove adoption, or serverless")
@ValidationRule(
    value = "!has(self.durability) || (self.engine == 'valkey' && has(self.engineVersion) && self.engineVersion.matches('^(9|[1-9][0-9]+)\\\\.[0-9]+$'))",
    fieldPath = ".durability",
    message = "durability needs valkey 9.0 or later: set engine: valkey and engineVersion 9.0 or higher (AWS offers durability only there)")
@ValidationRule(
    value = "!has(self.durability) || self.shards > 1",
    fieldPath = ".durability",
    message = "durability needs cluster mode (shards > 1): AWS offers durability only on cluster mode enabled groups")
@ValidationRule(
    value = "!has(self.durability) || self.multiAZ",
    fieldPath = ".durability",
    message = "durability needs multiAZ: true with replicasPerShard >= 1: AWS keeps the transactional log across Availability Zones")
@ValidationRule(
    value = "!has(self.durability) || self.tls",
    fieldPath = ".durability",
    message = "durability needs tls: true: AWS requires in-transit encryption for durability")
@ValidationRule(
    value = "!has(self.durability) || !(has(self.atRestEncryption) && has(self.atRestEncryption.enabled) && !self.atRestEncryption.enabled)",
    fieldPath = ".durability",
    message = "durability turns encryption at rest on: remove atRestEncryption.enabled: false (AWS encrypts a durable group's data, snapshots and log)")
@ValidationRule(
    value = "!has(self.durability) || self.nodeType.matches('^cache\\\\.(r8g|r7g|r6g|m8g|m7g|m6g|c8gn|c7gn)\\\\.')",
    fieldPath = ".durability",
    message = "durability: AWS offers durability only on the r8g, r7g, r6g, m8g, m7g, m6g, c8gn and c7gn node families (not with data tiering): pick such a nodeType")
@ValidationRule(
    value = "!has(self.users) || size(self.users) == 0 || self.tls",
    fieldPath = ".users",
    message = "users need tls: true: ElastiCache RBAC user groups work only with in-transit encryption")
@ValidationRule(
    value = "!has(self.users) || size(self.users) == 0 || has(self.serverless) || (has(self.auth) && has(self.auth.enabled) && !self.auth.enabled)",
    fieldPath = ".users",
    message = "users replace the AUTH token: set auth.enabled: false with users (each app gets its own user and Secret instead of the shared token; a serverless cache has no token: leave auth unset there)")
@ValidationRule(
    value = "!has(self.users) || self.users.all(u, u.name != 'default' && self.users.filter(v, v.name == u.name).size() == 1)",
    fieldPath = ".users",
    message = "users: each name once, and not default (the operator keeps the user group's default user, disabled)")
@ValidationRule(
    value = "(has(self.account) ? self.account : '') == (has(oldSelf.account) ? oldSelf.account : '')",
    fieldPath = ".account",
    message = "account is immutable: the cache's AWS resources live in the account and region it names; create a new RedisCache in the other account and migrate the data")
public class RedisCacheSpec {

  @JsonPropertyDescription("The ElastiCacheAccount (cluster-scoped, owned by a platform engineer) whose AWS account and region this cache lives in: the operator assumes its role. The account must allow this namespace. Empty: the operator's own account and region. Immutable.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String account;

  @JsonPropertyDescription("Cache engine: valkey (default) or redis. An upgrade from redis to valkey is allowed; back is not.")
  @Default("valkey")
  private Engine engine = Engine.VALKEY;

  @JsonPropertyDescription("Engine version as major.minor, for example \"9.1\" for valkey or \"7.1\" for redis: any version AWS offers for the engine (the operator reads AWS's list, DescribeCacheEngineVersions, once a day; another is Stalled with the list). Empty means the operator's default for the engine (valkey 8.0, redis 7.1). The patch level AWS runs is reported in status.engineVersion.")
  @Pattern("^([0-9]+\\.[0-9]+)?$")
  private String engineVersion;

  @JsonPropertyDescription("Node type of every node, for example cache.t4g.micro, cache.r7g.large.")
  @Default("cache.t4g.micro")
  @Pattern("^cache\\.[a-z0-9]+\\.[a-z0-9]+$")
  private String nodeType = "cache.t4g.micro";

  @JsonPropertyDescription("Number of shards (node groups). More than 1 means cluster mode (clusterMode Enabled).")
  @Default("1")
  @Min(1)
  @Max(500)
  private int shards = 1;

  @JsonPropertyDescription("Cluster mode: Disabled, Compatible or Enabled; absent means Enabled with shards > 1, else Disabled. A running group migrates Disabled -> Compatible -> Enabled (valkey 7.2+ or redis 7.0+, replicasPerShard >= 1, no parameters during the move): the connection Secret switches to the configuration endpoint and clusterMode true while AWS is in Compatible (both kinds of client work), and Enabled is asked a grace period later. Compatible can go back to Disabled; Enabled is final.")
  private ClusterMode clusterMode;

  @JsonPropertyDescription("Read replicas in each shard, 0 to 5. At least 1 turns on automatic failover.")
  @Default("0")
  @Min(0)
  @Max(5)
  private int replicasPerShard = 0;

  @JsonPropertyDescription("Data tiering: values the nodes rarely read move from memory to the nodes' local SSD. AWS offers it only on r6gd node types (cache.r6gd.*), and there it is required: set it exactly when nodeType is an r6gd type. Immutable.")
  @Default("false")
  private Boolean dataTiering = Boolean.FALSE;

  @JsonPropertyDescription("Durability (valkey 9.0+, cluster mode, multiAZ, tls): every write also goes to a Multi-AZ transactional log, before the client hears back (Sync: no acknowledged write is lost) or after (Async: up to 10 seconds of writes at risk on a failure). Turns encryption at rest on. Absent means off. Can be switched between Sync, Async and off on a running cache (ModifyReplicationGroup).")
  private Durability durability;

  @JsonPropertyDescription("Place replicas in other Availability Zones than the primary and fail over across zones. Needs replicasPerShard >= 1.")
  @Default("false")
  private boolean multiAZ = false;

  @JsonPropertyDescription("Port the cache listens on. Immutable.")
  @Default("6379")
  @Min(1024)
  @Max(65535)
  @ValidationRule(value = "self == oldSelf", message = "port is immutable: AWS cannot change the port of a replication group; create a new RedisCache with the new port")
  private int port = 6379;

  @JsonPropertyDescription("Where the cache lives and who may connect.")
  @Required
  private NetworkSpec network;

  @JsonPropertyDescription("Authentication with a generated AUTH token (on by default; needs tls).")
  private AuthSpec auth;

  @JsonPropertyDescription("In-transit encryption (TLS). On by default. Can be switched on a running cache (Valkey, or Redis OSS 7 and above): the operator takes AWS's steps, preferred (plain and TLS both accepted) then required, and switches the connection Secret to TLS while both are accepted; switching it off goes back the same way.")
  @Default("true")
  private boolean tls = true;

  @JsonPropertyDescription("Encryption at rest. Immutable.")
  private AtRestEncryptionSpec atRestEncryption;

  @JsonPropertyDescription("Engine parameters. When set, the operator owns a cache parameter group (family from engine and version) holding them, e.g. maxmemory-policy: allkeys-lru.")
  private Map<String, String> parameters;

  @JsonPropertyDescription("Automatic daily backups (snapshots).")
  private BackupSpec backups;

  @JsonPropertyDescription("Weekly maintenance window, ddd:hh24:mi-ddd:hh24:mi in UTC, for example sun:04:00-sun:05:00. Empty lets AWS choose.")
  @Pattern("^([a-zA-Z]{3}:[0-2][0-9]:[0-5][0-9]-[a-zA-Z]{3}:[0-2][0-9]:[0-5][0-9])?$")
  private String maintenanceWindow;

  @JsonPropertyDescription("When AWS applies changes to a running cache's settings (node type, engine version, parameter group, security groups, windows): Immediately (default) or NextMaintenanceWindow. Replica and shard counts are always changed immediately: AWS offers nothing else.")
  @Default("Immediately")
  private ApplyChanges applyChanges = ApplyChanges.Immediately;

  @JsonPropertyDescription("AWS's service updates (security patches) for the replication group: Manual (default) only lists them in status.serviceUpdates and events; Auto also applies them in the maintenance window (spec.maintenanceWindow, else the window AWS reports for the group).")
  @Default("Manual")
  private ServiceUpdates serviceUpdates = ServiceUpdates.Manual;

  @JsonPropertyDescription("Extra tags on every AWS resource the operator creates. Keys starting with aws: or elasticache.operators.dev/ are reserved.")
  @ValidationRule(value = "self.all(k, !k.startsWith('aws:') && !k.startsWith('elasticache.operators.dev/'))",
      message = "tags: keys starting with aws: or elasticache.operators.dev/ are reserved; rename the tag")
  @Size(max = 40)
  private Map<String, String> tags;

  @JsonPropertyDescription("What happens in AWS when this RedisCache is deleted: Delete removes what the operator created; Snapshot takes a final snapshot first; Retain leaves AWS in place and only removes the replication group's ownership tags, so it can be adopted again. Empty means Delete, or Retain for an adopted group (an adopted group is only deleted when this says so).")
  private DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("Engine logs to CloudWatch Logs.")
  private LogDeliverySpec logDelivery;

  @JsonPropertyDescription("CloudWatch alarms on every node: CPU, memory, connections, evictions, to an SNS topic.")
  private AlarmsSpec alarms;

  @JsonPropertyDescription("Take over an existing replication group instead of creating one.")
  private AdoptionSpec adoption;

  @JsonPropertyDescription("Seed the new cache with data: an ElastiCache snapshot (snapshotName) or RDB files in S3 (rdbS3Arns), exactly one. Used only when the replication group is created; immutable (it cannot be added to an existing RedisCache). status.restoredFrom says what the cache was restored from.")
  private RestoreFromSpec restoreFrom;

  @JsonPropertyDescription("An ElastiCache Serverless cache instead of a replication group: AWS sizes it; these are the limits it may grow to. Set at creation only (a RedisCache cannot switch between serverless and nodes). With it, leave the node settings (nodeType, shards, replicas, port, parameters, maintenance window), tls and auth unset: AWS serves serverless caches over TLS only, without an AUTH token.")
  private ServerlessSpec serverless;

  @JsonPropertyDescription("The Kubernetes Secret apps mount, and where else the token is kept.")
  private ConnectionSecretSpec connectionSecret;

  @JsonPropertyDescription("Per-app access with ElastiCache RBAC users instead of the shared AUTH token (needs tls: true and auth.enabled: false): each entry is one app's user (its name, access string and Secret) in the cache's own user group, whose default user the operator keeps disabled. Users can be added, changed and removed on a running cache.")
  @Size(max = 20)
  private java.util.List<CacheUserSpec> users;

  public Engine getEngine() { return engine; }
  public void setEngine(Engine engine) { this.engine = engine; }
  public String getAccount() { return account; }
  public void setAccount(String account) { this.account = account; }
  public String getEngineVersion() { return engineVersion; }
  public void setEngineVersion(String engineVersion) { this.engineVersion = engineVersion; }
  public String getNodeType() { return nodeType; }
  public void setNodeType(String nodeType) { this.nodeType = nodeType; }
  public int getShards() { return shards; }
  public void setShards(int shards) { this.shards = shards; }
  public int getReplicasPerShard() { return replicasPerShard; }
  public void setReplicasPerShard(int replicasPerShard) { this.replicasPerShard = replicasPerShard; }
  public Boolean getDataTiering() { return dataTiering; }
  public void setDataTiering(Boolean dataTiering) { this.dataTiering = dataTiering; }
  public ClusterMode getClusterMode() { return clusterMode; }
  public void setClusterMode(ClusterMode clusterMode) { this.clusterMode = clusterMode; }

  /** The cluster mode asked for: as given, else Enabled with more than one shard, else Disabled. */
  public ClusterMode effectiveClusterMode() {
    if (clusterMode != null) return clusterMode;
    return shards > 1 ? ClusterMode.Enabled : ClusterMode.Disabled;
  }

  public Durability getDurability() { return durability; }
  public void setDurability(Durability durability) { this.durability = durability; }
  public boolean isMultiAZ() { return multiAZ; }
  public void setMultiAZ(boolean multiAZ) { this.multiAZ = multiAZ; }
  public int getPort() { return port; }
  public void setPort(int port) { this.port = port; }
  public NetworkSpec getNetwork() { return network; }
  public void setNetwork(NetworkSpec network) { this.network = network; }
  public AuthSpec getAuth() { return auth; }
  public void setAuth(AuthSpec auth) { this.auth = auth; }
  public boolean isTls() { return tls; }
  public void setTls(boolean tls) { this.tls = tls; }
  public AtRestEncryptionSpec getAtRestEncryption() { return atRestEncryption; }
  public void setAtRestEncryption(AtRestEncryptionSpec atRestEncryption) { this.atRestEncryption = atRestEncryption; }
  public Map<String, String> getParameters() { return parameters; }
  public void setParameters(Map<String, String> parameters) { this.parameters = parameters; }
  public BackupSpec getBackups() { return backups; }
  public void setBackups(BackupSpec backups) { this.backups = backups; }
  public String getMaintenanceWindow() { return maintenanceWindow; }
  public void setMaintenanceWindow(String maintenanceWindow) { this.maintenanceWindow = maintenanceWindow; }
  public ServiceUpdates getServiceUpdates() { return serviceUpdates; }
  public void setServiceUpdates(ServiceUpdates serviceUpdates) { this.serviceUpdates = serviceUpdates; }
  public ApplyChanges getApplyChanges() { return applyChanges; }
  public void setApplyChanges(ApplyChanges applyChanges) { this.applyChanges = applyChanges; }
  public Map<String, String> getTags() { return tags; }
  public void setTags(Map<String, String> tags) { this.tags = tags; }
  public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
  public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
  public LogDeliverySpec getLogDelivery() { return logDelivery; }
  public void setLogDelivery(LogDeliverySpec logDelivery) { this.logDelivery = logDelivery; }
  public AlarmsSpec getAlarms() { return alarms; }
  public void setAlarms(AlarmsSpec alarms) { this.alarms = alarms; }
  public AdoptionSpec getAdoption() { return adoption; }
  public void setAdoption(AdoptionSpec adoption) { this.adoption = adoption; }
  public RestoreFromSpec getRestoreFrom() { return restoreFrom; }
  public void setRestoreFrom(RestoreFromSpec restoreFrom) { this.restoreFrom = restoreFrom; }
  public ServerlessSpec getServerless() { return serverless; }
  public void setServerless(ServerlessSpec serverless) { this.serverless = serverless; }
  public ConnectionSecretSpec getConnectionSecret() { return connectionSecret; }
  public void setConnectionSecret(ConnectionSecretSpec connectionSecret) { this.connectionSecret = connectionSecret; }
  public java.util.List<CacheUserSpec> getUsers() { return users; }
  public void setUsers(java.util.List<CacheUserSpec> users) { this.users = users; }

  // Effective values: what an absent optional block means.

  public boolean serverlessEnabled() { return serverless != null; }
  /** A serverless cache takes no AUTH token (CEL refuses auth with serverless). */
  public boolean authEnabled() { return serverless == null && (auth == null || auth.getEnabled() == null || auth.getEnabled()); }
  /** The apps' users (empty when none). */
  public java.util.List<CacheUserSpec> usersOrEmpty() { return users == null ? java.util.List.of() : users; }
  public boolean dataTieringEnabled() { return dataTiering != null && dataTiering; }
  public boolean atRestEnabled() { return atRestEncryption == null || atRestEncryption.getEnabled() == null || atRestEncryption.getEnabled(); }
  public String kmsKeyId() { return atRestEncryption == null ? null : blankToNull(atRestEncryption.getKmsKeyId()); }
  public Map<String, String> parametersOrEmpty() { return parameters == null ? Map.of() : new LinkedHashMap<>(parameters); }
  public Map<String, String> tagsOrEmpty() { return tags == null ? Map.of() : new LinkedHashMap<>(tags); }
  public int backupRetentionDays() { return backups == null || backups.getRetentionDays() == null ? 0 : backups.getRetentionDays(); }
  public String backupWindow() { return backups == null ? null : blankToNull(backups.getWindow()); }
  public boolean secretsManagerEnabled() { return connectionSecret == null || connectionSecret.getSecretsManager() == null || connectionSecret.getSecretsManager(); }
  public Map<String, String> secretTemplate() { return connectionSecret == null || connectionSecret.getTemplate() == null ? Map.of() : connectionSecret.getTemplate(); }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
