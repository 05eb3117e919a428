package dev.operators.elasticache.aws;

/**
 * An AWS failure reduced to what the reconciler acts on. The message is AWS's own (it never
 * carries a token: the operator never puts one in a request field AWS echoes back).
 */
public final class AwsException extends RuntimeException {

  /** What the reconciler does about it. */
  public enum Kind {
    /** The resource does not exist. */
    NOT_FOUND,
    /** The resource exists already (a retry or a restart after a create). */
    ALREADY_EXISTS,
    /** AWS is busy with it or something still depends on it: try again later. */
    BUSY,
    /**
     * AWS cannot do it now but may later with no change to the spec: capacity for the node type,
     * an account quota (freed when other caches go, or raised on request). Retried with back-off.
     */
    CAPACITY,
    /** AWS (or the operator's own rate limit) says slow down: back off. */
    THROTTLED,
    /** A server error or a network failure: try again later. */
    TRANSIENT,
    /** The request is wrong for AWS: the user must change the spec. */
    INVALID_INPUT,
    /** Anything else (permissions, quotas, ...). */
    OTHER
  }

  private final Kind kind;
  private final String operation;
  private final String code;
  private final String awsMessage;

  public AwsException(Kind kind, String operation, String code, String awsMessage) {
    super(operation + ": " + code + ": " + awsMessage);
    this.kind = kind;
    this.operation = operation;
    this.code = code;
    this.awsMessage = awsMessage;
  }

  public Kind kind() { return kind; }
  public String operation() { return operation; }
  public String code() { return code; }
  public String awsMessage() { return awsMessage; }

  public boolean is(Kind k) { return kind == k; }

  /** Try again later with no change to the spec. */
  public boolean retryable() {
    return kind == Kind.BUSY || kind == Kind.THROTTLED || kind == Kind.TRANSIENT || kind == Kind.CAPACITY;
  }

  /** An AWS error as the SDK adapter (or a fake of AWS) sees it: code, HTTP status and AWS's message. */
  public static AwsException of(String operation, String code, int httpStatus, String message) {
    return new AwsException(classify(code, httpStatus, message), operation, code, message == null ? "" : message);
  }

  public static Kind classify(String code, int httpStatus) {
    return classify(code, httpStatus, "");
  }

  /** Maps an AWS error code to a kind. Kept here, free of the SDK, so it is unit-tested. */
  public static Kind classify(String code, int httpStatus, String message) {
    if (code == null) code = "";
    String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    String c = code;
    if (c.equals("Throttling") || c.equals("ThrottlingException") || c.equals("RequestLimitExceeded")
        || c.equals("TooManyRequestsException") || c.equals("RequestThrottled") || c.equals("RequestThrottledException")
        || c.equals("SlowDown") || httpStatus == 429) {
      return Kind.THROTTLED;
    }
    if (c.endsWith("NotFound") || c.endsWith("NotFoundFault") || c.endsWith(".NotFound")
        || c.equals("ResourceNotFoundException") || c.equals("InvalidGroup.NotFound") || c.equals("NotFoundException")) {
      return Kind.NOT_FOUND;
    }
    if (c.contains("AlreadyExists") || c.endsWith(".Duplicate") || c.equals("ResourceExistsException")) {
      return Kind.ALREADY_EXISTS;
    }
    if (c.startsWith("InsufficientCacheClusterCapacity") || (c.contains("Quota") && (c.endsWith("Exceeded") || c.endsWith("ExceededFault")))
        || c.equals("LimitExceededException") || c.equals("InsufficientCapacity")) {
      return Kind.CAPACITY;
    }
    // Secrets Manager: a name still held by a deletion in progress (freed by AWS, or by RestoreSecret).
    if (c.equals("InvalidRequestException") && (m.contains("scheduled for deletion") || m.contains("marked for deletion"))) {
      return Kind.BUSY;
    }
    if (c.equals("InvalidVPCNetworkStateFault") || c.equals("InvalidVPCNetworkState")) {
      return Kind.INVALID_INPUT; // the subnets or security groups named do not fit: a person must fix the network
    }
    if (c.startsWith("Invalid") && c.endsWith("State") || c.endsWith("StateFault") || c.equals("CacheSubnetGroupInUse")
        || c.equals("DependencyViolation") || c.equals("InvalidReplicationGroupState")
        || c.equals("InvalidCacheParameterGroupState") || c.equals("InvalidCacheClusterState")) {
      return Kind.BUSY;
    }
    if (httpStatus >= 500 || c.equals("InternalFailure") || c.equals("ServiceUnavailable") || c.equals("InternalError")
        || c.equals("Unavailable") || c.equals("InternalServiceError")) {
      return Kind.TRANSIENT;
    }
    if (c.startsWith("InvalidParameter") || c.equals("ValidationException") || c.equals("InvalidKMSKeyFault")
        || c.equals("InvalidSubnet") || c.equals("InvalidRequestException") || c.equals("SubnetInUse")) {
      return Kind.INVALID_INPUT;
    }
    return Kind.OTHER;
  }
}
