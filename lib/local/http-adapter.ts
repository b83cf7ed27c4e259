import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_REQUEST_BYTES } from '../api/request-body';
import type { ApiRequest, ApiResponse } from '../api/http';
import { failure } from '../api/status';

/**
 * node:http onto the API's transport-free request/response, so the local server answers exactly
 * what the Lambda answers. Bodies over the API's limit are refused without buffering them.
 */
export function httpListener(handle: (request: ApiRequest) => Promise<ApiResponse>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES && !refused) {
        refused = true;
        const status = failure(
          413,
          'RequestEntityTooLarge',
          `Request entity too large: limit is ${MAX_REQUEST_BYTES}`,
        );
        send(res, {
          statusCode: 413,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(status),
        });
        req.destroy();
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const query: Record<string, string> = {};
      for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers))
        if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
      handle({ method: req.method ?? 'GET', path: url.pathname, query, headers, body }).then(
        (response) => send(res, response),
        () => send(res, { statusCode: 500, headers: {}, body: '' }),
      );
    });
  };
}

function send(res: ServerResponse, response: ApiResponse) {
  if (res.headersSent) return;
  res.writeHead(response.statusCode, {
    ...response.headers,
    'content-length': Buffer.byteLength(response.body),
  });
  res.end(response.body);
}
