#!/usr/bin/env bash
# `npm run localstack:deploy`: bootstraps LocalStack's account and deploys the Skiff stack to it with
# cdklocal (aws-cdk-local), then writes the stack's outputs (ApiUrl, ...) to .localstack/outputs.json,
# where the remote test target (SKIFF_TARGET=localstack) reads them. LocalStack must be running
# (scripts/localstack/start.sh, or LocalStack started some other way on $AWS_ENDPOINT_URL).
# Stack name: $SKIFF_STACK_NAME, else Skiff (as infra/app.ts). SKIFF_EXAMPLE_OPERATORS=true also
# deploys the example StaticSite operator (examples/operators/static-site), as CI does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$localstack_root"

localstack_client_environment
stack="${SKIFF_STACK_NAME:-Skiff}"
outputs="$localstack_state/outputs.json"
mkdir -p "$localstack_state"

# A stack left in ROLLBACK_COMPLETE by a failed first deploy cannot be updated: delete it first.
"$localstack_venv/bin/python" - "$stack" <<'EOF'
import sys, boto3, botocore.exceptions
cloudformation = boto3.client("cloudformation")
try:
    status = cloudformation.describe_stacks(StackName=sys.argv[1])["Stacks"][0]["StackStatus"]
except botocore.exceptions.ClientError:
    status = None
if status == "ROLLBACK_COMPLETE":
    cloudformation.delete_stack(StackName=sys.argv[1])
    cloudformation.get_waiter("stack_delete_complete").wait(StackName=sys.argv[1], WaiterConfig={"Delay": 1})
    print(f"deleted {sys.argv[1]}, left in ROLLBACK_COMPLETE by a failed deploy", file=sys.stderr)
EOF

started=$SECONDS
npx cdklocal bootstrap --no-notices --ci "aws://000000000000/$AWS_REGION" >"$localstack_state/bootstrap.log" 2>&1 ||
  { cat "$localstack_state/bootstrap.log" >&2; exit 1; }
# Synthesized as for AWS, then adapted where LocalStack differs (adapt-assembly.ts), and deployed
# from that assembly.
assembly="$localstack_state/cdk.out"
rm -rf "$assembly"
# The deploying principal becomes cluster admin (infra/app.ts): LocalStack's caller for these keys.
admin="${SKIFF_ADMIN_PRINCIPAL_ARN:-$("$localstack_venv/bin/python" -c 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])')}"
npx cdk synth --quiet --no-notices --output "$assembly" -c "adminPrincipalArn=$admin" \
  -c "exampleOperators=${SKIFF_EXAMPLE_OPERATORS:-false}" "$stack" >"$localstack_state/synth.log" 2>&1 ||
  { cat "$localstack_state/synth.log" >&2; exit 1; }
npx tsx scripts/localstack/adapt-assembly.ts "$assembly"
npx cdklocal deploy "$stack" --app "$assembly" --no-notices --ci --require-approval never --progress events \
  --outputs-file "$localstack_state/cdk-outputs.json" >"$localstack_state/deploy.log" 2>&1 ||
  { tail -80 "$localstack_state/deploy.log" >&2; exit 1; }

# The stack's own outputs, flat, plus where LocalStack serves the API without DNS: cdk's ApiUrl
# names https://<id>.execute-api.<host>/prod/, a host name only LocalStack's DNS resolves.
node -e '
const fs = require("node:fs");
const [file, stack, endpoint, out, admin] = process.argv.slice(1);
const outputs = JSON.parse(fs.readFileSync(file, "utf8"))[stack];
const id = /^https?:\/\/([^./]+)\.execute-api\./.exec(outputs.ApiUrl)?.[1];
if (!id) throw new Error(`no REST API id in ApiUrl ${outputs.ApiUrl}`);
outputs.StackName = stack;
// The name tokens are minted for (skiff token --cluster-name): the stack name unless an output says otherwise.
outputs.ClusterName ??= stack;
outputs.AdminPrincipalArn = admin;
outputs.Endpoint = endpoint;
outputs.RestApiId = id;
outputs.LocalApiUrl = `${endpoint}/_aws/execute-api/${id}/prod`;
// The same over TLS (LocalStack serves both on its port, with a self-signed certificate): kubectl
// sends credentials only over TLS.
outputs.LocalApiUrlTls = outputs.LocalApiUrl.replace(/^http:/, "https:");
fs.writeFileSync(out, JSON.stringify(outputs, null, 2) + "\n");
' "$localstack_state/cdk-outputs.json" "$stack" "$AWS_ENDPOINT_URL" "$outputs" "$admin"
resources="$("$localstack_venv/bin/python" -c '
import sys, boto3
resources = boto3.client("cloudformation").describe_stack_resources(StackName=sys.argv[1])["StackResources"]
done = [r for r in resources if r["ResourceStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")]
print(f"{len(done)} of {len(resources)} resources complete")' "$stack")"
echo "deployed $stack to LocalStack in $((SECONDS - started))s ($resources); outputs in $outputs" >&2
cat "$outputs"
