package dev.operators.elasticache.aws.sdk;

import dev.operators.elasticache.aws.AwsException;
import dev.operators.elasticache.aws.CallGate;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Every AWS call goes through here: the rate limit, a metric per call, and errors mapped to kinds. */
public final class AwsCalls {
  private final CallGate gate;
  private final MeterRegistry metrics;

  public AwsCalls(CallGate gate, MeterRegistry metrics) {
    this.gate = gate;
    this.metrics = metrics;
  }

  public <T> T run(String service, String operation, Supplier<T> call) {
    return run(service, operation, false, call);
  }

  /** A call of the shared sweep: never turned away by the operator's own limit (see {@link CallGate}). */
  public <T> T sweep(String service, String operation, Supplier<T> call) {
    return run(service, operation, true, call);
  }

  private <T> T run(String service, String operation, boolean sweep, Supplier<T> call) {
    String op = service + ":" + operation;
    try {
      gate.enter(op, sweep);
    } catch (AwsException e) {
      count(service, operation, "ratelimited");
      throw e;
    }
    try {
      T result = call.get();
      count(service, operation, "ok");
      return result;
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      AwsException.Kind kind = e.isThrottlingException() ? AwsException.Kind.THROTTLED
          : AwsException.classify(code, e.statusCode(), message);
      count(service, operation, kind.name().toLowerCase());
      throw new AwsException(kind, op, code, message == null ? "" : message);
    } catch (SdkClientException e) {
      count(service, operation, "transient");
      throw new AwsException(AwsException.Kind.TRANSIENT, op, "ClientError", String.valueOf(e.getMessage()));
    } catch (SdkException e) {
      count(service, operation, "other");
      throw new AwsException(AwsException.Kind.OTHER, op, "SdkError", String.valueOf(e.getMessage()));
    }
  }

  public void run(String service, String operation, Runnable call) {
    run(service, operation, () -> {
      call.run();
      return null;
    });
  }

  private void count(String service, String operation, String outcome) {
    if (metrics != null) {
      metrics.counter("rediscache.aws.calls", "service", service, "operation", operation, "outcome", outcome).increment();
    }
  }
}
