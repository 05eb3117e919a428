// Package crds only names the Prometheus Operator API types that build.sh generates CRDs from.
package crds

import _ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
