'use strict';
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload run by plain node */
/**
 * Preloaded (NODE_OPTIONS=--require) into the Node processes LocalStack starts, so that a server
 * which asks for every interface listens on 127.0.0.1 instead. LocalStack's Kinesis engine
 * (kinesis-local 0.5.2, which backs DynamoDB Streams) has no setting for its bind address and
 * listens on 0.0.0.0; Skiff's tests keep every listener on loopback (scripts/localstack/env.sh).
 * A listener given a specific address, a path or a handle is left as it is.
 */
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const EVERY_INTERFACE = new Set([undefined, null, '', '0.0.0.0', '::']);
const listen = net.Server.prototype.listen;

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (isPort(first)) {
    if (typeof args[1] === 'string') {
      if (EVERY_INTERFACE.has(args[1])) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (
    first !== null &&
    typeof first === 'object' &&
    first.path === undefined &&
    first.fd === undefined &&
    first.handle === undefined &&
    !('_handle' in first) &&
    EVERY_INTERFACE.has(first.host)
  ) {
    args[0] = { ...first, host: LOOPBACK };
  }
  return listen.apply(this, args);
};
