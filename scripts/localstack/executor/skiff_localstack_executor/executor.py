"""A LocalStack runtime executor that runs a Node.js function's bundle in a host Node process.

TEST INFRASTRUCTURE for Skiff's LocalStack deploy (docs/localstack.md), not AWS's Lambda runtime:
no isolation, no Firecracker, no memory limit, no runtime API; one `node` process per execution
environment, started with the environment LocalStack computed for it, listening on 127.0.0.1 only.
LocalStack's own executor (docker) needs a container engine the CI machine does not have.

The process (node_runtime.cjs) loads the unzipped deployment package from LocalStack's code cache,
requires the handler module once (as a Lambda container does, so module-scope clients are reused),
and answers one invocation at a time over a small HTTP exchange: LocalStack's execution environment
never sends a second invocation before the first has answered.

Processes are started in LocalStack's own process group (scripts/localstack/stop.sh ends the whole
group) and die with LocalStack (PR_SET_PDEATHSIG), so none outlives the emulator.
"""

from __future__ import annotations

import ctypes
import http.client
import json
import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.runtime_executor import (
    LambdaRuntimeException,
    RuntimeExecutor,
)

LOG = logging.getLogger(__name__)

RUNTIME_SCRIPT = Path(__file__).with_name("node_runtime.cjs")
LOOPBACK = "127.0.0.1"
# How long a Node process may take to load its bundle and listen.
STARTUP_SECONDS = 30
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGKILL it when LocalStack's process exits."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


def _logs_dir() -> Path:
    directory = Path(os.environ.get("SKIFF_LOCALSTACK_LOGS") or "/tmp/skiff-localstack-logs")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _gateway_port() -> int:
    from localstack import config

    return config.GATEWAY_LISTEN[0].port


class NodeProcessExecutor(RuntimeExecutor):
    """One execution environment: one host `node` process running node_runtime.cjs."""

    def __init__(self, id: str, function_version: FunctionVersion) -> None:
        super().__init__(id=id, function_version=function_version)
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        name = function_version.id.function_name
        self.log_path = _logs_dir() / f"{name}-{id}.log"

    # LocalStack asks where it and the environment reach each other: both on loopback here.
    def get_address(self) -> str:
        return LOOPBACK

    def get_endpoint_from_executor(self) -> str:
        return LOOPBACK

    def get_runtime_endpoint(self) -> str:
        return f"http://{LOOPBACK}:{_gateway_port()}/_localstack_lambda/{self.id}"

    def start(self, env_vars: dict[str, str]) -> None:
        node = os.environ.get("SKIFF_NODE") or shutil.which("node")
        if not node:
            raise LambdaRuntimeException("skiff-node executor: no `node` on PATH")
        code = self.function_version.config.code
        if code is None:
            raise LambdaRuntimeException("skiff-node executor: only zip packages are supported")
        task_root = str(code.get_unzipped_code_location())
        port_file = self.log_path.with_suffix(".port")
        port_file.unlink(missing_ok=True)
        env = {key: str(value) for key, value in env_vars.items() if value is not None}
        env.update(
            {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": os.environ.get("HOME", "/tmp"),
                "LAMBDA_TASK_ROOT": task_root,
                "SKIFF_RUNTIME_PORT_FILE": str(port_file),
            }
        )
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [node, str(RUNTIME_SCRIPT)],
            cwd=task_root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LambdaRuntimeException(
                    f"skiff-node executor: node exited with {self.process.returncode} during init: "
                    f"{self.get_logs()[-2000:]}"
                )
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text().strip())
                LOG.debug("skiff-node %s listening on %s:%s", self.id, LOOPBACK, self.port)
                return
            time.sleep(0.05)
        self.stop()
        raise LambdaRuntimeException(f"skiff-node executor: node did not listen in {STARTUP_SECONDS} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        request_id = payload["invoke-id"]
        if self.process is None or self.port is None:
            raise LambdaRuntimeException("skiff-node executor: invoke before start")
        timeout = int(self.function_version.config.timeout or 3)
        body = json.dumps(
            {
                "requestId": request_id,
                "functionArn": payload.get("invoked-function-arn"),
                "traceId": payload.get("trace-id"),
                "payload": payload.get("payload") or "",
                "deadlineMs": int(time.time() * 1000) + timeout * 1000,
            }
        )
        # The function's timeout plus a margin: LocalStack times the invocation out itself too.
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=timeout + 10)
        try:
            connection.request("POST", "/invoke", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = json.loads(response.read())
        except (OSError, ValueError) as error:
            answer = {
                "error": True,
                "payload": json.dumps(
                    {"errorType": "Runtime.ExitError", "errorMessage": f"skiff-node executor: {error}"}
                ),
            }
        finally:
            connection.close()
        return InvocationResult(
            request_id=request_id,
            payload=answer["payload"].encode("utf-8"),
            is_error=bool(answer["error"]),
            logs=answer.get("logs") or "",
        )

    def get_logs(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        if function_version.config.code:
            function_version.config.code.prepare_for_execution()

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass

    @classmethod
    def validate_environment(cls) -> bool:
        if not (os.environ.get("SKIFF_NODE") or shutil.which("node")):
            LOG.error("skiff-node executor: no `node` on PATH, Lambda functions cannot run")
            return False
        return True
