import protobuf from 'protobufjs/light';
import type { ApiRequest, ApiResponse } from '../http';
import { SERVER_VERSION } from '../server-version';

/** The media type kubectl asks for, and the one kube-apiserver answers it with ('.' for '@'). */
const PROTOBUF_ACCEPTED = 'application/com.github.proto-openapi.spec.v2';
const PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * `/openapi/v2`: a Swagger 2.0 document that describes no definitions. Skiff describes its kinds
 * in the v3 documents, which kubectl reads first; it reads v2 only for a kind v3 does not describe,
 * to validate it client-side. Against kube-apiserver such a kind is absent from v2 as well, so
 * kubectl skips the validation and its resource mapping then refuses the object naming it
 * (`no matches for kind "IngressClass" in version "networking.k8s.io/v1"`); without a v2 answer,
 * kubectl would stop at the 404 and never say which kind. kubectl asks for gnostic's protobuf
 * (openapi_v2.Document: swagger = 1, info = 2 with title = 1 and version = 2); other clients get JSON.
 */
export function openApiV2Response(request: ApiRequest): ApiResponse {
  const title = 'Kubernetes';
  const version = SERVER_VERSION.gitVersion;
  if ((request.headers.accept ?? '').includes(PROTOBUF_ACCEPTED)) {
    const writer = protobuf.Writer.create();
    writer.uint32((1 << 3) | 2).string('2.0');
    writer
      .uint32((2 << 3) | 2)
      .fork()
      .uint32((1 << 3) | 2)
      .string(title)
      .uint32((2 << 3) | 2)
      .string(version)
      .ldelim();
    return {
      statusCode: 200,
      headers: { 'content-type': PROTOBUF_CONTENT_TYPE },
      body: '',
      bodyBytes: writer.finish(),
    };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ swagger: '2.0', info: { title, version }, paths: {}, definitions: {} }),
  };
}
