{{/* The chart's name (nameOverride wins). */}}
{{- define "rediscache-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the release's objects: the release name, with the chart's name when it lacks it. */}}
{{- define "rediscache-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "rediscache-operator.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "rediscache-operator.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "rediscache-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rediscache-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rediscache-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rediscache-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: rediscache-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rediscache-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rediscache-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Leader election is on when more than one replica runs. */}}
{{- define "rediscache-operator.leaderElection" -}}
{{- if gt (int .Values.replicaCount) 1 }}true{{- end }}
{{- end }}
