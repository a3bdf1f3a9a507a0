{{/*
Names and labels shared by every object of the chart. The hardening
(securityContext) lives here too, so no object can be rendered without it.
*/}}

{{- define "service.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's name, with the chart's unless it already holds it. */}}
{{- define "service.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "service.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "service.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "service.image" -}}
{{- printf "%s:%s" (required "image.repository is required" .Values.image.repository) (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* The Secret the service's secret settings come from: never made by the chart. */}}
{{- define "service.secretName" -}}
{{- required "existingSecret is required: the name of a Secret you create (see values.yaml)" .Values.existingSecret }}
{{- end }}

{{/* The numeric non-root user of the image, and the runtime's seccomp profile. */}}
{{- define "service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* No capabilities, no escalation, and a read-only root filesystem (/tmp is an emptyDir). */}}
{{- define "service.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{- define "service.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{- define "service.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* The settings that are not secret, one variable each (for the migration hook, which runs before the ConfigMap exists). */}}
{{- define "service.env" -}}
{{- range $name, $value := (include "service.settings" . | fromYaml) }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* Those settings as a mapping: values' env, and the metrics port it serves. */}}
{{- define "service.settings" -}}
{{- $settings := deepCopy .Values.env }}
{{- if .Values.metrics.enabled }}
{{- $_ := set $settings "METRICS_PORT" .Values.metrics.port }}
{{- end }}
{{- range $name, $value := $settings }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* The ports the containers listen on besides HTTP. */}}
{{- define "service.metricsPort" -}}
{{- if .Values.metrics.enabled }}
- name: metrics
  containerPort: {{ .Values.metrics.port }}
{{- end }}
{{- end }}
