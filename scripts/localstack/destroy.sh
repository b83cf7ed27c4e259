#!/usr/bin/env bash
# `npm run localstack:destroy`: destroys the Skiff stack on LocalStack with cdklocal, then deletes
# the tables the stack retains on delete (the object table has RemovalPolicy.RETAIN, so a real
# cluster's objects survive a mistaken destroy; on LocalStack they would collide with the next
# deploy's). The tables are named from the stack's resources before it goes. Uses the LocalStack
# virtualenv's boto3 (install.sh). Stack name: $SKIFF_STACK_NAME, else Skiff.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$localstack_root"

localstack_client_environment
stack="${SKIFF_STACK_NAME:-Skiff}"
python="$localstack_venv/bin/python"

retained="$("$python" - "$stack" <<'EOF'
import sys, boto3, botocore.exceptions
cloudformation = boto3.client("cloudformation")
try:
    resources = cloudformation.describe_stack_resources(StackName=sys.argv[1])["StackResources"]
except botocore.exceptions.ClientError:
    resources = []
print(" ".join(r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::DynamoDB::Table"))
EOF
)"

assembly="$localstack_state/cdk.out"
app_args=()
[[ -d "$assembly" ]] && app_args=(--app "$assembly")
npx cdklocal destroy "$stack" "${app_args[@]}" --force --no-notices --ci >"$localstack_state/destroy.log" 2>&1 ||
  { tail -40 "$localstack_state/destroy.log" >&2; exit 1; }

for table in $retained; do
  "$python" - "$table" <<'EOF'
import sys, boto3
dynamodb = boto3.client("dynamodb")
try:
    dynamodb.delete_table(TableName=sys.argv[1])
    dynamodb.get_waiter("table_not_exists").wait(TableName=sys.argv[1], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    print(f"deleted retained table {sys.argv[1]}", file=sys.stderr)
except dynamodb.exceptions.ResourceNotFoundException:
    pass
EOF
done
rm -f "$localstack_state/outputs.json" "$localstack_state/cdk-outputs.json"
echo "destroyed $stack on LocalStack" >&2
