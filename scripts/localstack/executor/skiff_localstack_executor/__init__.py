"""Skiff's LocalStack runtime executor (test infrastructure, not AWS's Lambda runtime).

LocalStack's Lambda service runs functions through a runtime executor; its only built-in one starts
Docker containers, which the CI machine does not have. This executor runs each function's deployed
bundle in a host Node.js process on 127.0.0.1 instead. See docs/localstack.md.
"""
