"""The plux plugin LocalStack loads for LAMBDA_RUNTIME_EXECUTOR=skiff-node."""

from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin


class SkiffNodeExecutorPlugin(RuntimeExecutorPlugin):
    name = "skiff-node"

    def load(self, *args, **kwargs):
        # Imported late, as LocalStack's own docker plugin does: the plugin index is read at startup.
        from skiff_localstack_executor.executor import NodeProcessExecutor

        return NodeProcessExecutor
