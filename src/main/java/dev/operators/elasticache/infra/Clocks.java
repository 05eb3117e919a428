package dev.operators.elasticache.infra;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The operator's clock, replaceable in tests. */
@ApplicationScoped
public class Clocks {
  @Produces
  @jakarta.inject.Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
