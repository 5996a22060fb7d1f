#!/bin/sh
# DET-1, the kube-bench CronJob's uploader container (aws-cli image, /bin/sh -c; this comment block stays out of the
# manifest). Sends one log event whose message is {"clusterName","nodeName","report"} as JSON: the cluster name in the
# event is what the metric filters' ClusterName dimension reads. The aws-cli image has no jq, so the JSON is escaped
# into a JSON string with sed; kube-bench writes Go's json.Marshal output, which holds no raw control characters, so
# the only line break is the trailing one and tabs can only be whitespace between tokens.
# The container's environment gives LOG_GROUP_NAME, CLUSTER_NAME, NODE_NAME and POD_NAME (kube-bench-schedule.ts).
set -eu
report=/results/report.json
if [ ! -s "$report" ]; then echo "kube-bench wrote no report to $report" >&2; exit 1; fi
stream="$NODE_NAME/$POD_NAME"
message=$(printf '{"clusterName":"%s","nodeName":"%s","report":%s}' "$CLUSTER_NAME" "$NODE_NAME" "$(cat "$report")" \
  | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr '\t\r\n' '   ')
printf '[{"timestamp":%s000,"message":"%s"}]' "$(date +%s)" "$message" > /tmp/events.json
aws logs create-log-stream --log-group-name "$LOG_GROUP_NAME" --log-stream-name "$stream"
aws logs put-log-events --log-group-name "$LOG_GROUP_NAME" --log-stream-name "$stream" --log-events file:///tmp/events.json
echo "kube-bench report of $NODE_NAME sent to $LOG_GROUP_NAME/$stream"
